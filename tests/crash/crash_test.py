#!/usr/bin/env python3
"""Kill dcommc at random points of first builds and rebuilds, then check
that the next build repairs everything: it exits 0, every secret a killed
build left is kept byte for byte, every secret is complete, and no
temporary file is left. A build may also stop with a clear error instead,
but never exit 0 with a damaged secret.

Kills come two ways: strace stops the build at the Nth call of a chosen
system call (write, rename, openat, fsync, ...), which reaches every step
of the write path; and a timer, which needs no strace and kills a build
running at full speed.

With --spec tests/validate/specs/offline.dcomm the sites have tls =
internal, so the federation's certificate authority (federation-ca/root.key)
and each site's intermediate are among the secrets checked.

Usage: crash_test.py DCOMMC [--runs N] [--seed S] [--spec SPEC]
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC = os.path.join(ROOT, "examples", "federation.dcomm")
SYSCALLS = ["write", "openat", "rename", "unlink", "fsync", "syncfs", "mkdir", "chmod", "fchmod", "close"]
ROTATED = "synapse_macaroon_key"


def build(dcommc, out, extra=(), wrap=(), timeout=120):
    return subprocess.run([*wrap, dcommc, SPEC, "-o", out, *extra], capture_output=True, text=True,
                          timeout=timeout)


# The federation's root: the key and its certificate, one secret file.
ROOT_KEY = os.path.join("federation-ca", "root.key")


def is_temporary(name):
    return re.search(r"\.dcommc-......$", name) is not None


def secrets(out):
    """Each site's raw secrets and generations.json (the files directly in
    OUT/SITE/secrets/, temporary files aside), by path: {path: bytes}.
    Files in its subfolders are made from these, and are remade."""
    found = {}
    root_key = os.path.join(out, ROOT_KEY)
    if os.path.isfile(root_key):
        with open(root_key, "rb") as f:
            found[ROOT_KEY] = f.read()
    for site in sorted(os.listdir(out)) if os.path.isdir(out) else []:
        if is_temporary(site):
            continue  # a new site's folder before its commit: never read, removed by the next build
        folder = os.path.join(out, site, "secrets")
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not is_temporary(name):
                with open(path, "rb") as f:
                    found[os.path.relpath(path, out)] = f.read()
    return found


def leftovers(out):
    return [os.path.join(d, n) for d, _, files in os.walk(out) for n in files if is_temporary(n)]


def syscall_counts(dcommc, out, extra):
    """How often a whole build calls each syscall: the range to kill in."""
    with tempfile.NamedTemporaryFile("r") as report:
        build(dcommc, out, extra, ["strace", "-f", "-c", "-o", report.name, "-e", "trace=" + ",".join(SYSCALLS)])
        counts = {}
        for line in report.read().splitlines():
            fields = line.split()
            if len(fields) >= 5 and fields[-1] in SYSCALLS and fields[3].isdigit():
                counts[fields[-1]] = int(fields[3])
    return counts


class Checker:
    def __init__(self, dcommc, reference):
        self.dcommc = dcommc
        self.reference = reference  # a complete build's secrets, for their lengths
        self.failed = 0

    def complete(self, path, content):
        """A raw secret is complete when it has its format's length (PEM,
        whose length varies with its signature, when every block it opens
        ends); generations.json when it parses."""
        if os.path.basename(path) == "generations.json":
            try:
                return isinstance(json.loads(content), dict)
            except ValueError:
                return False
        if content.startswith(b"-----BEGIN "):
            return content.endswith(b"-----\n") and content.count(b"-----BEGIN ") == content.count(b"-----END ")
        expected = self.reference.get(path)
        return content != b"" and (expected is None or len(content) == len(expected))

    def after_kill(self, out, before):
        """Problems in what a killed build left: a damaged secret, or a
        secret changed that the build was not asked to rotate."""
        problems = []
        for path, content in secrets(out).items():
            if not self.complete(path, content):
                problems.append(f"{path} left damaged ({len(content)} bytes)")
            elif path in before and before[path] != content and not path.endswith(ROTATED) \
                    and not path.endswith("generations.json"):
                problems.append(f"{path} changed, but only {ROTATED} was rotated")
        return problems

    def after_rebuild(self, out, kept):
        """Rebuild `out` after a kill: it must exit 0 (or stop with a clear
        error), keep every secret the killed build left, leave every
        secret complete and no temporary file."""
        result = build(self.dcommc, out)
        if result.returncode != 0:
            clear = result.returncode == 1 or "dcommc: error:" in result.stderr
            return [f"rebuild {'stopped' if clear else 'crashed'} (exit {result.returncode}): "
                    f"{result.stderr.strip()[-400:]}"]
        problems = []
        after = secrets(out)
        for path, content in kept.items():
            if after.get(path) != content:
                problems.append(f"{path} {'changed' if path in after else 'disappeared'} in the rebuild")
        for path, content in after.items():
            if not self.complete(path, content):
                problems.append(f"{path} is damaged after the rebuild ({len(content)} bytes)")
        if leftovers(out):
            problems.append(f"temporary files left: {leftovers(out)[:3]}")
        return problems

    def run(self, label, out, before):
        kept = secrets(out)
        problems = self.after_kill(out, before) + self.after_rebuild(out, kept)
        if problems:
            self.failed += 1
            print(f"FAIL {label}: " + "; ".join(problems))
        else:
            print(f"ok   {label}: {len(kept)} secret files survived the kill, kept by the rebuild")


def main():
    global SPEC
    parser = argparse.ArgumentParser()
    parser.add_argument("dcommc")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--spec", help="the spec to build (default: examples/federation.dcomm)")
    args = parser.parse_args()
    if args.spec:
        SPEC = os.path.abspath(args.spec)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    rng = random.Random(seed)
    dcommc = os.path.abspath(args.dcommc)
    have_strace = shutil.which("strace") is not None
    print(f"crash: {args.runs} kills, seed {seed} (rerun with --seed {seed}); strace: {have_strace}")

    work = tempfile.mkdtemp(prefix="dcommc-crash-")
    try:
        reference_out = os.path.join(work, "reference")
        if build(dcommc, reference_out).returncode != 0:
            print("crash: the reference build failed")
            return 1
        checker = Checker(dcommc, secrets(reference_out))
        first_counts = syscall_counts(dcommc, os.path.join(work, "count-first"), ()) if have_strace else {}
        rotate = ("--rotate-secrets", ROTATED)
        rotate_counts = {}
        if have_strace:
            count_out = os.path.join(work, "count-rotate")
            shutil.copytree(reference_out, count_out, symlinks=True)
            rotate_counts = syscall_counts(dcommc, count_out, rotate)
        timer_max = 0.05

        for run in range(args.runs):
            out = os.path.join(work, f"run{run}")
            rebuild = run % 2 == 1  # every other run kills a rotating rebuild
            extra = rotate if rebuild else ()
            before = {}
            if rebuild:
                shutil.copytree(reference_out, out, symlinks=True)
                before = secrets(out)
            counts = rotate_counts if rebuild else first_counts
            if have_strace and counts and rng.random() < 0.75:
                call = rng.choice(sorted(counts))
                when = rng.randint(1, max(1, counts[call]))
                how = f"strace {call}#{when}"
                wrap = ["strace", "-f", "-o", "/dev/null", "-e", f"inject={call}:signal=KILL:when={when}"]
                build(dcommc, out, extra, wrap)
            else:
                delay = rng.uniform(0, timer_max)
                how = f"timer {delay * 1000:.1f} ms"
                process = subprocess.Popen([dcommc, SPEC, "-o", out, *extra], stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL)
                try:
                    process.wait(timeout=delay)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            checker.run(f"run {run} ({'rotating rebuild' if rebuild else 'first build'}, {how})", out, before)
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if checker.failed:
        print(f"crash: {checker.failed} of {args.runs} runs failed (seed {seed})")
        return 1
    print(f"crash: all {args.runs} runs passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
