//! Rekor signed entry timestamps (SETs): c/image's `VerifyRekorSET`
//! (signature-formats.md §4.7, §4.11; policy-semantics.md §12.3).
//!
//! A SET is the `dev.sigstore.cosign/bundle` annotation:
//! `{"SignedEntryTimestamp": <base64 ECDSA signature>, "Payload": {"body": <base64
//! hashedrekord JSON>, "integratedTime": <int>, "logIndex": <int>, "logID": <string>}}`.
//! [`verify_set`] checks it in c/image's order, each failure a distinct [`RekorError`]:
//!
//! 1. the SET text strictly (exactly the two members, no duplicates);
//! 2. RFC 8785 canonicalisation of the raw `Payload` (duplicate keys fail);
//! 3. the SET signature: strict DER ECDSA over SHA-256 of the canonical bytes, under
//!    **any** trusted Rekor key (the `logID` is not compared with anything);
//! 4. the canonical (verified) bytes parsed strictly: exactly `body`, `integratedTime`,
//!    `logIndex`, `logID`;
//! 5. the body, decoded as Go's `encoding/json` decodes structs (lenient: keys matched
//!    case-insensitively, the last duplicate wins, unknown members ignored): `kind` is
//!    `hashedrekord`, `apiVersion` is `0.0.1`;
//! 6. `spec.signature.publicKey.content` and the caller's key or certificate are each
//!    exactly one PEM block with nothing after it (one line terminator allowed), and
//!    their DER bytes are equal (the PEM labels are not compared);
//! 7. `spec.signature.content` equals the base64-decoded signature annotation;
//! 8. `spec.data.hash` is `sha256` with the hex SHA-256 of the payload.
//!
//! Known differences from Go, all failing closed on SETs no real Rekor produces: the
//! canonicaliser (`serde_json_canonicalizer`) rejects a `Payload` with strings that are
//! not valid UTF-8 or contain unpaired surrogate escapes, or nested more than 128
//! levels, which Go's canonicaliser passes through.

use sha2::{Digest as _, Sha256};

use super::public_key::PublicKey;
use crate::go_encoding;
use crate::gojson::decode::{GoBytes, GoDecode as _, GoRawMessage, Path, go_struct};
use crate::signature::JsonFormatError;
use crate::signature::strict_json::{Kind, Raw, read_object_exact, validate_document};

/// The largest SET annotation [`verify_set`] reads (4 MiB, as signature blobs).
pub const MAX_SET_SIZE: usize = 4 * 1024 * 1024;
/// The largest key or certificate PEM [`verify_set`] reads.
pub const MAX_KEY_OR_CERT_SIZE: usize = 1024 * 1024;
/// The only Rekor entry kind accepted.
pub const HASHED_REKORD_KIND: &str = "hashedrekord";
/// The only `hashedrekord` API version accepted.
pub const HASHED_REKORD_API_VERSION: &str = "0.0.1";
/// The only `data.hash.algorithm` accepted.
pub const HASHED_REKORD_HASH_ALGORITHM: &str = "sha256";

/// What a verified SET vouches for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedSet {
    /// When Rekor logged the entry, in seconds since the Unix epoch (the time at which
    /// Fulcio certificates are checked).
    pub integrated_time: i64,
    /// The entry's index in the log (not checked against anything).
    pub log_index: i64,
    /// The log ID (not checked against the Rekor key, as in c/image).
    pub log_id: String,
}

