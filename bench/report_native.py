"""The sections of bench/RESULTS.md from issue 22: the goals table, the native interleaved
rounds and the HTTP load against the peers (imported by bench/report.py).

Every native or HTTP figure is a median over rounds with its spread; a verdict is printed only
when the spread (the interquartile range of the per-round ratios) is narrower than the margin
between the median and the goal, else the row says "no verdict" and why.
"""

import os
import re
import statistics


def quartiles(xs):
    """(q1, median, q3) of xs, linear interpolation between the order statistics."""
    xs = sorted(xs)
    if len(xs) == 1:
        return xs[0], xs[0], xs[0]
    q1, q2, q3 = statistics.quantiles(xs, n=4, method="inclusive")
    return q1, statistics.median(xs), q3


def verdict(median, q1, q3, goal):
    """`met` / `MISSED` when the interquartile range is narrower than the margin to the goal,
    else `no verdict: ...`."""
    spread, margin = q3 - q1, abs(goal - median)
    if spread >= margin:
        return f"no verdict: spread {spread:.3f} wider than margin {margin:.3f} to the goal"
    return "met" if median <= goal else "MISSED"


def exact_verdict(x, goal):
    """For exact figures (callgrind counts): no spread to respect."""
    return "-" if x is None else ("met" if x <= goal else "MISSED")


def native_rounds(read):
    """{(case, baseline): [(case_cpu_ns, base_cpu_ns, cpu_ratio, wall_ratio)]} from
    native.tsv (CPU time of the process per request; the wall-clock ratio beside)."""
    out = {}
    for line in (read("native.tsv") or "").splitlines():
        if not line.strip():
            continue
        a, b, _round, _wa, _wb, wr, ca, cb, cr = line.split("\t")
        out.setdefault((a, b), []).append((float(ca), float(cb), float(cr), float(wr)))
    return out


def native_summary(rows):
    """(median ratio, q1, q3, min, max, median case ns, median baseline ns, rounds,
    median wall-clock ratio), all CPU time but the last."""
    ratios = [r for _, _, r, _ in rows]
    q1, med, q3 = quartiles(ratios)
    return (med, q1, q3, min(ratios), max(ratios),
            statistics.median(x[0] for x in rows), statistics.median(x[1] for x in rows),
            len(rows), statistics.median(x[3] for x in rows))


# The goals of issue 22: (what, case, baseline, goal, which columns carry a verdict).
GOALS = [
    ("JWT endpoint vs inline `jsonwebtoken::decode`", "c-jwt", "b-jwt", 0.70, "all"),
    ("Basic endpoint vs inline", "c-basic", "b-basic", 1.00, "all"),
    ("memory throttle on the JWT endpoint", "t-jwt-memory", "c-jwt", 1.03, "all"),
    ("opaque token on SQLite vs the JWT endpoint", "k-sqlite", "c-jwt", 1.30, "all"),
    ("Redis blocklist vs the JWT endpoint, client side", "h-jwt-redis", "c-jwt", 1.25, "instructions"),
]


def goals_section(lines, read, ins, nosha, compile_ratios):
    native = native_rounds(read)
    lines.append("## The goals of issue 22")
    lines.append("")
    lines.append("| case | goal | instructions | without SHA-256 | native: median of rounds (IQR; min-max) | verdict: instructions / without SHA-256 / native |")
    lines.append("| --- | ---: | ---: | ---: | --- | --- |")
    for what, a, b, goal, cols in GOALS:
        def r(src):
            return src[a] / src[b] if a in src and b in src else None
        ri, rn = r(ins), r(nosha)
        cell = lambda x: "-" if x is None else f"{x:.3f} x"
        nat, nv = "-", "-"
        if (a, b) in native:
            med, q1, q3, lo, hi, _, _, k, _ = native_summary(native[(a, b)])
            nat = f"{med:.3f} x ({q1:.3f}-{q3:.3f}; {lo:.3f}-{hi:.3f}, {k} rounds)"
            nv = verdict(med, q1, q3, goal) if cols == "all" else "(no goal: the client's CPU time includes the kernel's side of the round trip)"
        lines.append(f"| {what} (`{a}` / `{b}`) | <= {goal:.2f} x | {cell(ri)} | {cell(rn)} | {nat} "
                     f"| {exact_verdict(ri, goal)} / {exact_verdict(rn, goal)} / {nv} |")
    for n in (200, 400):
        r = compile_ratios.get(n)
        cell = "-" if r is None else f"{r:.2f} x (best of the runs, wall clock)"
        v = "-" if r is None else ("met" if r <= 1.15 else "MISSED")
        lines.append(f"| compile time, {n} endpoints vs plain actix-web + utoipa | <= 1.15 x | | | {cell} | {v} |")
    lines.append("")
    lines.append("Instruction ratios are exact (callgrind, same run); the native ratio is the median "
                 "of per-round ratios from interleaved rounds (see *Native*), and it carries a "
                 "verdict only when its interquartile range is narrower than its distance to the "
                 "goal. The compile-time rows are the best build of each crate (see *Compile "
                 "time*), wall clock, no spread to respect beyond the runs shown there.")
    lines.append("")


