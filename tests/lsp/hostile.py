#!/usr/bin/env python3
"""`dcommc lsp` on hostile messages: each gets the answer the protocol
prescribes (or none, for a notification), and the server goes on serving.

Usage: hostile.py path/to/dcommc   (run from the project root)
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import session  # noqa: E402  (the Client and the check helpers)


def still_answers(client, after):
    reply = client.request("textDocument/hover", {"textDocument": {"uri": "file:///none.dcomm"},
                                                  "position": {"line": 0, "character": 0}})
    session.check(reply is not None and "id" in reply, f"the server still answers after {after}")


def error_code(client):
    """The next error response with id null: a message the server could not read."""
    reply = client.wait(lambda m: m.get("id", 0) is None and "error" in m)
    return reply["error"]["code"]


def main():
    client = session.Client([sys.argv[1], "lsp"])
    client.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {}})
    client.notify("initialized")

    deep = '{"jsonrpc":"2.0","id":99,"method":"initialize","params":' + "[" * 300000 + "]" * 300000 + "}"
    client.send_raw(deep.encode())
    session.check(error_code(client) == -32700, "a message nested 300,000 deep is a parse error (-32700)")
    still_answers(client, "300,000 nested arrays")

    client.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % (20 << 20) + b" " * (20 << 20))
    client.proc.stdin.flush()
    session.check(error_code(client) == -32700, "a 20 MiB message is refused (-32700)")
    still_answers(client, "a 20 MiB message")

    for name, raw in [("a header without Content-Length", b"X-Nothing: 1\r\n\r\n"),
                      ("a Content-Length that is no number", b"Content-Length: lots\r\n\r\n"),
                      ("a Content-Length of 2^64", b"Content-Length: 18446744073709551616\r\n\r\n")]:
        client.proc.stdin.write(raw)
        client.proc.stdin.flush()
        session.check(error_code(client) == -32700, f"{name} is a parse error (-32700)")
        still_answers(client, name)

    for name, message, code in [
            ("a body that is not JSON", "{not json", -32700),
            ("a batch", "[1, 2]", -32600),
            ("params of the wrong type", json.dumps({"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover",
                                                     "params": {"textDocument": 5}}), None)]:
        client.send_raw(message.encode())
        if code is None:
            reply = client.wait(lambda m: m.get("id") == 7)
            session.check("error" in reply or "result" in reply, f"{name} gets an answer", json.dumps(reply))
        else:
            session.check(error_code(client) == code, f"{name} is answered with {code}")
        still_answers(client, name)

    session.finish(client)
    sys.exit(1 if session.failures else 0)


if __name__ == "__main__":
    main()
