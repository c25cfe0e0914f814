#!/usr/bin/env python3
"""Soak: a bounded mixed load on a demo binary for a fixed time, then errors, p99 latency
and resident memory at start, peak and end.

    bench/soak/soak.py DEMO_BINARY [--seconds 60] [--threads 16]

Each thread loops over a weighted mix: logins (right and wrong password), session GETs with
a logged-in cookie, JWT GETs, public GETs and bad input (malformed and oversized login
bodies, junk JWTs, junk Basic headers, tampered session cookies). An error is a 5xx, a
connection failure or a status outside the expected set. Standard library only; prints
one JSON object.
"""
import argparse
import http.client
import json
import random
import subprocess
import threading
import time
from collections import defaultdict

import demo


JSON = {"content-type": "application/json"}
LOGIN = json.dumps({"username": "admin", "password": "pass"})
WRONG = json.dumps({"username": "admin", "password": "wrong"})


def cases(cookie, token):
    """(name, weight, method, path, headers, body, expected statuses)"""
    return [
        ("login", 2, "POST", "/api/auth/login/", JSON, LOGIN, {200, 503}),
        ("login_wrong", 1, "POST", "/api/auth/login/", JSON, WRONG, {401, 503}),
        ("session_get", 20, "GET", "/api/example/", {"cookie": cookie}, None, {200}),
        ("jwt_get", 20, "GET", "/api/jwt/", {"authorization": f"Bearer {token}"}, None, {200}),
        ("public_get", 10, "GET", "/api/public/", {}, None, {200}),
        ("bad_login_json", 3, "POST", "/api/auth/login/", JSON, '{"username":', {400}),
        ("big_login", 1, "POST", "/api/auth/login/", JSON,
         '{"pad":[' + "0," * 50_000 + "0]}", {413}),
        ("junk_jwt", 5, "GET", "/api/jwt/", {"authorization": "Bearer a.b.c"}, None, {401}),
        ("junk_basic", 5, "GET", "/api/basic/", {"authorization": "Basic %%%"}, None, {401}),
        ("tampered_session", 5, "GET", "/api/example/",
         {"cookie": "sessionid=" + "A" * 200}, None, {401}),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("demo")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--threads", type=int, default=16)
    a = ap.parse_args()
    proc, port = demo.start(a.demo)
    try:
        token = subprocess.run([a.demo, "token"], capture_output=True, text=True,
                               check=True).stdout.strip()
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("POST", "/api/auth/login/", body=LOGIN, headers=JSON)
        r = c.getresponse()
        r.read()
        cookie = "; ".join(v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie")
        c.close()
        mix = cases(cookie, token)
        weights = [m[1] for m in mix]
        time.sleep(0.5)
        start_rss = demo.rss(proc.pid)
        lat = defaultdict(list)
        errors = defaultdict(int)
        counts = defaultdict(int)
        lock = threading.Lock()
        stop = time.time() + a.seconds
        peak = [start_rss]

        def worker(seed):
            rnd = random.Random(seed)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while time.time() < stop:
                name, _, method, path, headers, body, ok = rnd.choices(mix, weights)[0]
                t0 = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers=headers)
                    r = conn.getresponse()
                    r.read()
                    status = r.status
                    if r.getheader("connection", "").lower() == "close":
                        conn.close()
                except Exception as e:  # noqa: BLE001 - counted as an error
                    status = type(e).__name__
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                dt = (time.perf_counter() - t0) * 1000
                with lock:
                    counts[name] += 1
                    lat[name].append(dt)
                    if status not in ok:
                        errors[f"{name}:{status}"] += 1

        def sampler():
            while time.time() < stop:
                peak[0] = max(peak[0], demo.rss(proc.pid))
                time.sleep(0.2)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(a.threads)]
        threads.append(threading.Thread(target=sampler))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        time.sleep(2)

        def p99(xs):
            xs = sorted(xs)
            return round(xs[min(len(xs) - 1, int(len(xs) * 0.99))], 2) if xs else None

        total = sum(counts.values())
        print(json.dumps({
            "seconds": a.seconds, "threads": a.threads, "requests": total,
            "req_per_s": round(total / a.seconds, 1),
            "errors": dict(errors), "error_count": sum(errors.values()),
            "p99_ms": {k: p99(v) for k, v in sorted(lat.items())},
            "p99_ms_all": p99([x for v in lat.values() for x in v]),
            "rss_mib": {"start": start_rss, "peak": max(peak[0], demo.rss(proc.pid, "VmHWM")),
                        "end": demo.rss(proc.pid)},
        }, indent=1))
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
