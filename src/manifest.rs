//! Manifest digests, computed as containers/image computes them (policy-semantics.md
//! §13, signature-formats.md §5.2).
//!
//! A manifest's digest is the SHA-256 of its bytes, except for a *signed Docker schema 1*
//! manifest, whose JWS signatures are stripped first (c/image's `manifest.Digest`, using
//! libtrust's `ParsePrettySignature`). Everything that decides between the two, and
//! every way the stripping can fail, follows upstream byte for byte:
//!
//! * **Detection** (c/image's `GuessMIMEType`): the manifest is signed schema 1 iff it
//!   is valid JSON whose top-level object decodes leniently (Go's `encoding/json`: field
//!   names case-insensitive, the last duplicate wins, a type mismatch on `mediaType`,
//!   `schemaVersion` or `signatures` makes the whole guess fail), its `mediaType` is not
//!   a Docker schema 2 / manifest list / OCI manifest / OCI index type, `schemaVersion`
//!   is the integer 1, and `signatures` is present and not `null`. Anything else,
//!   including bytes that are not JSON, is digested as is.
//! * **Stripping** (libtrust): the exact member `signatures` must be an array (or
//!   `null`: no signatures) of `{header{jwk?, alg, x5c?}, signature, protected}`; each
//!   `protected` is base64url (padding optional; spaces and `\n` removed) of a JSON
//!   object holding `formatLength` (a number, truncated to an integer) and `formatTail`
//!   (base64url). The entries must agree — with libtrust's quirk that a length of 0 or
//!   an empty tail counts as "not set yet" and is overridden by a later entry. A `jwk`
//!   that is present (even `null`) must parse as a libtrust public key (see below). The
//!   digest is then the SHA-256 of `manifest[..formatLength] ++ formatTail`; with
//!   `"signatures": []` that is the digest of the empty string.
//!
//! Divergences from upstream, all deliberate:
//!
//! * Manifests larger than [`MAX_MANIFEST_SIZE`] (4 MiB, c/image's
//!   `iolimits.MaxManifestBodySize` for registries) are refused with
//!   [`ManifestError::TooLarge`] whatever their source; c/image applies no limit to
//!   `dir:` or OCI layouts.
//! * Where libtrust panics, this crate returns an error: a negative `formatLength`
//!   ([`Schema1SignatureError::NegativeFormatLength`]) and an RSA `jwk` exponent longer
//!   than 4 bytes. A `formatLength` beyond the range of a Go `int` converts as on amd64
//!   (to the minimum `int`), so it always ends in an error too.
//! * JWK checks are libtrust's, reproduced without a cryptography library: structure,
//!   base64url, coordinate lengths, and — only when `kid` is present — the key ID, which
//!   is the SHA-256 of the DER `SubjectPublicKeyInfo` (so an EC point must lie on its
//!   curve, else the key ID is the empty string, as in Go). Nothing is verified
//!   cryptographically, as in c/image.
//! * JSON field names fold case as Go 1.19's `encoding/json` does (ASCII, plus `ſ` for
//!   `s` and the Kelvin sign for `k`), the Go of the c/image 5.23 oracle the digests
//!   were checked against; Go ≥ 1.21 also folds `ı` and `İ` onto `i`.
//!
//! Error texts start with the upstream text (libtrust's, or c/image's for
//! [`check_manifest_against`]) so that a prefix match works; details follow.

use std::borrow::Cow;

use crate::digest::Digest;

mod base64url;
pub(crate) mod guess;
mod jwk;
pub(crate) mod oci;

use crate::gojson::fold::{self, GoFold};
use crate::gojson::{self, JsonKind, Raw};

/// c/image's `manifest.GuessMIMEType`: the MIME type `untrusted_manifest` looks like
/// (`None` when it is not a manifest c/image recognises).
pub fn guess_mime_type(untrusted_manifest: &[u8]) -> Option<String> {
    let mime = guess::guess_mime_type(untrusted_manifest);
    (!mime.is_empty()).then_some(mime)
}

/// The largest manifest this module reads: 4 MiB, c/image's `MaxManifestBodySize`.
/// A manifest of exactly this size is accepted.
pub const MAX_MANIFEST_SIZE: usize = 4 * 1024 * 1024;

