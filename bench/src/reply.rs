//! What one response looked like, in full, and how two of them differ: the material of
//! `per_request --check`.

use std::fmt;

/// A response as a client sees it: status, every header (names lower-case, in the order the
/// server sent them) and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// Every header, `(name, value)`; a repeated header appears once per value.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

/// Headers whose value legitimately varies between two responses of the same server (the
/// clock): compared by presence only.
pub const VARYING: &[&str] = &["date"];

impl Reply {
    /// The value of header `name`, if sent (the first one).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The headers sorted by name, values of [`VARYING`] headers replaced by `*`.
    fn normalised(&self) -> Vec<(String, String)> {
        let mut h: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let v = if VARYING.contains(&n.as_str()) {
                    "*".to_owned()
                } else {
                    v.clone()
                };
                (n.clone(), v)
            })
            .collect();
        h.sort();
        h
    }

    /// Every difference between `self` and `reference`, one line each (empty: the same).
    pub fn diff(&self, reference: &Reply) -> Vec<String> {
        let mut out = Vec::new();
        if self.status != reference.status {
            out.push(format!(
                "status: {} (reference {})",
                self.status, reference.status
            ));
        }
        let (mine, theirs) = (self.normalised(), reference.normalised());
        for h in &theirs {
            if !mine.contains(h) {
                out.push(format!("- header {}: {}", h.0, h.1));
            }
        }
        for h in &mine {
            if !theirs.contains(h) {
                out.push(format!("+ header {}: {}", h.0, h.1));
            }
        }
        if self.body != reference.body {
            out.push(format!(
                "body: {:?} (reference {:?})",
                String::from_utf8_lossy(&self.body),
                String::from_utf8_lossy(&reference.body)
            ));
        }
        out
    }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "status {}", self.status)?;
        for (n, v) in &self.headers {
            writeln!(f, "{n}: {v}")?;
        }
        write!(f, "{}", String::from_utf8_lossy(&self.body))
    }
}
