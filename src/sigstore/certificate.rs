//! X.509 certificates as c/image's Go code sees them (signature-formats.md §4.4, §4.8,
//! §4.9): PEM decoding with Go's `encoding/pem` rules, certificate parsing with the facts
//! Go's `crypto/x509` derives (SAN names, unhandled critical extensions, extended key
//! usages), certificate pools, and path validation for code signing.
//!
//! Path building and signature checking are [`rustls-webpki`](webpki)'s; this module
//! adds what Go does and webpki does not, so that verdicts agree:
//!
//! * Go checks the validity window, the extended key usage and the critical extensions
//!   of *every* certificate of a chain, the trust anchor included; webpki checks no
//!   property of a trust anchor. Pool certificates and intermediates that Go would refuse
//!   at the given time are therefore left out before webpki builds a path, and an
//!   anchor's path-length constraint is checked on each candidate path.
//! * Go accepts an extended key usage extension that lists `anyExtendedKeyUsage`; the
//!   usage check is a webpki [`ExtendedKeyUsageValidator`](webpki::ExtendedKeyUsageValidator)
//!   with Go's rule.
//! * A leaf certificate that is itself in the trust pool is trusted as it is (Go's
//!   `opts.Roots.contains(leaf)`).
//!
//! Known divergences, all on certificates that neither Fulcio nor the usual private
//! PKIs issue: webpki refuses certificates that mark `certificatePolicies`,
//! `policyMappings`, `policyConstraints` or `inhibitAnyPolicy` critical (Go handles them),
//! leaf certificates that are CAs (`basicConstraints` `cA` true), v1 leaf or intermediate
//! certificates, and an empty extended key usage extension; certificate signatures
//! are checked for RSA PKCS#1 v1.5 with SHA-256/384/512 (1024 to 8192-bit keys),
//! ECDSA P-256/P-384 with SHA-256/384/512 and Ed25519, but not RSA-PSS or P-521.

use std::fmt;
use std::net::IpAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use rustls_pki_types::{
    AlgorithmIdentifier, CertificateDer, InvalidSignature, SignatureVerificationAlgorithm,
    TrustAnchor, UnixTime, alg_id,
};
use x509_parser::extensions::ParsedExtension;

use crate::go_encoding::{der, pem_decode};

/// The largest certificate, chain or trust-pool input accepted: 1 MiB for data from a
/// signature (a certificate is a few kilobytes), 16 MiB for configured trust material.
pub const MAX_UNTRUSTED_PEM_SIZE: usize = 1024 * 1024;
/// The largest configured CA / intermediates input accepted (16 MiB, like key files).
pub const MAX_TRUSTED_PEM_SIZE: usize = 16 * 1024 * 1024;
/// The most certificates read from one PEM input.
pub const MAX_CERTIFICATES: usize = 1024;

/// Why certificate data could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertificateError {
    /// Data that is not a PEM block where c/image requires one
    /// (`cryptoutils.UnmarshalCertificatesFromPEM`).
    #[error("error during PEM decoding")]
    PemDecoding,
    /// A PEM block whose contents are not a certificate Go's `x509.ParseCertificate`
    /// accepts.
    #[error("invalid certificate: {reason}")]
    Parse {
        /// What is wrong with it.
        reason: String,
    },
    /// The input is larger than this crate reads.
    #[error("certificate data of {len} bytes is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The input's length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// The input holds more certificates than this crate reads.
    #[error("more than {limit} certificates")]
    TooManyCertificates {
        /// The limit.
        limit: usize,
    },
    /// The signature's certificate data holds no certificate.
    #[error("no certificate found in signature certificate data")]
    NoLeaf,
    /// The signature's certificate data holds more than one certificate.
    #[error("unexpected multiple certificates present in signature certificate data ({count})")]
    MultipleLeaves {
        /// How many it holds.
        count: usize,
    },
}

/// Why a certificate is not trusted for code signing at the time given (c/image:
/// `veryfing leaf certificate failed: …`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChainError {
    /// The time is before the certificate's `notBefore`.
    #[error(
        "certificate {subject} is not valid before {}, checked at {}",
        rfc3339(*not_before),
        rfc3339(*time)
    )]
    NotYetValid {
        /// The certificate's subject.
        subject: String,
        /// `notBefore`, Unix seconds.
        not_before: i64,
        /// The time of the check, Unix seconds.
        time: i64,
    },
    /// The time is after the certificate's `notAfter`.
    #[error(
        "certificate {subject} expired at {}, checked at {}",
        rfc3339(*not_after),
        rfc3339(*time)
    )]
    Expired {
        /// The certificate's subject.
        subject: String,
        /// `notAfter`, Unix seconds.
        not_after: i64,
        /// The time of the check, Unix seconds.
        time: i64,
    },
    /// The leaf has a critical extension Go's `crypto/x509` does not handle.
    #[error("x509: unhandled critical extension {oid}")]
    UnhandledCriticalExtension {
        /// The extension's OID, dotted.
        oid: String,
    },
    /// A root or intermediate that may not issue certificates.
    #[error("certificate {subject} cannot issue certificates: {reason}")]
    NotACertificateAuthority {
        /// The certificate's subject.
        subject: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// The leaf's extended key usages exclude code signing.
    #[error("certificate is not valid for code signing (extended key usages {present:?})")]
    WrongKeyUsage {
        /// The OIDs the certificate lists, dotted.
        present: Vec<String>,
    },
    /// No chain to a trusted certificate: webpki's reason, and the candidate
    /// certificates that were left out because Go would refuse them.
    #[error("untrusted certificate chain: {reason}{}", ignored_suffix(ignored))]
    Untrusted {
        /// webpki's reason.
        reason: String,
        /// Certificates of the pool or the chain left out, with why.
        ignored: Vec<String>,
    },
    /// No chain to a trusted certificate, and the signature's chain annotation ends
    /// with a certificate that is not self-issued: c/image drops the last certificate of
    /// the chain as the presumed root, so the chain is one certificate short.
    #[error(
        "untrusted certificate chain: {reason}; the chain annotation's last certificate \
         ({dropped}) is dropped as its root, so the chain is one certificate short"
    )]
    ChainOneCertificateShort {
        /// webpki's reason.
        reason: String,
        /// The subject of the dropped certificate.
        dropped: String,
    },
}

