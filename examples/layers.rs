//! The four layers: settings auth everywhere, a scope with its own auth, a public endpoint
//! (`auth = none`) and a public scope (`no_auth()`); settings read application state.
//!
//! ```sh
//! cargo run -p dmr-examples --example layers
//! curl http://127.0.0.1:8080/health/                                  # public scope
//! curl http://127.0.0.1:8080/api/status/public                        # `auth = none`
//! curl -u ops:ops-password http://127.0.0.1:8080/api/status/          # settings auth
//! curl -u root:root-password http://127.0.0.1:8080/admin/status/      # scope auth (then settings)
//! ```

use std::process::ExitCode;

use actix_web::{App, HttpServer};
use dmr_runtime::auth::InlineAuth;
use dmr_runtime::backends::basic::{BasicUser, HttpBasic, constant_time_eq};
use dmr_runtime::prelude::*;

/// Credentials from the configuration.
pub struct Passwords {
    ops: String,
    root: String,
}

pub struct Status;

#[controller(path = "/status")]
impl Status {
    /// Whoever the chain let in.
    #[endpoint(get, path = "/")]
    async fn status(user: Authed<BasicUser>) -> String {
        format!("ok for {}", user.username)
    }

    /// No auth at all: settings and scope auth do not apply.
    #[endpoint(get, path = "/public", auth = none)]
    async fn public() -> &'static str {
        "ok for anyone"
    }
}

pub struct Health;

#[controller(path = "/health")]
impl Health {
    #[endpoint(get, path = "/")]
    async fn health() -> &'static str {
        "healthy"
    }
}

fn basic(user: &'static str, password: &str) -> impl InlineAuth<Identity = BasicUser> + use<> {
    let password = password.to_owned();
    HttpBasic::new(move |u, p| u == user && constant_time_eq(p, &password))
}

fn api(passwords: Passwords) -> Result<Api, ApiError> {
    Api::new()
        .state(passwords)
        .settings(Settings::new().auth_from(|pw: &Passwords| basic("ops", &pw.ops)))
        .scope("/api", |s| s.controller::<Status>())
        .scope("/admin", |s| {
            s.auth_from(|pw: &Passwords| basic("root", &pw.root))
                .controller::<Status>()
        })
        .scope("", |s| s.no_auth().controller::<Health>())
        .build()
}

#[actix_web::main]
async fn main() -> ExitCode {
    // a configuration error is one line that says what to fix, and a non-zero exit status
    if let Err(err) = serve().await {
        eprintln!("layers: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    let passwords = Passwords {
        ops: var("OPS_PASSWORD", "ops-password"),
        root: var("ROOT_PASSWORD", "root-password"),
    };
    let api = api(passwords)?;
    let addr = std::env::var("DMR_EXAMPLE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let server = HttpServer::new(move || App::new().configure(|c| api.configure(c)))
        .bind(&addr)
        .map_err(|e| format!("cannot listen on {addr} (DMR_EXAMPLE_ADDR): {e}"))?;
    println!("layers example on http://{addr}/");
    server.run().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use actix_web::test::{TestRequest, call_service, init_service, read_body};
    use dmr_runtime::backends::basic::basic_auth;

    use super::*;

    #[actix_web::test]
    async fn each_layer_applies_where_it_is_declared() {
        let api = api(Passwords {
            ops: "o".into(),
            root: "r".into(),
        })
        .unwrap();
        let app = init_service(App::new().configure(|c| api.configure(c))).await;
        let call = |path: &str, auth: Option<String>| {
            let mut req = TestRequest::get().uri(path);
            if let Some(a) = auth {
                req = req.insert_header(("authorization", a));
            }
            req.to_request()
        };
        let ops = || Some(basic_auth("ops", "o"));
        let root = || Some(basic_auth("root", "r"));
        let seen = async |req| {
            let resp = call_service(&app, req).await;
            (
                resp.status().as_u16(),
                String::from_utf8(read_body(resp).await.to_vec()).unwrap(),
            )
        };
        assert_eq!(seen(call("/health/", None)).await, (200, "healthy".into()));
        assert_eq!(
            seen(call("/api/status/public", None)).await,
            (200, "ok for anyone".into())
        );
        assert_eq!(
            seen(call("/api/status/", ops())).await,
            (200, "ok for ops".into())
        );
        assert_eq!(seen(call("/api/status/", root())).await.0, 401); // root is only the scope's
        assert_eq!(
            seen(call("/admin/status/", root())).await,
            (200, "ok for root".into())
        );
        assert_eq!(
            seen(call("/admin/status/", ops())).await,
            (200, "ok for ops".into())
        );
        assert_eq!(seen(call("/admin/status/", None)).await.0, 401);
    }

    #[test]
    fn the_chains_are_listed_per_endpoint() {
        let api = api(Passwords {
            ops: "o".into(),
            root: "r".into(),
        })
        .unwrap();
        let chains: Vec<(String, usize)> = api
            .endpoints()
            .map(|e| (e.path().to_owned(), e.auth().len()))
            .collect();
        assert!(chains.contains(&("/api/status/".into(), 1)));
        assert!(chains.contains(&("/admin/status/".into(), 2)));
        assert!(chains.contains(&("/api/status/public".into(), 0)));
        assert!(chains.contains(&("/health/".into(), 0)));
    }
}
