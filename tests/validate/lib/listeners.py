#!/usr/bin/env python3
"""Where a built site listens, derived from its artifacts alone.

    listeners.py SITEDIR            print every listening socket, per node
    listeners.py --check SITEDIR    also check them against the nftables files

Each container's sockets come from the file that configures them, as its
program reads it: Caddy's site addresses and global ports in the Caddyfile,
Synapse's `listeners` in homeserver.yaml, nginx's `listen` lines, postfix's
`inet` services in master.cf with main.cf's `inet_interfaces`, dovecot's
`listen` and `inet_listener` blocks, gunicorn's `-b` in mailadm's start
script, maubot's `server` section, tor's `SocksPort` (9050 on the loopback
when absent), and postgres's `-c listen_addresses` in the stack's command
(the image listens on every address without it). A container whose image
configures itself (CENO) is listed with the ports the stack publishes for it
and marked so. Under host networking the sockets are the node's; on an
overlay network each container has its own, and the node has only the
ports the stack publishes.

A line: NODE ADDRESS:PORT/PROTO CONTAINER (SOURCE). ADDRESS * is every
address of the node. --check fails (exit 1) when a socket on an address
other than the loopback is not opened by the node's nftables/NODE.nft, or
when that file opens a port (besides SSH and Docker Swarm's) nothing on the
node listens on.
"""
import os
import re
import shlex
import sys

import yaml

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
SWARM_AND_SSH = {("tcp", 22), ("tcp", 2377), ("tcp", 7946), ("udp", 7946), ("udp", 4789)}
POSTFIX_SERVICES = {"smtp": 25, "submission": 587, "smtps": 465, "submissions": 465}


class Listener:
    def __init__(self, address, port, proto, source):
        self.address, self.port, self.proto, self.source = address, int(port), proto, source

    def public(self):
        return self.address not in LOOPBACK


def read(site_dir, relative):
    with open(os.path.join(site_dir, relative), encoding="utf-8") as f:
        return f.read()


# ------------------------------------------------------------------ nodes

def node_labels(site_dir):
    """labels.sh: `# node NAME: ...` then its `--label-add 'K=V'` lines."""
    nodes, current = {}, None
    for line in read(site_dir, "labels.sh").splitlines():
        m = re.match(r"# node ([A-Za-z0-9_-]+):", line)
        if m:
            current = m.group(1)
            nodes[current] = {}
        for key, value in re.findall(r"--label-add '([^=]+)=([^']*)'", line):
            nodes[current][key] = value
    return nodes


def node_of(service, nodes):
    rules = service.get("deploy", {}).get("placement", {}).get("constraints", [])
    wanted = dict(re.match(r"node\.labels\.(\S+) == (.*)", r).groups() for r in rules)
    matches = [n for n, labels in nodes.items() if all(labels.get(k) == v for k, v in wanted.items())]
    if len(matches) != 1:
        sys.exit(f"listeners: constraints {rules} match nodes {matches}, not one")
    return matches[0]


# ------------------------------------------------------------------ each program's own configuration

def caddy(text, _):
    ports = {"http": 80, "https": 443}
    for key in ports:
        m = re.search(rf"^\t{key}_port (\d+)$", text, re.M)
        if m:
            ports[key] = int(m.group(1))
    found = set()
    redirects = not re.search(r"^\tauto_https (off|disable_redirects)$", text, re.M)
    for line in text.splitlines():
        if not line or line[0] in "\t#{}" or not line.endswith("{"):
            continue
        for address in line[:-1].replace(",", " ").split():
            scheme = "http" if address.startswith("http://") else "https"
            host = address.split("://")[-1]
            m = re.search(r":(\d+)$", host)
            found.add(int(m.group(1)) if m else ports[scheme])
            if scheme == "https" and redirects:  # automatic HTTPS redirects from HTTP
                found.add(ports["http"])
    out = [Listener("*", p, "tcp", "Caddyfile site addresses") for p in sorted(found)]
    if not re.search(r"^\tadmin ", text, re.M):
        out.append(Listener("localhost", 2019, "tcp", "Caddyfile: the admin API's default"))
    return out


