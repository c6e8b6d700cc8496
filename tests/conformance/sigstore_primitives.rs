//! Runners for the sigstore building blocks: payload signatures under public keys,
//! Rekor SET parsing and verification, and (as a separate test, since the Fulcio and
//! PKI parts live elsewhere) the key-parsing parts of `sigstore.prepare_trust_root`.

use containers_policy::signature::{UntrustedSignature, UntrustedSigstoreSignature};
use containers_policy::sigstore::public_key::{self, PublicKey};
use containers_policy::sigstore::rekor::{self, UntrustedRekorPayload, UntrustedRekorSet};
use serde_json::{Map, Value, json};

use super::{Kit, Outcome, Runner, checks, kit, verdict};

pub const RUNNERS: &[(&str, Runner)] = &[
    ("sigstore.verify_payload", verify_payload),
    ("rekor.unmarshal_set", unmarshal_set),
    ("rekor.unmarshal_payload", unmarshal_payload),
    ("rekor.verify_set", verify_set),
];

/// A sigstore-json blob of the kit.
fn sigstore_blob(kit: &Kit, path: &str) -> UntrustedSigstoreSignature {
    match UntrustedSignature::from_blob(&std::fs::read(kit.path(path)).unwrap()).unwrap() {
        UntrustedSignature::Sigstore(sig) => sig,
        other => panic!("{path} is not a sigstore signature: {other:?}"),
    }
}

/// Byte inputs, with the notations only these operations use.
fn bytes(kit: &Kit, v: &Value) -> Vec<u8> {
    match v {
        Value::Null => Vec::new(),
        Value::String(s) if s == "$kit_rekor_test_key" => kit_rekor_key(kit).into_bytes(),
        Value::Object(o) if o.contains_key("$annotation") => {
            let spec = &o["$annotation"];
            let sig = sigstore_blob(kit, spec["of"].as_str().unwrap());
            sig.annotations[spec["key"].as_str().unwrap()]
                .clone()
                .into_bytes()
        }
        other => kit.bytes(other),
    }
}

/// A text input that is literal when a plain string.
fn literal_text(kit: &Kit, v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => String::from_utf8(bytes(kit, other)).unwrap(),
    }
}

