#!/usr/bin/env python3
"""One account against everyone's logout (issue 25, item 1), against a demo binary.

    bench/soak/revocation_flood.py DEMO_BINARY [--refreshes 100000] [--seconds 20]
                                   [--threads 16] [--logins 9] [--port P]

The demo has one account (`admin`), so attacker and victim are two logins of it: the victim
obtains a pair first; the attacker then obtains `--logins` pairs (9: the 10 obtains stay
within the per-user-name login limit) and refreshes them in a loop (refresh rotation is on:
each refresh revokes the presented token in the blocklist until it would expire, a day in
the demo) from `--threads` threads, each on a loopback address of its own (127.0.1.N),
until `--refreshes` were sent or `--seconds` passed. Then the victim logs out (Bearer
access token, refresh token in the body), and uses its access token again.

Prints one line of JSON: the refreshes' statuses and rate, the victim's logout status and
`Retry-After`, the status of its access token after the logout (401: revoked; 200: the
revocation was lost), resident memory at start and peak. Standard library only.
"""
import argparse
import http.client
import json
import threading
import time
from collections import Counter

import demo

PASS = "pass"


def request(conn, method, path, body=None, bearer=None):
    headers = {"content-type": "application/json"}
    if bearer:
        headers["authorization"] = f"Bearer {bearer}"
    conn.request(method, path, body=None if body is None else json.dumps(body),
                 headers=headers)
    res = conn.getresponse()
    data = res.read()
    return res.status, res.getheader("retry-after"), data


def obtain(port):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, _, data = request(c, "POST", "/api/jwt/obtain/",
                              {"username": "admin", "password": PASS})
    c.close()
    if status != 200:
        raise SystemExit(f"obtain answered {status}: {data[:200]!r}")
    v = json.loads(data)
    return v["access_token"], v["refresh_token"]


def attacker(port, source, families, deadline, budget, statuses, lock):
    """Refreshes its families in turn (each with its newest token) from `source`."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    i = 0
    while time.time() < deadline:
        with lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        slot = i % len(families)
        i += 1
        try:
            status, _, data = request(c, "POST", "/api/jwt/refresh/",
                                      {"refresh_token": families[slot]})
        except Exception as e:  # noqa: BLE001 - counted, not fatal
            with lock:
                statuses[type(e).__name__] += 1
            c.close()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                           source_address=(source, 0))
            continue
        with lock:
            statuses[status] += 1
        if status == 200:
            families[slot] = json.loads(data)["refresh_token"]
    c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("demo")
    ap.add_argument("--refreshes", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--logins", type=int, default=9)
    ap.add_argument("--port", type=int)
    a = ap.parse_args()
    proc, port = demo.start(a.demo, a.port)
    try:
        time.sleep(0.5)
        start = demo.rss(proc.pid)
        victim_access, victim_refresh = obtain(port)
        pairs = [obtain(port)[1] for _ in range(a.logins)]
        per_thread = [[] for _ in range(a.threads)]
        for i, refresh in enumerate(pairs):
            per_thread[i % a.threads].append(refresh)
        statuses, lock, budget = Counter(), threading.Lock(), [a.refreshes]
        deadline = time.time() + a.seconds
        threads = [
            threading.Thread(target=attacker, args=(
                port, f"127.0.1.{n + 1}", fams, deadline, budget, statuses, lock))
            for n, fams in enumerate(per_thread) if fams
        ]
        t0 = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.time() - t0

        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        out, retry_after, out_body = request(c, "POST", "/api/jwt/logout/",
                                             {"refresh_token": victim_refresh},
                                             bearer=victim_access)
        after, _, _ = request(c, "GET", "/api/jwt/", bearer=victim_access)
        c.close()
        sent = sum(statuses.values())
        print(json.dumps({
            "refreshes": sent, "seconds": round(took, 2),
            "per_second": round(sent / took) if took else None,
            "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
            "victim_logout": {"status": out, "retry_after": retry_after,
                              "body": out_body.decode(errors="replace")[:120]},
            "victim_token_after_logout": after,
            "rss_mib": {"start": start, "peak": demo.rss(proc.pid, "VmHWM")},
        }))
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
