"""Runs the README's walk-throughs of the demo verbatim and checks what each command printed
against the comment beside it.

    python3 scripts/readme_check.py DEMO_BINARY

Every ```sh block of README.md that talks to the demo (`127.0.0.1:8000`) runs as it is written,
in one bash process per block (so `TOKEN=$(..)` carries to the next line), against the demo
binary started on 127.0.0.1:8000 with a throwaway token database. A command is a line with
its `\\` continuations; its expectation is the `# ..` comment on its last line and on the
comment-only lines right after it. What an expectation can check:

- a status: a leading `NNN` (or a run `NNN NNN ..`) must be the output's status line
  (`HTTP/1.1 NNN`, with `-i` / `-D -`) or the output itself (`-w '%{http_code}'`);
- a body: the first JSON value in the comment (`{..}`, `[..]` or `"..."`), where `..` and
  `<..>` stand for anything, must be found in the output;
- anything else (prose) is not checked, but the command must succeed.

Exits 1 at the first command whose output does not match, printing both.
"""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDR = ("127.0.0.1", 8000)


def blocks(text):
    """The ```sh blocks that call the demo, as lists of lines."""
    out, current = [], None
    for line in text.splitlines():
        if current is None:
            if line.strip() == "```sh":
                current = []
        elif line.strip() == "```":
            if any("127.0.0.1:8000" in l for l in current):
                out.append(current)
            current = None
        else:
            current.append(line)
    return out


def split_comment(line):
    """`(code, comment)` of a shell line: the comment is what follows the last ` # ` outside
    quotes (close enough for these walk-throughs)."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip(), line[i + 1 :].strip()
    return line, ""


def commands(lines):
    """`[(command, expectation)]` of one block."""
    out = []
    pending = ""
    for line in lines:
        code, comment = split_comment(line)
        if not code.strip() and out and not pending:
            # a comment-only line continues the previous command's expectation
            out[-1] = (out[-1][0], (out[-1][1] + " " + comment).strip())
            continue
        if code.endswith("\\"):
            pending += code[:-1] + " "
            continue
        if not complete(pending + code):
            # a compound command (`for ..; do` .. `done`) runs as one
            pending += code + "\n"
            continue
        out.append(((pending + code).strip(), comment))
        pending = ""
    return out


def complete(command):
    """Whether bash reads `command` as whole (not inside a loop or a quote)."""
    return subprocess.run(["bash", "-n", "-c", command], capture_output=True).returncode == 0


def first_json(comment):
    """The first JSON value written in the comment, as a regex (`..` and `<..>` match
    anything), or None."""
    start = min((i for i in (comment.find("{"), comment.find("["), comment.find('"')) if i >= 0), default=-1)
    if start < 0:
        return None
    opener = comment[start]
    if opener == '"':
        end = comment.find('"', start + 1)
        if end < 0:
            return None
        text = comment[start : end + 1]
    else:
        closer = {"{": "}", "[": "]"}[opener]
        depth, end = 0, None
        for i in range(start, len(comment)):
            if comment[i] == opener:
                depth += 1
            elif comment[i] == closer:
                depth -= 1
                if depth == 0:
                    end = i
                    break
        if end is None:
            return None
        text = comment[start : end + 1]
    parts = re.split(r"\.\.|<[^>]*>", text)
    return ".*?".join(re.escape(p) for p in parts)


def check(command, expectation, output):
    """None if `output` meets `expectation`, else why not."""
    statuses = re.match(r"^((?:\d{3}\s*)+)", expectation)
    if statuses:
        want = statuses.group(1).split()
        status_lines = re.findall(r"^HTTP/\S+ (\d{3})", output, re.M)
        if status_lines:
            if status_lines[-1] != want[-1]:
                return f"status {status_lines[-1]}, expected {want[-1]}"
        elif re.fullmatch(r"[\d\s]*", output) and output.split() != want:
            return f"printed {output.strip()!r}, expected {' '.join(want)}"
        # (a command that prints neither shows its body only: the status is the reader's)
    pattern = first_json(expectation)
    if pattern is not None and not re.search(pattern, output, re.S):
        return f"no {pattern!r} in the output"
    return None


def wait_for(addr, proc):
    for _ in range(300):
        if proc.poll() is not None:
            sys.exit(f"readme_check: the demo exited with {proc.returncode}")
        try:
            socket.create_connection(addr, timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("readme_check: the demo did not listen on 127.0.0.1:8000")


def main():
    demo = os.path.abspath(sys.argv[1])
    try:
        socket.create_connection(ADDR, timeout=0.2).close()
        sys.exit("readme_check: 127.0.0.1:8000 is taken; the README's commands need it")
    except OSError:
        pass
    work = tempfile.mkdtemp()
    env = dict(os.environ, DMR_DEMO_TOKENS_DB=os.path.join(work, "tokens.sqlite3"))
    for var in ("DMR_DEMO_ADDR", "DMR_DEMO_JWT_SECRET", "DMR_DEMO_PASSWORD", "DMR_DEMO_REDIS_URL", "DMR_DEMO_DATABASE_URL"):
        env.pop(var, None)
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    checked = 0
    for n, block in enumerate(blocks(text), 1):
        # each block on a fresh demo: its throttles and sessions start empty
        proc = subprocess.Popen([demo], cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(ADDR, proc)
            cmds = commands(block)
            script = "set -o pipefail\n"
            for i, (cmd, _) in enumerate(cmds):
                # `NAME=$(..)` prints nothing: its expectation is about the value
                assigned = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)=\$\(", cmd)
                show = f'printf "%s" "${assigned.group(1)}"; ' if assigned else ""
                script += f"{cmd}\nstatus=$?; {show}printf '\\n@@{i} %s\\n' $status\n"
            before = set(os.listdir(ROOT))
            run = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
            # the cookie jars the commands write (`cookies.txt`, `jar.txt`) go with the run
            for name in set(os.listdir(ROOT)) - before:
                os.remove(os.path.join(ROOT, name))
            outputs, current = {}, []
            for line in run.stdout.splitlines():
                m = re.match(r"^@@(\d+) (\d+)$", line)
                if m:
                    outputs[int(m.group(1))] = ("\n".join(current), int(m.group(2)))
                    current = []
                else:
                    current.append(line)
            for i, (cmd, expectation) in enumerate(cmds):
                output, status = outputs.get(i, ("", None))
                why = "did not run" if status is None else (f"exit status {status}" if status else None)
                why = why or check(cmd, expectation, output)
                if why:
                    print(f"readme_check: block {n}: `{cmd}`\n  {why}\n  expected: {expectation}\n  output:\n{output}\n  stderr:\n{run.stderr}", file=sys.stderr)
                    sys.exit(1)
                checked += 1
        finally:
            proc.terminate()
            proc.wait()
    print(f"readme_check: {checked} commands of the README ran verbatim and printed what it says")


if __name__ == "__main__":
    main()
