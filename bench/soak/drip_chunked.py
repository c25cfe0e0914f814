#!/usr/bin/env python3
"""Connections that never finish a chunked body, against a demo limited to `--nofile` open
files: does the server keep serving everybody else?

    bench/soak/drip_chunked.py DEMO_BINARY [--conns 1100] [--nofile 1024] [--seconds 30]
                               [--path /api/jwt/]

Each of `--conns` connections sends `POST PATH` with `Transfer-Encoding: chunked` and then
one one-byte chunk a second, never the last chunk. PATH answers without reading the body
(the JWT endpoint's 401). Meanwhile a probe client sends `GET /api/public/` (a new
connection, 2 s timeout) twice a second. Prints one line of JSON: how the dripping
connections ended (answered and closed by the server, answered and left open, never
answered), when the last was closed, the most open at once, and the probes that succeeded
and failed. Standard library only.
"""
import argparse
import http.client
import json
import resource
import selectors
import socket
import threading
import time
from collections import Counter

import demo

HEAD = ("POST {path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
        "transfer-encoding: chunked\r\n\r\n1\r\n{{\r\n")


def probe(port, stop, seen):
    while not stop.is_set():
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/api/public/")
            seen["ok" if c.getresponse().status == 200 else "bad_status"] += 1
            c.close()
        except Exception as e:  # noqa: BLE001 - every failure is counted
            seen[type(e).__name__] += 1
        stop.wait(0.5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("demo")
    ap.add_argument("--conns", type=int, default=1100)
    ap.add_argument("--nofile", type=int, default=1024)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--path", default="/api/jwt/")
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, a.conns + 256)), hard))
    proc, port = demo.start(a.demo, nofile=a.nofile)
    stop, probes = threading.Event(), Counter()
    prober = threading.Thread(target=probe, args=(port, stop, probes))
    try:
        socks, answered, ended = {}, Counter(), Counter()
        sel = selectors.DefaultSelector()  # epoll: more descriptors than select() takes
        connect_failed = 0
        for _ in range(a.conns):
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                s.sendall(HEAD.format(path=a.path).encode())
                s.setblocking(False)
                socks[s] = None  # status once answered
                sel.register(s, selectors.EVENT_READ)
            except OSError:
                connect_failed += 1
        prober.start()
        t0, last_close = time.time(), None
        while time.time() - t0 < a.seconds:
            if not socks:  # every dripping connection ended: the probes go on to the end
                time.sleep(0.5)
                continue
            for s in list(socks):
                try:
                    s.send(b"1\r\n \r\n")
                except OSError:
                    pass
            tick = time.time() + 1
            while time.time() < tick and socks:
                ready = [k.fileobj for k, _ in sel.select(max(0, tick - time.time()))]
                for s in ready:
                    try:
                        data = s.recv(65536)
                    except OSError:
                        data = b""
                    if data.startswith(b"HTTP/1.1 "):
                        socks[s] = data[9:12].decode()
                        answered[socks[s]] += 1
                        # the connection may be closed in the same read
                        if b"\r\n\r\n" in data and not _still_open(s):
                            data = b""
                        else:
                            continue
                    if not data:
                        ended["closed_after_answer" if socks[s] else "closed_unanswered"] += 1
                        last_close = round(time.time() - t0, 1)
                        sel.unregister(s)
                        del socks[s]
                        s.close()
        stop.set()
        prober.join()
        for s, status in socks.items():
            ended["answered_left_open" if status else "unanswered_open"] += 1
            s.close()
        print(json.dumps({
            "conns": a.conns, "nofile": a.nofile, "seconds": a.seconds, "path": a.path,
            "connect_failed": connect_failed, "answered": dict(answered), "ended": dict(ended),
            "last_closed_s": last_close, "probes": dict(probes),
        }))
    finally:
        stop.set()
        proc.terminate()
        proc.wait()


def _still_open(s):
    """Whether the server has not closed `s` yet (a read finds no end of stream)."""
    try:
        return s.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False


if __name__ == "__main__":
    main()
