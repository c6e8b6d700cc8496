//! Content digests in the go-digest format (`algorithm:encoded`), with the
//! validation rules containers/image applies (policy-semantics.md §7.2).
//!
//! [`Digest::parse`] is go-digest's `Parse`/`Digest.Validate` (v1.0.0): the first `:`
//! separates the algorithm from the encoded part; only `sha256`, `sha384` and `sha512`
//! are available, and their encoded part must be exactly 64, 96 or 128 *lowercase*
//! hexadecimal digits.
//!
//! Every error message starts with go-digest's own error text, so callers that compare
//! against containers/image messages can use a prefix match.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use sha2::{Digest as _, Sha256};

/// go-digest's `DigestRegexpAnchored`, used only to choose between "unsupported
/// algorithm" and "invalid format" for algorithms that are not available.
static DIGEST_ANCHORED: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$").ok());

/// Why a string is not a valid digest (policy-semantics.md §7.2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DigestError {
    /// The string is not `algorithm:encoded` with a well-formed algorithm and encoding
    /// (go-digest: `invalid checksum digest format`). This covers a missing `:`, an
    /// empty algorithm or encoded part, an encoded part that is not lowercase hex, and
    /// an unknown algorithm that does not match go-digest's digest grammar.
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
    /// (go-digest: `invalid checksum digest length`). The length is checked before
    /// the character set, as go-digest does.
    #[error(
        "invalid checksum digest length: {algorithm} needs {expected} hex digits, found {found}"
    )]
    InvalidLength {
        /// The algorithm.
        algorithm: String,
        /// The required number of hex digits.
        expected: usize,
        /// The length (in bytes) of the encoded part that was found.
        found: usize,
    },
}

impl DigestError {
    /// The exact error text go-digest returns for this error (`invalid checksum digest
    /// format`, `invalid checksum digest length` or `unsupported digest algorithm`),
    /// without the details that this crate's [`Display`](fmt::Display) adds.
    pub fn upstream_message(&self) -> &'static str {
        match self {
            DigestError::InvalidFormat => "invalid checksum digest format",
            DigestError::UnsupportedAlgorithm { .. } => "unsupported digest algorithm",
            DigestError::InvalidLength { .. } => "invalid checksum digest length",
        }
    }
}

/// A validated digest such as `sha256:0123…`.
///
/// The only way to build one is [`Digest::parse`] (or [`Digest::sha256_of`]), so every
/// value has an available algorithm and a lowercase hex encoding of the right length.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest {
    value: String,
    colon: usize,
}

/// The number of hex digits of each available algorithm (go-digest with sha256 and
/// sha512 linked in, as in every containers/image binary).
fn expected_hex_len(algorithm: &str) -> Option<usize> {
    match algorithm {
        "sha256" => Some(64),
        "sha384" => Some(96),
        "sha512" => Some(128),
        _ => None,
    }
}

