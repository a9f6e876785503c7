#!/usr/bin/env python3
"""The live test's Matrix user: the real matrix-nio client against a
compiled site's Synapse, through its Caddy, as Element would talk to it.

Runs inside the live test's Synapse image (Debian's python3-matrix-nio),
on the host network of the swarm node. Prints one line per check, "ok: ..."
or "FAIL: ...", and exits 1 if any check failed. Never prints a secret:
passwords and the registration token stay in files and in memory.

    matrix_check.py site|upload-limit --base URL --server NAME --cafile CA
                         --admin-base URL --admin-password-file FILE
                         --upload-size BYTES
    matrix_check.py federate|survived --a-base URL --a-server NAME --a-password-file FILE
                                      --b-base URL --b-server NAME --b-password-file FILE
                                      --cafile CA

`site`: Synapse's admin API is not reachable through Caddy; the admin
(registered beforehand with the compiled registration secret) makes a
registration token with it on the node's own listener (--admin-base, as an
operator would on the server); registration
without it, or with a wrong one, is refused; a user registers with it by
the real interactive flow (token, then dummy); Synapse reports the upload
limit the spec compiled; the user creates a room, sends a message and
reads it back from the database.

`upload-limit`: after a redeploy, the admin (so the database survived it)
sees the upload limit the new spec compiled.

`federate`: @federator of site A (registered beforehand) creates a room
with an alias, published in A's room directory; @federator of site B
joins it by that alias, over federation; a message sent on A is read on B
and one sent on B is read on A; B's server lists the room when asked for
A's room directory.

`survived` (same options as federate): after a redeploy, each
@federator logs in on its own site and reads both messages of the
federated room.
"""

import argparse
import asyncio
import json
import secrets
import ssl
import sys

import logging

import aiohttp
from nio import (AsyncClient, AsyncClientConfig, JoinResponse, LoginResponse, RegisterResponse,
                 RoomCreateResponse, RoomMessagesResponse, RoomSendResponse, RoomVisibility)

import checks
from checks import check, fail, ok

# nio logs what it cannot parse, such as the refusal of a wrong token,
# which is an expected answer here: the checks say what happened.
logging.getLogger("nio").setLevel(logging.CRITICAL)
# nio retries a request that times out or is rate limited for ever by
# default: a check must fail in bounded time instead.
CONFIG = AsyncClientConfig(max_limit_exceeded=3, max_timeouts=2, request_timeout=30,
                           max_timeout_retry_wait_time=5)