/// MIME type of a Docker schema 1 manifest without signatures.
pub const DOCKER_V2_SCHEMA1_MEDIA_TYPE: &str =
    "application/vnd.docker.distribution.manifest.v1+json";
/// MIME type of a Docker schema 1 manifest with JWS signatures.
pub const DOCKER_V2_SCHEMA1_SIGNED_MEDIA_TYPE: &str =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";
/// MIME type of a Docker schema 2 manifest.
pub const DOCKER_V2_SCHEMA2_MEDIA_TYPE: &str =
    "application/vnd.docker.distribution.manifest.v2+json";
/// MIME type of a Docker schema 2 manifest list.
pub const DOCKER_V2_LIST_MEDIA_TYPE: &str =
    "application/vnd.docker.distribution.manifest.list.v2+json";
/// MIME type of an OCI image manifest.
pub const OCI_MANIFEST_MEDIA_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
/// MIME type of an OCI image index.
pub const OCI_INDEX_MEDIA_TYPE: &str = "application/vnd.oci.image.index.v1+json";

/// Why a manifest digest could not be computed or did not match.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ManifestError {
    /// The manifest is larger than [`MAX_MANIFEST_SIZE`] (this crate's limit; c/image
    /// enforces it when reading from a registry).
    #[error("manifest is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// The manifest's size in bytes.
        size: usize,
        /// The limit, [`MAX_MANIFEST_SIZE`].
        limit: usize,
    },
    /// The manifest is a signed schema 1 manifest whose JWS signatures cannot be
    /// stripped, so it has no digest (returned by [`manifest_digest`] and
    /// [`manifest_matches_digest`]).
    #[error("{0}")]
    Schema1Signature(Schema1SignatureError),
    /// As [`ManifestError::Schema1Signature`], from [`check_manifest_against`], whose
    /// c/image counterpart adds the `computing manifest digest: ` prefix.
    #[error("computing manifest digest: {0}")]
    ComputingDigest(Schema1SignatureError),
    /// The manifest's digest is not the one it was expected to have (c/image:
    /// `Manifest does not match provided manifest digest <expected>`).
    #[error("Manifest does not match provided manifest digest {expected}")]
    DigestMismatch {
        /// The digest the manifest must match (from the reference or the instance).
        expected: Digest,
        /// The manifest's SHA-256 digest.
        found: Digest,
    },
}

/// Why the JWS signatures of a signed schema 1 manifest cannot be stripped
/// (libtrust's `ParsePrettySignature`). `index` counts signatures from 0.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Schema1SignatureError {
    /// The manifest has no member named exactly `signatures` (it was detected through
    /// a differently-cased key such as `Signatures`).
    #[error("missing signature key")]
    MissingSignatures,
    /// `signatures` is not an array of signature objects of the right types (e.g.
    /// `"signatures": 1`).
    #[error("error unmarshalling signatures: {reason}")]
    InvalidSignatureList {
        /// Go's decoding error, approximately.
        reason: String,
    },
    /// A `protected` header is not base64url.
    #[error("base64 decode error: {reason} (signatures[{index}])")]
    ProtectedNotBase64 {
        /// Which signature.
        index: usize,
        /// The base64 error.
        reason: String,
    },
    /// A decoded `protected` header is not a JSON object (or has a number that does not
    /// fit a `float64`).
    #[error("error unmarshalling protected header: {reason} (signatures[{index}])")]
    InvalidProtectedHeader {
        /// Which signature.
        index: usize,
        /// Go's decoding error, approximately.
        reason: String,
    },
    /// A protected header has no numeric `formatLength`.
    #[error("missing formatted length (signatures[{index}])")]
    MissingFormatLength {
        /// Which signature.
        index: usize,
    },
    /// A protected header has no string `formatTail`.
    #[error("missing formatted tail (signatures[{index}])")]
    MissingFormatTail {
        /// Which signature.
        index: usize,
    },
    /// A `formatTail` is not base64url.
    #[error("base64 decode error on tail: {reason} (signatures[{index}])")]
    FormatTailNotBase64 {
        /// Which signature.
        index: usize,
        /// The base64 error.
        reason: String,
    },
    /// A signature's `formatLength` differs from the one set by an earlier signature.
    #[error(
        "conflicting format length: signatures[{index}] has {found}, an earlier one {expected}"
    )]
    ConflictingFormatLength {
        /// Which signature.
        index: usize,
        /// The length set earlier.
        expected: i64,
        /// This signature's length.
        found: i64,
    },
    /// A signature's `formatTail` differs from the one set by an earlier signature.
    #[error("conflicting format tail (signatures[{index}])")]
    ConflictingFormatTail {
        /// Which signature.
        index: usize,
    },
    /// A signature header's `jwk` is not a public key libtrust accepts.
    #[error("error unmarshalling public key: {reason} (signatures[{index}])")]
    InvalidPublicKey {
        /// Which signature.
        index: usize,
        /// libtrust's reason.
        reason: String,
    },
    /// The agreed `formatLength` is larger than the manifest.
    #[error(
        "invalid format length: {format_length} is more than the manifest's {manifest_len} bytes"
    )]
    FormatLengthTooLarge {
        /// The format length.
        format_length: i64,
        /// The manifest's size.
        manifest_len: usize,
    },
    /// The agreed `formatLength` is negative (libtrust panics; this crate refuses).
    #[error("invalid format length: {format_length} is negative")]
    NegativeFormatLength {
        /// The format length.
        format_length: i64,
    },
}

