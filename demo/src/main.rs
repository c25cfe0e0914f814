//! The dmr demo server.
//!
//! `cargo run -p dmr-demo` serves the API on `DMR_DEMO_ADDR` (default `127.0.0.1:8000`), and
//! its metrics in the Prometheus text format at `/metrics`;
//! `cargo run -p dmr-demo -- token [sub]` prints a JWT the demo accepts;
//! `cargo run -p dmr-demo -- tokens issue|list|revoke ..` manages opaque API tokens.

mod api;
mod config;
mod docs;
mod exposure;
mod jwt;
mod logger;
mod prometheus;
mod session;
mod stores;
mod tokens;

use std::process::ExitCode;
use std::time::Duration;

use actix_web::{App, HttpServer};

use config::DemoConfig;

/// Why the demo stops: printed as one `error: ..` line.
type Failure = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    match actix_web::rt::System::new().block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Failure> {
    let cfg = DemoConfig::load()?;
    let mut args = std::env::args().skip(1);
    if let Some(cmd) = args.next() {
        if cmd == "token" {
            // the demo user's id is the token's subject
            let sub = args.next().unwrap_or_else(|| "1".to_owned());
            println!("{}", jwt::mint_token(&sub)?);
            return Ok(());
        }
        if cmd == "tokens" {
            let rest: Vec<String> = args.collect();
            if let Err(e) = tokens::command(&rest).await {
                eprintln!("error: {e}");
                std::process::exit(2);
            }
            return Ok(());
        }
        eprintln!("unknown command `{cmd}`; usage: dmr-demo [token [sub] | tokens ..]");
        std::process::exit(2);
    }
    logger::init();
    prometheus::install()?;
    if let Some(why) = exposure::refusal(cfg) {
        // a refused start is a startup failure like the others: one line, exit status 1
        eprintln!("{why}");
        std::process::exit(1);
    }
    let tokens = tokens::config().await?;
    let api = api::build(tokens)?;
    let issuer = jwt::app_data()?;
    let limit = cfg.request_timeout;
    let server = HttpServer::new(move || {
        let api = api.clone();
        App::new()
            .wrap(session::form_token())
            .wrap(session::middleware())
            .app_data(session::app_data())
            .app_data(issuer.clone())
            .configure(jwt::jwks)
            .configure(move |c| api.configure(c))
            .configure(prometheus::configure)
            // outermost: bounds the whole request, body included
            .wrap(dmr_runtime::RequestDeadline::new(limit))
    })
    // headers within 5 s (408 otherwise), 1 s to close a connection after an answer
    .client_request_timeout(Duration::from_secs(5))
    .client_disconnect_timeout(Duration::from_secs(1))
    .bind(&cfg.addr)
    .map_err(|e| format!("cannot listen on `{}` (`DMR_DEMO_ADDR`): {e}", cfg.addr))?;
    // the banner names the addresses actually bound (`:0` becomes the port chosen)
    let urls: Vec<String> = server
        .addrs()
        .iter()
        .map(|a| format!("http://{a}"))
        .collect();
    println!("dmr demo on {} (user `{}`)", urls.join(", "), cfg.user);
    server.run().await?;
    Ok(())
}
