//! Runners for the Fulcio and PKI certificate operations (`fulcio.*`, `pki.*`),
//! including the cases that generate certificates at test time.

use std::time::SystemTime;

use containers_policy::policy::{CertSource, Policy, Requirement, SigstoreKeys};
use containers_policy::sigstore::certificate::{self, Certificate};
use containers_policy::sigstore::fulcio::{self, FulcioIdentity, FulcioTrustRoot};
use containers_policy::sigstore::pki::{PkiSubject, PkiTrustRoot};
use rcgen::CertificateParams;
use serde_json::{Map, Value, json};

use super::{Kit, Outcome, Runner, hex, verdict};

#[path = "../test_ca/mod.rs"]
mod test_ca;
use test_ca::{Issued, extension};

pub const RUNNERS: &[(&str, Runner)] = &[
    ("fulcio.trust_root_validate", fulcio_trust_root_validate),
    ("fulcio.parse_leaf_certificate", fulcio_parse_leaf),
    ("fulcio.verify_certificate_at_time", fulcio_verify_at_time),
    ("fulcio.issuer_in_certificate", fulcio_issuer),
    ("fulcio.verify_rekor_fulcio", fulcio_verify_rekor),
    ("fulcio.prepare_trust_root", fulcio_prepare_trust_root),
    ("pki.trust_root_validate", pki_trust_root_validate),
    ("pki.verify", pki_verify),
    ("pki.prepare_trust_root", pki_prepare_trust_root),
];

/// The verdict a variant or case expects (`expected` member of a variant when the case
/// says `per variant: expected`).
fn wanted(expected: &Value) -> &str {
    verdict(expected)
}

/// Compares an outcome with the expectation (and the error text, when given).
fn compare<T, E: std::fmt::Display>(
    got: &Result<T, E>,
    expected: &Value,
    inputs: &Map<String, Value>,
) -> Outcome {
    let want = wanted(expected);
    match (got, want) {
        (Ok(_), "accept") => Ok(()),
        (Err(e), "reject") => {
            if let Some(fragment) = inputs.get("error_contains").and_then(Value::as_str) {
                let text = e.to_string();
                if !text.contains(fragment) {
                    return Err(format!(
                        "rejected as expected, but {text:?} does not contain {fragment:?}"
                    ));
                }
            }
            Ok(())
        }
        (Ok(_), want) => Err(format!("accepted, expected {want}")),
        (Err(e), want) => Err(format!("rejected ({e}), expected {want}")),
    }
}

fn text<'a>(inputs: &'a Map<String, Value>, key: &str) -> &'a str {
    inputs.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn concat_bytes(kit: &Kit, v: Option<&Value>) -> Option<Vec<u8>> {
    match v? {
        Value::Array(items) => Some(items.iter().flat_map(|x| kit.bytes(x)).collect()),
        other => Some(kit.bytes(other)),
    }
}

/// Checks `public_key_matches_certificate`: the returned SPKI is the named file's.
fn check_key(kit: &Kit, expected: &Value, spki: &[u8]) -> Outcome {
    if let Some(file) = expected.get("public_key_matches_certificate") {
        let cert = certificate::parse_leaf_pem(&kit.bytes(file)).map_err(|e| e.to_string())?;
        if cert.subject_public_key_info_der() != spki {
            return Err("returned key is not the certificate's".into());
        }
    }
    Ok(())
}

fn fulcio_trust_root_validate(_: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let got = FulcioIdentity::new(text(inputs, "oidc_issuer"), text(inputs, "subject_email"));
    compare(&got, expected, inputs)
}

fn fulcio_parse_leaf(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let got = certificate::parse_leaf_pem(&kit.bytes(&inputs["certificate"]));
    compare(&got, expected, inputs)
}

