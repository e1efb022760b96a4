#!/usr/bin/env bash
# Idempotent set-up on a fresh machine: a virtualenv with the project installed.
# `scripts/setup.sh --test` adds what the tests need: pytest and friends, and
# Debian's chromium for the browser tests. Neo4j is fetched by the tests themselves.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "graph-service needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
# a stamp skips pip when nothing it reads has changed since the last install
stamp=".venv/.installed$extras"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".$extras"
  touch "$stamp"
fi

if [ "${1:-}" = "--test" ] && ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing Debian's chromium for the browser tests..."
  $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null
fi
