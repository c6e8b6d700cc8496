//! Fulcio (keyless) signing certificates (signature-formats.md §4.4, §4.8;
//! policy-semantics.md §12.4): c/image's `fulcioTrustRoot` and
//! `verifyFulcioCertificateAtTime`.
//!
//! The caller verifies the Rekor SET first and passes its integrated time: Fulcio
//! certificates live ten minutes, so the whole chain, roots included, is validated at
//! the time Rekor logged the signature, never at the wall clock. The leaf must be valid
//! for code signing, name the configured OIDC issuer in Fulcio's extension, and list the
//! configured e-mail address among its subject alternative names. Signed certificate
//! timestamps are not checked (c/image does not either: the Rekor entry already logs
//! the certificate).

use std::time::SystemTime;

use super::certificate::{
    self, AnnotationFailure, Certificate, CertificateError, ChainError, VerifiedCertificate, oid,
};
use crate::go_encoding::der;

/// Why a Fulcio trust root could not be prepared or a certificate is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FulcioError {
    /// The OIDC issuer or the subject e-mail is empty (c/image: internal
    /// inconsistency; the policy parser refuses such a policy).
    #[error("Fulcio use set up without {field}")]
    MissingIdentity {
        /// `oidcIssuer` or `subjectEmail`.
        field: &'static str,
    },
    /// The configured CA data holds no usable certificate.
    #[error("error loading Fulcio CA certificates")]
    NoCaCertificates,
    /// The configured CA data could not be read.
    #[error("error loading Fulcio CA certificates: {0}")]
    CaCertificates(CertificateError),
    /// The signature's chain annotation is not a sequence of PEM certificates.
    #[error("loading certificate chain: {0}")]
    Chain(CertificateError),
    /// The signature's certificate annotation is not exactly one PEM certificate.
    #[error("parsing leaf certificate: {0}")]
    Leaf(CertificateError),
    /// The leaf does not chain to the Fulcio CA for code signing at the time given.
    #[error("verifying leaf certificate failed: {0}")]
    Untrusted(ChainError),
    /// The leaf has neither OIDC issuer extension.
    #[error("Fulcio certificate is missing the issuer extension")]
    MissingIssuer,
    /// The v2 OIDC issuer extension is not a DER string.
    #[error("invalid ASN.1 in OIDC issuer v2 extension: {reason}")]
    InvalidIssuerV2 {
        /// What is wrong with it.
        reason: String,
    },
    /// The v2 OIDC issuer extension has data after its string.
    #[error("invalid ASN.1 in OIDC issuer v2 extension, trailing data")]
    IssuerV2TrailingData,
    /// The v1 and v2 OIDC issuer extensions differ.
    #[error("inconsistent OIDC issuer extension values: v1 {v1:?}, v2 {v2:?}")]
    InconsistentIssuer {
        /// The v1 value.
        v1: String,
        /// The v2 value.
        v2: String,
    },
    /// The leaf names another OIDC issuer.
    #[error("Unexpected Fulcio OIDC issuer {found:?} (expected {expected:?})")]
    WrongIssuer {
        /// The configured issuer.
        expected: String,
        /// The certificate's issuer.
        found: String,
    },
    /// The configured e-mail address is not among the leaf's e-mail SANs.
    #[error("Required email {wanted:?} not found (got {got:?})")]
    EmailNotFound {
        /// The configured address.
        wanted: String,
        /// The certificate's addresses.
        got: Vec<String>,
    },
}

/// Who must have been issued the certificate: the OIDC issuer and the e-mail address
/// (c/image's `fulcioTrustRoot.validate`: both non-empty).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FulcioIdentity {
    oidc_issuer: String,
    subject_email: String,
}

impl FulcioIdentity {
    /// The identity; both values must be non-empty.
    pub fn new(
        oidc_issuer: impl Into<String>,
        subject_email: impl Into<String>,
    ) -> Result<Self, FulcioError> {
        let (oidc_issuer, subject_email) = (oidc_issuer.into(), subject_email.into());
        if oidc_issuer.is_empty() {
            return Err(FulcioError::MissingIdentity {
                field: "oidcIssuer",
            });
        }
        if subject_email.is_empty() {
            return Err(FulcioError::MissingIdentity {
                field: "subjectEmail",
            });
        }
        Ok(Self {
            oidc_issuer,
            subject_email,
        })
    }