fn ignored_suffix(ignored: &[String]) -> String {
    if ignored.is_empty() {
        String::new()
    } else {
        format!(" (left out: {})", ignored.join("; "))
    }
}

/// OIDs (dotted) used here.
pub(crate) mod oid {
    /// `id-ce-subjectAltName`.
    pub const SUBJECT_ALT_NAME: &str = "2.5.29.17";
    /// Fulcio's OIDC issuer, v1 (raw string value).
    pub const FULCIO_ISSUER_V1: &str = "1.3.6.1.4.1.57264.1.1";
    /// Fulcio's OIDC issuer, v2 (DER string value).
    pub const FULCIO_ISSUER_V2: &str = "1.3.6.1.4.1.57264.1.8";
    /// `id-kp-codeSigning`.
    pub const CODE_SIGNING: &str = "1.3.6.1.5.5.7.3.3";
    /// `anyExtendedKeyUsage`.
    pub const ANY_EKU: &str = "2.5.29.37.0";
    /// `id-pe-authorityInfoAccess`.
    pub const AUTHORITY_INFO_ACCESS: &str = "1.3.6.1.5.5.7.1.1";
}

/// DER of `id-kp-codeSigning` (1.3.6.1.5.5.7.3.3), without tag and length.
const CODE_SIGNING_DER: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03];
/// DER of `anyExtendedKeyUsage` (2.5.29.37.0), without tag and length.
const ANY_EKU_DER: &[u8] = &[0x55, 0x1d, 0x25, 0x00];

/// One extension of a certificate, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// The OID, dotted.
    pub oid: String,
    /// Whether it is marked critical.
    pub critical: bool,
    /// The contents of its `extnValue` OCTET STRING.
    pub value: Vec<u8>,
}

/// The extended key usages of a certificate, as Go reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
enum KeyUsages {
    /// No extended key usage extension: any usage.
    Unrestricted,
    /// The listed OIDs (dotted).
    Listed(Vec<String>),
}

impl KeyUsages {
    /// Go's per-certificate rule of `checkChainForKeyUsage` for code signing.
    fn allows_code_signing(&self) -> bool {
        match self {
            KeyUsages::Unrestricted => true,
            KeyUsages::Listed(oids) => oids
                .iter()
                .any(|o| o == oid::CODE_SIGNING || o == oid::ANY_EKU),
        }
    }
}

/// An X.509 certificate, parsed, with the facts Go's `crypto/x509` derives from it.
/// Nothing about it is verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    der: Vec<u8>,
    subject: String,
    raw_subject: Vec<u8>,
    raw_issuer: Vec<u8>,
    spki_der: Vec<u8>,
    not_before: i64,
    not_after: i64,
    extensions: Vec<Extension>,
    emails: Vec<String>,
    dns_names: Vec<String>,
    ip_addresses: Vec<IpAddr>,
    /// URI SANs (counted for Go's "SAN without parsed names" rule only).
    uri_count: usize,
    san_present: bool,
    unhandled_critical: Vec<String>,
    key_usages: KeyUsages,
    max_path_len: Option<u32>,
    /// The X.509 version as Go numbers it (1 or 3).
    version: u32,
    /// `Some(is_ca)` when basicConstraints is present.
    basic_constraints_ca: Option<bool>,
    /// `Some(allows keyCertSign)` when keyUsage is present.
    key_cert_sign: Option<bool>,
}

impl Certificate {
    /// Parses one DER certificate as Go's `x509.ParseCertificate` would: no trailing
    /// data, no duplicate extensions, no negative serial number, well-formed subject
    /// alternative names, authority/subject key identifiers and authority information
    /// access never critical.
    pub fn from_der(untrusted_der: &[u8]) -> Result<Self, CertificateError> {
        let parse = |reason: String| CertificateError::Parse { reason };
        let (rest, cert) = x509_parser::parse_x509_certificate(untrusted_der)
            .map_err(|e| parse(format!("x509: malformed certificate: {e}")))?;
        if !rest.is_empty() {
            return Err(parse("x509: trailing data".into()));
        }
        if cert
            .tbs_certificate
            .raw_serial()
            .first()
            .is_some_and(|b| b & 0x80 != 0)
        {
            return Err(parse("x509: negative serial number".into()));
        }
        let mut out = Certificate {
            der: untrusted_der.to_vec(),
            subject: cert.subject().to_string(),
            raw_subject: cert.subject().as_raw().to_vec(),
            raw_issuer: cert.issuer().as_raw().to_vec(),
            spki_der: cert.public_key().raw.to_vec(),
            not_before: cert.validity().not_before.timestamp(),
            not_after: cert.validity().not_after.timestamp(),
            extensions: Vec::new(),
            emails: Vec::new(),
            dns_names: Vec::new(),
            ip_addresses: Vec::new(),
            uri_count: 0,
            san_present: false,
            unhandled_critical: Vec::new(),
            key_usages: KeyUsages::Unrestricted,
            max_path_len: None,
            version: cert.version().0.saturating_add(1),
            basic_constraints_ca: None,
            key_cert_sign: None,
        };
        for ext in cert.extensions() {
            let oid = dotted_oid(ext.oid.as_bytes())
                .ok_or_else(|| parse("x509: invalid extension OID".into()))?;
            if out.extensions.iter().any(|e| e.oid == oid) {
                return Err(parse(
                    "x509: certificate contains duplicate extensions".into(),
                ));
            }
            let handled =
                out.process_extension(&oid, ext.critical, ext.value, ext.parsed_extension())?;
            if ext.critical && !handled {
                out.unhandled_critical.push(oid.clone());
            }
            out.extensions.push(Extension {
                oid,
                critical: ext.critical,
                value: ext.value.to_vec(),
            });
        }
        Ok(out)
    }

