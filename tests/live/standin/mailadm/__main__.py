"""mailadm's command line, the commands dcommc's mailadm/start.sh runs, with
mailadm's options and output: `python3 -m mailadm COMMAND ...`."""

import argparse
import secrets
import sys
import time

import mailadm


def init(db, args):
    mailadm.create_tables(db)
    for name, value in (("dbversion", "1"), ("mail_domain", args.mail_domain),
                        ("web_endpoint", args.web_endpoint), ("vmail_user", args.vmail_user)):
        db.execute("INSERT OR REPLACE INTO config (name, value) VALUES (?, ?)", (name, value))
    mailadm.write_mailbox_map(db)
    mailadm.record(f"init --web-endpoint={args.web_endpoint} --mail-domain={args.mail_domain} "
                   f"--vmail-user={args.vmail_user}")


def list_tokens(db, args):
    web = mailadm.config(db, "web_endpoint")
    for name, token, expiry, prefix, maxuse, usecount in db.execute(
            "SELECT name, token, expiry, prefix, maxuse, usecount FROM tokens ORDER BY name"):
        print(f"token:{name}\n  prefix = {prefix}\n  expiry = {expiry}\n  maxuse = {maxuse}\n"
              f"  usecount = {usecount}\n  token  = {token}\n  {web}?t={token}&n={name}")


def add_token(db, args):
    token = args.token or secrets.token_urlsafe(12)
    db.execute("INSERT INTO tokens (name, token, expiry, prefix, maxuse) VALUES (?, ?, ?, ?, ?)",
               (args.name, token, args.expiry or "1d", args.prefix, args.maxuse or 50))
    mailadm.record(f"add-token {args.name} --maxuse {args.maxuse} --expiry {args.expiry}")


def mod_token(db, args):
    changed = db.execute("UPDATE tokens SET expiry = coalesce(?, expiry), maxuse = coalesce(?, maxuse) "
                         "WHERE name = ?", (args.expiry, args.maxuse, args.name)).rowcount
    if changed == 0:
        sys.exit(f"token {args.name!r} does not exist")
    mailadm.record(f"mod-token {args.name} --maxuse {args.maxuse} --expiry {args.expiry}")


def del_token(db, args):
    if db.execute("DELETE FROM tokens WHERE name = ?", (args.name,)).rowcount == 0:
        sys.exit(f"token {args.name!r} does not exist")
    mailadm.record(f"del-token {args.name}")


def prune(db, args):
    expired = db.execute("DELETE FROM users WHERE date + ttl < ?", (int(time.time()),)).rowcount
    if expired:
        mailadm.write_mailbox_map(db)
    mailadm.record(f"prune: {expired} expired")


def main():
    parser = argparse.ArgumentParser(prog="mailadm")
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("init")
    command.add_argument("--web-endpoint", required=True)
    command.add_argument("--mail-domain", required=True)
    command.add_argument("--vmail-user", default="vmail")
    command.set_defaults(run=init)
    commands.add_parser("list-tokens").set_defaults(run=list_tokens)
    for name, run in (("add-token", add_token), ("mod-token", mod_token)):
        command = commands.add_parser(name)
        command.add_argument("name")
        command.add_argument("--maxuse", type=int)
        command.add_argument("--expiry")
        command.add_argument("--prefix", default="tmp.")
        if name == "add-token":
            command.add_argument("--token")
        command.set_defaults(run=run)
    command = commands.add_parser("del-token")
    command.add_argument("name")
    command.set_defaults(run=del_token)
    commands.add_parser("prune").set_defaults(run=prune)
    args = parser.parse_args()
    db = mailadm.connect()
    with db:
        if args.command != "init":
            mailadm.create_tables(db)
        args.run(db, args)


if __name__ == "__main__":
    main()
