#!/usr/bin/env bash
# Renders the demo's docs page (Swagger UI at /docs/) in headless Chromium (Debian's
# `chromium`), checks that every operation is visible, that the Authorize dialog lists every
# security scheme and that no request leaves the machine, then logs in, POSTs to the
# session-protected example and logs out from the page (scripts/docs_csrf.py: the page must
# send the CSRF cookie back as `X-CSRFToken`), and saves screenshots of each step.
#
#   scripts/docs-screenshot.sh [OUT_DIR]     # default: target/docs-screenshot
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/demo-server.sh

require_chromium
out=${1:-target/docs-screenshot}

tool_venv websocket-client websocket-client
"$CHROMIUM" --version 2>/dev/null || true
start_demo
"$WORK_DIR/venv/bin/python" scripts/docs_screenshot.py "$CHROMIUM" "$DEMO_URL/docs/" "$out"
"$WORK_DIR/venv/bin/python" scripts/docs_csrf.py "$CHROMIUM" "$DEMO_URL/docs/" "$out"
