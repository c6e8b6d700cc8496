//! The result of evaluating an image: allowed or rejected, and the path to that
//! decision — the section chosen, each requirement's outcome and, for signature
//! requirements, each signature's outcome with the check that failed.
//!
//! `Display` writes an explanation for people; `Serialize` writes the same tree as
//! JSON for programs.

use std::fmt;

use serde::Serialize;

use crate::digest::Digest;

/// The policy section an evaluation used.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Section {
    /// The transport section.
    pub transport: String,
    /// The scope key (`""` for the transport-wide scope).
    pub scope: String,
}

/// The decision on one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    allowed: bool,
    image: String,
    /// `None` when the global default section applied.
    section: Option<Section>,
    requirements: Vec<RequirementOutcome>,
    /// Set when the list was empty, or signature verification was required and absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    policy_rejection: Option<PolicyRejection>,
}

/// Reasons to reject that belong to the section rather than one requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[non_exhaustive]
pub enum PolicyRejection {
    /// The section has no requirements (possible only for policies built in code).
    EmptyRequirementList,
    /// Signature verification is required and no requirement of the section checks
    /// signatures (c/image's `RequireSignatureVerification`).
    NoSignatureVerification,
}

impl Verdict {
    pub(crate) fn new(
        image: String,
        section: Option<Section>,
        requirements: Vec<RequirementOutcome>,
        policy_rejection: Option<PolicyRejection>,
    ) -> Self {
        let allowed = policy_rejection.is_none()
            && requirements
                .iter()
                .all(|r| matches!(r.result, RequirementResult::Accepted { .. }));
        Self {
            allowed,
            image,
            section,
            requirements,
            policy_rejection,
        }
    }

    /// True when the policy allows the image.
    pub fn is_allowed(&self) -> bool {
        self.allowed
    }

    /// The image, as `transport:reference`.
    pub fn image(&self) -> &str {
        &self.image
    }

    /// The section used; `None` for the global default.
    pub fn section(&self) -> Option<&Section> {
        self.section.as_ref()
    }

    /// The requirements evaluated, in order. Evaluation stops at the first rejection,
    /// as in c/image, so later requirements do not appear.
    pub fn requirements(&self) -> &[RequirementOutcome] {
        &self.requirements
    }

    /// A rejection that belongs to the section rather than one requirement.
    pub fn policy_rejection(&self) -> Option<&PolicyRejection> {
        self.policy_rejection.as_ref()
    }

    /// The requirement that rejected the image, if one did.
    pub fn rejecting_requirement(&self) -> Option<&RequirementOutcome> {
        self.requirements
            .iter()
            .find(|r| matches!(r.result, RequirementResult::Rejected { .. }))
    }

    /// One line saying why the image was rejected (empty when allowed).
    pub fn reason(&self) -> String {
        if self.allowed {
            return String::new();
        }
        match (&self.policy_rejection, self.rejecting_requirement()) {
            (Some(PolicyRejection::EmptyRequirementList), _) => {
                "the policy section has no requirements".to_owned()
            }
            (Some(PolicyRejection::NoSignatureVerification), _) => format!(
                "signature verification is required, but no requirement for {} verifies signatures",
                self.image
            ),
            (None, Some(requirement)) => requirement.to_string(),
            (None, None) => "rejected".to_owned(),
        }
    }

    /// The explanation as indented text (the same as `Display`).
    pub fn explain(&self) -> String {
        self.to_string()
    }
}

/// What one requirement decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementOutcome {
    /// Position in the section's list (0-based).
    pub index: usize,
    /// The requirement's `type`.
    #[serde(rename = "type")]
    pub requirement_type: &'static str,
    /// The decision.
    pub result: RequirementResult,
}

/// A requirement's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "camelCase")]
#[non_exhaustive]
pub enum RequirementResult {
    /// The requirement accepts the image.
    Accepted {
        /// For signature requirements: the signature that satisfied it.
        #[serde(skip_serializing_if = "Option::is_none")]
        signature: Option<AcceptedSignature>,
        /// The signatures tried before it, which failed.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        rejected_before: Vec<SignatureOutcome>,
    },
    /// The requirement rejects the image.
    Rejected {
        /// Why.
        reason: RejectReason,
    },
}

/// Why a requirement rejected an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[non_exhaustive]
pub enum RejectReason {
    /// A `reject` requirement.
    RejectedByPolicy,
    /// `signedBaseLayer`, which c/image never implemented and always denies.
    NotImplemented,
    /// The image's signatures could not be read.
    SignaturesUnreadable {
        /// What went wrong.
        reason: String,
    },
    /// No signature of the family this requirement checks.
    NoSignature {
        /// Signatures of the other family (simple signing for `sigstoreSigned`,
        /// sigstore for `signedBy`), which this requirement ignores.
        other_format: usize,
        /// Sigstore attachments that are not signatures (other MIME types).
        non_signature_attachments: usize,
    },
    /// Every signature was rejected; each one's failure is listed.
    NoSignatureAccepted {
        /// The signatures, in order.
        signatures: Vec<SignatureOutcome>,
    },
}