    /// The OIDC issuer the certificate must record, compared exactly.
    pub fn oidc_issuer(&self) -> &str {
        &self.oidc_issuer
    }

    /// The e-mail address the certificate must list, compared exactly.
    pub fn subject_email(&self) -> &str {
        &self.subject_email
    }
}

/// A prepared `fulcio` trust source: the CA pool and the required identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FulcioTrustRoot {
    ca: Vec<Certificate>,
    identity: FulcioIdentity,
}

impl FulcioTrustRoot {
    /// Loads the CA certificates as Go's `CertPool.AppendCertsFromPEM` does (only
    /// `CERTIFICATE` blocks without headers; unparsable ones skipped); fails when none
    /// is loaded.
    pub fn new(trusted_ca_pem: &[u8], identity: FulcioIdentity) -> Result<Self, FulcioError> {
        let ca = certificate::pool_from_pem(trusted_ca_pem).map_err(FulcioError::CaCertificates)?;
        if ca.is_empty() {
            return Err(FulcioError::NoCaCertificates);
        }
        Ok(Self { ca, identity })
    }

    /// The CA certificates.
    pub fn ca_certificates(&self) -> &[Certificate] {
        &self.ca
    }

    /// The required identity.
    pub fn identity(&self) -> &FulcioIdentity {
        &self.identity
    }

    /// c/image's `verifyFulcioCertificateAtTime`: the signature's certificate annotation
    /// (`untrusted_leaf_pem`, exactly one PEM certificate) and chain annotation (PEM
    /// intermediates followed by the root; all but the last certificate are used as
    /// untrusted intermediates), validated at `at` (the Rekor integrated time) for code
    /// signing to this CA pool, then the OIDC issuer and the e-mail address.
    pub fn verify(
        &self,
        untrusted_leaf_pem: &[u8],
        untrusted_chain_pem: Option<&[u8]>,
        at: SystemTime,
    ) -> Result<VerifiedCertificate, FulcioError> {
        let leaf = certificate::verify_annotation_certificate(
            untrusted_leaf_pem,
            untrusted_chain_pem,
            &[],
            &self.ca,
            at,
            true,
        )
        .map_err(|e| match e {
            AnnotationFailure::Chain(e) => FulcioError::Chain(e),
            AnnotationFailure::Leaf(e) => FulcioError::Leaf(e),
            AnnotationFailure::Untrusted(e) => FulcioError::Untrusted(e),
        })?;

        let issuer = issuer_bytes(&leaf)?;
        if issuer != self.identity.oidc_issuer.as_bytes() {
            return Err(FulcioError::WrongIssuer {
                expected: self.identity.oidc_issuer.clone(),
                found: String::from_utf8_lossy(&issuer).into_owned(),
            });
        }
        if !leaf.emails().contains(&self.identity.subject_email) {
            return Err(FulcioError::EmailNotFound {
                wanted: self.identity.subject_email.clone(),
                got: leaf.emails().to_vec(),
            });
        }
        Ok(VerifiedCertificate::new(
            leaf,
            Some(self.identity.oidc_issuer.clone()),
        ))
    }
}

