#!/usr/bin/env bash
# Validates OpenAPI documents with an independent validator, `openapi-spec-validator` from
# PyPI, installed into a throwaway venv: the demo's served `/docs/openapi.json` and the
# reviewed snapshots under tests/openapi/.
#
#   scripts/openapi-validate.sh            # demo + snapshots
#   scripts/openapi-validate.sh FILE...    # just these files
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/demo-server.sh

tool_venv openapi-spec-validator openapi-spec-validator

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  start_demo
  python3 -c "import urllib.request, sys; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())" \
    "$DEMO_URL/docs/openapi.json" >"$WORK_DIR/demo-openapi.json"
  echo "fetched $DEMO_URL/docs/openapi.json ($(wc -c <"$WORK_DIR/demo-openapi.json") bytes)"
  files=("$WORK_DIR/demo-openapi.json" tests/openapi/*.json)
fi
"$WORK_DIR/venv/bin/openapi-spec-validator" "${files[@]}"
