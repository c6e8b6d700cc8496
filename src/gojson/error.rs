//! The errors of the JSON reader: the kind of a value and why a document was refused.
//!
//! Both are public as [`crate::signature::JsonKind`] and
//! [`crate::signature::JsonFormatError`] (the strict signature formats were their first
//! users); the scanner, the struct decoder and the paranoid object reader all report
//! with them.

use std::fmt;

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

impl JsonKind {
    /// The word Go uses in `UnmarshalTypeError` ("cannot unmarshal X into ...").
    pub(crate) fn go_name(self) -> &'static str {
        match self {
            JsonKind::Object => "object",
            JsonKind::Array => "array",
            JsonKind::String => "string",
            JsonKind::Number => "number",
            JsonKind::Bool => "bool",
            JsonKind::Null => "null",
        }
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
