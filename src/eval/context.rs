//! `PolicyContext`: a policy compiled for evaluation, and the evaluation itself
//! (policy-semantics.md §10).

use std::cell::OnceCell;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use super::checks::{self, SignedPayload};
use super::identity::identity_matches;
use super::keys::{FsKeyLoader, KeyLoader, load_all};
use super::sigstore::SigstoreTrust;
use super::verdict::{
    AcceptedSignature, PolicyRejection, RejectReason, RequirementOutcome, RequirementResult,
    Section, SignatureFailure, SignatureOutcome, Verdict,
};
use crate::digest::Digest;
use crate::image::{Image, ImageError, UntrustedManifest};
use crate::openpgp::{OpenPgpBackend, TrustedKeys};
use crate::policy::{GpgKeySource, KeyType, Policy, Requirement, SignedIdentity};
use crate::scope::{ScopeIndex, ScopeMatch};
use crate::signature::{
    SIGSTORE_SIGNATURE_MIME_TYPE, UntrustedSignature, UntrustedSigstoreSignature,
};
use crate::transport::ImageReference;

/// The most signatures one evaluation looks at; more is a caller error.
pub const MAX_SIGNATURES: usize = 4096;

/// Why an evaluation could not be carried out at all (as opposed to a rejection,
/// which is a [`Verdict`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// The caller's image handed over more signatures than this crate evaluates.
    #[error("the image has {count} signatures, more than the limit of {limit}")]
    TooManySignatures {
        /// How many it has.
        count: usize,
        /// [`MAX_SIGNATURES`].
        limit: usize,
    },
}

/// A policy compiled for evaluation: the scope index is built and every key file is
/// read (and, with a backend, parsed) once. `Send + Sync`: share one context between
/// threads.
#[derive(Debug)]
pub struct PolicyContext {
    index: ScopeIndex<Vec<Compiled>>,
    require_signature_verification: bool,
    clock: Clock,
}

/// Where "now" comes from for time-dependent checks.
#[derive(Debug, Clone, Copy)]
enum Clock {
    System,
    Fixed(SystemTime),
}

/// Builds a [`PolicyContext`] with non-default settings.
#[derive(Debug)]
#[must_use]
pub struct PolicyContextBuilder<'p> {
    policy: &'p Policy,
    loader: Arc<dyn KeyLoader>,
    openpgp: Option<Arc<dyn OpenPgpBackend>>,
    require_signature_verification: bool,
    clock: Clock,
}

impl<'p> PolicyContextBuilder<'p> {
    /// Reads key files through `loader` instead of the file system.
    pub fn key_loader(mut self, loader: Arc<dyn KeyLoader>) -> Self {
        self.loader = loader;
        self
    }

    /// Verifies `signedBy` signatures with this OpenPGP implementation instead of the
    /// crate's default (rPGP, feature `openpgp`). Without any, `signedBy` rejects
    /// every signature (fail closed).
    pub fn openpgp(mut self, backend: Arc<dyn OpenPgpBackend>) -> Self {
        self.openpgp = Some(backend);
        self
    }

    /// Verifies no OpenPGP signature: `signedBy` rejects every signature (fail
    /// closed). For builds that must not trust the default backend.
    pub fn without_openpgp(mut self) -> Self {
        self.openpgp = None;
        self
    }

    /// Rejects images whose section has no signature-verifying requirement, as
    /// c/image's `RequireSignatureVerification(true)` (image/v5.40).
    pub fn require_signature_verification(mut self, required: bool) -> Self {
        self.require_signature_verification = required;
        self
    }

    /// Evaluates certificate validity at `time` instead of the system clock.
    pub fn time(mut self, time: SystemTime) -> Self {
        self.clock = Clock::Fixed(time);
        self
    }

    /// Compiles the policy.
    pub fn build(self) -> PolicyContext {
        let loader = self.loader.as_ref();
        let openpgp = self.openpgp.as_deref();
        let index = ScopeIndex::build(self.policy, |requirements| {
            requirements
                .iter()
                .map(|r| Compiled::new(r, loader, openpgp))
                .collect()
        });
        PolicyContext {
            index,
            require_signature_verification: self.require_signature_verification,
            clock: self.clock,
        }
    }
}