fn check_size(untrusted_manifest: &[u8]) -> Result<(), ManifestError> {
    if untrusted_manifest.len() > MAX_MANIFEST_SIZE {
        return Err(ManifestError::TooLarge {
            size: untrusted_manifest.len(),
            limit: MAX_MANIFEST_SIZE,
        });
    }
    Ok(())
}

/// The digest of a manifest as c/image computes it (`manifest.Digest`): SHA-256 of the
/// bytes, after stripping the JWS signatures of a signed schema 1 manifest.
///
/// ```
/// use containers_policy::manifest::manifest_digest;
/// let d = manifest_digest(b"{}").unwrap();
/// assert_eq!(d.as_str(), "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
/// // A signed schema 1 manifest whose signatures cannot be parsed has no digest.
/// assert!(manifest_digest(br#"{"schemaVersion": 1, "signatures": 1}"#).is_err());
/// ```
pub fn manifest_digest(untrusted_manifest: &[u8]) -> Result<Digest, ManifestError> {
    check_size(untrusted_manifest)?;
    let payload = digested_bytes(untrusted_manifest).map_err(ManifestError::Schema1Signature)?;
    Ok(Digest::sha256_of(&payload))
}

/// c/image's `MatchesDigest`: whether the manifest's SHA-256 digest (see
/// [`manifest_digest`]) is `expected`.
///
/// Only SHA-256 is computed, so an `expected` digest using `sha384` or `sha512` never
/// matches, even when it is the correct digest of the manifest. An error means the
/// digest could not be computed at all.
pub fn manifest_matches_digest(
    untrusted_manifest: &[u8],
    expected: &Digest,
) -> Result<bool, ManifestError> {
    Ok(manifest_digest(untrusted_manifest)?.as_str() == expected.as_str())
}

/// The check c/image's `image.Manifest()` makes when the expected digest is known (the
/// instance digest of a manifest-list instance, else the digest of a digested
/// reference): `Ok` if the manifest matches `expected` (SHA-256 only, as
/// [`manifest_matches_digest`]), else [`ManifestError::DigestMismatch`], or
/// [`ManifestError::ComputingDigest`] when no digest can be computed.
pub fn check_manifest_against(
    untrusted_manifest: &[u8],
    expected: &Digest,
) -> Result<(), ManifestError> {
    check_size(untrusted_manifest)?;
    let payload = digested_bytes(untrusted_manifest).map_err(ManifestError::ComputingDigest)?;
    let found = Digest::sha256_of(&payload);
    if found.as_str() == expected.as_str() {
        Ok(())
    } else {
        Err(ManifestError::DigestMismatch {
            expected: expected.clone(),
            found,
        })
    }
}

