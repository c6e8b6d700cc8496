//! Stored signatures, unverified: the two families c/image knows, their on-disk blob
//! format, and the JSON payloads they sign (signature-formats.md §1–§4;
//! policy-semantics.md §11, §12.6).
//!
//! * [`UntrustedSignature::from_blob`] / [`to_blob`](UntrustedSignature::to_blob):
//!   the blob format of `dir:` images, lookaside storage and c/storage.
//! * [`SimpleSigningPayload`] and [`SigstorePayload`]: the signed JSON documents, read
//!   with c/image's strict ("paranoid") rules and written byte for byte as c/image does.
//!
//! Nothing here verifies a signature. The payload parsers are meant for bytes whose
//! signature has already been checked (c/image verifies the cryptography first).

use std::collections::BTreeMap;

mod blob;
mod error;
mod payload;
mod sigstore_payload;
mod simple_payload;
pub(crate) mod strict_json;

pub use error::{JsonFormatError, JsonKind, PayloadError, SignatureFormatError};
pub use sigstore_payload::SigstorePayload;
pub use simple_payload::SimpleSigningPayload;

/// The format name of simple-signing (OpenPGP) signatures in the blob format.
pub const SIMPLE_SIGNING_FORMAT: &str = "simple-signing";
/// The format name of sigstore signatures in the blob format.
pub const SIGSTORE_FORMAT: &str = "sigstore-json";

/// The largest signature blob [`UntrustedSignature::from_blob`] reads: 4 MiB, c/image's
/// `iolimits.MaxSignatureBodySize` for signatures fetched from lookaside storage and
/// registries. (c/image itself reads `dir:` signature files without a limit; this
/// crate applies the same bound everywhere.)
pub const MAX_SIGNATURE_BLOB_SIZE: usize = 4 * 1024 * 1024;

/// The media type of a sigstore signature layer (cosign's `SimpleSigningMediaType`);
/// layers of any other type are not signatures.
pub const SIGSTORE_SIGNATURE_MIME_TYPE: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
/// The annotation holding the base64 signature of a sigstore payload (required).
pub const SIGSTORE_SIGNATURE_ANNOTATION: &str = "dev.cosignproject.cosign/signature";
/// The annotation holding the PEM signing certificate (Fulcio or PKI).
pub const SIGSTORE_CERTIFICATE_ANNOTATION: &str = "dev.sigstore.cosign/certificate";
/// The annotation holding the PEM intermediates followed by the root.
pub const SIGSTORE_CHAIN_ANNOTATION: &str = "dev.sigstore.cosign/chain";
/// The annotation holding the Rekor bundle (SET), as JSON text.
pub const SIGSTORE_SET_ANNOTATION: &str = "dev.sigstore.cosign/bundle";

/// One signature as fetched, before any verification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UntrustedSignature {
    /// A simple-signing signature: an OpenPGP signed message, as raw bytes.
    SimpleSigning(Vec<u8>),
    /// A sigstore signature (a cosign attachment layer).
    Sigstore(UntrustedSigstoreSignature),
}

impl UntrustedSignature {
    /// Reads a stored signature blob the way c/image's `FromBlob` does.
    ///
    /// * A first byte that starts an OpenPGP compressed-data, one-pass-signature or
    ///   signature packet (`A0`–`A3`, `C8`, `90`–`92`, `C4`, `88`–`8B`, `C2`, and `3D`,
    ///   c/image's typo for `93`, reproduced) means a legacy raw simple-signing blob:
    ///   the whole blob is the signature. Nothing further is checked here.
    /// * `0x00`, a printable-ASCII format name, `\n`, then the format's data:
    ///   `simple-signing` (OpenPGP bytes) or `sigstore-json` (see
    ///   [`UntrustedSigstoreSignature::from_blob_chunk`]).
    /// * Anything else is an error, including ASCII-armored and clearsigned OpenPGP
    ///   (first byte `-`), an empty blob and a blob above
    ///   [`MAX_SIGNATURE_BLOB_SIZE`].
    ///
    /// ```
    /// use containers_policy::signature::{SignatureFormatError, UntrustedSignature};
    /// let sig = UntrustedSignature::from_blob(b"\0simple-signing\n\xa3rest").unwrap();
    /// assert_eq!(sig, UntrustedSignature::SimpleSigning(b"\xa3rest".to_vec()));
    /// assert_eq!(
    ///     UntrustedSignature::from_blob(b"-----BEGIN PGP SIGNED MESSAGE-----"),
    ///     Err(SignatureFormatError::UnrecognizedFirstByte { byte: b'-' })
    /// );
    /// ```
    pub fn from_blob(untrusted_blob: &[u8]) -> Result<Self, SignatureFormatError> {
        blob::from_blob(untrusted_blob)
    }