/// The crate's OpenPGP backend: rPGP with gpgme's verdicts (feature `openpgp`).
fn default_openpgp() -> Option<Arc<dyn OpenPgpBackend>> {
    #[cfg(feature = "openpgp")]
    {
        Some(Arc::new(crate::openpgp::RpgpBackend::new()))
    }
    #[cfg(not(feature = "openpgp"))]
    {
        None
    }
}

impl PolicyContext {
    /// Compiles `policy` with the default settings: keys from the file system, the
    /// crate's OpenPGP backend (feature `openpgp`), the system clock.
    pub fn new(policy: &Policy) -> Self {
        Self::builder(policy).build()
    }

    /// A builder for non-default settings.
    pub fn builder(policy: &Policy) -> PolicyContextBuilder<'_> {
        PolicyContextBuilder {
            policy,
            loader: Arc::new(FsKeyLoader),
            openpgp: default_openpgp(),
            require_signature_verification: false,
            clock: Clock::System,
        }
    }

    /// The time used for time-dependent checks.
    pub fn now(&self) -> SystemTime {
        match self.clock {
            Clock::System => SystemTime::now(),
            Clock::Fixed(time) => time,
        }
    }

    /// Decides whether `image`, known as `reference`, may be used
    /// (c/image's `IsRunningImageAllowed`): every requirement of the section must
    /// accept; a signature requirement accepts when one signature passes.
    pub fn evaluate(
        &self,
        reference: &ImageReference,
        image: &dyn Image,
    ) -> Result<Verdict, EvalError> {
        let (found, compiled) = self.index.lookup(reference);
        let section = match found {
            ScopeMatch::Scope { transport, scope } => Some(Section {
                transport: transport.to_owned(),
                scope: scope.to_owned(),
            }),
            ScopeMatch::Default => None,
        };
        let name = reference.to_string();
        if compiled.is_empty() {
            return Ok(Verdict::new(
                name,
                section,
                Vec::new(),
                Some(PolicyRejection::EmptyRequirementList),
            ));
        }
        let session = Session::new(reference, image, self.now());
        let mut outcomes = Vec::with_capacity(compiled.len());
        for (index, requirement) in compiled.iter().enumerate() {
            let result = requirement.admit(&session)?;
            let rejected = matches!(result, RequirementResult::Rejected { .. });
            outcomes.push(RequirementOutcome {
                index,
                requirement_type: requirement.type_name(),
                result,
            });
            if rejected {
                return Ok(Verdict::new(name, section, outcomes, None));
            }
        }
        let rejection = (self.require_signature_verification
            && !compiled.iter().any(Compiled::verifies_signatures))
        .then_some(PolicyRejection::NoSignatureVerification);
        Ok(Verdict::new(name, section, outcomes, rejection))
    }

    /// The simple-signing signatures of `image` whose author the policy accepts, with
    /// what they were verified to say (c/image's `GetSignaturesWithAcceptedAuthor`).
    /// This is not an admission decision; see [`PolicyContext::judge_signatures`].
    pub fn accepted_signatures(
        &self,
        reference: &ImageReference,
        image: &dyn Image,
    ) -> Result<Result<Vec<AcceptedSignature>, ImageError>, EvalError> {
        Ok(self.judge_signatures(reference, image)?.map(|judgements| {
            judgements
                .into_iter()
                .filter_map(|j| match j {
                    SignatureJudgement::Accepted(signature) => Some(signature),
                    _ => None,
                })
                .collect()
        }))
    }

    /// Judges each simple-signing signature of `image` on its own: a signature is
    /// accepted when at least one requirement of the section accepts it and none
    /// rejects it (`insecureAcceptAnything` and `signedBaseLayer` have no opinion;
    /// `reject` and `sigstoreSigned` reject every signature here, as in c/image).
    /// Sigstore signatures are not judged. `Err` inside when the signatures cannot be
    /// read.
    pub fn judge_signatures(
        &self,
        reference: &ImageReference,
        image: &dyn Image,
    ) -> Result<Result<Vec<SignatureJudgement>, ImageError>, EvalError> {
        let (_, compiled) = self.index.lookup(reference);
        let session = Session::new(reference, image, self.now());
        let signatures = match session.signatures()? {
            Ok(signatures) => signatures,
            Err(error) => return Ok(Err(error)),
        };
        let mut judgements = Vec::new();
        for (i, signature) in signatures.iter().enumerate() {
            let UntrustedSignature::SimpleSigning(untrusted_blob) = signature else {
                continue;
            };
            let index = i + 1;
            let mut accepted: Option<AcceptedSignature> = None;
            let mut rejected = None;
            for requirement in compiled {
                match requirement.signature_author(&session, index, untrusted_blob) {
                    Author::Unknown => {}
                    Author::Rejected(failure) => {
                        rejected = Some((requirement.type_name(), failure));
                        break;
                    }
                    Author::Accepted(signature) => {
                        // c/image's paranoia: accepting requirements must agree.
                        if accepted.as_ref().is_some_and(|a| {
                            a.docker_manifest_digest != signature.docker_manifest_digest
                                || a.docker_reference != signature.docker_reference
                        }) {
                            rejected = Some((requirement.type_name(), None));
                            break;
                        }
                        accepted = Some(signature);
                    }
                }
            }
            judgements.push(match (rejected, accepted) {
                (Some((requirement_type, failure)), _) => SignatureJudgement::Rejected {
                    index,
                    requirement_type,
                    failure,
                },
                (None, Some(signature)) => SignatureJudgement::Accepted(signature),
                (None, None) => SignatureJudgement::Unknown { index },
            });
        }
        Ok(Ok(judgements))
    }
}

