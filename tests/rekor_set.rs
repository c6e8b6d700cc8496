//! Rekor SET verification (signature-formats.md §4.7) with SETs signed here by a test
//! Rekor key: the accepted path and every rejection path of `verify_set`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use base64::Engine as _;
use containers_policy::sigstore::public_key::PublicKey;
use containers_policy::sigstore::rekor::{
    MAX_SET_SIZE, RekorError, UntrustedRekorPayload, UntrustedRekorSet, VerifiedSet, verify_set,
};
use p256::ecdsa::signature::Signer as _;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256, Sha512};

const PAYLOAD: &[u8] = b"the signed payload";
const SIGNATURE: &[u8] = b"the payload signature bytes";
const SPKI_P256: &str = "3059301306072a8648ce3d020106082a8648ce3d030107034200";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn p256(seed: u8) -> (p256::ecdsa::SigningKey, PublicKey) {
    let sk = p256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap();
    let mut der: Vec<u8> = (0..SPKI_P256.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&SPKI_P256[i..i + 2], 16).unwrap())
        .collect();
    der.extend_from_slice(sk.verifying_key().to_sec1_point(false).as_bytes());
    (sk, PublicKey::from_spki_der(&der).unwrap())
}

struct Fixture {
    rekor_sk: p256::ecdsa::SigningKey,
    rekor: PublicKey,
    signer_pem: String,
}

fn fixture() -> Fixture {
    let (rekor_sk, rekor) = p256(42);
    let (_, signer) = p256(7);
    Fixture {
        rekor_sk,
        rekor,
        signer_pem: signer.to_pkix_pem(),
    }
}

impl Fixture {
    /// The hashedrekord body cosign would log for `PAYLOAD`/`SIGNATURE`/the signer.
    fn body(&self) -> Value {
        json!({
            "apiVersion": "0.0.1",
            "kind": "hashedrekord",
            "spec": {
                "data": {"hash": {"algorithm": "sha256", "value": hex(&Sha256::digest(PAYLOAD))}},
                "signature": {
                    "content": b64(SIGNATURE),
                    "publicKey": {"content": b64(self.signer_pem.as_bytes())}
                }
            }
        })
    }

    fn payload(&self, body: &[u8]) -> Value {
        json!({"body": b64(body), "integratedTime": 1_700_000_000, "logIndex": 12, "logID": "abcd"})
    }

    /// The DER ECDSA signature of the test Rekor key over the canonical `payload`.
    fn sign(&self, payload: &Value) -> String {
        let canonical = serde_json_canonicalizer::to_vec(payload).unwrap();
        let sig: p256::ecdsa::Signature = self.rekor_sk.sign(&canonical);
        let (r, s) = sig.split_bytes();
        b64(&der_signature(&r, &s))
    }

    fn set_for_payload(&self, payload: &Value) -> Vec<u8> {
        serde_json::to_vec(&json!({"SignedEntryTimestamp": self.sign(payload), "Payload": payload}))
            .unwrap()
    }

    fn set_for_body(&self, body: &Value) -> Vec<u8> {
        self.set_for_payload(&self.payload(&serde_json::to_vec(body).unwrap()))
    }

    fn set(&self) -> Vec<u8> {
        self.set_for_body(&self.body())
    }

    fn verify(&self, set: &[u8]) -> Result<VerifiedSet, RekorError> {
        verify_set(
            std::slice::from_ref(&self.rekor),
            set,
            self.signer_pem.as_bytes(),
            &b64(SIGNATURE),
            PAYLOAD,
        )
    }

    /// Verifies a SET whose body is the default one changed by `edit`.
    fn verify_body(&self, edit: impl FnOnce(&mut Value)) -> Result<VerifiedSet, RekorError> {
        let mut body = self.body();
        edit(&mut body);
        self.verify(&self.set_for_body(&body))
    }
}

fn der_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    fn int(v: &[u8]) -> Vec<u8> {
        let v: Vec<u8> = v.iter().copied().skip_while(|&b| b == 0).collect();
        let mut body = if v.first().is_none_or(|&b| b & 0x80 != 0) {
            vec![0]
        } else {
            vec![]
        };
        body.extend(v);
        [vec![2, body.len() as u8], body].concat()
    }
    let body = [int(r), int(s)].concat();
    [vec![0x30, body.len() as u8], body].concat()
}

