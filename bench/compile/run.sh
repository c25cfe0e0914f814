#!/usr/bin/env bash
# Compile-time cost of the dmr macros: one controller with N endpoints, against the same
# routes written with plain actix-web attribute macros (`#[get(..)]`).
#
# Usage: bench/compile/run.sh [N] [RUNS]     (defaults: 50 endpoints, 3 runs)
#
# Generates a throw-away workspace under target/compile-bench/ (never a member of ours, never
# in git) with three crates sharing one lockfile (a copy of ours) and one target dir:
#   plain   `#[get("/eK/{id}")] async fn eK(id: web::Path<u32>) -> String`, mounted with `.service(eK)`
#   dmr     the same handlers as `#[endpoint(get, path = "/eK/{id}")]` in one
#           `#[controller(path = "", auth = [HttpBasic::new(check)])]`
#   dmr_off the same with `auth = none` (no chain code at all)
# Dependencies are built once first; then each crate's own `cargo build` (debug) is timed
# RUNS times after touching its source, and the same is done in one `cargo build --timings`
# run of all three (the "same run" figures, read from cargo's timing report).
set -euo pipefail

N=${1:-50}
RUNS=${2:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WS="$ROOT/target/compile-bench"
export CARGO_TARGET_DIR="$WS/target"
# Full rebuilds of the measured crates, not incremental reuse of their previous build.
export CARGO_INCREMENTAL=0

rm -rf "$WS/plain" "$WS/dmr" "$WS/dmr_off"
mkdir -p "$WS"
cp "$ROOT/Cargo.lock" "$WS/Cargo.lock"
cat > "$WS/Cargo.toml" <<TOML
[workspace]
resolver = "3"
members = ["plain", "dmr", "dmr_off"]

[workspace.dependencies]
actix-web = { version = "4.18", default-features = false, features = ["macros", "cookies"] }
dmr-runtime = { path = "$ROOT/dmr-runtime" }
TOML

manifest() {
    cat <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
actix-web.workspace = true
$2
TOML
}

gen_plain() {
    echo 'use actix_web::{get, web};'
    echo
    for k in $(seq 0 $((N - 1))); do
        echo "#[get(\"/e$k/{id}\")]"
        echo "async fn e$k(id: web::Path<u32>) -> String {"
        echo "    format!(\"$k:{}\", id.into_inner())"
        echo "}"
        echo
    done
    echo 'pub fn configure(cfg: &mut web::ServiceConfig) {'
    for k in $(seq 0 $((N - 1))); do echo "    cfg.service(e$k);"; done
    echo '}'
}

gen_dmr() {
    cat <<RS
use actix_web::web;
use dmr_runtime::backends::basic::HttpBasic;
use dmr_runtime::prelude::*;

fn check(user: &str, pass: &str) -> bool {
    user == "admin" && pass == "pass"
}

pub struct Bench;

#[controller(path = "", auth = $1)]
impl Bench {
RS
    for k in $(seq 0 $((N - 1))); do
        echo "    #[endpoint(get, path = \"/e$k/{id}\")]"
        echo "    async fn e$k(id: web::Path<u32>) -> String {"
        echo "        format!(\"$k:{}\", id.into_inner())"
        echo "    }"
        echo
    done
    echo '}'
    echo
    echo 'pub fn api() -> Api {'
    echo '    let _ = (check, HttpBasic::new(check));'
    echo '    Api::new().controller::<Bench>().build().expect("builds")'
    echo '}'
}

for c in plain dmr dmr_off; do mkdir -p "$WS/$c/src"; done
manifest plain "" > "$WS/plain/Cargo.toml"
manifest dmr "dmr-runtime.workspace = true" > "$WS/dmr/Cargo.toml"
manifest dmr_off "dmr-runtime.workspace = true" > "$WS/dmr_off/Cargo.toml"
gen_plain > "$WS/plain/src/lib.rs"
gen_dmr "[HttpBasic::new(check)]" > "$WS/dmr/src/lib.rs"
gen_dmr "none" > "$WS/dmr_off/src/lib.rs"

cd "$WS"
echo "building dependencies once..." >&2
cargo build --offline --quiet 2>/dev/null || cargo build --quiet

seconds() { # crate -> wall seconds of rebuilding only that crate
    touch "$WS/$1/src/lib.rs"
    local t0=$EPOCHREALTIME
    cargo build --offline --quiet -p "$1"
    awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'
}

echo "N=$N endpoints, $RUNS runs each, debug build of the crate alone (dependencies built)"
for c in plain dmr dmr_off; do
    times=()
    for _ in $(seq "$RUNS"); do times+=("$(seconds "$c")"); done
    sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
    printf '%-8s median %6.2fs   runs: %s\n' "$c" "$median" "$sorted"
done

echo
echo "same run: cargo build --timings of all three after touching each"
touch plain/src/lib.rs dmr/src/lib.rs dmr_off/src/lib.rs
cargo build --offline --quiet --timings 2>/dev/null
report=$(ls -t "$CARGO_TARGET_DIR"/cargo-timings/cargo-timing-*.html | head -1)
python3 - "$report" <<'PY'
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
for u in units:
    if u["name"] in ("plain", "dmr", "dmr_off"):
        print(f'{u["name"]:<8} {u["duration"]:6.2f}s  (cargo timings)')
PY
echo "report: $report"
