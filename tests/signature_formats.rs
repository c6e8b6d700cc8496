//! Stored-signature blobs and signature payloads (signature-formats.md §1–§4,
//! policy-semantics.md §11.1, §11.3, §12.6): every classification branch, the strict
//! payload rules with a rejecting case each, and the Go `encoding/json` quirks that
//! decide verdicts.

use std::collections::BTreeMap;

use containers_policy::Digest;
use containers_policy::signature::{
    JsonFormatError, JsonKind, MAX_SIGNATURE_BLOB_SIZE, PayloadError, SIGSTORE_FORMAT,
    SIMPLE_SIGNING_FORMAT, SignatureFormatError, SigstorePayload, SimpleSigningPayload,
    UntrustedSignature, UntrustedSigstoreSignature,
};

const DIGEST: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const SIMPLE_TYPE: &str = "atomic container signature";
const SIGSTORE_TYPE: &str = "cosign container image signature";

// ---------------------------------------------------------------------------------
// Blob classification
// ---------------------------------------------------------------------------------

#[test]
fn openpgp_first_bytes_are_raw_simple_signing() {
    for byte in [
        0xA0u8, 0xA1, 0xA2, 0xA3, 0xC8, 0x90, 0x91, 0x92, 0x3D, 0xC4, 0x88, 0x89, 0x8A, 0x8B, 0xC2,
    ] {
        let blob = [byte, 1, 2, 3];
        assert_eq!(
            UntrustedSignature::from_blob(&blob),
            Ok(UntrustedSignature::SimpleSigning(blob.to_vec())),
            "first byte {byte:#x}"
        );
    }
}

#[test]
fn every_other_first_byte_is_unrecognized() {
    let accepted = [
        0xA0u8, 0xA1, 0xA2, 0xA3, 0xC8, 0x90, 0x91, 0x92, 0x3D, 0xC4, 0x88, 0x89, 0x8A, 0x8B, 0xC2,
        0x00,
    ];
    for byte in 0..=255u8 {
        if accepted.contains(&byte) {
            continue;
        }
        assert_eq!(
            UntrustedSignature::from_blob(&[byte, b'x']),
            Err(SignatureFormatError::UnrecognizedFirstByte { byte }),
            "first byte {byte:#x}"
        );
    }
}

