"""How the live test's clients (matrix_check.py, deltachat_check.py) report:
one line per check, "ok: ..." or "FAIL: ...", which live.sh counts."""

failures = 0


def ok(what):
    print(f"ok: {what}", flush=True)


def fail(what):
    global failures
    failures += 1
    print(f"FAIL: {what}", flush=True)


def check(condition, what, why):
    """ok(what) if condition holds, else fail(what: why); returns condition."""
    if condition:
        ok(what)
    else:
        fail(f"{what}: {why}")
    return condition
