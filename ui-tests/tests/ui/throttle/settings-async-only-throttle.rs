use dmr_runtime::Settings;
use dmr_runtime::throttle::{RedisStore, Throttle};

fn main() {
    let redis = RedisStore::new("redis://127.0.0.1:6379").unwrap();
    let _ = Settings::new().throttle(Throttle::per_minute(10).store(redis));
}
