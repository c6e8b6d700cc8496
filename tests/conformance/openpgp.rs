//! Runners for the OpenPGP mechanism (rPGP backend) and c/image's non-policy
//! simple-signing API.
//!
//! Cases marked `backend_specific` follow the gpgme verdict (c/image's default build):
//! `ssv-verify-cleartext` expects a cleartext-signed message to verify, and
//! [`RpgpBackend::new`] verifies it as gpgme does.

use std::cell::RefCell;

use containers_policy::openpgp::{
    RpgpBackend, RpgpKeys, TrustedKeys, untrusted_signature_contents,
    untrusted_signature_information, verify_and_extract, verify_docker_manifest_signature,
    verify_docker_manifest_signature_key_list,
};
use serde_json::{Map, Value, json};

use super::{Kit, Outcome, Runner, verdict};

pub const RUNNERS: &[(&str, Runner)] = &[
    ("openpgp.import_keys", import_keys),
    ("openpgp.verify", verify),
    ("openpgp.untrusted_contents", untrusted_contents),
    ("openpgp.primary_key_identity", primary_key_identity),
    ("simple.verify_and_extract", extract),
    ("simple.untrusted_information", untrusted_information),
    ("docker.verify_manifest_signature", docker_single),
    ("docker.verify_manifest_signature_key_list", docker_list),
];

fn check(what: &str, got: &Value, want: Option<&Value>) -> Outcome {
    match want {
        Some(want) if want != got => Err(format!("{what}: got {got}, expected {want}")),
        _ => Ok(()),
    }
}

