#!/usr/bin/env python3
"""After a ctest run: every test that took more than half its timeout.

No test may run within 2x of its timeout, so that a busy machine (CI's
two cores, a developer's laptop) cannot turn a slow pass into a timeout.
Prints one line per slow test and the slowest five; exits 1 if any test
took more than half its timeout.

Usage: timing_check.py BUILD_DIR DEFAULT_TIMEOUT_SECONDS
"""
import json
import re
import subprocess
import sys


def timeouts(build_dir, default):
    """{test name: timeout in seconds}, from ctest's own description."""
    shown = subprocess.run(["ctest", "--test-dir", build_dir, "--show-only=json-v1"], capture_output=True,
                           text=True, check=True)
    out = {}
    for test in json.loads(shown.stdout).get("tests", []):
        timeout = default
        for prop in test.get("properties", []):
            if prop.get("name") == "TIMEOUT":
                timeout = float(prop["value"])
        out[test["name"]] = timeout
    return out


def durations(build_dir):
    """{test name: seconds} of the last run, from LastTest.log."""
    out = {}
    name = None
    with open(f"{build_dir}/Testing/Temporary/LastTest.log", encoding="utf-8", errors="replace") as log:
        for line in log:
            started = re.match(r"^\d+/\d+ Testing: (.*)$", line)
            if started:
                name = started.group(1).strip()
            took = re.match(r"^Test time =\s*([0-9.]+) sec", line)
            if took and name is not None:
                out[name] = float(took.group(1))
                name = None
    return out


def main():
    build_dir, default = sys.argv[1], float(sys.argv[2])
    took = durations(build_dir)  # first: `ctest --show-only` rewrites LastTest.log
    limits = timeouts(build_dir, default)
    slow = [(t, n) for n, t in took.items() if t > limits.get(n, default) / 2]
    for seconds, name in sorted(slow, reverse=True):
        print(f"timing: SLOW {name}: {seconds:.0f} s, more than half its {limits.get(name, default):.0f} s timeout")
    slowest = sorted(((t, n) for n, t in took.items()), reverse=True)[:5]
    print("timing: slowest: " + ", ".join(f"{n} {t:.0f}s/{limits.get(n, default):.0f}s" for t, n in slowest))
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