/// Why a Rekor SET was rejected. Each check of [`verify_set`] has its own variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RekorError {
    /// No trusted Rekor keys were given.
    #[error("no trusted Rekor public keys")]
    NoRekorKeys,
    /// A trusted Rekor key is not ECDSA (c/image refuses such keys when preparing the
    /// trust root).
    #[error("Rekor public key {index} is not using ECDSA")]
    RekorKeyNotEcdsa {
        /// The 1-based position of the key.
        index: usize,
    },
    /// An input is larger than this crate reads.
    #[error("{what} is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// Which input.
        what: &'static str,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The SET text is not a strict `{"SignedEntryTimestamp", "Payload"}` object.
    #[error("invalid Rekor SET: {0}")]
    SetInvalid(JsonFormatError),
    /// RFC 8785 canonicalisation of `Payload` failed (e.g. a duplicate key).
    #[error("canonicalizing Rekor SET JSON: {reason}")]
    CanonicalizationFailed {
        /// Why.
        reason: String,
    },
    /// No trusted Rekor key verifies the SET signature.
    #[error("cryptographic signature verification of Rekor SET failed")]
    SetSignatureInvalid,
    /// The verified payload is not exactly `body`, `integratedTime`, `logIndex`, `logID`.
    #[error("parsing Rekor SET payload: {0}")]
    PayloadInvalid(JsonFormatError),
    /// The body is not JSON, or a member has the wrong type.
    #[error("decoding the body of a Rekor SET payload: {reason}")]
    BodyInvalid {
        /// Why.
        reason: String,
    },
    /// The body's `kind` is not `hashedrekord`.
    #[error("decoding the body of a Rekor SET payload: invalid kind value: {kind:?}")]
    KindNotHashedRekord {
        /// The kind found (`""` when missing or `null`).
        kind: String,
    },
    /// The body has no `apiVersion` (or it is `null`).
    #[error("missing Rekor SET Payload API version")]
    ApiVersionMissing,
    /// The body's `apiVersion` is not `0.0.1`.
    #[error("unsupported Rekor SET Payload hashedrekord version {version:?}")]
    ApiVersionUnsupported {
        /// The version found.
        version: String,
    },
    /// The body's `spec` is missing or does not decode as a hashedrekord v0.0.1 spec.
    #[error("decoding hashedrekod spec: {reason}")]
    SpecInvalid {
        /// Why.
        reason: String,
    },
    /// A required member of the spec is missing or `null`.
    #[error("Missing {field:?} field in hashedrekord")]
    MissingField {
        /// The member's path: `signature`, `signature.publicKey`, `data`, `data.hash`,
        /// `data.hash.algorithm` or `data.hash.value`.
        field: &'static str,
    },
    /// `spec.signature.publicKey.content` holds no PEM block.
    #[error("publicKey in Rekor SET is not in PEM format")]
    RekorPublicKeyNotPem,
    /// `spec.signature.publicKey.content` has data after its PEM block.
    #[error("publicKey in Rekor SET has trailing data")]
    RekorPublicKeyTrailingData,
    /// The caller's key or certificate holds no PEM block.
    #[error("public key or cert to be matched against publicKey in Rekor SET is not in PEM format")]
    KeyOrCertNotPem,
    /// The caller's key or certificate has data after its PEM block.
    #[error("public key or cert to be matched against publicKey in Rekor SET has trailing data")]
    KeyOrCertTrailingData,
    /// The logged key or certificate is not the caller's.
    #[error("publicKey in Rekor SET does not match")]
    PublicKeyMismatch,
    /// The signature annotation is not valid base64.
    #[error("decoding signature base64: {reason}")]
    SignatureBase64 {
        /// The decoder's explanation.
        reason: String,
    },
    /// The logged signature is not the annotation's.
    #[error("signature in Rekor SET does not match")]
    SignatureMismatch,
    /// `data.hash.algorithm` is not `sha256`.
    #[error("Unexpected \"data.hash.algorithm\" value {algorithm:?}")]
    HashAlgorithm {
        /// The algorithm found.
        algorithm: String,
    },
    /// `data.hash.value` is not hex.
    #[error("Invalid \"data.hash.value\" field in hashedrekord: {reason}")]
    HashValueInvalid {
        /// Why.
        reason: String,
    },
    /// The logged hash is not the payload's SHA-256.
    #[error("payload in Rekor SET does not match")]
    HashMismatch,
}