def synapse(text, _):
    out = []
    for listener in yaml.safe_load(text).get("listeners", []):
        for address in listener.get("bind_addresses", ["::", "0.0.0.0"]):
            out.append(Listener(address, listener["port"], "tcp", "homeserver.yaml listeners"))
    return out


def nginx(text, _):
    out = []
    for m in re.finditer(r"^\s*listen\s+([^;\s]+)[^;]*;", text, re.M):
        value = m.group(1)
        address, _, port = value.rpartition(":")
        out.append(Listener(address.strip("[]") or "*", port or value, "tcp", "nginx.conf listen"))
    return out


def postfix(master, main):
    interfaces = re.search(r"^inet_interfaces\s*=\s*(.*)$", main, re.M)
    addresses = [a.strip() for a in (interfaces.group(1) if interfaces else "all").split(",")]
    addresses = ["*" if a == "all" else a for a in addresses]
    out = []
    for line in master.splitlines():
        fields = line.split()
        if len(fields) < 2 or line[0] in " \t#" or fields[1] != "inet":
            continue
        host, _, service = fields[0].rpartition(":")
        port = POSTFIX_SERVICES.get(service) or int(service)
        for address in [host] if host else addresses:
            out.append(Listener(address, port, "tcp", f"master.cf {fields[0]}"))
    return out


def dovecot(text, _):
    m = re.search(r"^listen\s*=\s*(.*)$", text, re.M)
    default = [a.strip() for a in (m.group(1) if m else "*, ::").split(",")]
    out = []
    for name, body in re.findall(r"inet_listener (\w+) \{(.*?)\}", text, re.S):
        port = re.search(r"port\s*=\s*(\d+)", body)
        address = re.search(r"address\s*=\s*(\S+)", body)
        if not port or port.group(1) == "0":
            continue
        for a in [address.group(1)] if address else default:
            out.append(Listener("*" if a == "::" else a, port.group(1), "tcp", f"dovecot.conf {name}"))
    return out


def gunicorn(text, _):
    m = re.search(r"gunicorn -b (\S+):(\d+)", text)
    address = m.group(1)
    return [Listener("*" if address == "0.0.0.0" else address, m.group(2), "tcp", "start.sh gunicorn -b")]


def maubot(text, _):
    server = yaml.safe_load(text)["server"]
    address = server["hostname"]
    return [Listener("*" if address == "0.0.0.0" else address, server["port"], "tcp", "config.yaml server")]


def tor(text, _):
    socks = re.findall(r"^SocksPort\s+(\S+)", text, re.M)
    out = []
    for value in socks or ["127.0.0.1:9050"]:
        if value == "0":
            continue
        address, _, port = value.rpartition(":")
        out.append(Listener(address or "127.0.0.1", port or value, "tcp", "torrc SocksPort"))
    return out


# Images dcommc writes no configuration for, by the last part of their
# name (a mirror or the live test's image keeps it), as their documentation
# says they listen under host networking: CENO's proxy and front end on the
# loopback (censorship-no/ceno-docker-client), its peer-to-peer port on
# every address.
SELF_CONFIGURED = {
    "ceno": [("127.0.0.1", 8077, "tcp"), ("127.0.0.1", 8078, "tcp"), ("*", 28729, "udp")],
}

# What configures each program: a file mounted at a target ending so (and,
# for postfix, main.cf beside master.cf).
BY_TARGET = [
    ("/Caddyfile", caddy, None),
    ("/homeserver.yaml", synapse, None),
    ("/default.conf.template", nginx, None),
    ("/master.cf", postfix, "/main.cf"),
    ("/dovecot.conf", dovecot, None),
    ("/mailadm-start", gunicorn, None),
    ("/config.yaml", maubot, None),
    ("/torrc", tor, None),
]


def postgres(service):
    words = service.get("command", [])
    address = "*"
    for word in words:
        if word.startswith("listen_addresses="):
            address = word.split("=", 1)[1].strip("'")
    return [Listener(address, 5432, "tcp", "stack.yml command" if words else "the image's postgresql.conf")]


