//! Runners for evaluation: image admission, per-signature judgements and the
//! accepted-signatures API, for whole policies and for single requirements.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use containers_policy::eval::{FsKeyLoader, PolicyContext, SignatureJudgement, SigstoreTrust};
use containers_policy::image::{Image, ImageError, MemoryImage, UntrustedManifest};
use containers_policy::signature::UntrustedSignature;
use containers_policy::source::DirImage;
use containers_policy::{ImageReference, Policy};
use serde_json::{Map, Value, json};

use super::{Kit, Outcome, Runner, verdict};

pub const RUNNERS: &[(&str, Runner)] = &[
    (
        "policy_context.is_running_image_allowed",
        running_image_allowed,
    ),
    (
        "requirement.is_running_image_allowed",
        running_image_allowed,
    ),
    ("signed_by.is_running_image_allowed", running_image_allowed),
    ("sigstore.is_running_image_allowed", running_image_allowed),
    ("sigstore.is_signature_accepted", signature_accepted),
    (
        "policy_context.get_signatures_with_accepted_author",
        accepted_signatures,
    ),
    ("requirement.is_signature_author_accepted", signature_author),
    ("signed_by.is_signature_author_accepted", signature_author),
    ("sigstore.is_signature_author_accepted", signature_author),
    ("requirement.verifies_signatures", verifies_signatures),
    ("sigstore.prepare_trust_root", prepare_trust_root),
];

fn prepare_trust_root(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let policy = match policy(kit, inputs, expected) {
        Ok(policy) => policy,
        Err(outcome) => return outcome,
    };
    let Some(containers_policy::policy::Requirement::SigstoreSigned(requirement)) =
        policy.default_requirements().first()
    else {
        return Err("not a sigstoreSigned requirement".into());
    };
    let trust = SigstoreTrust::prepare(requirement, &FsKeyLoader);
    let trust = match (trust, verdict(expected)) {
        (Err(_), "reject") => return Ok(()),
        (Ok(trust), "accept") => trust,
        (got, want) => return Err(format!("{got:?}, expected {want}")),
    };
    // "present" or a count; null means absent.
    let count = |key: &str, got: usize, variant_key: &str| -> Result<(), String> {
        let want = match &expected[key] {
            Value::String(s) if s == "present" => {
                return if got > 0 || key != "public_keys" {
                    Ok(())
                } else {
                    Err(format!("{key}: none"))
                };
            }
            Value::String(s) if s.starts_with("per variant") => {
                inputs[variant_key].as_u64().unwrap_or(0) as usize
            }
            Value::Number(n) => n.as_u64().unwrap_or(0) as usize,
            _ => 0,
        };
        if got == want {
            Ok(())
        } else {
            Err(format!("{key}: {got}, expected {want}"))
        }
    };
    count(
        "public_keys",
        trust.public_key_count(),
        "expected_public_keys",
    )?;
    count(
        "rekor_public_keys",
        trust.rekor_key_count(),
        "expected_rekor_public_keys",
    )?;
    let shape = match &trust {
        SigstoreTrust::Fulcio { .. } => "fulcio",
        SigstoreTrust::Pki(_) => "pki",
        _ => "keys",
    };
    for (key, kind) in [("fulcio", "fulcio"), ("pki", "pki")] {
        if (expected[key] == "present") != (shape == kind) {
            return Err(format!(
                "{key}: expected {}, trust is {shape}",
                expected[key]
            ));
        }
    }
    Ok(())
}

/// The case's policy: `policy`, or `requirement` as the only default requirement.
/// `Err(Ok(()))` when it does not parse and the case expects a rejection (the kit
/// allows that for configurations upstream builds without validation).
fn policy(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Result<Policy, Outcome> {
    let value = match (inputs.get("policy"), inputs.get("requirement")) {
        (Some(policy), _) => kit.policy_json(policy),
        (None, Some(requirement)) => json!({"default": [kit.policy_json(requirement)]}),
        _ => return Err(Err("no policy in the case".into())),
    };
    Policy::from_str(&value.to_string()).map_err(|e| {
        if verdict(expected) == "reject" {
            // A configuration our types refuse cannot accept anything (the kit counts a
            // parse-time rejection as meeting an expected rejection).
            Ok(())
        } else {
            // Listed in NOT_APPLICABLE or reported as a failure by the harness.
            Err(format!(
                "not applicable: our types refuse this policy ({e})"
            ))
        }
    })
}

fn context(
    policy: &Policy,
    inputs: &Map<String, Value>,
    case_time: Option<SystemTime>,
) -> PolicyContext {
    let mut builder = PolicyContext::builder(policy);
    if let Some(required) = inputs
        .get("require_signature_verification")
        .and_then(Value::as_bool)
    {
        builder = builder.require_signature_verification(required);
    }
    if let Some(time) = case_time {
        builder = builder.time(time);
    }
    builder.build()
}

/// An image whose signatures cannot be read (upstream: a self-referencing symlink).
struct UnreadableSignatures;

impl Image for UnreadableSignatures {
    fn manifest(&self) -> Result<UntrustedManifest<'_>, ImageError> {
        Err(ImageError::Other("no manifest".into()))
    }

    fn signatures(&self) -> Result<Cow<'_, [UntrustedSignature]>, ImageError> {
        Err(ImageError::Other(
            "too many levels of symbolic links".into(),
        ))
    }
}

