//! Errors of the signature formats: blob classification, strict JSON and payloads.

use crate::digest::DigestError;
pub use crate::gojson::{JsonFormatError, JsonKind};

/// Why a stored signature blob cannot be read (policy-semantics.md §11.1).
///
/// c/image fails the whole signature fetch of an image on any of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureFormatError {
    /// The blob has no bytes.
    #[error("empty signature blob")]
    Empty,
    /// The blob is larger than [`MAX_SIGNATURE_BLOB_SIZE`](super::MAX_SIGNATURE_BLOB_SIZE).
    #[error("signature blob is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// The blob's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A `0x00`-prefixed blob has no newline ending the format name.
    #[error("invalid signature format, missing newline after the format name")]
    MissingNewline,
    /// A byte of the format name is not printable ASCII (0x20–0x7E).
    #[error(
        "invalid signature format, non-ASCII byte {byte:#x} at offset {offset} of the format name"
    )]
    NonAsciiFormatName {
        /// The byte.
        byte: u8,
        /// Its offset within the format name.
        offset: usize,
    },
    /// The format name is neither `simple-signing` nor `sigstore-json`.
    #[error("unrecognized signature format {format:?}")]
    UnrecognizedFormat {
        /// The name found.
        format: String,
    },
    /// The first byte is neither `0x00` nor one of the OpenPGP packet tags c/image
    /// recognises (ASCII-armored and clearsigned messages land here).
    #[error("unrecognized signature format, starting with binary {byte:#x}")]
    UnrecognizedFirstByte {
        /// The first byte.
        byte: u8,
    },
    /// A `sigstore-json` chunk is not the JSON c/image writes.
    #[error("invalid sigstore-json signature: {0}")]
    InvalidSigstoreChunk(JsonFormatError),
    /// A consumer cannot handle this format (c/image's `UnsupportedFormatError`); built
    /// with [`SignatureFormatError::unsupported`].
    #[error("{}", unsupported_text(format))]
    Unsupported {
        /// The format name.
        format: String,
    },
}

impl SignatureFormatError {
    /// c/image's `UnsupportedFormatError` for a signature of format `format`: its text is
    /// `unsupported signature format F` for the two known formats and
    /// `unsupported, and unrecognized, signature format "F"` otherwise.
    pub fn unsupported(format: &str) -> Self {
        SignatureFormatError::Unsupported {
            format: format.to_owned(),
        }
    }
}

fn unsupported_text(format: &str) -> String {
    match format {
        super::SIMPLE_SIGNING_FORMAT | super::SIGSTORE_FORMAT => {
            format!("unsupported signature format {format}")
        }
        _ => format!("unsupported, and unrecognized, signature format {format:?}"),
    }
}

/// Why a signature payload (the signed JSON document) is rejected
/// (signature-formats.md §3.1, §4.2). c/image reports all of these as
/// `InvalidSignatureError`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PayloadError {
    /// The document is not JSON, or not of the required shape.
    #[error("invalid signature payload: {0}")]
    Json(#[from] JsonFormatError),
    /// `optional.timestamp` is not an integral number within the range of an `i64`.
    #[error("invalid signature payload: $.optional.timestamp is {value}, not an integer")]
    TimestampNotInteger {
        /// The number, as read into a 64-bit float.
        value: f64,
    },
    /// `critical.type` names another signature family.
    #[error(
        "invalid signature payload: unrecognized signature type {found:?}, expected {expected:?}"
    )]
    UnrecognizedType {
        /// The type this parser accepts.
        expected: &'static str,
        /// The type found.
        found: String,
    },
    /// `critical.image.docker-manifest-digest` is not a valid digest.
    #[error("invalid signature payload: invalid docker-manifest-digest value {value:?}: {source}")]
    InvalidDigest {
        /// The value found.
        value: String,
        /// Why it is invalid.
        source: DigestError,
    },
    /// A payload cannot be written with an empty field (c/image: `Unexpected empty
    /// signature content`).
    #[error("cannot write a signature payload with an empty {field}")]
    EmptyField {
        /// The field (`docker-reference`).
        field: &'static str,
    },
}
