//! Runners for the signature blob format, the strict JSON object reader and the
//! simple-signing / sigstore payloads.

use containers_policy::digest::Digest;
use containers_policy::signature::{
    __conformance, SignatureFormatError, SigstorePayload, SimpleSigningPayload, UntrustedSignature,
    UntrustedSigstoreSignature,
};
use serde_json::{Map, Value, json};

use super::{Kit, Outcome, Runner, verdict};

pub const RUNNERS: &[(&str, Runner)] = &[
    ("blob.from_blob", from_blob),
    ("blob.sigstore_from_chunk", sigstore_from_chunk),
    ("blob.to_blob_and_back", to_blob_and_back),
    ("blob.unsupported_format_error", unsupported_format_error),
    ("json.paranoid_object", paranoid_object),
    ("json.paranoid_object_exact_fields", paranoid_object_exact),
    ("payload.simple.marshal", simple_marshal),
    ("payload.sigstore.marshal", sigstore_marshal),
    ("payload.simple.unmarshal", simple_unmarshal),
    ("payload.sigstore.unmarshal", sigstore_unmarshal),
];

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

fn check(what: &str, got: &Value, want: Option<&Value>) -> Outcome {
    match want {
        Some(want) if want != got => Err(format!("{what}: got {got}, expected {want}")),
        _ => Ok(()),
    }
}

/// Compares a sigstore signature with the expectation members present in `expected`.
fn check_sigstore(
    sig: &UntrustedSigstoreSignature,
    expected: &Value,
    inputs: &Map<String, Value>,
) -> Outcome {
    check(
        "mime type",
        &json!(sig.mime_type),
        expected.get("mime_type"),
    )?;
    check(
        "payload",
        &json!(String::from_utf8_lossy(&sig.payload)),
        expected.get("payload_text"),
    )?;
    check(
        "annotations",
        &json!(sig.annotations),
        expected.get("annotations"),
    )?;
    let keys: Vec<&String> = sig.annotations.keys().collect();
    check(
        "annotation keys",
        &json!(keys),
        expected.get("annotation_keys"),
    )?;
    check(
        "annotation keys",
        &json!(keys),
        inputs.get("expected_annotation_keys"),
    )
}

fn from_blob(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let blob = kit.bytes(&inputs["blob"]);
    if let Some(first) = inputs.get("first_byte_hex") {
        check(
            "first byte",
            &json!(format!("{:02x}", blob[0])),
            Some(first),
        )?;
    }
    match (UntrustedSignature::from_blob(&blob), verdict(expected)) {
        (Ok(sig), "accept") => {
            check("format", &json!(sig.format_id()), expected.get("format"))?;
            if let Some(file) = expected.get("untrusted_signature_file") {
                let want = kit.bytes(file);
                match &sig {
                    UntrustedSignature::SimpleSigning(bytes) if *bytes == want => {}
                    other => return Err(format!("signature {other:?} is not the bytes of {file}")),
                }
            }
            if let Some(file) = expected.get("to_blob_file")
                && sig.to_blob() != kit.bytes(file)
            {
                return Err(format!("to_blob() differs from {file}"));
            }
            if let UntrustedSignature::Sigstore(sigstore) = &sig {
                check_sigstore(sigstore, expected, inputs)?;
            }
            Ok(())
        }
        (Err(err), "reject") => match expected.get("error_contains").map(text) {
            Some(fragment) if !err.to_string().contains(fragment) => {
                Err(format!("error {err:?} does not contain {fragment:?}"))
            }
            _ => Ok(()),
        },
        (Ok(sig), want) => Err(format!("accepted ({sig:?}), expected {want}")),
        (Err(err), want) => Err(format!("rejected ({err}), expected {want}")),
    }
}

fn sigstore_from_chunk(_kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let chunk = text(&inputs["json"]).as_bytes();
    match (
        UntrustedSigstoreSignature::from_blob_chunk(chunk),
        verdict(expected),
    ) {
        (Ok(sig), "accept") => check_sigstore(&sig, expected, inputs),
        (Err(_), "reject") => Ok(()),
        (Ok(sig), want) => Err(format!("accepted ({sig:?}), expected {want}")),
        (Err(err), want) => Err(format!("rejected ({err}), expected {want}")),
    }
}

fn to_blob_and_back(_kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let spec = &inputs["sigstore"];
    let sig = UntrustedSigstoreSignature {
        mime_type: text(&spec["mime_type"]).to_owned(),
        payload: text(&spec["payload_text"]).as_bytes().to_vec(),
        annotations: serde_json::from_value(spec["annotations"].clone()).unwrap(),
    };
    let blob = UntrustedSignature::Sigstore(sig.clone()).to_blob();
    let prefix = text(&expected["blob_prefix_text"]).as_bytes();
    if !blob.starts_with(prefix) {
        return Err(format!(
            "blob {:?} does not start with {prefix:?}",
            String::from_utf8_lossy(&blob)
        ));
    }
    let back = UntrustedSignature::from_blob(&blob).map_err(|e| format!("reading back: {e}"))?;
    let want = &expected["from_blob"];
    check("format", &json!(back.format_id()), want.get("format"))?;
    match &back {
        UntrustedSignature::Sigstore(read) if *read == sig => check_sigstore(read, want, inputs),
        other => Err(format!("read back {other:?}, wrote {sig:?}")),
    }
}

