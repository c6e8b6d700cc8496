//! Stored signatures, unverified: the two families c/image knows and their on-disk
//! blob format (signature-formats.md §1; policy-semantics.md §11.1).
//!
//! STUB: the helper fills in blob classification and the payload parsers.

use std::collections::BTreeMap;

/// One signature as fetched, before any verification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UntrustedSignature {
    /// A simple-signing signature: an OpenPGP signed message, as raw bytes.
    SimpleSigning(Vec<u8>),
    /// A sigstore signature (a cosign attachment layer).
    Sigstore(UntrustedSigstoreSignature),
}

/// A sigstore signature: the attachment layer's MIME type, payload and annotations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UntrustedSigstoreSignature {
    /// The layer's media type; only `application/vnd.dev.cosign.simplesigning.v1+json`
    /// is a signature.
    pub mime_type: String,
    /// The payload bytes (what the signature signs).
    pub payload: Vec<u8>,
    /// The layer's annotations (signature, certificate, chain, Rekor bundle).
    pub annotations: BTreeMap<String, String>,
}
