# Sourced by the docs scripts: builds the demo and starts it on a free loopback port.
# After `start_demo`, $DEMO_URL is its base URL; the server is stopped when the script exits.

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

start_demo() {
  local root target port
  root=$(repo_root)
  (cd "$root" && cargo build -q -p dmr-demo)
  target=$(cd "$root" && cargo metadata -q --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  DEMO_URL="http://127.0.0.1:$port"
  DMR_DEMO_ADDR="127.0.0.1:$port" "$target/debug/dmr-demo" >"${DEMO_LOG:-/dev/null}" 2>&1 &
  DEMO_PID=$!
  trap stop_demo EXIT
  for _ in $(seq 1 100); do
    if python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
      "$DEMO_URL/docs/openapi.json" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  echo "the demo did not serve $DEMO_URL/docs/openapi.json (is the docs hook in demo/src/api.rs?)" >&2
  return 1
}

stop_demo() {
  if [ -n "${DEMO_PID:-}" ]; then
    kill "$DEMO_PID" 2>/dev/null || true
    wait "$DEMO_PID" 2>/dev/null || true
  fi
  if [ -n "${WORK_DIR:-}" ]; then rm -rf "$WORK_DIR"; fi
}

# tool_venv REQUIREMENT NAME: sets $WORK_DIR to a fresh directory, stops the demo when the
# script exits, and installs REQUIREMENT (from PyPI) into the throwaway venv
# $WORK_DIR/venv, printing NAME's installed version.
tool_venv() {
  WORK_DIR=$(mktemp -d)
  trap stop_demo EXIT
  python3 -m venv "$WORK_DIR/venv"
  "$WORK_DIR/venv/bin/pip" install -q --disable-pip-version-check "$1"
  "$WORK_DIR/venv/bin/pip" show "$2" | sed -n "s/^Version: /$2 /p"
}

# require_chromium: sets $CHROMIUM (Debian's `chromium`, or $CHROMIUM as given), or fails
# saying how to install it.
require_chromium() {
  CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
  if [ -z "$CHROMIUM" ]; then
    echo "chromium not found: apt-get install chromium (or set CHROMIUM=/path/to/chromium)" >&2
    exit 1
  fi
}