#[test]
fn the_0x3d_quirk_is_reproduced_and_0x93_is_not_recognized() {
    assert!(matches!(
        UntrustedSignature::from_blob(b"=abc"),
        Ok(UntrustedSignature::SimpleSigning(_))
    ));
    let err = UntrustedSignature::from_blob(&[0x93, 0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unrecognized signature format, starting with binary 0x93"
    );
}

#[test]
fn armored_and_clearsigned_messages_are_unrecognized() {
    let err = UntrustedSignature::from_blob(b"-----BEGIN PGP SIGNED MESSAGE-----\n").unwrap_err();
    assert_eq!(
        err,
        SignatureFormatError::UnrecognizedFirstByte { byte: b'-' }
    );
    assert!(err.to_string().contains("starting with binary 0x2d"));
}

#[test]
fn empty_blob() {
    let err = UntrustedSignature::from_blob(b"").unwrap_err();
    assert_eq!(err, SignatureFormatError::Empty);
    assert_eq!(err.to_string(), "empty signature blob");
}

#[test]
fn too_large_blob() {
    let mut blob = vec![0xA3u8; MAX_SIGNATURE_BLOB_SIZE];
    assert!(UntrustedSignature::from_blob(&blob).is_ok());
    blob.push(0);
    assert_eq!(
        UntrustedSignature::from_blob(&blob),
        Err(SignatureFormatError::TooLarge {
            size: MAX_SIGNATURE_BLOB_SIZE + 1,
            limit: MAX_SIGNATURE_BLOB_SIZE
        })
    );
}

#[test]
fn prefixed_simple_signing() {
    assert_eq!(
        UntrustedSignature::from_blob(b"\0simple-signing\n\xa3data\nmore"),
        Ok(UntrustedSignature::SimpleSigning(
            b"\xa3data\nmore".to_vec()
        ))
    );
    // The chunk is not inspected, and may be empty.
    assert_eq!(
        UntrustedSignature::from_blob(b"\0simple-signing\n"),
        Ok(UntrustedSignature::SimpleSigning(Vec::new()))
    );
}

#[test]
fn missing_newline() {
    assert_eq!(
        UntrustedSignature::from_blob(b"\0simple-signing"),
        Err(SignatureFormatError::MissingNewline)
    );
    assert_eq!(
        UntrustedSignature::from_blob(b"\0"),
        Err(SignatureFormatError::MissingNewline)
    );
}

#[test]
fn non_printable_format_name_bytes() {
    for (blob, byte, offset) in [
        (&b"\0format\xffname\ndata"[..], 0xFF, 6),
        (b"\0\x1f\n", 0x1F, 0),
        (b"\0ab\x7f\n", 0x7F, 2),
        (b"\0a\tb\n", b'\t', 1),
        (b"\0a\0\n", 0, 1),
    ] {
        assert_eq!(
            UntrustedSignature::from_blob(blob),
            Err(SignatureFormatError::NonAsciiFormatName { byte, offset }),
            "{blob:?}"
        );
    }
    // Space and tilde are the printable bounds.
    assert_eq!(
        UntrustedSignature::from_blob(b"\0 ~\n"),
        Err(SignatureFormatError::UnrecognizedFormat {
            format: " ~".to_owned()
        })
    );
}

#[test]
fn unknown_format_names() {
    for name in [
        "unknown-format",
        "",
        "Simple-Signing",
        "sigstore-json ",
        "sigstore",
    ] {
        let blob = format!("\0{name}\ndata");
        let err = UntrustedSignature::from_blob(blob.as_bytes()).unwrap_err();
        assert_eq!(
            err,
            SignatureFormatError::UnrecognizedFormat {
                format: name.to_owned()
            }
        );
        assert_eq!(
            err.to_string(),
            format!("unrecognized signature format {name:?}")
        );
    }
}

#[test]
fn sigstore_blob_round_trip() {
    let sig = UntrustedSigstoreSignature {
        mime_type: "mime-type".to_owned(),
        payload: b"payload".to_vec(),
        annotations: BTreeMap::from([
            ("c".to_owned(), "d".to_owned()),
            ("a".to_owned(), "b".to_owned()),
        ]),
    };
    let blob = UntrustedSignature::Sigstore(sig.clone()).to_blob();
    assert_eq!(
        blob,
        b"\0sigstore-json\n{\"mimeType\":\"mime-type\",\"payload\":\"cGF5bG9hZA==\",\"annotations\":{\"a\":\"b\",\"c\":\"d\"}}"
    );
    assert_eq!(
        UntrustedSignature::from_blob(&blob),
        Ok(UntrustedSignature::Sigstore(sig))
    );
}

#[test]
fn empty_sigstore_signature_round_trip() {
    let sig = UntrustedSigstoreSignature::default();
    assert_eq!(
        sig.to_blob_chunk(),
        br#"{"mimeType":"","payload":"","annotations":{}}"#
    );
    let blob = UntrustedSignature::Sigstore(sig.clone()).to_blob();
    assert_eq!(
        UntrustedSignature::from_blob(&blob),
        Ok(UntrustedSignature::Sigstore(sig))
    );
}

#[test]
fn sigstore_chunk_writer_escapes_like_go() {
    let sig = UntrustedSigstoreSignature {
        mime_type: "a<b>&\"\\\n\u{1}\u{2028}é".to_owned(),
        payload: vec![0xFF, 0x00],
        annotations: BTreeMap::new(),
    };
    let chunk = String::from_utf8(sig.to_blob_chunk()).unwrap();
    assert_eq!(
        chunk,
        r#"{"mimeType":"a\u003cb\u003e\u0026\"\\\n\u0001\u2028é","payload":"/wA=","annotations":{}}"#
    );
    assert_eq!(
        UntrustedSigstoreSignature::from_blob_chunk(chunk.as_bytes()),
        Ok(sig)
    );
}

#[test]
fn simple_signing_blob_is_written_raw() {
    let sig = UntrustedSignature::SimpleSigning(b"\xa3abc".to_vec());
    assert_eq!(sig.to_blob(), b"\xa3abc");
    assert_eq!(sig.format_id(), SIMPLE_SIGNING_FORMAT);
    assert_eq!(
        UntrustedSignature::Sigstore(UntrustedSigstoreSignature::default()).format_id(),
        SIGSTORE_FORMAT
    );
}

#[test]
fn unsupported_format_texts() {
    assert_eq!(
        SignatureFormatError::unsupported("simple-signing").to_string(),
        "unsupported signature format simple-signing"
    );
    assert_eq!(
        SignatureFormatError::unsupported("sigstore-json").to_string(),
        "unsupported signature format sigstore-json"
    );
    assert_eq!(
        SignatureFormatError::unsupported("invalid").to_string(),
        "unsupported, and unrecognized, signature format \"invalid\""
    );
}

// ---------------------------------------------------------------------------------
// The sigstore-json chunk: Go's lenient struct decoding
// ---------------------------------------------------------------------------------

fn chunk(json: &str) -> Result<UntrustedSigstoreSignature, SignatureFormatError> {
    UntrustedSigstoreSignature::from_blob_chunk(json.as_bytes())
}

fn chunk_ok(json: &str) -> UntrustedSigstoreSignature {
    chunk(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn chunk_err(json: &str) -> JsonFormatError {
    match chunk(json) {
        Err(SignatureFormatError::InvalidSigstoreChunk(e)) => e,
        other => panic!("{json}: expected a chunk error, got {other:?}"),
    }
}

#[test]
fn chunk_keys_match_case_insensitively_and_unknown_keys_are_ignored() {
    let sig = chunk_ok(
        r#"{"MIMETYPE":"m","PayLoad":"cA==","ANNOTATIONS":{"k":"v"},"other":[1,{"x":null}]}"#,
    );
    assert_eq!(sig.mime_type, "m");
    assert_eq!(sig.payload, b"p");
    assert_eq!(sig.annotations, BTreeMap::from([("k".into(), "v".into())]));
}

#[test]
fn chunk_keys_fold_like_go() {
    // Go folds with ToUpper(ToLower(r)): long s, dotless i and dotted capital I match.
    let sig = chunk_ok(r#"{"mımeType":"a","annotation\u017f":{"k":"v"}}"#);
    assert_eq!(sig.mime_type, "a");
    assert_eq!(sig.annotations.len(), 1);
    let sig = chunk_ok("{\"m\u{130}meType\":\"b\"}");
    assert_eq!(sig.mime_type, "b");
    // Not a fold: an accented letter is just an unknown key.
    let sig = chunk_ok(r#"{"mïmeType":"c"}"#);
    assert_eq!(sig.mime_type, "");
}

#[test]
fn chunk_duplicates_last_wins_and_annotations_merge() {
    let sig = chunk_ok(
        r#"{"mimeType":"a","mimetype":"b","payload":"YQ==","payload":"Yg==",
            "annotations":{"x":"1","y":"2"},"annotations":{"y":"3","z":"4"}}"#,
    );
    assert_eq!(sig.mime_type, "b");
    assert_eq!(sig.payload, b"b");
    assert_eq!(
        sig.annotations,
        BTreeMap::from([
            ("x".into(), "1".into()),
            ("y".into(), "3".into()),
            ("z".into(), "4".into())
        ])
    );
}

#[test]
fn chunk_null_semantics() {
    // null leaves a string alone, clears a byte slice and a map.
    let sig = chunk_ok(
        r#"{"mimeType":"a","mimeType":null,"payload":"YQ==","payload":null,
            "annotations":{"x":"1"},"annotations":null,"annotations":{"y":null}}"#,
    );
    assert_eq!(sig.mime_type, "a");
    assert!(sig.payload.is_empty());
    assert_eq!(
        sig.annotations,
        BTreeMap::from([("y".into(), String::new())])
    );
    // A whole-document null is an empty signature.
    assert_eq!(chunk_ok(" null "), UntrustedSigstoreSignature::default());
    assert_eq!(chunk_ok("{}"), UntrustedSigstoreSignature::default());
}

#[test]
fn chunk_payload_base64_rules() {
    // \r and \n are ignored anywhere; non-canonical trailing bits are accepted.
    assert_eq!(
        chunk_ok(r#"{"payload":"cGF5\r\nbG9h\nZA=\n="}"#).payload,
        b"payload"
    );
    assert_eq!(chunk_ok(r#"{"payload":"QR=="}"#).payload, b"A");
    assert_eq!(chunk_ok(r#"{"payload":""}"#).payload, b"");
    for bad in [
        "cGF5bG9hZA",
        "cGF5 bG9hZA==",
        "cGF5bG9hZA-_",
        "=",
        "QQ==QQ==",
    ] {
        assert!(
            matches!(
                chunk_err(&format!(r#"{{"payload":"{bad}"}}"#)),
                JsonFormatError::InvalidBase64 { .. }
            ),
            "{bad}"
        );
    }
}

#[test]
fn chunk_payload_as_byte_array() {
    assert_eq!(
        chunk_ok(r#"{"payload":[112, 97, 0, 255]}"#).payload,
        b"pa\0\xff"
    );
    assert_eq!(chunk_ok(r#"{"payload":[]}"#).payload, b"");
    // A null element keeps the byte already in Go's backing array.
    assert_eq!(
        chunk_ok(r#"{"payload":"YWJj","payload":[null,120]}"#).payload,
        b"ax"
    );
    assert_eq!(chunk_ok(r#"{"payload":[null]}"#).payload, b"\0");
    for bad in ["[256]", "[-1]", "[1.0]", "[1e2]", "[\"a\"]", "[[1]]"] {
        chunk_err(&format!(r#"{{"payload":{bad}}}"#));
    }
}

#[test]
fn chunk_type_errors() {
    for (json, path, found) in [
        (r#"{"mimeType":1}"#, "$.mimeType", JsonKind::Number),
        (r#"{"payload":{}}"#, "$.payload", JsonKind::Object),
        (r#"{"annotations":[]}"#, "$.annotations", JsonKind::Array),
        (
            r#"{"annotations":{"a":1}}"#,
            "$.annotations.a",
            JsonKind::Number,
        ),
        ("[]", "$", JsonKind::Array),
        ("\"x\"", "$", JsonKind::String),
        ("true", "$", JsonKind::Bool),
    ] {
        match chunk_err(json) {
            JsonFormatError::TypeMismatch {
                path: p, found: f, ..
            } => {
                assert_eq!((p.as_str(), f), (path, found), "{json}");
            }
            other => panic!("{json}: {other:?}"),
        }
    }
}

#[test]
fn chunk_syntax_errors() {
    for bad in [
        "&",
        "",
        "{",
        r#"{"mimeType":"a"}x"#,
        r#"{"mimeType":"a",}"#,
        "\u{feff}{}",
    ] {
        assert!(
            matches!(chunk_err(bad), JsonFormatError::Syntax { .. }),
            "{bad:?}"
        );
    }
}

#[test]
fn fixture_like_sigstore_blob() {
    let blob = b"\0sigstore-json\n{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"e30=\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"MEUC\"}}";
    let Ok(UntrustedSignature::Sigstore(sig)) = UntrustedSignature::from_blob(blob) else {
        panic!("not a sigstore signature");
    };
    assert_eq!(sig.payload, b"{}");
    assert!(
        sig.annotations
            .contains_key("dev.cosignproject.cosign/signature")
    );
}

// ---------------------------------------------------------------------------------
// Payloads
// ---------------------------------------------------------------------------------

fn doc(type_: &str, optional: &str) -> String {
    format!(
        r#"{{"critical":{{"identity":{{"docker-reference":"reference#@!"}},"image":{{"docker-manifest-digest":"{DIGEST}"}},"type":"{type_}"}},"optional":{optional}}}"#
    )
}

fn simple(json: &str) -> Result<SimpleSigningPayload, PayloadError> {
    SimpleSigningPayload::parse(json.as_bytes())
}

fn sigstore(json: &str) -> Result<SigstorePayload, PayloadError> {
    SigstorePayload::parse(json.as_bytes())
}

/// Parses with both families (each with its own type string) and checks they agree.
fn both(optional: &str) -> Result<(Option<String>, Option<i64>), PayloadError> {
    let a = simple(&doc(SIMPLE_TYPE, optional)).map(|p| (p.creator, p.timestamp));
    let b = sigstore(&doc(SIGSTORE_TYPE, optional)).map(|p| (p.creator, p.timestamp));
    match (&a, &b) {
        (Ok(x), Ok(y)) => assert_eq!(x, y, "families disagree on optional {optional}"),
        (Err(x), Err(y)) => assert_eq!(
            std::mem::discriminant(x),
            std::mem::discriminant(y),
            "families disagree on optional {optional}: {x:?} / {y:?}"
        ),
        _ => panic!("families disagree on optional {optional}: {a:?} / {b:?}"),
    }
    a
}

#[test]
fn full_payloads_parse() {
    let p = simple(&doc(
        SIMPLE_TYPE,
        r#"{"creator":"CREATOR","timestamp":1484683104}"#,
    ))
    .unwrap();
    assert_eq!(p.docker_manifest_digest.as_str(), DIGEST);
    assert_eq!(p.docker_reference, "reference#@!");
    assert_eq!(p.creator.as_deref(), Some("CREATOR"));
    assert_eq!(p.timestamp, Some(1484683104));
    let p = sigstore(&doc(SIGSTORE_TYPE, "{}")).unwrap();
    assert_eq!((p.creator, p.timestamp), (None, None));
}

#[test]
fn optional_null_differs_between_families() {
    assert!(matches!(
        simple(&doc(SIMPLE_TYPE, "null")),
        Err(PayloadError::Json(JsonFormatError::ObjectExpected {
            found: JsonKind::Null,
            ..
        }))
    ));
    let p = sigstore(&doc(SIGSTORE_TYPE, "null")).unwrap();
    assert_eq!((p.creator, p.timestamp), (None, None));
    // Only the exact bytes `null` (Go compares the raw message).
    for other in ["1", "[]", "\"\"", "true"] {
        assert!(sigstore(&doc(SIGSTORE_TYPE, other)).is_err(), "{other}");
        assert!(simple(&doc(SIMPLE_TYPE, other)).is_err(), "{other}");
    }
}

#[test]
fn types_are_not_interchangeable() {
    assert_eq!(
        simple(&doc(SIGSTORE_TYPE, "{}")),
        Err(PayloadError::UnrecognizedType {
            expected: SIMPLE_TYPE,
            found: SIGSTORE_TYPE.to_owned()
        })
    );
    assert!(matches!(
        sigstore(&doc(SIMPLE_TYPE, "{}")),
        Err(PayloadError::UnrecognizedType { .. })
    ));
    // `null` reads as "", which is then the wrong type.
    let json = doc(SIMPLE_TYPE, "{}").replace(&format!("\"{SIMPLE_TYPE}\""), "null");
    assert_eq!(
        simple(&json),
        Err(PayloadError::UnrecognizedType {
            expected: SIMPLE_TYPE,
            found: String::new()
        })
    );
    // Case matters.
    let json = doc("Atomic container signature", "{}");
    assert!(matches!(
        simple(&json),
        Err(PayloadError::UnrecognizedType { .. })
    ));
}

#[test]
fn optional_creator_and_timestamp_rules() {
    assert_eq!(both(r#"{"creator":null}"#), Ok((Some(String::new()), None)));
    assert_eq!(both(r#"{"timestamp":null}"#), Ok((None, Some(0))));
    assert_eq!(both(r#"{"timestamp":1e3}"#), Ok((None, Some(1000))));
    assert_eq!(both(r#"{"timestamp":1.0}"#), Ok((None, Some(1))));
    assert_eq!(both(r#"{"timestamp":-0.0}"#), Ok((None, Some(0))));
    assert_eq!(both(r#"{"timestamp":-1}"#), Ok((None, Some(-1))));
    assert_eq!(both(r#"{"timestamp":1E+2}"#), Ok((None, Some(100))));
    // Above 2^53 the float rounds, silently.
    assert_eq!(
        both(r#"{"timestamp":9007199254740993}"#),
        Ok((None, Some(9007199254740992)))
    );
    // -2^63 survives Go's int64 conversion; 2^63 does not (it saturates to -2^63).
    assert_eq!(
        both(r#"{"timestamp":-9223372036854775808}"#),
        Ok((None, Some(i64::MIN)))
    );
    for bad in [
        "9223372036854775807",
        "9223372036854775808",
        "1e19",
        "-1e19",
    ] {
        assert!(
            matches!(
                both(&format!(r#"{{"timestamp":{bad}}}"#)),
                Err(PayloadError::TimestampNotInteger { .. })
            ),
            "{bad}"
        );
    }
    assert_eq!(
        both(r#"{"timestamp":0.5}"#),
        Err(PayloadError::TimestampNotInteger { value: 0.5 })
    );
    // Beyond float64: Go's number decoding fails.
    assert!(matches!(
        both(r#"{"timestamp":1e400}"#),
        Err(PayloadError::Json(JsonFormatError::NumberOutOfRange { .. }))
    ));
    for (bad, found) in [
        (r#"{"timestamp":"1"}"#, JsonKind::String),
        (r#"{"timestamp":true}"#, JsonKind::Bool),
        (r#"{"creator":1}"#, JsonKind::Number),
        (r#"{"creator":["a"]}"#, JsonKind::Array),
    ] {
        match both(bad) {
            Err(PayloadError::Json(JsonFormatError::TypeMismatch { found: f, .. })) => {
                assert_eq!(f, found, "{bad}");
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn unknown_optional_members_are_ignored_but_decoded_as_go_any() {
    assert_eq!(
        both(r#"{"unexpected":1,"x":{"a":[1,2,{"b":null}]},"Creator":5}"#),
        Ok((None, None))
    );
    // Go decodes them into `any`: numbers beyond float64 are errors.
    assert!(matches!(
        both(r#"{"x":[1e400]}"#),
        Err(PayloadError::Json(JsonFormatError::NumberOutOfRange { .. }))
    ));
    // Duplicates are rejected in optional too, even of unknown members.
    assert!(matches!(
        both(r#"{"x":1,"x":1}"#),
        Err(PayloadError::Json(JsonFormatError::DuplicateKey { .. }))
    ));
    assert!(matches!(
        both(r#"{"creator":"a","creator":"a"}"#),
        Err(PayloadError::Json(JsonFormatError::DuplicateKey { .. }))
    ));
}

#[test]
fn structure_mutations_are_rejected() {
    let base = doc(
        SIMPLE_TYPE,
        r#"{"creator":"CREATOR","timestamp":1484683104}"#,
    );
    assert!(simple(&base).is_ok());
    let digest_member = format!(r#""docker-manifest-digest":"{DIGEST}""#);
    type Check = fn(&PayloadError) -> bool;
    let mutations: Vec<(String, Check)> = vec![
        (
            base.replacen(
                r#","optional":{"creator":"CREATOR","timestamp":1484683104}"#,
                "",
                1,
            ),
            |e| matches!(e, PayloadError::Json(JsonFormatError::MissingKey { key, .. }) if key == "optional"),
        ),
        (
            base.replacen(r#""critical":"#, r#""unexpected":1,"critical":"#, 1),
            |e| matches!(e, PayloadError::Json(JsonFormatError::UnknownKey { .. })),
        ),
        (base.replacen(r#"{"critical""#, r#"{"Critical""#, 1), |e| {
            matches!(e, PayloadError::Json(JsonFormatError::UnknownKey { .. }))
        }),
        (
            base.replacen(r#""type":"#, r#""unexpected":1,"type":"#, 1),
            |e| matches!(e, PayloadError::Json(JsonFormatError::UnknownKey { path, .. }) if path == "$.critical"),
        ),
        (
            base.replacen(&digest_member, "", 1),
            |e| matches!(e, PayloadError::Json(JsonFormatError::MissingKey { path, .. }) if path == "$.critical.image"),
        ),
        (
            base.replacen(&digest_member, &format!("{digest_member},\"x\":1"), 1),
            |e| matches!(e, PayloadError::Json(JsonFormatError::UnknownKey { .. })),
        ),
        (
            base.replacen(r#""docker-reference":"reference#@!""#, "", 1),
            |e| matches!(e, PayloadError::Json(JsonFormatError::MissingKey { path, .. }) if path == "$.critical.identity"),
        ),
        (
            base.replacen(
                r#""docker-reference":"reference#@!""#,
                r#""docker-reference":1"#,
                1,
            ),
            |e| matches!(e, PayloadError::Json(JsonFormatError::TypeMismatch { .. })),
        ),
        (
            base.replacen(r#"{"docker-reference":"reference#@!"}"#, "null", 1),
            |e| {
                matches!(
                    e,
                    PayloadError::Json(JsonFormatError::ObjectExpected {
                        found: JsonKind::Null,
                        ..
                    })
                )
            },
        ),
        (r#"{"critical":null,"optional":{}}"#.to_owned(), |e| {
            matches!(
                e,
                PayloadError::Json(JsonFormatError::ObjectExpected { .. })
            )
        }),
        (format!("{base}{{}}"), |e| {
            matches!(e, PayloadError::Json(JsonFormatError::Syntax { .. }))
        }),
        (format!("\u{feff}{base}"), |e| {
            matches!(e, PayloadError::Json(JsonFormatError::Syntax { .. }))
        }),
        (base.replacen("reference#@!", "a\u{1}b", 1), |e| {
            matches!(e, PayloadError::Json(JsonFormatError::Syntax { .. }))
        }),
        (
            base.replacen(r#""image":"#, r#""image":{},"image":"#, 1),
            |e| matches!(e, PayloadError::Json(JsonFormatError::DuplicateKey { .. })),
        ),
        (
            "null".to_owned(),
            |e| matches!(e, PayloadError::Json(JsonFormatError::ObjectExpected { path, .. }) if path == "$"),
        ),
        ("[]".to_owned(), |e| {
            matches!(
                e,
                PayloadError::Json(JsonFormatError::ObjectExpected { .. })
            )
        }),
        (String::new(), |e| {
            matches!(e, PayloadError::Json(JsonFormatError::Syntax { .. }))
        }),
    ];
    for (json, expected) in mutations {
        let err = simple(&json).unwrap_err();
        assert!(expected(&err), "{json}: {err:?}");
    }
}

#[test]
fn the_first_problem_in_document_order_is_reported() {
    // An unknown key before a type error: the unknown key.
    let json = r#"{"unexpected":1,"critical":1,"optional":{}}"#;
    assert!(matches!(
        simple(json),
        Err(PayloadError::Json(JsonFormatError::UnknownKey { .. }))
    ));
    // optional is checked before critical, whatever the order in the document.
    let json = doc("wrong", r#"{"timestamp":0.5}"#);
    assert!(matches!(
        simple(&json),
        Err(PayloadError::TimestampNotInteger { .. })
    ));
}

#[test]
fn keys_compare_after_unescaping() {
    let json = doc(SIMPLE_TYPE, "{}").replace(r#""type""#, r#""\u0074ype""#);
    assert!(simple(&json).is_ok());
    let json = doc(SIMPLE_TYPE, "{}").replace(
        r#""type":"atomic container signature""#,
        r#""type":"atomic container signature","\u0074ype":"x""#,
    );
    assert!(matches!(
        simple(&json),
        Err(PayloadError::Json(JsonFormatError::DuplicateKey { key, .. })) if key == "type"
    ));
}

#[test]
fn digest_validation() {
    for (digest, ok) in [
        (DIGEST.to_owned(), true),
        (format!("sha512:{}", "0".repeat(128)), true),
        (format!("sha384:{}", "0".repeat(96)), true),
        ("sha256:../..".to_owned(), false),
        (DIGEST.to_uppercase(), false),
        (format!("sha256:{}", "A".repeat(64)), false),
        (format!("sha256:{}", "a".repeat(63)), false),
        ("md5:d41d8cd98f00b204e9800998ecf8427e".to_owned(), false),
        (String::new(), false),
    ] {
        let json = doc(SIMPLE_TYPE, "{}").replace(DIGEST, &digest);
        match simple(&json) {
            Ok(p) => assert!(ok, "{digest} accepted: {p:?}"),
            Err(PayloadError::InvalidDigest { value, .. }) => {
                assert!(!ok, "{digest} rejected");
                assert_eq!(value, digest);
            }
            Err(other) => panic!("{digest}: {other}"),
        }
    }
    // null reads as "" and fails validation.
    let json = doc(SIMPLE_TYPE, "{}").replace(&format!("\"{DIGEST}\""), "null");
    assert!(matches!(
        simple(&json),
        Err(PayloadError::InvalidDigest { value, .. }) if value.is_empty()
    ));
}

#[test]
fn docker_reference_is_any_string_with_go_text_decoding() {
    let parse = |reference: &[u8]| {
        let mut json = br#"{"critical":{"identity":{"docker-reference":""#.to_vec();
        json.extend_from_slice(reference);
        json.extend_from_slice(
            format!(r#""}},"image":{{"docker-manifest-digest":"{DIGEST}"}},"type":"{SIMPLE_TYPE}"}},"optional":{{}}}}"#)
                .as_bytes(),
        );
        SimpleSigningPayload::parse(&json).map(|p| p.docker_reference)
    };
    assert_eq!(
        parse(b"NOT a reference!"),
        Ok("NOT a reference!".to_owned())
    );
    assert_eq!(parse(b""), Ok(String::new()));
    // Invalid UTF-8: one U+FFFD per byte; lone surrogates: U+FFFD.
    assert_eq!(
        parse(b"a\xF0\x9F\x98b"),
        Ok("a\u{FFFD}\u{FFFD}\u{FFFD}b".to_owned())
    );
    assert_eq!(parse(br"\ud800x"), Ok("\u{FFFD}x".to_owned()));
    assert_eq!(parse(br"\udc00\ud800"), Ok("\u{FFFD}\u{FFFD}".to_owned()));
    assert_eq!(parse(br"\ud83d\ude00"), Ok("\u{1F600}".to_owned()));
    assert_eq!(parse(br"\ud800\u0041"), Ok("\u{FFFD}A".to_owned()));
    assert_eq!(
        parse(br#"\"\\\/\b\f\n\r\t"#),
        Ok("\"\\/\u{8}\u{c}\n\r\t".to_owned())
    );
    // Invalid escapes are syntax errors.
    assert!(parse(br"\x").is_err());
    assert!(parse(br"\u12").is_err());
}

#[test]
fn whitespace_and_nesting_limits() {
    let json = format!(
        " \t\r\n{} \n",
        doc(SIMPLE_TYPE, "{ }").replace("\":", "\" :\n ")
    );
    assert!(simple(&json).is_ok());
    // Go's decoder allows 10000 nested levels (the top-level object is one).
    let nested = |levels: usize| {
        let inner = format!("{}{}", "[".repeat(levels), "]".repeat(levels));
        doc(SIMPLE_TYPE, &format!(r#"{{"deep":{inner}}}"#))
    };
    assert!(simple(&nested(10_000 - 2)).is_ok());
    assert!(matches!(
        simple(&nested(10_000 - 1)),
        Err(PayloadError::Json(JsonFormatError::TooDeep {
            limit: 10_000,
            ..
        }))
    ));
}

#[test]
fn syntax_errors_anywhere_are_rejected() {
    for bad in [
        r#"{"x":01}"#,
        r#"{"x":1.}"#,
        r#"{"x":-}"#,
        r#"{"x":.5}"#,
        r#"{"x":+1}"#,
        r#"{"x":tru}"#,
        r#"{"x":[1,]}"#,
        r#"{"x":{"a":1,}}"#,
        r#"{"x":NaN}"#,
        r#"{"x":'a'}"#,
        r#"{"x":1 /* c */}"#,
    ] {
        assert!(
            matches!(
                both(bad),
                Err(PayloadError::Json(JsonFormatError::Syntax { .. }))
            ),
            "{bad}"
        );
    }
}

#[test]
fn error_messages_name_field_expectation_and_finding() {
    let err = both(r#"{"creator":1}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid signature payload: $.optional.creator: expected a string, found a number"
    );
    let err = simple(&doc("x", "{}")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid signature payload: unrecognized signature type \"x\", expected \"atomic container signature\""
    );
    let err = simple(r#"{"critical":{},"optional":{}} x"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid signature payload: invalid JSON at byte 30: expected the end of the document after the top-level value, found 'x'"
    );
}

// ---------------------------------------------------------------------------------
// Writing payloads
// ---------------------------------------------------------------------------------

fn digest() -> Digest {
    Digest::parse(DIGEST).unwrap()
}

#[test]
fn marshal_matches_c_image_byte_for_byte() {
    let p = SimpleSigningPayload::new(digest(), "reference#@!")
        .with_creator("CREATOR")
        .with_timestamp(1484683104);
    assert_eq!(
        p.to_json().unwrap(),
        format!(
            r#"{{"critical":{{"identity":{{"docker-reference":"reference#@!"}},"image":{{"docker-manifest-digest":"{DIGEST}"}},"type":"atomic container signature"}},"optional":{{"creator":"CREATOR","timestamp":1484683104}}}}"#
        )
    );
    let p = SigstorePayload::new(digest(), "reference#@!");
    assert_eq!(
        p.to_json().unwrap(),
        format!(
            r#"{{"critical":{{"identity":{{"docker-reference":"reference#@!"}},"image":{{"docker-manifest-digest":"{DIGEST}"}},"type":"cosign container image signature"}},"optional":{{}}}}"#
        )
    );
    let p = SigstorePayload::new(digest(), "r").with_timestamp(-5);
    assert!(
        p.to_json()
            .unwrap()
            .ends_with(r#""optional":{"timestamp":-5}}"#)
    );
}

#[test]
fn marshal_escapes_like_go() {
    let p = SimpleSigningPayload::new(digest(), "<a>&b\u{2028}\u{2029}\u{7f}\u{8}\u{c}\u{1f}é\"\\")
        .with_creator("\t\n\r");
    let json = p.to_json().unwrap();
    assert!(
        json.contains(
            r#""docker-reference":"\u003ca\u003e\u0026b\u2028\u2029\u{7f}\b\f\u001fé\"\\""#
                .replace(r"\u{7f}", "\u{7f}")
                .as_str()
        ),
        "{json}"
    );
    assert!(json.contains(r#""creator":"\t\n\r""#), "{json}");
    // And it reads back.
    assert_eq!(SimpleSigningPayload::parse(json.as_bytes()), Ok(p));
}

#[test]
fn marshal_refuses_an_empty_reference() {
    assert_eq!(
        SimpleSigningPayload::new(digest(), "").to_json(),
        Err(PayloadError::EmptyField {
            field: "docker-reference"
        })
    );
    assert!(SigstorePayload::new(digest(), "").to_json().is_err());
}

#[test]
fn marshal_then_parse_round_trips() {
    for (creator, timestamp) in [
        (None, None),
        (Some("c"), None),
        (None, Some(0)),
        (Some(""), Some(i64::MIN)),
        (Some("x"), Some(1 << 53)),
    ] {
        let mut p = SigstorePayload::new(digest(), "quay.io/a/b:tag");
        p.creator = creator.map(str::to_owned);
        p.timestamp = timestamp;
        let json = p.to_json().unwrap();
        assert_eq!(
            SigstorePayload::parse(json.as_bytes()),
            Ok(p.clone()),
            "{json}"
        );
    }
}