    /// The blob c/image's `signature.Blob` writes: simple-signing signatures raw (for
    /// old readers), others as `0x00 format-name '\n' data`.
    pub fn to_blob(&self) -> Vec<u8> {
        blob::to_blob(self)
    }

    /// The format name: [`SIMPLE_SIGNING_FORMAT`] or [`SIGSTORE_FORMAT`].
    pub fn format_id(&self) -> &'static str {
        match self {
            UntrustedSignature::SimpleSigning(_) => SIMPLE_SIGNING_FORMAT,
            UntrustedSignature::Sigstore(_) => SIGSTORE_FORMAT,
        }
    }
}

/// A sigstore signature: the attachment layer's MIME type, payload and annotations.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UntrustedSigstoreSignature {
    /// The layer's media type; only [`SIGSTORE_SIGNATURE_MIME_TYPE`] is a signature.
    pub mime_type: String,
    /// The payload bytes (what the signature signs).
    pub payload: Vec<u8>,
    /// The layer's annotations (signature, certificate, chain, Rekor bundle).
    pub annotations: BTreeMap<String, String>,
}

impl UntrustedSigstoreSignature {
    /// Reads the data of a `sigstore-json` blob (c/image's `SigstoreFromBlobChunk`):
    /// the JSON object `{"mimeType": string, "payload": base64, "annotations": {string:
    /// string}}`, decoded the way Go's `encoding/json` decodes a struct, which is
    /// lenient:
    ///
    /// * keys match case-insensitively (with Go's folding), unknown keys are ignored,
    ///   and for a repeated key the last one wins (repeated `annotations` objects
    ///   merge);
    /// * `payload` is standard padded base64 (`\r`/`\n` ignored, non-canonical final
    ///   bits accepted) or, like any Go byte slice, an array of integers 0–255;
    /// * `null` leaves `mimeType` unchanged, empties `payload` and `annotations`, and
    ///   reads as `""` for an annotation value; a whole-document `null` is an empty
    ///   signature;
    /// * wrong types, bad base64 and invalid JSON are errors.
    pub fn from_blob_chunk(untrusted_chunk: &[u8]) -> Result<Self, SignatureFormatError> {
        blob::sigstore_from_chunk(untrusted_chunk)
            .map_err(SignatureFormatError::InvalidSigstoreChunk)
    }

    /// The data of a `sigstore-json` blob as c/image writes it: compact JSON with the
    /// members `mimeType`, `payload` (base64), `annotations` (keys sorted).
    pub fn to_blob_chunk(&self) -> Vec<u8> {
        blob::sigstore_to_chunk(self).into_bytes()
    }
}

/// A test hook for the conformance kit's `json.paranoid_object*` cases: not part of the
/// supported API.
#[doc(hidden)]
pub mod __conformance {
    use super::JsonFormatError;
    use super::strict_json::{Decoded, Kind, Raw, read_object, read_object_exact};

    /// Reads `json` with the strict object reader and a schema of `(name, kind)` where
    /// kind is `string`, `integer`, `number`, `raw-json` or `any`; returns the decoded
    /// members as `serde_json` values (raw members as their text, `any` omitted).
    pub fn paranoid_object(
        schema: &[(String, String)],
        exact: bool,
        json: &[u8],
    ) -> Result<serde_json::Map<String, serde_json::Value>, JsonFormatError> {
        let fields: Vec<(&str, Kind)> = schema
            .iter()
            .map(|(name, kind)| {
                let kind = match kind.as_str() {
                    "string" => Kind::String,
                    "integer" => Kind::Integer,
                    "number" => Kind::Number,
                    "raw-json" => Kind::Raw,
                    _ => Kind::Accept,
                };
                (name.as_str(), kind)
            })
            .collect();
        let members = if exact {
            read_object_exact(Raw::document(json), "$", &fields)?
        } else {
            read_object(Raw::document(json), "$", |key| {
                fields.iter().find(|(name, _)| *name == key).map(|f| f.1)
            })?
        };
        let mut out = serde_json::Map::new();
        for member in members.0 {
            let value = match member.value {
                Decoded::String(s) => serde_json::Value::from(s.unwrap_or_default()),
                Decoded::Integer(n) => serde_json::Value::from(n.unwrap_or_default()),
                Decoded::Number(n) => serde_json::Value::from(n.unwrap_or_default()),
                Decoded::Raw(raw) => {
                    serde_json::Value::from(String::from_utf8_lossy(raw.bytes).into_owned())
                }
                Decoded::Discarded => continue,
            };
            out.insert(member.key, value);
        }
        Ok(out)
    }
}
