"""Drives the demo's docs page in headless Chromium as a session user would: log in, POST to a
session-protected endpoint, log out, all through Swagger UI's "Try it out".

Usage: docs_csrf.py CHROMIUM DOCS_URL OUT_DIR

The demo's session auth checks CSRF on unsafe requests: they must carry the `csrftoken`
cookie's value in `X-CSRFToken`, which the page's request interceptor adds. Checks, with a
screenshot after each step (OUT_DIR/csrf-1-login.png, csrf-2-post.png, csrf-3-logout.png):

1. `POST /api/auth/login/` answers 200 and sets the session and CSRF cookies;
2. the same POST without the header, sent by the page's own `fetch`, is refused with 403
   `CSRF token missing.` (the control: the header is what makes the next step pass);
3. `POST /api/example/` from Swagger UI answers 201, and the request carried `X-CSRFToken`;
4. `POST /api/auth/logout/` answers 2xx; a GET of the example is then 401.

Before all that, "Try it out" on the Basic-protected `GET /api/basic/` without Authorize
shows its 401 at once: the page's request says it is a script's (`X-Requested-With`), so the
401 carries no `Basic` challenge, which would open the browser's password dialog over the
page (headless Chromium shows none either way: the headers are what is checked).
"""

import json
import os
import sys
import time
import urllib.parse
import urllib.request

from docs_screenshot import Cdp, connect, headless_chromium


class RecordingCdp(Cdp):
    """Also keeps every request's method, URL and headers."""

    def __init__(self, url: str):
        super().__init__(url)
        self.sent: list[dict] = []
        self.received: list[dict] = []

    def seen(self, msg: dict):
        super().seen(msg)
        if msg.get("method") == "Network.responseReceived":
            self.received.append(msg["params"]["response"])
        if msg.get("method") == "Network.requestWillBeSent":
            self.sent.append(msg["params"]["request"])
        if msg.get("method") == "Network.requestWillBeSentExtraInfo":
            self.sent.append({"extra": msg["params"].get("headers", {})})


def main() -> int:
    chromium, docs_url, out_dir = sys.argv[1:4]
    os.makedirs(out_dir, exist_ok=True)
    with headless_chromium(chromium, "1400") as (_, profile):
        return drive(profile, docs_url, out_dir)


# The operation block of an operationId (Swagger UI ids it `operations-<tag>-<operationId>`).
BLOCK = "[...document.querySelectorAll('.opblock')].find(b => b.id.endsWith('-' + %s))"

# Sets a React-controlled textarea's value the way typing does.
FILL = """
(function (block, body) {
  const area = block.querySelector('textarea.body-param__text');
  const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;
  set.call(area, body);
  area.dispatchEvent(new Event('input', {bubbles: true}));
})(%s, %s)
"""

RESULT = """
(function (block) {
  const cell = block && block.querySelector('.live-responses-table .response .response-col_status');
  const body = block && block.querySelector('.live-responses-table .response-col_description pre');
  return cell ? [cell.innerText.trim(), body ? body.innerText : ''] : null;
})(%s)
"""


def run_operation(cdp: RecordingCdp, op_id: str, body, shot: str):
    """Opens the operation, "Try it out", fills the JSON body, "Execute"; the status shown.

    Actions run once each (`evaluate`); `wait_for` only polls side-effect-free queries.
    """
    block = BLOCK % json.dumps(op_id)
    cdp.evaluate(f"{block}.querySelector('.opblock-summary-control').click()")
    cdp.wait_for(f"!!{block}.querySelector('.try-out__btn')", bool)
    # the page starts with "Try it out" on (`tryItOutEnabled`): press it only when it is off
    cdp.evaluate(
        f"(b => b.classList.contains('cancel') || b.click())({block}.querySelector('.try-out__btn'))"
    )
    if body is not None:
        cdp.wait_for(f"!!{block}.querySelector('textarea.body-param__text')", bool)
        cdp.evaluate(FILL % (block, json.dumps(body)))
    cdp.wait_for(f"!!{block}.querySelector('button.execute')", bool)
    return execute(cdp, block, shot)


