#!/usr/bin/env bash
# Rebuilds graph_service/web/static/govuk-frontend/ from the pinned govuk-frontend (scripts/govuk-frontend/
# package.json and its lock): its Sass compiled with our settings (scripts/govuk-frontend/govuk-frontend.scss),
# with its licence and version beside it. The output is committed, so installing or running the service needs
# no npm; run this only to change the version or the settings. No JavaScript is copied: the pages use none.
set -euo pipefail
cd "$(dirname "$0")/govuk-frontend"
npm ci --no-audit --no-fund --ignore-scripts
out=../../graph_service/web/static/govuk-frontend
mkdir -p "$out"
node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules \
  govuk-frontend.scss "$out/govuk-frontend.min.css"
version=$(node -p 'require("govuk-frontend/package.json").version')
# the package declares "license": "MIT" but ships no licence file: its terms, as its repository states them
cat > "$out/LICENCE.txt" <<LICENCE
GOV.UK Frontend $version (https://github.com/alphagov/govuk-frontend), compiled by
scripts/vendor-govuk-frontend.sh with the system font stack and no font files or images.

The MIT License (MIT)

Copyright (c) Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR
THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENCE
echo "$version" > "$out/VERSION"
echo "govuk-frontend $version -> $out"
