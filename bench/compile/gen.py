#!/usr/bin/env python3
"""Generates the compile-time comparison of issue 6 into a scratch directory (never into git).

    gen.py OUT_DIR REPO_ROOT [ENDPOINTS]

writes a cargo workspace with two crates serving the same ENDPOINTS (default 200) routes:

* gen-dmr:   `#[controller]` / `#[endpoint]` with `auth = [..]` / `auth = none`;
* gen-plain: actix-web's `#[get]` / `#[post]`, hand-written auth extractors, and
             `#[utoipa::path(.., security(..), responses(.. 401 ..))]` on every handler, plus a
             `#[derive(OpenApi)]` listing them (what dmr generates from its declarations).

Per controller of 10 endpoints: 6 inherit the controller's JWT (`Authed<JwtToken>`), 2 prepend
Basic (chain Basic, JWT; `AuthInfo`), 1 is public (`auth = none`), 1 is a POST with a JSON body.
"""

import os
import sys

PER_CONTROLLER = 10


def endpoints(n):
    for i in range(n):
        c, e = divmod(i, PER_CONTROLLER)
        kind = "jwt" if e < 6 else "chain" if e < 8 else "public" if e == 8 else "body"
        yield c, e, kind


def dmr_crate(n):
    out = [
        "//! Generated: dmr macros.",
        "#![allow(missing_docs, clippy::all)]",
        "use actix_web::web::Json;",
        "use dmr_runtime::backends::basic::{HttpBasic, InlineVerifier, constant_time_eq};",
        "use dmr_runtime::backends::jwt::{JwtAuth, JwtConfigError, JwtToken};",
        "use dmr_runtime::prelude::*;",
        "",
        "#[derive(serde::Deserialize, serde::Serialize, utoipa::ToSchema)]",
        "pub struct Item { pub name: String }",
        "",
        'const SECRET: &str = "dmr-demo-secret-change-me-0123456789abcdef";',
        "type Check = fn(&str, &str) -> bool;",
        "fn check(u: &str, p: &str) -> bool { constant_time_eq(u, \"admin\") & constant_time_eq(p, \"pass\") }",
        "fn jwt() -> Result<JwtAuth, JwtConfigError> { JwtAuth::hs256(SECRET) }",
        "fn basic() -> HttpBasic<InlineVerifier<Check>> { HttpBasic::new(check as Check) }",
        "",
    ]
    controllers = sorted({c for c, _, _ in endpoints(n)})
    for c in controllers:
        out.append(f"pub struct C{c};")
        out.append("")
        out.append(f'#[controller(path = "/c{c}", auth = [jwt()])]')
        out.append(f"impl C{c} {{")
        for cc, e, kind in endpoints(n):
            if cc != c:
                continue
            out.append(f"    /// Endpoint {e} of controller {c}.")
            if kind == "jwt":
                out.append(f'    #[endpoint(get, path = "/e{e}")]')
                out.append(f"    async fn e{e}(token: Authed<JwtToken>) -> String {{ token.into_inner().sub }}")
            elif kind == "chain":
                out.append(f'    #[endpoint(get, path = "/e{e}", auth = [basic()])]')
                out.append(f"    async fn e{e}(info: AuthInfo) -> String {{ info.scheme().to_owned() }}")
            elif kind == "public":
                out.append(f'    #[endpoint(get, path = "/e{e}", auth = none)]')
                out.append(f'    async fn e{e}() -> &\'static str {{ "public" }}')
            else:
                out.append(f'    #[endpoint(post, path = "/e{e}")]')
                out.append(f"    async fn e{e}(_token: Authed<JwtToken>, body: Json<Item>) -> Json<Item> {{ body }}")
        out.append("}")
        out.append("")
    out.append("pub fn api() -> Result<Api, dmr_runtime::ApiError> {")
    out.append("    Api::new()")
    for c in controllers:
        out.append(f"        .controller::<C{c}>()")
    out.append("        .build()")
    out.append("}")
    return "\n".join(out) + "\n"


