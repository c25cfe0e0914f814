#!/usr/bin/env python3
"""Login flood against a demo binary: resident memory before, at peak and after.

    bench/soak/login_flood.py DEMO_BINARY [--mode logins|pad|endpoints] [--clients N] [--port P]

`logins`:    N concurrent correct logins (default 200): every one runs an Argon2 check.
`pad`:       N concurrent logins (default 32) whose body carries a 2 MB `[0,0,..]` pad
             (`--pad-bytes`; actix's default JSON limit is 2 MiB).
`endpoints`: N concurrent logins (default 200) on each of the session login, JWT obtain and
             token obtain at once, each from its own loopback address with its own user name
             (unknown: each still runs a password check, on a dummy hash), so that no throttle
             refuses them and every one reaches the password gate.

Prints one line of JSON: statuses seen, RSS (MiB) at start, peak (VmHWM) and 2 s after
the flood. Standard library only.
"""
import argparse
import http.client
import json
import threading
import time
from collections import Counter

import demo


ENDPOINTS = ["/api/auth/login/", "/api/jwt/obtain/", "/api/tokens/"]


def login(port, body, statuses, path="/api/auth/login/", source="127.0.0.1"):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120,
                                       source_address=(source, 0))
        c.request("POST", path, body=body, headers={"content-type": "application/json"})
        statuses[c.getresponse().status] += 1
        c.close()
    except Exception as e:  # noqa: BLE001 - any failure is counted, not fatal
        statuses[type(e).__name__] += 1


def endpoint_threads(port, clients, statuses):
    """`clients` logins on each endpoint, each from its own address and user name."""
    threads = []
    for e, path in enumerate(ENDPOINTS):
        for i in range(clients):
            n = e * clients + i
            source = f"127.{1 + n // 250}.{n % 250}.{1 + e}"
            body = json.dumps({"username": f"flood-{n}", "password": "pass"}).encode()
            threads.append(threading.Thread(target=login,
                                            args=(port, body, statuses, path, source)))
    return threads


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("demo")
    ap.add_argument("--mode", choices=["logins", "pad", "endpoints"], default="logins")
    ap.add_argument("--clients", type=int)
    ap.add_argument("--port", type=int)
    ap.add_argument("--pad-bytes", type=int, default=2_000_000)
    a = ap.parse_args()
    clients = a.clients or (32 if a.mode == "pad" else 200)
    proc, port = demo.start(a.demo, a.port)
    try:
        time.sleep(0.5)
        start = demo.rss(proc.pid)
        if a.mode == "logins":
            body = json.dumps({"username": "admin", "password": "pass"}).encode()
        else:
            body = (b'{"username":"admin","password":"pass","pad":['
                    + b"0," * (a.pad_bytes // 2) + b"0]}")
        statuses = Counter()
        if a.mode == "endpoints":
            threads = endpoint_threads(port, clients, statuses)
        else:
            threads = [threading.Thread(target=login, args=(port, body, statuses))
                       for _ in range(clients)]
        t0 = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.time() - t0
        time.sleep(2)
        print(json.dumps({
            "mode": a.mode, "clients": clients, "seconds": round(took, 2),
            "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
            "rss_mib": {"start": start, "peak": demo.rss(proc.pid, "VmHWM"),
                        "end": demo.rss(proc.pid)},
        }))
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