/// A signature that satisfied a requirement, with what it was verified to say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AcceptedSignature {
    /// 1-based position among the image's signatures.
    pub index: usize,
    /// The key that signed it (OpenPGP primary fingerprint, or a description of the
    /// sigstore key or certificate).
    pub signer: String,
    /// The manifest digest the signature vouches for.
    pub docker_manifest_digest: Digest,
    /// The identity the signature claims.
    pub docker_reference: String,
}

/// One signature's failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureOutcome {
    /// 1-based position among the image's signatures.
    pub index: usize,
    /// The first check that failed.
    pub failure: SignatureFailure,
}

/// The first check a signature failed, in c/image's order (cryptography, signer,
/// payload, manifest digest, identity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "check", rename_all = "camelCase")]
#[non_exhaustive]
pub enum SignatureFailure {
    /// `signedBy` with a keyType other than `GPGKeys` (parsed, never implemented).
    UnimplementedKeyType {
        /// The keyType.
        key_type: &'static str,
    },
    /// Key material named by the policy could not be loaded.
    KeysUnavailable {
        /// What could not be read, and why.
        reason: String,
    },
    /// The requirement's key material holds no usable key.
    NoKeys,
    /// This build has no verifier for the signature family.
    VerifierUnavailable {
        /// "OpenPGP" or "sigstore".
        family: &'static str,
    },
    /// The signature is malformed or its cryptography does not verify.
    Cryptography {
        /// What the verifier reported (for OpenPGP, it names the signing key).
        reason: String,
        /// The keys the requirement trusts (fingerprints, or for sigstore keys their
        /// algorithm and SHA-256 of the public key).
        trusted: Vec<String>,
    },
    /// A sigstore signature lacks an annotation the requirement needs.
    MissingAnnotation {
        /// The annotation's name.
        annotation: String,
    },
    /// The Rekor signed entry timestamp is missing, invalid or for another signature.
    RekorSet {
        /// What the Rekor check reported.
        reason: String,
    },
    /// The signing certificate does not chain to the trusted CA, has expired at the
    /// relevant time, or names the wrong issuer, email or host.
    Certificate {
        /// What the certificate check reported.
        reason: String,
    },
    /// The signature verifies, but with a key the requirement does not trust.
    UntrustedSigner {
        /// The signing key.
        signer: String,
        /// The keys the requirement trusts.
        trusted: Vec<String>,
    },
    /// The signed payload is not a valid signature payload.
    InvalidPayload {
        /// What is wrong with it.
        reason: String,
    },
    /// The image's manifest could not be read, or does not match the digest the image
    /// was referenced by.
    ManifestUnavailable {
        /// What went wrong.
        reason: String,
    },
    /// The signature vouches for a different manifest.
    DigestMismatch {
        /// The digest in the signature.
        signed: Digest,
        /// The SHA-256 digest of the image's manifest.
        manifest: Option<Digest>,
    },
    /// The signature claims an identity the requirement's `signedIdentity` refuses.
    IdentityMismatch {
        /// The identity the signature claims.
        signed: String,
        /// The image's Docker reference, if it has one.
        image: Option<String>,
        /// The `signedIdentity` type applied.
        rule: &'static str,
    },
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl fmt::Display for SignatureFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureFailure::UnimplementedKeyType { key_type } => write!(
                f,
                "keyType {key_type:?} is not implemented (only \"GPGKeys\" is); every signature is rejected"
            ),
            SignatureFailure::KeysUnavailable { reason } => {
                write!(f, "the trusted keys could not be loaded: {reason}")
            }
            SignatureFailure::NoKeys => {
                f.write_str("no public keys imported: the requirement's key material holds no key")
            }
            SignatureFailure::VerifierUnavailable { family } => write!(
                f,
                "{family} signatures cannot be verified by this build; rejected (fail closed)"
            ),
            SignatureFailure::Cryptography { reason, trusted } if trusted.is_empty() => {
                write!(f, "the signature does not verify: {reason}")
            }
            SignatureFailure::Cryptography { reason, trusted } => write!(
                f,
                "the signature does not verify with the trusted keys ({}): {reason}",
                trusted.join(", ")
            ),
            SignatureFailure::MissingAnnotation { annotation } => {
                write!(f, "the signature has no {annotation} annotation")
            }
            SignatureFailure::RekorSet { reason } => {
                write!(f, "the Rekor entry does not vouch for it: {reason}")
            }
            SignatureFailure::Certificate { reason } => {
                write!(f, "the signing certificate is not trusted: {reason}")
            }
            SignatureFailure::UntrustedSigner { signer, trusted } => write!(
                f,
                "signed by key {signer}, which is not trusted (trusted: {})",
                if trusted.is_empty() {
                    "none".to_owned()
                } else {
                    trusted.join(", ")
                }
            ),
            SignatureFailure::InvalidPayload { reason } => {
                write!(f, "the signed payload is invalid: {reason}")
            }
            SignatureFailure::ManifestUnavailable { reason } => {
                write!(f, "the image's manifest is unusable: {reason}")
            }
            SignatureFailure::DigestMismatch { signed, manifest } => match manifest {
                Some(found) => write!(
                    f,
                    "the signature is for manifest {signed}, but the image's manifest is {found}"
                ),
                None => write!(
                    f,
                    "the signature is for manifest {signed}, which does not match the image's manifest"
                ),
            },
            SignatureFailure::IdentityMismatch {
                signed,
                image,
                rule,
            } => match image {
                Some(image) => write!(
                    f,
                    "the signature claims identity {signed:?}, which {rule} does not accept for image {image:?}"
                ),
                None => write!(
                    f,
                    "the signature claims identity {signed:?}, which {rule} does not accept (the image has no Docker reference)"
                ),
            },
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::RejectedByPolicy => f.write_str("the policy rejects this image"),
            RejectReason::NotImplemented => f.write_str(
                "signedBaseLayer is not implemented (containers/image always rejects it)",
            ),
            RejectReason::SignaturesUnreadable { reason } => {
                write!(f, "the image's signatures could not be read: {reason}")
            }
            RejectReason::NoSignature {
                other_format,
                non_signature_attachments,
            } => {
                f.write_str("a signature was required, but no signature exists")?;
                if *other_format > 0 || *non_signature_attachments > 0 {
                    write!(
                        f,
                        " ({} of the other format, {})",
                        plural(*other_format, "signature", "signatures"),
                        plural(
                            *non_signature_attachments,
                            "non-signature attachment",
                            "non-signature attachments"
                        )
                    )?;
                }
                Ok(())
            }
            RejectReason::NoSignatureAccepted { signatures } => match signatures.as_slice() {
                [one] => write!(f, "signature {}: {}", one.index, one.failure),
                many => {
                    write!(f, "none of the {} signatures was accepted", many.len())?;
                    for s in many {
                        write!(f, "; signature {}: {}", s.index, s.failure)?;
                    }
                    Ok(())
                }
            },
        }
    }
}

