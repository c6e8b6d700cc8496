//! A test certificate authority for the Fulcio and PKI tests: roots, intermediates and
//! leaves made with `rcgen` at test time, with the extensions c/image looks at.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, SanType, SignatureAlgorithm,
};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Fulcio's OIDC issuer extension, v1 (raw string value).
pub const ISSUER_V1: &[u64] = &[1, 3, 6, 1, 4, 1, 57264, 1, 1];
/// Fulcio's OIDC issuer extension, v2 (DER UTF8String value).
pub const ISSUER_V2: &[u64] = &[1, 3, 6, 1, 4, 1, 57264, 1, 8];
/// The subject alternative name extension.
pub const SAN: &[u64] = &[2, 5, 29, 17];
/// An OID no one handles.
pub const UNKNOWN: &[u64] = &[2, 99999, 99998, 99997, 99996];
/// The issuer the tests configure.
pub const GITHUB: &str = "https://github.com/login/oauth";

/// Unix seconds now.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A `SystemTime` for Unix seconds.
pub fn system_time(unix: i64) -> SystemTime {
    if unix >= 0 {
        UNIX_EPOCH + Duration::from_secs(unix as u64)
    } else {
        UNIX_EPOCH - Duration::from_secs(unix.unsigned_abs())
    }
}

fn date(unix: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(unix).unwrap()
}

/// Certificate parameters: common name and validity window (Unix seconds), nothing else.
pub fn params(cn: &str, not_before: i64, not_after: i64) -> CertificateParams {
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    p.distinguished_name = dn;
    p.not_before = date(not_before);
    p.not_after = date(not_after);
    p
}

/// A custom extension.
pub fn extension(oid: &[u64], critical: bool, value: Vec<u8>) -> CustomExtension {
    let mut e = CustomExtension::from_oid_content(oid, value);
    e.set_criticality(critical);
    e
}

/// A DER TLV with a short or long length.
pub fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = contents.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend([0x81, len as u8]);
    } else {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(contents);
    out
}

/// A DER UTF8String.
pub fn utf8_string(s: &str) -> Vec<u8> {
    tlv(0x0c, s.as_bytes())
}

/// Fulcio's v1 issuer extension.
pub fn issuer_v1(issuer: &str) -> CustomExtension {
    extension(ISSUER_V1, false, issuer.as_bytes().to_vec())
}

/// Fulcio's v2 issuer extension.
pub fn issuer_v2(issuer: &str) -> CustomExtension {
    extension(ISSUER_V2, false, utf8_string(issuer))
}

/// E-mail SANs.
pub fn emails(list: &[&str]) -> Vec<SanType> {
    list.iter()
        .map(|e| SanType::Rfc822Name((*e).try_into().unwrap()))
        .collect()
}

/// DNS SANs.
pub fn dns_names(list: &[&str]) -> Vec<SanType> {
    list.iter()
        .map(|e| SanType::DnsName((*e).try_into().unwrap()))
        .collect()
}

/// A fresh key.
pub fn key(alg: &'static SignatureAlgorithm) -> KeyPair {
    KeyPair::generate_for(alg).unwrap()
}

/// A certificate and the key it certifies.
pub struct Issued {
    /// The certificate, PEM.
    pub pem: String,
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// Its parameters (to issue certificates below it).
    pub params: CertificateParams,
    /// Its key.
    pub key: KeyPair,
}

impl Issued {
    /// A self-signed certificate.
    pub fn self_signed(params: CertificateParams, key: KeyPair) -> Issued {
        let cert = params.self_signed(&key).unwrap();
        Issued {
            pem: cert.pem(),
            der: cert.der().to_vec(),
            params,
            key,
        }
    }

    /// A self-signed P-256 CA (`cA` true, no path length constraint).
    pub fn root(cn: &str, not_before: i64, not_after: i64) -> Issued {
        let mut p = params(cn, not_before, not_after);
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        Issued::self_signed(p, key(&rcgen::PKCS_ECDSA_P256_SHA256))
    }

    /// A certificate this one signs.
    pub fn issue(&self, params: CertificateParams, key: KeyPair) -> Issued {
        let issuer = Issuer::from_params(&self.params, &self.key);
        let cert = params.signed_by(&key, &issuer).unwrap();
        Issued {
            pem: cert.pem(),
            der: cert.der().to_vec(),
            params,
            key,
        }
    }

    /// A P-384 intermediate CA this one signs, with code signing usage (like Fulcio's).
    pub fn intermediate(&self, cn: &str, not_before: i64, not_after: i64) -> Issued {
        let mut p = params(cn, not_before, not_after);
        p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::CodeSigning];
        self.issue(p, key(&rcgen::PKCS_ECDSA_P384_SHA384))
    }

    /// A leaf this one signs, with a fresh P-256 key.
    pub fn leaf(&self, params: CertificateParams) -> Issued {
        self.issue(params, key(&rcgen::PKCS_ECDSA_P256_SHA256))
    }
}

/// A Fulcio-like leaf's parameters: code signing, the e-mail SAN and the v1 issuer.
pub fn fulcio_leaf_params(email: &str, not_before: i64, not_after: i64) -> CertificateParams {
    let mut p = params("", not_before, not_after);
    p.distinguished_name = DistinguishedName::new();
    p.subject_alt_names = emails(&[email]);
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::CodeSigning];
    p.custom_extensions = vec![issuer_v1(GITHUB)];
    p
}

/// A SAN extension value holding only a primitive `[0]` element (as c/image's tests
/// build it): no name Go parses.
pub fn other_name_only_san() -> Vec<u8> {
    tlv(0x30, &tlv(0x80, b"otherName"))
}
