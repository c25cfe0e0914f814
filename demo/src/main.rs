//! The dmr demo server.
//!
//! `cargo run -p dmr-demo` serves the API on `DMR_DEMO_ADDR` (default `127.0.0.1:8000`);
//! `cargo run -p dmr-demo -- token [sub]` prints a JWT the demo accepts.

mod api;
mod config;
mod deadline;
mod docs;
mod exposure;
mod jwt;
mod logger;
mod session;

use std::time::Duration;

use actix_web::{App, HttpServer};

use config::DemoConfig;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let cfg = DemoConfig::get();
    let mut args = std::env::args().skip(1);
    if let Some(cmd) = args.next() {
        if cmd == "token" {
            // the demo user's id is the token's subject
            let sub = args.next().unwrap_or_else(|| "1".to_owned());
            println!("{}", jwt::mint_token(&sub).map_err(std::io::Error::other)?);
            return Ok(());
        }
        eprintln!("unknown command `{cmd}`; usage: dmr-demo [token [sub]]");
        std::process::exit(2);
    }
    logger::init();
    if let Some(why) = exposure::refusal(cfg) {
        eprintln!("{why}");
        std::process::exit(2);
    }
    let api = api::build().map_err(std::io::Error::other)?;
    let issuer = jwt::app_data().map_err(std::io::Error::other)?;
    println!("dmr demo on http://{} (user `{}`)", cfg.addr, cfg.user);
    let limit = cfg.request_timeout;
    HttpServer::new(move || {
        let api = api.clone();
        App::new()
            .wrap(session::form_token())
            .wrap(session::middleware())
            .app_data(session::app_data())
            .app_data(issuer.clone())
            .configure(move |c| api.configure(c))
            // outermost: bounds the whole request, body included
            .wrap(deadline::Deadline(limit))
    })
    // headers within 5 s (408 otherwise), 1 s to close a connection after an answer
    .client_request_timeout(Duration::from_secs(5))
    .client_disconnect_timeout(Duration::from_secs(1))
    .bind(&cfg.addr)?
    .run()
    .await
}