/// The verdict and the expected value of `member`, resolving `per variant: X` (the
/// value is then the variant's member `X`, merged into the inputs).
fn expectation<'a>(
    inputs: &'a Map<String, Value>,
    expected: &'a Value,
    member: &str,
) -> (&'a str, Option<&'a Value>) {
    match expected.get(member) {
        Some(Value::String(s)) if s.starts_with("per variant: ") => (
            verdict(expected),
            inputs.get(s.trim_start_matches("per variant: ")),
        ),
        want => (verdict(expected), want),
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

/// The trusted keys of a case: each `keyring` file is one blob.
fn keyring(kit: &Kit, inputs: &Map<String, Value>) -> RpgpKeys {
    let blobs: Vec<Vec<u8>> = inputs["keyring"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| kit.bytes(k))
        .collect();
    let refs: Vec<&[u8]> = blobs.iter().map(Vec::as_slice).collect();
    RpgpBackend::new().import_keys(&refs).unwrap()
}

fn import_keys(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let blobs: Vec<Vec<u8>> = inputs["key_blobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| kit.bytes(k))
        .collect();
    let refs: Vec<&[u8]> = blobs.iter().map(Vec::as_slice).collect();
    let result = RpgpBackend::new().import_keys(&refs);
    let (verdict, want) = expectation(inputs, expected, "key_identities");
    match (result, verdict) {
        (Ok(keys), "accept" | "reject-or-empty") => {
            check("key identities", &json!(keys.fingerprints()), want)
        }
        (Err(_), "reject" | "reject-or-empty") => Ok(()),
        (Ok(keys), want) => Err(format!(
            "imported {:?}, expected {want}",
            keys.fingerprints()
        )),
        (Err(e), want) => Err(format!("rejected ({e}), expected {want}")),
    }
}

fn verify(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let keys = keyring(kit, inputs);
    let signature = kit.bytes(&inputs["signature"]);
    match (keys.verify(&signature), verdict(expected)) {
        (Ok(v), "accept") => {
            check(
                "content",
                &json!(String::from_utf8_lossy(&v.payload)),
                expected.get("content_text"),
            )?;
            check(
                "key identity",
                &json!(v.signer_fingerprint),
                expected.get("key_identity"),
            )
        }
        (Err(_), "reject") => Ok(()),
        (Ok(v), want) => Err(format!("verified ({v:?}), expected {want}")),
        (Err(e), want) => Err(format!("rejected ({e}), expected {want}")),
    }
}

fn untrusted_contents(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let signature = kit.bytes(&inputs["signature"]);
    match (untrusted_signature_contents(&signature), verdict(expected)) {
        (Ok((content, key_id)), "accept") => {
            check(
                "content",
                &json!(String::from_utf8_lossy(&content)),
                expected.get("content_text"),
            )?;
            check("short key id", &json!(key_id), expected.get("short_key_id"))
        }
        (Err(_), "reject") => Ok(()),
        (Ok(got), want) => Err(format!("read {got:?}, expected {want}")),
        (Err(e), want) => Err(format!("rejected ({e}), expected {want}")),
    }
}

fn primary_key_identity(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let keys = keyring(kit, inputs);
    let fingerprint = inputs["key_identity"].as_str().unwrap();
    let (verdict, want) = expectation(inputs, expected, "primary_key_identity");
    match (keys.primary_key_identity(fingerprint), verdict) {
        (Ok(primary), "accept") => check("primary", &json!(primary), want),
        (Err(_), "reject") => Ok(()),
        (Ok(got), want) => Err(format!("mapped to {got}, expected {want}")),
        (Err(e), want) => Err(format!("rejected ({e}), expected {want}")),
    }
}

fn extract(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let keys = keyring(kit, inputs);
    let signature = kit.bytes(&inputs["signature"]);
    let accepted = strings(inputs.get("accepted_key_identities"));
    let accepted: Vec<&str> = accepted.iter().map(String::as_str).collect();
    let wanted = &inputs["wanted"];
    let seen = RefCell::new(Map::new());
    let result = verify_and_extract(
        &keys,
        &signature,
        &accepted,
        |digest| {
            seen.borrow_mut()
                .insert("docker_manifest_digest".into(), json!(digest.as_str()));
            if wanted["docker_manifest_digest"] == digest.as_str() {
                Ok(())
            } else {
                Err("unexpected digest".into())
            }
        },
        |reference| {
            seen.borrow_mut()
                .insert("docker_reference".into(), json!(reference));
            if wanted["docker_reference"] == reference {
                Ok(())
            } else {
                Err("unexpected reference".into())
            }
        },
    );
    check(
        "callbacks",
        &Value::Object(seen.into_inner()),
        expected.get("callbacks_seen"),
    )?;
    match (result, verdict(expected)) {
        (Ok(v), "accept") => {
            check(
                "digest",
                &json!(v.payload.docker_manifest_digest.as_str()),
                expected.get("docker_manifest_digest"),
            )?;
            check(
                "reference",
                &json!(v.payload.docker_reference),
                expected.get("docker_reference"),
            )?;
            check(
                "key identity",
                &json!(v.key_identity),
                expected.get("key_identity"),
            )
        }
        (Err(_), "reject") => Ok(()),
        (Ok(v), want) => Err(format!("accepted ({v:?}), expected {want}")),
        (Err(e), want) => Err(format!("rejected ({e}), expected {want}")),
    }
}

fn untrusted_information(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let signature = kit.bytes(&inputs["signature"]);
    match (
        untrusted_signature_information(&signature),
        verdict(expected),
    ) {
        (Ok(info), "accept") => {
            check(
                "digest",
                &json!(info.untrusted_docker_manifest_digest.as_str()),
                expected.get("docker_manifest_digest"),
            )?;
            check(
                "reference",
                &json!(info.untrusted_docker_reference),
                expected.get("docker_reference"),
            )?;
            check(
                "creator",
                &json!(info.untrusted_creator_id),
                expected.get("creator_id"),
            )?;
            check(
                "timestamp",
                &json!(info.untrusted_timestamp),
                expected.get("timestamp"),
            )?;
            check(
                "short key id",
                &json!(info.untrusted_short_key_identifier),
                expected.get("short_key_id"),
            )
        }
        (Err(_), "reject") => Ok(()),
        (Ok(info), want) => Err(format!("read {info:?}, expected {want}")),
        (Err(e), want) => Err(format!("rejected ({e}), expected {want}")),
    }
}

fn docker_single(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let keys = keyring(kit, inputs);
    let result = verify_docker_manifest_signature(
        &keys,
        &kit.bytes(&inputs["signature"]),
        &kit.bytes(&inputs["manifest"]),
        inputs["expected_docker_reference"].as_str().unwrap(),
        inputs["expected_key_identity"].as_str().unwrap(),
    );
    match (result, verdict(expected)) {
        (Ok(payload), "accept") => {
            check(
                "digest",
                &json!(payload.docker_manifest_digest.as_str()),
                expected.get("docker_manifest_digest"),
            )?;
            check(
                "reference",
                &json!(payload.docker_reference),
                expected.get("docker_reference"),
            )
        }
        (Err(_), "reject") => Ok(()),
        (Ok(p), want) => Err(format!("accepted ({p:?}), expected {want}")),
        (Err(e), want) => Err(format!("rejected ({e}), expected {want}")),
    }
}

fn docker_list(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let keys = keyring(kit, inputs);
    let identities = strings(inputs.get("expected_key_identities"));
    let identities: Vec<&str> = identities.iter().map(String::as_str).collect();
    let result = verify_docker_manifest_signature_key_list(
        &keys,
        &kit.bytes(&inputs["signature"]),
        &kit.bytes(&inputs["manifest"]),
        inputs["expected_docker_reference"].as_str().unwrap(),
        &identities,
    );
    match (result, verdict(expected)) {
        (Ok(v), "accept") => {
            check(
                "digest",
                &json!(v.payload.docker_manifest_digest.as_str()),
                expected.get("docker_manifest_digest"),
            )?;
            check(
                "reference",
                &json!(v.payload.docker_reference),
                expected.get("docker_reference"),
            )?;
            check(
                "key identity",
                &json!(v.key_identity),
                expected.get("key_identity"),
            )
        }
        (Err(_), "reject") => Ok(()),
        (Ok(v), want) => Err(format!("accepted ({v:?}), expected {want}")),
        (Err(e), want) => Err(format!("rejected ({e}), expected {want}")),
    }
}
