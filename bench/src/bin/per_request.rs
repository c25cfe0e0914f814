//! Runs requests of one case, for instruction counting under callgrind.
//!
//! `per_request <case> <n>`: builds the case's service, sends one checked request, then `n`
//! more. bench/run runs it under `valgrind --tool=callgrind` for two values of `n` and
//! divides the difference in instructions by the difference in requests, so the setup cost
//! cancels out.
//!
//! `per_request --list` prints the case ids; `per_request --check` compares every case's
//! whole response (status, headers, body) with its reference's and exits non-zero, the
//! differences printed, when one differs in a way `check::EXPECTED` does not declare.
//! With `BENCH_SUBSCRIBER=fmt` a `tracing` formatting subscriber (INFO, written to a sink) is
//! installed first: the cost of the library's span and events when someone listens.

fn main() {
    // the cost with a subscriber on: tracing's formatting subscriber at INFO, into a sink
    if std::env::var("BENCH_SUBSCRIBER").as_deref() == Ok("fmt") {
        tracing_subscriber::fmt()
            .with_writer(std::io::sink)
            .with_max_level(tracing_subscriber::filter::LevelFilter::INFO)
            .init();
    }
    let mut args = std::env::args().skip(1);
    let first = args.next().unwrap_or_default();
    match first.as_str() {
        "--list" => {
            for c in dmr_bench::cases() {
                println!("{}\t{}\t{}", c.id, c.baseline, c.label);
            }
        }
        "--check" => {
            // one process builds every case once, as before; a runner checks its first
            // request's status whenever it is built to be timed
            if !dmr_bench::check::run(&dmr_bench::cases()) {
                eprintln!("per_request --check: some case does not answer what its reference does");
                std::process::exit(1);
            }
        }
        id => {
            let Some(case) = dmr_bench::case(id) else {
                eprintln!("usage: per_request <case> <n> | --list | --check (unknown case `{id}`)");
                std::process::exit(2);
            };
            let n: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
            let mut run = case.runner();
            let t = run(n);
            eprintln!(
                "{id}: {n} requests, {:.0} ns/request",
                t.as_nanos() as f64 / n as f64
            );
        }
    }
}
