//! The built-in translations of the two auth messages: `Not authenticated` and the CSRF
//! prefix `CSRF Failed: {reason}` (the reason itself stays Django's English text).

/// `(language tag, Not authenticated, CSRF Failed: {reason})`.
pub(super) const BUILT_IN: &[(&str, &str, &str)] = &[
    (
        "ru",
        "Не аутентифицирован",
        "Проверка CSRF не пройдена: {reason}",
    ),
    (
        "kk",
        "Аутентификация жасалмаған",
        "CSRF тексеруі сәтсіз аяқталды: {reason}",
    ),
    ("be", "Не аўтэнтыфікаваны", "Збой праверкі CSRF: {reason}"),
    (
        "bg",
        "Не сте автентикирани",
        "CSRF проверката е неуспешна: {reason}",
    ),
    (
        "az",
        "Autentifikasiya olunmayıb",
        "CSRF uğursuz oldu: {reason}",
    ),
    (
        "az-AZ",
        "Autentifikasiya olunmayıb",
        "CSRF xətası: {reason}",
    ),
    ("es-MX", "No autenticado", "Fallo de CSRF: {reason}"),
    ("fa", "احراز هویت نشده است", "خطای CSRF: {reason}"),
    ("hi", "प्रमाणित नहीं है", "CSRF विफल: {reason}"),
    ("id", "Tidak terautentikasi", "CSRF Gagal: {reason}"),
    (
        "it",
        "Non autenticato",
        "Verifica CSRF non riuscita: {reason}",
    ),
    (
        "ja",
        "認証されていません",
        "CSRF検証に失敗しました: {reason}",
    ),
    (
        "ky",
        "Аутентификациядан өтүлгөн эмес",
        "CSRF катасы: {reason}",
    ),
    ("ne", "प्रमाणीकरण भएको छैन", "CSRF असफल भयो: {reason}"),
    ("pt-BR", "Não autenticado", "Falha no CSRF: {reason}"),
    (
        "tr",
        "Kimlik doğrulaması yapılmadı",
        "CSRF doğrulaması başarısız oldu: {reason}",
    ),
    ("tt", "Аутентификация ясылмаган", "CSRF уңышсыз: {reason}"),
    (
        "uz",
        "Autentifikatsiyadan o'tilmagan",
        "CSRF muvaffaqiyatsiz tugadi: {reason}",
    ),
    ("zh-Hans", "未通过身份验证", "CSRF 验证失败：{reason}"),
    ("zh-Hant", "未通過身分驗證", "CSRF 驗證失敗：{reason}"),
];

/// The English message ids of the built-in rows.
pub(super) const NOT_AUTHENTICATED: &str = "Not authenticated";
/// See [`NOT_AUTHENTICATED`].
pub(super) const CSRF_FAILED: &str = "CSRF Failed: {reason}";