impl Digest {
    /// Parses and validates `s` as go-digest's `Digest.Validate` does.
    ///
    /// ```
    /// use containers_policy::digest::{Digest, DigestError};
    /// let d = Digest::parse(&format!("sha256:{}", "a".repeat(64))).unwrap();
    /// assert_eq!(d.algorithm(), "sha256");
    /// assert!(matches!(Digest::parse("md5:d41d8cd98f00b204e9800998ecf8427e"),
    ///     Err(DigestError::UnsupportedAlgorithm { .. })));
    /// ```
    pub fn parse(s: &str) -> Result<Self, DigestError> {
        let colon = match s.find(':') {
            Some(i) if i > 0 && i + 1 < s.len() => i,
            _ => return Err(DigestError::InvalidFormat),
        };
        let (Some(algorithm), Some(encoded)) = (s.get(..colon), s.get(colon + 1..)) else {
            return Err(DigestError::InvalidFormat);
        };
        let Some(expected) = expected_hex_len(algorithm) else {
            let well_formed = DIGEST_ANCHORED.as_ref().is_some_and(|re| re.is_match(s));
            return Err(if well_formed {
                DigestError::UnsupportedAlgorithm {
                    algorithm: algorithm.to_owned(),
                }
            } else {
                DigestError::InvalidFormat
            });
        };
        if encoded.len() != expected {
            return Err(DigestError::InvalidLength {
                algorithm: algorithm.to_owned(),
                expected,
                found: encoded.len(),
            });
        }
        if !encoded
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(DigestError::InvalidFormat);
        }
        Ok(Digest {
            value: s.to_owned(),
            colon,
        })
    }

    /// The SHA-256 digest of `bytes` (go-digest's `FromBytes`).
    pub fn sha256_of(bytes: &[u8]) -> Digest {
        Self::from_hash("sha256", &Sha256::digest(bytes))
    }

    /// The digest of `bytes` with `algorithm` (`sha256`, `sha384` or `sha512`), as
    /// go-digest's `Algorithm.FromBytes`; `None` for other algorithms.
    pub fn compute(algorithm: &str, bytes: &[u8]) -> Option<Digest> {
        match algorithm {
            "sha256" => Some(Self::from_hash(algorithm, &Sha256::digest(bytes))),
            "sha384" => Some(Self::from_hash(algorithm, &sha2::Sha384::digest(bytes))),
            "sha512" => Some(Self::from_hash(algorithm, &sha2::Sha512::digest(bytes))),
            _ => None,
        }
    }

    fn from_hash(algorithm: &str, hash: &[u8]) -> Digest {
        let mut value = String::with_capacity(algorithm.len() + 1 + hash.len() * 2);
        value.push_str(algorithm);
        value.push(':');
        for &byte in hash {
            value.push(hex_digit(byte >> 4));
            value.push(hex_digit(byte & 0x0f));
        }
        Digest {
            value,
            colon: algorithm.len(),
        }
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

/// The lowercase hex digit for a nibble (`0..=15`).
fn hex_digit(nibble: u8) -> char {
    char::from_digit(u32::from(nibble), 16).unwrap_or('0')
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl std::str::FromStr for Digest {
    type Err = DigestError;

    /// Same as [`Digest::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Digest::parse(s)
    }
}

impl AsRef<str> for Digest {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl serde::Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(n: usize) -> String {
        "0123456789abcdef".chars().cycle().take(n).collect()
    }

    #[test]
    fn available_algorithms() {
        for (algo, len) in [("sha256", 64), ("sha384", 96), ("sha512", 128)] {
            let s = format!("{algo}:{}", hex(len));
            let d = Digest::parse(&s).unwrap();
            assert_eq!(d.algorithm(), algo);
            assert_eq!(d.encoded(), hex(len));
            assert_eq!(d.as_str(), s);
            assert_eq!(d.to_string(), s);
        }
    }

    #[test]
    fn format_errors() {
        for s in [
            "",
            ":",
            "sha256",
            "sha256:",
            ":abcd",
            "SHA256:abcd",
            "sha256!:abcd",
            "foo:bar:baz!",
            "md5:",
        ] {
            assert_eq!(Digest::parse(s), Err(DigestError::InvalidFormat), "{s:?}");
        }
        // Uppercase hex of the right length.
        let upper = format!("sha256:{}", hex(64).to_uppercase());
        assert_eq!(Digest::parse(&upper), Err(DigestError::InvalidFormat));
        // Non-hex of the right length.
        let bad = format!("sha256:{}", "g".repeat(64));
        assert_eq!(Digest::parse(&bad), Err(DigestError::InvalidFormat));
    }

    #[test]
    fn length_errors_come_before_charset() {
        assert_eq!(
            Digest::parse("sha256:ABC"),
            Err(DigestError::InvalidLength {
                algorithm: "sha256".into(),
                expected: 64,
                found: 3
            })
        );
        let e = Digest::parse(&format!("sha512:{}", hex(64))).unwrap_err();
        assert!(e.to_string().starts_with("invalid checksum digest length"));
    }

    #[test]
    fn unsupported() {
        let e = Digest::parse(&format!("md5:{}", hex(32))).unwrap_err();
        assert_eq!(
            e,
            DigestError::UnsupportedAlgorithm {
                algorithm: "md5".into()
            }
        );
        assert!(e.to_string().starts_with("unsupported digest algorithm"));
        assert!(matches!(
            Digest::parse("sha3.256+b64:AbC_-="),
            Err(DigestError::UnsupportedAlgorithm { .. })
        ));
    }

    #[test]
    fn sha256_of_known_values() {
        assert_eq!(
            Digest::sha256_of(b"").as_str(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let d = Digest::sha256_of(b"abc");
        assert_eq!(
            d.encoded(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(Digest::parse(d.as_str()).unwrap(), d);
    }
}
