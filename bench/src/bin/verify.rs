//! RS256 and EdDSA verification, for instruction counting under callgrind (as
//! `per_request`): `verify <case> <n>` builds the case's verifier, checks one decode, then
//! decodes `n` more times; `verify --list` prints the case ids. Run it for two values of `n`
//! and divide the difference in instructions by the difference in decodes.

fn main() {
    let mut args = std::env::args().skip(1);
    let first = args.next().unwrap_or_default();
    let cases = dmr_bench::verify_cases::verify_cases();
    if first == "--list" {
        for c in &cases {
            println!("{}\t{}", c.id, c.label);
        }
        return;
    }
    let Some(case) = cases.iter().find(|c| c.id == first) else {
        eprintln!("usage: verify <case> <n> | --list (unknown case `{first}`)");
        std::process::exit(2);
    };
    let n: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let t = (case.runner())(n);
    eprintln!(
        "{}: {n} decodes, {:.0} ns/decode",
        case.id,
        t.as_nanos() as f64 / n as f64
    );
}
