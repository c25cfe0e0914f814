use dmr_runtime::Settings;
use dmr_runtime::backends::basic::HttpBasic;

fn main() {
    let _ = Settings::new().auth_from(HttpBasic::new(|user, pass| user == "ops" && pass == "pw"));
}
