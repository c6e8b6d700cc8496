//! Differential test: 821 evaluations by the real containers/image (5.23.1) of our own
//! shipped images (`tests/data/images`, made by `make-images.py`), recorded in
//! `tests/oracle/eval-vectors.jsonl` with the stage, the section chosen and the error.
//! For each we require the same verdict, the same stage, the same section and, for the
//! rejections whose cause is unambiguous, a reason that says the same thing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use containers_policy::eval::PolicyContext;
use containers_policy::{ImageReference, Policy, source};
use serde_json::{Value, json};

struct Outcome {
    allowed: bool,
    stage: &'static str,
    error: String,
    scope: Value,
}

fn evaluate(policy: &str, image: &str, identity: Option<&str>) -> Outcome {
    let failed = |stage, error: String| Outcome {
        allowed: false,
        stage,
        error,
        scope: Value::Null,
    };
    let policy = match Policy::from_str(policy) {
        Ok(policy) => policy,
        Err(e) => return failed("policy", e.to_string()),
    };
    let image_reference = match ImageReference::parse(image) {
        Ok(r) => r,
        Err(e) => return failed("image", e.to_string()),
    };
    let reference = match identity.map(ImageReference::parse) {
        None => image_reference.clone(),
        Some(Ok(r)) => r,
        Some(Err(e)) => return failed("image", e.to_string()),
    };
    let source = match source::open(&image_reference) {
        Ok(source) => source,
        Err(e) => return failed("image", e.to_string()),
    };
    let verdict = PolicyContext::new(&policy)
        .evaluate(&reference, source.as_ref())
        .unwrap();
    Outcome {
        allowed: verdict.is_allowed(),
        stage: if verdict.is_allowed() { "" } else { "eval" },
        error: verdict.reason(),
        scope: verdict.section().map_or(
            Value::Null,
            |s| json!({"transport": s.transport, "scope": s.scope}),
        ),
    }
}

/// c/image's message fragment, and what our explanation says for the same cause.
const SAME_CAUSE: &[(&str, &str)] = &[
    ("is rejected by policy", "the policy rejects this image"),
    (
        "signedBaseLayer not implemented yet!",
        "signedBaseLayer is not implemented",
    ),
    (
        "A signature was required, but no signature exists",
        "a signature was required, but no signature exists",
    ),
    ("non-sigstore signatures", "of the other format"),
    (
        "Unimplemented \"keyType\" value",
        "is not implemented (only \"GPGKeys\" is)",
    ),
    ("unrecognized signature format", "could not be read"),
    ("empty signature blob", "could not be read"),
];

#[test]
fn every_evaluation_matches_the_oracle() {
    let images =
        std::fs::canonicalize(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/images"))
            .unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let scratch = std::fs::canonicalize(scratch.path()).unwrap();
    let (images_text, scratch_text) = (images.to_str().unwrap(), scratch.to_str().unwrap());
    let expand = |s: &str| {
        s.replace("$IMAGES", images_text)
            .replace("$SCRATCH", scratch_text)
    };

    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/eval-vectors.jsonl");
    let text = std::fs::read_to_string(path).unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let record: Value = serde_json::from_str(line).unwrap();
        count += 1;
        let id = record["id"].as_str().unwrap();
        let identity = record["identity"].as_str().map(&expand);
        let got = evaluate(
            &expand(record["policy"].as_str().unwrap()),
            &expand(record["image"].as_str().unwrap()),
            identity.as_deref(),
        );
        let want_scope = match &record["scope"] {
            Value::Null => Value::Null,
            scope => {
                json!({"transport": scope["transport"], "scope": expand(scope["scope"].as_str().unwrap())})
            }
        };
        let want_error = record["error"].as_str().unwrap();
        let mut problems = Vec::new();
        if got.allowed != record["allowed"].as_bool().unwrap() {
            problems.push(format!(
                "allowed {} vs oracle {}",
                got.allowed, record["allowed"]
            ));
        }
        if got.stage != record["stage"].as_str().unwrap() {
            problems.push(format!(
                "stage {:?} vs oracle {}",
                got.stage, record["stage"]
            ));
        }
        if got.stage == "eval" && got.scope != want_scope {
            problems.push(format!("section {} vs oracle {want_scope}", got.scope));
        }
        if got.stage == "eval" {
            for (theirs, ours) in SAME_CAUSE {
                if want_error.contains(theirs) && !got.error.contains(ours) {
                    problems.push(format!("reason {:?} does not say {ours:?}", got.error));
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{id}: {}\n    oracle error: {want_error}\n    ours: {}",
                problems.join("; "),
                got.error
            ));
        }
    }
    assert!(count > 800, "only {count} records");
    assert!(
        failures.is_empty(),
        "{} of {count} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
