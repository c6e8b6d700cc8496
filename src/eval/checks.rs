//! The format checks the evaluator applies to verified data: payload parsing and
//! manifest digests. WIRING PENDING: replaced by the signature and manifest modules.

use crate::digest::Digest;
use crate::signature::SimpleSigningPayload;

/// What a verified payload says.
pub(crate) struct SignedPayload {
    pub docker_manifest_digest: Digest,
    pub docker_reference: String,
}

/// Parses a verified simple-signing payload strictly (policy-semantics.md §11.3).
pub(crate) fn parse_simple_payload(verified_payload: &[u8]) -> Result<SignedPayload, String> {
    SimpleSigningPayload::parse(verified_payload)
        .map(|p| SignedPayload {
            docker_manifest_digest: p.docker_manifest_digest,
            docker_reference: p.docker_reference,
        })
        .map_err(|e| e.to_string())
}

pub(crate) fn manifest_matches(
    untrusted_manifest: &[u8],
    expected: &Digest,
) -> Result<bool, String> {
    Ok(Digest::sha256_of(untrusted_manifest) == *expected)
}

pub(crate) fn manifest_digest(untrusted_manifest: &[u8]) -> Option<Digest> {
    Some(Digest::sha256_of(untrusted_manifest))
}
