//! Errors of the signature formats: blob classification, strict JSON and payloads.

use std::fmt;

use crate::digest::DigestError;

/// The kind of a JSON value, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JsonKind {
    /// An object (`{…}`).
    Object,
    /// An array (`[…]`).
    Array,
    /// A string.
    String,
    /// A number.
    Number,
    /// `true` or `false`.
    Bool,
    /// `null`.
    Null,
}

impl fmt::Display for JsonKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JsonKind::Object => "an object",
            JsonKind::Array => "an array",
            JsonKind::String => "a string",
            JsonKind::Number => "a number",
            JsonKind::Bool => "a boolean",
            JsonKind::Null => "null",
        })
    }
}

/// Why a JSON document does not have the shape c/image's strict ("paranoid") reader
/// demands (signature-formats.md §2), or is not JSON at all.
///
/// `path` members name the object or member concerned in JSONPath style: `$` is the
/// document, `$.critical.image` a nested object. Offsets are byte offsets into the
/// document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonFormatError {
    /// The text is not valid JSON.
    #[error("invalid JSON at byte {offset}: expected {expected}, found {found}")]
    Syntax {
        /// Where the problem is.
        offset: usize,
        /// What the grammar allows there.
        expected: &'static str,
        /// What is there instead (a character, a byte, or the end of the input).
        found: String,
    },
    /// Arrays and objects nested deeper than Go's decoder allows.
    #[error("JSON nested deeper than {limit} levels at byte {offset}")]
    TooDeep {
        /// Where the limit was exceeded.
        offset: usize,
        /// The limit (Go's `maxNestingDepth`).
        limit: usize,
    },
    /// A value that must be an object is something else (c/image: `JSON object
    /// expected, got …`).
    #[error("{path}: a JSON object is expected, found {found}")]
    ObjectExpected {
        /// The value.
        path: String,
        /// What it is.
        found: JsonKind,
    },
    /// A key appears twice in one object (compared after unescaping).
    #[error("{path}: duplicate key {key:?}")]
    DuplicateKey {
        /// The object.
        path: String,
        /// The repeated key.
        key: String,
    },
    /// A key the object does not allow (keys are case-sensitive).
    #[error("{path}: unknown key {key:?}")]
    UnknownKey {
        /// The object.
        path: String,
        /// The key.
        key: String,
    },
    /// A required key is absent.
    #[error("{path}: required key {key:?} is missing")]
    MissingKey {
        /// The object.
        path: String,
        /// The missing key.
        key: String,
    },
    /// A member has the wrong JSON type.
    #[error("{path}: expected {expected}, found {found}")]
    TypeMismatch {
        /// The member.
        path: String,
        /// The type the format requires.
        expected: &'static str,
        /// The type found.
        found: JsonKind,
    },
    /// A number that does not fit its destination (Go: an integer literal out of
    /// range or with a fraction/exponent, a float beyond `f64`, a byte above 255).
    #[error("{path}: {literal} is not {expected}")]
    NumberOutOfRange {
        /// The member.
        path: String,
        /// The number as written.
        literal: String,
        /// What was required.
        expected: &'static str,
    },
    /// A binary member is not valid standard, padded base64.
    #[error("{path}: invalid base64: {reason}")]
    InvalidBase64 {
        /// The member.
        path: String,
        /// The decoder's explanation.
        reason: String,
    },
    /// Something other than whitespace follows the object (c/image: `Unexpected data
    /// after JSON object`).
    #[error("unexpected data after the JSON object at byte {offset}")]
    TrailingData {
        /// Where the extra data starts.
        offset: usize,
    },
}

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
