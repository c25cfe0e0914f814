//! The structure of the two crates, checked on their source so that it cannot drift:
//!
//! - the runtime's top-level modules form layers, and every import points down (a module
//!   reads only modules of a lower layer, or itself);
//! - no import circle between the files of either crate;
//! - no source file over 500 lines, tests aside.
//!
//! An import is any path the code names: `use crate::a::b`, `crate::a::b::f()` in an
//! expression, `super::x`, and the groups of `use crate::{a, b}`. Re-exports are followed, so
//! `super::X` that a parent re-exports from a sibling counts as an import of that sibling.
//! Test modules (`#[cfg(test)] mod ..`) are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The runtime's layers, bottom first: a module may import only modules of a lower layer.
/// `api` and `openapi` share one: both read the endpoint description, never each other.
const LAYERS: &[&[&str]] = &[
    &["i18n", "repr", "connection", "park", "observe"],
    &["auth", "build_error", "redis"],
    &["error"],
    &["extract_failure"],
    &["respond"],
    &["extract"],
    &["description"],
    &["throttle"],
    &["negotiate"],
    &["pipeline"],
    &["api", "openapi"],
    &["app"],
    &["backends"],
    &["testing", "private"],
];

const MAX_LINES: usize = 500;

/// A module path inside a crate: `["backends", "jwt", "config"]`; the crate root is `[]`.
type Module = Vec<String>;

struct Crate {
    /// The source (comments, strings and test modules removed) of each module.
    files: BTreeMap<Module, String>,
    /// Lines of each file that is not a test module.
    lines: BTreeMap<Module, (PathBuf, usize)>,
    /// `pub use` re-exports: module -> name -> the path it names (absolute).
    reexports: BTreeMap<Module, BTreeMap<String, Vec<String>>>,
}

fn src(krate: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("src")
}

impl Crate {
    fn read(root: &Path) -> Self {
        let mut krate = Self {
            files: BTreeMap::new(),
            lines: BTreeMap::new(),
            reexports: BTreeMap::new(),
        };
        krate.visit(&root.join("lib.rs"), Vec::new());
        krate
    }

    /// Reads the module in `file` and, through its `mod` declarations, its children.
    fn visit(&mut self, file: &Path, module: Module) {
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        self.lines
            .insert(module.clone(), (file.to_owned(), text.lines().count()));
        let code = strip(&text);
        let dir = if module.is_empty() || file.ends_with("mod.rs") {
            file.parent().unwrap().to_owned()
        } else {
            file.with_extension("")
        };
        for (name, is_test) in child_modules(&code) {
            if is_test {
                continue;
            }
            let candidates = [
                dir.join(format!("{name}.rs")),
                dir.join(&name).join("mod.rs"),
            ];
            let Some(child) = candidates.iter().find(|p| p.exists()) else {
                continue; // an inline `mod x { .. }`, part of this file
            };
            let mut path = module.clone();
            path.push(name);
            self.visit(child, path);
        }
        self.reexports
            .insert(module.clone(), reexports(&code, &module));
        self.files.insert(module, code);
    }

    /// The module that `path` (absolute) names: the deepest module file along it, through
    /// re-exports.
    fn resolve(&self, path: &[String], depth: usize) -> Module {
        let mut module: Module = Vec::new();
        for (i, seg) in path.iter().enumerate() {
            let mut next = module.clone();
            next.push(seg.clone());
            if self.files.contains_key(&next) {
                module = next;
                continue;
            }
            if depth < 8
                && let Some(target) = self.reexports.get(&module).and_then(|r| r.get(seg))
            {
                let mut full = target.clone();
                full.extend(path[i + 1..].iter().cloned());
                return self.resolve(&full, depth + 1);
            }
            break;
        }
        module
    }

