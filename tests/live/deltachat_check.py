#!/usr/bin/env python3
"""The live test's DeltaChat users: the real DeltaChat core
(deltachat-rpc-server, its JSON-RPC interface on stdin and stdout) against
the compiled sites' mail, from the LAN, as the app on a phone would use it.

Prints one line per check, "ok: ..." or "FAIL: ...", and exits 1 if any
failed. Never prints a secret: sign-up tokens are read from files, and
every line printed, the core's log lines (on failure only) included, has
the tokens and passwords removed.

    deltachat_check.py --rpc-server BIN --cafile CA --accounts-file FILE
                       --user NAME SIGNUP-URL TOKEN-FILE [--user ...]

Each user signs up as the app does with a site's invitation QR code,
DCACCOUNT:<the site's /new_email>?t=<token>, which is a POST to that URL:
mailadm, through Caddy, answers with an address and a password. The core
is given those two alone and finds the servers by itself (its autoconfig,
then its guesses: DNS through the LAN's named, ports 993 and 587).

Certificates: the core trusts only the public CAs compiled into it (it
ignores SSL_CERT_FILE; tried), so it cannot check the federation's
certificates. The sign-up POST is made here, trusting the federation's
root alone, and the core is configured with its documented setting for
such servers, certificate checks "acceptInvalidCertificates". live.sh
checks the certificates postfix and dovecot present with openssl, against
that root, hostname included.

Then, for each pair of the first user and another: a verified contact by
Secure-Join (its handshake runs over mail, Autocrypt keys in the headers),
a message each way, each read by the other end-to-end encrypted (the
padlock). FILE gets a line "NAME ADDRESS" for each user who signed up.
"""

import argparse
import json
import os
import queue
import secrets
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import checks
from checks import fail, ok


class RpcError(Exception):
    pass


class Core:
    """deltachat-rpc-server as a child process: calls by id, events in a queue."""

    def __init__(self, binary, accounts_dir, hide):
        env = dict(os.environ, DC_ACCOUNTS_PATH=accounts_dir)
        self.process = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=env, text=True, bufsize=1)
        self.hide = list(hide)
        self.lock = threading.Lock()
        self.next_id = 0
        self.pending = {}
        self.events = queue.Queue()
        self.log = []  # the last Info lines
        self.problems = []  # the last Warning and Error lines
        threading.Thread(target=self.read, daemon=True).start()
        threading.Thread(target=self.pump_events, daemon=True).start()

    def read(self):
        for line in self.process.stdout:
            answer = json.loads(line)
            waiter = self.pending.pop(answer.get("id"), None)
            if waiter:
                waiter.put(answer)

    def pump_events(self):
        while True:
            try:
                event = self.call("get_next_event", timeout=None)  # the core's pace
            except (RpcError, ValueError, OSError):
                return  # the core stopped
            kind = event["event"]["kind"]
            if kind in ("Warning", "Error"):
                self.problems.append(f"{kind} [{event['contextId']}] {self.redact(event['event'].get('msg', ''))}")
                del self.problems[:-60]
            elif kind == "Info":
                self.log.append(f"Info [{event['contextId']}] {self.redact(event['event'].get('msg', ''))}")
                del self.log[:-20]
            self.events.put(event)

    def redact(self, text):
        for value in self.hide:
            text = text.replace(value, "<secret>")
        return text

    def call(self, method, *params, timeout=120):
        waiter = queue.Queue()
        with self.lock:
            self.next_id += 1
            self.pending[self.next_id] = waiter
            self.process.stdin.write(json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method,
                                                 "params": list(params)}) + "\n")
            self.process.stdin.flush()
        try:
            answer = waiter.get(timeout=timeout)
        except queue.Empty:
            raise RpcError(f"{method}: no answer in {timeout} s")
        if "error" in answer:  # the core's words, which may quote what it was given
            raise RpcError(self.redact(answer["error"].get("message", str(answer["error"]))))
        return answer["result"]

    def wait_event(self, account, match, timeout):
        """The first event of ACCOUNT for which match(event) is true, or None
        after TIMEOUT seconds. The events before it are dropped: the checks
        wait for one thing at a time."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                break
            if event["contextId"] == account and match(event["event"]):
                return event["event"]
        return None

    def close(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class User:
    def __init__(self, core, name, signup_url, token, cafile):
        self.core, self.name = core, name
        self.signup_url, self.token, self.cafile = signup_url, token, cafile
        self.account = core.call("add_account")
        self.addr = None

    def sign_up(self):
        """Asks mailadm for an account as the app does with an invitation QR
        code (DCACCOUNT:URL?t=TOKEN is a POST to it), then gives the core the
        address and password alone: it finds the servers by itself."""
        tls = ssl.create_default_context(cafile=self.cafile)
        request = urllib.request.Request(f"{self.signup_url}?t={self.token}", method="POST")
        try:
            with urllib.request.urlopen(request, context=tls, timeout=30) as answer:
                account = json.load(answer)
            self.core.hide.append(account["password"])
        except (OSError, ValueError) as error:
            fail(f"{self.name}: sign-up at {self.signup_url}: {self.core.redact(str(error))}")
            return False
        try:
            self.core.call("add_or_update_transport", self.account, {
                "addr": account["email"], "password": account["password"],
                "certificateChecks": "acceptInvalidCertificates"}, timeout=180)
        except RpcError as error:
            fail(f"{self.name}: the core could not configure {account['email']}: {error}")
            return False
        self.addr = account["email"]
        found = self.core.call("get_info", self.account).get("used_transport_settings", "?")
        ok(f"{self.name}: signed up at {self.signup_url} as {self.addr}; the core found the servers: "
           f"{self.core.redact(found)}")
        return True


def verify_contact(joiner, inviter):
    """Secure-Join: the joiner scans the inviter's QR code; returns their chat."""
    qr = inviter.core.call("get_chat_securejoin_qr_code", inviter.account, None)
    chat = joiner.core.call("secure_join", joiner.account, qr)
    done = joiner.core.wait_event(
        joiner.account, lambda e: e["kind"] == "SecurejoinJoinerProgress" and e["progress"] == 1000, 120)
    if done:
        ok(f"{joiner.name} and {inviter.name}: verified contacts by Secure-Join, its handshake over mail")
    else:
        fail(f"{joiner.name} and {inviter.name}: Secure-Join did not finish in 120 s")
    return chat if done else None


