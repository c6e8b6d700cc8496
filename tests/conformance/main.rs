//! containers/image's own test outcomes (the conformance kit, `cases.json`), run
//! against this crate.
//!
//! The kit is read in place from `$CONTAINERS_POLICY_CONFORMANCE` (`.ci/run` points it
//! at `../shared/conformance`); it is never copied into the repository. Without the
//! variable the test says loudly that it skipped. With it, every case of an operation
//! with a runner (see `runners`) must pass, and every case of an area listed in
//! [`CLAIMED_AREAS`] must be implemented (none may be skipped).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use containers_policy::policy::Policy;
use serde_json::{Map, Value, json};

mod evaluation;
mod manifest;
#[cfg(feature = "openpgp")]
mod openpgp;
mod policy;
mod signature;
mod sigstore_primitives;
mod x509;

/// Runs one check: `Ok` when the outcome matches `expected`, else why not.
pub type Runner = fn(&Kit, &Map<String, Value>, &Value) -> Outcome;

/// Every implemented operation and its runner; each module lists its own.
fn runners() -> Vec<(&'static str, Runner)> {
    let runners = [
        policy::RUNNERS,
        signature::RUNNERS,
        manifest::RUNNERS,
        evaluation::RUNNERS,
        x509::RUNNERS,
        sigstore_primitives::RUNNERS,
    ]
    .concat();
    #[cfg(feature = "openpgp")]
    let runners = [runners.as_slice(), openpgp::RUNNERS].concat();
    runners
}

/// Cases that cannot apply to this crate, each with the reason. A runner reports such
/// a check as `Err("not applicable: …")`; one not listed here fails the test.
const NOT_APPLICABLE: &[(&str, &str)] = &[
    (
        "pe-ctx-sigs-empty-requirements",
        "upstream builds a policy with an empty requirement list, which our types refuse (the kit says: skip)",
    ),
    (
        "pe-ctx-sigs-destroyed",
        "a destroyed Go PolicyContext: Rust ownership makes a use after destruction unrepresentable",
    ),
    (
        "pe-ctx-run-destroyed",
        "a destroyed Go PolicyContext: Rust ownership makes a use after destruction unrepresentable",
    ),
];

/// Areas whose every case must be implemented.
const CLAIMED_AREAS: &[&str] = &[
    "simple-signing-verify",
    "payload-parse",
    "sigstore-verify",
    "fulcio",
    "rekor-set",
    "pki",
    "policy-eval",
    "manifest-digest",
    "blob-format",
];

/// Where a not-yet-implemented operation will land, for the skip report.
fn planned_in(operation: &str) -> &'static str {
    match operation.split('.').next().unwrap_or_default() {
        "openpgp" | "simple" | "docker" | "signed_by" => "issue 4 (signedBy)",
        "sigstore" | "rekor" | "fulcio" | "pki" => "issue 5 (sigstoreSigned)",
        _ => "issue 3 (evaluation)",
    }
}

/// The conformance kit: its directory and its cases.
pub struct Kit {
    pub dir: PathBuf,
    pub cases: Vec<Value>,
}

fn kit() -> Option<Kit> {
    let Some(dir) = std::env::var_os("CONTAINERS_POLICY_CONFORMANCE") else {
        eprintln!(
            "\n*** SKIPPED: conformance tests need CONTAINERS_POLICY_CONFORMANCE \
             (e.g. ../shared/conformance); .ci/run sets it ***\n"
        );
        return None;
    };
    let dir = PathBuf::from(dir);
    let text = std::fs::read_to_string(dir.join("cases.json")).unwrap_or_else(|e| {
        panic!("CONTAINERS_POLICY_CONFORMANCE is set but cases.json is unreadable: {e}")
    });
    let doc: Value = serde_json::from_str(&text).unwrap();
    let cases = doc["cases"].as_array().unwrap().clone();
    Some(Kit { dir, cases })
}

impl Kit {
    /// A kit-relative path (`fixtures/...`) made absolute; other paths as given.
    pub fn path(&self, p: &str) -> PathBuf {
        if p.starts_with("fixtures/") || p.starts_with("internal-testdata/") {
            self.dir.join(p)
        } else {
            PathBuf::from(p)
        }
    }

    /// Resolves a byte input of the kit's notation.
    pub fn bytes(&self, v: &Value) -> Vec<u8> {
        match v {
            Value::String(s) => std::fs::read(self.path(s)).unwrap(),
            Value::Object(o) if o.contains_key("$text") => {
                o["$text"].as_str().unwrap().as_bytes().to_vec()
            }
            Value::Object(o) if o.contains_key("$file") => {
                std::fs::read(self.path(o["$file"].as_str().unwrap())).unwrap()
            }
            Value::Object(o) if o.contains_key("$hex") => hex(o["$hex"].as_str().unwrap()),
            Value::Object(o) if o.contains_key("$concat") => o["$concat"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|p| self.bytes(p))
                .collect(),
            other => panic!("unsupported byte input {other}"),
        }
    }

