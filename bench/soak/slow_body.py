#!/usr/bin/env python3
"""Slow-body probe: N connections drip a login body one byte a second; how many are still
open (no answer, not closed) after T seconds.

    bench/soak/slow_body.py DEMO_BINARY [--conns 200] [--seconds 30] [--path /api/auth/login/]
                            [--header "authorization: Bearer $(DEMO token)"]

Prints one line of JSON: connections answered (status counts), closed without an answer,
and still open at the end. Standard library only.
"""
import argparse
import json
import select
import socket
import time
from collections import Counter

import demo


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("demo")
    ap.add_argument("--conns", type=int, default=200)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--path", default="/api/auth/login/")
    ap.add_argument("--header", action="append", default=[],
                    help="an extra request header, `name: value` (repeatable)")
    a = ap.parse_args()
    proc, port = demo.start(a.demo)
    try:
        body = json.dumps({"username": "admin", "password": "pass"}).encode()
        body = body + b" " * (4000 - len(body))
        head = (f"POST {a.path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                f"content-length: {len(body)}\r\n"
                + "".join(h + "\r\n" for h in a.header) + "\r\n").encode()
        socks = {}
        for _ in range(a.conns):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(head)
            s.setblocking(False)
            socks[s] = 0
        answered, closed, when = Counter(), 0, []
        t0 = time.time()
        while time.time() - t0 < a.seconds and socks:
            for s in list(socks):
                try:
                    s.send(body[socks[s]:socks[s] + 1])
                    socks[s] += 1
                except OSError:
                    pass
            deadline = time.time() + 1
            while time.time() < deadline and socks:
                ready, _, _ = select.select(list(socks), [], [], max(0, deadline - time.time()))
                for s in ready:
                    try:
                        data = s.recv(4096)
                    except OSError:
                        data = b""
                    if data.startswith(b"HTTP/1.1 "):
                        answered[data[9:12].decode()] += 1
                    else:
                        closed += 1
                    when.append(round(time.time() - t0, 1))
                    del socks[s]
                    s.close()
        print(json.dumps({
            "conns": a.conns, "seconds": a.seconds, "path": a.path,
            "answered": dict(answered), "closed_without_answer": closed,
            "still_open": len(socks),
            "first_answer_s": min(when) if when else None,
            "last_answer_s": max(when) if when else None,
        }))
        for s in socks:
            s.close()
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
