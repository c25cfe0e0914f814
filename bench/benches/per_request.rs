//! Criterion: ns per request for every case of issue 6, through actix's test service
//! (poem-openapi through its own `TestClient`). `cargo bench` from bench/ runs it;
//! `cargo bench -- c-jwt` runs one case.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

fn per_request(c: &mut Criterion) {
    let mut group = c.benchmark_group("per_request");
    for case in dmr_bench::cases() {
        let mut run = case.runner();
        group.bench_function(case.id, |b| b.iter_custom(&mut run));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = per_request
}
criterion_main!(benches);