    /// Every file-to-file import, without a module's reads of its ancestors (their own
    /// items) and of its descendants (declaring and re-exporting them).
    fn edges(&self) -> BTreeSet<(Module, Module)> {
        let mut out = BTreeSet::new();
        for (module, code) in &self.files {
            for path in references(code, module) {
                let target = self.resolve(&path, 0);
                let related = target.starts_with(module) || module.starts_with(&target);
                if !related {
                    out.insert((module.clone(), target));
                }
            }
        }
        out
    }
}

/// The source without comments, string and char literals, and `#[cfg(test)]` items' bodies
/// (a test module inline is cut from its attribute to the end of the file, where they sit).
fn strip(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            out.push('\n');
            continue;
        }
        let mut in_str = false;
        let mut prev = ' ';
        let mut kept = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if in_str {
                if c == '"' && prev != '\\' {
                    in_str = false;
                    kept.push('"');
                }
                prev = if c == '\\' && prev == '\\' { ' ' } else { c };
                i += 1;
                continue;
            }
            if c == '/' && chars.get(i + 1) == Some(&'/') {
                break;
            }
            if c == '"' {
                in_str = true;
                kept.push('"');
            } else {
                kept.push(c);
            }
            prev = c;
            i += 1;
        }
        out.push_str(&kept);
        out.push('\n');
    }
    match out.find("#[cfg(test)]\nmod tests {") {
        Some(i) => out[..i].to_owned(),
        None => out,
    }
}