fn fulcio_verify_at_time(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    if inputs.contains_key("generate") {
        return fulcio_generated(inputs, expected);
    }
    let ca = concat_bytes(kit, inputs.get("ca_certificates")).unwrap_or_default();
    let identity = FulcioIdentity::new(text(inputs, "oidc_issuer"), text(inputs, "subject_email"))
        .map_err(|e| e.to_string())?;
    let root = FulcioTrustRoot::new(&ca, identity).map_err(|e| e.to_string())?;
    let chain = concat_bytes(kit, inputs.get("intermediate_chain"));
    let at = inputs["time"].as_i64().ok_or("no time")?;
    let got = root.verify(
        &kit.bytes(&inputs["certificate"]),
        chain.as_deref(),
        test_ca::system_time(at),
    );
    compare(&got, expected, inputs)?;
    match &got {
        Ok(v) => check_key(kit, expected, v.subject_public_key_info_der()),
        Err(_) => Ok(()),
    }
}

/// `fu-verify-generated`: a fresh CA and leaf, one modification per variant.
fn fulcio_generated(inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let now = test_ca::now();
    let ca = Issued::root("root CA", now - 60, now + 3600);
    let mut leaf = test_ca::params("leaf", now - 60, now + 3600);
    leaf.subject_alt_names = test_ca::emails(&["test-user@example.com"]);
    leaf.custom_extensions = vec![test_ca::issuer_v1(test_ca::GITHUB)];
    modify(&mut leaf, text(inputs, "modification"))?;
    let leaf = ca.leaf(leaf);
    let root = FulcioTrustRoot::new(
        ca.pem.as_bytes(),
        FulcioIdentity::new(test_ca::GITHUB, "test-user@example.com").unwrap(),
    )
    .map_err(|e| e.to_string())?;
    let got = root.verify(leaf.pem.as_bytes(), Some(b""), test_ca::system_time(now));
    compare(&got, expected, inputs)?;
    if let Ok(v) = &got {
        let cert = certificate::parse_leaf_pem(leaf.pem.as_bytes()).unwrap();
        if v.subject_public_key_info_der() != cert.subject_public_key_info_der() {
            return Err("returned key is not the leaf's".into());
        }
    }
    Ok(())
}

/// Applies one of the kit's certificate modifications (Fulcio and PKI generated cases).
fn modify(p: &mut CertificateParams, modification: &str) -> Outcome {
    let sans_without = |p: &CertificateParams, email: bool| -> Vec<rcgen::SanType> {
        p.subject_alt_names
            .iter()
            .filter(|s| matches!(s, rcgen::SanType::Rfc822Name(_)) != email)
            .cloned()
            .collect()
    };
    match modification {
        m if m.starts_with("replace the SAN with a critical SAN") => {
            p.subject_alt_names.clear();
            p.custom_extensions.push(extension(
                test_ca::SAN,
                true,
                test_ca::other_name_only_san(),
            ));
        }
        "add an unknown critical extension OID 2.99999.99998.99997.99996" => {
            p.custom_extensions
                .push(extension(test_ca::UNKNOWN, true, b"whatever".to_vec()));
        }
        "remove the issuer extension" => p.custom_extensions.clear(),
        "prepend a second issuer v1 extension with value 'this does not match'" => {
            p.custom_extensions
                .insert(0, test_ca::issuer_v1("this does not match"));
        }
        "issuer v1 extension value 'this does not match' (only one)" => {
            p.custom_extensions = vec![test_ca::issuer_v1("this does not match")];
        }
        "no email SAN" | "no email" => p.subject_alt_names = sans_without(p, true),
        "no DNS names" => p.subject_alt_names = sans_without(p, false),
        m if m.starts_with("emails ") => {
            let list: &[&str] = match m {
                "emails a@example.com, test-user@example.com, c@example.com" => {
                    &["a@example.com", "test-user@example.com", "c@example.com"]
                }
                "emails a@example.com" => &["a@example.com"],
                "emails a@, b@, c@example.com" => {
                    &["a@example.com", "b@example.com", "c@example.com"]
                }
                other => return Err(format!("unknown modification {other:?}")),
            };
            let mut sans = sans_without(p, true);
            sans.extend(test_ca::emails(list));
            p.subject_alt_names = sans;
        }
        m if m.starts_with("DNS ") => {
            let list: &[&str] = match m {
                "DNS a.example.com, myhost.example.com, c.example.com" => {
                    &["a.example.com", "myhost.example.com", "c.example.com"]
                }
                "DNS this-does-not-match.example.com" => &["this-does-not-match.example.com"],
                "DNS a., b., c.example.com" => &["a.example.com", "b.example.com", "c.example.com"],
                other => return Err(format!("unknown modification {other:?}")),
            };
            let mut sans = sans_without(p, false);
            sans.extend(test_ca::dns_names(list));
            p.subject_alt_names = sans;
        }
        other => return Err(format!("unknown modification {other:?}")),
    }
    Ok(())
}