class Site:
    """One homeserver as its users reach it: a base URL behind Caddy."""

    def __init__(self, base, server, tls, admin_base=None):
        self.base = base.rstrip("/")
        self.server = server
        self.tls = tls
        self.admin_base = (admin_base or base).rstrip("/")

    def client(self, localpart=""):
        user = f"@{localpart}:{self.server}" if localpart else ""
        return AsyncClient(self.base, user, ssl=self.tls, config=CONFIG)

    async def http(self, method, path, body=None, token=None, base=None):
        """A raw request, for what nio has no call for: (status, JSON
        object); a body that is not a JSON object comes back as {"body": text}."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        timeout = aiohttp.ClientTimeout(total=CONFIG.request_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.request(method, (base or self.base) + path, json=body,
                                       headers=headers, ssl=self.tls) as answer:
                text = await answer.text()
                try:
                    parsed = json.loads(text)
                except json.JSONDecodeError:
                    parsed = None
                return answer.status, parsed if isinstance(parsed, dict) else {"body": text[:200]}


async def login(site, localpart, password):
    client = site.client(localpart)
    answer = await client.login(password, device_name="dcomms live test")
    if not check(isinstance(answer, LoginResponse), f"{client.user} logs in", answer):
        await client.close()
        return None
    return client


async def new_registration_token(site, admin):
    path = "/_synapse/admin/v1/registration_tokens/new"
    status, answer = await site.http("POST", path, {"uses_allowed": 1}, admin.access_token)
    # Caddy answers a path it does not route with an empty 200.
    check("token" not in answer, "Synapse's admin API is not reachable through Caddy",
          f"{site.base}{path} made a token")
    status, answer = await site.http("POST", path, {"uses_allowed": 1}, admin.access_token,
                                     base=site.admin_base)
    check(status == 200 and "token" in answer,
          f"the admin makes a registration token with Synapse's admin API at {site.admin_base}",
          f"HTTP {status} {answer}")
    return answer.get("token", "")


async def registration_is_guarded(site):
    """Without a token, Synapse names the token stage in every flow."""
    status, answer = await site.http("POST", "/_matrix/client/v3/register",
                                     {"username": "intruder", "password": secrets.token_urlsafe(16)})
    flows = [flow.get("stages", []) for flow in answer.get("flows", [])]
    check(status == 401 and flows and all("m.login.registration_token" in f for f in flows),
          "registration without a token is refused: every flow needs m.login.registration_token",
          f"HTTP {status}, flows {flows}")
    client = site.client()
    answer = await client.register_with_token("intruder", secrets.token_urlsafe(16),
                                              "not-the-token")
    await client.close()
    check(not isinstance(answer, RegisterResponse),
          "registration with a wrong token is refused", "it succeeded")


async def register(site, localpart, token):
    client = site.client()
    password = secrets.token_urlsafe(16)
    answer = await client.register_with_token(localpart, password, token,
                                              device_name="dcomms live test")
    if not check(isinstance(answer, RegisterResponse),
                 f"@{localpart}:{site.server} registers with the token "
                 "(interactive auth: token, then dummy)", answer):
        await client.close()
        return None
    return client


async def upload_limit_is(site, client, expected):
    status, answer = await site.http("GET", "/_matrix/client/v1/media/config",
                                     token=client.access_token)
    check(status == 200 and answer.get("m.upload.size") == expected,
          f"Synapse's upload limit is the compiled max_upload: {expected} bytes",
          f"HTTP {status} {answer}")


async def message_round_trip(client, text):
    room = await client.room_create(name="dcomms live test")
    if not check(isinstance(room, RoomCreateResponse), f"{client.user_id} creates a room", room):
        return
    sent = await client.room_send(room.room_id, "m.room.message",
                                  {"msgtype": "m.text", "body": text})
    if not check(isinstance(sent, RoomSendResponse), f"{client.user_id} sends a message", sent):
        return
    history = await client.room_messages(room.room_id, start="", limit=20)
    bodies = [getattr(event, "body", None) for event in getattr(history, "chunk", [])]
    check(isinstance(history, RoomMessagesResponse) and text in bodies,
          "the message reads back from the room's history", f"{history}")


async def check_site(args, tls):
    site = Site(args.base, args.server, tls, args.admin_base)
    with open(args.admin_password_file, encoding="utf-8") as file:
        admin_password = file.read().strip()
    admin = await login(site, "admin", admin_password)
    if admin is None:
        return
    token = await new_registration_token(site, admin)
    await admin.close()
    await registration_is_guarded(site)
    user = await register(site, "alice", token)
    if user is None:
        return
    await upload_limit_is(site, user, args.upload_size)
    await message_round_trip(user, f"hello from the live test {secrets.token_hex(4)}")
    await user.close()


async def check_upload_limit(args, tls):
    site = Site(args.base, args.server, tls)
    with open(args.admin_password_file, encoding="utf-8") as file:
        admin = await login(site, "admin", file.read().strip())
    if admin is not None:
        await upload_limit_is(site, admin, args.upload_size)
        await admin.close()


def read_secret(path):
    with open(path, encoding="utf-8") as file:
        return file.read().strip()


async def bodies_of(client, room_id):
    history = await client.room_messages(room_id, start="", limit=50)
    return [getattr(event, "body", None) for event in getattr(history, "chunk", [])]


async def reads(client, room_id, text, seconds=60):
    """True once `text` is in the room's history as `client` sees it."""
    for _ in range(seconds // 2):
        if text in await bodies_of(client, room_id):
            return True
        await asyncio.sleep(2)
    return False


async def check_federation(args, tls):
    a = Site(args.a_base, args.a_server, tls)
    b = Site(args.b_base, args.b_server, tls)
    alice = await login(a, "federator", read_secret(args.a_password_file))
    bob = await login(b, "federator", read_secret(args.b_password_file))
    try:
        if alice and bob:
            await federation_round_trip(a, b, alice, bob)
    finally:
        for client in (alice, bob):
            if client:
                await client.close()


async def federation_round_trip(a, b, alice, bob):
    local = f"federation-{secrets.token_hex(3)}"
    room = await alice.room_create(visibility=RoomVisibility.public, alias=local,
                                   name="dcomms federation test")
    if not check(isinstance(room, RoomCreateResponse),
                 f"{alice.user_id} creates a room #{local}:{a.server} in the room directory", room):
        return
    alias = f"#{local}:{a.server}"
    # The first contact between the servers discovers each other (well-known,
    # DNS, TLS from the federation's CA) and fetches keys: allow 90 s.
    deadline = asyncio.get_running_loop().time() + 90
    answer = await bob.join(alias)
    while not isinstance(answer, JoinResponse) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(5)
        answer = await bob.join(alias)
    if not check(isinstance(answer, JoinResponse),
                 f"{bob.user_id} joins {alias} over federation", answer):
        return
    to_b = f"from {a.server} to {b.server}: {secrets.token_hex(4)}"
    sent = await alice.room_send(room.room_id, "m.room.message", {"msgtype": "m.text", "body": to_b})
    check(isinstance(sent, RoomSendResponse) and await reads(bob, room.room_id, to_b),
          f"a message sent on {a.server} is read on {b.server}", sent)
    to_a = f"from {b.server} to {a.server}: {secrets.token_hex(4)}"
    sent = await bob.room_send(room.room_id, "m.room.message", {"msgtype": "m.text", "body": to_a})
    check(isinstance(sent, RoomSendResponse) and await reads(alice, room.room_id, to_a),
          f"a message sent on {b.server} is read on {a.server}", sent)
    status, directory = await b.http("GET", f"/_matrix/client/v3/publicRooms?server={a.server}",
                                     token=bob.access_token)
    listed = [entry.get("room_id") for entry in directory.get("chunk", [])]
    check(status == 200 and room.room_id in listed,
          f"{b.server} lists the room in {a.server}'s room directory",
          f"HTTP {status}, rooms {listed}, {directory.get('error', '')}")


async def check_survival(args, tls):
    """After a redeploy: each federator still reads both messages of the
    federated room, on its own site."""
    a = Site(args.a_base, args.a_server, tls)
    b = Site(args.b_base, args.b_server, tls)
    for site, password_file in ((a, args.a_password_file), (b, args.b_password_file)):
        client = await login(site, "federator", read_secret(password_file))
        if client is None:
            continue
        try:
            joined = await client.joined_rooms()
            histories = [await bodies_of(client, room_id) for room_id in getattr(joined, "rooms", [])]
            both = any(any(str(body).startswith(f"from {a.server} to {b.server}:") for body in bodies) and
                       any(str(body).startswith(f"from {b.server} to {a.server}:") for body in bodies)
                       for bodies in histories)
            check(both, f"{client.user_id} still reads both messages of the federated room",
                  f"its rooms' histories: {histories}")
        finally:
            await client.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, what in (("site", "registration, limits and a room on one site"),
                       ("upload-limit", "the upload limit, as the admin sees it")):
        command = commands.add_parser(name, help=what)
        command.add_argument("--base", required=True, help="the client API's base URL")
        command.add_argument("--server", required=True, help="Synapse's server_name")
        command.add_argument("--cafile", required=True,
                             help="the CA that signed Caddy's certificates")
        command.add_argument("--admin-base", required=True,
                             help="Synapse's own listener, for the admin API")
        command.add_argument("--admin-password-file", required=True)
        command.add_argument("--upload-size", type=int, required=True)
    for name, what in (("federate", "two sites' users in one room, over federation"),
                       ("survived", "after a redeploy, the federated room's messages on both sites")):
        federate = commands.add_parser(name, help=what)
        for side in ("a", "b"):
            federate.add_argument(f"--{side}-base", required=True, help="the client API's base URL")
            federate.add_argument(f"--{side}-server", required=True, help="Synapse's server_name")
            federate.add_argument(f"--{side}-password-file", required=True,
                                  help="the password of @federator, registered beforehand")
        federate.add_argument("--cafile", required=True, help="the federation's root certificate")
    args = parser.parse_args()
    tls = ssl.create_default_context(cafile=args.cafile)
    run = {"site": check_site, "upload-limit": check_upload_limit,
           "federate": check_federation, "survived": check_survival}[args.command]
    try:
        asyncio.run(run(args, tls))
    except Exception as error:  # a crash is a failed check, said as one
        fail(f"{args.command}: {type(error).__name__}: {error}")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
