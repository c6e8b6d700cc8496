//! Differential test: which policy section containers/image (5.23.1) chose for 163
//! image references of every transport, recorded in `tests/oracle/scope-vectors.jsonl`
//! (see its README). Local-transport cases recreate the recorded directory layout
//! under a fresh temporary root, since c/image's identities resolve symlinks.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use containers_policy::Policy;
use containers_policy::scope::{ScopeIndex, ScopeMatch};
use containers_policy::transport::ImageReference;
use serde_json::{Value, json};

fn records() -> Vec<Value> {
    let path = format!(
        "{}/tests/oracle/scope-vectors.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Creates the recorded layout under `root` (directories and files, then symlinks).
fn build_layout(root: &Path, layout: &[Value]) {
    for entry in layout {
        let path = root.join(entry["path"].as_str().unwrap());
        match entry["type"].as_str().unwrap() {
            "dir" => std::fs::create_dir_all(&path).unwrap(),
            "file" => {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, b"").unwrap();
            }
            _ => {}
        }
    }
    for entry in layout.iter().filter(|e| e["type"] == "symlink") {
        let path = root.join(entry["path"].as_str().unwrap());
        let target = entry["target"]
            .as_str()
            .unwrap()
            .replace("$ROOT", root.to_str().unwrap());
        std::os::unix::fs::symlink(target, path).unwrap();
    }
}

#[test]
fn every_reference_gets_the_oracle_s_section() {
    let temp = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(temp.path()).unwrap();
    let records = records();
    let layout = records.iter().find_map(|r| r["layout"].as_array()).unwrap();
    build_layout(&root, layout);
    let root_text = root.to_str().unwrap();

    let mut failures = Vec::new();
    for record in &records {
        let id = record["id"].as_str().unwrap();
        let policy_text = record["policy"]
            .as_str()
            .unwrap()
            .replace("$ROOT", root_text);
        let image = record["image"]
            .as_str()
            .unwrap()
            .replace("$ROOT", root_text);
        let policy = Policy::from_str(&policy_text).unwrap_or_else(|e| panic!("{id}: policy: {e}"));
        let reference = match ImageReference::parse(&image) {
            Ok(reference) => reference,
            Err(e) => {
                failures.push(format!("{id}: {image} does not parse: {e}"));
                continue;
            }
        };
        let index = ScopeIndex::new(&policy);
        let got = match index.lookup(&reference).0 {
            ScopeMatch::Scope { transport, scope } => {
                json!({"transport": transport, "scope": scope.replace(root_text, "$ROOT")})
            }
            ScopeMatch::Default => Value::Null,
        };
        if got != record["scope"] {
            failures.push(format!(
                "{id}: {image}\n    oracle {}, ours {got}\n    identity {:?}, namespaces {:?}",
                record["scope"],
                reference.policy_identity(),
                reference.policy_namespaces()
            ));
        }
    }
    assert!(records.len() > 150);
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        records.len(),
        failures.join("\n")
    );
}
