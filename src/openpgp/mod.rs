//! The OpenPGP seam for `signedBy`: verifying a binary signed message against a set of
//! trusted keys (signature-formats.md §3.2–§3.4).
//!
//! The evaluator imports each requirement's keyrings once, when a
//! [`PolicyContext`](crate::eval::PolicyContext) is built, and verifies every signature
//! against the result. Implement [`OpenPgpBackend`] to plug in Sequoia, gpgme or a test
//! double; [`RpgpBackend`] (feature `openpgp`, on by default) is the pure-Rust
//! implementation with the verdicts of c/image's default (gpgme) build.
//!
//! The module also has c/image's non-policy simple-signing API:
//! [`verify_and_extract`], [`verify_docker_manifest_signature`],
//! [`verify_docker_manifest_signature_key_list`] and (feature `openpgp`)
//! [`untrusted_signature_information`] / [`untrusted_signature_contents`].

use std::fmt;
use std::time::SystemTime;

#[cfg(feature = "openpgp")]
mod rpgp;
mod simple;

#[cfg(feature = "openpgp")]
pub use rpgp::{MAX_COMPRESSION_DEPTH, MAX_DECOMPRESSED_SIZE, RpgpBackend, RpgpError, RpgpKeys};
pub use simple::{
    SimpleSignatureError, VerifiedSignature, verify_and_extract, verify_docker_manifest_signature,
    verify_docker_manifest_signature_key_list,
};
#[cfg(feature = "openpgp")]
pub use simple::{
    UntrustedSignatureInformation, untrusted_signature_contents, untrusted_signature_information,
};

/// The largest signature blob a backend should read (4 MiB).
pub const MAX_SIGNATURE_SIZE: usize = 4 * 1024 * 1024;

/// The largest keyring blob a backend should read (16 MiB).
pub const MAX_KEYRING_SIZE: usize = 16 * 1024 * 1024;

/// The largest signed payload (literal data, after decompression) a backend should
/// return (4 MiB).
pub const MAX_PAYLOAD_SIZE: usize = 4 * 1024 * 1024;

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

    /// Verifies an OpenPGP signed message made by one of these keys, as of the system
    /// clock, and returns its payload; any other input is an error.
    fn verify(&self, untrusted_signature: &[u8]) -> Result<VerifiedMessage, OpenPgpError>;

    /// [`verify`](Self::verify) with expiry judged at `now`. The default ignores
    /// `now` and calls `verify`; backends that check expiry override it.
    fn verify_at(
        &self,
        untrusted_signature: &[u8],
        now: SystemTime,
    ) -> Result<VerifiedMessage, OpenPgpError> {
        let _ = now;
        self.verify(untrusted_signature)
    }
}
