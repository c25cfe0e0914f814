//! A sync controller over a blocking user store: every endpoint is a plain `fn` and runs,
//! with its auth chain, on actix's blocking pool, so the SQLite look-up and the Argon2 check
//! never stall the async workers.
//!
//! ```sh
//! cargo run -p dmr-examples --example sync_store
//! curl -u ann:ann-password http://127.0.0.1:8080/api/reports/
//! ```

use std::process::ExitCode;
use std::sync::Arc;

use actix_web::{App, HttpServer};
use dmr_runtime::backends::basic::{BasicUser, HttpBasic};
use dmr_runtime::backends::users::{SqliteUsers, UserStore, UserStoreError};
use dmr_runtime::prelude::*;

/// The user database, opened at startup and shared.
pub struct Db {
    users: Arc<SqliteUsers>,
}

impl Db {
    fn open(path: &str) -> Result<Self, UserStoreError> {
        let users = if path == ":memory:" {
            SqliteUsers::open_in_memory()?
        } else {
            SqliteUsers::open(path)?
        };
        Ok(Self {
            users: Arc::new(users),
        })
    }

    /// A blocking Basic check against the database: sync endpoints only.
    fn basic(&self) -> impl SyncAuth<Identity = BasicUser> + use<> {
        let users = Arc::clone(&self.users);
        HttpBasic::blocking(move |name, password| match users.find_by_username(name) {
            Ok(Some(user)) => user.is_active && users.verify_password(&user, password),
            // unknown user or a store error: refused (and logged by a real service)
            _ => false,
        })
    }
}

pub struct Reports;

#[controller(path = "/api/reports", auth = [|db: &Db| db.basic()])]
impl Reports {
    /// The reports of the user: a plain `fn`, it may block.
    #[endpoint(get, path = "/")]
    fn list(user: Authed<BasicUser>) -> String {
        format!("reports of {}", user.username)
    }
}

fn api(db: Db) -> Result<Api, ApiError> {
    Api::new().state(db).controller::<Reports>().build()
}

#[actix_web::main]
async fn main() -> ExitCode {
    // a configuration error is one line that says what to fix, and a non-zero exit status
    if let Err(err) = serve().await {
        eprintln!("sync_store: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::var("USERS_DB").unwrap_or_else(|_| ":memory:".into());
    let db = Db::open(&path)?;
    if path == ":memory:" {
        db.users.add("1", "ann", "ann-password")?;
    }
    let api = api(db)?;
    let addr = std::env::var("DMR_EXAMPLE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let server = HttpServer::new(move || App::new().configure(|c| api.configure(c)))
        .bind(&addr)
        .map_err(|e| format!("cannot listen on {addr} (DMR_EXAMPLE_ADDR): {e}"))?;
    println!("sync_store example on http://{addr}/api/reports/");
    server.run().await?;
    Ok(())
}

use dmr_runtime::auth::SyncAuth;

#[cfg(test)]
mod tests {
    use actix_web::test::{TestRequest, call_service, init_service, read_body};
    use dmr_runtime::backends::basic::basic_auth;
    use dmr_runtime::backends::users::Argon2Params;

    use super::*;

    #[actix_web::test]
    async fn the_blocking_store_answers_on_the_blocking_pool() {
        let cheap = Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).unwrap();
        let users = SqliteUsers::open_in_memory().unwrap().params(cheap);
        users.add("1", "ann", "pw").unwrap();
        users.add("2", "old", "pw").unwrap();
        users.set_active("old", false).unwrap();
        let api = api(Db {
            users: Arc::new(users),
        })
        .unwrap();
        assert!(api.endpoints().all(|e| e.is_sync()));
        let app = init_service(App::new().configure(|c| api.configure(c))).await;

        let get = |auth: String| {
            TestRequest::get()
                .uri("/api/reports/")
                .insert_header(("authorization", auth))
                .to_request()
        };
        let resp = call_service(&app, get(basic_auth("ann", "pw"))).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(read_body(resp).await, "reports of ann");
        assert_eq!(
            call_service(&app, get(basic_auth("ann", "no")))
                .await
                .status(),
            401
        );
        assert_eq!(
            call_service(&app, get(basic_auth("old", "pw")))
                .await
                .status(),
            401
        );
        assert_eq!(
            call_service(&app, get(basic_auth("nobody", "pw")))
                .await
                .status(),
            401
        );
    }
}
