//! Manifest digests (policy-semantics.md §13, signature-formats.md §5.2).
//!
//! * `oracle_vectors`: every line of `tests/data/manifest_oracle.jsonl`, which records
//!   what containers/image 5.23.1's `manifest.Digest` (with its libtrust) returns for
//!   ~300 manifests: real libtrust-signed ones and hand-made edge cases (see
//!   `tests/data/manifest_oracle_gen/README.md`). A digest must match exactly; an error
//!   must be an error of the same kind (same libtrust text prefix); a Go panic must be an
//!   error here.
//! * the other tests pin each rule and each rejection path by name.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use base64::Engine as _;
use containers_policy::digest::Digest;
use containers_policy::manifest::{
    DOCKER_V2_SCHEMA2_MEDIA_TYPE, MAX_MANIFEST_SIZE, ManifestError, OCI_INDEX_MEDIA_TYPE,
    OCI_MANIFEST_MEDIA_TYPE, Schema1SignatureError, check_manifest_against, is_signed_schema1,
    manifest_digest, manifest_matches_digest,
};
use serde_json::Value;
use sha2::{Digest as _, Sha384, Sha512};

const EMPTY_SHA256: &str =
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn oracle() -> Vec<Value> {
    include_str!("data/manifest_oracle.jsonl")
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn oracle_input(case: &Value) -> Vec<u8> {
    match (case.get("in"), case.get("in_hex")) {
        (Some(text), _) => text.as_str().unwrap().as_bytes().to_vec(),
        (None, Some(hex)) => {
            let hex = hex.as_str().unwrap();
            (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect()
        }
        _ => panic!("oracle line without input: {case}"),
    }
}

fn sha256(bytes: &[u8]) -> String {
    Digest::sha256_of(bytes).to_string()
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn schema1_error(manifest: &[u8]) -> Schema1SignatureError {
    match manifest_digest(manifest) {
        Err(ManifestError::Schema1Signature(e)) => e,
        other => panic!("expected a schema 1 signature error, got {other:?}"),
    }
}

#[test]
fn oracle_vectors() {
    let cases = oracle();
    assert!(cases.len() > 250, "{} oracle cases", cases.len());
    let failures = check_oracle(&cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A larger oracle file, e.g. made by `mutate.py` (see
/// `tests/data/manifest_oracle_gen/README.md`).
#[test]
#[ignore = "needs MANIFEST_ORACLE_JSONL (see tests/data/manifest_oracle_gen)"]
fn oracle_file_from_env() {
    let path = std::env::var("MANIFEST_ORACLE_JSONL").expect("MANIFEST_ORACLE_JSONL");
    let cases: Vec<Value> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let failures = check_oracle(&cases);
    eprintln!("{} cases, {} failures", cases.len(), failures.len());
    assert!(
        failures.is_empty(),
        "{}",
        failures[..failures.len().min(20)].join("\n")
    );
}

fn check_oracle(cases: &[Value]) -> Vec<String> {
    let mut failures = Vec::new();
    for (line, case) in cases.iter().enumerate() {
        let input = oracle_input(case);
        let got = manifest_digest(&input);
        let ok = match (&got, case.get("digest"), case.get("err"), case.get("panic")) {
            (Ok(d), Some(want), _, _) => d.as_str() == want.as_str().unwrap(),
            (Err(e), None, Some(err), _) => {
                let want = err.as_str().unwrap();
                let first = want.split(": ").next().unwrap();
                e.to_string().starts_with(first)
            }
            (Err(_), None, None, Some(_)) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "line {}: got {got:?}, oracle {}",
                line + 1,
                serde_json::to_string(&serde_json::json!({
                    "digest": case.get("digest"),
                    "err": case.get("err"),
                    "panic": case.get("panic"),
                }))
                .unwrap()
            ));
        }
    }
    failures
}

/// The manifests that libtrust itself signed (`NewJSONSignature` + `Sign` +
/// `PrettySignature`) digest to the SHA-256 of the unsigned manifest they were made
/// from.
#[test]
fn real_libtrust_signatures_are_stripped() {
    let cases = oracle();
    let unsigned: Vec<Vec<u8>> = cases[..2].iter().map(oracle_input).collect();
    let mut seen = 0;
    for case in &cases[2..] {
        let input = oracle_input(case);
        let text = String::from_utf8_lossy(&input);
        if !(text.contains("oracle/m") || text.contains("oracle/c")) {
            continue;
        }
        let source = if text.contains("oracle/m") {
            &unsigned[0]
        } else {
            &unsigned[1]
        };
        assert!(is_signed_schema1(&input));
        let d = manifest_digest(&input).unwrap();
        assert_eq!(d.as_str(), sha256(source), "{text}");
        assert_eq!(d.as_str(), case["digest"].as_str().unwrap());
        assert_ne!(d.as_str(), sha256(&input));
        assert!(manifest_matches_digest(&input, &d).unwrap());
        check_manifest_against(&input, &d).unwrap();
        seen += 1;
    }
    assert_eq!(seen, 8, "libtrust-signed manifests in the oracle file");
}

#[test]
fn plain_bytes_are_hashed_as_is() {
    assert_eq!(
        manifest_digest(b"hello").unwrap().as_str(),
        "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    );
    assert_eq!(manifest_digest(b"").unwrap().as_str(), EMPTY_SHA256);
    for bytes in [&b"\xff\xfe"[..], b"{", b"[1]", b"null", b"{} {}"] {
        assert_eq!(manifest_digest(bytes).unwrap().as_str(), sha256(bytes));
    }
}

#[test]
fn schema2_oci_and_lists_are_not_stripped() {
    // Even with schemaVersion 1 and an unparseable `signatures`, a recognised mediaType
    // means "not schema 1".
    for media_type in [
        DOCKER_V2_SCHEMA2_MEDIA_TYPE,
        "application/vnd.docker.distribution.manifest.list.v2+json",
        OCI_MANIFEST_MEDIA_TYPE,
        OCI_INDEX_MEDIA_TYPE,
    ] {
        let m = format!(r#"{{"schemaVersion":1,"mediaType":"{media_type}","signatures":1}}"#);
        assert!(!is_signed_schema1(m.as_bytes()));
        assert_eq!(
            manifest_digest(m.as_bytes()).unwrap().as_str(),
            sha256(m.as_bytes())
        );
    }
    let v2s2 = format!(
        r#"{{"schemaVersion":2,"mediaType":"{DOCKER_V2_SCHEMA2_MEDIA_TYPE}","config":{{}},"layers":[]}}"#
    );
    assert_eq!(
        manifest_digest(v2s2.as_bytes()).unwrap().as_str(),
        sha256(v2s2.as_bytes())
    );
    // An OCI manifest without mediaType, schemaVersion 2.
    let oci = br#"{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json"},"signatures":1}"#;
    assert_eq!(manifest_digest(oci).unwrap().as_str(), sha256(oci));
}

#[test]
fn unsigned_schema1_is_not_stripped() {
    for m in [
        &br#"{"schemaVersion":1,"name":"a/b","fsLayers":[]}"#[..],
        br#"{"schemaVersion":1,"signatures":null}"#,
        br#"{"schemaVersion":1.0,"signatures":1}"#,
        br#"{"schemaVersion":"1","signatures":1}"#,
        br#"{"schemaVersion":1,"mediaType":5,"signatures":1}"#,
        br#"{"schemaVersion":1,"signatures":[1e400]}"#,
    ] {
        assert!(!is_signed_schema1(m));
        assert_eq!(manifest_digest(m).unwrap().as_str(), sha256(m));
    }
}

/// A pretty-signed manifest made by hand: `head` + signatures with the given protected
/// headers (already base64url) and JWK.
fn signed(head: &str, protected: &[String], jwk: Option<&str>) -> String {
    let entries: Vec<String> = protected
        .iter()
        .map(|p| {
            let header = match jwk {
                Some(jwk) => format!(r#"{{"jwk":{jwk},"alg":"ES256"}}"#),
                None => r#"{"alg":"ES256"}"#.to_owned(),
            };
            format!(r#"{{"header":{header},"signature":"AAAA","protected":"{p}"}}"#)
        })
        .collect();
    format!("{head},\n   \"signatures\": [{}]\n}}", entries.join(","))
}

const HEAD: &str = "{\n   \"schemaVersion\": 1,\n   \"name\": \"t/m\",\n   \"fsLayers\": []";

fn protected(length: &str, tail: &str) -> String {
    b64url(format!(r#"{{"formatLength":{length},"formatTail":"{tail}"}}"#).as_bytes())
}

fn std_protected() -> String {
    protected(&HEAD.len().to_string(), &b64url(b"\n}"))
}

#[test]
fn hand_signed_schema1_is_stripped() {
    let payload = format!("{HEAD}\n}}");
    let m = signed(HEAD, &[std_protected()], None);
    assert!(is_signed_schema1(m.as_bytes()));
    assert_eq!(
        manifest_digest(m.as_bytes()).unwrap().as_str(),
        sha256(payload.as_bytes())
    );
    // Two agreeing signatures; padding, spaces and newlines in the base64url.
    let spaced: String = std_protected()
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            if i == 5 {
                vec!['\\', 'n', c]
            } else if i == 9 {
                vec![' ', c]
            } else {
                vec![c]
            }
        })
        .collect();
    for second in [std_protected(), spaced] {
        let m = signed(HEAD, &[std_protected(), second], None);
        assert_eq!(
            manifest_digest(m.as_bytes()).unwrap().as_str(),
            sha256(payload.as_bytes())
        );
    }
    let m = signed(
        HEAD,
        &[protected(
            &HEAD.len().to_string(),
            &format!("{}=", b64url(b"\n}")),
        )],
        None,
    );
    assert_eq!(
        manifest_digest(m.as_bytes()).unwrap().as_str(),
        sha256(payload.as_bytes())
    );
    // A fractional formatLength is truncated.
    let m = signed(
        HEAD,
        &[protected(&format!("{}.9", HEAD.len()), &b64url(b"\n}"))],
        None,
    );
    assert_eq!(
        manifest_digest(m.as_bytes()).unwrap().as_str(),
        sha256(payload.as_bytes())
    );
    // libtrust's quirk: 0 and "" mean "not set yet", so a later entry sets them.
    let m = signed(HEAD, &[protected("0", ""), std_protected()], None);
    assert_eq!(
        manifest_digest(m.as_bytes()).unwrap().as_str(),
        sha256(payload.as_bytes())
    );
    // The payload may be the whole manifest plus the tail.
    let probe = signed(HEAD, &[protected("100", "")], None);
    let m = signed(HEAD, &[protected(&probe.len().to_string(), "")], None);
    assert_eq!(m.len(), probe.len());
    assert_eq!(
        manifest_digest(m.as_bytes()).unwrap().as_str(),
        sha256(m.as_bytes())
    );
}

#[test]
fn empty_signature_list_digests_the_empty_payload() {
    let m = format!("{HEAD},\n   \"signatures\": []\n}}");
    assert_eq!(
        manifest_digest(m.as_bytes()).unwrap().as_str(),
        EMPTY_SHA256
    );
    // `null` under the exact key, after a differently-cased non-null one.
    let m = br#"{"schemaVersion":1,"signatures":null,"Signatures":[]}"#;
    assert_eq!(manifest_digest(m).unwrap().as_str(), EMPTY_SHA256);
}

#[test]
fn signatures_not_a_list_is_rejected() {
    for list in [
        "1",
        "\"x\"",
        "{}",
        "true",
        "[1]",
        "[[]]",
        r#"[{"protected":5}]"#,
        r#"[{"header":5}]"#,
    ] {
        let m = format!(r#"{{"schemaVersion":1,"signatures":{list}}}"#);
        assert!(
            matches!(
                schema1_error(m.as_bytes()),
                Schema1SignatureError::InvalidSignatureList { .. }
            ),
            "{list}"
        );
    }
    let e = schema1_error(br#"{"schemaVersion":1,"signatures":1}"#);
    assert!(
        e.to_string()
            .starts_with("error unmarshalling signatures: "),
        "{e}"
    );
}

#[test]
fn missing_exact_signatures_key_is_rejected() {
    assert_eq!(
        schema1_error(br#"{"schemaVersion":1,"SIGNATURES":[]}"#),
        Schema1SignatureError::MissingSignatures
    );
}

#[test]
fn bad_base64_protected_is_rejected() {
    for p in ["@@@@", "a", "YQ===", "AAAA===="] {
        let m = signed(HEAD, &[p.to_owned()], None);
        assert!(
            matches!(
                schema1_error(m.as_bytes()),
                Schema1SignatureError::ProtectedNotBase64 { index: 0, .. }
            ),
            "{p}"
        );
    }
    let m = signed(HEAD, &[std_protected(), "@".repeat(8)], None);
    assert!(matches!(
        schema1_error(m.as_bytes()),
        Schema1SignatureError::ProtectedNotBase64 { index: 1, .. }
    ));
}

#[test]
fn protected_header_must_be_a_json_object() {
    for json in ["", "5", "[]", "\"x\"", "{", r#"{"formatLength":1e999}"#] {
        let m = signed(HEAD, &[b64url(json.as_bytes())], None);
        assert!(
            matches!(
                schema1_error(m.as_bytes()),
                Schema1SignatureError::InvalidProtectedHeader { index: 0, .. }
            ),
            "{json:?}"
        );
    }
}

#[test]
fn missing_format_length_or_tail_is_rejected() {
    let tail = b64url(b"\n}");
    for json in [
        format!(r#"{{"formatTail":"{tail}"}}"#),
        format!(r#"{{"formatLength":"5","formatTail":"{tail}"}}"#),
        format!(r#"{{"formatLength":null,"formatTail":"{tail}"}}"#),
        "null".to_owned(),
    ] {
        let m = signed(HEAD, &[b64url(json.as_bytes())], None);
        assert_eq!(
            schema1_error(m.as_bytes()),
            Schema1SignatureError::MissingFormatLength { index: 0 },
            "{json}"
        );
    }
    for json in [
        r#"{"formatLength":5}"#,
        r#"{"formatLength":5,"formatTail":5}"#,
    ] {
        let m = signed(HEAD, &[b64url(json.as_bytes())], None);
        assert_eq!(
            schema1_error(m.as_bytes()),
            Schema1SignatureError::MissingFormatTail { index: 0 }
        );
    }
    let m = signed(HEAD, &[protected("5", "@")], None);
    assert!(matches!(
        schema1_error(m.as_bytes()),
        Schema1SignatureError::FormatTailNotBase64 { index: 0, .. }
    ));
}

#[test]
fn conflicting_signatures_are_rejected() {
    let len = HEAD.len().to_string();
    let tail = b64url(b"\n}");
    let m = signed(HEAD, &[std_protected(), protected("10", &tail)], None);
    assert_eq!(
        schema1_error(m.as_bytes()),
        Schema1SignatureError::ConflictingFormatLength {
            index: 1,
            expected: HEAD.len() as i64,
            found: 10
        }
    );
    // A later 0 conflicts with an earlier length (only an earlier 0 is "unset").
    let m = signed(HEAD, &[std_protected(), protected("0", &tail)], None);
    assert!(matches!(
        schema1_error(m.as_bytes()),
        Schema1SignatureError::ConflictingFormatLength { index: 1, .. }
    ));
    let m = signed(
        HEAD,
        &[std_protected(), protected(&len, &b64url(b"\n }"))],
        None,
    );
    assert_eq!(
        schema1_error(m.as_bytes()),
        Schema1SignatureError::ConflictingFormatTail { index: 1 }
    );
    let m = signed(HEAD, &[std_protected(), protected(&len, "")], None);
    assert_eq!(
        schema1_error(m.as_bytes()),
        Schema1SignatureError::ConflictingFormatTail { index: 1 }
    );
}

#[test]
fn format_length_beyond_the_manifest_is_rejected() {
    let tail = b64url(b"\n}");
    let probe = signed(HEAD, &[protected("100", &tail)], None);
    let too_long = (probe.len() + 1).to_string();
    let m = signed(HEAD, &[protected(&too_long, &tail)], None);
    assert_eq!(m.len(), probe.len());
    assert_eq!(
        schema1_error(m.as_bytes()),
        Schema1SignatureError::FormatLengthTooLarge {
            format_length: probe.len() as i64 + 1,
            manifest_len: m.len()
        }
    );
    // Out of the range of a Go int: always an error.
    for huge in ["1e19", "1e300", "-1e300"] {
        let m = signed(HEAD, &[protected(huge, &tail)], None);
        assert!(manifest_digest(m.as_bytes()).is_err(), "{huge}");
    }
}

#[test]
fn negative_format_length_is_rejected() {
    let tail = b64url(b"\n}");
    let m = signed(HEAD, &[protected("-1", &tail)], None);
    assert_eq!(
        schema1_error(m.as_bytes()),
        Schema1SignatureError::NegativeFormatLength { format_length: -1 }
    );
    // -0.5 truncates to 0: not negative, and the payload is just the tail.
    let m = signed(HEAD, &[protected("-0.5", &tail)], None);
    assert_eq!(
        manifest_digest(m.as_bytes()).unwrap().as_str(),
        sha256(b"\n}")
    );
}

#[test]
fn invalid_jwk_is_rejected() {
    for jwk in [
        "null",
        "\"k\"",
        "{}",
        r#"{"kty":"oct"}"#,
        r#"{"kty":"EC","crv":"P-224","x":"AA","y":"AA"}"#,
        r#"{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#,
        r#"{"kty":"RSA","n":"AQAB","e":"AQAAAAE"}"#,
        r#"{"kty":"RSA","n":"AQAB","e":"AQAB","kid":"ABCD"}"#,
        r#"{"kty":"RSA","n":5,"e":"AQAB"}"#,
    ] {
        let m = signed(HEAD, &[std_protected()], Some(jwk));
        assert!(
            matches!(
                schema1_error(m.as_bytes()),
                Schema1SignatureError::InvalidPublicKey { index: 0, .. }
            ),
            "{jwk}"
        );
    }
    // A number overflowing float64 anywhere under `signatures` makes c/image's
    // detection fail first: the manifest is then digested as is.
    let m = signed(
        HEAD,
        &[std_protected()],
        Some(r#"{"kty":"RSA","extra":1e999}"#),
    );
    assert_eq!(
        manifest_digest(m.as_bytes()).unwrap().as_str(),
        sha256(m.as_bytes())
    );
    // Without `kid`, an RSA key is only parsed, not validated.
    let m = signed(
        HEAD,
        &[std_protected()],
        Some(r#"{"kty":"RSA","n":"","e":""}"#),
    );
    assert!(manifest_digest(m.as_bytes()).is_ok());
}

#[test]
fn nesting_follows_go_limits() {
    let tail = b64url(b"\n}");
    for (n, stripped) in [(200, true), (9_999, true), (10_000, false)] {
        let head = format!(
            r#"{{"schemaVersion": 1, "deep": {}{}"#,
            "[".repeat(n),
            "]".repeat(n)
        );
        let m = signed(&head, &[protected(&head.len().to_string(), &tail)], None);
        let want = if stripped {
            sha256(format!("{head}\n}}").as_bytes())
        } else {
            sha256(m.as_bytes())
        };
        assert_eq!(
            manifest_digest(m.as_bytes()).unwrap().as_str(),
            want,
            "depth {n}"
        );
    }
}

#[test]
fn only_sha256_ever_matches() {
    let m = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}"#;
    let sha256_digest = manifest_digest(m).unwrap();
    assert!(manifest_matches_digest(m, &sha256_digest).unwrap());
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let sha512 = Digest::parse(&format!("sha512:{}", hex(&Sha512::digest(m)))).unwrap();
    let sha384 = Digest::parse(&format!("sha384:{}", hex(&Sha384::digest(m)))).unwrap();
    for correct_but_not_sha256 in [&sha512, &sha384] {
        assert!(!manifest_matches_digest(m, correct_but_not_sha256).unwrap());
        assert!(matches!(
            check_manifest_against(m, correct_but_not_sha256),
            Err(ManifestError::DigestMismatch { .. })
        ));
    }
    let other = Digest::sha256_of(b"other");
    assert!(!manifest_matches_digest(m, &other).unwrap());
    // A digest that cannot be computed is an error, not a mismatch.
    let bad = br#"{"schemaVersion":1,"signatures":1}"#;
    assert!(manifest_matches_digest(bad, &Digest::sha256_of(bad)).is_err());
}

#[test]
fn check_against_expected_digest() {
    let m = b"{\"schemaVersion\":2}";
    let d = Digest::sha256_of(m);
    check_manifest_against(m, &d).unwrap();
    let other = Digest::sha256_of(b"x");
    let err = check_manifest_against(m, &other).unwrap_err();
    assert_eq!(
        err,
        ManifestError::DigestMismatch {
            expected: other.clone(),
            found: d.clone()
        }
    );
    assert_eq!(
        err.to_string(),
        format!("Manifest does not match provided manifest digest {other}")
    );
    let bad = br#"{"schemaVersion":1,"signatures":1}"#;
    let err = check_manifest_against(bad, &d).unwrap_err();
    assert!(matches!(
        err,
        ManifestError::ComputingDigest(Schema1SignatureError::InvalidSignatureList { .. })
    ));
    assert!(
        err.to_string()
            .starts_with("computing manifest digest: error unmarshalling signatures: ")
    );
}

#[test]
fn manifests_over_4_mib_are_refused() {
    let mut m = vec![b' '; MAX_MANIFEST_SIZE];
    assert_eq!(MAX_MANIFEST_SIZE, 4 << 20);
    let d = manifest_digest(&m).unwrap();
    assert!(manifest_matches_digest(&m, &d).unwrap());
    check_manifest_against(&m, &d).unwrap();
    m.push(b' ');
    let too_large = ManifestError::TooLarge {
        size: MAX_MANIFEST_SIZE + 1,
        limit: MAX_MANIFEST_SIZE,
    };
    assert_eq!(manifest_digest(&m), Err(too_large.clone()));
    assert_eq!(manifest_matches_digest(&m, &d), Err(too_large.clone()));
    assert_eq!(check_manifest_against(&m, &d), Err(too_large));
}