impl fmt::Display for RequirementOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.result {
            RequirementResult::Accepted {
                signature: None, ..
            } => {
                write!(
                    f,
                    "requirement {} ({}) accepts",
                    self.index, self.requirement_type
                )
            }
            RequirementResult::Accepted {
                signature: Some(sig),
                ..
            } => write!(
                f,
                "requirement {} ({}) accepts: signature {} by {} for {} ({})",
                self.index,
                self.requirement_type,
                sig.index,
                sig.signer,
                sig.docker_reference,
                sig.docker_manifest_digest
            ),
            RequirementResult::Rejected { reason } => {
                write!(
                    f,
                    "requirement {} ({}) rejects: {reason}",
                    self.index, self.requirement_type
                )
            }
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} {}",
            if self.allowed { "ALLOWED" } else { "REJECTED" },
            self.image
        )?;
        match &self.section {
            Some(Section { transport, scope }) if scope.is_empty() => {
                writeln!(
                    f,
                    "  policy section: transport {transport:?}, transport-wide scope \"\""
                )?;
            }
            Some(Section { transport, scope }) => {
                writeln!(
                    f,
                    "  policy section: transport {transport:?}, scope {scope:?}"
                )?;
            }
            None => writeln!(f, "  policy section: the global default")?,
        }
        for requirement in &self.requirements {
            writeln!(f, "  {requirement}")?;
            if let RequirementResult::Accepted {
                rejected_before, ..
            } = &requirement.result
            {
                for s in rejected_before {
                    writeln!(f, "    (signature {} rejected: {})", s.index, s.failure)?;
                }
            }
        }
        match &self.policy_rejection {
            Some(PolicyRejection::EmptyRequirementList) => {
                writeln!(
                    f,
                    "  the section has no requirements, so nothing can be allowed"
                )?;
            }
            Some(PolicyRejection::NoSignatureVerification) => writeln!(
                f,
                "  signature verification is required, but no requirement of this section verifies signatures"
            )?,
            None => {}
        }
        Ok(())
    }
}