/// Whether c/image treats the manifest as a *signed* Docker schema 1 manifest, i.e.
/// whether `GuessMIMEType` returns [`DOCKER_V2_SCHEMA1_SIGNED_MEDIA_TYPE`] for it; only
/// such manifests have their signatures stripped before digesting.
pub fn is_signed_schema1(untrusted_manifest: &[u8]) -> bool {
    gojson::document(untrusted_manifest).is_ok_and(detect_signed_schema1)
}

/// The bytes whose SHA-256 is the manifest digest.
fn digested_bytes(untrusted_manifest: &[u8]) -> Result<Cow<'_, [u8]>, Schema1SignatureError> {
    match gojson::document(untrusted_manifest) {
        Ok(document) if detect_signed_schema1(document) => {
            strip_signatures(untrusted_manifest, document).map(Cow::Owned)
        }
        _ => Ok(Cow::Borrowed(untrusted_manifest)),
    }
}

/// c/image's `GuessMIMEType(m) == DockerV2Schema1SignedMediaType`, on a validated
/// document: decodes `struct { MediaType string; SchemaVersion int; Signatures any }`
/// as Go does, any decoding error meaning "not signed schema 1".
fn detect_signed_schema1(document: Raw<'_>) -> bool {
    let members = match document.kind() {
        JsonKind::Object => document.members().unwrap_or_default(),
        // `null` decodes to the zero struct; anything else is a type error.
        _ => return false,
    };
    let mut media_type = String::new();
    let mut schema_version = 0i64;
    let mut has_signatures = false;
    for (key, value) in members {
        if field_matches(&key, "mediaType") {
            match value.kind() {
                JsonKind::String => media_type = value.string().unwrap_or_default(),
                JsonKind::Null => {}
                _ => return false,
            }
        } else if field_matches(&key, "schemaVersion") {
            match (value.kind(), value.go_int()) {
                (JsonKind::Number, Some(v)) => schema_version = v,
                (JsonKind::Null, _) => {}
                _ => return false,
            }
        } else if field_matches(&key, "signatures") {
            // Decoded into an `interface{}`: only a number overflowing float64 fails.
            if !value.decodes_as_interface() {
                return false;
            }
            has_signatures = value.kind() != JsonKind::Null;
        }
    }
    let recognized = [
        DOCKER_V2_SCHEMA2_MEDIA_TYPE,
        DOCKER_V2_LIST_MEDIA_TYPE,
        OCI_MANIFEST_MEDIA_TYPE,
        OCI_INDEX_MEDIA_TYPE,
    ]
    .contains(&media_type.as_str());
    !recognized && schema_version == 1 && has_signatures
}

/// What libtrust keeps of one signature entry.
#[derive(Default)]
struct SignatureBlock<'a> {
    protected: String,
    jwk: Option<Raw<'a>>,
}

fn type_error(kind: JsonKind, go_type: &str) -> String {
    format!(
        "json: cannot unmarshal {} into Go value of type {go_type}",
        kind.go_name()
    )
}

/// Go's struct-field matching as the oracle's Go 1.19 does it (see
/// [`fold`](crate::gojson::fold)).
fn field_matches(key: &str, name: &str) -> bool {
    fold::key_matches(key, name, GoFold::Go119)
}

