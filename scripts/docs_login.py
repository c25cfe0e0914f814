"""Drives the docs page of examples/oidc_provider.rs in headless Chromium as a user of an
identity provider would: call without login, log in at the provider (authorization code +
PKCE, in Swagger UI's popup), call with the token, log out, call again.

Usage: docs_login.py CHROMIUM DOCS_URL ISSUER OUT_DIR

Checks, with a screenshot after each step (OUT_DIR/login-*.png):

1. the provider refuses the docs client's authorization request without a PKCE
   `code_challenge` (the control: PKCE is required, not just offered);
2. "Try it out" on `GET /api/orders/` without login answers 401;
3. Authorize (the `authorization_code` flow of the `openIdConnect` scheme, client id from the
   page's `initOAuth`) opens the provider's login page with an S256 `code_challenge`; a wrong
   password is refused there; the user logs in (DMR_DOCS_LOGIN_PASSWORD) and consents; the page redeems the code with a `code_verifier` and shows the
   scheme as authorized;
4. the same call now answers 200 `orders of <user> ..` and carried `Authorization: Bearer`;
5. after Logout in the dialog it is 401 again;
6. no request of the page or the popup left loopback (the page's origin and the issuer).
"""

import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import websocket  # websocket-client, installed by the calling script

from docs_csrf import BLOCK, RESULT, RecordingCdp, execute, run_operation
from docs_screenshot import connect, headless_chromium

USER = "ann"
PASSWORD = os.environ.get("DMR_DOCS_LOGIN_PASSWORD", "")


def main() -> int:
    chromium, docs_url, issuer, out_dir = sys.argv[1:5]
    os.makedirs(out_dir, exist_ok=True)
    with headless_chromium(chromium, "1400") as (_, profile):
        return drive(profile, docs_url, issuer.rstrip("/"), out_dir)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def pkce_required(issuer: str, redirect_uri: str) -> bool:
    """The provider answers an authorization request without `code_challenge` with an
    `invalid_request` error sent to the redirect URI."""
    query = urllib.parse.urlencode({
        "client_id": "docs", "response_type": "code", "scope": "openid",
        "redirect_uri": redirect_uri, "state": "s",
    })
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(f"{issuer}/auth?{query}", timeout=10)
        return False
    except urllib.error.HTTPError as e:
        location = e.headers.get("Location", "")
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
        print(f"without code_challenge: {e.code} -> {params.get('error')} {params.get('error_description')}")
        return location.startswith(redirect_uri) and params.get("error") == ["invalid_request"] and \
            "PKCE" in params.get("error_description", [""])[0]


def devtools_port(profile: str) -> str:
    return open(os.path.join(profile, "DevToolsActivePort")).read().split()[0]