    /// Reads one extension as Go's `processExtensions` does; returns whether Go handles
    /// it (for the unhandled-critical list).
    fn process_extension(
        &mut self,
        oid: &str,
        critical: bool,
        value: &[u8],
        parsed: &ParsedExtension<'_>,
    ) -> Result<bool, CertificateError> {
        let parse = |reason: &str| CertificateError::Parse {
            reason: reason.to_owned(),
        };
        if oid == oid::AUTHORITY_INFO_ACCESS {
            if critical {
                return Err(parse(
                    "x509: authority info access incorrectly marked critical",
                ));
            }
            return Ok(true);
        }
        let Some(last) = oid.strip_prefix("2.5.29.") else {
            return Ok(false);
        };
        match last {
            "14" if critical => Err(parse(
                "x509: subject key identifier incorrectly marked critical",
            )),
            "35" if critical => Err(parse(
                "x509: authority key identifier incorrectly marked critical",
            )),
            "17" => {
                self.read_san(value)?;
                self.san_present = true;
                Ok(!(self.emails.is_empty()
                    && self.dns_names.is_empty()
                    && self.ip_addresses.is_empty()
                    && self.uri_count == 0))
            }
            "19" => match parsed {
                ParsedExtension::BasicConstraints(bc) => {
                    self.max_path_len = if bc.ca { bc.path_len_constraint } else { None };
                    self.basic_constraints_ca = Some(bc.ca);
                    Ok(true)
                }
                _ => Err(parse("x509: invalid basic constraints")),
            },
            "37" => match parsed {
                ParsedExtension::ExtendedKeyUsage(_) => {
                    self.key_usages = KeyUsages::Listed(read_oid_sequence(value)?);
                    Ok(true)
                }
                _ => Err(parse("x509: invalid extended key usages")),
            },
            "15" => match parsed {
                ParsedExtension::KeyUsage(usage) => {
                    self.key_cert_sign = Some(usage.key_cert_sign());
                    Ok(true)
                }
                ParsedExtension::ParseError { error } => Err(CertificateError::Parse {
                    reason: format!("x509: invalid extension {oid}: {error}"),
                }),
                _ => Err(parse("x509: invalid key usage")),
            },
            "14" | "30" | "31" | "32" | "33" | "35" | "36" | "54" => {
                if let ParsedExtension::ParseError { error } = parsed {
                    return Err(CertificateError::Parse {
                        reason: format!("x509: invalid extension {oid}: {error}"),
                    });
                }
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Go's `parseSANExtension`: only `[1]` rfc822Name, `[2]` dNSName, `[6]` URI and
    /// `[7]` iPAddress (primitive, context-specific) are read; others are skipped.
    fn read_san(&mut self, value: &[u8]) -> Result<(), CertificateError> {
        let invalid = |what: &str| CertificateError::Parse {
            reason: format!("x509: {what}"),
        };
        let (seq, rest) = der::read(value, der::SEQUENCE)
            .ok_or_else(|| invalid("invalid subject alternative names"))?;
        if !rest.is_empty() {
            return Err(invalid("invalid subject alternative names"));
        }
        let mut names = seq;
        while !names.is_empty() {
            let (tag, contents, rest) =
                der::read_any(names).ok_or_else(|| invalid("invalid subject alternative name"))?;
            names = rest;
            match tag {
                0x81 => self
                    .emails
                    .push(ia5(contents).ok_or_else(|| invalid("SAN rfc822Name is malformed"))?),
                0x82 => self
                    .dns_names
                    .push(ia5(contents).ok_or_else(|| invalid("SAN dNSName is malformed"))?),
                0x86 => {
                    ia5(contents)
                        .ok_or_else(|| invalid("SAN uniformResourceIdentifier is malformed"))?;
                    self.uri_count += 1;
                }
                0x87 => {
                    let ip = match contents.len() {
                        4 => <[u8; 4]>::try_from(contents).ok().map(IpAddr::from),
                        16 => <[u8; 16]>::try_from(contents).ok().map(IpAddr::from),
                        _ => None,
                    };
                    self.ip_addresses
                        .push(ip.ok_or_else(|| CertificateError::Parse {
                            reason: format!(
                                "x509: cannot parse IP address of length {}",
                                contents.len()
                            ),
                        })?);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The certificate's DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The subject, as text (for explanations).
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The DER `SubjectPublicKeyInfo`: the certificate's public key.
    pub fn subject_public_key_info_der(&self) -> &[u8] {
        &self.spki_der
    }

    /// `notBefore`, Unix seconds.
    pub fn not_before(&self) -> i64 {
        self.not_before
    }

    /// `notAfter`, Unix seconds.
    pub fn not_after(&self) -> i64 {
        self.not_after
    }

    /// The extensions, in certificate order.
    pub fn extensions(&self) -> &[Extension] {
        &self.extensions
    }

    /// The rfc822Name (e-mail) subject alternative names, in order.
    pub fn emails(&self) -> &[String] {
        &self.emails
    }

    /// The dNSName subject alternative names, in order.
    pub fn dns_names(&self) -> &[String] {
        &self.dns_names
    }

    /// The iPAddress subject alternative names, in order.
    pub fn ip_addresses(&self) -> &[IpAddr] {
        &self.ip_addresses
    }

    /// The critical extensions Go's `crypto/x509` does not handle (its
    /// `UnhandledCriticalExtensions`): unknown ones, and a subject alternative name
    /// extension with no e-mail, DNS, IP or URI name.
    pub fn unhandled_critical_extensions(&self) -> &[String] {
        &self.unhandled_critical
    }

    /// Go's `VerifyHostname` (Go ≥ 1.17): an IP address (optionally in `[]`) matches the
    /// IP SANs; anything else matches the DNS SANs case-insensitively, with a trailing
    /// dot ignored and a `*` left-most label as a wildcard when both sides are valid
    /// host names. The subject's common name is never used.
    pub fn matches_hostname(&self, hostname: &str) -> bool {
        let candidate_ip = hostname
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .filter(|_| hostname.len() >= 3)
            .unwrap_or(hostname);
        if let Ok(ip) = candidate_ip.parse::<IpAddr>() {
            let ip = to_v6(ip);
            return self.ip_addresses.iter().any(|c| to_v6(*c) == ip);
        }
        let candidate = hostname.to_ascii_lowercase();
        let valid_candidate = valid_hostname(&candidate, false);
        self.dns_names.iter().any(|pattern| {
            if valid_candidate && valid_hostname(pattern, true) {
                match_hostnames(pattern, &candidate)
            } else {
                match_exactly(pattern, &candidate)
            }
        })
    }

    fn describe(&self) -> String {
        if self.subject.is_empty() {
            "(empty subject)".to_owned()
        } else {
            self.subject.clone()
        }
    }

    /// Go's `isValid` checks that do not depend on the chain, at `at`.
    fn check_at(&self, at: Time, ignore_san: bool) -> Result<(), ChainError> {
        if let Some(oid) = self
            .unhandled_critical
            .iter()
            .find(|o| !(ignore_san && o.as_str() == oid::SUBJECT_ALT_NAME))
        {
            return Err(ChainError::UnhandledCriticalExtension { oid: oid.clone() });
        }
        if at.before(self.not_before) {
            return Err(ChainError::NotYetValid {
                subject: self.describe(),
                not_before: self.not_before,
                time: at.secs,
            });
        }
        if at.after(self.not_after) {
            return Err(ChainError::Expired {
                subject: self.describe(),
                not_after: self.not_after,
                time: at.secs,
            });
        }
        Ok(())
    }

    fn check_key_usage(&self) -> Result<(), ChainError> {
        if self.key_usages.allows_code_signing() {
            return Ok(());
        }
        Err(ChainError::WrongKeyUsage {
            present: match &self.key_usages {
                KeyUsages::Listed(oids) => oids.clone(),
                KeyUsages::Unrestricted => Vec::new(),
            },
        })
    }

    /// Go's `CheckSignatureFrom` rule for a parent: a version-3 certificate needs
    /// basicConstraints with `cA: true`, and a keyUsage extension must allow
    /// keyCertSign. rustls-webpki does not check trust anchors at all and ignores
    /// keyUsage on intermediates, so we check it before building paths.
    fn check_can_issue(&self) -> Result<(), ChainError> {
        let reason = match (self.version, self.basic_constraints_ca, self.key_cert_sign) {
            (3, None, _) => "it has no basicConstraints extension",
            (_, Some(false), _) => "its basicConstraints say it is not a CA",
            (_, _, Some(false)) => "its keyUsage does not allow certificate signing",
            _ => return Ok(()),
        };
        Err(ChainError::NotACertificateAuthority {
            subject: self.subject.clone(),
            reason,
        })
    }

    fn is_self_issued(&self) -> bool {
        self.raw_subject == self.raw_issuer
    }
}

fn to_v6(ip: IpAddr) -> std::net::Ipv6Addr {
    match ip {
        IpAddr::V4(v4) => v4.to_ipv6_mapped(),
        IpAddr::V6(v6) => v6,
    }
}

/// Go's `validHostname`.
fn valid_hostname(host: &str, is_pattern: bool) -> bool {
    let host = if is_pattern {
        host
    } else {
        host.strip_suffix('.').unwrap_or(host)
    };
    if host.is_empty() || host == "*" {
        return false;
    }
    host.split('.').enumerate().all(|(i, part)| {
        if part.is_empty() {
            return false;
        }
        if is_pattern && i == 0 && part == "*" {
            return true;
        }
        part.chars()
            .enumerate()
            .all(|(j, c)| c.is_ascii_alphanumeric() || (c == '-' && j != 0) || c == '_')
    })
}

/// Go's `matchHostnames` (`host` already lower-cased).
fn match_hostnames(pattern: &str, host: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(host);
    if pattern.is_empty() || host.is_empty() {
        return false;
    }
    let pattern_parts: Vec<&str> = pattern.split('.').collect();
    let host_parts: Vec<&str> = host.split('.').collect();
    pattern_parts.len() == host_parts.len()
        && pattern_parts
            .iter()
            .zip(&host_parts)
            .enumerate()
            .all(|(i, (p, h))| (i == 0 && *p == "*") || p == h)
}

/// Go's `matchExactly`.
fn match_exactly(a: &str, b: &str) -> bool {
    if a.is_empty() || a == "." || b.is_empty() || b == "." {
        return false;
    }
    a.eq_ignore_ascii_case(b)
}

/// An IA5String's contents (Go `isIA5String`: every byte ASCII).
fn ia5(contents: &[u8]) -> Option<String> {
    if contents.is_ascii() {
        String::from_utf8(contents.to_vec()).ok()
    } else {
        None
    }
}

/// A SEQUENCE OF OBJECT IDENTIFIER, dotted.
fn read_oid_sequence(value: &[u8]) -> Result<Vec<String>, CertificateError> {
    let invalid = || CertificateError::Parse {
        reason: "x509: invalid extended key usages".into(),
    };
    let (mut seq, rest) = der::read(value, der::SEQUENCE).ok_or_else(invalid)?;
    if !rest.is_empty() {
        return Err(invalid());
    }
    let mut out = Vec::new();
    while !seq.is_empty() {
        let (contents, rest) = der::read(seq, der::OID).ok_or_else(invalid)?;
        out.push(dotted_oid(contents).ok_or_else(invalid)?);
        seq = rest;
    }
    Ok(out)
}

/// An OID's content bytes as dotted text.
fn dotted_oid(contents: &[u8]) -> Option<String> {
    let mut arcs: Vec<u64> = Vec::new();
    let mut acc: u64 = 0;
    let mut in_arc = false;
    for &b in contents {
        if !in_arc && b == 0x80 {
            return None; // non-minimal
        }
        acc = acc.checked_mul(128)?.checked_add(u64::from(b & 0x7f))?;
        in_arc = b & 0x80 != 0;
        if !in_arc {
            arcs.push(acc);
            acc = 0;
        }
    }
    if in_arc {
        return None;
    }
    let (&first, rest) = arcs.split_first()?;
    let (a, b) = match first {
        0..=39 => (0, first),
        40..=79 => (1, first - 40),
        _ => (2, first - 80),
    };
    let mut out = format!("{a}.{b}");
    for arc in rest {
        out.push('.');
        out.push_str(&arc.to_string());
    }
    Some(out)
}

fn check_size(data: &[u8], limit: usize) -> Result<(), CertificateError> {
    if data.len() > limit {
        return Err(CertificateError::TooLarge {
            len: data.len(),
            limit,
        });
    }
    Ok(())
}

/// Go's `x509.CertPool.AppendCertsFromPEM`: every `CERTIFICATE` block without headers
/// that parses; other blocks and unparsable certificates are skipped silently.
/// Duplicates are kept once.
pub fn pool_from_pem(trusted_pem: &[u8]) -> Result<Vec<Certificate>, CertificateError> {
    check_size(trusted_pem, MAX_TRUSTED_PEM_SIZE)?;
    let mut out: Vec<Certificate> = Vec::new();
    let mut rest = trusted_pem;
    while !rest.is_empty() {
        let Some((block, after)) = pem_decode(rest) else {
            break;
        };
        rest = after;
        if block.label != "CERTIFICATE" || block.has_headers {
            continue;
        }
        if let Ok(cert) = Certificate::from_der(&block.der)
            && !out.iter().any(|c| c.der == cert.der)
        {
            if out.len() >= MAX_CERTIFICATES {
                return Err(CertificateError::TooManyCertificates {
                    limit: MAX_CERTIFICATES,
                });
            }
            out.push(cert);
        }
    }
    Ok(out)
}

/// sigstore's `cryptoutils.UnmarshalCertificatesFromPEM`: the input, whitespace-trimmed,
/// must be a sequence of PEM blocks (of any type) that all parse as certificates; empty
/// input is no certificate. `limit` bounds the input size.
pub fn certificates_from_pem(
    untrusted_pem: &[u8],
    limit: usize,
) -> Result<Vec<Certificate>, CertificateError> {
    check_size(untrusted_pem, limit)?;
    let mut rest = untrusted_pem.trim_ascii();
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (block, after) = pem_decode(rest).ok_or(CertificateError::PemDecoding)?;
        rest = after;
        if out.len() >= MAX_CERTIFICATES {
            return Err(CertificateError::TooManyCertificates {
                limit: MAX_CERTIFICATES,
            });
        }
        out.push(Certificate::from_der(&block.der)?);
    }
    Ok(out)
}

/// c/image's `parseLeafCertFromPEM`: exactly one certificate.
pub fn parse_leaf_pem(untrusted_pem: &[u8]) -> Result<Certificate, CertificateError> {
    let mut certs = certificates_from_pem(untrusted_pem, MAX_UNTRUSTED_PEM_SIZE)?;
    match certs.len() {
        0 => Err(CertificateError::NoLeaf),
        1 => certs.pop().ok_or(CertificateError::NoLeaf),
        count => Err(CertificateError::MultipleLeaves { count }),
    }
}

/// The intermediates a signature's chain annotation contributes (c/image: all
/// certificates but the last, which is presumed to be the root and dropped), and the
/// dropped one.
pub(crate) fn chain_annotation_intermediates(
    untrusted_chain_pem: Option<&[u8]>,
) -> Result<(Vec<Certificate>, Option<Certificate>), CertificateError> {
    let Some(pem) = untrusted_chain_pem.filter(|p| !p.is_empty()) else {
        return Ok((Vec::new(), None));
    };
    let mut certs = certificates_from_pem(pem, MAX_UNTRUSTED_PEM_SIZE)?;
    let dropped = certs.pop();
    Ok((certs, dropped))
}

/// A leaf certificate that passed verification, with what the explanations name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCertificate {
    certificate: Certificate,
    oidc_issuer: Option<String>,
}

impl VerifiedCertificate {
    pub(crate) fn new(certificate: Certificate, oidc_issuer: Option<String>) -> Self {
        Self {
            certificate,
            oidc_issuer,
        }
    }

    /// The leaf's DER `SubjectPublicKeyInfo`: the key that must have signed the payload.
    pub fn subject_public_key_info_der(&self) -> &[u8] {
        self.certificate.subject_public_key_info_der()
    }

    /// The leaf certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The leaf's e-mail subject alternative names.
    pub fn emails(&self) -> &[String] {
        self.certificate.emails()
    }

    /// The OIDC issuer Fulcio recorded (Fulcio certificates only).
    pub fn oidc_issuer(&self) -> Option<&str> {
        self.oidc_issuer.as_deref()
    }
}

/// A point in time at nanosecond precision, compared as Go compares `time.Time`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Time {
    secs: i64,
    nanos: u32,
}

impl Time {
    pub(crate) fn from_system_time(at: SystemTime) -> Self {
        match at.duration_since(UNIX_EPOCH) {
            Ok(d) => Time {
                secs: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                nanos: d.subsec_nanos(),
            },
            Err(e) => {
                let d = e.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                if d.subsec_nanos() == 0 {
                    Time {
                        secs: -secs,
                        nanos: 0,
                    }
                } else {
                    Time {
                        secs: -secs - 1,
                        nanos: 1_000_000_000 - d.subsec_nanos(),
                    }
                }
            }
        }
    }

    /// `self < t` for a whole-second `t`.
    fn before(self, t: i64) -> bool {
        self.secs < t
    }

    /// `self > t` for a whole-second `t`.
    fn after(self, t: i64) -> bool {
        self.secs > t || (self.secs == t && self.nanos > 0)
    }
}

/// A time as RFC 3339 text (UTC), for explanations.
pub(crate) fn rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Go's `x509.Certificate.Verify` with `KeyUsages: [codeSigning]` at `at`, for a leaf
/// against `roots` with `intermediates`; `ignore_critical_san` is Fulcio's removal of
/// the subject alternative name from the leaf's unhandled critical extensions.
pub(crate) fn verify_code_signing(
    leaf: &Certificate,
    intermediates: &[Certificate],
    roots: &[Certificate],
    at: Time,
    ignore_critical_san: bool,
) -> Result<(), ChainError> {
    leaf.check_at(at, ignore_critical_san)?;
    if roots.iter().any(|r| r.der == leaf.der) {
        return leaf.check_key_usage();
    }
    leaf.check_key_usage()?;

    let mut ignored = Vec::new();
    let mut usable = |cert: &Certificate, what: &str| match cert
        .check_at(at, false)
        .and_then(|()| cert.check_key_usage())
        .and_then(|()| cert.check_can_issue())
    {
        Ok(()) => true,
        Err(e) => {
            ignored.push(format!("{what} {}: {e}", cert.describe()));
            false
        }
    };
    let root_certs: Vec<&Certificate> = roots.iter().filter(|c| usable(c, "root")).collect();
    let intermediate_ders: Vec<CertificateDer<'_>> = intermediates
        .iter()
        .filter(|c| usable(c, "intermediate"))
        .map(|c| CertificateDer::from(c.der.as_slice()))
        .collect();
    let root_ders: Vec<CertificateDer<'_>> = root_certs
        .iter()
        .map(|c| CertificateDer::from(c.der.as_slice()))
        .collect();
    let mut anchors: Vec<TrustAnchor<'_>> = Vec::new();
    let mut anchor_certs: Vec<&Certificate> = Vec::new();
    for (der, cert) in root_ders.iter().zip(&root_certs) {
        match webpki::anchor_from_trusted_cert(der) {
            Ok(anchor) => {
                anchors.push(anchor);
                anchor_certs.push(cert);
            }
            Err(e) => ignored.push(format!("root {}: {e}", cert.describe())),
        }
    }

    let leaf_der = CertificateDer::from(leaf.der.as_slice());
    let untrusted =
        |reason: String, ignored: Vec<String>| ChainError::Untrusted { reason, ignored };
    let end_entity = webpki::EndEntityCert::try_from(&leaf_der)
        .map_err(|e| untrusted(format!("leaf certificate: {e}"), ignored.clone()))?;
    let time = UnixTime::since_unix_epoch(std::time::Duration::from_secs(
        u64::try_from(at.secs).unwrap_or(0),
    ));
    if at.secs < 0 {
        return Err(untrusted(
            "times before 1970 are not supported".into(),
            ignored,
        ));
    }
    // Go checks a root's path-length constraint like an intermediate's.
    let anchors_ref = &anchors;
    let check_anchor = |path: &webpki::VerifiedPath<'_>| -> Result<(), webpki::Error> {
        let count = path.intermediate_certificates().count();
        let anchor_cert = anchors_ref
            .iter()
            .position(|a| std::ptr::eq(a, path.anchor()))
            .and_then(|i| anchor_certs.get(i));
        match anchor_cert.and_then(|c| c.max_path_len) {
            Some(max) if u32::try_from(count).map_or(true, |n| n > max) => {
                Err(webpki::Error::PathLenConstraintViolated)
            }
            _ => Ok(()),
        }
    };
    match end_entity.verify_for_usage(
        SUPPORTED_ALGORITHMS,
        &anchors,
        &intermediate_ders,
        time,
        GoCodeSigningUsage,
        None,
        Some(&check_anchor),
    ) {
        Ok(_) => Ok(()),
        Err(webpki::Error::RequiredEkuNotFoundContext(ctx)) => Err(ChainError::WrongKeyUsage {
            present: ctx
                .present
                .iter()
                .map(|arcs| {
                    arcs.iter()
                        .map(usize::to_string)
                        .collect::<Vec<_>>()
                        .join(".")
                })
                .collect(),
        }),
        Err(e) => Err(untrusted(e.to_string(), ignored)),
    }
}

/// Why a signature's certificate annotations were not accepted, by stage; the Fulcio
/// and PKI verifiers map each stage onto their own error type.
#[derive(Debug)]
pub(crate) enum AnnotationFailure {
    /// The chain annotation is not a sequence of PEM certificates.
    Chain(CertificateError),
    /// The certificate annotation is not exactly one PEM certificate.
    Leaf(CertificateError),
    /// No code-signing path from the certificate to the roots.
    Untrusted(ChainError),
}

/// What c/image's `verifyFulcioCertificateAtTime` and `verifyPKI` share: the chain
/// annotation read ([`chain_annotation_intermediates`]: all but its last certificate
/// join `trusted_intermediates`), the certificate annotation read as the one leaf,
/// then a code-signing path from the leaf to `roots` at `at` (a failure explained with
/// the dropped certificate, [`explain_dropped`]). Returns the leaf.
pub(crate) fn verify_annotation_certificate(
    untrusted_leaf_pem: &[u8],
    untrusted_chain_pem: Option<&[u8]>,
    trusted_intermediates: &[Certificate],
    roots: &[Certificate],
    at: SystemTime,
    ignore_critical_san: bool,
) -> Result<Certificate, AnnotationFailure> {
    let (from_chain, dropped) =
        chain_annotation_intermediates(untrusted_chain_pem).map_err(AnnotationFailure::Chain)?;
    let mut intermediates = trusted_intermediates.to_vec();
    intermediates.extend(from_chain);
    let leaf = parse_leaf_pem(untrusted_leaf_pem).map_err(AnnotationFailure::Leaf)?;
    verify_code_signing(
        &leaf,
        &intermediates,
        roots,
        Time::from_system_time(at),
        ignore_critical_san,
    )
    .map_err(|e| AnnotationFailure::Untrusted(explain_dropped(e, dropped.as_ref())))?;
    Ok(leaf)
}

/// Adds c/image's "chain one certificate short" explanation to an untrusted-chain
/// failure when the chain annotation's dropped last certificate was not a root.
pub(crate) fn explain_dropped(error: ChainError, dropped: Option<&Certificate>) -> ChainError {
    match (error, dropped) {
        (ChainError::Untrusted { reason, .. }, Some(dropped)) if !dropped.is_self_issued() => {
            ChainError::ChainOneCertificateShort {
                reason,
                dropped: dropped.describe(),
            }
        }
        (error, _) => error,
    }
}

/// Go's `checkChainForKeyUsage` rule for one certificate, for code signing: no
/// extended key usage extension, or one that lists code signing or any usage.
#[derive(Debug, Clone, Copy)]
struct GoCodeSigningUsage;

impl webpki::ExtendedKeyUsageValidator for GoCodeSigningUsage {
    fn validate(&self, iter: webpki::KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        let mut present = Vec::new();
        for id in iter {
            let id = id?;
            // KeyPurposeId has no byte accessor; compare through the public constructor.
            if id == webpki::KeyPurposeId::new(CODE_SIGNING_DER)
                || id == webpki::KeyPurposeId::new(ANY_EKU_DER)
            {
                return Ok(());
            }
            present.push(id.to_decoded_oid());
        }
        if present.is_empty() {
            return Ok(());
        }
        Err(webpki::Error::RequiredEkuNotFoundContext(
            webpki::RequiredEkuNotFoundContext {
                required: webpki::KeyUsage::required(CODE_SIGNING_DER),
                present,
            },
        ))
    }
}

/// The certificate signature algorithms: RustCrypto verifiers behind webpki's trait.
static SUPPORTED_ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[
    &Ecdsa {
        curve: Curve::P256,
        hash: Hash::Sha256,
    },
    &Ecdsa {
        curve: Curve::P256,
        hash: Hash::Sha384,
    },
    &Ecdsa {
        curve: Curve::P256,
        hash: Hash::Sha512,
    },
    &Ecdsa {
        curve: Curve::P384,
        hash: Hash::Sha256,
    },
    &Ecdsa {
        curve: Curve::P384,
        hash: Hash::Sha384,
    },
    &Ecdsa {
        curve: Curve::P384,
        hash: Hash::Sha512,
    },
    &Ed25519,
    &RsaPkcs1 { hash: Hash::Sha256 },
    &RsaPkcs1 { hash: Hash::Sha384 },
    &RsaPkcs1 { hash: Hash::Sha512 },
];

#[derive(Debug, Clone, Copy)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn digest(self, message: &[u8]) -> Vec<u8> {
        use sha2::Digest as _;
        match self {
            Hash::Sha256 => sha2::Sha256::digest(message).to_vec(),
            Hash::Sha384 => sha2::Sha384::digest(message).to_vec(),
            Hash::Sha512 => sha2::Sha512::digest(message).to_vec(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Curve {
    P256,
    P384,
}

/// ECDSA over a NIST curve with a DER signature (Go `ecdsa.VerifyASN1`).
#[derive(Debug)]
struct Ecdsa {
    curve: Curve,
    hash: Hash,
}

impl SignatureVerificationAlgorithm for Ecdsa {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
        let prehash = self.hash.digest(message);
        match self.curve {
            Curve::P256 => {
                let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(public_key)
                    .map_err(|_| InvalidSignature)?;
                let sig =
                    p256::ecdsa::Signature::from_der(signature).map_err(|_| InvalidSignature)?;
                key.verify_prehash(&prehash, &sig)
                    .map_err(|_| InvalidSignature)
            }
            Curve::P384 => {
                let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(public_key)
                    .map_err(|_| InvalidSignature)?;
                let sig =
                    p384::ecdsa::Signature::from_der(signature).map_err(|_| InvalidSignature)?;
                key.verify_prehash(&prehash, &sig)
                    .map_err(|_| InvalidSignature)
            }
        }
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        match self.curve {
            Curve::P256 => alg_id::ECDSA_P256,
            Curve::P384 => alg_id::ECDSA_P384,
        }
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        match self.hash {
            Hash::Sha256 => alg_id::ECDSA_SHA256,
            Hash::Sha384 => alg_id::ECDSA_SHA384,
            Hash::Sha512 => alg_id::ECDSA_SHA512,
        }
    }
}

/// Ed25519 (Go `ed25519.Verify`: not the strict variant).
#[derive(Debug)]
struct Ed25519;

impl SignatureVerificationAlgorithm for Ed25519 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        use ed25519_dalek::Verifier as _;
        let key = <[u8; 32]>::try_from(public_key).map_err(|_| InvalidSignature)?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(&key).map_err(|_| InvalidSignature)?;
        let sig = ed25519_dalek::Signature::from_slice(signature).map_err(|_| InvalidSignature)?;
        key.verify(message, &sig).map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ED25519
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ED25519
    }
}

/// RSA PKCS#1 v1.5 (1024 to 8192-bit keys).
#[derive(Debug)]
struct RsaPkcs1 {
    hash: Hash,
}

impl SignatureVerificationAlgorithm for RsaPkcs1 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        use rsa::pkcs1::DecodeRsaPublicKey as _;
        let key = rsa::PublicKey::from_pkcs1_der(public_key).map_err(|_| InvalidSignature)?;
        let prehash = self.hash.digest(message);
        let scheme = match self.hash {
            Hash::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
            Hash::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
            Hash::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
        };
        key.verify(scheme, &prehash, signature)
            .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::RSA_ENCRYPTION
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        match self.hash {
            Hash::Sha256 => alg_id::RSA_PKCS1_SHA256,
            Hash::Sha384 => alg_id::RSA_PKCS1_SHA384,
            Hash::Sha512 => alg_id::RSA_PKCS1_SHA512,
        }
    }
}