/// The policy's opinion of one signature (see [`PolicyContext::judge_signatures`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "judgement", rename_all = "camelCase")]
#[non_exhaustive]
pub enum SignatureJudgement {
    /// A requirement accepted the signature and none rejected it.
    Accepted(AcceptedSignature),
    /// A requirement rejected the signature.
    Rejected {
        /// 1-based position among the image's signatures.
        index: usize,
        /// The `type` of the requirement that rejected it.
        requirement_type: &'static str,
        /// The check it failed, for signature-checking requirements.
        failure: Option<SignatureFailure>,
    },
    /// No requirement has an opinion (e.g. only `insecureAcceptAnything`).
    Unknown {
        /// 1-based position among the image's signatures.
        index: usize,
    },
}

/// What one evaluation reads from the image, each at most once.
struct Session<'a> {
    reference: &'a ImageReference,
    /// The time for expiry and certificate checks.
    now: SystemTime,
    image: &'a dyn Image,
    signatures: OnceCell<Result<Vec<UntrustedSignature>, ImageError>>,
    manifest: OnceCell<Result<ManifestFacts, String>>,
}

/// The image's manifest once it has been read and checked against the digest the
/// image is referenced by.
struct ManifestFacts {
    bytes: Vec<u8>,
}

impl<'a> Session<'a> {
    fn new(reference: &'a ImageReference, image: &'a dyn Image, now: SystemTime) -> Self {
        Self {
            reference,
            now,
            image,
            signatures: OnceCell::new(),
            manifest: OnceCell::new(),
        }
    }

    fn signatures(&self) -> Result<Result<&[UntrustedSignature], ImageError>, EvalError> {
        let fetched = self
            .signatures
            .get_or_init(|| self.image.signatures().map(std::borrow::Cow::into_owned));
        match fetched {
            Ok(signatures) if signatures.len() > MAX_SIGNATURES => {
                Err(EvalError::TooManySignatures {
                    count: signatures.len(),
                    limit: MAX_SIGNATURES,
                })
            }
            Ok(signatures) => Ok(Ok(signatures)),
            Err(error) => Ok(Err(error.clone())),
        }
    }

