#!/usr/bin/env bash
# The main job on the embedded store: set up, load the reference dataset if the
# store is empty, and serve the API, pages and maps on http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/graph-service demo "$@"