fn kit_rekor_key(kit: &Kit) -> String {
    let text = std::fs::read_to_string(kit.dir.join("cases.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["constants"]["kit_rekor_test_public_key_pem"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The payload of a check: `payload_of_signature`, `payload_file` or `payload_text`.
fn payload(kit: &Kit, inputs: &Map<String, Value>) -> Vec<u8> {
    if let Some(path) = inputs.get("payload_of_signature") {
        sigstore_blob(kit, path.as_str().unwrap()).payload
    } else if let Some(path) = inputs.get("payload_file") {
        kit.bytes(path)
    } else {
        inputs["payload_text"].as_str().unwrap().as_bytes().to_vec()
    }
}

/// Parses a list of configured keys; `"<non-key>"` (upstream: a key object for which
/// no verifier can be built) cannot be represented by [`PublicKey`], so it is read as
/// a key that fails to parse, which rejects the same way (before any verification).
fn keys(kit: &Kit, list: &Value) -> Result<Vec<PublicKey>, String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|k| {
            if k == "<non-key>" {
                return Err("<non-key>: not representable as a PublicKey".to_owned());
            }
            PublicKey::from_pem(&bytes(kit, k)).map_err(|e| e.to_string())
        })
        .collect()
}

fn check(what: &str, got: &Value, want: Option<&Value>) -> Outcome {
    match want {
        Some(want) if want != got => Err(format!("{what}: got {got}, expected {want}")),
        _ => Ok(()),
    }
}

fn verify_payload(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let payload = payload(kit, inputs);
    let signature = literal_text(kit, &inputs["base64_signature"]);
    let wanted = &inputs["wanted"];
    let mut seen = Map::new();
    let result = (|| {
        let keys = keys(kit, &inputs["public_keys"])?;
        let signed = public_key::verify_sigstore_payload(&keys, &payload, &signature)
            .map_err(|e| e.to_string())?;
        let digest = signed.docker_manifest_digest.to_string();
        seen.insert("docker_manifest_digest".into(), json!(digest));
        if digest != wanted["docker_manifest_digest"] {
            return Err(format!("digest {digest} not wanted"));
        }
        seen.insert(
            "docker_reference".into(),
            json!(signed.docker_reference.clone()),
        );
        if signed.docker_reference != wanted["docker_reference"] {
            return Err(format!("reference {} not wanted", signed.docker_reference));
        }
        Ok(signed)
    })();
    check(
        "callbacks",
        &Value::Object(seen),
        expected.get("callbacks_seen"),
    )?;
    match (result, verdict(expected)) {
        (Ok(signed), "accept") => {
            check(
                "digest",
                &json!(signed.docker_manifest_digest.to_string()),
                expected.get("docker_manifest_digest"),
            )?;
            check(
                "reference",
                &json!(signed.docker_reference),
                expected.get("docker_reference"),
            )?;
            check(
                "creator",
                &json!(signed.creator),
                expected.get("creator_id"),
            )?;
            check(
                "timestamp",
                &json!(signed.timestamp),
                expected.get("timestamp"),
            )
        }
        (Err(_), "reject") => Ok(()),
        (Ok(_), want) => Err(format!("accepted, expected {want}")),
        (Err(e), want) => Err(format!("rejected ({e}), expected {want}")),
    }
}

fn unmarshal_set(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let text = match inputs.get("set_file") {
        Some(path) => kit.bytes(path),
        None => inputs["json"].as_str().unwrap().as_bytes().to_vec(),
    };
    match (UntrustedRekorSet::parse(&text), verdict(expected)) {
        (Ok(set), "accept") => {
            check(
                "SignedEntryTimestamp",
                &json!(base64_std(&set.signed_entry_timestamp)),
                expected.get("signed_entry_timestamp_b64"),
            )?;
            check(
                "Payload",
                &json!(String::from_utf8_lossy(&set.payload)),
                expected.get("payload_raw"),
            )?;
            if expected.get("payload_integrated_time").is_some() {
                let payload =
                    UntrustedRekorPayload::parse(&set.payload).map_err(|e| e.to_string())?;
                check(
                    "integratedTime",
                    &json!(payload.integrated_time),
                    expected.get("payload_integrated_time"),
                )?;
                check(
                    "logIndex",
                    &json!(payload.log_index),
                    expected.get("payload_log_index"),
                )?;
                check(
                    "logID",
                    &json!(payload.log_id),
                    expected.get("payload_log_id"),
                )?;
            }
            Ok(())
        }
        (Err(_), "reject") => Ok(()),
        (Ok(set), want) => Err(format!("accepted {set:?}, expected {want}")),
        (Err(e), want) => Err(format!("rejected ({e}), expected {want}")),
    }
}

fn base64_std(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unmarshal_payload(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let text = match inputs.get("payload_of_set_file") {
        Some(path) => UntrustedRekorSet::parse(&kit.bytes(path)).unwrap().payload,
        None => inputs["json"].as_str().unwrap().as_bytes().to_vec(),
    };
    match (UntrustedRekorPayload::parse(&text), verdict(expected)) {
        (Ok(p), "accept") => {
            let body = String::from_utf8_lossy(&p.body).into_owned();
            check("body", &json!(body), expected.get("body_text"))?;
            if let Some(prefix) = expected.get("body_json_prefix").and_then(Value::as_str)
                && !body.starts_with(prefix)
            {
                return Err(format!("body {body} does not start with {prefix}"));
            }
            check(
                "integratedTime",
                &json!(p.integrated_time),
                expected.get("integrated_time"),
            )?;
            check("logIndex", &json!(p.log_index), expected.get("log_index"))?;
            check("logID", &json!(p.log_id), expected.get("log_id"))
        }
        (Err(_), "reject") => Ok(()),
        (Ok(p), want) => Err(format!("accepted {p:?}, expected {want}")),
        (Err(e), want) => Err(format!("rejected ({e}), expected {want}")),
    }
}

fn verify_set(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let rekor_keys = keys(kit, &inputs["rekor_public_keys"])?;
    let set = if let Some(path) = inputs.get("set_file") {
        kit.bytes(path)
    } else if let Some(text) = inputs.get("set_text") {
        text.as_str().unwrap().as_bytes().to_vec()
    } else {
        bytes(kit, &inputs["set"])
    };
    let key_or_cert = bytes(kit, &inputs["key_or_certificate"]);
    let signature = match inputs.get("base64_signature_file") {
        Some(path) => String::from_utf8(kit.bytes(path)).unwrap(),
        None => literal_text(kit, &inputs["base64_signature"]),
    };
    let payload = payload(kit, inputs);
    let result = rekor::verify_set(&rekor_keys, &set, &key_or_cert, &signature, &payload);
    match (result, verdict(expected)) {
        (Ok(v), "accept") => {
            check(
                "integrated time",
                &json!(v.integrated_time),
                expected.get("integrated_time"),
            )?;
            check("log index", &json!(v.log_index), expected.get("log_index"))
        }
        (Err(e), "reject") => match expected.get("error_contains").and_then(Value::as_str) {
            Some(fragment) if !e.to_string().contains(fragment) => {
                Err(format!("rejected with {e:?} ({e}), expected «{fragment}»"))
            }
            _ => Ok(()),
        },
        (Ok(v), want) => Err(format!("accepted {v:?}, expected {want}")),
        (Err(e), want) => Err(format!("rejected ({e:?}: {e}), expected {want}")),
    }
}

/// c/image's `loadBytesFromConfigSources` for one kind of key material: `None` when
/// not configured, an error for several sources.
fn key_sources(
    kit: &Kit,
    req: &Map<String, Value>,
    names: [&str; 4],
) -> Result<Option<Vec<Vec<u8>>>, String> {
    let [path, paths, data, datas] = names;
    let mut sources = 0;
    let mut out = None;
    let read = |p: &Value| std::fs::read(kit.path(p.as_str().unwrap())).map_err(|e| e.to_string());
    if let Some(p) = req
        .get(path)
        .filter(|p| p.as_str().is_some_and(|s| !s.is_empty()))
    {
        sources += 1;
        out = Some(vec![read(p)?]);
    }
    if let Some(list) = req.get(paths).filter(|v| !v.is_null()) {
        sources += 1;
        out = Some(
            list.as_array()
                .unwrap()
                .iter()
                .map(read)
                .collect::<Result<_, _>>()?,
        );
    }
    if let Some(d) = req.get(data).filter(|v| !v.is_null()) {
        sources += 1;
        out = Some(vec![kit.bytes(d)]);
    }
    if let Some(list) = req.get(datas).filter(|v| !v.is_null()) {
        sources += 1;
        out = Some(
            list.as_array()
                .unwrap()
                .iter()
                .map(|d| kit.bytes(d))
                .collect(),
        );
    }
    if sources > 1 {
        return Err(format!("{sources} sources of {path} were specified"));
    }
    Ok(out)
}

/// The key and Rekor-key parts of c/image's `prepareTrustRoot`: `(keys, rekor keys)`.
fn prepare_keys(
    kit: &Kit,
    req: &Map<String, Value>,
) -> Result<(Option<usize>, Option<usize>), String> {
    let keys = match key_sources(kit, req, ["keyPath", "keyPaths", "keyData", "keyDatas"])? {
        None => None,
        Some(pems) => {
            for (i, pem) in pems.iter().enumerate() {
                PublicKey::from_pem(pem)
                    .map_err(|e| format!("parsing public key {}: {e}", i + 1))?;
            }
            if pems.is_empty() {
                return Err("keys produced no public keys".into());
            }
            Some(pems.len())
        }
    };
    let rekor = match key_sources(
        kit,
        req,
        [
            "rekorPublicKeyPath",
            "rekorPublicKeyPaths",
            "rekorPublicKeyData",
            "rekorPublicKeyDatas",
        ],
    )? {
        None => None,
        Some(pems) => {
            for (i, pem) in pems.iter().enumerate() {
                let key = PublicKey::from_pem(pem)
                    .map_err(|e| format!("parsing Rekor public key {}: {e}", i + 1))?;
                if !key.is_ecdsa() {
                    return Err(format!("Rekor public key {} is not using ECDSA", i + 1));
                }
            }
            if pems.is_empty() {
                return Err("Rekor keys produced no public keys".into());
            }
            Some(pems.len())
        }
    };
    Ok((keys, rekor))
}

/// The key-parsing parts of every `sigstore.prepare_trust_root` check. The operation
/// as a whole (with the Fulcio and PKI trust roots) is run by the evaluation's runner;
/// here every variant's key and Rekor-key material is checked, and variants whose
/// verdict depends on the Fulcio/PKI part are reported, not silently passed.
#[test]
fn prepare_trust_root_key_parts() {
    let Some(kit) = kit() else { return };
    let mut failures = Vec::new();
    let (mut checked, mut not_mine) = (0, Vec::new());
    for case in kit
        .cases
        .iter()
        .filter(|c| c["operation"] == "sigstore.prepare_trust_root")
    {
        let id = case["id"].as_str().unwrap();
        for (i, (inputs, expected)) in checks(case).iter().enumerate() {
            let req = inputs["requirement"].as_object().unwrap();
            let has_cert_root = req.contains_key("fulcio") || req.contains_key("pki");
            let result = prepare_keys(&kit, req);
            let want = verdict(expected);
            let count = |v: Option<&Value>| match v {
                Some(Value::Number(n)) => Some(Some(n.as_u64().unwrap() as usize)),
                Some(Value::Null) => Some(None),
                _ => None,
            };
            match (&result, want) {
                (Ok((keys, rekor)), "accept") => {
                    let want_keys = count(expected.get("public_keys"));
                    let want_rekor = count(expected.get("rekor_public_keys"));
                    if want_keys.is_some_and(|w| w != *keys) {
                        failures.push(format!("{id}[{i}]: {keys:?} keys, expected {want_keys:?}"));
                    } else if want_rekor.is_some_and(|w| w != *rekor) {
                        failures.push(format!(
                            "{id}[{i}]: {rekor:?} Rekor keys, expected {want_rekor:?}"
                        ));
                    } else if expected.get("public_keys") == Some(&json!("present"))
                        && keys.is_none()
                    {
                        failures.push(format!("{id}[{i}]: no keys, expected some"));
                    } else {
                        checked += 1;
                    }
                }
                (Err(_), "reject") => checked += 1,
                (Ok(_), "reject") if has_cert_root => not_mine.push(format!("{id}[{i}]")),
                (Ok(_), "reject") => {
                    // Several key-source kinds at once (keys + fulcio/pki) is the
                    // requirement-level check of the evaluator.
                    let kinds = ["keyPath", "keyPaths", "keyData", "keyDatas"]
                        .iter()
                        .filter(|k| req.contains_key(**k))
                        .count();
                    if kinds == 0 {
                        not_mine.push(format!("{id}[{i}]"));
                    } else {
                        failures.push(format!("{id}[{i}]: key material accepted, expected reject"));
                    }
                }
                (r, want) => failures.push(format!("{id}[{i}]: {r:?}, expected {want}")),
            }
        }
    }
    eprintln!(
        "prepare_trust_root key parts: {checked} checks passed; {} verdicts depend on the \
         Fulcio/PKI trust root (certificate.rs), not checked here: {}",
        not_mine.len(),
        not_mine.join(", ")
    );
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
    assert!(checked > 0);
}