    /// Turns a policy written in the kit's notation into policy.json.
    pub fn policy_json(&self, v: &Value) -> Value {
        const DATA: &[&str] = &[
            "keyData",
            "caData",
            "rekorPublicKeyData",
            "caRootsData",
            "caIntermediatesData",
        ];
        const DATAS: &[&str] = &["keyDatas", "rekorPublicKeyDatas"];
        const PATH_LISTS: &[&str] = &["keyPaths", "rekorPublicKeyPaths"];
        const PATHS: &[&str] = &[
            "keyPath",
            "caPath",
            "rekorPublicKeyPath",
            "caRootsPath",
            "caIntermediatesPath",
        ];
        let b64 =
            |bytes: Vec<u8>| Value::String(base64::engine::general_purpose::STANDARD.encode(bytes));
        match v {
            Value::Object(o) => {
                let mut out = Map::new();
                for (k, val) in o {
                    if let Some(base) = k.strip_suffix("_text") {
                        out.insert(
                            base.to_owned(),
                            b64(val.as_str().unwrap().as_bytes().to_vec()),
                        );
                    } else if DATA.contains(&k.as_str()) && !val.is_null() {
                        out.insert(k.clone(), b64(self.bytes(val)));
                    } else if DATAS.contains(&k.as_str()) && val.is_array() {
                        let items = val
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|x| b64(self.bytes(x)))
                            .collect();
                        out.insert(k.clone(), Value::Array(items));
                    } else if PATH_LISTS.contains(&k.as_str()) && val.is_array() {
                        let items = val
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|p| p.as_str().map_or(p.clone(), |p| json!(self.path(p))))
                            .collect();
                        out.insert(k.clone(), Value::Array(items));
                    } else if PATHS.contains(&k.as_str()) && val.is_string() {
                        out.insert(k.clone(), json!(self.path(val.as_str().unwrap())));
                    } else {
                        out.insert(k.clone(), self.policy_json(val));
                    }
                }
                Value::Object(out)
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| self.policy_json(x)).collect()),
            other => other.clone(),
        }
    }

    /// The policy an accepting case expects, parsed.
    pub fn expected_policy(&self, expected: &Value) -> Option<Policy> {
        let value = match expected.get("policy")? {
            Value::String(s) if s.starts_with("same as ") => {
                let id = s.trim_start_matches("same as ");
                let case = self.cases.iter().find(|c| c["id"] == id).unwrap();
                case["expected"]["policy"].clone()
            }
            other => other.clone(),
        };
        let text = serde_json::to_string(&self.policy_json(&value)).unwrap();
        Some(
            Policy::from_str(&text)
                .unwrap_or_else(|e| panic!("expected policy does not parse: {e}\n{text}")),
        )
    }
}

/// Decodes hex.
pub fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The checks of a case: its inputs with each variant merged over them.
fn checks(case: &Value) -> Vec<(Map<String, Value>, Value)> {
    let mut inputs = case["inputs"].as_object().cloned().unwrap_or_default();
    if case["constructed_without_validation"] == true {
        inputs.insert("_constructed_without_validation".into(), Value::Bool(true));
    }
    let expected = case["expected"].clone();
    let per_variant = expected["result"]
        .as_str()
        .and_then(|r| r.strip_prefix("per variant: "))
        .map(str::to_owned);
    let Some(variants) = inputs.get("variants").and_then(Value::as_array) else {
        return vec![(inputs, expected)];
    };
    variants
        .iter()
        .map(|variant| {
            let mut merged = inputs.clone();
            merged.remove("variants");
            for (k, v) in variant.as_object().unwrap() {
                merged.insert(k.clone(), v.clone());
            }
            let mut expected = expected.clone();
            if let Some(key) = &per_variant {
                expected["result"] = variant[key.as_str()].clone();
            }
            (merged, expected)
        })
        .collect()
}

/// The result of one check.
pub type Outcome = Result<(), String>;

/// The expected verdict (`accept`, `reject`, ...).
pub fn verdict(expected: &Value) -> &str {
    expected["result"].as_str().unwrap_or_default()
}

#[test]
fn conformance_kit() {
    let Some(kit) = kit() else { return };
    let runners = runners();
    let mut failures = Vec::new();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut passed = 0usize;
    let mut not_applicable = Vec::new();
    for case in &kit.cases {
        let id = case["id"].as_str().unwrap();
        let area = case["area"].as_str().unwrap();
        let operation = case["operation"].as_str().unwrap();
        let Some(&(_, runner)) = runners.iter().find(|(op, _)| *op == operation) else {
            if CLAIMED_AREAS.contains(&area) {
                failures.push(format!(
                    "{id}: area {area} is claimed but {operation} is not implemented"
                ));
            }
            *skipped
                .entry(format!("{operation} ({})", planned_in(operation)))
                .or_default() += 1;
            continue;
        };
        for (i, (inputs, expected)) in checks(case).iter().enumerate() {
            match runner(&kit, inputs, expected) {
                Ok(()) => passed += 1,
                Err(why) if why.starts_with("not applicable: ") => {
                    match NOT_APPLICABLE.iter().find(|(listed, _)| *listed == id) {
                        Some((_, reason)) => not_applicable.push(format!("{id}: {reason}")),
                        None => failures
                            .push(format!("{id}[{i}] is not listed as not applicable: {why}")),
                    }
                }
                Err(why) => failures.push(format!("{id}[{i}] ({operation}): {why}")),
            }
        }
    }
    eprintln!(
        "conformance: {passed} checks passed, {} failed, {} not applicable",
        failures.len(),
        not_applicable.len()
    );
    for line in &not_applicable {
        eprintln!("  not applicable: {line}");
    }
    for (operation, count) in &skipped {
        eprintln!("  not yet implemented: {count:3} cases of {operation}");
    }
    assert!(
        failures.is_empty(),
        "conformance failures:\n{}",
        failures.join("\n")
    );
    assert!(passed > 0, "no conformance check ran");
}

#[test]
fn kit_paths_resolve_inside_the_kit() {
    let kit = Kit {
        dir: Path::new("/kit").to_owned(),
        cases: Vec::new(),
    };
    assert_eq!(kit.path("fixtures/a"), Path::new("/kit/fixtures/a"));
    assert_eq!(kit.path("/dev/null"), Path::new("/dev/null"));
}
