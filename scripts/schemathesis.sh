#!/usr/bin/env bash
# Property-based API tests of the demo against its own OpenAPI document with schemathesis
# (PyPI, in a throwaway venv): bounded examples per operation, three passes (anonymous,
# JWT, Basic). Fails on any server error (5xx) or any response that violates the documented
# schema.
#
#   scripts/schemathesis.sh              # ST_MAX_EXAMPLES (default 50) per operation and pass
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/demo-server.sh

tool_venv "schemathesis>=4,<5" schemathesis
start_demo
target=$(cargo metadata -q --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
token=$("$target/debug/dmr-demo" token)

st() {
  echo "-- schemathesis: $1"
  shift
  "$WORK_DIR/venv/bin/st" run "$DEMO_URL/docs/openapi.json" \
    --checks not_a_server_error,response_schema_conformance \
    --max-examples "${ST_MAX_EXAMPLES:-50}" --seed 1 --workers 2 \
    --suppress-health-check all --warnings off --request-timeout 20 "$@" |
    grep -E '^( *(✅|❌|⏭|💥)| *[0-9]+ generated|=+ .* =+$|.*(failed|Failed|error|Error))' || true
  test "${PIPESTATUS[0]}" -eq 0
}
st anonymous
st "JWT (Authorization: Bearer)" -H "Authorization: Bearer $token"
st "HTTP Basic" --auth admin:pass
