//! `per_request --check`: every case's whole response (status, every header, body) against
//! its reference, the hand-written case of the same auth (`Case::baseline`: `b-jwt`,
//! `b-basic`, `b-rs256`, `b-eddsa`; the 401 rows against the hand-written 401 `g-b-jwt`).
//!
//! A peer that legitimately answers differently (actix-web-httpauth's empty 401, poem's own
//! headers) says so here, in [`EXPECTED`], difference by difference; anything else that
//! differs fails the check. Only [`VARYING`](crate::reply::VARYING) headers (`date`) are
//! compared by presence alone.

use crate::reply::Reply;

/// One difference a case is known and allowed to have from its reference.
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    /// The case does not send this header, which the reference sends.
    Without(&'static str),
    /// The case sends this header with this value where the reference sends another value
    /// or none.
    With(&'static str, &'static str),
    /// The case's body is this, not the reference's.
    Body(&'static [u8]),
}

/// The differences each case is allowed, by case id; a case not listed must answer exactly
/// what its reference answers.
pub const EXPECTED: &[(&str, &[Expect])] = &[
    // actix-web-httpauth's 401: its challenge only, an empty body, no language
    (
        "g-d-jwt",
        &[
            Expect::Body(b""),
            Expect::Without("content-type"),
            Expect::Without("content-language"),
            Expect::Without("vary"),
        ],
    ),
    // poem-openapi answers its 401 in its own words, without a challenge
    (
        "g-e-jwt",
        &[
            Expect::Body(b"authorization error"),
            Expect::With("content-type", "text/plain; charset=utf-8"),
            Expect::Without("content-language"),
            Expect::Without("vary"),
            Expect::Without("www-authenticate"),
        ],
    ),
];

/// The allowed differences of case `id`.
pub fn expected(id: &str) -> &'static [Expect] {
    EXPECTED
        .iter()
        .find(|(c, _)| *c == id)
        .map(|(_, e)| *e)
        .unwrap_or(&[])
}

/// `reference` with the allowed differences of a case applied: what the case must answer.
pub fn apply(reference: &Reply, allowed: &[Expect]) -> Reply {
    let mut want = reference.clone();
    for e in allowed {
        match *e {
            Expect::Without(name) => want.headers.retain(|(n, _)| n != name),
            Expect::With(name, value) => {
                want.headers.retain(|(n, _)| n != name);
                want.headers.push((name.to_owned(), value.to_owned()));
            }
            Expect::Body(body) => {
                want.body = body.to_vec();
                // the length follows the body
                if let Some(h) = want.headers.iter_mut().find(|(n, _)| n == "content-length") {
                    h.1 = body.len().to_string();
                }
            }
        }
    }
    want
}

/// Checks every case against its reference; prints one line per case and, for a case that
/// differs, every difference and both responses. Returns whether all matched.
pub fn run(cases: &[crate::Case]) -> bool {
    let replies: Vec<(&str, Reply)> = cases.iter().map(|c| (c.id, c.probe())).collect();
    let find = |id: &str| replies.iter().find(|(c, _)| *c == id).map(|(_, r)| r);
    let mut ok = true;
    for (case, (id, reply)) in cases.iter().zip(&replies) {
        let Some(reference) = find(case.reference()) else {
            println!("FAIL {id}: no reference case `{}`", case.reference());
            ok = false;
            continue;
        };
        let want = apply(reference, expected(id));
        let diff = reply.diff(&want);
        if diff.is_empty() {
            let note = if expected(id).is_empty() {
                String::new()
            } else {
                format!(" (with {} declared difference(s))", expected(id).len())
            };
            println!("ok {id} = {}{note}", case.reference());
        } else {
            ok = false;
            println!("FAIL {id} against {}:", case.reference());
            for d in diff {
                println!("    {d}");
            }
            println!("  {id} answered:\n{}\n", indent(&reply.to_string()));
            println!("  expected:\n{}\n", indent(&want.to_string()));
        }
    }
    ok
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