fn unsupported_format_error(_kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let got = SignatureFormatError::unsupported(text(&inputs["format"])).to_string();
    check("text", &json!(got), expected.get("result"))
}

fn paranoid_object(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    paranoid(kit, inputs, expected, false)
}

fn paranoid_object_exact(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    paranoid(kit, inputs, expected, true)
}

fn paranoid(_kit: &Kit, inputs: &Map<String, Value>, expected: &Value, exact: bool) -> Outcome {
    let schema: Vec<(String, String)> = inputs["schema"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), text(v).to_owned()))
        .collect();
    let got = __conformance::paranoid_object(&schema, exact, text(&inputs["json"]).as_bytes());
    match (got, verdict(expected)) {
        (Ok(value), "accept") => {
            check("value", &Value::Object(value), inputs.get("expected_value"))
        }
        (Err(_), "reject") => Ok(()),
        (Ok(value), want) => Err(format!("accepted ({value:?}), expected {want}")),
        (Err(err), want) => Err(format!("rejected ({err}), expected {want}")),
    }
}

/// The fields of a parsed payload, in the kit's notation.
fn payload_fields(
    digest: &Digest,
    reference: &str,
    creator: Option<&String>,
    timestamp: Option<i64>,
) -> Value {
    json!({
        "docker_manifest_digest": digest.as_str(),
        "docker_reference": reference,
        "creator_id": creator,
        "timestamp": timestamp,
    })
}

fn simple_marshal(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    payload_marshal(
        kit,
        inputs,
        expected,
        |digest, reference, creator, timestamp| {
            let mut p = SimpleSigningPayload::new(digest, reference);
            p.creator = creator;
            p.timestamp = timestamp;
            p.to_json().map_err(|e| e.to_string())
        },
    )
}

fn sigstore_marshal(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    payload_marshal(
        kit,
        inputs,
        expected,
        |digest, reference, creator, timestamp| {
            let mut p = SigstorePayload::new(digest, reference);
            p.creator = creator;
            p.timestamp = timestamp;
            p.to_json().map_err(|e| e.to_string())
        },
    )
}

type Marshal = fn(Digest, String, Option<String>, Option<i64>) -> Result<String, String>;

fn payload_marshal(
    _kit: &Kit,
    inputs: &Map<String, Value>,
    expected: &Value,
    marshal: Marshal,
) -> Outcome {
    let got = Digest::parse(text(&inputs["docker_manifest_digest"]))
        .map_err(|e| e.to_string())
        .and_then(|digest| {
            marshal(
                digest,
                text(&inputs["docker_reference"]).to_owned(),
                inputs
                    .get("creator_id")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                inputs.get("timestamp").and_then(Value::as_i64),
            )
        });
    match (got, verdict(expected)) {
        (Ok(json), "accept") => check("json", &json!(json), expected.get("json_exact")),
        (Err(_), "reject") => Ok(()),
        (Ok(json), want) => Err(format!("wrote {json}, expected {want}")),
        (Err(err), want) => Err(format!("refused ({err}), expected {want}")),
    }
}

/// The payload bytes of an unmarshal case.
fn payload_bytes(kit: &Kit, inputs: &Map<String, Value>) -> Vec<u8> {
    if let Some(json) = inputs.get("json") {
        return text(json).as_bytes().to_vec();
    }
    if let Some(file) = inputs.get("payload_file") {
        return kit.bytes(file);
    }
    let file = &inputs["payload_of_signature"];
    match UntrustedSignature::from_blob(&kit.bytes(file)).unwrap() {
        UntrustedSignature::Sigstore(sig) => sig.payload,
        other => {
            panic!("{file}: payload_of_signature of a non-sigstore blob {other:?} needs OpenPGP")
        }
    }
}

fn simple_unmarshal(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let got = SimpleSigningPayload::parse(&payload_bytes(kit, inputs))
        .map(|p| {
            payload_fields(
                &p.docker_manifest_digest,
                &p.docker_reference,
                p.creator.as_ref(),
                p.timestamp,
            )
        })
        .map_err(|e| e.to_string());
    compare_unmarshal(got, expected)
}

fn sigstore_unmarshal(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let got = SigstorePayload::parse(&payload_bytes(kit, inputs))
        .map(|p| {
            payload_fields(
                &p.docker_manifest_digest,
                &p.docker_reference,
                p.creator.as_ref(),
                p.timestamp,
            )
        })
        .map_err(|e| e.to_string());
    compare_unmarshal(got, expected)
}

fn compare_unmarshal(got: Result<Value, String>, expected: &Value) -> Outcome {
    match (got, verdict(expected)) {
        (Ok(fields), "accept") => {
            for key in [
                "docker_manifest_digest",
                "docker_reference",
                "creator_id",
                "timestamp",
            ] {
                check(key, &fields[key], expected.get(key))?;
            }
            Ok(())
        }
        (Err(_), "reject") => Ok(()),
        (Ok(fields), want) => Err(format!("accepted ({fields}), expected {want}")),
        (Err(err), want) => Err(format!("rejected ({err}), expected {want}")),
    }
}