    /// c/image's `UnparsedImage.Manifest()`: the manifest, verified against the
    /// instance digest or the digest in the image's reference (policy-semantics §13).
    fn manifest(&self) -> Result<&ManifestFacts, SignatureFailure> {
        let facts = self.manifest.get_or_init(|| {
            let UntrustedManifest { bytes, .. } =
                self.image.manifest().map_err(|e| e.to_string())?;
            let expected: Option<&Digest> = self
                .image
                .instance_digest()
                .or_else(|| self.reference.docker_reference().and_then(|r| r.digest()));
            if let Some(expected) = expected {
                match checks::manifest_matches(bytes, expected) {
                    Ok(true) => {}
                    Ok(false) => {
                        return Err(format!(
                            "manifest does not match provided manifest digest {expected}"
                        ));
                    }
                    Err(reason) => return Err(format!("computing manifest digest: {reason}")),
                }
            }
            Ok(ManifestFacts {
                bytes: bytes.to_vec(),
            })
        });
        facts
            .as_ref()
            .map_err(|reason| SignatureFailure::ManifestUnavailable {
                reason: reason.clone(),
            })
    }
}

/// A requirement ready to evaluate: key material loaded and parsed.
enum Compiled {
    InsecureAcceptAnything,
    Reject,
    SignedBaseLayer,
    SignedBy {
        key_type: KeyType,
        identity: SignedIdentity,
        keys: Result<Arc<dyn TrustedKeys>, SignatureFailure>,
    },
    SigstoreSigned {
        identity: SignedIdentity,
        trust: Result<SigstoreTrust, SignatureFailure>,
    },
}

impl fmt::Debug for Compiled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.type_name())
    }
}

impl Compiled {
    fn new(
        requirement: &Requirement,
        loader: &dyn KeyLoader,
        openpgp: Option<&dyn OpenPgpBackend>,
    ) -> Self {
        match requirement {
            Requirement::InsecureAcceptAnything => Compiled::InsecureAcceptAnything,
            Requirement::Reject => Compiled::Reject,
            Requirement::SignedBaseLayer(_) => Compiled::SignedBaseLayer,
            Requirement::SignedBy(signed_by) => Compiled::SignedBy {
                key_type: signed_by.key_type(),
                identity: signed_by.signed_identity().clone(),
                keys: gpg_keys(signed_by.keys(), loader, openpgp),
            },
            Requirement::SigstoreSigned(sigstore) => Compiled::SigstoreSigned {
                identity: sigstore.signed_identity().clone(),
                trust: SigstoreTrust::prepare(sigstore, loader),
            },
            // Requirement is non-exhaustive for users, not for us; new types must be
            // handled above before they can be parsed.
            #[allow(unreachable_patterns)]
            _ => Compiled::Reject,
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Compiled::InsecureAcceptAnything => "insecureAcceptAnything",
            Compiled::Reject => "reject",
            Compiled::SignedBaseLayer => "signedBaseLayer",
            Compiled::SignedBy { .. } => "signedBy",
            Compiled::SigstoreSigned { .. } => "sigstoreSigned",
        }
    }

    fn verifies_signatures(&self) -> bool {
        matches!(
            self,
            Compiled::SignedBy { .. } | Compiled::SigstoreSigned { .. }
        )
    }

