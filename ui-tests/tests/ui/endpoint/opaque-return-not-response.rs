use dmr_runtime::prelude::*;

struct Greetings;

#[controller(path = "/greetings")]
impl Greetings {
    /// `impl Display` cannot be named in an assertion; the check runs on the value and must
    /// still be a compile error, not a 500 at run time.
    #[endpoint(get, path = "/")]
    async fn hello() -> impl std::fmt::Display {
        "hello"
    }
}

fn main() {}
