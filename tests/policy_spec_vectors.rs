//! Every verified parse vector of policy-semantics.md §18: the policy text, c/image's
//! verdict and error text, and the kind of error we report for it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::kind_name;
use containers_policy::Policy;

/// (policy.json, c/image's error or None when it accepts, our error kind).
const VECTORS: &[(&str, Option<&str>, Option<&str>)] = &[
    (r#"{"default":[{"type":"reject"}]}"#, None, None),
    (
        r#"{"default":[]}"#,
        Some("List of verification policy requirements must not be empty"),
        Some("EmptyRequirements"),
    ),
    (
        r#"{"default":null}"#,
        Some("List of verification policy requirements must not be empty"),
        Some("EmptyRequirements"),
    ),
    (
        r#"{}"#,
        Some("Default policy is missing"),
        Some("MissingDefault"),
    ),
    (
        r#"{"default":[{"type":"reject"}],"transports":null}"#,
        Some("JSON object expected, got <nil>"),
        Some("WrongType(Null)"),
    ),
    (
        r#"{"default":[{"type":"reject"}],"transports":{}}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"reject"}],"transports":{"docker":null}}"#,
        Some("JSON object expected, got <nil>"),
        Some("WrongType(Null)"),
    ),
    (
        r#"{"default":[{"type":"reject"}],"transports":{"docker":{}}}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"reject"}],"transports":{"docker":{"anything goes!!":[{"type":"reject"}]}}}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"reject"}],"transports":{"dir":{"relative":[{"type":"reject"}]}}}"#,
        Some("Unknown key \"relative\""),
        Some("InvalidScope"),
    ),
    (
        r#"{"default":[{"type":"reject"}],"transports":{"dir":{"/a/b/":[{"type":"reject"}]}}}"#,
        Some("Unknown key \"/a/b/\""),
        Some("InvalidScope"),
    ),
    (
        r#"{"default":[{"type":"reject"}],"transports":{"nosuch":{"whatever":[{"type":"reject"}]}}}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"reject"}],"transports":{"":{"x":[{"type":"reject"}]}}}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"reject"}],"transports":{"docker-archive":{"/x":[{"type":"reject"}]}}}"#,
        Some("Unknown key \"/x\""),
        Some("InvalidScope"),
    ),
    (
        r#"{"default":[{"type":"reject"}],"transports":{"docker-archive":{"":[{"type":"reject"}]}}}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"reject"}],"transports":{"atomic":{"registry.example.com/ns/stream@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef":[{"type":"reject"}]}}}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"reject"}],"transports":{"containers-storage":{"[overlay@/var/lib/c+/run:opt]UPPER!!":[{"type":"reject"}]}}}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"reject"}],"transports":{"docker":{"x":[]}}}"#,
        Some("List of verification policy requirements must not be empty"),
        Some("EmptyRequirements"),
    ),
    (
        r#"{"default":[{"type":"reject"}],"transports":{"docker":{"x":[{"type":"reject"}],"x":[{"type":"reject"}]}}}"#,
        Some("Duplicate key \"x\""),
        Some("DuplicateKey"),
    ),
    (
        r#"{"default":[{"type":"reject"}],"default":[{"type":"reject"}]}"#,
        Some("Duplicate key \"default\""),
        Some("DuplicateKey"),
    ),
    (
        r#"{"default":[{"type":"reject"}],"Default":[{"type":"reject"}]}"#,
        Some("Unknown key \"Default\""),
        Some("UnknownKey"),
    ),
    (
        r#"{"default":[{"TYPE":"reject"}]}"#,
        Some("Unknown key \"TYPE\""),
        Some("UnknownKey"),
    ),
    (
        r#"{"default":[{"type":"reject","type":"reject"}]}"#,
        Some("Duplicate key \"type\""),
        Some("DuplicateKey"),
    ),
    (
        r#"{"default":[null]}"#,
        Some("Unknown policy requirement type \"\""),
        Some("WrongType(Null)"),
    ),
    (
        r#"{"default":["reject"]}"#,
        Some("json: cannot unmarshal string into Go value of type signature.prCommon"),
        Some("WrongType(String)"),
    ),
    (
        r#"{"default":[{"type":"reject","x":1}]}"#,
        Some("Unknown key \"x\""),
        Some("UnknownKey"),
    ),
    (
        r#"{"default":[{"type":"signedBy","keyPath":"/k"}]}"#,
        Some("invalid keyType \"\""),
        Some("MissingKey(keyType)"),
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys"}]}"#,
        Some(
            "Exactly one of keyPath, keyPaths and keyData must be specified, none of them present",
        ),
        Some("SignedByKeySources"),
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k"}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"gpgkeys","keyPath":"/k"}]}"#,
        Some("Unrecognized keyType value \"gpgkeys\""),
        Some("InvalidKeyType"),
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":null,"keyPath":"/k"}]}"#,
        Some("Unrecognized keyType value \"\""),
        Some("InvalidKeyType"),
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"X509Certificates","keyPath":"/k"}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":""}]}"#,
        Some("exactly one of keyPath, keyPaths and keyData must be specified"),
        Some("EmptyKeySource"),
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":null}]}"#,
        Some("exactly one of keyPath, keyPaths and keyData must be specified"),
        Some("EmptyKeySource"),
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":[]}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":null}]}"#,
        Some("exactly one of keyPath, keyPaths and keyData must be specified"),
        Some("EmptyKeySource"),
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":""}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":null}]}"#,
        Some("exactly one of keyPath, keyPaths and keyData must be specified"),
        Some("EmptyKeySource"),
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YWJj"}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YWJ"}]}"#,
        Some("illegal base64 data at input byte 0"),
        Some("InvalidBase64"),
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"YW\nJj"}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"","keyData":"YWJj"}]}"#,
        Some(
            "Exactly one of keyPath, keyPaths and keyData must be specified, more than one present",
        ),
        Some("SignedByKeySources"),
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":null}]}"#,
        Some("Unknown policy reference match type \"\""),
        Some("WrongType(Null)"),
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"matchExact"}}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"matchExact","x":1}}]}"#,
        Some("Unknown key \"x\""),
        Some("UnknownKey"),
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactReference","dockerReference":"busybox"}}]}"#,
        Some("dockerReference \"busybox\" contains neither a tag nor digest"),
        Some("ReferenceWithoutTagOrDigest"),
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactReference","dockerReference":"busybox:latest"}}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactRepository","dockerRepository":"busybox:latest"}}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactRepository"}}]}"#,
        Some("Key \"dockerRepository\" missing in a JSON object"),
        Some("MissingKey"),
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"remapIdentity","prefix":"shortname","signedPrefix":"Example.COM"}}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"remapIdentity","prefix":"*.example.com","signedPrefix":"x.com"}}]}"#,
        Some("prefix \"*.example.com\" is not valid"),
        Some("InvalidRemapPrefix"),
    ),
    (
        r#"{"default":[{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchRepository"}}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"signedBaseLayer"}]}"#,
        Some("Key \"baseLayerIdentity\" missing in a JSON object"),
        Some("MissingKey"),
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned"}]}"#,
        Some(
            "exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki must be specified",
        ),
        Some("SigstoreKeySources"),
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","keyPath":"/k"}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","keyPath":""}]}"#,
        Some(
            "exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki must be specified",
        ),
        Some("SigstoreKeySources"),
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","keyPath":"","keyData":"YWJj"}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","keyPath":null,"keyData":"YWJj"}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","keyData":""}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","keyPaths":[]}]}"#,
        Some("\"keyPaths\" contains no entries"),
        Some("EmptyList"),
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","keyPaths":null}]}"#,
        Some("\"keyPaths\" contains no entries"),
        Some("EmptyList"),
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","keyPaths":["/a","/a"]}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","keyDatas":[""]}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","keyDatas":[null]}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","keyPath":"/k","rekorPublicKeyPath":""}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","keyPath":"/k","rekorPublicKeyPath":"/r","rekorPublicKeyData":""}]}"#,
        Some(
            "at most one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas can be used simultaneously",
        ),
        Some("RekorKeySources"),
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","keyPath":"/k","rekorPublicKeyPaths":[]}]}"#,
        Some("\"rekorPublickeyPaths\" contains no entries"),
        Some("EmptyList"),
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"i","subjectEmail":"e"}}]}"#,
        Some(
            "At least one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas must be specified if fulcio is used",
        ),
        Some("FulcioWithoutRekor"),
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"i","subjectEmail":"e"},"rekorPublicKeyPath":"/r"}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"i","subjectEmail":"e"},"rekorPublicKeyPath":""}]}"#,
        Some(
            "At least one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas must be specified if fulcio is used",
        ),
        Some("FulcioWithoutRekor"),
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","fulcio":{"caData":"","oidcIssuer":"i","subjectEmail":"e"},"rekorPublicKeyPath":"/r"}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","caData":"","oidcIssuer":"i","subjectEmail":"e"},"rekorPublicKeyPath":"/r"}]}"#,
        Some("caPath and caData cannot be used simultaneously"),
        Some("ConflictingSources"),
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/c","oidcIssuer":"","subjectEmail":"e"},"rekorPublicKeyPath":"/r"}]}"#,
        Some("oidcIssuer not specified"),
        Some("MissingValue"),
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","fulcio":null,"rekorPublicKeyPath":"/r"}]}"#,
        Some("JSON object expected, got <nil>"),
        Some("WrongType(Null)"),
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/c","subjectHostname":"h"}}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/c","subjectHostname":"h"},"rekorPublicKeyPath":""}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/c","subjectHostname":"h"},"rekorPublicKeyPath":"/r"}]}"#,
        Some(
            "rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas are not supported for pki",
        ),
        Some("RekorWithPki"),
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/c"}}]}"#,
        Some("At least one of subjectEmail, subjectHostname must be specified"),
        Some("PkiWithoutSubject"),
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/c","caIntermediatesData":"","subjectEmail":"e"}}]}"#,
        None,
        None,
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/c","caIntermediatesPath":"/i","caIntermediatesData":"","subjectEmail":"e"}}]}"#,
        Some("caIntermediatesPath and caIntermediatesData cannot be used simultaneously"),
        Some("ConflictingSources"),
    ),
    (
        r#"{"default":[{"type":"sigstoreSigned","keyType":"GPGKeys","keyPath":"/k"}]}"#,
        Some("Unknown key \"keyType\""),
        Some("UnknownKey"),
    ),
    (
        r#"{"default":[{"type":"reject"}]} {}"#,
        Some("invalid character '{' after top-level value"),
        Some("Syntax"),
    ),
    (r#"{"default":[{"type":"reject"}]}"#, None, None),
];

#[test]
fn every_section_18_vector_gets_c_image_s_verdict() {
    let mut failures = Vec::new();
    for (policy, go_error, kind) in VECTORS {
        let result = Policy::from_str(policy);
        match (&result, go_error, kind) {
            (Ok(_), None, None) => {}
            (Err(err), Some(_), Some(kind)) if kind_name(err.kind()) == *kind => {}
            _ => failures.push(format!(
                "{policy}\n  c/image: {go_error:?}, expected kind {kind:?}\n  ours: {}",
                match &result {
                    Ok(_) => "accepted".to_owned(),
                    Err(e) => format!("{} ({})", e, kind_name(e.kind())),
                }
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} vectors differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn accepted_section_18_vectors_round_trip() {
    for (policy, go_error, _) in VECTORS {
        if go_error.is_some() {
            continue;
        }
        let parsed = Policy::from_str(policy).unwrap();
        let written = parsed.to_json();
        let reparsed = Policy::from_str(&written)
            .unwrap_or_else(|e| panic!("{policy} wrote {written}, which does not parse: {e}"));
        assert_eq!(reparsed, parsed, "{policy} -> {written}");
    }
}