/// Decodes `signatures` into libtrust's `[]jsParsedSignature` (Go semantics: `null`
/// gives no entries, `null` fields keep their value, any type mismatch fails).
fn signature_blocks(value: Raw<'_>) -> Result<Vec<SignatureBlock<'_>>, String> {
    let elements = match value.kind() {
        JsonKind::Array => value.elements().unwrap_or_default(),
        JsonKind::Null => return Ok(Vec::new()),
        kind => return Err(type_error(kind, "[]libtrust.jsParsedSignature")),
    };
    let mut blocks = Vec::with_capacity(elements.len());
    for element in elements {
        let mut block = SignatureBlock::default();
        let members = match element.kind() {
            JsonKind::Object => element.members().unwrap_or_default(),
            JsonKind::Null => Vec::new(),
            kind => return Err(type_error(kind, "libtrust.jsParsedSignature")),
        };
        for (key, field) in members {
            if field_matches(&key, "header") {
                match field.kind() {
                    JsonKind::Object => read_header(field, &mut block)?,
                    JsonKind::Null => {}
                    kind => return Err(type_error(kind, "libtrust.jsParsedHeader")),
                }
            } else if field_matches(&key, "signature") {
                string_or_null(field)?;
            } else if field_matches(&key, "protected")
                && let Some(s) = string_or_null(field)?
            {
                block.protected = s;
            }
        }
        blocks.push(block);
    }
    Ok(blocks)
}

/// Decodes one `header` object into the block (merging, as Go decodes into an existing
/// struct value).
fn read_header<'a>(header: Raw<'a>, block: &mut SignatureBlock<'a>) -> Result<(), String> {
    for (key, field) in header.members().unwrap_or_default() {
        if field_matches(&key, "jwk") {
            // A json.RawMessage: takes any value, `null` included.
            block.jwk = Some(field);
        } else if field_matches(&key, "alg") {
            string_or_null(field)?;
        } else if field_matches(&key, "x5c") {
            match field.kind() {
                JsonKind::Array => {
                    for item in field.elements().unwrap_or_default() {
                        string_or_null(item)?;
                    }
                }
                JsonKind::Null => {}
                kind => return Err(type_error(kind, "[]string")),
            }
        }
    }
    Ok(())
}

/// A Go `string` field: a string sets it, `null` leaves it, anything else fails.
fn string_or_null(value: Raw<'_>) -> Result<Option<String>, String> {
    match value.kind() {
        JsonKind::String => Ok(value.string()),
        JsonKind::Null => Ok(None),
        kind => Err(type_error(kind, "string")),
    }
}

/// Go's `int(f)` for a float64 on amd64: truncation toward zero, and the minimum `int`
/// for values out of range.
fn go_float_to_int(value: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    let truncated = value.trunc();
    if (-LIMIT..LIMIT).contains(&truncated) {
        truncated as i64
    } else {
        i64::MIN
    }
}

/// Decodes a protected header into `map[string]interface{}`: the members of an object
/// (an empty list for `null`).
fn protected_header(bytes: &[u8]) -> Result<Vec<(String, Raw<'_>)>, String> {
    let Ok(value) = gojson::document(bytes) else {
        return Err(if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            "unexpected end of JSON input".to_owned()
        } else {
            "invalid JSON".to_owned()
        });
    };
    match value.kind() {
        JsonKind::Object if value.decodes_as_interface() => Ok(value.members().unwrap_or_default()),
        JsonKind::Object => Err(type_error(JsonKind::Number, "float64")),
        JsonKind::Null => Ok(Vec::new()),
        kind => Err(type_error(kind, "map[string]interface {}")),
    }
}

