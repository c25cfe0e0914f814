//! Localized error messages: `Accept-Language` picks the language of `msg` among the
//! catalogue's, with q-values, wildcards and region fallback; `Content-Language` and
//! `Vary: Accept-Language` say so; nothing carries over between requests; users add and
//! replace messages.

mod session_support;

use dmr_runtime::backends::basic::HttpBasic;
use dmr_runtime::i18n::Messages;
use dmr_runtime::prelude::*;
use dmr_tests::{Seen, TestServer, send, serve};
use serde_json::json;

use session_support::{Jar, call, config, logged_in, server, users};

struct Notes;

#[controller(path = "/notes", auth = [HttpBasic::new(|_, _| false)])]
impl Notes {
    #[endpoint(get, path = "/")]
    async fn list() -> &'static str {
        "[]"
    }
}

fn not_authenticated(msg: &str) -> String {
    json!({"detail": [{"msg": msg, "type": "security"}]}).to_string()
}

async fn get(srv: &TestServer, accept_language: Option<&str>) -> Seen {
    let headers: Vec<(&str, &[u8])> = accept_language
        .map(|v| ("Accept-Language", v.as_bytes()))
        .into_iter()
        .collect();
    send(srv, "GET", "/notes/", &headers, None).await
}

fn notes() -> TestServer {
    serve(Api::new().controller::<Notes>().build().unwrap())
}

#[actix_rt::test]
async fn the_401_speaks_the_language_the_client_prefers() {
    let srv = notes();
    let cases = [
        ("ru", "ru", "Не аутентифицирован"),
        ("kk", "kk", "Аутентификация жасалмаған"),
        ("ru-RU", "ru", "Не аутентифицирован"),
        ("kk-KZ,ru;q=0.5", "kk", "Аутентификация жасалмаған"),
        ("de, ru;q=0.9", "ru", "Не аутентифицирован"),
        ("en;q=0.2, ja;q=0.8", "ja", "認証されていません"),
        ("zh-CN", "zh-Hans", "未通过身份验证"),
        ("zh-Hans", "zh-Hans", "未通过身份验证"),
        ("zh-TW", "zh-Hant", "未通過身分驗證"),
        ("zh-Hant-HK", "zh-Hant", "未通過身分驗證"),
        ("pt", "pt-BR", "Não autenticado"),
        ("es-MX", "es-MX", "No autenticado"),
        ("tr", "tr", "Kimlik doğrulaması yapılmadı"),
        // a wildcard before any known language: the default, English
        ("de, *;q=0.9, ru;q=0.5", "en", "Not authenticated"),
        // q=0 means "not this one"
        ("ru;q=0, kk;q=0.1", "kk", "Аутентификация жасалмаған"),
        ("de, fr-CH", "en", "Not authenticated"),
        ("en-US, ru", "en", "Not authenticated"),
        ("not a tag!!, ru", "ru", "Не аутентифицирован"),
    ];
    for (header, tag, msg) in cases {
        let seen = get(&srv, Some(header)).await;
        assert_eq!(seen.status, 401, "{header}");
        assert_eq!(seen.text(), not_authenticated(msg), "{header}");
        assert_eq!(seen.header("content-language"), Some(tag), "{header}");
        assert_eq!(seen.header("vary"), Some("Accept-Language"), "{header}");
        assert_eq!(seen.header("content-type"), Some("application/json"));
    }
}

#[actix_rt::test]
async fn every_language_of_the_catalogue_is_served() {
    let srv = notes();
    let rows = [
        ("be", "Не аўтэнтыфікаваны"),
        ("bg", "Не сте автентикирани"),
        ("az", "Autentifikasiya olunmayıb"),
        ("az-AZ", "Autentifikasiya olunmayıb"),
        ("fa", "احراز هویت نشده است"),
        ("hi", "प्रमाणित नहीं है"),
        ("id", "Tidak terautentikasi"),
        ("it", "Non autenticato"),
        ("ky", "Аутентификациядан өтүлгөн эмес"),
        ("ne", "प्रमाणीकरण भएको छैन"),
        ("tt", "Аутентификация ясылмаган"),
        ("uz", "Autentifikatsiyadan o'tilmagan"),
    ];
    for (tag, msg) in rows {
        let seen = get(&srv, Some(tag)).await;
        assert_eq!(seen.text(), not_authenticated(msg), "{tag}");
        assert_eq!(seen.header("content-language"), Some(tag));
    }
}

