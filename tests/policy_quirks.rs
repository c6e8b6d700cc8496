//! Go `encoding/json` quirks that change verdicts (policy-semantics.md §2.2), and the
//! locations our errors report. Expected verdicts marked "oracle" were recorded with
//! `cimage-eval --dump` (c/image 5.23.1).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::kind_name;
use containers_policy::Policy;
use containers_policy::policy::{GpgKeySource, Requirement};

fn signed_by_key_data(value: &str) -> Result<Vec<u8>, String> {
    let text =
        format!(r#"{{"default":[{{"type":"signedBy","keyType":"GPGKeys","keyData":{value}}}]}}"#);
    match Policy::from_str(&text) {
        Ok(policy) => match &policy.default_requirements()[0] {
            Requirement::SignedBy(s) => match s.keys() {
                GpgKeySource::Data(d) => Ok(d.clone()),
                other => panic!("unexpected source {other:?}"),
            },
            other => panic!("unexpected requirement {other:?}"),
        },
        Err(e) => Err(kind_name(e.kind())),
    }
}

#[test]
fn byte_fields_take_base64_strings_or_arrays_of_bytes() {
    // oracle: [null] -> "AA==", [0,255] -> "AP8=", [97,98] -> "YWI="
    assert_eq!(signed_by_key_data("[null]"), Ok(vec![0]));
    assert_eq!(signed_by_key_data("[0,255]"), Ok(vec![0, 255]));
    assert_eq!(signed_by_key_data("[97,98]"), Ok(b"ab".to_vec()));
    assert_eq!(signed_by_key_data("[]"), Ok(vec![]));
    assert_eq!(signed_by_key_data(r#""YW\nJj""#), Ok(b"abc".to_vec()));
    // oracle: each of these is "cannot unmarshal ... into Go value of type uint8/[]uint8"
    for bad in [
        "[256]", "[1.5]", "[-1]", "[1e1]", "[-0]", "[97.0]", r#"["a"]"#, "[[1]]", "{}", "true",
    ] {
        assert!(
            signed_by_key_data(bad)
                .unwrap_err()
                .starts_with("WrongType"),
            "{bad}"
        );
    }
    assert_eq!(signed_by_key_data(r#""YWJ""#), Err("InvalidBase64".into()));
}

#[test]
fn invalid_utf8_and_lone_surrogates_are_accepted_in_strings_as_in_go() {
    let mut bytes = br#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k"#.to_vec();
    bytes.extend_from_slice(b"\xff\xfe");
    bytes.extend_from_slice(br#""}]}"#);
    let policy = Policy::from_slice(&bytes).unwrap();
    let Requirement::SignedBy(s) = &policy.default_requirements()[0] else {
        panic!()
    };
    assert_eq!(s.keys(), &GpgKeySource::Path("/k\u{FFFD}\u{FFFD}".into()));

    let policy = Policy::from_str(
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k\ud800"}]}"#,
    )
    .unwrap();
    let Requirement::SignedBy(s) = &policy.default_requirements()[0] else {
        panic!()
    };
    assert_eq!(s.keys(), &GpgKeySource::Path("/k\u{FFFD}".into()));
    // Outside strings, invalid bytes are still a syntax error.
    assert!(Policy::from_slice(b"{\"default\":[{\"type\":\"reject\"}]}\xff").is_err());
}

#[test]
fn null_reads_as_the_zero_value_but_counts_as_present() {
    // signedBy decides the key source by presence: keyPath:null plus keyData is "two".
    let err = Policy::from_str(
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":null,"keyData":"YWJj"}]}"#,
    )
    .unwrap_err();
    assert_eq!(kind_name(err.kind()), "SignedByKeySources");
    // sigstoreSigned decides by value: keyPath:null does not count (policy-semantics §18).
    assert!(
        Policy::from_str(
            r#"{"default":[{"type":"sigstoreSigned","keyPath":null,"keyData":"YWJj"}]}"#
        )
        .is_ok()
    );
    // Exact-field identities: a null string is "" and then invalid.
    let err = Policy::from_str(
        r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactReference","dockerReference":null}}]}"#,
    )
    .unwrap_err();
    assert_eq!(kind_name(err.kind()), "InvalidReference");
}

#[test]
fn type_dispatch_is_lenient_first_then_strict() {
    // The lenient pass matches "TYPE" case-insensitively, so the type is known and the
    // strict pass reports the unknown key (policy-semantics.md §2.3).
    let err = Policy::from_str(r#"{"default":[{"TYPE":"reject"}]}"#).unwrap_err();
    assert_eq!(kind_name(err.kind()), "UnknownKey");
    // Last string wins in the lenient pass: "bogus" is the type.
    let err = Policy::from_str(r#"{"default":[{"type":"reject","Type":"bogus"}]}"#).unwrap_err();
    assert_eq!(kind_name(err.kind()), "UnknownRequirementType");
    // A type that is not a string fails the lenient pass.
    let err = Policy::from_str(r#"{"default":[{"type":1,"type":"reject"}]}"#).unwrap_err();
    assert_eq!(kind_name(err.kind()), "WrongType(Number)");
    // No type at all.
    let err = Policy::from_str(r#"{"default":[{}]}"#).unwrap_err();
    assert_eq!(kind_name(err.kind()), "MissingKey");
    // Type after other members still dispatches.
    assert!(
        Policy::from_str(r#"{"default":[{"keyPath":"/k","keyType":"GPGKeys","type":"signedBy"}]}"#)
            .is_ok()
    );
}

#[test]
fn errors_carry_line_column_and_json_path() {
    let text = "{\n  \"default\": [{\"type\": \"reject\"}],\n  \"transports\": {\n    \"docker\": {\n      \"quay.io/org\": [\n        {\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPaths\": [\"/a\", 7]}\n      ]\n    }\n  }\n}\n";
    let err = Policy::from_str(text).unwrap_err();
    assert_eq!(
        err.path().to_string(),
        r#"transports.docker["quay.io/org"][0].keyPaths[1]"#
    );
    assert_eq!(err.line(), Some(6));
    // The column points at the offending value (serde_json reports the byte after it).
    let line6 = text.lines().nth(5).unwrap();
    let seven = line6.find('7').unwrap() + 1;
    assert!(err.column().unwrap().abs_diff(seven) <= 1, "{err}");
    assert_eq!(kind_name(err.kind()), "WrongType(Number)");

    let err = Policy::from_str("{\"default\": [\n {\"type\": \"reject\",}]}").unwrap_err();
    assert_eq!(kind_name(err.kind()), "Syntax");
    assert_eq!(err.line(), Some(2));

    let err = Policy::from_str("{\"default\": [{\"type\": \"insecureAcceptAnything\"}], \"transports\": {\"dir\": {\"relative/path\": [{\"type\": \"reject\"}]}}}").unwrap_err();
    assert_eq!(kind_name(err.kind()), "InvalidScope");
    assert_eq!(err.path().to_string(), r#"transports.dir["relative/path"]"#);

    let err = Policy::from_str(r#"{"default": [{"type": "sigstoreSignd"}]}"#).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("\"sigstoreSignd\"") && message.contains("sigstoreSigned"),
        "{message}"
    );
}

#[test]
fn syntax_is_checked_before_structure_as_go_does() {
    // An unknown key early and a syntax error later: Go's Unmarshal validates the whole
    // text first, so the syntax error is the one reported.
    let err = Policy::from_str(r#"{"bogus": 1, "default": [}"#).unwrap_err();
    assert_eq!(kind_name(err.kind()), "Syntax");
    for text in [
        "",
        " ",
        "\u{feff}{\"default\":[{\"type\":\"reject\"}]}",
        "{\"default\":[{\"type\":\"reject\"}]} {}",
        "// c\n{}",
    ] {
        let err = Policy::from_str(text).unwrap_err();
        assert_eq!(kind_name(err.kind()), "Syntax", "{text:?}");
    }
}