def popup(profile: str, issuer: str, timeout: float = 20.0) -> RecordingCdp:
    """The DevTools client of the window Swagger UI opened at the provider."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{devtools_port(profile)}/json/list"))
        for page in pages:
            if page["type"] == "page" and page["url"].startswith(issuer):
                return RecordingCdp(page["webSocketDebuggerUrl"])
        time.sleep(0.2)
    raise RuntimeError(f"no window at {issuer} opened")


def submit_form(cdp: RecordingCdp, marker: str, fill: dict, shot: str) -> bool:
    """Waits for the form holding `marker`, fills `fill` (input name -> value), screenshots,
    submits it. False if the form never appeared."""
    found = cdp.wait_for(f"!!document.querySelector({json.dumps(marker)})", bool)
    if not found:
        print(f"  no {marker} on {cdp.evaluate('location.href')}: "
              f"{(cdp.evaluate('document.body && document.body.innerText') or '')[:300]!r}")
        return False
    for name, value in fill.items():
        cdp.evaluate(f"document.querySelector('input[name={name}]').value = {json.dumps(value)}")
    cdp.screenshot(shot)
    cdp.evaluate(f"document.querySelector({json.dumps(marker)}).form.requestSubmit()")
    return True


def login_at_provider(profile: str, issuer: str, out_dir: str) -> tuple[bool, list[str]]:
    """Logs in and consents in the popup; returns whether both forms were there and the URLs
    the popup requested (until it closed itself)."""
    cdp = popup(profile, issuer)
    cdp.call("Network.enable")
    start = cdp.evaluate("location.href") or ""
    print(f"popup: {start.split('?')[0]}")
    # the control: a wrong password is refused on the provider's page
    ok = submit_form(cdp, "input[name=login]", {"login": USER, "password": PASSWORD + "x"},
                     os.path.join(out_dir, "login-3-provider.png"))
    refused = cdp.wait_for("!!document.querySelector('#error')", bool, timeout=10)
    print(f"wrong password refused: {bool(refused)}")
    ok = ok and bool(refused) and submit_form(
        cdp, "input[name=login]", {"login": USER, "password": PASSWORD},
        os.path.join(out_dir, "login-3-provider.png"))
    try:
        ok = ok and submit_form(cdp, "#allow", {}, os.path.join(out_dir, "login-4-consent.png"))
        # the redirect page hands the code to the docs page and closes the window
        cdp.wait_for("location.pathname", lambda p: False, timeout=10)
    except (websocket.WebSocketException, ConnectionError, OSError):
        pass  # the window closed
    return ok, cdp.requests


def call_again(cdp: RecordingCdp, op_id: str, shot: str):
    """Clears the operation's last response, "Execute" again; the status and body shown."""
    block = BLOCK % json.dumps(op_id)
    cdp.evaluate(f"({block}.querySelector('button.btn-clear') || {{click() {{}}}}).click()")
    cdp.wait_for(RESULT % block, lambda v: v is None, timeout=10)
    return execute(cdp, block, shot)


def post_data(cdp: RecordingCdp, request: dict) -> str:
    """A request's body as the page sent it."""
    return request.get("postData") or "".join(
        entry.get("bytes", "") for entry in request.get("postDataEntries", []))


def bearer_sent(cdp: RecordingCdp, url_end: str) -> bool:
    for req in cdp.sent[::-1]:
        headers = req.get("headers") or req.get("extra") or {}
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        if (req.get("url", "").endswith(url_end) or "extra" in req) and auth.startswith("Bearer ey"):
            return True
    return False


# The Authorize dialog's part for the authorization_code flow: the smallest element around its
# heading ("oidc (OAuth2, authorization_code)") that holds its Authorize or Logout button.
AUTH_CONTAINER = """(() => {
  let el = [...document.querySelectorAll('.modal-ux h4')].find(h => h.innerText.includes('authorization_code'));
  while (el && !el.querySelector('button.authorize, button.logout')) el = el.parentElement;
  return el;
})()"""


