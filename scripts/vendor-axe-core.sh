#!/usr/bin/env bash
# Rebuilds tests/axe/ from the pinned axe-core (scripts/axe-core/package.json and its lock): the one file the
# accessibility tests inject into Chromium, with its licence header intact. The file is committed, so a clean
# clone runs the tests with no npm and no network; run this only to change the version.
set -euo pipefail
cd "$(dirname "$0")/axe-core"
npm ci --no-audit --no-fund --ignore-scripts
out=../../tests/axe
mkdir -p "$out"
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE "$out/"
node -p 'require("axe-core/package.json").version' > "$out/VERSION"
echo "axe-core $(cat "$out/VERSION") -> $out"
