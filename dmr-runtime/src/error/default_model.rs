//! [`DefaultErrorModel`]: the reference's error body, for one error or several at once.

use serde::Serialize;

use super::{ErrorItem, ErrorModel};

/// The reference's error body: `{"detail":[{"msg":"Not authenticated","type":"security"}]}`,
/// with `loc` between `msg` and `type` when the item has one (`type` and `loc` are left out
/// when absent).
///
/// ```
/// use dmr_runtime::error::{DefaultErrorModel, ErrorItem, ErrorModel};
///
/// let item = ErrorItem::new("Not authenticated").with_kind("security");
/// let bytes = DefaultErrorModel::render_bytes(&item);
/// assert_eq!(bytes, br#"{"detail":[{"msg":"Not authenticated","type":"security"}]}"#);
///
/// let loc = ["parsed_body", "password"];
/// let item = ErrorItem::new("Field required").with_kind("value_error").with_loc(&loc);
/// assert_eq!(
///     DefaultErrorModel::render_bytes(&item),
///     br#"{"detail":[{"msg":"Field required","loc":["parsed_body","password"],"type":"value_error"}]}"#
/// );
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultErrorModel;

#[derive(Serialize)]
struct DefaultBody<'a> {
    detail: [DefaultDetail<'a>; 1],
}

#[derive(Serialize)]
struct DefaultDetail<'a> {
    msg: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    loc: &'a [&'a str],
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
}

impl ErrorModel for DefaultErrorModel {
    fn render(item: &ErrorItem<'_>) -> serde_json::Value {
        serde_json::to_value(Self::body(item)).unwrap_or_default()
    }

    fn render_bytes(item: &ErrorItem<'_>) -> Vec<u8> {
        serde_json::to_vec(&Self::body(item)).unwrap_or_default()
    }
}

impl DefaultErrorModel {
    fn body<'a>(item: &ErrorItem<'a>) -> DefaultBody<'a> {
        DefaultBody {
            detail: [DefaultDetail::of(item)],
        }
    }

    /// The reference's body for several errors at once, one `detail` entry per item in
    /// order (a body with two missing fields names both):
    ///
    /// ```
    /// use dmr_runtime::error::{DefaultErrorModel, ErrorItem};
    ///
    /// let (user, pass) = (["parsed_body", "username"], ["parsed_body", "password"]);
    /// let items = [
    ///     ErrorItem::new("Field required").with_kind("value_error").with_loc(&user),
    ///     ErrorItem::new("Field required").with_kind("value_error").with_loc(&pass),
    /// ];
    /// assert_eq!(
    ///     DefaultErrorModel::render_all_bytes(&items),
    ///     br#"{"detail":[{"msg":"Field required","loc":["parsed_body","username"],"type":"value_error"},{"msg":"Field required","loc":["parsed_body","password"],"type":"value_error"}]}"#
    /// );
    /// ```
    pub fn render_all_bytes(items: &[ErrorItem<'_>]) -> Vec<u8> {
        let detail: Vec<DefaultDetail<'_>> = items.iter().map(DefaultDetail::of).collect();
        serde_json::to_vec(&DefaultList { detail }).unwrap_or_default()
    }
}

impl<'a> DefaultDetail<'a> {
    fn of(item: &ErrorItem<'a>) -> Self {
        Self {
            msg: item.msg,
            loc: item.loc,
            kind: item.kind,
        }
    }
}

#[derive(Serialize)]
struct DefaultList<'a> {
    detail: Vec<DefaultDetail<'a>>,
}
