#!/usr/bin/env python3
"""A Language Server session with `dcommc lsp`, as an editor would hold it.

Usage: session.py path/to/dcommc   (run from the project root)
Every wait is bounded; the server must never crash, and exits 0 after
shutdown + exit.
"""
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse

TIMEOUT = 20  # seconds for any one answer
ROOT = os.getcwd()

failures = 0


def ok(name):
    print(f"ok   {name}")


def fail(name, detail=""):
    global failures
    failures += 1
    print(f"FAIL {name}" + (f": {detail}" if detail else ""))


def check(cond, name, detail=""):
    ok(name) if cond else fail(name, detail)


class Client:
    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.messages = queue.Queue()
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            body = out.read(length or 0)
            try:
                self.messages.put(json.loads(body.decode("utf-8")))
            except ValueError as e:
                self.messages.put({"unparseable": str(e), "body": body[:200].decode("utf-8", "replace")})

    def send_raw(self, body: bytes):
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send(self, message):
        self.send_raw(json.dumps(message).encode("utf-8"))

    def notify(self, method, params=None):
        self.send({"jsonrpc": "2.0", "method": method, "params": params or {}})

    def request(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params or {}})
        return self.wait(lambda m: m.get("id") == rid and ("result" in m or "error" in m))

    def wait(self, predicate):
        while True:
            try:
                m = self.messages.get(timeout=TIMEOUT)
            except queue.Empty:
                raise RuntimeError("timed out waiting for the server")
            if m is None:
                raise RuntimeError("the server closed its output")
            if predicate(m):
                return m

    def diagnostics(self, uri):
        m = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == uri)
        return m["params"]["diagnostics"]


def finish(client):
    """shutdown answers null, then exit ends the server with status 0."""
    reply = client.request("shutdown")
    check(reply is not None and reply.get("result") is None, "shutdown answers null")
    client.notify("exit")
    client.proc.stdin.close()
    check(client.proc.wait(timeout=TIMEOUT) == 0, "the server exits 0")