fn fulcio_issuer(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let pem = match inputs.get("extensions") {
        None => kit.bytes(&inputs["certificate"]),
        Some(extensions) => {
            let now = test_ca::now();
            let mut p = test_ca::params("leaf", now - 60, now + 3600);
            p.subject_alt_names = test_ca::emails(&["test-user@example.com"]);
            p.custom_extensions = issuer_extensions(extensions)?;
            let key = test_ca::key(&rcgen::PKCS_ECDSA_P256_SHA256);
            Issued::self_signed(p, key).pem.into_bytes()
        }
    };
    let got = certificate::parse_leaf_pem(&pem)
        .map_err(|e| e.to_string())
        .and_then(|cert: Certificate| fulcio::oidc_issuer(&cert).map_err(|e| e.to_string()));
    compare(&got, expected, inputs)?;
    match (&got, expected.get("issuer").or(inputs.get("issuer"))) {
        (Ok(got), Some(want)) if want != &json!(got) => {
            Err(format!("issuer {got:?}, expected {want}"))
        }
        _ => Ok(()),
    }
}

/// The kit's extension lists for `fu-issuer-extension`.
fn issuer_extensions(v: &Value) -> Result<Vec<rcgen::CustomExtension>, String> {
    let Some(list) = v.as_array() else {
        // "whatever the Fulcio library renders": Fulcio writes both v1 and v2.
        return Ok(vec![
            test_ca::issuer_v1(test_ca::GITHUB),
            test_ca::issuer_v2(test_ca::GITHUB),
        ]);
    };
    list.iter()
        .map(|e| {
            if let Some(s) = e.get("v1").and_then(Value::as_str) {
                Ok(test_ca::issuer_v1(s))
            } else if let Some(s) = e.get("v2").and_then(Value::as_str) {
                Ok(test_ca::issuer_v2(s))
            } else if let Some(h) = e.get("v2_raw_der_hex").and_then(Value::as_str) {
                Ok(extension(test_ca::ISSUER_V2, false, hex(h)))
            } else if let Some(s) = e.get("v2_raw").and_then(Value::as_str) {
                if s != "UTF8String 'https://' immediately followed by UTF8String 'example.com'" {
                    return Err(format!("unknown v2_raw {s:?}"));
                }
                let mut value = test_ca::utf8_string("https://");
                value.extend(test_ca::utf8_string("example.com"));
                Ok(extension(test_ca::ISSUER_V2, false, value))
            } else {
                Err(format!("unknown extension {e}"))
            }
        })
        .collect()
}