/// The SET annotation, parsed strictly but not verified (c/image's
/// `UntrustedRekorSET`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UntrustedRekorSet {
    /// `SignedEntryTimestamp`, decoded (a Go `[]byte`: base64 text, or an array of
    /// integers 0–255, or `null`).
    pub signed_entry_timestamp: Vec<u8>,
    /// `Payload`, as its raw JSON text (any JSON value).
    pub payload: Vec<u8>,
}

impl UntrustedRekorSet {
    /// Parses the SET text: valid JSON, exactly `SignedEntryTimestamp` and `Payload`,
    /// case-sensitive, no duplicates, no other members.
    pub fn parse(untrusted_set: &[u8]) -> Result<Self, JsonFormatError> {
        validate_document(untrusted_set)?;
        let members = read_object_exact(
            Raw::document(untrusted_set),
            "$",
            &[("SignedEntryTimestamp", Kind::Raw), ("Payload", Kind::Raw)],
        )?;
        let (Some(set), Some(payload)) =
            (members.raw("SignedEntryTimestamp"), members.raw("Payload"))
        else {
            return Err(missing("$", "Payload"));
        };
        let mut signed_entry_timestamp = GoBytes::default();
        signed_entry_timestamp
            .decode_into(set, &Path::Member(&Path::Root, "SignedEntryTimestamp"))?;
        Ok(UntrustedRekorSet {
            signed_entry_timestamp: signed_entry_timestamp.into_vec(),
            payload: payload.bytes.to_vec(),
        })
    }
}

/// The SET payload, parsed strictly but not verified (c/image's
/// `UntrustedRekorPayload`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UntrustedRekorPayload {
    /// `body`, decoded (the hashedrekord entry JSON).
    pub body: Vec<u8>,
    /// `integratedTime`.
    pub integrated_time: i64,
    /// `logIndex`.
    pub log_index: i64,
    /// `logID`.
    pub log_id: String,
}

impl UntrustedRekorPayload {
    /// Parses a payload: valid JSON, exactly `body` (a Go `[]byte`), `integratedTime`
    /// and `logIndex` (integer literals within `i64`), `logID` (a string); `null`
    /// reads as the zero value.
    pub fn parse(untrusted_payload: &[u8]) -> Result<Self, JsonFormatError> {
        validate_document(untrusted_payload)?;
        let members = read_object_exact(
            Raw::document(untrusted_payload),
            "$",
            &[
                ("body", Kind::Raw),
                ("integratedTime", Kind::Integer),
                ("logIndex", Kind::Integer),
                ("logID", Kind::String),
            ],
        )?;
        let integer = |key| {
            members
                .0
                .iter()
                .find(|m| m.key == key)
                .and_then(|m| match m.value {
                    crate::signature::strict_json::Decoded::Integer(n) => {
                        Some(n.unwrap_or_default())
                    }
                    _ => None,
                })
        };
        let (Some(body), Some(integrated_time), Some(log_index), Some(log_id)) = (
            members.raw("body"),
            integer("integratedTime"),
            integer("logIndex"),
            members.string("logID"),
        ) else {
            return Err(missing("$", "body"));
        };
        let mut decoded = GoBytes::default();
        decoded.decode_into(body, &Path::Member(&Path::Root, "body"))?;
        Ok(UntrustedRekorPayload {
            body: decoded.into_vec(),
            integrated_time,
            log_index,
            log_id,
        })
    }
}

fn missing(path: &str, key: &str) -> JsonFormatError {
    JsonFormatError::MissingKey {
        path: path.to_owned(),
        key: key.to_owned(),
    }
}

