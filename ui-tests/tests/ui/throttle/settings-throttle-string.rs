use dmr_runtime::{Api, Scope};

fn main() {
    let _ = Api::new().scope("/api", |s: Scope| s.throttle("10/minute"));
}
