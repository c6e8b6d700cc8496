//! `sigstoreSigned` evaluation: the trust material compiled once per requirement, and
//! the per-signature check in c/image's order (policy-semantics.md §12.1, §12.2;
//! signature-formats.md §4.5).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::keys::{KeyLoader, load_all};
use super::verdict::SignatureFailure;
use crate::policy::{CertSource, RekorKeys, SigstoreKeys, SigstoreSigned};
use crate::signature::{
    SIGSTORE_CERTIFICATE_ANNOTATION, SIGSTORE_CHAIN_ANNOTATION, SIGSTORE_SET_ANNOTATION,
    SIGSTORE_SIGNATURE_ANNOTATION, SigstorePayload, UntrustedSigstoreSignature,
};
use crate::sigstore::certificate::VerifiedCertificate;
use crate::sigstore::fulcio::{FulcioIdentity, FulcioTrustRoot};
use crate::sigstore::pki::{PkiSubject, PkiTrustRoot};
use crate::sigstore::public_key::{PublicKey, verify_payload_signature_base64};
use crate::sigstore::rekor::verify_set;

/// What a `sigstoreSigned` requirement trusts, loaded and parsed once (c/image's
/// `prepareTrustRoot`). [`PolicyContext`](super::PolicyContext) builds one per
/// requirement; tools can build one to check a requirement's key files offline.
#[derive(Debug)]
pub enum SigstoreTrust {
    /// Public keys, and the Rekor keys that must have logged the signature, if any.
    Keys {
        /// The trusted signing keys.
        keys: Vec<PublicKey>,
        /// The trusted Rekor keys, when Rekor is required.
        rekor: Option<Vec<PublicKey>>,
    },
    /// Fulcio certificates, checked at the time Rekor logged them.
    Fulcio {
        /// The Fulcio CA and the identity the certificate must name.
        root: FulcioTrustRoot,
        /// The trusted Rekor keys.
        rekor: Vec<PublicKey>,
    },
    /// Certificates from a private CA, checked at the evaluation time.
    Pki(PkiTrustRoot),
}

/// A signature that passed the checks up to the payload.
pub(crate) struct VerifiedSigstore {
    pub payload: SigstorePayload,
    pub signer: String,
}

fn unavailable(reason: impl std::fmt::Display) -> SignatureFailure {
    SignatureFailure::KeysUnavailable {
        reason: reason.to_string(),
    }
}

/// Blobs of one source: a file, files, data or datas.
fn blobs(
    loader: &dyn KeyLoader,
    paths: &[String],
    datas: &[Vec<u8>],
) -> Result<Vec<Vec<u8>>, SignatureFailure> {
    if paths.is_empty() {
        Ok(datas.to_vec())
    } else {
        load_all(loader, paths).map_err(unavailable)
    }
}

fn cert_bytes(loader: &dyn KeyLoader, source: &CertSource) -> Result<Vec<u8>, SignatureFailure> {
    match source {
        CertSource::Path(path) => loader.load(path).map_err(unavailable),
        CertSource::Data(data) => Ok(data.clone()),
    }
}

/// Parses PEM public keys; `what` names them in errors ("public key", "Rekor public key").
fn parse_keys(blobs: &[Vec<u8>], what: &str) -> Result<Vec<PublicKey>, SignatureFailure> {
    blobs
        .iter()
        .enumerate()
        .map(|(i, blob)| {
            PublicKey::from_pem(blob)
                .map_err(|e| unavailable(format!("parsing {what} {}: {e}", i + 1)))
        })
        .collect()
}

fn rekor_keys(
    loader: &dyn KeyLoader,
    rekor: &RekorKeys,
) -> Result<Vec<PublicKey>, SignatureFailure> {
    let blobs = match rekor {
        RekorKeys::Path(path) => blobs(loader, std::slice::from_ref(path), &[])?,
        RekorKeys::Paths(paths) => blobs(loader, paths, &[])?,
        RekorKeys::Data(data) => vec![data.clone()],
        RekorKeys::Datas(datas) => datas.clone(),
    };
    let keys = parse_keys(&blobs, "Rekor public key")?;
    if let Some(i) = keys.iter().position(|k| !k.is_ecdsa()) {
        return Err(unavailable(format!(
            "Rekor public key {} is not using ECDSA",
            i + 1
        )));
    }
    Ok(keys)
}

