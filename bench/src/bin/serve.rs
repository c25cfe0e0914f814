//! `serve <case> <port>`: serves one case of `per_request --list` over HTTP on
//! `127.0.0.1:<port>` with one worker thread (bench/run's `http` step runs a load generator
//! against it). `serve --token` prints the bench JWT.

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: serve <case> <port> | --token";
    let id = args.next().expect(usage);
    if id == "--token" {
        println!("{}", dmr_bench::token());
        return;
    }
    let port: u16 = args.next().and_then(|p| p.parse().ok()).expect(usage);
    let Some(case) = dmr_bench::case(&id) else {
        eprintln!("serve: unknown case `{id}`");
        std::process::exit(2);
    };
    if let Err(e) = case.serve(port) {
        eprintln!("serve {id}: {e}");
        std::process::exit(1);
    }
}