    /// Image admission for one requirement (policy-semantics §10.3, §10.5, §10.6).
    fn admit(&self, session: &Session<'_>) -> Result<RequirementResult, EvalError> {
        let rejected = |reason| Ok(RequirementResult::Rejected { reason });
        match self {
            Compiled::InsecureAcceptAnything => Ok(RequirementResult::Accepted {
                signature: None,
                rejected_before: Vec::new(),
            }),
            Compiled::Reject => rejected(RejectReason::RejectedByPolicy),
            Compiled::SignedBaseLayer => rejected(RejectReason::NotImplemented),
            Compiled::SignedBy { .. } | Compiled::SigstoreSigned { .. } => {
                let signatures = match session.signatures()? {
                    Ok(signatures) => signatures,
                    Err(error) => {
                        return rejected(RejectReason::SignaturesUnreadable {
                            reason: error.to_string(),
                        });
                    }
                };
                let mut failures = Vec::new();
                let (mut other_format, mut attachments) = (0, 0);
                for (i, signature) in signatures.iter().enumerate() {
                    let index = i + 1;
                    let result = match (self, signature) {
                        (Compiled::SignedBy { .. }, UntrustedSignature::SimpleSigning(blob)) => {
                            self.check_simple(session, index, blob)
                        }
                        (Compiled::SigstoreSigned { .. }, UntrustedSignature::Sigstore(sig))
                            if sig.mime_type == SIGSTORE_SIGNATURE_MIME_TYPE =>
                        {
                            self.check_sigstore(session, index, sig)
                        }
                        (Compiled::SigstoreSigned { .. }, UntrustedSignature::Sigstore(_)) => {
                            attachments += 1;
                            continue;
                        }
                        _ => {
                            other_format += 1;
                            continue;
                        }
                    };
                    match result {
                        Ok(signature) => {
                            return Ok(RequirementResult::Accepted {
                                signature: Some(signature),
                                rejected_before: failures,
                            });
                        }
                        Err(failure) => failures.push(SignatureOutcome { index, failure }),
                    }
                }
                if failures.is_empty() {
                    // sigstoreSigned counts what it skipped; signedBy does not mention
                    // sigstore signatures (c/image's messages differ the same way).
                    let (other_format, non_signature_attachments) = match self {
                        Compiled::SigstoreSigned { .. } => (other_format, attachments),
                        _ => (0, 0),
                    };
                    return rejected(RejectReason::NoSignature {
                        other_format,
                        non_signature_attachments,
                    });
                }
                rejected(RejectReason::NoSignatureAccepted {
                    signatures: failures,
                })
            }
        }
    }

    /// The `signedBy` per-signature check, in c/image's order: keyType, keys,
    /// cryptography, signer, payload, manifest digest, identity (§10.5).
    fn check_simple(
        &self,
        session: &Session<'_>,
        index: usize,
        untrusted_blob: &[u8],
    ) -> Result<AcceptedSignature, SignatureFailure> {
        let Compiled::SignedBy {
            key_type,
            identity,
            keys,
        } = self
        else {
            return Err(SignatureFailure::VerifierUnavailable { family: "OpenPGP" });
        };
        if *key_type != KeyType::GpgKeys {
            return Err(SignatureFailure::UnimplementedKeyType {
                key_type: key_type.as_str(),
            });
        }
        let keys = keys.as_ref().map_err(Clone::clone)?;
        let verified = keys.verify_at(untrusted_blob, session.now).map_err(|e| {
            SignatureFailure::Cryptography {
                reason: e.reason,
                trusted: keys.fingerprints(),
            }
        })?;
        let trusted = keys.fingerprints();
        if !trusted.contains(&verified.signer_fingerprint) {
            return Err(SignatureFailure::UntrustedSigner {
                signer: verified.signer_fingerprint,
                trusted,
            });
        }
        let payload = checks::parse_simple_payload(&verified.payload)
            .map_err(|reason| SignatureFailure::InvalidPayload { reason })?;
        check_digest_and_identity(session, identity, &payload)?;
        Ok(AcceptedSignature {
            index,
            signer: verified.signer_fingerprint,
            docker_manifest_digest: payload.docker_manifest_digest,
            docker_reference: payload.docker_reference,
        })
    }