def utf16_position(text, offset_chars):
    """LSP position of the character index `offset_chars` of `text`."""
    before = text[:offset_chars]
    line = before.count("\n")
    col_text = before[before.rfind("\n") + 1:]
    return {"line": line, "character": len(col_text.encode("utf-16-le")) // 2}


def position_of(text, needle, plus=0, occurrence=0):
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    return utf16_position(text, index + plus)


def main():
    dcommc = sys.argv[1]
    work = tempfile.mkdtemp(prefix="dcommc-lsp-")
    try:
        run(dcommc, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(dcommc, work):
    with open(os.path.join(ROOT, "tests/lsp/site.dcomm"), encoding="utf-8") as f:
        canonical = f.read()
    # The folder has a space and a non-ASCII letter: URIs are percent-encoded.
    folder = os.path.join(work, "my spec é")
    os.makedirs(folder)
    path = os.path.join(folder, "site.dcomm")
    with open(path, "w", encoding="utf-8") as f:
        f.write(canonical)
    uri = "file://" + urllib.parse.quote(path)

    client = Client([dcommc, "lsp"])
    try:
        session(client, uri, canonical)
    except RuntimeError as e:
        fail("session", str(e))
    finally:
        try:
            status = client.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            client.proc.kill()
            status = "killed after a timeout"
            client.proc.wait()
        check(status == 0, "exits 0 after shutdown and exit", f"status {status}; stderr: "
              + client.proc.stderr.read().decode("utf-8", "replace")[:500])


def session(client, uri, canonical):
    r = client.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {}})
    caps = r.get("result", {}).get("capabilities", {})
    check(caps.get("textDocumentSync", {}).get("change") == 1 and caps.get("hoverProvider")
          and caps.get("definitionProvider") and caps.get("documentFormattingProvider")
          and "completionProvider" in caps, "initialize announces the features", json.dumps(caps))
    client.notify("initialized")

    # Malformed traffic first: the server must answer and carry on.
    client.send_raw(b"{this is not json")
    m = client.wait(lambda m: "error" in m)
    check(m["error"]["code"] == -32700, "invalid JSON gets a parse error", json.dumps(m))
    r = client.request("textDocument/noSuchThing", {})
    check(r.get("error", {}).get("code") == -32601, "an unknown request gets MethodNotFound", json.dumps(r))
    client.notify("$/noSuchNotification", {"x": 1})
    r = client.request("textDocument/hover", {"textDocument": 5})
    check(r.get("error", {}).get("code") == -32602, "bad params get InvalidParams", json.dumps(r))

    # A spec with an unknown node attribute, after non-ASCII text on the same line.
    broken = canonical.replace('dwebstackdomain = "kyiv.dcomm.net.ua" }',
                               'dwebstackdomain = "kyiv.dcomm.net.ua", note = "Київ😀" } lables = {}', 1)
    broken = broken.replace("registration = token", "registration = tokn", 1)
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "dcomm", "version": 1, "text": broken}})
    diags = client.diagnostics(uri)
    codes = [d.get("code") for d in diags]
    check("E0305" in codes, "didOpen: the unknown attribute is reported as E0305", json.dumps(diags))
    for d in diags:
        if d.get("code") == "E0305":
            start = position_of(broken, "lables")
            end = {"line": start["line"], "character": start["character"] + len("lables")}
            check(d["range"] == {"start": start, "end": end}, "E0305's range is the attribute name",
                  f"{d['range']} != {start}..{end}")
            check(d["severity"] == 1 and "help:" in d["message"] and "labels" in d["message"],
                  "E0305 is an error with its help", d["message"])

    # The fix: the diagnostics are cleared.
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": canonical}]})
    diags = client.diagnostics(uri)
    check(diags == [], "didChange to the fixed spec: no diagnostics", json.dumps(diags))

    r = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                              "position": position_of(canonical, "registration", 3)})
    value = (r.get("result") or {}).get("contents", {}).get("value", "")
    check("Who may create accounts" in value and "enum(token, open, closed)" in value,
          "hover on registration: type and doc from the synapse kind", value)

    r = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                              "position": position_of(canonical, "= synapse", 4)})
    value = (r.get("result") or {}).get("contents", {}).get("value", "")
    check("Matrix homeserver" in value and "8008/tcp" in value, "hover on a kind: doc and ports", value)

    r = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                   "position": position_of(canonical, "node.worker", 6)})
    loc = r.get("result") or {}
    start = position_of(canonical, 'node "worker"')
    end = position_of(canonical, "  }\n", 3, occurrence=0)
    check(loc.get("uri") == uri and loc.get("range") == {"start": start, "end": end},
          "definition of node.worker: the node block", f"{json.dumps(loc)} != {start}..{end}")

    # Completion on a new empty line inside the service block.
    typing = canonical.replace("    registration = token\n", "    registration = token\n    \n", 1)
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                             "contentChanges": [{"text": typing}]})
    client.diagnostics(uri)
    pos = position_of(typing, "registration = token\n", len("registration = token\n") + 4)
    r = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": pos})
    labels = {item["label"] for item in (r.get("result") or [])}
    check({"federation", "max_upload", "memory"} <= labels and not labels & {"registration", "on", "kind"},
          "completion in a service block: the kind's attributes, less those already set", sorted(labels))
    pos = position_of(typing, "= synapse", 2)
    r = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": pos})
    labels = {item["label"] for item in (r.get("result") or [])}
    check({"synapse", "element", "deltachat"} <= labels, "completion after kind =: the kinds", sorted(labels))

    # Formatting: the canonical text, as `dcommc fmt` writes it.
    messy = canonical.replace("  domain = ", "domain     =   ", 1).replace("    on           = ", "  on = ", 1)
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4},
                                             "contentChanges": [{"text": messy}]})
    client.diagnostics(uri)
    r = client.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                                   "options": {"tabSize": 2, "insertSpaces": True}})
    edits = r.get("result") or []
    check(len(edits) == 1 and edits[0]["newText"] == canonical
          and edits[0]["range"]["start"] == {"line": 0, "character": 0}
          and edits[0]["range"]["end"] == utf16_position(messy, len(messy)),
          "formatting: one edit giving the canonical text", json.dumps(edits)[:400])

    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    check(client.diagnostics(uri) == [], "didClose clears the diagnostics")

    r = client.request("shutdown")
    check("result" in r and r["result"] is None, "shutdown answers null", json.dumps(r))
    client.notify("exit")
    client.proc.stdin.close()


if __name__ == "__main__":
    main()
    sys.exit(1 if failures else 0)