/// c/image's `fulcioIssuerInCertificate`: the OIDC issuer Fulcio recorded, from the v1
/// extension (`1.3.6.1.4.1.57264.1.1`, the raw value bytes) and/or the v2 extension
/// (`1.3.6.1.4.1.57264.1.8`, a DER string with nothing after it); when both are present
/// they must be equal. Bytes that are not UTF-8 are replaced (comparisons in
/// [`FulcioTrustRoot::verify`] are on the exact bytes).
pub fn oidc_issuer(certificate: &Certificate) -> Result<String, FulcioError> {
    issuer_bytes(certificate).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// Duplicate extensions never reach here: certificate parsing refuses them, as Go ≥ 1.19
/// does.
fn issuer_bytes(certificate: &Certificate) -> Result<Vec<u8>, FulcioError> {
    let mut v1: Option<Vec<u8>> = None;
    let mut v2: Option<Vec<u8>> = None;
    for ext in certificate.extensions() {
        if ext.oid == oid::FULCIO_ISSUER_V1 {
            v1 = Some(ext.value.clone());
        } else if ext.oid == oid::FULCIO_ISSUER_V2 {
            v2 = Some(go_asn1_string(&ext.value)?);
        }
    }
    match (v1, v2) {
        (Some(v1), Some(v2)) if v1 != v2 => Err(FulcioError::InconsistentIssuer {
            v1: String::from_utf8_lossy(&v1).into_owned(),
            v2: String::from_utf8_lossy(&v2).into_owned(),
        }),
        (Some(v), _) | (None, Some(v)) => Ok(v),
        (None, None) => Err(FulcioError::MissingIssuer),
    }
}

/// Go's `asn1.Unmarshal` into a `string`: UTF8String, PrintableString, IA5String,
/// NumericString, T61String, GeneralString (bytes as they are) or BMPString (UTF-16),
/// primitive, DER lengths; data after it is an error of its own.
fn go_asn1_string(value: &[u8]) -> Result<Vec<u8>, FulcioError> {
    let invalid = |reason: &str| FulcioError::InvalidIssuerV2 {
        reason: reason.to_owned(),
    };
    let (tag, contents, rest) =
        der::read_any(value).ok_or_else(|| invalid("asn1: syntax error: data truncated"))?;
    let decoded = match tag {
        0x0c => std::str::from_utf8(contents)
            .map_err(|_| invalid("asn1: syntax error: invalid UTF-8 string"))?
            .as_bytes()
            .to_vec(),
        0x13 => {
            if !contents
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b" '()+,-./:=?*&".contains(&b))
            {
                return Err(invalid(
                    "asn1: syntax error: PrintableString contains invalid character",
                ));
            }
            contents.to_vec()
        }
        0x16 => {
            if !contents.is_ascii() {
                return Err(invalid(
                    "asn1: syntax error: IA5String contains invalid character",
                ));
            }
            contents.to_vec()
        }
        0x12 => {
            if !contents.iter().all(|&b| b.is_ascii_digit() || b == b' ') {
                return Err(invalid(
                    "asn1: syntax error: NumericString contains invalid character",
                ));
            }
            contents.to_vec()
        }
        0x14 | 0x1b => contents.to_vec(),
        0x1e => {
            bmp_string(contents).ok_or_else(|| invalid("asn1: syntax error: invalid BMPString"))?
        }
        _ => return Err(invalid("asn1: structure error: tags don't match")),
    };
    if !rest.is_empty() {
        return Err(FulcioError::IssuerV2TrailingData);
    }
    Ok(decoded)
}

/// Go's `parseBMPString`: UTF-16BE, one trailing NUL code unit dropped.
fn bmp_string(contents: &[u8]) -> Option<Vec<u8>> {
    if !contents.len().is_multiple_of(2) {
        return None;
    }
    let contents = contents.strip_suffix(&[0, 0]).unwrap_or(contents);
    let units: Vec<u16> = contents
        .chunks_exact(2)
        .map(|c| {
            u16::from_be_bytes([
                c.first().copied().unwrap_or(0),
                c.get(1).copied().unwrap_or(0),
            ])
        })
        .collect();
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
            .into_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_strings_decode_like_go() {
        assert_eq!(go_asn1_string(b"\x0c\x03abc"), Ok(b"abc".to_vec()));
        assert_eq!(go_asn1_string(b"\x13\x03a*c"), Ok(b"a*c".to_vec()));
        assert_eq!(go_asn1_string(b"\x1e\x04\x00a\x00b"), Ok(b"ab".to_vec()));
        assert_eq!(go_asn1_string(b"\x14\x02\xff\x01"), Ok(vec![0xff, 1]));
        assert!(matches!(
            go_asn1_string(b"\x02\x01\x01"),
            Err(FulcioError::InvalidIssuerV2 { .. })
        ));
        assert!(matches!(
            go_asn1_string(b"\x13\x01@"),
            Err(FulcioError::InvalidIssuerV2 { .. })
        ));
        assert!(matches!(
            go_asn1_string(b"\x2c\x00"),
            Err(FulcioError::InvalidIssuerV2 { .. })
        ));
        assert_eq!(
            go_asn1_string(b"\x0c\x01a\x0c\x01b"),
            Err(FulcioError::IssuerV2TrailingData)
        );
    }

    #[test]
    fn identity_needs_both_values() {
        assert!(FulcioIdentity::new("", "e").is_err());
        assert!(FulcioIdentity::new("i", "").is_err());
        let id = FulcioIdentity::new("i", "e").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((id.oidc_issuer(), id.subject_email()), ("i", "e"));
    }
}