def plain_crate(n):
    out = [
        "//! Generated: actix-web attribute macros + hand-written utoipa security annotations.",
        "#![allow(missing_docs, clippy::all)]",
        "use std::future::{Ready, ready};",
        "use actix_web::dev::Payload;",
        "use actix_web::web::{Json, ServiceConfig};",
        "use actix_web::{FromRequest, HttpRequest, HttpResponse, Responder, get, post};",
        "use base64::Engine as _;",
        "use serde::{Deserialize, Serialize};",
        "use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};",
        "use utoipa::{Modify, OpenApi, ToSchema};",
        "",
        "#[derive(Deserialize, Serialize, ToSchema)]",
        "pub struct Item { pub name: String }",
        "",
        "/// The reference's error body.",
        "#[derive(Serialize, ToSchema)]",
        "pub struct ErrorModel { pub detail: Vec<ErrorDetail> }",
        "#[derive(Serialize, ToSchema)]",
        "pub struct ErrorDetail { pub msg: String, #[serde(rename = \"type\")] pub kind: String }",
        "",
        'const SECRET: &str = "dmr-demo-secret-change-me-0123456789abcdef";',
        "",
        "#[derive(Deserialize)]",
        "pub struct Claims { pub sub: String, pub exp: i64, pub iat: i64 }",
        "",
        "fn unauthorized() -> actix_web::Error {",
        '    actix_web::error::InternalError::from_response("Not authenticated", HttpResponse::Unauthorized()',
        '        .content_type("application/json")',
        '        .body(r#"{"detail":[{"msg":"Not authenticated","type":"security"}]}"#)).into()',
        "}",
        "",
        "fn bearer(req: &HttpRequest) -> Option<Claims> {",
        "    let v = req.headers().get(\"authorization\")?.to_str().ok()?.strip_prefix(\"Bearer \")?;",
        "    let key = jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes()).ok()?;",
        "    let validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);",
        "    jsonwebtoken::decode::<Claims>(v, &key, &validation).ok().map(|d| d.claims)",
        "}",
        "",
        "fn basic(req: &HttpRequest) -> Option<String> {",
        "    let v = req.headers().get(\"authorization\")?.to_str().ok()?.strip_prefix(\"Basic \")?;",
        "    let raw = base64::engine::general_purpose::STANDARD.decode(v).ok()?;",
        "    let text = String::from_utf8(raw).ok()?;",
        "    let (u, p) = text.split_once(':')?;",
        "    (u == \"admin\" && p == \"pass\").then(|| u.to_owned())",
        "}",
        "",
        "/// JWT in `Authorization: Bearer`.",
        "pub struct Jwt(pub Claims);",
        "impl FromRequest for Jwt {",
        "    type Error = actix_web::Error;",
        "    type Future = Ready<Result<Self, Self::Error>>;",
        "    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {",
        "        ready(bearer(req).map(Jwt).ok_or_else(unauthorized))",
        "    }",
        "}",
        "",
        "/// Basic first, then JWT.",
        "pub struct BasicOrJwt(pub &'static str);",
        "impl FromRequest for BasicOrJwt {",
        "    type Error = actix_web::Error;",
        "    type Future = Ready<Result<Self, Self::Error>>;",
        "    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {",
        "        let who = if basic(req).is_some() { Some(\"http_basic\") } else { bearer(req).map(|_| \"jwt\") };",
        "        ready(who.map(BasicOrJwt).ok_or_else(unauthorized))",
        "    }",
        "}",
        "",
        "struct SecurityAddon;",
        "impl Modify for SecurityAddon {",
        "    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {",
        "        let components = openapi.components.get_or_insert_with(Default::default);",
        "        components.add_security_scheme(\"jwt\", SecurityScheme::Http(Http::builder().scheme(HttpAuthScheme::Bearer).bearer_format(\"JWT\").description(Some(\"JWT token auth\")).build()));",
        "        components.add_security_scheme(\"http_basic\", SecurityScheme::Http(Http::builder().scheme(HttpAuthScheme::Basic).description(Some(\"Http Basic auth\")).build()));",
        "    }",
        "}",
        "",
    ]
    r401 = '(status = 401, description = "Raised when auth was not successful", body = ErrorModel)'
    names = []
    for c, e, kind in endpoints(n):
        name = f"c{c}_e{e}"
        names.append(name)
        path = f"/c{c}/e{e}"
        out.append(f"/// Endpoint {e} of controller {c}.")
        if kind == "jwt":
            out.append(f'#[utoipa::path(get, path = "{path}", security(("jwt" = [])), responses((status = 200, description = "OK", body = String), {r401}))]')
            out.append(f'#[get("{path}")]')
            out.append(f"async fn {name}(token: Jwt) -> String {{ token.0.sub }}")
        elif kind == "chain":
            out.append(f'#[utoipa::path(get, path = "{path}", security(("http_basic" = []), ("jwt" = [])), responses((status = 200, description = "OK", body = String), {r401}))]')
            out.append(f'#[get("{path}")]')
            out.append(f"async fn {name}(who: BasicOrJwt) -> String {{ who.0.to_owned() }}")
        elif kind == "public":
            out.append(f'#[utoipa::path(get, path = "{path}", responses((status = 200, description = "OK", body = String)))]')
            out.append(f'#[get("{path}")]')
            out.append(f'async fn {name}() -> &\'static str {{ "public" }}')
        else:
            out.append(f'#[utoipa::path(post, path = "{path}", request_body = Item, security(("jwt" = [])), responses((status = 200, description = "OK", body = Item), {r401}))]')
            out.append(f'#[post("{path}")]')
            out.append(f"async fn {name}(_token: Jwt, body: Json<Item>) -> Json<Item> {{ body }}")
        out.append("")
    out.append("#[derive(OpenApi)]")
    out.append(f"#[openapi(paths({', '.join(names)}), components(schemas(ErrorModel, ErrorDetail, Item)), modifiers(&SecurityAddon))]")
    out.append("pub struct ApiDoc;")
    out.append("")
    out.append("async fn openapi_json() -> impl Responder { HttpResponse::Ok().json(ApiDoc::openapi()) }")
    out.append("")
    out.append("pub fn configure(cfg: &mut ServiceConfig) {")
    for name in names:
        out.append(f"    cfg.service({name});")
    out.append('    cfg.route("/docs/openapi.json", actix_web::web::get().to(openapi_json));')
    out.append("}")
    return "\n".join(out) + "\n"