impl fmt::Display for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_decode_follows_go() {
        let (b, rest) =
            pem_decode(b"junk\n-----BEGIN X-----\nAAEC\n-----END X-----\nrest").unwrap();
        assert_eq!(
            (b.label.as_str(), b.der.as_slice(), rest),
            ("X", &[0u8, 1, 2][..], &b"rest"[..])
        );
        // Trailing spaces after the END line are allowed; one newline is consumed.
        let (_, rest) = pem_decode(b"-----BEGIN X-----\nAAEC\n-----END X-----  \n\n").unwrap();
        assert_eq!(rest, b"\n");
        // A block with headers.
        let (b, _) = pem_decode(b"-----BEGIN X-----\nK: v\n\nAAEC\n-----END X-----").unwrap();
        assert!(b.has_headers);
        // Mismatched END type: skipped, the next block is found.
        let (b, _) = pem_decode(
            b"-----BEGIN X-----\nAAEC\n-----END Y-----\n-----BEGIN Z-----\nAA==\n-----END Z-----\n",
        )
        .unwrap();
        assert_eq!(b.label, "Z");
        assert!(pem_decode(b"no pem here").is_none());
        assert!(pem_decode(b"-----BEGIN X-----\n!!!!\n-----END X-----\n").is_none());
        // BEGIN must start a line.
        assert!(pem_decode(b"x-----BEGIN X-----\nAAEC\n-----END X-----\n").is_none());
    }

    #[test]
    fn der_reader_is_minimal() {
        assert_eq!(
            der::read_any(&[0x04, 0x01, 0xaa]),
            Some((0x04, &[0xaa][..], &[][..]))
        );
        assert_eq!(
            der::read_any(&[0x04, 0x81, 0x01, 0xaa]),
            None,
            "non-minimal length"
        );
        assert_eq!(der::read_any(&[0x1f, 0x01, 0x00]), None, "high tag number");
        assert_eq!(der::read_any(&[0x04, 0x80]), None, "indefinite length");
        assert_eq!(der::read_any(&[0x04, 0x02, 0x00]), None, "truncated");
    }

    #[test]
    fn oids_are_dotted() {
        assert_eq!(
            dotted_oid(CODE_SIGNING_DER).as_deref(),
            Some(oid::CODE_SIGNING)
        );
        assert_eq!(dotted_oid(ANY_EKU_DER).as_deref(), Some(oid::ANY_EKU));
        assert_eq!(dotted_oid(&[0x2b, 0x80, 0x01]), None);
    }

    #[test]
    fn hostnames_follow_go() {
        assert!(valid_hostname("a.example.com.", false));
        assert!(!valid_hostname("a..com", false));
        assert!(valid_hostname("*.example.com", true));
        assert!(!valid_hostname("*", true));
        assert!(!valid_hostname("-a.com", false));
        assert!(match_hostnames("*.Example.com", "host.example.com"));
        assert!(!match_hostnames("*.example.com", "a.b.example.com"));
        assert!(match_hostnames("example.com", "example.com."));
        assert!(match_exactly("A_b!", "a_b!"));
        assert!(!match_exactly(".", "."));
    }

    #[test]
    fn rfc3339_formats_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_670_870_899), "2022-12-12T18:48:19Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn times_compare_like_go() {
        let t = Time::from_system_time(UNIX_EPOCH + std::time::Duration::new(10, 5));
        assert!(t.after(10) && !t.after(11) && !t.before(10) && t.before(11));
        let before = Time::from_system_time(UNIX_EPOCH - std::time::Duration::new(1, 500_000_000));
        assert_eq!(
            before,
            Time {
                secs: -2,
                nanos: 500_000_000
            }
        );
    }
}
