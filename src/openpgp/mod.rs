//! The OpenPGP seam for `signedBy`: verifying a binary signed message against a set of
//! trusted keys (signature-formats.md §3.2–§3.4).
//!
//! The evaluator imports each requirement's keyrings once, when a
//! [`PolicyContext`](crate::eval::PolicyContext) is built, and verifies every signature
//! against the result. Implement [`OpenPgpBackend`] to plug in Sequoia, gpgme or a test
//! double.

use std::fmt;

/// A signature that verified: the signed payload and who signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedMessage {
    /// The literal data of the signed message (still to be parsed strictly).
    pub payload: Vec<u8>,
    /// The uppercase hex fingerprint of the signing key's primary key (a signature by a
    /// subkey is reported by its primary key).
    pub signer_fingerprint: String,
}

/// Why an OpenPGP operation failed; the message is the backend's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct OpenPgpError {
    /// What went wrong.
    pub reason: String,
}

/// An OpenPGP implementation.
pub trait OpenPgpBackend: Send + Sync + fmt::Debug {
    /// Imports keyrings (each one the bytes of a binary or ASCII-armored keyring file)
    /// into a set of trusted keys. Blobs without usable keys contribute nothing (as
    /// gpgme does); the caller treats an empty result as "no public keys imported".
    fn import(&self, keyrings: &[&[u8]]) -> Result<Box<dyn TrustedKeys>, OpenPgpError>;
}

/// A set of trusted OpenPGP keys.
pub trait TrustedKeys: Send + Sync + fmt::Debug {
    /// The uppercase hex fingerprints of the primary keys, in import order.
    fn fingerprints(&self) -> Vec<String>;

    /// Verifies a binary OpenPGP signed message made by one of these keys and returns
    /// its payload; any other input is an error.
    fn verify(&self, untrusted_signature: &[u8]) -> Result<VerifiedMessage, OpenPgpError>;
}