def cargo_toml(name, root, dmr):
    deps = [
        'actix-web = { version = "4.18", default-features = false, features = ["macros", "cookies"] }',
        'serde = { version = "1", features = ["derive"] }',
        'serde_json = "1"',
        'utoipa = { version = "6", features = ["debug"] }',
    ]
    if dmr:
        deps.append(f'dmr-runtime = {{ path = "{root}/dmr-runtime" }}')
    else:
        deps.append('jsonwebtoken = { version = "12", default-features = false, features = ["rust_crypto", "use_pem"] }')
        deps.append('base64 = "0.23"')
    return (
        f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2024"\npublish = false\n\n'
        f"[lib]\npath = \"src/lib.rs\"\n\n[dependencies]\n" + "\n".join(deps) + "\n"
    )


def main():
    out_dir, root = sys.argv[1], os.path.abspath(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "Cargo.toml"), "w") as f:
        f.write('[workspace]\nresolver = "3"\nmembers = ["gen-dmr", "gen-plain"]\n')
    for name, dmr, src in (("gen-dmr", True, dmr_crate(n)), ("gen-plain", False, plain_crate(n))):
        d = os.path.join(out_dir, name, "src")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(out_dir, name, "Cargo.toml"), "w") as f:
            f.write(cargo_toml(name, root, dmr))
        with open(os.path.join(d, "lib.rs"), "w") as f:
            f.write(src)


if __name__ == "__main__":
    main()
