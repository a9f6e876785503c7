#!/usr/bin/env python3
"""`dcommc lsp` must not read its own protocol stream, or block on a pipe,
because a document imports it: `import "/dev/stdin"` (or a FIFO named
x.dcomm) is reported as a diagnostic, and the server goes on answering.

Usage: special_imports.py path/to/dcommc   (run from the project root)
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import session  # noqa: E402  (the Client and the check helpers)


def main():
    dcommc = sys.argv[1]
    with tempfile.TemporaryDirectory() as work:
        os.mkfifo(os.path.join(work, "pipe.dcomm"))
        uri = "file://" + os.path.join(work, "site.dcomm")
        client = session.Client([dcommc, "lsp"])
        client.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {}})
        client.notify("initialized")
        for target, code in [("/dev/stdin", "E0314"), ("/proc/self/fd/0", "E0314"), ("pipe.dcomm", "E0301"),
                             ("../../etc/passwd.dcomm", "E0313")]:
            text = f'import "{target}"\nsite "a" {{ domain = "a.example.org" }}\n'
            client.notify("textDocument/didOpen",
                          {"textDocument": {"uri": uri, "languageId": "dcomm", "version": 1, "text": text}})
            diagnostics = client.diagnostics(uri) or []
            codes = [d.get("code") for d in diagnostics]
            session.check(code in codes, f"import \"{target}\" is reported as {code}", str(codes))
            answer = client.request("textDocument/hover",
                                    {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 1}})
            session.check(answer is not None and "id" in answer, f"the server still answers after \"{target}\"")
            client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            client.diagnostics(uri)
        session.finish(client)
    sys.exit(1 if session.failures else 0)


if __name__ == "__main__":
    main()