/// The reference an image claims: the docker transport, keeping a name-only
/// reference name-only (c/image's unknown-digest form), as upstream's mock does.
fn reference(image: &Value) -> ImageReference {
    let text = image["reference"].as_str().unwrap_or("busybox:latest");
    let name_only =
        containers_policy::Reference::parse_normalized(text).is_ok_and(|r| r.is_name_only());
    let full = if name_only {
        format!("docker://{text}@@unknown-digest@@")
    } else {
        format!("docker://{text}")
    };
    ImageReference::parse(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn image(kit: &Kit, image: &Value) -> Box<dyn Image> {
    if image["synthetic"] == "unreadable-signatures" {
        return Box::new(UnreadableSignatures);
    }
    match image["dir"].as_str() {
        Some(dir) => Box::new(DirImage::open(kit.path(dir)).unwrap()),
        None => Box::new(MemoryImage::without_manifest()),
    }
}

/// The manifest of the case's image, if it has one.
fn manifest_of(kit: &Kit, image: &Value) -> Option<Vec<u8>> {
    let dir = image["dir"].as_str()?;
    std::fs::read(kit.path(dir).join("manifest.json")).ok()
}

/// The signature a per-signature case judges, with the kit's annotation edits.
fn signature(kit: &Kit, input: &Value, image: &Value) -> UntrustedSignature {
    let (blob_path, edits) = match input {
        Value::Null => (
            image["dir"].as_str().map(|d| format!("{d}/signature-1")),
            None,
        ),
        Value::String(path) => (Some(path.clone()), None),
        Value::Object(o) if !o.contains_key("blob") => {
            return UntrustedSignature::SimpleSigning(kit.bytes(input));
        }
        Value::Object(o) => (o["blob"].as_str().map(str::to_owned), Some(o)),
        other => panic!("signature input {other}"),
    };
    let Some(blob_path) = blob_path else {
        // Upstream passes no signature at all; any blob exercises the same rejection.
        return UntrustedSignature::SimpleSigning(b"\x90not a signature".to_vec());
    };
    let blob = std::fs::read(kit.path(&blob_path)).unwrap();
    let mut signature = UntrustedSignature::from_blob(&blob).unwrap();
    if let (Some(edits), UntrustedSignature::Sigstore(sig)) = (edits, &mut signature) {
        if let Some(name) = edits.get("remove_annotation").and_then(Value::as_str) {
            sig.annotations.remove(name);
        }
        let text_of = |value: &Value| -> String {
            match value {
                Value::String(s) => s.clone(),
                Value::Object(o) if o.contains_key("$annotation") => {
                    let of = &o["$annotation"];
                    let blob = std::fs::read(kit.path(of["of"].as_str().unwrap())).unwrap();
                    let UntrustedSignature::Sigstore(other) =
                        UntrustedSignature::from_blob(&blob).unwrap()
                    else {
                        panic!("not a sigstore blob");
                    };
                    other.annotations[of["key"].as_str().unwrap()].clone()
                }
                other => String::from_utf8(kit.bytes(other)).unwrap(),
            }
        };
        if let Some(values) = edits.get("set_annotation").and_then(Value::as_object) {
            for (name, value) in values {
                sig.annotations.insert(name.clone(), text_of(value));
            }
        }
        if let Some(values) = edits.get("replace_annotations").and_then(Value::as_object) {
            sig.annotations = BTreeMap::new();
            for (name, value) in values {
                sig.annotations.insert(name.clone(), text_of(value));
            }
        }
    }
    signature
}

/// The time a case is evaluated at, when it fixes one.
fn case_time(expected: &Value, inputs: &Map<String, Value>) -> Option<SystemTime> {
    let time = inputs
        .get("evaluation_time")
        .or_else(|| expected.get("evaluation_time"))?;
    let unix = time.get("unix")?.as_u64()?;
    Some(UNIX_EPOCH + Duration::from_secs(unix))
}

fn single_signature_image(kit: &Kit, inputs: &Map<String, Value>) -> MemoryImage {
    let image_input = inputs.get("image").cloned().unwrap_or(Value::Null);
    let input = inputs
        .get("signature")
        .or_else(|| inputs.get("signature_bytes_file"))
        .cloned()
        .unwrap_or(Value::Null);
    let signature = match (&input, inputs.get("signature_bytes_file")) {
        (_, Some(Value::String(path))) => {
            UntrustedSignature::SimpleSigning(std::fs::read(kit.path(path)).unwrap())
        }
        _ => signature(kit, &input, &image_input),
    };
    let base = match manifest_of(kit, &image_input) {
        Some(manifest) => MemoryImage::new(manifest, None),
        None => MemoryImage::without_manifest(),
    };
    base.with_signatures([signature])
}

fn running_image_allowed(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    if let Some(state) = inputs
        .get("context_state")
        .and_then(Value::as_str)
        .filter(|s| *s != "ready")
    {
        return Err(format!("not applicable: Go context state {state:?}"));
    }
    let image_input = inputs.get("image").cloned().unwrap_or(Value::Null);
    admission(kit, inputs, expected, image(kit, &image_input).as_ref())
}

fn signature_accepted(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    admission(kit, inputs, expected, &single_signature_image(kit, inputs))
}

/// Evaluates the case's policy on `image` as the case's reference and compares the
/// verdict with the expected one.
fn admission(
    kit: &Kit,
    inputs: &Map<String, Value>,
    expected: &Value,
    image: &dyn Image,
) -> Outcome {
    let policy = match policy(kit, inputs, expected) {
        Ok(policy) => policy,
        Err(outcome) => return outcome,
    };
    let image_input = inputs.get("image").cloned().unwrap_or(Value::Null);
    let ctx = context(&policy, inputs, case_time(expected, inputs));
    let verdict_ = ctx.evaluate(&reference(&image_input), image).unwrap();
    match (verdict_.is_allowed(), verdict(expected)) {
        (true, "accept") | (false, "reject") => Ok(()),
        (allowed, want) => Err(format!("allowed={allowed}, expected {want}\n{verdict_}")),
    }
}

fn signature_author(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let policy = match policy(kit, inputs, expected) {
        Ok(policy) => policy,
        Err(outcome) => return outcome,
    };
    let image_input = inputs.get("image").cloned().unwrap_or(Value::Null);
    let image = single_signature_image(kit, inputs);
    let ctx = context(&policy, inputs, case_time(expected, inputs));
    let judgements = ctx
        .judge_signatures(&reference(&image_input), &image)
        .unwrap()
        .map_err(|e| format!("signatures unreadable: {e}"))?;
    let got = match judgements.as_slice() {
        [SignatureJudgement::Accepted(signature)] => {
            let want = &expected["signature"];
            if want.is_object()
                && (want["docker_manifest_digest"] != signature.docker_manifest_digest.as_str()
                    || want["docker_reference"] != signature.docker_reference.as_str())
            {
                return Err(format!("accepted with {signature:?}, expected {want}"));
            }
            "accept"
        }
        [SignatureJudgement::Rejected { .. }] => "reject",
        [SignatureJudgement::Unknown { .. }] => "unknown",
        // A sigstore blob is not judged at all: the API only sees simple signatures.
        [] => "reject",
        other => return Err(format!("unexpected judgements {other:?}")),
    };
    if got == verdict(expected) {
        Ok(())
    } else {
        Err(format!(
            "{got}, expected {}: {judgements:?}",
            verdict(expected)
        ))
    }
}

fn accepted_signatures(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    if let Some(state) = inputs
        .get("context_state")
        .and_then(Value::as_str)
        .filter(|s| *s != "ready")
    {
        return Err(format!("not applicable: Go context state {state:?}"));
    }
    let policy = match policy(kit, inputs, expected) {
        Ok(policy) => policy,
        Err(outcome) => return outcome,
    };
    let image_input = inputs.get("image").cloned().unwrap_or(Value::Null);
    let ctx = context(&policy, inputs, None);
    let got = ctx
        .accepted_signatures(&reference(&image_input), image(kit, &image_input).as_ref())
        .unwrap();
    match (got, verdict(expected)) {
        (Err(_), "reject") => Ok(()),
        (Ok(list), "accept") => {
            let got: Vec<Value> = list
                .iter()
                .map(|s| json!({"docker_manifest_digest": s.docker_manifest_digest.as_str(), "docker_reference": s.docker_reference}))
                .collect();
            let want = expected["signatures"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if got == want {
                Ok(())
            } else {
                Err(format!("accepted {got:?}, expected {want:?}"))
            }
        }
        (got, want) => Err(format!("{got:?}, expected {want}")),
    }
}

fn verifies_signatures(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let policy = match policy(kit, inputs, expected) {
        Ok(policy) => policy,
        Err(outcome) => return outcome,
    };
    let got = policy.default_requirements()[0].verifies_signatures();
    if Value::Bool(got) == expected["result"] {
        Ok(())
    } else {
        Err(format!("{got}, expected {}", expected["result"]))
    }
}