def execute(cdp: RecordingCdp, block: str, shot: str):
    """Presses "Execute" in the operation `block`, waits for the response, screenshots it;
    the status and body shown."""
    cdp.evaluate(f"{block}.querySelector('button.execute').click()")
    result = cdp.wait_for(RESULT % block, lambda v: v is not None) or ["none", ""]
    cdp.evaluate(f"{block}.querySelector('.live-responses-table').scrollIntoView({{block: 'center'}})")
    time.sleep(0.5)
    cdp.screenshot(shot)
    return result


def csrf_header_sent(cdp: RecordingCdp, method: str, url_end: str) -> bool:
    for req in cdp.sent:
        if req.get("method") == method and req.get("url", "").endswith(url_end):
            if any(k.lower() == "x-csrftoken" for k in req.get("headers", {})):
                return True
    return False


def drive(profile: str, docs_url: str, out_dir: str) -> int:
    cdp = connect(profile, RecordingCdp)
    cdp.call("Network.enable")
    cdp.call("Page.enable")
    cdp.call("Page.navigate", url=docs_url)
    cdp.wait_for("document.querySelectorAll('.opblock').length", lambda n: n and n > 3)
    checks = []

    status, _ = run_operation(cdp, "getApiBasic", None, os.path.join(out_dir, "csrf-0-basic.png"))
    sent = [r for r in cdp.sent if r.get("url", "").endswith("/api/basic/")]
    scripted = any(
        k.lower() == "x-requested-with" and v == "XMLHttpRequest"
        for r in sent
        for k, v in r.get("headers", {}).items()
    )
    answers = [r for r in cdp.received if r.get("url", "").endswith("/api/basic/")]
    challenges = [
        v for r in answers for k, v in r.get("headers", {}).items() if k.lower() == "www-authenticate"
    ]
    print(f"GET /api/basic/ before Authorize: {status}; marked a script's: {scripted}; WWW-Authenticate: {challenges}")
    checks.append(status == "401" and scripted and answers and not any("basic" in c.lower() for c in challenges))

    status, body = run_operation(
        cdp, "postApiAuthLogin",
        json.dumps({"username": "admin", "password": os.environ.get("DMR_DEMO_PASSWORD", "pass")}),
        os.path.join(out_dir, "csrf-1-login.png"),
    )
    cookies = cdp.evaluate("document.cookie")
    print(f"login: {status} {body.strip()[:80]!r}; cookies the page can read: {cookies!r}")
    checks.append(status == "200" and "csrftoken=" in (cookies or ""))

    # the page's own fetch, without the interceptor
    control = cdp.call(
        "Runtime.evaluate",
        expression="(async () => { const r = await fetch('/api/example/', {method: 'POST', headers:"
        " {'Content-Type': 'application/json'}, body: '{}'}); return [r.status, await r.text()]; })()",
        awaitPromise=True,
        returnByValue=True,
    )["result"]["value"]
    print(f"control, a POST without the header: {control}")
    checks.append(control[0] == 403 and "CSRF token missing." in control[1])

    status, body = run_operation(
        cdp, "postApiExample", '{"note": "from the docs page"}',
        os.path.join(out_dir, "csrf-2-post.png"),
    )
    sent = csrf_header_sent(cdp, "POST", "/api/example/")
    print(f"POST /api/example/: {status} {body.strip()[:80]!r}; X-CSRFToken sent: {sent}")
    checks.append(status == "201" and sent)

    status, body = run_operation(
        cdp, "postApiAuthLogout", None, os.path.join(out_dir, "csrf-3-logout.png"),
    )
    after = cdp.call(
        "Runtime.evaluate",
        expression="fetch('/api/example/').then(r => r.status)",
        awaitPromise=True,
        returnByValue=True,
    )["result"]["value"]
    print(f"logout: {status}; GET /api/example/ afterwards: {after}")
    checks.append(status.startswith("2") and after == 401)

    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(docs_url))
    offsite = [u for u in cdp.requests if not (u.startswith(origin) or u.startswith(("data:", "blob:")))]
    print(f"requests off {origin}: {len(offsite)}")
    checks.append(not offsite)
    print("screenshots:", ", ".join(sorted(f for f in os.listdir(out_dir) if f.startswith("csrf-"))))
    print("PASS" if all(checks) else f"FAIL {checks}")
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
