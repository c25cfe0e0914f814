//! Native ratios in interleaved rounds: `native <rounds> <batch ms> <case>:<baseline> ..`.
//!
//! For each pair, both services are built once in this process and warmed up; then each
//! round times a batch of the case, then a batch of its baseline (A, B, A, B ..), each batch
//! sized to take about `<batch ms>`. Every round gives one ratio, case / baseline, from two
//! batches timed a fraction of a second apart, so a change of the machine's load between
//! rounds moves both sides of that round's ratio alike. bench/run pins the process to one
//! core (`taskset`).
//!
//! Each batch is timed twice: wall clock, and the CPU time of this process
//! (`CLOCK_PROCESS_CPUTIME_ID`, every thread of it). On a shared machine the CPU time leaves
//! out the time other processes held the core, so its ratios spread much less; it also
//! leaves out the time spent waiting for a peer (Redis), i.e. it is the client-side cost.
//!
//! Prints one line per round, tab-separated: `case baseline round case_ns baseline_ns
//! wall_ratio case_cpu_ns baseline_cpu_ns cpu_ratio` (ns per request); bench/report.py
//! takes the median and the spread.

use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: native <rounds> <batch ms> <case>:<baseline> ..";
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).expect(usage);
    let batch_ms: f64 = args.next().and_then(|a| a.parse().ok()).expect(usage);
    let pairs: Vec<(String, String)> = args
        .map(|p| {
            let (a, b) = p.split_once(':').expect(usage);
            (a.to_owned(), b.to_owned())
        })
        .collect();
    for (a, b) in &pairs {
        let (Some(case), Some(base)) = (dmr_bench::case(a), dmr_bench::case(b)) else {
            eprintln!("native: {a}:{b}: no such case (left out)");
            continue;
        };
        let mut run_a = case.runner();
        let mut run_b = base.runner();
        let n_a = batch(&mut run_a, batch_ms);
        let n_b = batch(&mut run_b, batch_ms);
        let mut ratios = Vec::with_capacity(rounds);
        for round in 1..=rounds {
            let (wall_a, cpu_a) = timed(&mut run_a, n_a);
            let (wall_b, cpu_b) = timed(&mut run_b, n_b);
            let ratio = cpu_a / cpu_b;
            ratios.push(ratio);
            println!(
                "{a}\t{b}\t{round}\t{wall_a:.1}\t{wall_b:.1}\t{:.4}\t{cpu_a:.1}\t{cpu_b:.1}\t{ratio:.4}",
                wall_a / wall_b
            );
        }
        ratios.sort_by(f64::total_cmp);
        eprintln!(
            "{a} / {b}: CPU-time median {:.3} x over {rounds} rounds ({:.3} to {:.3})",
            ratios[ratios.len() / 2],
            ratios[0],
            ratios[ratios.len() - 1]
        );
    }
}

/// Warms the runner up and returns the number of requests that takes about `ms`.
fn batch(run: &mut dmr_bench::runner::Runner, ms: f64) -> u64 {
    let mut n = 16;
    loop {
        let start = Instant::now();
        run(n);
        let took = start.elapsed().as_secs_f64() * 1e3;
        if took > ms / 4.0 || n >= 1 << 24 {
            return ((n as f64 * ms / took) as u64).max(1);
        }
        n *= 4;
    }
}

/// One batch of `n`: (wall ns, process CPU ns) per request.
fn timed(run: &mut dmr_bench::runner::Runner, n: u64) -> (f64, f64) {
    let cpu = cpu_time();
    let wall = run(n);
    let cpu = cpu_time() - cpu;
    (
        wall.as_nanos() as f64 / n as f64,
        cpu.as_nanos() as f64 / n as f64,
    )
}

/// The CPU time this process has used so far, all threads.
fn cpu_time() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)");
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}
