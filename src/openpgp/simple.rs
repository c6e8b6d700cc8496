//! c/image's non-policy simple-signing API (`signature/simple.go`, `docker.go`;
//! signature-formats.md §3.4, §3.6, §3.7).

use super::{OpenPgpError, TrustedKeys};
use crate::digest::Digest;
use crate::reference::Reference;
use crate::signature::{PayloadError, SimpleSigningPayload};

/// A simple signing signature that verified and passed the acceptance rules.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedSignature {
    /// The signed payload.
    pub payload: SimpleSigningPayload,
    /// The primary fingerprint of the key that signed it (uppercase hex).
    pub key_identity: String,
}

/// Why [`verify_and_extract`] or the Docker manifest checks refused a signature.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SimpleSignatureError {
    /// The OpenPGP verification failed (the backend's error, as c/image returns it).
    #[error("{0}")]
    Cryptography(#[from] OpenPgpError),
    /// The signer is not one of the accepted key identities (c/image:
    /// `InvalidSignatureError`).
    #[error("signature by key {signer} is not accepted")]
    UntrustedSigner {
        /// The signer's primary fingerprint.
        signer: String,
    },
    /// The verified payload is not a valid simple-signing payload
    /// (`InvalidSignatureError`).
    #[error("{0}")]
    InvalidPayload(#[from] PayloadError),
    /// The caller's digest rule refused the signed digest.
    #[error("{reason}")]
    DigestRejected {
        /// The rule's reason.
        reason: String,
    },
    /// The caller's reference rule refused the signed reference.
    #[error("{reason}")]
    ReferenceRejected {
        /// The rule's reason.
        reason: String,
    },
    /// The expected Docker reference passed by the caller does not parse.
    #[error("invalid expected docker reference {reference:?}: {reason}")]
    InvalidExpectedReference {
        /// The reference.
        reference: String,
        /// Why.
        reason: String,
    },
}

/// c/image's `verifyAndExtractSignature`: verifies `untrusted_signature` with `keys`,
/// requires the signer to be one of `accepted_key_identities`, parses the payload
/// strictly, then asks `validate_digest` about the signed manifest digest and, only if
/// that accepts, `validate_reference` about the signed Docker reference. Nothing of
/// the payload is parsed before the cryptography succeeds.
pub fn verify_and_extract<D, R>(
    keys: &dyn TrustedKeys,
    untrusted_signature: &[u8],
    accepted_key_identities: &[&str],
    validate_digest: D,
    validate_reference: R,
) -> Result<VerifiedSignature, SimpleSignatureError>
where
    D: FnOnce(&Digest) -> Result<(), String>,
    R: FnOnce(&str) -> Result<(), String>,
{
    let verified = keys.verify(untrusted_signature)?;
    // The backends of this seam report the primary fingerprint, so c/image's
    // subkey-to-primary fallback is already applied.
    if !accepted_key_identities.contains(&verified.signer_fingerprint.as_str()) {
        return Err(SimpleSignatureError::UntrustedSigner {
            signer: verified.signer_fingerprint,
        });
    }
    let payload = SimpleSigningPayload::parse(&verified.payload)?;
    validate_digest(&payload.docker_manifest_digest)
        .map_err(|reason| SimpleSignatureError::DigestRejected { reason })?;
    validate_reference(&payload.docker_reference)
        .map_err(|reason| SimpleSignatureError::ReferenceRejected { reason })?;
    Ok(VerifiedSignature {
        payload,
        key_identity: verified.signer_fingerprint,
    })
}

/// c/image's `VerifyDockerManifestSignature`: the signature must be by
/// `expected_key_identity`, for this manifest and for `expected_docker_reference`
/// (both references compared in normalized form, so `busybox` equals
/// `docker.io/library/busybox`; a tag is not added).
pub fn verify_docker_manifest_signature(
    keys: &dyn TrustedKeys,
    untrusted_signature: &[u8],
    untrusted_manifest: &[u8],
    expected_docker_reference: &str,
    expected_key_identity: &str,
) -> Result<SimpleSigningPayload, SimpleSignatureError> {
    verify_docker_manifest_signature_key_list(
        keys,
        untrusted_signature,
        untrusted_manifest,
        expected_docker_reference,
        &[expected_key_identity],
    )
    .map(|verified| verified.payload)
}

/// c/image's `VerifyImageManifestSignatureUsingKeyIdentityList`: as
/// [`verify_docker_manifest_signature`], accepting any of `expected_key_identities`
/// and returning which one signed.
pub fn verify_docker_manifest_signature_key_list(
    keys: &dyn TrustedKeys,
    untrusted_signature: &[u8],
    untrusted_manifest: &[u8],
    expected_docker_reference: &str,
    expected_key_identities: &[&str],
) -> Result<VerifiedSignature, SimpleSignatureError> {
    let expected = Reference::parse_normalized(expected_docker_reference).map_err(|e| {
        SimpleSignatureError::InvalidExpectedReference {
            reference: expected_docker_reference.to_owned(),
            reason: e.to_string(),
        }
    })?;
    verify_and_extract(
        keys,
        untrusted_signature,
        expected_key_identities,
        |signed| {
            // c/image's MatchesDigest: schema-1 payloads reconstructed, SHA-256 only.
            match crate::manifest::manifest_matches_digest(untrusted_manifest, signed) {
                Ok(true) => Ok(()),
                Ok(false) => Err(format!(
                    "Signature for docker digest \"{signed}\" does not match"
                )),
                Err(e) => Err(e.to_string()),
            }
        },
        |signed| {
            let signed_ref = Reference::parse_normalized(signed)
                .map_err(|_| format!("Invalid docker reference \"{signed}\" in signature"))?;
            if signed_ref.to_string() == expected.to_string() {
                Ok(())
            } else {
                Err(format!(
                    "Docker reference \"{signed_ref}\" does not match \"{expected}\""
                ))
            }
        },
    )
}

/// What a simple signing signature claims, read **without verifying it**
/// (c/image's `GetUntrustedSignatureInformationWithoutVerifying`). Use it only to
/// show or index signatures, never to trust them.
#[cfg(feature = "openpgp")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UntrustedSignatureInformation {
    /// The claimed manifest digest.
    pub untrusted_docker_manifest_digest: Digest,
    /// The claimed Docker reference.
    pub untrusted_docker_reference: String,
    /// The claimed creator, when present.
    pub untrusted_creator_id: Option<String>,
    /// The claimed creation time in seconds since the epoch, when present.
    pub untrusted_timestamp: Option<i64>,
    /// The 16-hex-digit uppercase key ID the one-pass signature packet names.
    pub untrusted_short_key_identifier: String,
}

/// The literal contents of a one-pass signed binary message and the key ID its
/// one-pass signature packet names, **without verifying anything** (c/image's
/// `UntrustedSignatureContents`).
#[cfg(feature = "openpgp")]
pub fn untrusted_signature_contents(
    untrusted_signature: &[u8],
) -> Result<(Vec<u8>, String), super::RpgpError> {
    super::rpgp::untrusted_contents(untrusted_signature)
}

/// Reads what a signature claims without verifying it; see
/// [`UntrustedSignatureInformation`].
#[cfg(feature = "openpgp")]
pub fn untrusted_signature_information(
    untrusted_signature: &[u8],
) -> Result<UntrustedSignatureInformation, SimpleSignatureError> {
    let (contents, key_id) = untrusted_signature_contents(untrusted_signature)
        .map_err(|e| SimpleSignatureError::Cryptography(e.into()))?;
    let payload = SimpleSigningPayload::parse(&contents)?;
    Ok(UntrustedSignatureInformation {
        untrusted_docker_manifest_digest: payload.docker_manifest_digest,
        untrusted_docker_reference: payload.docker_reference,
        untrusted_creator_id: payload.creator,
        untrusted_timestamp: payload.timestamp,
        untrusted_short_key_identifier: key_id,
    })
}
