//! Evaluation benchmarks on our own signed images (`tests/data/signed`):
//!
//! * `eval-warm/*`: one `PolicyContext`, many evaluations (keys parsed once);
//! * `eval-cold/*`: a new context per evaluation, as a policy engine that re-reads key
//!   files per signature (c/image does) would pay.
//!
//! The summary prints cold/warm ratios: what parsing key material once saves.
//! `benches/compare-with-go.sh` compares parse speed with containers/image.

use std::hint::black_box;
use std::time::Instant;

use containers_policy::eval::PolicyContext;
use containers_policy::image::{Image, MemoryImage};
use containers_policy::{ImageReference, Policy};
use criterion::{Criterion, criterion_group, criterion_main};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn image(name: &str) -> MemoryImage {
    let dir = format!("{ROOT}/tests/data/signed/images/{name}");
    let source = containers_policy::source::DirImage::open(&dir).unwrap_or_else(|e| panic!("{e}"));
    let manifest = source
        .manifest()
        .unwrap_or_else(|e| panic!("{e}"))
        .bytes
        .to_vec();
    let signatures = source
        .signatures()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_owned();
    MemoryImage::new(manifest, None).with_signatures(signatures)
}

fn policy(requirement: &str) -> Policy {
    let text = format!(r#"{{"default":[{requirement}]}}"#)
        .replace("$KEYS", &format!("{ROOT}/tests/data/signed/keys"));
    Policy::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

struct Scenario {
    name: &'static str,
    policy: Policy,
    image: MemoryImage,
}

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "gpg-keyPath",
            policy: policy(r#"{"type":"signedBy","keyType":"GPGKeys","keyPath":"$KEYS/A.gpg"}"#),
            image: image("gpg-A"),
        },
        Scenario {
            name: "sigstore-keyPath",
            policy: policy(
                r#"{"type":"sigstoreSigned","keyPath":"$KEYS/S1.pub","signedIdentity":{"type":"matchRepository"}}"#,
            ),
            image: image("ss-S1"),
        },
        Scenario {
            name: "insecure",
            policy: policy(r#"{"type":"insecureAcceptAnything"}"#),
            image: image("gpg-A"),
        },
    ]
}

fn reference() -> ImageReference {
    ImageReference::parse("docker://registry.example.com/signed/app:v1")
        .unwrap_or_else(|e| panic!("{e}"))
}

fn time(iterations: u32, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..iterations {
        f();
    }
    start.elapsed().as_nanos() as f64 / f64::from(iterations)
}

fn bench_eval(c: &mut Criterion) {
    let reference = reference();
    let mut summary = Vec::new();
    for scenario in scenarios() {
        let context = PolicyContext::new(&scenario.policy);
        let allowed = context
            .evaluate(&reference, &scenario.image)
            .map(|v| v.is_allowed());
        assert_eq!(allowed, Ok(true), "{} must be allowed", scenario.name);
        c.bench_function(&format!("eval-warm/{}", scenario.name), |b| {
            b.iter(|| context.evaluate(black_box(&reference), &scenario.image))
        });
        c.bench_function(&format!("eval-cold/{}", scenario.name), |b| {
            b.iter(|| {
                PolicyContext::new(black_box(&scenario.policy))
                    .evaluate(&reference, &scenario.image)
            })
        });
        let warm = time(200, || {
            black_box(context.evaluate(&reference, &scenario.image)).ok();
        });
        let cold = time(200, || {
            black_box(PolicyContext::new(&scenario.policy).evaluate(&reference, &scenario.image))
                .ok();
        });
        summary.push(format!(
            "{:<18} warm {warm:>10.0} ns  cold {cold:>10.0} ns  cold/warm {:.2}",
            scenario.name,
            cold / warm
        ));
    }
    println!("\n{}", summary.join("\n"));
}

criterion_group!(benches, bench_eval);
criterion_main!(benches);
