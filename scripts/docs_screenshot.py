"""Drives headless Chromium over the DevTools protocol against a running docs page.

Usage: docs_screenshot.py CHROMIUM DOCS_URL OUT_DIR

Opens DOCS_URL (Swagger UI), waits until every operation of the served openapi.json is
rendered, saves OUT_DIR/docs.png, opens the "Authorize" dialog, checks it lists every
security scheme, saves OUT_DIR/docs-authorize.png, and fails if any request left the
server (every URL the page loaded must be on DOCS_URL's origin, or data:/blob:).
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import websocket  # websocket-client, installed by the calling script


def main() -> int:
    chromium, docs_url, out_dir = sys.argv[1:4]
    os.makedirs(out_dir, exist_ok=True)
    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(docs_url))
    spec = json.load(urllib.request.urlopen(origin + urllib.parse.urlsplit(docs_url).path + "openapi.json"))
    operations = {
        (method.upper(), path) for path, item in spec["paths"].items() for method in item
    }
    schemes = set(spec["components"]["securitySchemes"])

    with headless_chromium(chromium, "2000") as (browser, profile):
        return drive(browser, profile, docs_url, origin, out_dir, operations, schemes)


@contextlib.contextmanager
def headless_chromium(chromium: str, height: str):
    """A headless Chromium with a fresh profile and DevTools on a free port, 1280 x `height`:
    yields the process and the profile directory; terminated on the way out."""
    profile = tempfile.mkdtemp(prefix="dmr-chromium-")
    browser = subprocess.Popen(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--user-data-dir=" + profile, "--remote-debugging-port=0",
            f"--window-size=1280,{height}", "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield browser, profile
    finally:
        browser.terminate()
        browser.wait(timeout=10)


def connect(profile: str, cdp_class=None):
    """The DevTools client (a `Cdp`, or `cdp_class`) of the browser's page, once the browser
    has written its DevTools port into the profile."""
    port_file = os.path.join(profile, "DevToolsActivePort")
    for _ in range(100):
        if os.path.exists(port_file) and open(port_file).read().strip():
            break
        time.sleep(0.1)
    port = open(port_file).read().split()[0]
    pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
    page = next(p for p in pages if p["type"] == "page")
    return (cdp_class or Cdp)(page["webSocketDebuggerUrl"])


def drive(browser, profile, docs_url, origin, out_dir, operations, schemes) -> int:
    cdp = connect(profile)
    cdp.call("Network.enable")
    cdp.call("Page.enable")
    cdp.call("Page.navigate", url=docs_url)

    rendered = cdp.wait_for(
        "[...document.querySelectorAll('.opblock')].map(b => [b.querySelector('.opblock-summary-method').innerText,"
        " b.querySelector('.opblock-summary-path').getAttribute('data-path')])",
        lambda ops: ops and len(ops) >= len(operations),
    )
    seen = {(m.upper(), p) for m, p in rendered or []}
    cdp.screenshot(os.path.join(out_dir, "docs.png"))
    print(f"operations rendered: {len(seen)} of {len(operations)} in openapi.json")
    for op in sorted(operations):
        print(f"  {'ok ' if op in seen else 'MISSING'} {op[0]} {op[1]}")

    cdp.evaluate("document.querySelector('.btn.authorize').click()")
    dialog = cdp.wait_for(
        "[...document.querySelectorAll('.modal-ux .auth-container h4')].map(h => h.innerText)",
        lambda names: names and len(names) >= len(schemes),
    ) or []
    cdp.screenshot(os.path.join(out_dir, "docs-authorize.png"))
    listed = {name.split()[0] for name in dialog if name.split()}
    print(f"authorize dialog lists: {', '.join(dialog)}")

    offsite = [u for u in cdp.requests if not (u.startswith(origin) or u.startswith(("data:", "blob:")))]
    print(f"requests made by the page: {len(cdp.requests)}, off {origin}: {len(offsite)}")
    for url in offsite:
        print(f"  OFF-SITE {url}")
    ok = seen >= operations and listed >= schemes and not offsite
    print("screenshots:", os.path.join(out_dir, "docs.png"), os.path.join(out_dir, "docs-authorize.png"))
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


class Cdp:
    """A minimal DevTools protocol client: calls, plus the URLs of every request seen."""

    def __init__(self, url: str):
        self.ws = websocket.create_connection(url, timeout=30)
        self.next_id = 0
        self.requests: list[str] = []

    def call(self, method: str, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            self.seen(msg)
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def seen(self, msg: dict):
        """Called with every message read: keeps the URL of every request."""
        if msg.get("method") == "Network.requestWillBeSent":
            self.requests.append(msg["params"]["request"]["url"])

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, done, timeout: float = 30.0):
        deadline = time.time() + timeout
        value = None
        while time.time() < deadline:
            try:
                value = self.evaluate(expression)
            except RuntimeError:
                value = None
            if done(value):
                time.sleep(0.5)  # let layout settle before a screenshot
                return self.evaluate(expression)
            time.sleep(0.25)
        return value

    def screenshot(self, path: str):
        import base64

        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))


if __name__ == "__main__":
    sys.exit(main())