    /// The `sigstoreSigned` per-signature check (§12.2): trust material, annotations,
    /// Rekor and certificates, cryptography, payload, manifest digest, identity.
    fn check_sigstore(
        &self,
        session: &Session<'_>,
        index: usize,
        signature: &UntrustedSigstoreSignature,
    ) -> Result<AcceptedSignature, SignatureFailure> {
        let Compiled::SigstoreSigned { identity, trust } = self else {
            return Err(SignatureFailure::VerifierUnavailable { family: "sigstore" });
        };
        let trust = trust.as_ref().map_err(Clone::clone)?;
        let verified = trust.verify(signature, session.now)?;
        let payload = SignedPayload {
            docker_manifest_digest: verified.payload.docker_manifest_digest,
            docker_reference: verified.payload.docker_reference,
        };
        check_digest_and_identity(session, identity, &payload)?;
        Ok(AcceptedSignature {
            index,
            signer: verified.signer,
            docker_manifest_digest: payload.docker_manifest_digest,
            docker_reference: payload.docker_reference,
        })
    }

    /// Per-signature acceptance for [`PolicyContext::accepted_signatures`] (§10.4).
    fn signature_author(
        &self,
        session: &Session<'_>,
        index: usize,
        untrusted_blob: &[u8],
    ) -> Author {
        match self {
            Compiled::InsecureAcceptAnything | Compiled::SignedBaseLayer => Author::Unknown,
            Compiled::Reject | Compiled::SigstoreSigned { .. } => Author::Rejected(None),
            Compiled::SignedBy { .. } => match self.check_simple(session, index, untrusted_blob) {
                Ok(signature) => Author::Accepted(signature),
                Err(failure) => Author::Rejected(Some(failure)),
            },
        }
    }
}

enum Author {
    Unknown,
    Rejected(Option<SignatureFailure>),
    Accepted(AcceptedSignature),
}

/// Steps 7 and 8 of the per-signature check: the manifest must match the signed
/// digest, then the signed identity must satisfy `signedIdentity`.
fn check_digest_and_identity(
    session: &Session<'_>,
    identity: &SignedIdentity,
    payload: &SignedPayload,
) -> Result<(), SignatureFailure> {
    let manifest = session.manifest()?;
    match checks::manifest_matches(&manifest.bytes, &payload.docker_manifest_digest) {
        Ok(true) => {}
        Ok(false) => {
            return Err(SignatureFailure::DigestMismatch {
                signed: payload.docker_manifest_digest.clone(),
                manifest: checks::manifest_digest(&manifest.bytes),
            });
        }
        Err(reason) => {
            return Err(SignatureFailure::ManifestUnavailable {
                reason: format!("computing manifest digest: {reason}"),
            });
        }
    }
    let image_reference = session.reference.docker_reference();
    if identity_matches(identity, image_reference, &payload.docker_reference) {
        Ok(())
    } else {
        Err(SignatureFailure::IdentityMismatch {
            signed: payload.docker_reference.clone(),
            image: image_reference.map(ToString::to_string),
            rule: identity.type_name(),
        })
    }
}

/// Loads and imports a `signedBy` requirement's keyrings.
fn gpg_keys(
    source: &GpgKeySource,
    loader: &dyn KeyLoader,
    openpgp: Option<&dyn OpenPgpBackend>,
) -> Result<Arc<dyn TrustedKeys>, SignatureFailure> {
    let blobs = match source {
        GpgKeySource::Path(path) => load_all(loader, std::slice::from_ref(path)),
        GpgKeySource::Paths(paths) => load_all(loader, paths),
        GpgKeySource::Data(data) => Ok(vec![data.clone()]),
    }
    .map_err(|e| SignatureFailure::KeysUnavailable {
        reason: e.to_string(),
    })?;
    let Some(openpgp) = openpgp else {
        return Err(SignatureFailure::VerifierUnavailable { family: "OpenPGP" });
    };
    let refs: Vec<&[u8]> = blobs.iter().map(Vec::as_slice).collect();
    let keys = openpgp
        .import(&refs)
        .map_err(|e| SignatureFailure::KeysUnavailable {
            reason: format!("importing keys: {e}"),
        })?;
    if keys.fingerprints().is_empty() {
        return Err(SignatureFailure::NoKeys);
    }
    Ok(Arc::from(keys))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn contexts_can_be_shared_between_threads() {
        assert_send_sync::<PolicyContext>();
    }
}