impl SigstoreTrust {
    /// Loads and parses a requirement's trust material; the error is what every
    /// signature checked against it would be rejected with.
    pub fn prepare(
        requirement: &SigstoreSigned,
        loader: &dyn KeyLoader,
    ) -> Result<Self, SignatureFailure> {
        let rekor = requirement
            .rekor()
            .map(|r| rekor_keys(loader, r))
            .transpose()?;
        match requirement.keys() {
            SigstoreKeys::Fulcio(fulcio) => {
                let ca = cert_bytes(loader, fulcio.ca())?;
                let identity = FulcioIdentity::new(fulcio.oidc_issuer(), fulcio.subject_email())
                    .map_err(unavailable)?;
                let root = FulcioTrustRoot::new(&ca, identity).map_err(unavailable)?;
                let rekor = rekor.ok_or_else(|| unavailable("fulcio requires Rekor keys"))?;
                Ok(SigstoreTrust::Fulcio { root, rekor })
            }
            SigstoreKeys::Pki(pki) => {
                let roots = cert_bytes(loader, pki.roots())?;
                let intermediates = pki
                    .intermediates()
                    .map(|i| cert_bytes(loader, i))
                    .transpose()?;
                let subject = PkiSubject::new(pki.subject_email(), pki.subject_hostname())
                    .map_err(unavailable)?;
                let root = PkiTrustRoot::new(&roots, intermediates.as_deref(), Some(subject))
                    .map_err(unavailable)?;
                Ok(SigstoreTrust::Pki(root))
            }
            keys => {
                let blobs = match keys {
                    SigstoreKeys::Path(path) => blobs(loader, std::slice::from_ref(path), &[])?,
                    SigstoreKeys::Paths(paths) => blobs(loader, paths, &[])?,
                    SigstoreKeys::Data(data) => vec![data.clone()],
                    SigstoreKeys::Datas(datas) => datas.clone(),
                    _ => Vec::new(),
                };
                let keys = parse_keys(&blobs, "public key")?;
                if keys.is_empty() {
                    return Err(SignatureFailure::NoKeys);
                }
                Ok(SigstoreTrust::Keys { keys, rekor })
            }
        }
    }

    /// How many signing public keys are trusted (0 for Fulcio and PKI).
    pub fn public_key_count(&self) -> usize {
        match self {
            SigstoreTrust::Keys { keys, .. } => keys.len(),
            _ => 0,
        }
    }

    /// How many Rekor keys are trusted (0 when Rekor is not used).
    pub fn rekor_key_count(&self) -> usize {
        match self {
            SigstoreTrust::Keys { rekor, .. } => rekor.as_ref().map_or(0, Vec::len),
            SigstoreTrust::Fulcio { rekor, .. } => rekor.len(),
            SigstoreTrust::Pki(_) => 0,
        }
    }

