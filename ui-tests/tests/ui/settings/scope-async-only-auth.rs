use dmr_runtime::Api;
use dmr_runtime::backends::basic::HttpBasic;

fn main() {
    let _ = Api::new().scope("/admin", |s| {
        s.auth(HttpBasic::with_async(|user: String, pass: String| async move {
            user == "ops" && pass == "pw"
        }))
    });
}