def native_section(lines, read):
    native = native_rounds(read)
    if not native:
        return
    goals = {(a, b): g for _, a, b, g, cols in GOALS if cols == "all"}
    lines.append("## Native, interleaved rounds (pinned to one core)")
    lines.append("")
    lines.append("| case / baseline | case CPU ns | baseline CPU ns | ratio: median | IQR | min-max | rounds | wall-clock ratio, median | goal | verdict |")
    lines.append("| --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | --- |")
    for (a, b), rows in native.items():
        med, q1, q3, lo, hi, na, nb, k, wall = native_summary(rows)
        goal = goals.get((a, b))
        v = verdict(med, q1, q3, goal) if goal else ""
        lines.append(f"| `{a}` / `{b}` | {na:,.0f} | {nb:,.0f} | {med:.3f} | {q1:.3f}-{q3:.3f} "
                     f"| {lo:.3f}-{hi:.3f} | {k} | {wall:.3f} | {'<= %.2f' % goal if goal else ''} | {v} |")
    lines.append("")
    lines.append("`bench/src/bin/native.rs`, run by `bench/run native` under `taskset` on one core: "
                 "both services of a pair built once in one process and warmed up, then rounds of "
                 "one batch of the case and one of its baseline (A, B, A, B ..), each batch sized "
                 "to take about `NATIVE_MS` ms of wall clock; each round gives one ratio. Each batch "
                 "is timed in the process's CPU time (`CLOCK_PROCESS_CPUTIME_ID`, all threads: what "
                 "the request cost, without the time other processes of this shared machine held the "
                 "core, and without waiting for a peer) and in wall-clock time (beside, for "
                 "comparison: it moves with the machine's load). Ratio, IQR and verdict are of the CPU "
                 "time; the ns columns are the medians of the batches' CPU ns per request (actix's "
                 "test service, no network). Kernel time is included: the SQLite and Redis cases "
                 "make system calls that callgrind does not count.")
    lines.append("")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk_file(text):
    """(req/s, p50 ms, p99 ms, non-2xx, requests) from one wrk --latency output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))

    def pct(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        return float(m.group(1)) * UNITS[m.group(2)] if m else None

    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    total = int(re.search(r"(\d+) requests in", text).group(1))
    return rps, pct(50), pct(99), int(m.group(1)) if m else 0, total


HTTP = [("b-jwt", "hand-written actix-web: `jsonwebtoken::decode` inline"),
        ("c-jwt", "dmr endpoint, `auth = [JwtAuth]`"),
        ("e-jwt", "poem-openapi bearer `SecurityScheme`")]


def http_section(lines, out_dir, read):
    runs = {}
    for name in sorted(os.listdir(out_dir)) if os.path.isdir(out_dir) else []:
        m = re.fullmatch(r"http-(.+)-(\d+)\.txt", name)
        if m:
            runs.setdefault(m.group(1), {})[int(m.group(2))] = wrk_file(read(name))
    if not runs:
        return
    base = runs.get("b-jwt", {})
    lines.append("## HTTP over loopback: dmr against hand-written actix and poem-openapi")
    lines.append("")
    lines.append("| server | req/s: median (min-max) | x hand-written: median of rounds (min-max) | p50 ms (median) | p99 ms (median) | requests | non-2xx |")
    lines.append("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for cid, label in HTTP:
        r = runs.get(cid)
        if not r:
            continue
        rps = [x[0] for x in r.values()]
        per_round = [r[k][0] / base[k][0] for k in r if k in base]
        rel = "-"
        if per_round:
            rel = f"{statistics.median(per_round):.3f} ({min(per_round):.3f}-{max(per_round):.3f})"
        p50 = statistics.median(x[1] for x in r.values() if x[1] is not None)
        p99 = statistics.median(x[2] for x in r.values() if x[2] is not None)
        lines.append(f"| {label} (`{cid}`) | {statistics.median(rps):,.0f} ({min(rps):,.0f}-{max(rps):,.0f}) "
                     f"| {rel} | {p50:.2f} | {p99:.2f} | {sum(x[4] for x in r.values()):,} "
                     f"| {sum(x[3] for x in r.values()):,} |")
    lines.append("")
    k = max(len(v) for v in runs.values())
    lines.append(f"`bench/run http`: each server is `bench/src/bin/serve.rs` serving the same case as "
                 f"the in-process rows (one worker thread, `GET /x` with the bench JWT), all three "
                 f"pinned to one core; `wrk -t1` on the other core; {k} rounds, each round one wrk "
                 f"run per server in a rotating order, so the servers see the same machine. "
                 f"`x hand-written` is taken per round, then the median.")
    lines.append("")
