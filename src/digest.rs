//! Content digests in the go-digest format (`algorithm:encoded`), with the
//! validation rules containers/image applies (policy-semantics.md §7.2).
//!
//! STUB: the public API below is the contract; the helper fills in the bodies.

use std::fmt;

/// Why a string is not a valid digest (policy-semantics.md §7.2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DigestError {
    /// The string is not `algorithm:encoded` with a well-formed algorithm and encoding
    /// (go-digest: `invalid checksum digest format`).
    #[error("invalid checksum digest format")]
    InvalidFormat,
    /// The algorithm is well-formed but not one of sha256, sha384, sha512
    /// (go-digest: `unsupported digest algorithm`).
    #[error("unsupported digest algorithm {algorithm:?}")]
    UnsupportedAlgorithm {
        /// The algorithm that was named.
        algorithm: String,
    },
    /// The encoded part has the wrong length for its algorithm
    /// (go-digest: `invalid checksum digest length`).
    #[error(
        "invalid checksum digest length: {algorithm} needs {expected} hex digits, found {found}"
    )]
    InvalidLength {
        /// The algorithm.
        algorithm: String,
        /// The required number of hex digits.
        expected: usize,
        /// The number of characters found.
        found: usize,
    },
}

/// A validated digest such as `sha256:0123…`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest {
    value: String,
    colon: usize,
}

impl Digest {
    /// Parses and validates `s` as go-digest's `Digest.Validate` does.
    pub fn parse(s: &str) -> Result<Self, DigestError> {
        let _ = s;
        Err(DigestError::InvalidFormat)
    }

    /// The algorithm, e.g. `sha256`.
    pub fn algorithm(&self) -> &str {
        self.value.get(..self.colon).unwrap_or_default()
    }

    /// The encoded (hex) part.
    pub fn encoded(&self) -> &str {
        self.value.get(self.colon + 1..).unwrap_or_default()
    }

    /// The whole digest string, `algorithm:encoded`.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}
