"""JSON syntax, as strict as a browser's JSON.parse and stricter on one
point: a key twice in one object (JSON.parse and json.tool keep the last
silently). NaN and Infinity, which Python accepts, are rejected.

    python3 json_check.py FILE

Exit 0 valid, 1 invalid.
"""
import json
import sys


def no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def no_constant(name):
    raise ValueError(f"{name} is not JSON")


def main():
    path = sys.argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            value = json.load(f, object_pairs_hook=no_duplicates, parse_constant=no_constant)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1
    kind = type(value).__name__
    size = len(value) if isinstance(value, (dict, list)) else 1
    print(f"{path}: valid JSON ({kind} of {size})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
