//! Differential test: the verdicts of the real containers/image (5.23.1, through
//! `cimage-eval --dump`) on 1286 policy files, recorded in `tests/oracle/` (see its
//! README for the recipe). The oracle is not needed to run this test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use base64::Engine as _;
use containers_policy::Policy;
use serde_json::Value;

fn records(name: &str) -> Vec<Value> {
    let path = format!("{}/tests/oracle/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn policy_bytes(record: &Value) -> Vec<u8> {
    match record["policy_base64"].as_str() {
        Some(b64) => base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
        None => record["policy"].as_str().unwrap().as_bytes().to_vec(),
    }
}

/// Vectors where c/image 5.23 and the current c/image (our contract,
/// policy-semantics.md) disagree, with the reason. 5.23 predates the sigstore
/// options of 5.24–5.35 and decided sigstore key sources by key presence; since the
/// rewrite for `keyPaths`/`keyDatas` (5.33) they are decided by value (§5.4 step 4).
fn newer_than_oracle(id: &str) -> Option<&'static str> {
    if id.starts_with("parse-newer-") || id.contains("-newer") {
        return Some("uses sigstore options added after 5.23");
    }
    const BY_VALUE: &[&str] = &[
        "parse-s18-sigstore-keypath-empty",
        "parse-s18-sigstore-keypath-empty-keydata",
        "parse-s18-sigstore-keypath-null-keydata",
        "parse-sigstore-keydata-null",
        "parse-sigstore-keypath-empty-keydata-empty",
        "parse-sigstore-keypath-null",
        "parse-sigstore-keypath-null-keydata-empty",
        "parse-sigstore-keypath-valid-keydata-null",
    ];
    if BY_VALUE.contains(&id) {
        return Some(
            "sigstore key sources: 5.23 counts present keys, current c/image counts values",
        );
    }
    None
}

#[test]
fn every_policy_gets_the_oracle_s_verdict() {
    let mut failures = Vec::new();
    let mut compared = 0;
    for record in records("parse-vectors.jsonl") {
        let id = record["id"].as_str().unwrap();
        if newer_than_oracle(id).is_some() {
            continue;
        }
        compared += 1;
        let accepted = record["accepted"].as_bool().unwrap();
        let ours = Policy::from_slice(&policy_bytes(&record));
        if ours.is_ok() != accepted {
            failures.push(format!(
                "{id}: oracle {} ({}), ours {}\n    {}",
                if accepted { "accepts" } else { "rejects" },
                record["error"].as_str().unwrap_or(""),
                match &ours {
                    Ok(_) => "accepts".to_owned(),
                    Err(e) => format!("rejects: {e}"),
                },
                String::from_utf8_lossy(&policy_bytes(&record)),
            ));
        }
    }
    assert!(compared > 1000, "only {compared} vectors compared");
    assert!(
        failures.is_empty(),
        "{} of {compared} verdicts differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