    /// Checks one signature up to its payload: annotations, Rekor, certificates,
    /// then the payload signature with the candidate keys (§12.2 steps 2–6).
    pub(crate) fn verify(
        &self,
        signature: &UntrustedSigstoreSignature,
        now: SystemTime,
    ) -> Result<VerifiedSigstore, SignatureFailure> {
        let annotation = |name: &str| {
            signature
                .annotations
                .get(name)
                .ok_or_else(|| SignatureFailure::MissingAnnotation {
                    annotation: name.to_owned(),
                })
        };
        let untrusted_signature = annotation(SIGSTORE_SIGNATURE_ANNOTATION)?;
        let payload = signature.payload.as_slice();
        let (candidates, signer): (Vec<PublicKey>, String) = match self {
            SigstoreTrust::Keys { keys, rekor: None } => (keys.clone(), describe_keys(keys)),
            SigstoreTrust::Keys {
                keys,
                rekor: Some(rekor),
            } => {
                let untrusted_set = annotation(SIGSTORE_SET_ANNOTATION)?;
                let mut errors = Vec::new();
                let mut chosen = None;
                for key in keys {
                    match verify_set(
                        rekor,
                        untrusted_set.as_bytes(),
                        key.to_pkix_pem().as_bytes(),
                        untrusted_signature,
                        payload,
                    ) {
                        Ok(_) => {
                            chosen = Some(key.clone());
                            break;
                        }
                        Err(e) => errors.push(e.to_string()),
                    }
                }
                let Some(key) = chosen else {
                    return Err(SignatureFailure::RekorSet {
                        reason: format!(
                            "no public key verified against the Rekor SET: {}",
                            errors.join(", ")
                        ),
                    });
                };
                let signer = format!("sigstore {} (logged in Rekor)", describe_key(&key));
                (vec![key], signer)
            }
            SigstoreTrust::Fulcio { root, rekor } => {
                let untrusted_certificate = annotation(SIGSTORE_CERTIFICATE_ANNOTATION)?;
                let untrusted_chain = signature.annotations.get(SIGSTORE_CHAIN_ANNOTATION);
                let untrusted_set = annotation(SIGSTORE_SET_ANNOTATION)?;
                let logged = verify_set(
                    rekor,
                    untrusted_set.as_bytes(),
                    untrusted_certificate.as_bytes(),
                    untrusted_signature,
                    payload,
                )
                .map_err(|e| SignatureFailure::RekorSet {
                    reason: e.to_string(),
                })?;
                let at = UNIX_EPOCH
                    + Duration::from_secs(u64::try_from(logged.integrated_time).unwrap_or(0));
                let (verified, key) =
                    certificate_key(untrusted_certificate, untrusted_chain, |leaf, chain| {
                        root.verify(leaf, chain, at)
                    })?;
                let signer = format!(
                    "Fulcio certificate for {} from {}",
                    verified.emails().join(", "),
                    verified.oidc_issuer().unwrap_or("an unknown issuer")
                );
                (vec![key], signer)
            }
            SigstoreTrust::Pki(root) => {
                let untrusted_certificate = annotation(SIGSTORE_CERTIFICATE_ANNOTATION)?;
                let untrusted_chain = signature.annotations.get(SIGSTORE_CHAIN_ANNOTATION);
                let (verified, key) =
                    certificate_key(untrusted_certificate, untrusted_chain, |leaf, chain| {
                        root.verify(leaf, chain, now)
                    })?;
                let certificate = verified.certificate();
                let names: Vec<&str> = certificate
                    .emails()
                    .iter()
                    .chain(certificate.dns_names())
                    .map(String::as_str)
                    .collect();
                (
                    vec![key],
                    format!("PKI certificate for {}", names.join(", ")),
                )
            }
        };
        verify_payload_signature_base64(&candidates, payload, untrusted_signature).map_err(
            |e| SignatureFailure::Cryptography {
                reason: e.to_string(),
                trusted: candidates.iter().map(describe_key).collect(),
            },
        )?;
        // The payload bytes are now verified: parse exactly those.
        let verified_payload = payload;
        let payload = SigstorePayload::parse(verified_payload).map_err(|e| {
            SignatureFailure::InvalidPayload {
                reason: e.to_string(),
            }
        })?;
        Ok(VerifiedSigstore { payload, signer })
    }
}

/// The certificate annotation and the chain annotation (an empty one counts as
/// absent) checked by `verify` (a Fulcio or PKI trust root's), and the public key of
/// the verified certificate; either failure is [`SignatureFailure::Certificate`].
fn certificate_key<E: std::fmt::Display>(
    untrusted_certificate: &str,
    untrusted_chain: Option<&String>,
    verify: impl FnOnce(&[u8], Option<&[u8]>) -> Result<VerifiedCertificate, E>,
) -> Result<(VerifiedCertificate, PublicKey), SignatureFailure> {
    let certificate_failure = |reason: String| SignatureFailure::Certificate { reason };
    let verified = verify(
        untrusted_certificate.as_bytes(),
        untrusted_chain
            .map(|c| c.as_bytes())
            .filter(|c| !c.is_empty()),
    )
    .map_err(|e| certificate_failure(e.to_string()))?;
    let key = PublicKey::from_spki_der(verified.subject_public_key_info_der())
        .map_err(|e| certificate_failure(e.to_string()))?;
    Ok((verified, key))
}

/// A sigstore public key for people: its algorithm and the start of the SHA-256 of
/// its SubjectPublicKeyInfo.
fn describe_key(key: &PublicKey) -> String {
    let digest = crate::digest::Digest::sha256_of(&key.to_spki_der());
    let short = digest.encoded().get(..16).unwrap_or_default();
    format!("{:?} key sha256:{short}", key.algorithm())
}

fn describe_keys(keys: &[PublicKey]) -> String {
    match keys {
        [one] => format!("sigstore {}", describe_key(one)),
        many => format!(
            "one of the sigstore keys {}",
            many.iter().map(describe_key).collect::<Vec<_>>().join(", ")
        ),
    }
}
