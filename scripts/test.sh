#!/usr/bin/env bash
# Every test, against the real things: the embedded store, the project's own Neo4j
# server (fetched with Maven and started if none is running, stopped afterwards),
# real HTTP, and headless chromium. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
exec .venv/bin/python -m pytest "$@"
