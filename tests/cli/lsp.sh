#!/usr/bin/env bash
# `dcommc lsp`: a session over stdio speaking JSON-RPC (tests/lsp/session.py),
# hostile messages (tests/lsp/hostile.py), documents importing devices and
# pipes (tests/lsp/special_imports.py), and the TextMate grammar in editors/
# (tests/lsp/grammar_check.py).
# Usage: tests/cli/lsp.sh path/to/dcommc   (run from the project root)
set -euo pipefail

dcommc=$(realpath "${1:?usage: lsp.sh path/to/dcommc}")
failures=0
timeout 60 python3 tests/lsp/session.py "$dcommc" || failures=$((failures + 1))
timeout 120 python3 tests/lsp/hostile.py "$dcommc" || failures=$((failures + 1))
timeout 120 python3 tests/lsp/special_imports.py "$dcommc" || failures=$((failures + 1))
timeout 30 python3 tests/lsp/grammar_check.py editors/dcomm.tmLanguage.json editors/vscode/package.json ||
  failures=$((failures + 1))
if ((failures > 0)); then
  echo "lsp.sh: $failures part(s) failed"
  exit 1
fi