def drive(profile: str, docs_url: str, issuer: str, out_dir: str) -> int:
    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(docs_url))
    spec = json.load(urllib.request.urlopen(docs_url + "openapi.json"))
    op_id = spec["paths"]["/api/orders/"]["get"]["operationId"]
    checks = {}

    checks["PKCE required"] = pkce_required(issuer, docs_url + "oauth2-redirect.html")

    cdp = connect(profile, RecordingCdp)
    cdp.call("Network.enable")
    cdp.call("Page.enable")
    cdp.call("Page.navigate", url=docs_url)
    cdp.wait_for("document.querySelectorAll('.opblock').length", lambda n: n and n > 0)

    status, body = run_operation(cdp, op_id, None, os.path.join(out_dir, "login-1-anonymous.png"))
    print(f"without login: {status} {body.strip()[:80]!r}")
    checks["401 without login"] = status == "401"

    cdp.evaluate("document.querySelector('.btn.authorize').click()")
    client_id = cdp.wait_for(f"({AUTH_CONTAINER}?.querySelector('input[data-name=clientId]') || {{}}).value",
                             bool)
    flows = cdp.evaluate(f"{AUTH_CONTAINER}?.querySelector('h4').innerText")
    cdp.screenshot(os.path.join(out_dir, "login-2-authorize.png"))
    print(f"authorize dialog: {flows!r}, client id {client_id!r}")
    checks["authorization_code flow with PKCE, the client id"] = "PKCE" in (flows or "") and client_id == "docs"
    # keeps the URL Swagger UI opens the popup with (the authorization request)
    cdp.evaluate("(open => { window.open = (url, ...rest) => (window.__opened = url, open.call(window, url, ...rest)); })(window.open)")
    # a user's click: Chromium blocks a popup opened without one
    cdp.call("Runtime.evaluate", userGesture=True,
             expression=f"{AUTH_CONTAINER}.querySelector('button.authorize').click()")

    logged_in, popup_urls = login_at_provider(profile, issuer, out_dir)
    auth_url = cdp.evaluate("window.__opened") or ""
    popup_urls.append(auth_url)
    auth_params = urllib.parse.parse_qs(urllib.parse.urlsplit(auth_url).query)
    print(f"authorization request: {auth_url.split('?')[0]} client_id={auth_params.get('client_id')} "
          f"code_challenge_method={auth_params.get('code_challenge_method')} "
          f"resource={auth_params.get('resource')}")
    checks["login and consent at the provider"] = logged_in
    checks["S256 code_challenge sent"] = auth_params.get("code_challenge_method") == ["S256"] and \
        bool(auth_params.get("code_challenge"))

    authorized = cdp.wait_for(f"{AUTH_CONTAINER}?.innerText.includes('Logout')", bool)
    token_posts = [r for r in cdp.sent if r.get("method") == "POST" and r.get("url", "").split("?")[0] == issuer + "/token"]
    verifier = any("code_verifier=" in post_data(cdp, r) for r in token_posts)
    if not verifier:
        print("  requests to the issuer:", [(r.get("method"), r.get("url"), r.get("hasPostData"))
                                             for r in cdp.sent if r.get("url", "").startswith(issuer)])
    cdp.screenshot(os.path.join(out_dir, "login-5-authorized.png"))
    print(f"authorized in the page: {authorized}; token request with code_verifier: {verifier}")
    checks["authorized, code redeemed with the verifier"] = bool(authorized) and verifier
    cdp.evaluate("document.querySelector('.modal-ux .btn-done, .modal-ux .close-modal').click()")

    status, body = call_again(cdp, op_id, os.path.join(out_dir, "login-6-call.png"))
    bearer = bearer_sent(cdp, "/api/orders/")
    print(f"with the token: {status} {body.strip()[:80]!r}; Authorization: Bearer sent: {bearer}")
    checks["200 with the user's subject"] = status == "200" and f"orders of {USER} " in body and bearer

    cdp.evaluate("document.querySelector('.btn.authorize').click()")
    cdp.wait_for(f"!!{AUTH_CONTAINER}", bool)
    cdp.evaluate(f"[...{AUTH_CONTAINER}.querySelectorAll('button')].find(b => b.innerText == 'Logout').click()")
    cdp.wait_for(f"!{AUTH_CONTAINER}.innerText.includes('Logout')", bool)
    cdp.evaluate("document.querySelector('.modal-ux .btn-done, .modal-ux .close-modal').click()")
    status, body = call_again(cdp, op_id, os.path.join(out_dir, "login-7-logged-out.png"))
    print(f"after logout: {status}")
    checks["401 after logout"] = status == "401"

    allowed = (origin, issuer)
    offsite = [u for u in cdp.requests + popup_urls
               if not (u.startswith(allowed) or u.startswith(("data:", "blob:")))]
    print(f"requests: page {len(cdp.requests)}, popup {len(popup_urls)}; off loopback: {len(offsite)}")
    for url in offsite:
        print(f"  OFF-SITE {url}")
    checks["no request left loopback"] = not offsite and all(
        urllib.parse.urlsplit(u).hostname == "127.0.0.1" for u in allowed)

    print("screenshots:", ", ".join(sorted(f for f in os.listdir(out_dir) if f.startswith("login-"))))
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    print("PASS" if all(checks.values()) else "FAIL")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
