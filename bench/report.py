#!/usr/bin/env python3
"""Builds bench/RESULTS.md from the raw outputs of bench/run.

    report.py RESULTS_DIR CRITERION_DIR > bench/RESULTS.md
"""

import json
import os
import re
import sys

import report_native

OUT, CRIT = sys.argv[1], sys.argv[2]


def read(name):
    path = os.path.join(OUT, name)
    return open(path).read() if os.path.exists(path) else None


def cases():
    rows = []
    for line in (read("cases.tsv") or "").splitlines():
        cid, base, label = line.split("\t", 2)
        rows.append((cid, base, label))
    return rows


def criterion_runs():
    """{case: [ns per run]} from bench/run's criterion-<run>.tsv files."""
    runs = {}
    for name in sorted(os.listdir(OUT)) if os.path.isdir(OUT) else []:
        if re.fullmatch(r"criterion-\d+\.tsv", name):
            for line in read(name).splitlines():
                if line:
                    cid, ns = line.split("\t")
                    runs.setdefault(cid, []).append(float(ns))
    return runs


RUNS = criterion_runs()


def criterion_ns(cid):
    """ns per request: the minimum over bench/run's criterion runs of criterion's slope
    estimate (iter_custom over n requests); else the last run's estimate."""
    if RUNS.get(cid):
        return min(RUNS[cid])
    path = os.path.join(CRIT, "per_request", cid, "new", "estimates.json")
    if not os.path.exists(path):
        return None
    est = json.load(open(path))
    pick = est.get("slope") or est["mean"]
    return pick["point_estimate"]


def tsv_ints(name):
    return {k: int(v) for k, v in (l.split("\t") for l in (read(name) or "").splitlines() if l)}


def callgrind():
    return tsv_ints("callgrind.tsv")


def callgrind_no_sha():
    """Instructions per request with SHA-256's block function excluded: the raw count minus
    the count of the runs collecting only inside `sha2::sha256::compress256`."""
    raw, sha = callgrind(), tsv_ints("callgrind-sha.tsv")
    return {k: v - sha[k] for k, v in raw.items() if k in sha}


def ratio(x, base):
    return f"{x / base:.2f}" if x is not None and base else "-"


def num(x, fmt="{:,.0f}"):
    return fmt.format(x) if x is not None else "-"


NO_SHA = ("*Without SHA-256*: the raw count minus the instructions executed inside SHA-256's "
          "block function, `sha2::sha256::compress256` and all it calls: the same two runs again "
          "under `valgrind --tool=callgrind --collect-atstart=no "
          "--toggle-collect='*sha2::sha256::compress256*'`, per request as the raw count is "
          "(difference between the two runs / difference in requests). Valgrind has no SHA extensions, so "
          "under callgrind SHA-256 runs its portable code, many times what it costs natively; "
          "this column is the instruction count of everything else.")


def per_request_section(lines):
    rows = cases()
    if not rows:
        return {}
    ns = {cid: criterion_ns(cid) for cid, _, _ in rows}
    ins = callgrind()
    nosha = callgrind_no_sha()
    lines.append("## Per request, in process (criterion and callgrind)")
    lines.append("")
    lines.append("| case | what | ns/request | x (b) | instructions/request | x (b) | without SHA-256 | x (b) |")
    lines.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for cid, base, label in rows:
        lines.append(
            f"| `{cid}` | {label} | {num(ns[cid])} | {ratio(ns[cid], ns.get(base))} "
            f"| {num(ins.get(cid))} | {ratio(ins.get(cid), ins.get(base))} "
            f"| {num(nosha.get(cid))} | {ratio(nosha.get(cid), nosha.get(base))} |"
        )
    lines.append("")
    lines.append("`x (b)` is the ratio to the hand-written case of the same auth in the same run "
                 "(`b-jwt`, `b-basic`; for the 401 rows `g-b-jwt`). " + NO_SHA)
    lines.append("")
    return {"ns": ns, "ins": ins}


