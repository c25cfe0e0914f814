use dmr_runtime::Settings;
use dmr_runtime::backends::basic::HttpBasic;

fn main() {
    // a blocking check serves only plain `fn` endpoints
    let _ = Settings::new().auth(HttpBasic::blocking(|user, pass| user == "ops" && pass == "pw"));
}
