"""mailadm stand-in (tests/live): what deltachat/mailadm 0.10 does for a
postfix/dovecot server, the version whose database dovecot-sql.conf.ext
reads. No reachable registry carries mailadm (it is on PyPI only), so this
keeps its contract, nothing more:

- the database: SQLite at $MAILADM_DB, tables config, tokens and users,
  users holding addr and hash_pw ("{SHA512-CRYPT}..." as dovecot reads it);
- postfix's map: virtual_mailboxes beside the database, one "addr    addr"
  line per account, rewritten on every change;
- the sign-up (app.py): POST /?t=TOKEN makes tmp.XXXXX@domain with a random
  password and answers {"email", "password", "expiry", "ttl"}.

Every command is recorded in mailadm.log beside the database, never a
token's or a password's value, so that the live test can see what ran.
"""

import base64
import crypt
import os
import random
import sqlite3
import time
from pathlib import Path

DB_PATH = Path(os.environ.get("MAILADM_DB", "/var/lib/mailadm/mailadm.db"))


def record(line):
    with open(DB_PATH.parent / "mailadm.log", "a") as log:
        log.write(line + "\n")


def connect():
    db = sqlite3.connect(DB_PATH, timeout=30, isolation_level="IMMEDIATE")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def create_tables(db):
    db.executescript("""
        CREATE TABLE IF NOT EXISTS tokens (
            name TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE, expiry TEXT NOT NULL,
            prefix TEXT, maxuse INTEGER DEFAULT 50, usecount INTEGER DEFAULT 0);
        CREATE TABLE IF NOT EXISTS users (
            addr TEXT PRIMARY KEY, hash_pw TEXT NOT NULL, homedir TEXT NOT NULL,
            date INTEGER, ttl INTEGER, token_name TEXT NOT NULL,
            FOREIGN KEY (token_name) REFERENCES tokens (name));
        CREATE TABLE IF NOT EXISTS config (name TEXT PRIMARY KEY, value TEXT);
    """)


def config(db, name):
    row = db.execute("SELECT value FROM config WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def expiry_seconds(code):
    if code == "never":
        return 2**62
    units = {"w": 7 * 86400, "d": 86400, "h": 3600}
    return int(code[:-1]) * units[code[-1]]


def write_mailbox_map(db):
    """Rewrites postfix's map of every account, in one rename."""
    lines = "".join(f"{addr}    {addr}\n" for (addr,) in db.execute("SELECT addr FROM users ORDER BY addr"))
    path = DB_PATH.parent / "virtual_mailboxes"
    partial = path.with_name(path.name + ".partial")
    partial.write_text(lines)
    os.replace(partial, path)


class SignUpRefused(Exception):
    pass


def add_account(db, token):
    """Makes an account with TOKEN: returns mailadm's answer, password included."""
    row = db.execute("SELECT name, expiry, prefix, maxuse, usecount FROM tokens WHERE token = ?",
                     (token,)).fetchone()
    if row is None:
        raise SignUpRefused(f"token {token} is invalid")
    name, expiry, prefix, maxuse, usecount = row
    if usecount >= maxuse:
        raise SignUpRefused(f"token {name} is exhausted")
    domain = config(db, "mail_domain")
    local = prefix + "".join(random.SystemRandom().choice("2345789acdefghjkmnpqrstuvwxyz") for _ in range(5))
    addr = f"{local}@{domain}"
    password = base64.b64encode(os.urandom(21)).decode()[:12]
    hash_pw = "{SHA512-CRYPT}" + crypt.crypt(password, crypt.METHOD_SHA512)
    ttl = expiry_seconds(expiry)
    db.execute("INSERT INTO users (addr, hash_pw, homedir, date, ttl, token_name) VALUES (?, ?, ?, ?, ?, ?)",
               (addr, hash_pw, f"/home/vmail/{domain}/{local}", int(time.time()), ttl, name))
    db.execute("UPDATE tokens SET usecount = usecount + 1 WHERE name = ?", (name,))
    write_mailbox_map(db)
    record(f"new account with token {name}")
    return {"email": addr, "password": password, "expiry": expiry, "ttl": ttl}
