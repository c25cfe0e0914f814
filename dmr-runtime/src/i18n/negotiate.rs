//! Choosing a language from `Accept-Language` (RFC 9110 section 12.5.4): q-values, `*`, and
//! the lookup of RFC 4647 section 3.4 (`ru-RU` falls back to `ru`), plus two fallbacks
//! browsers need: a bare language finds its only regional catalogue (`pt` -> `pt-BR`), and
//! Chinese goes by script (`zh-CN` -> `zh-Hans`, `zh-TW` -> `zh-Hant`).
//!
//! Each range is parsed by actix's `QualityItem<Preference<LanguageTag>>` (the
//! `language-tags` crate). The cost is bounded whatever the header: only the first
//! [`MAX_RANGES`] ranges are looked at, ranges longer than [`MAX_RANGE_LEN`] bytes are skipped
//! unparsed, and the rest of the header is never scanned.

use std::str::FromStr;

use actix_web::http::header::{HeaderMap, LanguageTag, Preference, Quality, QualityItem};

/// Ranges considered per request.
pub(super) const MAX_RANGES: usize = 16;
/// Longest range parsed (a tag with a q-value; real ones are under 20 bytes).
pub(super) const MAX_RANGE_LEN: usize = 64;

/// What the client prefers, best first: `Some(tag)` for a language, `None` for `*`.
/// Ranges with `q=0` and ranges that do not parse are left out.
pub(super) fn ranked(headers: &HeaderMap) -> Vec<Option<LanguageTag>> {
    let Some(value) = headers
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    else {
        return Vec::new();
    };
    let mut items: Vec<QualityItem<Preference<LanguageTag>>> = value
        .split(',')
        .take(MAX_RANGES)
        .map(str::trim)
        .filter(|r| !r.is_empty() && r.len() <= MAX_RANGE_LEN)
        .filter_map(|r| QualityItem::from_str(r).ok())
        .filter(|q| q.quality > Quality::ZERO)
        .collect();
    // stable: equal q-values keep the client's order
    items.sort_by_key(|q| std::cmp::Reverse(q.quality));
    items
        .into_iter()
        .map(|q| match q.item {
            Preference::Specific(tag) => Some(tag),
            Preference::Any => None,
        })
        .collect()
}

/// The catalogue tag `tag` selects among `available` (compared case-insensitively), if any.
pub(super) fn lookup<'a, S: AsRef<str>>(tag: &LanguageTag, available: &'a [S]) -> Option<&'a str> {
    let names = || available.iter().map(AsRef::as_ref);
    let find = |want: &str| names().find(|a| a.eq_ignore_ascii_case(want));
    let primary = tag.primary_language();
    if primary.eq_ignore_ascii_case("zh") {
        let traditional = tag.script().is_some_and(|s| s.eq_ignore_ascii_case("hant"))
            || (tag.script().is_none()
                && tag
                    .region()
                    .is_some_and(|r| ["TW", "HK", "MO"].iter().any(|t| t.eq_ignore_ascii_case(r))));
        if let Some(found) = find(tag.as_str()) {
            return Some(found);
        }
        return find(if traditional { "zh-Hant" } else { "zh-Hans" });
    }
    // RFC 4647 lookup: drop subtags from the right
    let mut candidate = tag.as_str();
    loop {
        if let Some(found) = find(candidate) {
            return Some(found);
        }
        match candidate.rfind('-') {
            Some(i) => candidate = &candidate[..i],
            None => break,
        }
    }
    // a bare language: its regional catalogue, as Django picks a variant
    names().find(|a| {
        a.len() > primary.len()
            && a.as_bytes()[primary.len()] == b'-'
            && a[..primary.len()].eq_ignore_ascii_case(primary)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(header: &str, available: &[&str]) -> Vec<Option<String>> {
        let mut map = HeaderMap::new();
        map.insert(
            actix_web::http::header::ACCEPT_LANGUAGE,
            header.parse().unwrap(),
        );
        ranked(&map)
            .iter()
            .map(|t| {
                t.as_ref()
                    .and_then(|t| lookup(t, available))
                    .map(str::to_owned)
            })
            .collect()
    }

    #[test]
    fn ranges_are_ranked_by_quality_and_fall_back_by_subtag() {
        let cats = ["ru", "zh-Hans", "zh-Hant", "pt-BR", "az", "az-AZ"];
        assert_eq!(
            pick("de;q=0.9, ru-RU;q=0.5, *;q=0.1, pt;q=0", &cats),
            [None, Some("ru".into()), None]
        );
        assert_eq!(pick("zh-TW", &cats), [Some("zh-Hant".into())]);
        assert_eq!(pick("zh-CN", &cats), [Some("zh-Hans".into())]);
        assert_eq!(pick("zh-Hant-CN", &cats), [Some("zh-Hant".into())]);
        assert_eq!(pick("pt", &cats), [Some("pt-BR".into())]);
        assert_eq!(pick("az-AZ", &cats), [Some("az-AZ".into())]);
        assert_eq!(pick("az", &cats), [Some("az".into())]);
    }

    #[test]
    fn a_huge_header_is_cut_at_the_cap() {
        let header = vec!["xx-YY"; 10_000].join(", ") + ", ru";
        assert_eq!(pick(&header, &["ru"]).len(), MAX_RANGES);
        let long = format!("{}, ru", "a".repeat(5000));
        assert_eq!(pick(&long, &["ru"]), [Some("ru".into())]);
    }
}