def derived_section(lines, data):
    if not data:
        return
    ns, ins = data["ns"], data["ins"]

    def d(a, b, src, div=1):
        x, y = src.get(a), src.get(b)
        return (x - y) / div if x is not None and y is not None else None

    lines.append("### Where the cost goes, and the targets")
    lines.append("")
    lines.append("| quantity | ns | instructions |")
    lines.append("| --- | ---: | ---: |")
    for label, a, b, div in [
        ("JWT check itself, hand-written (`b-jwt - a-bare`)", "b-jwt", "a-bare", 1),
        ("dmr's claim rules written by hand over (b) (`b3-jwt - b-jwt`)", "b3-jwt", "b-jwt", 1),
        ("dmr's JWT backend over the hand-written check (`b2-jwt - b-jwt`)", "b2-jwt", "b-jwt", 1),
        ("dmr dispatch around the JWT check (`c-jwt - b2-jwt`)", "c-jwt", "b2-jwt", 1),
        ("  of which `Authed<JwtToken>` (`c-jwt - c0-jwt`)", "c-jwt", "c0-jwt", 1),
        ("dmr's Basic backend over the hand-written check (`b2-basic - b-basic`)", "b2-basic", "b-basic", 1),
        ("dmr dispatch around the Basic check (`c-basic - b2-basic`)", "c-basic", "b2-basic", 1),
        ("each skipped auth (`(f-chain-16 - f-chain-1) / 15`)", "f-chain-16", "f-chain-1", 15),
        ("each skipped auth, short chain (`(f-chain-4 - f-chain-1) / 3`)", "f-chain-4", "f-chain-1", 3),
        ("each skipped auth, two skips (`(f-chain-3 - f-chain-1) / 2`)", "f-chain-3", "f-chain-1", 2),
        ("401 path, dmr over hand-written (`g-c-jwt - g-b-jwt`)", "g-c-jwt", "g-b-jwt", 1),
    ]:
        lines.append(f"| {label} | {num(d(a, b, ns, div))} | {num(d(a, b, ins, div))} |")
    lines.append("")

    def target(name, ok):
        return f"| {name} | {'met' if ok else 'missed'} |" if ok is not None else f"| {name} | not measured |"

    def le(a, b, src, k=1.0):
        x, y = src.get(a), src.get(b)
        return None if x is None or y is None else x <= k * y

    lines.append("| target | ns (criterion) | instructions (callgrind) |")
    lines.append("| --- | --- | --- |")
    for name, a, b, k in [
        ("(c) JWT <= 0.75 x (b) (issue 13)", "c-jwt", "b-jwt", 0.75),
        ("(c) JWT <= 0.75 x (b'') (dmr's rules by hand)", "c-jwt", "b3-jwt", 0.75),
        ("(f) chain of 3 <= 0.75 x (b)", "f-chain-3", "b-jwt", 0.75),
        ("(c) Basic <= 1.03 x (b) (issue 13)", "c-basic", "b-basic", 1.03),
        ("(c) JWT <= 1.05 x (b)", "c-jwt", "b-jwt", 1.05),
        ("(c) Basic <= 1.05 x (b)", "c-basic", "b-basic", 1.05),
        ("(c) JWT no slower than (d)", "c-jwt", "d-jwt", 1.0),
        ("(c) JWT no slower than (e)", "c-jwt", "e-jwt", 1.0),
        ("(c) Basic no slower than (d)", "c-basic", "d-basic", 1.0),
        ("(c) Basic no slower than (e)", "c-basic", "e-basic", 1.0),
        ("(g) 401: (c) <= 1.05 x (b)", "g-c-jwt", "g-b-jwt", 1.05),
        ("(g) 401: (c) no slower than (d)", "g-c-jwt", "g-d-jwt", 1.0),
    ]:
        def cell(src):
            ok = le(a, b, src, k)
            if ok is None:
                return "-"
            return f"{'met' if ok else 'MISSED'} ({src[a] / src[b]:.2f})"
        lines.append(f"| {name} | {cell(ns)} | {cell(ins)} |")
    skip = d("f-chain-16", "f-chain-1", ns, 15)
    skip_ins = d("f-chain-16", "f-chain-1", ins, 15)
    lines.append(f"| each skipped auth < 50 ns, <= 100 instructions | {'-' if skip is None else ('met' if skip < 50 else 'MISSED') + f' ({skip:.0f} ns)'} "
                 f"| {'-' if skip_ins is None else ('met' if skip_ins <= 100 else 'MISSED') + f' ({skip_ins:.0f})'} |")
    lines.append("")
    lines.append("Callgrind counts are exact and repeatable (the machine is shared, wall-clock is not); "
                 f"criterion's are the minimum over {max((len(v) for v in RUNS.values()), default=1)} runs (each pinned to one core) of its slope estimate "
                 "(on this shared 2-core machine one run moves by up to 40 %).")
    lines.append("")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(name):
    text = read(f"wrk-{name}.txt")
    if not text:
        return None
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    p99 = float(m.group(1)) * UNITS[m.group(2)] if m else None
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    non2xx = int(m.group(1)) if m else 0
    total = int(re.search(r"(\d+) requests in", text).group(1))
    return rps, p99, non2xx, total