#[actix_rt::test]
async fn no_header_gets_english_even_right_after_a_russian_request() {
    let srv = notes();
    for _ in 0..3 {
        let ru = get(&srv, Some("ru")).await;
        assert_eq!(ru.text(), not_authenticated("Не аутентифицирован"));
        let plain = get(&srv, None).await;
        assert_eq!(
            plain.text(),
            r#"{"detail":[{"msg":"Not authenticated","type":"security"}]}"#
        );
        assert_eq!(plain.header("content-language"), Some("en"));
        assert_eq!(plain.header("vary"), Some("Accept-Language"));
    }
}

#[actix_rt::test]
async fn a_huge_accept_language_header_is_answered_from_its_first_ranges() {
    let srv = notes();
    // 4,000 ranges: only the first 16 are looked at, so Russian at the end is not reached
    let header = format!("{}, ru", vec!["xx-YY;q=0.9"; 4000].join(", "));
    let seen = get(&srv, Some(&header)).await;
    assert_eq!(seen.status, 401);
    assert_eq!(seen.header("content-language"), Some("en"));
    // one enormous range is skipped unparsed, the next is used
    let header = format!("{}, kk", "a".repeat(6000));
    let seen = get(&srv, Some(&header)).await;
    assert_eq!(seen.header("content-language"), Some("kk"));
}

#[actix_rt::test]
async fn the_csrf_prefix_is_translated_and_the_reason_kept() {
    let cfg = config(users());
    let srv = server(&cfg);
    let mut jar: Jar = logged_in(&srv, "admin").await;
    let seen = call(
        &srv,
        &mut jar,
        "POST",
        "/p/",
        &[("Accept-Language", "ru-RU,ru;q=0.9")],
        Some("x"),
    )
    .await;
    assert_eq!(seen.status, 403);
    assert_eq!(
        seen.text(),
        json!({"detail": [{"msg": "Проверка CSRF не пройдена: CSRF token missing."}]}).to_string()
    );
    assert_eq!(seen.header("content-language"), Some("ru"));
    let seen = call(
        &srv,
        &mut jar,
        "POST",
        "/p/",
        &[("Accept-Language", "zh-TW")],
        Some("x"),
    )
    .await;
    assert_eq!(
        seen.text(),
        json!({"detail": [{"msg": "CSRF 驗證失敗：CSRF token missing."}]}).to_string()
    );
}

#[actix_rt::test]
async fn users_add_and_replace_messages_and_languages() {
    let messages = Messages::reference()
        .add("fr", "Not authenticated", "Non authentifié")
        .unwrap()
        .add("ru", "Not authenticated", "Требуется вход")
        .unwrap()
        .add("en", "Not authenticated", "Please log in")
        .unwrap();
    let api = Api::new()
        .state(messages)
        .controller::<Notes>()
        .build()
        .unwrap();
    let srv = serve(api);
    for (header, tag, msg) in [
        (Some("fr-CH"), "fr", "Non authentifié"),
        (Some("ru"), "ru", "Требуется вход"),
        (Some("kk"), "kk", "Аутентификация жасалмаған"),
        (None, "en", "Please log in"),
    ] {
        let seen = get(&srv, header).await;
        assert_eq!(seen.text(), not_authenticated(msg), "{header:?}");
        assert_eq!(seen.header("content-language"), Some(tag));
    }
    assert!(Messages::reference().add("not a tag", "a", "b").is_err());
}