/// Verifies a Rekor SET (c/image's `VerifyRekorSET`; see the [module
/// documentation](self) for the checks and their order) and returns what it vouches
/// for.
///
/// * `trusted_rekor_keys`: the configured Rekor keys; each must be ECDSA; the SET
///   signature must verify under at least one.
/// * `untrusted_set`: the `dev.sigstore.cosign/bundle` annotation.
/// * `untrusted_key_or_cert_pem`: the signer's key (for keys, re-encoded with
///   [`PublicKey::to_pkix_pem`]) or the `dev.sigstore.cosign/certificate` annotation.
/// * `untrusted_base64_signature`: the `dev.cosignproject.cosign/signature` annotation.
/// * `untrusted_payload`: the signed payload.
pub fn verify_set(
    trusted_rekor_keys: &[PublicKey],
    untrusted_set: &[u8],
    untrusted_key_or_cert_pem: &[u8],
    untrusted_base64_signature: &str,
    untrusted_payload: &[u8],
) -> Result<VerifiedSet, RekorError> {
    if trusted_rekor_keys.is_empty() {
        return Err(RekorError::NoRekorKeys);
    }
    if let Some(i) = trusted_rekor_keys.iter().position(|k| !k.is_ecdsa()) {
        return Err(RekorError::RekorKeyNotEcdsa { index: i + 1 });
    }
    for (what, size, limit) in [
        ("Rekor SET", untrusted_set.len(), MAX_SET_SIZE),
        (
            "key or certificate",
            untrusted_key_or_cert_pem.len(),
            MAX_KEY_OR_CERT_SIZE,
        ),
    ] {
        if size > limit {
            return Err(RekorError::TooLarge { what, size, limit });
        }
    }

    // == Parse the SET, canonicalise and verify its signature.
    let set = UntrustedRekorSet::parse(untrusted_set).map_err(RekorError::SetInvalid)?;
    let canonical = canonicalize(&set.payload)
        .map_err(|reason| RekorError::CanonicalizationFailed { reason })?;
    let digest = Sha256::digest(&canonical);
    if !trusted_rekor_keys
        .iter()
        .any(|key| key.verify_ecdsa_asn1(&digest, &set.signed_entry_timestamp))
    {
        return Err(RekorError::SetSignatureInvalid);
    }

    // == Parse the verified, canonical payload and its body.
    let payload = UntrustedRekorPayload::parse(&canonical).map_err(RekorError::PayloadInvalid)?;
    let spec = decode_body(&payload.body)?;

    // == Match the key or certificate.
    let signature = spec
        .signature
        .ok_or(RekorError::MissingField { field: "signature" })?;
    let public_key = signature.public_key.ok_or(RekorError::MissingField {
        field: "signature.publicKey",
    })?;
    let logged_pem = public_key.content.into_vec();
    let (logged, rest) =
        go_encoding::pem_decode(&logged_pem).ok_or(RekorError::RekorPublicKeyNotPem)?;
    if !rest.is_empty() {
        return Err(RekorError::RekorPublicKeyTrailingData);
    }
    let (given, rest) =
        go_encoding::pem_decode(untrusted_key_or_cert_pem).ok_or(RekorError::KeyOrCertNotPem)?;
    if !rest.is_empty() {
        return Err(RekorError::KeyOrCertTrailingData);
    }
    if logged.der != given.der {
        return Err(RekorError::PublicKeyMismatch);
    }

    // == Match the signature.
    let signature_bytes = go_encoding::base64_decode(untrusted_base64_signature.as_bytes())
        .map_err(|reason| RekorError::SignatureBase64 { reason })?;
    if signature.content.into_vec() != signature_bytes {
        return Err(RekorError::SignatureMismatch);
    }

    // == Match the payload.
    let data = spec
        .data
        .ok_or(RekorError::MissingField { field: "data" })?;
    let hash = data
        .hash
        .ok_or(RekorError::MissingField { field: "data.hash" })?;
    let algorithm = hash.algorithm.ok_or(RekorError::MissingField {
        field: "data.hash.algorithm",
    })?;
    if algorithm != HASHED_REKORD_HASH_ALGORITHM {
        return Err(RekorError::HashAlgorithm { algorithm });
    }
    let value = hash.value.ok_or(RekorError::MissingField {
        field: "data.hash.value",
    })?;
    let logged_hash = go_encoding::hex_decode(&value)
        .map_err(|reason| RekorError::HashValueInvalid { reason })?;
    if logged_hash.as_slice() != Sha256::digest(untrusted_payload).as_slice() {
        return Err(RekorError::HashMismatch);
    }

    Ok(VerifiedSet {
        integrated_time: payload.integrated_time,
        log_index: payload.log_index,
        log_id: payload.log_id,
    })
}