#[test]
fn accepted() {
    let f = fixture();
    let v = f.verify(&f.set()).unwrap();
    assert_eq!(v.integrated_time, 1_700_000_000);
    assert_eq!(v.log_index, 12);
    assert_eq!(v.log_id, "abcd");
    // Any trusted key may have signed it.
    let (_, other) = p256(1);
    let keys = [other, f.rekor.clone()];
    verify_set(
        &keys,
        &f.set(),
        f.signer_pem.as_bytes(),
        &b64(SIGNATURE),
        PAYLOAD,
    )
    .unwrap();
}

#[test]
fn canonicalisation_of_the_delivered_payload() {
    let f = fixture();
    let payload = f.payload(&serde_json::to_vec(&f.body()).unwrap());
    let sig = f.sign(&payload);
    // Reordered members, whitespace and a non-canonical number still verify: the
    // signature is over the canonical form.
    let body = payload["body"].as_str().unwrap();
    let set = format!(
        r#"{{ "Payload" : {{ "logID":"abcd", "logIndex": 12.0, "integratedTime": 1.7e9, "body": "{body}" }}, "SignedEntryTimestamp": "{sig}" }}"#
    );
    assert_eq!(
        f.verify(set.as_bytes()).unwrap().integrated_time,
        1_700_000_000
    );
    // Tampering after signing breaks it.
    let tampered = set.replace("12.0", "13");
    assert_eq!(
        f.verify(tampered.as_bytes()),
        Err(RekorError::SetSignatureInvalid)
    );
}

#[test]
fn rekor_keys() {
    let f = fixture();
    let set = f.set();
    let args = (f.signer_pem.as_bytes(), b64(SIGNATURE));
    assert_eq!(
        verify_set(&[], &set, args.0, &args.1, PAYLOAD),
        Err(RekorError::NoRekorKeys)
    );
    let ed25519 = PublicKey::from_spki_der(
        &[
            &[
                0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
            ][..],
            &[9u8; 32][..],
        ]
        .concat(),
    )
    .unwrap();
    assert_eq!(
        verify_set(&[f.rekor.clone(), ed25519], &set, args.0, &args.1, PAYLOAD),
        Err(RekorError::RekorKeyNotEcdsa { index: 2 })
    );
    let (_, wrong) = p256(43);
    assert_eq!(
        verify_set(&[wrong], &set, args.0, &args.1, PAYLOAD),
        Err(RekorError::SetSignatureInvalid)
    );
}

#[test]
fn set_signature_is_strict_der() {
    let f = fixture();
    let payload = f.payload(&serde_json::to_vec(&f.body()).unwrap());
    let canonical = serde_json_canonicalizer::to_vec(&payload).unwrap();
    let sig: p256::ecdsa::Signature = f.rekor_sk.sign(&canonical);
    // Raw r||s: no P1363 fallback for SETs.
    let raw = json!({"SignedEntryTimestamp": b64(&sig.to_bytes()), "Payload": payload});
    assert_eq!(
        f.verify(&serde_json::to_vec(&raw).unwrap()),
        Err(RekorError::SetSignatureInvalid)
    );
    // DER with a trailing byte.
    let (r, s) = sig.split_bytes();
    let trailing = [der_signature(&r, &s), vec![0]].concat();
    let set = json!({"SignedEntryTimestamp": b64(&trailing), "Payload": payload});
    assert_eq!(
        f.verify(&serde_json::to_vec(&set).unwrap()),
        Err(RekorError::SetSignatureInvalid)
    );
}

