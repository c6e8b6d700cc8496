//! Bring-your-own-PKI signing certificates (signature-formats.md §4.4, §4.9;
//! policy-semantics.md §12.5): c/image's `pkiTrustRoot` and `verifyPKI`.
//!
//! The leaf is validated for code signing against the configured roots, with the
//! configured intermediates and the signature's chain annotation (all but its last
//! certificate) as intermediates, at a time the caller gives (c/image uses the wall
//! clock: there is no Rekor timestamp). Unlike Fulcio, a critical subject alternative
//! name extension without e-mail, DNS, IP or URI names is an unhandled critical
//! extension. Then the configured e-mail (exact match among the e-mail SANs) and host
//! name (Go's `VerifyHostname`) are checked, both when both are configured.

use std::time::SystemTime;

use super::certificate::{
    self, AnnotationFailure, Certificate, CertificateError, ChainError, VerifiedCertificate,
};

/// Why a PKI trust root could not be prepared or a certificate is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PkiError {
    /// Neither a subject e-mail nor a subject host name is configured (c/image:
    /// internal inconsistency; the policy parser refuses such a policy).
    #[error("PKI use set up without subject email or subject hostname")]
    MissingSubject,
    /// The configured roots hold no usable certificate.
    #[error("error loading PKI CA Roots certificates")]
    NoRootCertificates,
    /// The configured roots could not be read.
    #[error("error loading PKI CA Roots certificates: {0}")]
    RootCertificates(CertificateError),
    /// The configured intermediates are not a sequence of PEM certificates.
    #[error("loading trusted intermediate certificates: {0}")]
    IntermediateCertificates(CertificateError),
    /// The signature's chain annotation is not a sequence of PEM certificates.
    #[error("loading certificate chain: {0}")]
    Chain(CertificateError),
    /// The signature's certificate annotation is not exactly one PEM certificate.
    #[error("parsing leaf certificate: {0}")]
    Leaf(CertificateError),
    /// The leaf does not chain to the roots for code signing at the time given.
    #[error("verifying leaf certificate failed: {0}")]
    Untrusted(ChainError),
    /// The configured e-mail address is not among the leaf's e-mail SANs.
    #[error("Required email {wanted:?} not found (got {got:?})")]
    EmailNotFound {
        /// The configured address.
        wanted: String,
        /// The certificate's addresses.
        got: Vec<String>,
    },
    /// The leaf is not valid for the configured host name.
    #[error(
        "Unexpected subject hostname: certificate is valid for DNS names {dns_names:?} and \
         IP addresses {ip_addresses:?}, not {wanted:?}"
    )]
    HostnameMismatch {
        /// The configured host name.
        wanted: String,
        /// The certificate's DNS names.
        dns_names: Vec<String>,
        /// The certificate's IP addresses.
        ip_addresses: Vec<String>,
    },
}

/// Who the certificate must be issued to: an e-mail address, a host name, or both
/// (c/image's `pkiTrustRoot.validate`: at least one; empty strings count as absent).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PkiSubject {
    email: Option<String>,
    hostname: Option<String>,
}

impl PkiSubject {
    /// The subject; at least one of the two must be given and non-empty.
    pub fn new(email: Option<&str>, hostname: Option<&str>) -> Result<Self, PkiError> {
        let non_empty = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_owned);
        let (email, hostname) = (non_empty(email), non_empty(hostname));
        if email.is_none() && hostname.is_none() {
            return Err(PkiError::MissingSubject);
        }
        Ok(Self { email, hostname })
    }

    /// The e-mail address required, if any.
    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    /// The host name required, if any.
    pub fn hostname(&self) -> Option<&str> {
        self.hostname.as_deref()
    }
}

/// A prepared `pki` trust source: roots, configured intermediates and the subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkiTrustRoot {
    roots: Vec<Certificate>,
    intermediates: Vec<Certificate>,
    subject: Option<PkiSubject>,
}

impl PkiTrustRoot {
    /// Loads the roots as Go's `CertPool.AppendCertsFromPEM` does (fails when none is
    /// loaded) and the optional intermediates strictly (every PEM block must be a
    /// certificate; empty data is no intermediate).
    ///
    /// `subject` `None` checks the chain only: c/image's `verifyPKI` with neither
    /// subject configured, which no policy can express; policies always give a
    /// [`PkiSubject`].
    pub fn new(
        trusted_roots_pem: &[u8],
        trusted_intermediates_pem: Option<&[u8]>,
        subject: Option<PkiSubject>,
    ) -> Result<Self, PkiError> {
        let roots =
            certificate::pool_from_pem(trusted_roots_pem).map_err(PkiError::RootCertificates)?;
        if roots.is_empty() {
            return Err(PkiError::NoRootCertificates);
        }
        let intermediates = match trusted_intermediates_pem {
            Some(pem) => certificate::certificates_from_pem(pem, certificate::MAX_TRUSTED_PEM_SIZE)
                .map_err(PkiError::IntermediateCertificates)?,
            None => Vec::new(),
        };
        Ok(Self {
            roots,
            intermediates,
            subject,
        })
    }

    /// The root certificates.
    pub fn roots(&self) -> &[Certificate] {
        &self.roots
    }

    /// The configured intermediate certificates.
    pub fn intermediates(&self) -> &[Certificate] {
        &self.intermediates
    }

    /// The required subject, if any.
    pub fn subject(&self) -> Option<&PkiSubject> {
        self.subject.as_ref()
    }

    /// c/image's `verifyPKI` at `at` (c/image: the current time): the signature's
    /// certificate annotation (exactly one PEM certificate) and chain annotation (all
    /// but the last certificate join the configured intermediates), validated for code
    /// signing to the roots, then the subject e-mail and host name.
    pub fn verify(
        &self,
        untrusted_leaf_pem: &[u8],
        untrusted_chain_pem: Option<&[u8]>,
        at: SystemTime,
    ) -> Result<VerifiedCertificate, PkiError> {
        let leaf = certificate::verify_annotation_certificate(
            untrusted_leaf_pem,
            untrusted_chain_pem,
            &self.intermediates,
            &self.roots,
            at,
            false,
        )
        .map_err(|e| match e {
            AnnotationFailure::Chain(e) => PkiError::Chain(e),
            AnnotationFailure::Leaf(e) => PkiError::Leaf(e),
            AnnotationFailure::Untrusted(e) => PkiError::Untrusted(e),
        })?;

        if let Some(email) = self.subject.as_ref().and_then(PkiSubject::email)
            && !leaf.emails().iter().any(|e| e == email)
        {
            return Err(PkiError::EmailNotFound {
                wanted: email.to_owned(),
                got: leaf.emails().to_vec(),
            });
        }
        if let Some(hostname) = self.subject.as_ref().and_then(PkiSubject::hostname)
            && !leaf.matches_hostname(hostname)
        {
            return Err(PkiError::HostnameMismatch {
                wanted: hostname.to_owned(),
                dns_names: leaf.dns_names().to_vec(),
                ip_addresses: leaf
                    .ip_addresses()
                    .iter()
                    .map(|ip| ip.to_string())
                    .collect(),
            });
        }
        Ok(VerifiedCertificate::new(leaf, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_needs_one_value() {
        assert_eq!(
            PkiSubject::new(None, Some("")),
            Err(PkiError::MissingSubject)
        );
        let s = PkiSubject::new(Some(""), Some("h")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((s.email(), s.hostname()), (None, Some("h")));
    }

    #[test]
    fn roots_must_hold_a_certificate() {
        assert_eq!(
            PkiTrustRoot::new(b"invalid", None, None),
            Err(PkiError::NoRootCertificates)
        );
    }
}
