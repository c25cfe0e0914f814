#!/usr/bin/env bash
# The docs page logs in at an identity provider, in headless Chromium (Debian's `chromium`):
# starts the test OpenID provider (tests/oidc-provider, Node's oidc-provider from its lockfile)
# with the docs page's public client, and examples/oidc_provider.rs wired to it, on free
# loopback ports; then scripts/docs_login.py calls `GET /api/orders/` from the page without
# login (401), clicks Authorize, logs in and consents at the provider (authorization code +
# PKCE), calls again (200 with the user's subject), logs out (401). Screenshots of each step
# go to OUT_DIR; any failed step fails the script.
#
#   scripts/docs-login.sh [OUT_DIR]     # default: target/docs-login
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/demo-server.sh

require_chromium
command -v node >/dev/null || { echo "node not found: install Node.js 20 or later" >&2; exit 1; }
out=${1:-target/docs-login}
mkdir -p "$out"
rm -f "$out"/login-*.png

if [ ! -d tests/oidc-provider/node_modules/oidc-provider ]; then
  (cd tests/oidc-provider && npm ci --no-audit --no-fund)
fi
cargo build -q -p dmr-examples --example oidc_provider
target=$(cargo metadata -q --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

tool_venv websocket-client websocket-client
"$CHROMIUM" --version 2>/dev/null || true
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for() { # URL WHAT
  for _ in $(seq 1 100); do
    if python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$1" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  echo "$2 did not answer $1; its log:" >&2
  cat "$WORK_DIR/$2.log" >&2
  return 1
}

idp_port=$(free_port)
app_port=$(free_port)
issuer="http://127.0.0.1:$idp_port"
app="http://127.0.0.1:$app_port"
password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(12))')
python3 - "$WORK_DIR/provider.json" "$idp_port" "$app" "$WORK_DIR/keys.json" "$password" <<'PY'
import json, sys
path, port, app, keys, password = sys.argv[1:]
json.dump({
    "port": int(port), "keyFile": keys, "keys": [{"kid": "k1", "kind": "rsa", "alg": "RS256"}],
    "docs": {"redirectUri": app + "/docs/oauth2-redirect.html", "origin": app,
             "users": {"ann": password}},
}, open(path, "w"))
PY

pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  stop_demo
}
trap stop_all EXIT

node tests/oidc-provider/server.js "$WORK_DIR/provider.json" >"$WORK_DIR/provider.log" 2>&1 &
pids+=($!)
wait_for "$issuer/.well-known/openid-configuration" provider

OIDC_ISSUER=$issuer OIDC_AUDIENCE=api DMR_EXAMPLE_ADDR="127.0.0.1:$app_port" \
  OIDC_DOCS_CLIENT_ID=docs OIDC_DOCS_SCOPES="openid read" \
  OIDC_DOCS_PARAM="resource=https://api.test/RS256" \
  "$target/debug/examples/oidc_provider" >"$WORK_DIR/example.log" 2>&1 &
pids+=($!)
wait_for "$app/docs/openapi.json" example

DMR_DOCS_LOGIN_PASSWORD=$password PYTHONPATH=scripts \
  "$WORK_DIR/venv/bin/python" scripts/docs_login.py "$CHROMIUM" "$app/docs/" "$issuer" "$out"