/// libtrust's `ParsePrettySignature(manifest, "signatures")` followed by `Payload()`.
fn strip_signatures(
    untrusted_manifest: &[u8],
    document: Raw<'_>,
) -> Result<Vec<u8>, Schema1SignatureError> {
    // map[string]json.RawMessage: exact keys, the last duplicate wins.
    let members = document.members().unwrap_or_default();
    let Some(signatures) = members
        .iter()
        .rev()
        .find(|(key, _)| key == "signatures")
        .map(|(_, value)| *value)
    else {
        return Err(Schema1SignatureError::MissingSignatures);
    };
    let blocks = signature_blocks(signatures)
        .map_err(|reason| Schema1SignatureError::InvalidSignatureList { reason })?;

    let mut format_length = 0i64;
    let mut format_tail: Vec<u8> = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        let protected = base64url::jose_decode(&block.protected).map_err(|e| {
            Schema1SignatureError::ProtectedNotBase64 {
                index,
                reason: e.to_string(),
            }
        })?;
        let header = protected_header(&protected)
            .map_err(|reason| Schema1SignatureError::InvalidProtectedHeader { index, reason })?;
        let get = |key: &str| header.iter().rev().find(|(k, _)| k == key).map(|(_, v)| *v);
        let length = get("formatLength")
            .and_then(|v| v.go_float())
            .map(go_float_to_int)
            .ok_or(Schema1SignatureError::MissingFormatLength { index })?;
        let encoded_tail = get("formatTail")
            .and_then(|v| v.string())
            .ok_or(Schema1SignatureError::MissingFormatTail { index })?;
        let tail = base64url::jose_decode(&encoded_tail).map_err(|e| {
            Schema1SignatureError::FormatTailNotBase64 {
                index,
                reason: e.to_string(),
            }
        })?;
        // libtrust treats 0 and an empty tail as "not set yet".
        if format_length == 0 {
            format_length = length;
        } else if format_length != length {
            return Err(Schema1SignatureError::ConflictingFormatLength {
                index,
                expected: format_length,
                found: length,
            });
        }
        if format_tail.is_empty() {
            format_tail = tail;
        } else if format_tail != tail {
            return Err(Schema1SignatureError::ConflictingFormatTail { index });
        }
        if let Some(untrusted_jwk) = block.jwk {
            jwk::check_public_key(untrusted_jwk)
                .map_err(|reason| Schema1SignatureError::InvalidPublicKey { index, reason })?;
        }
    }
    if format_length < 0 {
        return Err(Schema1SignatureError::NegativeFormatLength { format_length });
    }
    let prefix = usize::try_from(format_length)
        .ok()
        .and_then(|len| untrusted_manifest.get(..len))
        .ok_or(Schema1SignatureError::FormatLengthTooLarge {
            format_length,
            manifest_len: untrusted_manifest.len(),
        })?;
    let mut payload = Vec::with_capacity(prefix.len() + format_tail.len());
    payload.extend_from_slice(prefix);
    payload.extend_from_slice(&format_tail);
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(bytes: &[u8]) -> Result<String, ManifestError> {
        manifest_digest(bytes).map(|d| d.to_string())
    }

    #[test]
    fn float_to_int_is_amd64() {
        assert_eq!(go_float_to_int(5.9), 5);
        assert_eq!(go_float_to_int(-0.5), 0);
        assert_eq!(go_float_to_int(-5.9), -5);
        assert_eq!(go_float_to_int(1e300), i64::MIN);
        assert_eq!(go_float_to_int(-1e300), i64::MIN);
        assert_eq!(go_float_to_int(9.2e18), 9_200_000_000_000_000_000);
    }

    #[test]
    fn detection() {
        let signed = |s: &str| is_signed_schema1(s.as_bytes());
        assert!(signed(r#"{"schemaVersion":1,"signatures":[]}"#));
        assert!(signed(r#"{"SchemaVersion":1,"SIGNATURES":0}"#));
        assert!(signed(
            r#"{"schemaVersion":1,"signatures":{},"mediaType":"x"}"#
        ));
        assert!(!signed(r#"{"schemaVersion":1,"signatures":null}"#));
        assert!(!signed(r#"{"schemaVersion":1}"#));
        assert!(!signed(r#"{"schemaVersion":2,"signatures":[]}"#));
        assert!(!signed(r#"{"schemaVersion":1.0,"signatures":[]}"#));
        assert!(!signed(r#"{"schemaVersion":"1","signatures":[]}"#));
        assert!(!signed(
            r#"{"schemaVersion":1,"signatures":[],"mediaType":5}"#
        ));
        assert!(!signed(r#"{"schemaVersion":1,"signatures":[1e999]}"#));
        assert!(!signed(&format!(
            r#"{{"schemaVersion":1,"signatures":[],"mediaType":"{OCI_MANIFEST_MEDIA_TYPE}"}}"#
        )));
        assert!(!signed(r#"[{"schemaVersion":1,"signatures":[]}]"#));
        assert!(!signed("null"));
        assert!(!signed(r#"{"schemaVersion":1,"signatures":[]"#));
        // The last duplicate wins; `null` leaves a Go string or int unchanged.
        assert!(signed(
            r#"{"schemaVersion":1,"schemaVersion":null,"signatures":[]}"#
        ));
        assert!(!signed(
            r#"{"schemaVersion":1,"signatures":[],"signatures":null}"#
        ));
    }

    #[test]
    fn empty_signature_list_digests_empty_payload() {
        let empty = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(d(br#"{"schemaVersion":1,"signatures":[]}"#).unwrap(), empty);
        assert_eq!(d(b"").unwrap(), empty);
    }
}
