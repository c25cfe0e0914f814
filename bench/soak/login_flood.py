#!/usr/bin/env python3
"""Login flood against a demo binary: resident memory before, at peak and after.

    bench/soak/login_flood.py DEMO_BINARY [--mode logins|pad] [--clients N] [--port P]

`logins`: N concurrent correct logins (default 200): every one runs an Argon2 check.
`pad`:    N concurrent logins (default 32) whose body carries a 2 MB `[0,0,..]` pad
          (`--pad-bytes`; actix's default JSON limit is 2 MiB).

Prints one line of JSON: statuses seen, RSS (MiB) at start, peak (VmHWM) and 2 s after
the flood. Standard library only.
"""
import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter


def rss(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_up(port, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("demo did not start")


def login(port, body, statuses):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        c.request("POST", "/api/auth/login/", body=body,
                  headers={"content-type": "application/json"})
        statuses[c.getresponse().status] += 1
        c.close()
    except Exception as e:  # noqa: BLE001 - any failure is counted, not fatal
        statuses[type(e).__name__] += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("demo")
    ap.add_argument("--mode", choices=["logins", "pad"], default="logins")
    ap.add_argument("--clients", type=int)
    ap.add_argument("--port", type=int)
    ap.add_argument("--pad-bytes", type=int, default=2_000_000)
    a = ap.parse_args()
    clients = a.clients or (200 if a.mode == "logins" else 32)
    port = a.port or free_port()
    env = dict(os.environ, DMR_DEMO_ADDR=f"127.0.0.1:{port}")
    proc = subprocess.Popen([a.demo], env=env, stdout=subprocess.DEVNULL)
    try:
        wait_up(port)
        time.sleep(0.5)
        start = rss(proc.pid)
        if a.mode == "logins":
            body = json.dumps({"username": "admin", "password": "pass"}).encode()
        else:
            body = (b'{"username":"admin","password":"pass","pad":['
                    + b"0," * (a.pad_bytes // 2) + b"0]}")
        statuses = Counter()
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
            "rss_mib": {"start": round(start, 1), "peak": round(rss(proc.pid, "VmHWM"), 1),
                        "end": round(rss(proc.pid), 1)},
        }))
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