def send_and_read(sender, chat, reader):
    """SENDER writes in CHAT; READER must receive it, end-to-end encrypted.
    Returns the reader's chat with the sender."""
    text = f"from {sender.name} to {reader.name}: {secrets.token_hex(8)}"
    sender.core.call("misc_send_text_message", sender.account, chat, text)
    deadline = time.monotonic() + 120
    while (left := deadline - time.monotonic()) > 0:
        event = reader.core.wait_event(reader.account, lambda e: e["kind"] == "IncomingMsg", left)
        if event is None:
            break
        message = reader.core.call("get_message", reader.account, event["msgId"])
        if message["text"] != text:
            continue  # an info message of the chat, not the one sent
        if message["showPadlock"]:
            ok(f"{reader.name} read {sender.name}'s message ({sender.addr} to {reader.addr}), "
               "end-to-end encrypted")
        else:
            fail(f"{reader.name} received {sender.name}'s message unencrypted")
        return message["chatId"]
    fail(f"{reader.name} did not receive {sender.name}'s message ({sender.addr} to {reader.addr}) in 120 s")
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rpc-server", required=True)
    parser.add_argument("--cafile", required=True)
    parser.add_argument("--accounts-file", required=True)
    parser.add_argument("--user", nargs=3, action="append", required=True,
                        metavar=("NAME", "SIGNUP-URL", "TOKEN-FILE"))
    args = parser.parse_args()
    tokens = [open(token_file).read().strip() for _, _, token_file in args.user]
    with tempfile.TemporaryDirectory(prefix="dcomms-deltachat.") as accounts:
        core = Core(args.rpc_server, os.path.join(accounts, "accounts"), tokens)
        try:
            users = [User(core, name, url, token, args.cafile) for (name, url, _), token in zip(args.user, tokens)]
            signed_up = [user.sign_up() for user in users]
            with open(args.accounts_file, "w") as accounts_file:
                accounts_file.writelines(f"{user.name} {user.addr}\n" for user in users if user.addr)
            if all(signed_up):
                core.call("start_io_for_all_accounts")
                first = users[0]
                for other in users[1:]:
                    chat = verify_contact(first, other)
                    if chat is None:
                        continue
                    reply_chat = send_and_read(first, chat, other)
                    if reply_chat is not None:
                        send_and_read(other, reply_chat, first)
        except RpcError as error:
            fail(f"the DeltaChat core: {error}")
        finally:
            if checks.failures:
                print("the core's warnings and errors:\n  " + "\n  ".join(core.problems or ["none"]), flush=True)
                print("the core's last log lines:\n  " + "\n  ".join(core.log), flush=True)
            core.close()
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