/// The `mod name;` declarations, with whether each is a test module.
fn child_modules(code: &str) -> Vec<(String, bool)> {
    let lines: Vec<&str> = code.lines().map(str::trim).collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let decl = line
            .strip_prefix("pub(crate) mod ")
            .or_else(|| line.strip_prefix("pub mod "))
            .or_else(|| line.strip_prefix("mod "));
        let Some(name) = decl.and_then(|d| d.strip_suffix(';')) else {
            continue;
        };
        let attrs = lines[..i]
            .iter()
            .rev()
            .take_while(|l| l.starts_with("#["))
            .any(|l| l.contains("cfg(test)") || l.contains("cfg(all(test"));
        out.push((name.trim().to_owned(), attrs));
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Splits `a::b::{c, d::e}` into the paths it names: `a::b::c`, `a::b::d::e`.
fn expand_group(prefix: &[String], rest: &str, out: &mut Vec<Vec<String>>) {
    let rest = rest.trim();
    if let Some(inner) = rest.strip_prefix('{') {
        let inner = inner.strip_suffix('}').unwrap_or(inner);
        let mut depth = 0;
        let mut start = 0;
        let bytes: Vec<char> = inner.chars().collect();
        for (i, c) in bytes.iter().enumerate() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    let part: String = bytes[start..i].iter().collect();
                    expand_group(prefix, &part, out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        let part: String = bytes[start..].iter().collect();
        expand_group(prefix, &part, out);
        return;
    }
    let item = rest.split(" as ").next().unwrap_or("").trim();
    if item.is_empty() {
        return;
    }
    match item.split_once("::") {
        Some((head, tail)) if !head.contains('{') => {
            let mut p = prefix.to_vec();
            p.push(head.trim().to_owned());
            expand_group(&p, tail, out);
        }
        _ => {
            let mut p = prefix.to_vec();
            if item != "self" && item != "*" {
                p.push(item.to_owned());
            }
            out.push(p);
        }
    }
}

/// Makes `path`, written in `module`, absolute: `crate::`, `super::`, `self::`, or a child
/// module's name. `None` for an extern crate or a name in scope.
fn absolute(
    module: &[String],
    path: &[String],
    children: &BTreeSet<String>,
) -> Option<Vec<String>> {
    let (first, rest) = path.split_first()?;
    match first.as_str() {
        "crate" => Some(rest.to_vec()),
        "self" => Some([module, rest].concat()),
        "super" => {
            let mut base = module.to_vec();
            let mut rest = rest;
            base.pop()?;
            while let Some(("super", tail)) = rest.split_first().map(|(h, t)| (h.as_str(), t)) {
                base.pop()?;
                rest = tail;
            }
            Some([base.as_slice(), rest].concat())
        }
        name if children.contains(name) => Some([module, path].concat()),
        _ => None,
    }
}

fn children_of(code: &str) -> BTreeSet<String> {
    child_modules(code).into_iter().map(|(n, _)| n).collect()
}

/// Every path the code of `module` names into its own crate.
fn references(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let children = children_of(code);
    let mut out = Vec::new();
    // `use` items, groups included
    for stmt in code.split(';') {
        let s = stmt.trim();
        let Some(pos) = s.find("use ") else { continue };
        if pos > 0 && is_ident(s[..pos].chars().last().unwrap_or(' ')) {
            continue;
        }
        let body = s[pos + 4..].trim();
        let mut paths = Vec::new();
        expand_group(&[], body, &mut paths);
        out.extend(paths.iter().filter_map(|p| absolute(module, p, &children)));
    }
    // paths in expressions and types: `crate::a::b`, `super::a`
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &code[i..];
        let boundary = i == 0 || !is_ident(bytes[i - 1] as char);
        if boundary && (rest.starts_with("crate::") || rest.starts_with("super::")) {
            let len = rest
                .find(|c: char| !(is_ident(c) || c == ':'))
                .unwrap_or(rest.len());
            let path: Vec<String> = rest[..len]
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            out.extend(absolute(module, &path, &children));
            i += len;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

/// `pub use a::b::{C, D as E}` and `pub(crate) use ..`: name -> absolute path.
fn reexports(code: &str, module: &[String]) -> BTreeMap<String, Vec<String>> {
    let children = children_of(code);
    let mut out = BTreeMap::new();
    for stmt in code.split(';') {
        let s = stmt.trim();
        let Some(body) = s
            .strip_prefix("pub use ")
            .or_else(|| s.strip_prefix("pub(crate) use "))
        else {
            continue;
        };
        let mut paths = Vec::new();
        expand_group(&[], body, &mut paths);
        // the names as imported (`as` renames are rare enough here to ignore)
        for p in paths {
            if let (Some(name), Some(abs)) = (p.last(), absolute(module, &p, &children)) {
                out.insert(name.clone(), abs);
            }
        }
    }
    out
}

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&top))
}

fn show(m: &[String]) -> String {
    if m.is_empty() {
        "lib".to_owned()
    } else {
        m.join("::")
    }
}

/// The import circles: strongly connected groups of more than one file.
fn circles(edges: &BTreeSet<(Module, Module)>) -> Vec<Vec<Module>> {
    let mut graph: BTreeMap<&Module, Vec<&Module>> = BTreeMap::new();
    for (a, b) in edges {
        graph.entry(a).or_default().push(b);
        graph.entry(b).or_default();
    }
    let nodes: Vec<&Module> = graph.keys().copied().collect();
    let reach = |from: &Module| {
        let mut seen: BTreeSet<&Module> = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            for m in &graph[n] {
                if seen.insert(m) {
                    stack.push(m);
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&Module, BTreeSet<&Module>> =
        nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut done: BTreeSet<&Module> = BTreeSet::new();
    let mut out = Vec::new();
    for n in &nodes {
        if done.contains(n) || !reachable[n].contains(n) {
            continue;
        }
        let group: Vec<Module> = nodes
            .iter()
            .filter(|m| reachable[n].contains(*m) && reachable[*m].contains(*n))
            .map(|m| (*m).clone())
            .collect();
        for m in &group {
            done.insert(nodes.iter().find(|x| **x == m).unwrap());
        }
        out.push(group);
    }
    out
}

#[test]
fn runtime_imports_point_down() {
    let krate = Crate::read(&src("dmr-runtime"));
    let mut wrong = Vec::new();
    for (from, to) in krate.edges() {
        let (Some(a), Some(b)) = (from.first(), to.first()) else {
            continue; // the crate root re-exports and may read anything
        };
        if a == b {
            continue;
        }
        let la = layer_of(a).unwrap_or_else(|| panic!("module `{a}` is in no layer of LAYERS"));
        let lb = layer_of(b).unwrap_or_else(|| panic!("module `{b}` is in no layer of LAYERS"));
        if lb >= la {
            wrong.push(format!("{} -> {}", show(&from), show(&to)));
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that do not point down a layer:\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn no_import_circles() {
    let mut text = Vec::new();
    for name in ["dmr-runtime", "dmr-macros"] {
        let krate = Crate::read(&src(name));
        for group in circles(&krate.edges()) {
            let files: Vec<String> = group.iter().map(|m| show(m)).collect();
            text.push(format!("{name}: {}", files.join(" <-> ")));
        }
    }
    assert!(text.is_empty(), "import circles:\n  {}", text.join("\n  "));
}

#[test]
fn no_file_over_500_lines() {
    for name in ["dmr-runtime", "dmr-macros"] {
        let krate = Crate::read(&src(name));
        let long: Vec<String> = krate
            .lines
            .values()
            .filter(|(_, n)| *n > MAX_LINES)
            .map(|(p, n)| format!("{} ({n} lines)", p.display()))
            .collect();
        assert!(
            long.is_empty(),
            "files over {MAX_LINES} lines:\n  {}",
            long.join("\n  ")
        );
    }
}

#[test]
fn the_checker_sees_imports() {
    // what the checks above rely on: a `use`, a group, a path in an expression and `super::`
    let code = strip(
        "use crate::auth::{AuthDoc, layer::LayerAuth};\nfn f() { crate::error::x(); super::y::z(); }\n// crate::i18n in a comment\nlet s = \"crate::throttle\";\n",
    );
    let module = vec!["api".to_owned(), "route".to_owned()];
    let refs = references(&code, &module);
    let has = |p: &[&str]| {
        refs.iter()
            .any(|r| r.iter().map(String::as_str).eq(p.iter().copied()))
    };
    assert!(has(&["auth", "AuthDoc"]), "{refs:?}");
    assert!(has(&["auth", "layer", "LayerAuth"]), "{refs:?}");
    assert!(has(&["error", "x"]), "{refs:?}");
    assert!(has(&["api", "y", "z"]), "{refs:?}");
    assert!(
        !refs.iter().any(|r| r[0] == "i18n" || r[0] == "throttle"),
        "{refs:?}"
    );
}

#[test]
fn the_checker_finds_a_circle_and_an_upward_import() {
    let dir = std::env::temp_dir().join(format!("dmr-layers-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("api")).unwrap();
    std::fs::write(dir.join("lib.rs"), "mod api;\nmod auth;\nmod i18n;\n").unwrap();
    std::fs::write(
        dir.join("api/mod.rs"),
        "mod route;\nmod state;\npub use route::Route;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("api/route.rs"),
        "use super::state::State;\npub struct Route;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("api/state.rs"),
        "use super::Route;\npub struct State;\n",
    )
    .unwrap();
    // `i18n` is the lowest layer: reading `auth` points up
    std::fs::write(dir.join("i18n.rs"), "use crate::auth::Auth;\n").unwrap();
    std::fs::write(dir.join("auth.rs"), "pub trait Auth {}\n").unwrap();
    let krate = Crate::read(&dir);
    let edges = krate.edges();
    let found = circles(&edges);
    let _ = std::fs::remove_dir_all(&dir);
    let route = vec!["api".to_owned(), "route".to_owned()];
    let state = vec!["api".to_owned(), "state".to_owned()];
    assert_eq!(found, vec![vec![route, state]], "{edges:?}");
    let up = (vec!["i18n".to_owned()], vec!["auth".to_owned()]);
    assert!(edges.contains(&up), "{edges:?}");
    assert!(layer_of("i18n") < layer_of("auth"));
}
