#!/usr/bin/env python3
"""How fast `dcommc lsp` answers on a large spec, against `dcommc check` on it.

    tests/perf/lsp_bench.py DCOMMC [SITES] [RUNS]

Writes a fleet of SITES sites (1000 by default) with gen_fleet.py, times
`dcommc check` on it (the median of RUNS runs), then starts `dcommc lsp`,
opens the spec (the server checks it and builds its symbol table: the time
until its diagnostics arrive) and asks, RUNS times each, for hover,
go-to-definition, references and completion in the last site, where a
request that walked the text or the sites from the top would cost most.
Prints one table, each time also as a ratio to `check`'s. Exits 1 if any
request's median is not below check's time: the editor must answer from the
check's results, not by doing a check's work again.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Server:
    def __init__(self, dcommc):
        self.process = subprocess.Popen([dcommc, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 1

    def send(self, message):
        self.process.stdin.write(frame(message))
        self.process.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("dcommc lsp closed its output")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.process.stdout.read(length))

    def request(self, method, params):
        """The response to one request, and how long it took."""
        self.next_id += 1
        start = time.perf_counter()
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id:
                return message, time.perf_counter() - start

    def wait_for(self, method):
        while True:
            message = self.read()
            if message.get("method") == method:
                return message

    def close(self):
        self.request("shutdown", None)
        self.send({"jsonrpc": "2.0", "method": "exit"})
        self.process.wait(timeout=30)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    dcommc = os.path.abspath(sys.argv[1])
    sites = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    folder = tempfile.mkdtemp(prefix="dcommc-lsp-bench-")
    spec = os.path.join(folder, "fleet.dcomm")
    with open(spec, "w") as out:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_fleet.py"), str(sites)], stdout=out, check=True)
    text = open(spec).read()
    lines = text.split("\n")

    check_times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([dcommc, "check", "-q", spec], check=True)
        check_times.append(time.perf_counter() - start)
    check = statistics.median(check_times)

    # The last site: its `extends = template.X` line and its first node.
    last = max(i for i, line in enumerate(lines) if line.startswith("site "))
    extends = next(i for i in range(last, len(lines)) if "extends" in lines[i])
    node = next(i for i in range(last, len(lines)) if lines[i].strip().startswith("node "))
    uri = "file://" + spec
    at = lambda line, character: {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}
    requests = [
        ("hover on template.NAME", "textDocument/hover", at(extends, lines[extends].index("template.") + 3)),
        ("go to its definition", "textDocument/definition", at(extends, lines[extends].index("template.") + 3)),
        ("hover on a node's name", "textDocument/hover", at(node, lines[node].index('"') + 2)),
        ("references to that node", "textDocument/references", at(node, lines[node].index('"') + 2)),
        ("completion of a statement", "textDocument/completion", at(extends, 2)),
        ("completion after extends =", "textDocument/completion", at(extends, lines[extends].index("=") + 2)),
    ]

    server = Server(dcommc)
    server.request("initialize", {"capabilities": {}})
    server.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    start = time.perf_counter()
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                 "params": {"textDocument": {"uri": uri, "languageId": "dcomm", "version": 1, "text": text}}})
    diagnostics = server.wait_for("textDocument/publishDiagnostics")
    opened = time.perf_counter() - start
    if diagnostics["params"]["diagnostics"]:
        sys.exit(f"the fleet spec has problems: {diagnostics['params']['diagnostics'][:3]}")

    rows = [("dcommc check (the reference)", check, None), ("lsp: open and check the document", opened, None)]
    slow = []
    for name, method, params in requests:
        times = []
        for _ in range(runs):
            response, took = server.request(method, params)
            if not response.get("result"):
                sys.exit(f"{name}: no answer: {response}")
            times.append(took)
        rows.append((name, statistics.median(times), max(times)))
        if statistics.median(times) >= check:
            slow.append(name)
    server.close()

    print(f"dcommc lsp on a fleet of {sites} sites ({len(text) / 1e6:.1f} MB, {len(lines)} lines), median of {runs}")
    print(f"{'':36} {'median':>10} {'max':>10} {'/ check':>9}")
    for name, median, worst in rows:
        worst_text = f"{worst * 1000:8.2f}ms" if worst is not None else ""
        print(f"{name:36} {median * 1000:8.2f}ms {worst_text:>10} {median / check:8.4f}x")
    if slow:
        sys.exit(f"slower than check: {', '.join(slow)}")


if __name__ == "__main__":
    main()
