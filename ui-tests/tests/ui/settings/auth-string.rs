use dmr_runtime::Settings;

fn main() {
    let _ = Settings::new().auth("auth");
}
