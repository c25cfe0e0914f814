//! A custom error model: every error body of a controller in its own shape, documented in
//! the OpenAPI document.
//!
//! ```sh
//! cargo run -p dmr-examples --example error_model
//! curl -i http://127.0.0.1:8080/api/orders/        # 401 {"error":{"code":"security","message":"Not authenticated"}}
//! curl http://127.0.0.1:8080/docs/openapi.json
//! ```

use std::process::ExitCode;

use actix_web::{App, HttpServer};
use dmr_runtime::backends::basic::{BasicUser, HttpBasic, constant_time_eq};
use dmr_runtime::error::{ErrorItem, ErrorModel, ErrorSchema};
use dmr_runtime::prelude::*;
use serde_json::{Value, json};

/// `{"error": {"code": .., "message": ..}}`.
pub struct Envelope;

impl ErrorModel for Envelope {
    fn render(item: &ErrorItem<'_>) -> Value {
        json!({ "error": { "code": item.kind.unwrap_or("error"), "message": item.msg } })
    }

    fn schema() -> ErrorSchema {
        ErrorSchema::new("Envelope").component(
            "Envelope",
            r#"{"type":"object","required":["error"],"properties":{"error":{"type":"object","required":["code","message"],"properties":{"code":{"type":"string"},"message":{"type":"string"}}}}}"#,
        )
    }
}

/// The orders password, from the configuration.
pub struct OrdersPassword(String);

pub struct Orders;

#[controller(
    path = "/api/orders",
    error_model = Envelope,
    auth = [|pw: &OrdersPassword| {
        let pw = pw.0.clone();
        HttpBasic::new(move |user, pass| user == "clerk" && constant_time_eq(pass, &pw))
    }]
)]
impl Orders {
    #[endpoint(get, path = "/")]
    async fn list(user: Authed<BasicUser>) -> String {
        format!("orders for {}", user.username)
    }
}

fn api(pw: OrdersPassword) -> Result<Api, ApiError> {
    Api::new()
        .state(pw)
        .controller::<Orders>()
        .docs("/docs")
        .build()
}

#[actix_web::main]
async fn main() -> ExitCode {
    // a configuration error is one line that says what to fix, and a non-zero exit status
    if let Err(err) = serve().await {
        eprintln!("error_model: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let pw = std::env::var("CLERK_PASSWORD").unwrap_or_else(|_| "clerk-password".into());
    let api = api(OrdersPassword(pw))?;
    let addr = std::env::var("DMR_EXAMPLE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let server = HttpServer::new(move || App::new().configure(|c| api.configure(c)))
        .bind(&addr)
        .map_err(|e| format!("cannot listen on {addr} (DMR_EXAMPLE_ADDR): {e}"))?;
    println!("error_model example on http://{addr}/api/orders/ (docs at /docs/)");
    server.run().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use actix_web::test::{TestRequest, call_and_read_body, call_service, init_service, read_body};

    use super::*;

    #[actix_web::test]
    async fn errors_use_the_model_and_the_document_describes_it() {
        let api = api(OrdersPassword("pw".into())).unwrap();
        let app = init_service(App::new().configure(|c| api.configure(c))).await;

        let resp = call_service(&app, TestRequest::get().uri("/api/orders/").to_request()).await;
        assert_eq!(resp.status(), 401);
        assert_eq!(
            read_body(resp).await,
            r#"{"error":{"code":"security","message":"Not authenticated"}}"#
        );

        let doc = call_and_read_body(
            &app,
            TestRequest::get().uri("/docs/openapi.json").to_request(),
        )
        .await;
        let doc: Value = serde_json::from_slice(&doc).unwrap();
        let unauthorized = &doc["paths"]["/api/orders/"]["get"]["responses"]["401"];
        assert_eq!(
            unauthorized["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Envelope"
        );
        assert_eq!(
            doc["components"]["schemas"]["Envelope"]["required"],
            json!(["error"])
        );
    }
}