#[test]
fn set_text_is_strict() {
    let f = fixture();
    let good: Value = serde_json::from_slice(&f.set()).unwrap();
    let sig = good["SignedEntryTimestamp"].as_str().unwrap();
    let payload = good["Payload"].to_string();
    for bad in [
        String::new(),
        "not JSON".to_owned(),
        "[]".to_owned(),
        format!(r#"{{"Payload":{payload}}}"#),
        format!(r#"{{"SignedEntryTimestamp":"{sig}"}}"#),
        format!(r#"{{"SignedEntryTimestamp":"{sig}","Payload":{payload},"extra":1}}"#),
        format!(r#"{{"SignedEntryTimestamp":"{sig}","Payload":{payload},"Payload":{payload}}}"#),
        format!(r#"{{"signedEntryTimestamp":"{sig}","Payload":{payload}}}"#),
        format!(r#"{{"SignedEntryTimestamp":"{sig}=","Payload":{payload}}}"#),
        format!(r#"{{"SignedEntryTimestamp":1,"Payload":{payload}}}"#),
        format!(r#"{{"SignedEntryTimestamp":"{sig}","Payload":{payload}}} x"#),
    ] {
        assert!(
            matches!(f.verify(bad.as_bytes()), Err(RekorError::SetInvalid(_))),
            "{bad}: {:?}",
            f.verify(bad.as_bytes())
        );
    }
    let huge = vec![b' '; MAX_SET_SIZE + 1];
    assert!(matches!(f.verify(&huge), Err(RekorError::TooLarge { .. })));
}

#[test]
fn canonicalisation_failures() {
    let f = fixture();
    let sig = b64(&[0x30, 0]);
    for payload in [
        r#"{"body":"e30=","body":"e30=","integratedTime":1,"logIndex":1,"logID":"x"}"#,
        r#"{"body":"e30=","integratedTime":1,"logIndex":1,"logID":{"a":1,"\u0061":2}}"#,
        "null",
        "1",
        r#""text""#,
    ] {
        let set = format!(r#"{{"SignedEntryTimestamp":"{sig}","Payload":{payload}}}"#);
        assert!(
            matches!(
                f.verify(set.as_bytes()),
                Err(RekorError::CanonicalizationFailed { .. })
            ),
            "{payload}"
        );
    }
}

#[test]
fn signed_payload_is_strict() {
    let f = fixture();
    let body = b64(&serde_json::to_vec(&f.body()).unwrap());
    for payload in [
        json!({"body": body, "integratedTime": 1, "logIndex": 2}),
        json!({"body": body, "integratedTime": 1, "logIndex": 2, "logID": "x", "extra": 0}),
        json!({"body": body, "integratedTime": 1.5, "logIndex": 2, "logID": "x"}),
        json!({"body": body, "integratedTime": 1e21, "logIndex": 2, "logID": "x"}),
        json!({"body": "!", "integratedTime": 1, "logIndex": 2, "logID": "x"}),
        json!({"body": body, "integratedTime": 1, "logIndex": 2, "logID": 3}),
        json!([1, 2]),
    ] {
        assert!(
            matches!(
                f.verify(&f.set_for_payload(&payload)),
                Err(RekorError::PayloadInvalid(_))
            ),
            "{payload}"
        );
    }
    // A body given as a Go byte array is fine.
    let bytes: Vec<u8> = serde_json::to_vec(&f.body()).unwrap();
    let payload = json!({"body": bytes, "integratedTime": 5, "logIndex": 2, "logID": "x"});
    assert_eq!(
        f.verify(&f.set_for_payload(&payload))
            .unwrap()
            .integrated_time,
        5
    );
}

#[test]
fn body_kind_and_version() {
    let f = fixture();
    let set = |body: &[u8]| f.set_for_payload(&f.payload(body));
    assert!(matches!(
        f.verify(&set(b"{")),
        Err(RekorError::BodyInvalid { .. })
    ));
    assert!(matches!(
        f.verify(&set(b"[]")),
        Err(RekorError::BodyInvalid { .. })
    ));
    assert!(matches!(
        f.verify_body(|b| b["kind"] = json!(1)),
        Err(RekorError::BodyInvalid { .. })
    ));
    assert!(matches!(
        f.verify_body(|b| b["apiVersion"] = json!(1)),
        Err(RekorError::BodyInvalid { .. })
    ));
    assert_eq!(
        f.verify_body(|b| b["kind"] = json!("rekord")),
        Err(RekorError::KindNotHashedRekord {
            kind: "rekord".into()
        })
    );
    assert_eq!(
        f.verify_body(|b| {
            b.as_object_mut().unwrap().remove("kind");
        }),
        Err(RekorError::KindNotHashedRekord {
            kind: String::new()
        })
    );
    assert_eq!(
        f.verify_body(|b| b["apiVersion"] = Value::Null),
        Err(RekorError::ApiVersionMissing)
    );
    assert_eq!(
        f.verify_body(|b| b["apiVersion"] = json!("0.0.2")),
        Err(RekorError::ApiVersionUnsupported {
            version: "0.0.2".into()
        })
    );
    assert!(matches!(
        f.verify_body(|b| {
            b.as_object_mut().unwrap().remove("spec");
        }),
        Err(RekorError::SpecInvalid { .. })
    ));
    assert!(matches!(
        f.verify_body(|b| b["spec"] = json!("spec")),
        Err(RekorError::SpecInvalid { .. })
    ));
    // Lenient Go struct decoding: case-insensitive keys, unknown members ignored.
    let mut body = f.body();
    let obj = body.as_object_mut().unwrap();
    let kind = obj.remove("kind").unwrap();
    obj.insert("KIND".into(), kind);
    let mut text = serde_json::to_vec(&body).unwrap();
    text.pop();
    text.extend_from_slice(br#","extra":{"anything":[1e400]}}"#);
    f.verify(&set(&text)).unwrap();
}

#[test]
fn missing_spec_fields() {
    let f = fixture();
    type Edit = fn(&mut Value);
    let cases: [(&str, Edit); 8] = [
        ("signature", |b| b["spec"]["signature"] = Value::Null),
        ("signature.publicKey", |b| {
            b["spec"]["signature"]
                .as_object_mut()
                .unwrap()
                .remove("publicKey");
        }),
        ("data", |b| {
            b["spec"].as_object_mut().unwrap().remove("data");
        }),
        ("data.hash", |b| b["spec"]["data"]["hash"] = Value::Null),
        ("data.hash", |b| b["spec"]["data"] = json!({})),
        ("data.hash.algorithm", |b| {
            b["spec"]["data"]["hash"]
                .as_object_mut()
                .unwrap()
                .remove("algorithm");
        }),
        ("data.hash.value", |b| {
            b["spec"]["data"]["hash"]["value"] = Value::Null
        }),
        ("signature", |b| b["spec"] = Value::Null),
    ];
    for (field, edit) in cases {
        assert_eq!(
            f.verify_body(edit),
            Err(RekorError::MissingField { field }),
            "{field}"
        );
    }
}

#[test]
fn key_or_certificate_matching() {
    let f = fixture();
    let set = f.set();
    let verify = |pem: &[u8]| {
        verify_set(
            std::slice::from_ref(&f.rekor),
            &set,
            pem,
            &b64(SIGNATURE),
            PAYLOAD,
        )
    };
    assert_eq!(verify(b""), Err(RekorError::KeyOrCertNotPem));
    assert_eq!(verify(b"not PEM"), Err(RekorError::KeyOrCertNotPem));
    let with_newline = format!("{}\n", f.signer_pem);
    assert_eq!(
        verify(with_newline.as_bytes()),
        Err(RekorError::KeyOrCertTrailingData)
    );
    let two = f.signer_pem.repeat(2);
    assert_eq!(
        verify(two.as_bytes()),
        Err(RekorError::KeyOrCertTrailingData)
    );
    // Labels are not compared, only the DER; no final newline is fine.
    let relabelled = f.signer_pem.replace("PUBLIC KEY", "CERTIFICATE");
    verify(relabelled.as_bytes()).unwrap();
    verify(f.signer_pem.trim_end().as_bytes()).unwrap();
    let (_, other) = p256(8);
    assert_eq!(
        verify(other.to_pkix_pem().as_bytes()),
        Err(RekorError::PublicKeyMismatch)
    );

    // The logged side.
    let logged = |content: &[u8]| {
        f.verify_body(|b| b["spec"]["signature"]["publicKey"]["content"] = json!(b64(content)))
    };
    assert_eq!(logged(b""), Err(RekorError::RekorPublicKeyNotPem));
    assert_eq!(logged(b"not PEM"), Err(RekorError::RekorPublicKeyNotPem));
    assert_eq!(
        logged(f.signer_pem.repeat(2).as_bytes()),
        Err(RekorError::RekorPublicKeyTrailingData)
    );
    assert_eq!(
        f.verify_body(|b| {
            b["spec"]["signature"]["publicKey"]
                .as_object_mut()
                .unwrap()
                .remove("content");
        }),
        Err(RekorError::RekorPublicKeyNotPem)
    );
    assert!(matches!(
        f.verify_body(|b| b["spec"]["signature"]["publicKey"]["content"] = json!("+")),
        Err(RekorError::SpecInvalid { .. })
    ));
}

#[test]
fn signature_matching() {
    let f = fixture();
    let set = f.set();
    let verify = |sig: &str| {
        verify_set(
            std::slice::from_ref(&f.rekor),
            &set,
            f.signer_pem.as_bytes(),
            sig,
            PAYLOAD,
        )
    };
    let good = b64(SIGNATURE);
    assert!(matches!(
        verify(&good[..good.len() - 1]),
        Err(RekorError::SignatureBase64 { .. })
    ));
    assert_eq!(verify(&b64(b"another")), Err(RekorError::SignatureMismatch));
    // CR/LF in the annotation are ignored, as by Go.
    verify(&format!("{}\r\n{}", &good[..8], &good[8..])).unwrap();
    assert_eq!(
        f.verify_body(|b| b["spec"]["signature"]["content"] = json!("")),
        Err(RekorError::SignatureMismatch)
    );
    assert_eq!(
        f.verify_body(|b| {
            b["spec"]["signature"]
                .as_object_mut()
                .unwrap()
                .remove("content");
        }),
        Err(RekorError::SignatureMismatch)
    );
}

#[test]
fn payload_hash_matching() {
    let f = fixture();
    let hash = |algorithm: &str, value: String| {
        f.verify_body(|b| {
            b["spec"]["data"]["hash"] = json!({"algorithm": algorithm, "value": value})
        })
    };
    assert_eq!(
        hash("sha512", hex(&Sha512::digest(PAYLOAD))),
        Err(RekorError::HashAlgorithm {
            algorithm: "sha512".into()
        })
    );
    assert!(matches!(
        hash("sha256", "abc".into()),
        Err(RekorError::HashValueInvalid { .. })
    ));
    assert!(matches!(
        hash("sha256", "zz".into()),
        Err(RekorError::HashValueInvalid { .. })
    ));
    assert_eq!(
        hash("sha256", hex(&Sha256::digest(b"other"))),
        Err(RekorError::HashMismatch)
    );
    hash("sha256", hex(&Sha256::digest(PAYLOAD)).to_uppercase()).unwrap();
    let f2 = fixture();
    assert_eq!(
        verify_set(
            std::slice::from_ref(&f2.rekor),
            &f2.set(),
            f2.signer_pem.as_bytes(),
            &b64(SIGNATURE),
            b"tampered payload"
        ),
        Err(RekorError::HashMismatch)
    );
}

#[test]
fn untrusted_parsers() {
    let set =
        UntrustedRekorSet::parse(br#"{"Payload":[1],"SignedEntryTimestamp":"AAE="}"#).unwrap();
    assert_eq!(set.payload, b"[1]");
    assert_eq!(set.signed_entry_timestamp, [0, 1]);
    let p = UntrustedRekorPayload::parse(
        br#"{"body":"WyJqc29uIl0=","integratedTime":1,"logID":"abc","logIndex":2}"#,
    )
    .unwrap();
    assert_eq!(
        (p.body.as_slice(), p.integrated_time, p.log_index),
        (&b"[\"json\"]"[..], 1, 2)
    );
    assert!(
        UntrustedRekorPayload::parse(
            br#"{"body":"","integratedTime":"1","logID":"","logIndex":2}"#
        )
        .is_err()
    );
}