def load_section(lines):
    runs = [("public", "`GET /api/public/` (no auth)"), ("jwt", "`GET /api/jwt/` (JWT)"),
            ("basic", "`GET /api/basic/` (Basic)"), ("401", "`GET /api/jwt/` without credentials (401)")]
    got = {n: wrk(n) for n, _ in runs}
    if not any(got.values()):
        return
    base = got["public"][0] if got.get("public") else None
    lines.append("## Throughput over loopback (wrk, release demo)")
    lines.append("")
    lines.append("| route | requests/s | x public | p99 latency | requests | non-2xx |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    for n, label in runs:
        r = got[n]
        if r:
            rps, p99, non2xx, total = r
            lines.append(f"| {label} | {rps:,.0f} | {ratio(rps, base)} | {num(p99, '{:.2f} ms')} | {total:,} | {non2xx:,} |")
    rss = read("rss.txt") or ""
    kb = lambda kind, key: (re.search(rf"^{kind} {key}:\s+(\d+) kB", rss, re.M) or [None, None])[1]
    idle, idle_peak = kb("idle", "VmRSS"), kb("idle", "VmHWM")
    peak, after = kb("loaded", "VmHWM"), kb("loaded", "VmRSS")
    if peak:
        mib = lambda k: f"{int(k) / 1024:.1f} MiB"
        lines.append("")
        lines.append(f"Memory of the demo process (`/proc/<pid>/status`): **peak {mib(peak)}** (VmHWM after "
                     f"all the load runs; it was already {mib(idle_peak)} before the first request, so the "
                     f"peak is set at startup), resident {mib(idle)} idle and {mib(after)} after the load.")
    lines.append("")


def compile_times():
    """{(endpoints, crate): [seconds]} from compile.tsv (older runs: 200 endpoints)."""
    times = {}
    for l in (read("compile.tsv") or "").splitlines():
        f = l.split("\t")
        n, crate, secs = (f[0], f[1], f[3]) if len(f) == 4 else ("200", f[0], f[2])
        times.setdefault((int(n), crate), []).append(float(secs))
    return times


def compile_ratios():
    """{endpoints: best dmr / best plain}."""
    t = compile_times()
    return {n: min(t[(n, "gen-dmr")]) / min(t[(n, "gen-plain")])
            for n, c in t if c == "gen-dmr" and (n, "gen-plain") in t}


def compile_section(lines):
    times = compile_times()
    if not times:
        return
    sizes = sorted({n for n, _ in times})
    lines.append("## Compile time (generated endpoints)")
    lines.append("")
    lines.append("| endpoints | dmr runs (s) | plain runs (s) | dmr best (s) | plain best (s) | x plain | goal <= 1.15 x (200, 400) |")
    lines.append("| ---: | --- | --- | ---: | ---: | ---: | --- |")
    best = {}
    for n in sizes:
        d, p = times.get((n, "gen-dmr"), []), times.get((n, "gen-plain"), [])
        if not d or not p:
            continue
        best[n] = (min(d), min(p))
        r = min(d) / min(p)
        goal = ("met" if r <= 1.15 else "MISSED") if n in (200, 400) else ""
        lines.append(f"| {n} | {', '.join(f'{x:.2f}' for x in d)} | {', '.join(f'{x:.2f}' for x in p)} "
                     f"| {min(d):.2f} | {min(p):.2f} | {r:.2f} | {goal} |")
    lines.append("")
    if len(best) >= 2:
        lo, hi = sizes[0], sizes[-1]
        per = lambda i: (best[hi][i] - best[lo][i]) / (hi - lo) * 1e3
        lines.append(f"Per endpoint, from {lo} to {hi} endpoints: dmr {per(0):.1f} ms, plain {per(1):.1f} ms "
                     f"({per(0) / per(1):.2f} x).")
        lines.append("")
    growth_section(lines, sizes)
    lines.append("dmr: `#[controller]` / `#[endpoint]`; plain: actix `#[get]` + hand-written extractors "
                 "+ `#[utoipa::path(security(..))]` and a `#[derive(OpenApi)]` (`bench/compile/gen.py`: "
                 "per 10 endpoints, 6 JWT, 2 Basic-then-JWT chains, 1 public, 1 JSON POST).")
    lines.append("")


def passes(crate, n):
    """{pass: seconds} from rustc's -Z time-passes output (top-level and nested)."""
    text = read(f"compile-passes-{crate}-{n}.txt") or ""
    out = {}
    for m in re.finditer(r"^time:\s+([\d.]+);.*?\s(\S+)$", text, re.M):
        out[m.group(2)] = out.get(m.group(2), 0.0) + float(m.group(1))
    return out


def growth_section(lines, sizes):
    """What grows per endpoint: expanded source and rustc's passes, dmr against plain."""
    exp = {}
    for l in (read("compile-expanded.tsv") or "").splitlines():
        n, crate, nbytes, nlines = l.split("\t")
        exp[(int(n), crate)] = (int(nbytes), int(nlines))
    if len(sizes) < 2:
        return
    lo, hi = sizes[0], sizes[-1]
    span = hi - lo
    lines.append(f"### What grows per endpoint ({lo} -> {hi} endpoints, divided by {span})")
    lines.append("")
    if all((n, c) in exp for n in (lo, hi) for c in ("gen-dmr", "gen-plain")):
        lines.append("| per endpoint | dmr | plain | x plain |")
        lines.append("| --- | ---: | ---: | ---: |")
        for i, what in ((0, "expanded source, bytes (`-Zunpretty=expanded`)"), (1, "expanded source, lines")):
            d = (exp[(hi, "gen-dmr")][i] - exp[(lo, "gen-dmr")][i]) / span
            p = (exp[(hi, "gen-plain")][i] - exp[(lo, "gen-plain")][i]) / span
            lines.append(f"| {what} | {d:,.0f} | {p:,.0f} | {d / p:.2f} |")
        lines.append("")
    pd = {n: passes("gen-dmr", n) for n in (lo, hi)}
    pp = {n: passes("gen-plain", n) for n in (lo, hi)}
    if pd[lo] and pd[hi]:
        names = set(pd[hi]) | set(pp[hi])
        grow = lambda src, k: (src[hi].get(k, 0.0) - src[lo].get(k, 0.0)) / span * 1e3
        rows = sorted(names, key=lambda k: -(grow(pd, k) - grow(pp, k)))
        lines.append("| rustc pass (`-Z time-passes`, summed where nested) | dmr ms / endpoint | plain ms / endpoint | dmr - plain |")
        lines.append("| --- | ---: | ---: | ---: |")
        for k in rows[:15]:
            lines.append(f"| `{k}` | {grow(pd, k):.2f} | {grow(pp, k):.2f} | {grow(pd, k) - grow(pp, k):+.2f} |")
        lines.append("")
        lines.append("The passes with the largest excess per endpoint over plain come first; the "
                     "figures are from one `-Z time-passes` build of each crate per size (the "
                     "pinned stable rustc with `RUSTC_BOOTSTRAP=1`, the crate only), so read them "
                     "for where the time goes, the table above for how much.")
        lines.append("")


def method(lines):
    env = read("env.txt") or ""
    lines.append("## How it was measured")
    lines.append("")
    lines.append("```text")
    lines.append(env.strip())
    lines.append("```")
    lines.append("")
    lines.append("""* **Cases** (`bench/src/`): every case serves one route and answers the same body, the
  user name (`admin`), from the same request: the demo's HS256 token (`sub`, `exp`, `iat`,
  `extras.type`) or `Basic admin:pass`. (b) decodes with `jsonwebtoken::decode::<Claims>`
  (HS256, `exp`, required `sub`, not a refresh token) or base64-decodes and compares; (d)
  runs the same functions in `actix-web-httpauth` 0.8 validators and hands the identity over
  with `ReqData`; (e) runs them as poem-openapi 5 `SecurityScheme` checkers. (b') is a
  hand-written handler that calls dmr's own backend check (`JwtAuth` / `HttpBasic`)
  inline: `b' - b` is what dmr's backend does beyond the hand-written check (PyJWT claim
  rules, `extras`, the reference's Basic parsing), `c - b'` is the dispatch itself. The dmr
  endpoints take `Authed<JwtToken>` / `Authed<BasicUser>` (`c0-jwt` takes nothing).
  The (f) chains are `[Basic x (n-1), JWT]` on a Bearer request: every Basic auth skips.
* **ns/request**: criterion 0.8 (`cargo bench` in `bench/`), `iter_custom` over n requests
  through `actix_web::test::call_service` (poem: `poem::test::TestClient`), including building
  the request; slope estimate, 30 samples, 2 s each, after 0.5 s warm-up; each run pinned to
  one core with `taskset` (`CRIT_CPU`).
* **instructions/request**: `valgrind --tool=callgrind` on `per_request <case> <n>` for
  n = 200 and n = 1200; the difference divided by 1000, so setup cancels out.
* **Throughput**: `cargo build --release -p dmr-demo`, served on 127.0.0.1 with actix's default
  workers (one per core), `wrk -t1 -c32 -d10s --latency` per route, one after the other; wrk
  and the server share the 2 cores. Peak RSS is the server's `VmHWM` from `/proc`.
* **Checked**: before anything is timed, `per_request --check` compares every case's whole
  response (status, every header, body; `date` by presence only) with its hand-written
  reference's; the differences a peer is allowed (actix-web-httpauth's and poem's own 401s)
  are declared in `bench/src/check.rs`, any other fails the run.
* **instructions without SHA-256**: each callgrind run repeated with collection only inside
  `sha2::sha256::compress256` (`--collect-atstart=no --toggle-collect=..`), that count
  subtracted the same way (difference between the two runs / difference in requests).
* **Native rounds**: `bench/src/bin/native.rs` pinned with `taskset`; per pair, rounds of
  A then B batches in one process, a ratio per round, median and spread of the ratios.
* **HTTP**: `bench/src/bin/serve.rs` (one worker) per server, `wrk -t1 -c32 --latency`,
  interleaved rounds in a rotating order.
* **Compile time**: `bench/compile/gen.py` writes both crates into `target/bench-compile-src`
  (never into git) at each size of `COMPILE_ENDPOINTS`; dependencies are built first, then each
  crate is touched and rebuilt with `cargo build` (dev profile, `CARGO_INCREMENTAL=0`),
  alternating, best of the runs; then one `-Zunpretty=expanded` and one `-Z time-passes` build
  of each crate.
* Rerun: `bench/run` (all), or any of `bench/run criterion callgrind native http load compile`; the
  reference: `bench/reference/run`.""")
    lines.append("")


def main():
    lines = ["# Benchmarks (issues 6, 13 and 22)", "",
             "Generated by `bench/run`; see the last section for how. Do not edit by hand.", ""]
    report_native.goals_section(lines, read, callgrind(), callgrind_no_sha(), compile_ratios())
    data = per_request_section(lines)
    derived_section(lines, data)
    report_native.native_section(lines, read)
    report_native.http_section(lines, OUT, read)
    load_section(lines)
    compile_section(lines)
    ref = read("reference.md")
    if ref:
        lines.append(ref.strip())
        lines.append("")
    method(lines)
    print("\n".join(lines))


main()
