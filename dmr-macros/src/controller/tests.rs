//! Expand snapshots: representative controllers expanded through the `proc_macro2` entry
//! point, formatted with prettyplease and compared with `tests/expand/controller/<case>.rs`,
//! so that every change to the generated code shows up as a reviewable diff.
//!
//! After an intended change, rewrite the files with `DMR_BLESS=1 cargo test -p dmr-macros`
//! and review the diff.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

fn snapshot(case: &str, attr: TokenStream, item: TokenStream) -> String {
    let expanded = super::expand(attr, item);
    let file: syn::File = match syn::parse2(expanded.clone()) {
        Ok(file) => file,
        Err(e) => panic!("the expansion of `{case}` is not a valid file ({e}):\n{expanded}"),
    };
    let actual = prettyplease::unparse(&file);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/expand/controller/{case}.rs"));
    if std::env::var_os("DMR_BLESS").is_some() {
        std::fs::write(&path, &actual)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return actual;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        panic!(
            "the expansion of `{case}` differs from {} (rerun with DMR_BLESS=1 to accept it):\n{}",
            path.display(),
            first_difference(&expected, &actual)
        );
    }
    actual
}

/// The first differing line with two lines of context, as `-expected` / `+actual`.
fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<_>, Vec<_>) = (expected.lines().collect(), actual.lines().collect());
    let at = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let from = at.saturating_sub(2);
    let mut out = format!("at line {}:\n", at + 1);
    for line in e.iter().skip(from).take(5) {
        out.push_str(&format!("-{line}\n"));
    }
    for line in a.iter().skip(from).take(5) {
        out.push_str(&format!("+{line}\n"));
    }
    out
}

#[test]
fn async_controller_with_layers() {
    snapshot(
        "async_controller_with_layers",
        quote!(path = "/api/articles", auth = [JwtAuth::hs256(secret())]),
        quote! {
            impl Articles {
                /// List articles.
                ///
                /// Newest first.
                #[endpoint(get, path = "/")]
                async fn list(user: Authed<Claims>) -> Json<Vec<Article>> { todo!() }

                #[endpoint(get, path = "/public", auth = none)]
                async fn public() -> &'static str { "hello" }

                #[endpoint(post, path = "/{id}", auth = [HttpBasic::new(check)], deprecated, operation_id = "replace")]
                async fn replace(id: Path<u32>, body: Json<NewArticle>) -> impl Responder { todo!() }
            }
        },
    );
}

#[test]
fn sync_controller() {
    snapshot(
        "sync_controller",
        quote!(
            path = "/api/reports",
            auth = [DbTokenAuth::new(pool())],
            error_model = MyErrors
        ),
        quote! {
            impl Reports {
                #[endpoint(get, path = "/")]
                fn list(db: Data<Pool>) -> Json<Vec<Report>> { todo!() }

                fn helper() -> usize { 1 }
            }
        },
    );
}

#[test]
fn controller_with_auth_none() {
    snapshot(
        "controller_with_auth_none",
        quote!(path = "/health", auth = none),
        quote! {
            impl Health {
                #[endpoint(get, path = "")]
                async fn ping() {}
            }
        },
    );
}

#[test]
fn renamed_runtime_crate() {
    let out = snapshot(
        "renamed_runtime_crate",
        quote!(path = "/r", auth = [Token], crate = ::dmr_renamed),
        quote! {
            impl Renamed {
                #[endpoint(get, path = "/")]
                async fn get(who: Authed<String>) -> String { who.0 }
            }
        },
    );
    // Every path of the expansion goes through the override: the default crate name (as
    // `runtime.rs` spells it) appears nowhere.
    let default = crate::runtime::Runtime::new(None);
    let default = quote!(#default).to_string();
    let name = default.trim_start_matches(':').trim();
    assert!(!out.contains(name), "{out}");
}

#[test]
fn errors_keep_the_impl_block() {
    let out = snapshot(
        "errors_keep_the_impl_block",
        quote!(path = "/articles"),
        quote! {
            impl Articles {
                #[endpoint(fetch, path = "/")]
                async fn list() -> &'static str { "articles" }

                #[endpoint(get, path = "/{id")]
                async fn show() -> &'static str { "article" }
            }
        },
    );
    // Both mistakes reported in one build, the functions kept without their attributes.
    assert_eq!(out.matches("compile_error!").count(), 2, "{out}");
    assert!(!out.contains("#[endpoint"), "{out}");
}

#[test]
fn auth_from_application_state() {
    snapshot(
        "auth_from_application_state",
        quote!(path = "/api/articles", auth = [|keys: &Keys| keys.jwt()]),
        quote! {
            impl Articles {
                #[endpoint(get, path = "/")]
                async fn list(user: Authed<Claims>) -> String { todo!() }

                #[endpoint(post, path = "/", auth = [|users: &Users, realm: &Realm| users.basic(realm)])]
                async fn create(user: AuthInfo) -> String { todo!() }
            }
        },
    );
}

#[test]
fn declared_status() {
    let out = snapshot(
        "declared_status",
        quote!(path = "/api/articles"),
        quote! {
            impl Articles {
                #[endpoint(post, path = "/", status = 201)]
                async fn create(body: Json<NewArticle>) -> (Json<Article>, StatusCode) { todo!() }

                #[endpoint(get, path = "/")]
                async fn list() -> Json<Vec<Article>> { todo!() }
            }
        },
    );
    // the declared status reaches the description of `create` only (the pipeline applies it
    // to the document and to the response)
    assert_eq!(
        out.matches("status: __dmr::Some(201u16)").count(),
        1,
        "{out}"
    );
    assert_eq!(out.matches("status:").count(), 1, "{out}");
}
