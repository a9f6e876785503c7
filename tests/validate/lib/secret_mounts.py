#!/usr/bin/env python3
"""Each container of a built site mounts exactly the secrets it reads.

    secret_mounts.py SITEDIR

From the artifacts alone: a container reads a secret file when its
environment, entrypoint or command names the file's path, or a file
mounted into it does (homeserver.yaml's `signing_key_path`, postgres's
POSTGRES_PASSWORD_FILE, mailadm's start script), or when its program reads
that path without being told (PROGRAM_DEFAULTS). Fails (exit 1) for a secret
mounted where nothing reads it, and for a /run/secrets/ path something reads
where no secret is mounted. Prints each container's secrets otherwise.
"""
import os
import re
import sys

import yaml

# Paths programs read unasked: maubot's image starts `maubot -c /data/config.yaml`.
PROGRAM_DEFAULTS = {"/data/config.yaml"}

SECRET_PATH = re.compile(r"/run/secrets/[A-Za-z0-9_.-]+")


def texts_of(site_dir, stack, service):
    """What the container is told: its words, and every file mounted into it."""
    words = list(service.get("entrypoint", [])) + list(service.get("command", []))
    words += [str(v) for v in (service.get("environment") or {}).values()]
    files = {}
    for section in ("configs", "secrets"):
        for mount in service.get(section, []):
            path = os.path.join(site_dir, stack[section][mount["source"]]["file"])
            with open(path, encoding="utf-8", errors="replace") as f:
                files[mount["target"]] = f.read()
    return words, files


def check(site_dir):
    with open(os.path.join(site_dir, "stack.yml"), encoding="utf-8") as f:
        stack = yaml.safe_load(f)
    problems = []
    for name, service in stack["services"].items():
        words, files = texts_of(site_dir, stack, service)
        mounted = [m["target"] for m in service.get("secrets", [])]
        for target in mounted:
            # A file's own text does not count: it must be named elsewhere.
            told = any(target in w for w in words) or any(
                target in text for path, text in files.items() if path != target)
            if not told and target not in PROGRAM_DEFAULTS:
                problems.append(f"{name}: mounts the secret {target}, which nothing of it reads")
        named = set()
        for text in words + list(files.values()):
            named |= set(SECRET_PATH.findall(text))
        for path in sorted(named - set(mounted)):
            problems.append(f"{name}: reads {path}, which is not mounted into it")
        print(f"{name}: {', '.join(mounted) or 'no secrets'}")
    return problems


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    problems = check(argv[1])
    for problem in problems:
        print("FAIL:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
