"""mailadm's sign-up as a WSGI app, run by Debian's real gunicorn as
`gunicorn mailadm.app:app`. Caddy strips /new_email, so, as mailadm's own
Flask app, it answers POST / with ?t=TOKEN."""

import json
from urllib.parse import parse_qs

import mailadm


def answer(start_response, status, body):
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def refuse(start_response, status, reason):
    code = int(status.split()[0])
    return answer(start_response, status, {"type": "error", "status_code": code, "reason": reason})


def app(environ, start_response):
    if environ.get("PATH_INFO", "/") not in ("", "/"):
        return refuse(start_response, "404 Not Found", "not found")
    if environ["REQUEST_METHOD"] != "POST":
        return refuse(start_response, "405 Method Not Allowed", "POST only")
    token = parse_qs(environ.get("QUERY_STRING", "")).get("t", [None])[0]
    if token is None:
        return refuse(start_response, "403 Forbidden", "?t (token) parameter not specified")
    db = mailadm.connect()
    try:
        with db:
            account = mailadm.add_account(db, token)
    except mailadm.SignUpRefused as refused:
        return refuse(start_response, "403 Forbidden", str(refused))
    finally:
        db.close()
    return answer(start_response, "200 OK", account)