/// `fulcio.verify_rekor_fulcio`: the Rekor SET for the certificate, then the certificate
/// at the SET's integrated time.
fn fulcio_verify_rekor(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let trust = inputs["trust_root"].as_object().ok_or("no trust_root")?;
    let ca = concat_bytes(kit, trust.get("ca_certificates")).unwrap_or_default();
    let root = FulcioTrustRoot::new(
        &ca,
        FulcioIdentity::new(text(trust, "oidc_issuer"), text(trust, "subject_email"))
            .map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let cert = kit.bytes(&inputs["certificate"]);
    let chain = concat_bytes(kit, inputs.get("intermediate_chain"));
    let payload = match inputs.get("payload_text").and_then(Value::as_str) {
        Some(t) => t.as_bytes().to_vec(),
        None => kit.bytes(&inputs["payload_file"]),
    };
    let signature = String::from_utf8(kit.bytes(&inputs["base64_signature_file"]))
        .map_err(|e| e.to_string())?;
    let rekor_keys: Vec<Vec<u8>> = inputs["rekor_public_keys"]
        .as_array()
        .ok_or("no rekor keys")?
        .iter()
        .map(|k| kit.bytes(k))
        .collect();
    let set = kit.bytes(&inputs["rekor_set"]);
    let at = match rekor_set_integrated_time(&rekor_keys, &set, &cert, &signature, &payload)? {
        Ok(at) => at,
        Err(e) => return compare(&Err::<(), _>(e), expected, inputs),
    };
    let got = root.verify(&cert, chain.as_deref(), at);
    compare(&got, expected, inputs)?;
    match &got {
        Ok(v) => check_key(kit, expected, v.subject_public_key_info_der()),
        Err(_) => Ok(()),
    }
}

/// Verifies the Rekor SET for the certificate and returns its integrated time; the
/// outer `Err` means the check could not run at all (a Rekor key does not parse).
fn rekor_set_integrated_time(
    rekor_keys: &[Vec<u8>],
    set: &[u8],
    certificate_pem: &[u8],
    base64_signature: &str,
    payload: &[u8],
) -> Result<Result<SystemTime, String>, String> {
    let keys = rekor_keys
        .iter()
        .map(|k| containers_policy::sigstore::public_key::PublicKey::from_pem(k))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    Ok(containers_policy::sigstore::rekor::verify_set(
        &keys,
        set,
        certificate_pem,
        base64_signature,
        payload,
    )
    .map(|verified| {
        std::time::UNIX_EPOCH
            + std::time::Duration::from_secs(u64::try_from(verified.integrated_time).unwrap_or(0))
    })
    .map_err(|e| e.to_string()))
}

/// Parses a `sigstoreSigned` requirement written in the kit's notation with the given
/// trust source (plus a Rekor key for Fulcio, which requires one).
fn sigstore_requirement(kit: &Kit, source: &str, value: &Value) -> Result<SigstoreKeys, String> {
    let mut req = json!({"type": "sigstoreSigned", source: value});
    if source == "fulcio" {
        req["rekorPublicKeyPath"] = json!("fixtures/rekor.pub");
    }
    let policy = kit.policy_json(&json!({ "default": [req] }));
    let policy = Policy::from_str(&policy.to_string()).map_err(|e| format!("policy: {e}"))?;
    match policy.default_requirements().first() {
        Some(Requirement::SigstoreSigned(s)) => Ok(s.keys().clone()),
        other => Err(format!("unexpected requirement {other:?}")),
    }
}

fn load(source: &CertSource) -> Result<Vec<u8>, String> {
    match source {
        CertSource::Path(p) => std::fs::read(p).map_err(|e| format!("{p}: {e}")),
        CertSource::Data(d) => Ok(d.clone()),
    }
}

fn fulcio_prepare_trust_root(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let got = sigstore_requirement(kit, "fulcio", &inputs["fulcio"]).and_then(|keys| {
        let SigstoreKeys::Fulcio(f) = keys else {
            return Err("not a fulcio source".to_owned());
        };
        let identity =
            FulcioIdentity::new(f.oidc_issuer(), f.subject_email()).map_err(|e| e.to_string())?;
        FulcioTrustRoot::new(&load(f.ca())?, identity).map_err(|e| e.to_string())
    });
    compare(&got, expected, inputs)?;
    if let Ok(root) = &got {
        let id = root.identity();
        if root.ca_certificates().is_empty()
            || Some(&json!(id.oidc_issuer())) != expected.get("oidc_issuer")
            || Some(&json!(id.subject_email())) != expected.get("subject_email")
        {
            return Err(format!("unexpected trust root {root:?}"));
        }
    }
    Ok(())
}

fn pki_trust_root_validate(_: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let got = PkiSubject::new(
        Some(text(inputs, "subject_email")),
        Some(text(inputs, "subject_hostname")),
    );
    compare(&got, expected, inputs)
}

fn pki_subject(inputs: &Map<String, Value>) -> Result<Option<PkiSubject>, String> {
    let (email, hostname) = (
        text(inputs, "subject_email"),
        text(inputs, "subject_hostname"),
    );
    if email.is_empty() && hostname.is_empty() {
        return Ok(None);
    }
    PkiSubject::new(Some(email), Some(hostname))
        .map(Some)
        .map_err(|e| e.to_string())
}

fn pki_verify(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    if inputs.contains_key("generate") {
        return pki_generated(kit, inputs, expected);
    }
    let roots = concat_bytes(kit, inputs.get("ca_roots")).unwrap_or_default();
    let intermediates = concat_bytes(kit, inputs.get("ca_intermediates"));
    let root = PkiTrustRoot::new(&roots, intermediates.as_deref(), pki_subject(inputs)?)
        .map_err(|e| e.to_string())?;
    let chain = concat_bytes(kit, inputs.get("intermediate_chain"));
    let got = root.verify(
        &kit.bytes(&inputs["certificate"]),
        chain.as_deref(),
        SystemTime::now(),
    );
    compare(&got, expected, inputs)?;
    match &got {
        Ok(v) => check_key(kit, expected, v.subject_public_key_info_der()),
        Err(_) => Ok(()),
    }
}

/// `pki-verify-generated`: a fresh CA and leaf, one modification per variant.
fn pki_generated(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let now = test_ca::now();
    let ca = Issued::root("root CA", now - 60, now + 3600);
    let mut leaf = test_ca::params("leaf", now - 60, now + 3600);
    leaf.subject_alt_names = test_ca::emails(&["test-user@example.com"]);
    leaf.subject_alt_names
        .extend(test_ca::dns_names(&["myhost.example.com"]));
    modify(&mut leaf, text(inputs, "modification"))?;
    let leaf = ca.leaf(leaf);
    let intermediates = kit.bytes(&json!("fixtures/pki_intermediate_crts.pem"));
    let root = PkiTrustRoot::new(
        ca.pem.as_bytes(),
        Some(&intermediates),
        Some(PkiSubject::new(Some("test-user@example.com"), Some("myhost.example.com")).unwrap()),
    )
    .map_err(|e| e.to_string())?;
    let chain = kit.bytes(&json!("fixtures/pki-chain"));
    let got = root.verify(leaf.pem.as_bytes(), Some(&chain), test_ca::system_time(now));
    compare(&got, expected, inputs)
}

fn pki_prepare_trust_root(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let got = sigstore_requirement(kit, "pki", &inputs["pki"]).and_then(|keys| {
        let SigstoreKeys::Pki(p) = keys else {
            return Err("not a pki source".to_owned());
        };
        let subject =
            PkiSubject::new(p.subject_email(), p.subject_hostname()).map_err(|e| e.to_string())?;
        let intermediates = p.intermediates().map(load).transpose()?;
        PkiTrustRoot::new(&load(p.roots())?, intermediates.as_deref(), Some(subject))
            .map_err(|e| e.to_string())
    });
    compare(&got, expected, inputs)?;
    if let Ok(root) = &got {
        let want_intermediates = inputs
            .get("expect_intermediates")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if root.roots().is_empty() || root.intermediates().is_empty() == want_intermediates {
            return Err(format!("unexpected trust root {root:?}"));
        }
    }
    Ok(())
}
