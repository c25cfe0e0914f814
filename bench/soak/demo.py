"""What the soak scripts share: start a demo binary on a free loopback port, read its memory."""
import os
import socket
import subprocess
import sys
import time


def rss(pid, field="VmRSS"):
    """The process's resident memory (or its peak, `VmHWM`), MiB to one decimal."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024.0, 1)
    return 0.0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(demo, port=None, timeout=60, nofile=None):
    """Starts `demo` on `port` (a free one by default) and waits until it accepts connections:
    (process, port). Exits the script if it does not come up within `timeout` seconds.
    `nofile`: the demo's limit of open files (`ulimit -n`)."""
    port = port or free_port()
    env = dict(os.environ, DMR_DEMO_ADDR=f"127.0.0.1:{port}")

    def limit():
        if nofile:
            import resource
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

    proc = subprocess.Popen([demo], env=env, stdout=subprocess.DEVNULL, preexec_fn=limit)
    end = time.time() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return proc, port
        except OSError:
            if time.time() > end or proc.poll() is not None:
                proc.kill()
                sys.exit("demo did not start")
            time.sleep(0.1)
