//! (e) poem-openapi 5: `#[derive(SecurityScheme)]` with a checker running the same check as
//! the hand-written cases, served through poem's own `TestClient`.

use poem::Request;
use poem_openapi::auth::{Basic, Bearer};
use poem_openapi::payload::PlainText;
use poem_openapi::{OpenApi, OpenApiService, SecurityScheme};

use crate::actix_cases::{Claims, decode_claims};
use crate::check;

async fn jwt_checker(_: &Request, bearer: Bearer) -> Option<Claims> {
    decode_claims(&bearer.token)
}

async fn basic_checker(_: &Request, basic: Basic) -> Option<String> {
    check(&basic.username, &basic.password).then_some(basic.username)
}

/// Bearer JWT.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "jwt_checker")]
struct JwtScheme(Claims);

/// HTTP Basic.
#[derive(SecurityScheme)]
#[oai(ty = "basic", checker = "basic_checker")]
struct BasicScheme(String);

struct JwtApi;

#[OpenApi]
impl JwtApi {
    #[oai(path = "/x", method = "get")]
    async fn get(&self, auth: JwtScheme) -> PlainText<String> {
        PlainText(auth.0.sub)
    }
}

struct BasicApi;

#[OpenApi]
impl BasicApi {
    #[oai(path = "/x", method = "get")]
    async fn get(&self, auth: BasicScheme) -> PlainText<String> {
        PlainText(auth.0)
    }
}

/// (e) JWT.
pub fn jwt() -> poem::Route {
    poem::Route::new().nest("/", OpenApiService::new(JwtApi, "bench", "1"))
}

/// (e) Basic.
pub fn basic() -> poem::Route {
    poem::Route::new().nest("/", OpenApiService::new(BasicApi, "bench", "1"))
}