def image_name(service):
    """"ceno-client" for equalitie/ceno-client:v0.21.2, "postgres" for postgres:16.4-alpine."""
    return service["image"].split("/")[-1].split(":")[0].split("@")[0]


def mounted_files(site_dir, stack, service):
    """{target: text} of the configs and secrets mounted into a service."""
    files = {}
    for section in ("configs", "secrets"):
        for mount in service.get(section, []):
            relative = stack[section][mount["source"]]["file"]
            path = os.path.join(site_dir, relative)
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as f:
                    files[mount["target"]] = f.read()
    return files


def container_listeners(site_dir, stack, name, service):
    files = mounted_files(site_dir, stack, service)
    out = []
    for suffix, parse, companion in BY_TARGET:
        for target, text in files.items():
            if target.endswith(suffix):
                other = next((t for tg, t in files.items() if companion and tg.endswith(companion)), "")
                out += parse(text, other)
    if image_name(service) == "postgres":
        out += postgres(service)
    name = image_name(service)
    own = next((sockets for prefix, sockets in SELF_CONFIGURED.items() if name.startswith(prefix)), [])
    for address, port, proto in own:
        out.append(Listener(address, port, proto, "the image's own configuration"))
    if not out:  # a kind of the spec's own: its image alone knows
        out = [Listener("?", 0, "tcp", "its image's own configuration, which no artifact says")]
    return out


# ------------------------------------------------------------------ the node's view

def node_sockets(site_dir):
    stack = yaml.safe_load(read(site_dir, "stack.yml"))
    nodes = node_labels(site_dir)
    lines = []
    for name, service in stack["services"].items():
        node = node_of(service, nodes)
        listeners = container_listeners(site_dir, stack, name, service)
        if "host" in service.get("networks", []):
            for l in listeners:
                lines.append((node, l.address, l.port, l.proto, name, l.source))
            continue
        for l in listeners:  # in the container's own network namespace
            lines.append((node, "container", l.port, l.proto, name, f"{l.address}, {l.source}"))
        for p in service.get("ports", []):
            lines.append((node, "*", int(p["published"]), p["protocol"], name, "stack.yml ports"))
    return nodes, sorted(set(lines), key=lambda l: (l[0], l[1] == "container", l[3], l[2], l[1], l[4], l[5]))


def opened_ports(site_dir, node):
    """The ports nftables/NODE.nft accepts from any source."""
    opened = set()
    for line in read(site_dir, f"nftables/{node}.nft").splitlines():
        m = re.match(r"\s*(tcp|udp) dport \{?\s*([\d, ]+?)\s*\}? (accept|meta mark set)", line)
        if m:
            opened |= {(m.group(1), int(p)) for p in m.group(2).split(",")}
    return opened


def check(site_dir, nodes, lines):
    problems = []
    for node in nodes:
        opened = opened_ports(site_dir, node)
        public = [line for line in lines if line[0] == node and line[1] not in LOOPBACK | {"container", "?"}]
        reachable = {(proto, port) for _, _, port, proto, _, _ in public}
        for n, address, port, proto, name, source in public:
            if (proto, port) not in opened:
                problems.append(f"{node}: {name} listens on {address}:{port}/{proto} ({source}), "
                                f"which nftables/{node}.nft does not open: an internal port on a public address")
        if any(line[0] == node and line[1] == "?" for line in lines):
            continue  # a container of the spec's own kind may listen on any of them
        for proto, port in sorted(opened - reachable - SWARM_AND_SSH):
            problems.append(f"{node}: nftables/{node}.nft opens {port}/{proto}, where nothing listens")
    return problems


def main(argv):
    checking = argv[1:2] == ["--check"]
    args = argv[2:] if checking else argv[1:]
    if len(args) != 1:
        sys.exit(__doc__)
    site_dir = args[0]
    nodes, lines = node_sockets(site_dir)
    for node, address, port, proto, name, source in lines:
        where = f"[{address}]" if ":" in address else address
        print(f"{node:<8} {where + ':' + str(port) + '/' + proto:<24} {name:<14} ({source})")
    if checking:
        problems = check(site_dir, nodes, lines)
        for problem in problems:
            print("FAIL:", problem, file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
