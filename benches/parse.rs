//! Parse and scope-lookup benchmarks.
//!
//! * `parse/*`: `Policy::from_slice` on the shipped example policy and on a generated
//!   policy with 1000 scopes.
//! * `lookup/*`: scope lookup for a docker reference in policies with 10 and with 10 000
//!   scopes. The index makes lookup cost independent of the number of scopes; the
//!   summary printed at the end gives the ratio (it should stay close to 1).
//!
//! `benches/compare-with-go.sh` runs the same parse against containers/image (the
//! oracle in ../shared/oracle) and prints our speed as a ratio of Go's.

use std::hint::black_box;
use std::time::Instant;

use containers_policy::Policy;
use containers_policy::scope::ScopeIndex;
use criterion::{Criterion, criterion_group, criterion_main};

fn generated_policy(scopes: usize) -> String {
    let mut docker = serde_json::Map::new();
    for i in 0..scopes {
        docker.insert(
            format!("registry{}.example.com/team{}/app", i % 97, i),
            serde_json::json!([{"type": "signedBy", "keyType": "GPGKeys", "keyPath": format!("/etc/keys/{i}.gpg"),
                "signedIdentity": {"type": "matchRepository"}}]),
        );
    }
    serde_json::json!({"default": [{"type": "reject"}], "transports": {"docker": docker}})
        .to_string()
}

fn bench_parse(c: &mut Criterion) {
    let example = include_bytes!("../examples/policies/registry.json");
    let large = generated_policy(1000);
    c.bench_function("parse/example", |b| {
        b.iter(|| Policy::from_slice(black_box(example)))
    });
    c.bench_function("parse/1000-scopes", |b| {
        b.iter(|| Policy::from_slice(black_box(large.as_bytes())))
    });
}

/// Namespaces of `registry5.example.com/team5/app:v1`, most specific first.
const NAMESPACES: [&str; 5] = [
    "registry5.example.com/team5/app",
    "registry5.example.com/team5",
    "registry5.example.com",
    "*.example.com",
    "*.com",
];

fn lookup_ns(index: &ScopeIndex, iterations: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..iterations {
        black_box(index.lookup_parts(
            "docker",
            black_box("registry5.example.com/team5/app:v1"),
            NAMESPACES,
        ));
    }
    start.elapsed().as_nanos() as f64 / f64::from(iterations)
}

fn bench_lookup(c: &mut Criterion) {
    let small =
        ScopeIndex::new(&Policy::from_str(&generated_policy(10)).unwrap_or_else(|e| panic!("{e}")));
    let large = ScopeIndex::new(
        &Policy::from_str(&generated_policy(10_000)).unwrap_or_else(|e| panic!("{e}")),
    );
    c.bench_function("lookup/10-scopes", |b| {
        b.iter(|| {
            small.lookup_parts(
                "docker",
                black_box("registry5.example.com/team5/app:v1"),
                NAMESPACES,
            )
        })
    });
    c.bench_function("lookup/10000-scopes", |b| {
        b.iter(|| {
            large.lookup_parts(
                "docker",
                black_box("registry5.example.com/team5/app:v1"),
                NAMESPACES,
            )
        })
    });
    let (small_ns, large_ns) = (lookup_ns(&small, 200_000), lookup_ns(&large, 200_000));
    println!(
        "lookup ratio 10000 scopes / 10 scopes: {:.2} ({large_ns:.0} ns / {small_ns:.0} ns)",
        large_ns / small_ns
    );
}

criterion_group!(benches, bench_parse, bench_lookup);
criterion_main!(benches);
