#!/usr/bin/env python3
"""Every TCP port that accepts a connection on ADDRESS, one per line.

    portscan.py ADDRESS [TIMEOUT]

A plain connect scan of ports 1 to 65535, thousands at a time: on the live
test's LAN a closed port answers at once (RST), and a port a firewall drops
is given TIMEOUT seconds (default 1) before it counts as closed.
"""
import errno
import resource
import selectors
import socket
import sys
import time

BATCH = 4096


def scan(address, ports, timeout):
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    selector = selectors.DefaultSelector()
    pending = {}
    for port in ports:
        s = socket.socket(family, socket.SOCK_STREAM)
        s.setblocking(False)
        status = s.connect_ex((address, port))
        if status not in (0, errno.EINPROGRESS):
            s.close()
            continue
        selector.register(s, selectors.EVENT_WRITE, port)
        pending[port] = s
    found = []
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for key, _ in selector.select(max(0.0, deadline - time.monotonic())):
            s, port = key.fileobj, key.data
            if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                found.append(port)
            selector.unregister(s)
            s.close()
            del pending[port]
    for s in pending.values():
        s.close()
    selector.close()
    return found


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    address, timeout = argv[1], float(argv[2]) if len(argv) == 3 else 1.0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, BATCH + 64)), hard))
    ports = list(range(1, 65536))
    open_ports = []
    for start in range(0, len(ports), BATCH):
        open_ports += scan(address, ports[start:start + BATCH], timeout)
    for port in sorted(open_ports):
        print(port)


if __name__ == "__main__":
    main(sys.argv)
