//! The format checks the evaluator applies to verified data: payload parsing and
//! manifest digests, as plain results for the explanation.

use crate::digest::Digest;
use crate::manifest;
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

/// c/image's `MatchesDigest`: SHA-256 only, after schema-1 JWS stripping (§13).
pub(crate) fn manifest_matches(
    untrusted_manifest: &[u8],
    expected: &Digest,
) -> Result<bool, String> {
    manifest::manifest_matches_digest(untrusted_manifest, expected).map_err(|e| e.to_string())
}

/// The manifest's digest, for explanations.
pub(crate) fn manifest_digest(untrusted_manifest: &[u8]) -> Option<Digest> {
    manifest::manifest_digest(untrusted_manifest).ok()
}
