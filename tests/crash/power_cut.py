#!/usr/bin/env python3
"""Power cuts, simulated. A build runs on an ext4 filesystem in a loop
device, mounted with commit=60 so that nothing reaches the device but what
a sync sends. At a random moment the build is stopped (SIGSTOP) and the
loop device's backing file copied: the copy is what a power cut at that
instant would leave on the disk. In half the runs an outside `sync` first
commits whatever the build had done at another random moment, as ext4's
periodic journal commit does at an instant nobody chooses.

Each copy is mounted (ext4 replays its journal) and checked:
- every raw secret on it is complete, or absent;
- a rebuild exits 0, keeps every secret the cut left, leaves no temporary
  file, and writes exactly what a full build (--full) writes;
- if the build had returned before the cut, every file it wrote is there,
  byte for byte: nothing is lost once `dcommc build` has returned.

Needs root, losetup, mount and mkfs.ext4; without them it exits 77
(skipped), saying why.

Usage: power_cut.py DCOMMC [--runs N] [--seed S]
"""

import argparse
import filecmp
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_test import ROTATED, SPEC, Checker, build, leftovers, secrets  # noqa: E402

SKIP = 77


def run(*command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def tree(root):
    """Every file under root: {relative path: bytes}."""
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, root)] = f.read()
    return files


class Disk:
    """An ext4 image, attached to a loop device and mounted at `mount`."""

    def __init__(self, image, mount, options="commit=60"):
        self.mount = mount
        self.device = run("losetup", "--find", "--show", image).stdout.strip()
        os.makedirs(mount, exist_ok=True)
        try:
            run("mount", "-o", options, self.device, mount)
        except subprocess.CalledProcessError:
            run("losetup", "-d", self.device)
            raise

    def close(self):
        subprocess.run(["umount", self.mount], capture_output=True)
        subprocess.run(["losetup", "-d", self.device], capture_output=True)


def differs_from_full_build(dcommc, out, scratch):
    """What a rebuilt `out` has that a --full build of a copy would not."""
    full = os.path.join(scratch, "full")
    shutil.rmtree(full, ignore_errors=True)
    shutil.copytree(out, full, symlinks=True)
    result = build(dcommc, full, ("--full",))
    if result.returncode != 0:
        return [f"the full build failed: {result.stderr.strip()[-300:]}"]
    before, after = tree(out), tree(full)
    return [f"{path} differs from a full build" for path in sorted(set(before) | set(after))
            if before.get(path) != after.get(path)][:5]


def one_run(dcommc, rng, work, checker, reference, label_number):
    image = os.path.join(work, "disk.img")
    snapshot = os.path.join(work, "cut.img")
    with open(image, "wb") as f:
        f.truncate(48 << 20)
    run("mkfs.ext4", "-q", "-F", image)
    live = Disk(image, os.path.join(work, "live"))
    rebuild = label_number % 2 == 1  # every other run cuts a rotating rebuild
    extra = ("--rotate-secrets", ROTATED) if rebuild else ()
    out = os.path.join(live.mount, "out")
    try:
        if rebuild:
            shutil.copytree(reference, out, symlinks=True)
            run("sync", "-f", out)
        before = secrets(out)
        cut_at = rng.uniform(0, 0.08)
        outside_sync = rng.uniform(0, cut_at) if rng.random() < 0.5 else None
        process = subprocess.Popen([dcommc, SPEC, "-o", out, *extra], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        start = time.monotonic()
        if outside_sync is not None:
            time.sleep(outside_sync)
            subprocess.run(["sync", "-f", live.mount])
        time.sleep(max(0.0, cut_at - (time.monotonic() - start)))
        returned = process.poll() is not None
        if not returned:
            process.send_signal(signal.SIGSTOP)
        shutil.copyfile(image, snapshot)  # the disk at the instant of the cut
        written = tree(out) if returned and process.returncode == 0 else None
        process.kill()
        process.wait()
    finally:
        live.close()

    how = f"cut at {cut_at * 1000:.0f} ms" + (f", outside sync at {outside_sync * 1000:.0f} ms"
                                               if outside_sync is not None else "")
    label = f"run {label_number} ({'rotating rebuild' if rebuild else 'first build'}, {how}" + \
            (", after build returned)" if written is not None else ")")
    cut = Disk(snapshot, os.path.join(work, "cut"), "rw")
    try:
        out = os.path.join(cut.mount, "out")
        problems = []
        if written is not None:
            found = tree(out) if os.path.isdir(out) else {}
            lost = [path for path, content in written.items() if found.get(path) != content]
            if lost:
                problems.append(f"{len(lost)} file(s) the build had written are lost or different: {lost[:3]}")
        problems += checker.after_kill(out, before) if os.path.isdir(out) else []
        kept = secrets(out) if os.path.isdir(out) else {}
        problems += checker.after_rebuild(out, kept)
        if not problems:
            problems += differs_from_full_build(dcommc, out, work)
    finally:
        cut.close()
    return label, problems, len(kept)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dcommc")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    missing = [tool for tool in ("losetup", "mount", "umount", "mkfs.ext4", "sync") if not shutil.which(tool)]
    if os.geteuid() != 0 or missing:
        print(f"power_cut: skipped: needs root and {', '.join(missing) or 'loop devices'}")
        return SKIP
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    rng = random.Random(seed)
    dcommc = os.path.abspath(args.dcommc)
    print(f"power_cut: {args.runs} cuts, seed {seed} (rerun with --seed {seed})")

    work = tempfile.mkdtemp(prefix="dcommc-power-")
    failed = 0
    try:
        reference = os.path.join(work, "reference")
        if build(dcommc, reference).returncode != 0:
            print("power_cut: the reference build failed")
            return 1
        checker = Checker(dcommc, secrets(reference))
        for number in range(args.runs):
            try:
                label, problems, survived = one_run(dcommc, rng, work, checker, reference, number)
            except subprocess.CalledProcessError as error:
                if number == 0:  # no loop device here (a container without them)
                    print(f"power_cut: skipped: {' '.join(error.cmd)}: {error.stderr.strip()}")
                    return SKIP
                raise
            if problems:
                failed += 1
                print(f"FAIL {label}: " + "; ".join(problems))
            else:
                print(f"ok   {label}: {survived} secret files on the cut disk, kept by the rebuild")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failed:
        print(f"power_cut: {failed} of {args.runs} runs failed (seed {seed})")
        return 1
    print(f"power_cut: all {args.runs} runs passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
