//! Helpers shared by the integration tests.
#![allow(dead_code)]

use containers_policy::policy::{JsonType, PolicyErrorKind};

/// A short name for an error kind, so tables can say which error they expect.
pub fn kind_name(kind: &PolicyErrorKind) -> String {
    match kind {
        PolicyErrorKind::Syntax { .. } => "Syntax".into(),
        PolicyErrorKind::TooLarge { .. } => "TooLarge".into(),
        PolicyErrorKind::WrongType { found, .. } => format!(
            "WrongType({})",
            match found {
                JsonType::Null => "Null",
                JsonType::Bool => "Bool",
                JsonType::Number => "Number",
                JsonType::String => "String",
                JsonType::Array => "Array",
                JsonType::Object => "Object",
            }
        ),
        PolicyErrorKind::DuplicateKey { .. } => "DuplicateKey".into(),
        PolicyErrorKind::UnknownKey { .. } => "UnknownKey".into(),
        PolicyErrorKind::MissingKey { key: "keyType", .. } => "MissingKey(keyType)".into(),
        PolicyErrorKind::MissingKey { .. } => "MissingKey".into(),
        PolicyErrorKind::MissingDefault => "MissingDefault".into(),
        PolicyErrorKind::EmptyRequirements => "EmptyRequirements".into(),
        PolicyErrorKind::UnknownRequirementType { .. } => "UnknownRequirementType".into(),
        PolicyErrorKind::UnknownIdentityType { .. } => "UnknownIdentityType".into(),
        PolicyErrorKind::InvalidScope { .. } => "InvalidScope".into(),
        PolicyErrorKind::InvalidKeyType { .. } => "InvalidKeyType".into(),
        PolicyErrorKind::InvalidBase64 { .. } => "InvalidBase64".into(),
        PolicyErrorKind::SignedByKeySources { .. } => "SignedByKeySources".into(),
        PolicyErrorKind::EmptyKeySource { .. } => "EmptyKeySource".into(),
        PolicyErrorKind::EmptyList { .. } => "EmptyList".into(),
        PolicyErrorKind::SigstoreKeySources { .. } => "SigstoreKeySources".into(),
        PolicyErrorKind::RekorKeySources { .. } => "RekorKeySources".into(),
        PolicyErrorKind::FulcioWithoutRekor => "FulcioWithoutRekor".into(),
        PolicyErrorKind::RekorWithPki { .. } => "RekorWithPki".into(),
        PolicyErrorKind::ConflictingSources { .. } => "ConflictingSources".into(),
        PolicyErrorKind::MissingSource { .. } => "MissingSource".into(),
        PolicyErrorKind::MissingValue { .. } => "MissingValue".into(),
        PolicyErrorKind::PkiWithoutSubject => "PkiWithoutSubject".into(),
        PolicyErrorKind::InvalidReference { .. } => "InvalidReference".into(),
        PolicyErrorKind::ReferenceWithoutTagOrDigest { .. } => "ReferenceWithoutTagOrDigest".into(),
        PolicyErrorKind::InvalidRemapPrefix { .. } => "InvalidRemapPrefix".into(),
        other => format!("{other:?}"),
    }
}

/// Replaying recorded oracle evaluations with the library, as the `policy eval`
/// command does (reads images from disk: feature `fs`).
#[cfg(feature = "fs")]
pub mod replay {
    use containers_policy::eval::PolicyContext;
    use containers_policy::{ImageReference, Policy, source};
    use serde_json::{Value, json};

    /// What one evaluation produced, in the oracle's terms.
    pub struct Outcome {
        /// The verdict.
        pub allowed: bool,
        /// `""`, `"policy"`, `"image"` or `"eval"`.
        pub stage: &'static str,
        /// Our explanation (or error).
        pub error: String,
        /// The section used, as `{"transport", "scope"}`, or null.
        pub scope: Value,
    }

    /// Evaluates `image` (read through `source::open`) as `identity` (or itself).
    pub fn evaluate(policy: &str, image: &str, identity: Option<&str>) -> Outcome {
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
    pub const SAME_CAUSE: &[(&str, &str)] = &[
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
        ("No public keys imported", "no public keys imported"),
        (
            "Manifest does not match provided manifest digest",
            "does not match provided manifest digest",
        ),
        ("None of the signatures were accepted", "none of the"),
    ];

    /// Compares our outcome with a recorded oracle line; `expand` replaces the
    /// record's placeholders. Returns the differences.
    pub fn compare(record: &Value, expand: &dyn Fn(&str) -> String) -> Vec<String> {
        let identity = record["identity"].as_str().map(expand);
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
        let want_error = record["error"].as_str().unwrap_or_default();
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
                    problems.push(format!("reason does not say {ours:?}"));
                }
            }
        }
        if !problems.is_empty() {
            problems.push(format!(
                "oracle error: {want_error}\n    ours: {}",
                got.error
            ));
        }
        problems
    }

    /// The records of a jsonl file under tests/oracle.
    pub fn records(name: &str) -> Vec<Value> {
        let path = format!("{}/tests/oracle/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The canonical absolute path of a directory under the crate.
    pub fn canonical(relative: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        std::fs::canonicalize(path)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    }
}