/// RFC 8785 canonicalisation as c/image's `jsoncanonicalizer.Transform`: the value
/// (valid JSON, as read by the SET parser) must be an object or an array, and no
/// object may repeat a key (compared after unescaping).
fn canonicalize(raw: &[u8]) -> Result<Vec<u8>, String> {
    match raw.first() {
        Some(b'{' | b'[') => {}
        Some(&c) => return Err(format!("Expected '{{' but got '{}'", char::from(c))),
        None => return Err("Unexpected EOF reached".to_owned()),
    }
    // Duplicate keys, checked without recursion (the reader allows deep nesting).
    let mut pending = vec![Raw::document(raw)];
    while let Some(value) = pending.pop() {
        match value.bytes.first() {
            Some(b'{') => {
                let members = value.members().map_err(|e| e.to_string())?;
                let mut keys: Vec<Vec<u16>> = Vec::with_capacity(members.len());
                for (key, member) in members {
                    let utf16: Vec<u16> = key.encode_utf16().collect();
                    if keys.contains(&utf16) {
                        return Err(format!("Duplicate key: {key}"));
                    }
                    keys.push(utf16);
                    pending.push(member);
                }
            }
            Some(b'[') => pending.extend(value.elements().map_err(|e| e.to_string())?),
            _ => {}
        }
    }
    let value: serde_json::Value = serde_json::from_slice(raw).map_err(|e| e.to_string())?;
    serde_json_canonicalizer::to_vec(&value).map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------------
// Go `encoding/json` struct decoding of the hashedrekord body (c/image's
// `rekor_api_types.go`), with `crate::gojson::decode`: keys matched exactly, else with
// Go's case folding; the last duplicate wins (structs behind pointers merge); `null`
// clears pointers (`*T`, `*string`) and `[]byte`, leaves `string` unchanged;
// `[]byte` is base64 text or an array of bytes reusing the earlier backing array.

go_struct!(
    /// `RekorHashedrekord.UnmarshalJSON`'s first decoder: only `kind`.
    BodyKind {
        "kind" => kind: String,
    }
);

go_struct!(
    /// `RekorHashedrekord.UnmarshalJSON`'s second decoder, for the `hashedrekord` kind.
    BodyHeader {
        "apiVersion" => api_version: Option<String>,
        "spec" => spec: GoRawMessage,
    }
);

go_struct!(
    /// `RekorHashedrekordV001Schema`.
    Spec {
        "data" => data: Option<Box<Data>>,
        "signature" => signature: Option<Box<Signature>>,
    }
);

go_struct!(
    /// `RekorHashedrekordV001SchemaData`.
    Data {
        "hash" => hash: Option<Box<Hash>>,
    }
);

go_struct!(
    /// `RekorHashedrekordV001SchemaDataHash`.
    Hash {
        "algorithm" => algorithm: Option<String>,
        "value" => value: Option<String>,
    }
);

go_struct!(
    /// `RekorHashedrekordV001SchemaSignature`.
    Signature {
        "content" => content: GoBytes,
        "publicKey" => public_key: Option<Box<PublicKeyContent>>,
    }
);

go_struct!(
    /// `RekorHashedrekordV001SchemaSignaturePublicKey`.
    PublicKeyContent {
        "content" => content: GoBytes,
    }
);

/// c/image's `json.Unmarshal(body, &RekorHashedrekord)` and the API version checks,
/// then the spec decoded as `RekorHashedrekordV001Schema`.
fn decode_body(body: &[u8]) -> Result<Spec, RekorError> {
    let invalid = |e: JsonFormatError| RekorError::BodyInvalid {
        reason: e.to_string(),
    };
    validate_document(body).map_err(invalid)?;
    let value = Raw::document(body.trim_ascii());

    // `kind` first (a `string`: `null` leaves it empty).
    let mut kind = BodyKind::default();
    kind.decode_into(value, &Path::Root).map_err(invalid)?;
    if kind.kind != HASHED_REKORD_KIND {
        return Err(RekorError::KindNotHashedRekord { kind: kind.kind });
    }

    // Then `apiVersion` (a `*string`) and `spec` (a `json.RawMessage`: the last one
    // wins, `null` is kept as the text `null`).
    let mut header = BodyHeader::default();
    header.decode_into(value, &Path::Root).map_err(invalid)?;
    let api_version = header.api_version.ok_or(RekorError::ApiVersionMissing)?;
    if api_version != HASHED_REKORD_API_VERSION {
        return Err(RekorError::ApiVersionUnsupported {
            version: api_version,
        });
    }
    let spec_raw = header.spec.0.ok_or(RekorError::SpecInvalid {
        reason: "unexpected end of JSON input".to_owned(),
    })?;
    let mut spec = Spec::default();
    spec.decode_into(Raw::document(&spec_raw), &Path::Member(&Path::Root, "spec"))
        .map_err(|e| RekorError::SpecInvalid {
            reason: e.to_string(),
        })?;
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gojson::decode::FOLD;

    #[test]
    fn canonicalization_rules() {
        assert_eq!(
            canonicalize(br#"{"b":1.0,"a":[1e3,"\u00e9"]}"#).unwrap(),
            "{\"a\":[1000,\"\u{e9}\"],\"b\":1}".as_bytes()
        );
        assert!(canonicalize(br#"{"a":1,"\u0061":2}"#).is_err());
        assert!(canonicalize(br#"[{"x":{"a":1,"a":1}}]"#).is_err());
        assert!(canonicalize(b"null").is_err());
        assert!(canonicalize(b"\"x\"").is_err());
        assert!(canonicalize(b"").is_err());
        // Go's float64 round trip of large integers.
        assert_eq!(
            canonicalize(b"[9007199254740993]").unwrap(),
            b"[9007199254740992]"
        );
    }

    #[test]
    fn go_struct_decoding() {
        let spec = |json: &str| {
            let mut spec = Spec::default();
            spec.decode_into(Raw::document(json.as_bytes()), &Path::Root)
                .map(|()| spec)
        };
        // Case-insensitive keys (with Go's folding), last wins, pointer structs merge.
        let s =
            spec(r#"{"DATA":{"hash":{"algorithm":"x"}},"data":{"Hash":{"value":"v"}}}"#).unwrap();
        let hash = s.data.unwrap().hash.unwrap();
        assert_eq!(hash.algorithm.as_deref(), Some("x"));
        assert_eq!(hash.value.as_deref(), Some("v"));
        let s = spec(r#"{"data":{"hash":{"algorithm":"x"}},"data":null}"#).unwrap();
        assert!(s.data.is_none());
        let s = spec("{\"\u{17F}ignature\":{\"content\":[1,2,3]}}").unwrap();
        assert_eq!(s.signature.unwrap().content.into_vec(), [1, 2, 3]);
        // A null array element keeps the byte of an earlier value.
        let s = spec(r#"{"signature":{"content":"AQID","content":[9,null]}}"#).unwrap();
        assert_eq!(s.signature.unwrap().content.into_vec(), [9, 2]);
        assert!(spec(r#"{"data":1}"#).is_err());
        assert!(spec(r#"[]"#).is_err());
        assert!(spec("null").unwrap().data.is_none());
        assert!(spec(r#"{"signature":{"content":"+"}}"#).is_err());
        assert!(spec(r#"{"signature":{"content":[256]}}"#).is_err());
        let key_matches = |key, name| crate::gojson::fold::key_matches(key, name, FOLD);
        assert!(key_matches("apiversion", "apiVersion"));
        assert!(key_matches("\u{212A}ind", "kind"));
        assert!(!key_matches("kinds", "kind"));
    }
}
