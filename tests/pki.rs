//! Bring-your-own-PKI certificate verification against a test CA made at test time,
//! and the kit's PKI fixtures (valid 2024-10-01..2052-02-16) at explicit times.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod test_ca;

use std::net::IpAddr;

use containers_policy::sigstore::certificate::{CertificateError, ChainError};
use containers_policy::sigstore::pki::{PkiError, PkiSubject, PkiTrustRoot};
use rcgen::{CertificateParams, SanType};
use test_ca::{Issued, extension, system_time};

const T: i64 = 1_750_000_000;
const EMAIL: &str = "signer@example.com";

struct Setup {
    root: Issued,
    intermediate: Issued,
}

impl Setup {
    fn new() -> Self {
        let root = Issued::root("pki root", T - 86_400, T + 86_400 * 365);
        let intermediate = root.intermediate("pki intermediate", T - 86_400, T + 86_400 * 30);
        Setup { root, intermediate }
    }

    fn leaf(&self, sans: Vec<SanType>, edit: impl FnOnce(&mut CertificateParams)) -> Issued {
        let mut p = test_ca::params("leaf", T - 60, T + 3600);
        p.subject_alt_names = sans;
        edit(&mut p);
        self.intermediate.leaf(p)
    }

    /// Roots and configured intermediates, the given subject.
    fn trust(&self, email: Option<&str>, hostname: Option<&str>) -> PkiTrustRoot {
        PkiTrustRoot::new(
            self.root.pem.as_bytes(),
            Some(self.intermediate.pem.as_bytes()),
            Some(PkiSubject::new(email, hostname).unwrap()),
        )
        .unwrap()
    }
}

fn sans(emails: &[&str], dns: &[&str], ips: &[&str]) -> Vec<SanType> {
    let mut out = test_ca::emails(emails);
    out.extend(test_ca::dns_names(dns));
    out.extend(
        ips.iter()
            .map(|ip| SanType::IpAddress(ip.parse::<IpAddr>().unwrap())),
    );
    out
}

fn verify(trust: &PkiTrustRoot, leaf: &Issued, chain: Option<&str>) -> Result<(), PkiError> {
    trust
        .verify(
            leaf.pem.as_bytes(),
            chain.map(str::as_bytes),
            system_time(T),
        )
        .map(|_| ())
}

#[test]
fn email_and_hostname_are_both_checked() {
    let s = Setup::new();
    let leaf = s.leaf(sans(&[EMAIL], &["build.example.com"], &[]), |_| {});
    verify(
        &s.trust(Some(EMAIL), Some("build.example.com")),
        &leaf,
        None,
    )
    .unwrap();
    verify(&s.trust(Some(EMAIL), None), &leaf, None).unwrap();
    verify(&s.trust(None, Some("BUILD.example.com.")), &leaf, None).unwrap();
    assert_eq!(
        verify(
            &s.trust(Some("x@example.com"), Some("build.example.com")),
            &leaf,
            None
        ),
        Err(PkiError::EmailNotFound {
            wanted: "x@example.com".into(),
            got: vec![EMAIL.into()]
        })
    );
    match verify(
        &s.trust(Some(EMAIL), Some("other.example.com")),
        &leaf,
        None,
    ) {
        Err(PkiError::HostnameMismatch {
            wanted, dns_names, ..
        }) => assert_eq!(
            (wanted.as_str(), dns_names),
            ("other.example.com", vec!["build.example.com".to_owned()])
        ),
        other => panic!("{other:?}"),
    }
    let v = s
        .trust(Some(EMAIL), None)
        .verify(leaf.pem.as_bytes(), None, system_time(T))
        .unwrap();
    assert_eq!(v.oidc_issuer(), None);
    assert_eq!(v.emails(), [EMAIL.to_owned()]);
}

#[test]
fn hostnames_match_like_go_verify_hostname() {
    let s = Setup::new();
    let wildcard = s.leaf(
        sans(&[], &["*.example.com"], &["192.0.2.7", "2001:db8::1"]),
        |_| {},
    );
    let ok = |h: &str| verify(&s.trust(None, Some(h)), &wildcard, None).is_ok();
    assert!(ok("a.example.com"));
    assert!(ok("A.Example.COM"));
    assert!(!ok("a.b.example.com"));
    assert!(!ok("example.com"));
    assert!(ok("192.0.2.7"));
    assert!(ok("2001:db8::1"));
    assert!(ok("[2001:db8::1]"));
    assert!(!ok("192.0.2.8"));
    // IPv4 in IPv4-mapped IPv6 form is the same address (Go's net.IP.Equal).
    assert!(ok("::ffff:192.0.2.7"));

    // A name that is not a valid host name only matches exactly (case-insensitively).
    let odd = s.leaf(sans(&[], &["Weird!Name"], &[]), |_| {});
    assert!(verify(&s.trust(None, Some("weird!name")), &odd, None).is_ok());
    // An IP value never matches DNS names, nor the common name.
    let dns_ip = s.leaf(sans(&[], &["192.0.2.7"], &[]), |p| {
        p.distinguished_name
            .push(rcgen::DnType::CommonName, "cn.example.com")
    });
    assert!(verify(&s.trust(None, Some("192.0.2.7")), &dns_ip, None).is_err());
    assert!(verify(&s.trust(None, Some("cn.example.com")), &dns_ip, None).is_err());
}

#[test]
fn intermediates_come_from_the_policy_and_the_chain_annotation() {
    let s = Setup::new();
    let leaf = s.leaf(sans(&[EMAIL], &[], &[]), |_| {});
    let subject = || Some(PkiSubject::new(Some(EMAIL), None).unwrap());
    let roots_only = PkiTrustRoot::new(s.root.pem.as_bytes(), None, subject()).unwrap();
    let chain = format!("{}{}", s.intermediate.pem, s.root.pem);
    verify(&roots_only, &leaf, Some(&chain)).unwrap();
    assert!(matches!(
        verify(&roots_only, &leaf, None),
        Err(PkiError::Untrusted(ChainError::Untrusted { .. }))
    ));
    // Only the intermediate in the annotation: dropped as the presumed root.
    assert!(matches!(
        verify(&roots_only, &leaf, Some(&s.intermediate.pem)),
        Err(PkiError::Untrusted(
            ChainError::ChainOneCertificateShort { .. }
        ))
    ));
    verify(
        &s.trust(Some(EMAIL), None),
        &leaf,
        Some(&s.intermediate.pem),
    )
    .unwrap();
    // Empty configured intermediates are no intermediate.
    let empty = PkiTrustRoot::new(s.root.pem.as_bytes(), Some(b""), subject()).unwrap();
    assert!(empty.intermediates().is_empty());
}

#[test]
fn the_leaf_is_checked_at_the_time_given() {
    let s = Setup::new();
    let leaf = s.leaf(sans(&[EMAIL], &[], &[]), |_| {});
    let trust = s.trust(Some(EMAIL), None);
    match trust.verify(leaf.pem.as_bytes(), None, system_time(T + 3601)) {
        Err(PkiError::Untrusted(ChainError::Expired {
            not_after, time, ..
        })) => assert_eq!((not_after, time), (T + 3600, T + 3601)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        trust.verify(leaf.pem.as_bytes(), None, system_time(T - 61)),
        Err(PkiError::Untrusted(ChainError::NotYetValid { .. }))
    ));
}

#[test]
fn a_critical_san_without_parsed_names_is_unhandled() {
    let s = Setup::new();
    let leaf = s.leaf(Vec::new(), |p| {
        p.custom_extensions.push(extension(
            test_ca::SAN,
            true,
            test_ca::other_name_only_san(),
        ))
    });
    assert_eq!(
        verify(&s.trust(Some(EMAIL), None), &leaf, None),
        Err(PkiError::Untrusted(
            ChainError::UnhandledCriticalExtension {
                oid: "2.5.29.17".into()
            }
        ))
    );
}

#[test]
fn code_signing_usage_is_required() {
    let s = Setup::new();
    let leaf = s.leaf(sans(&[EMAIL], &[], &[]), |p| {
        p.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::EmailProtection]
    });
    assert!(matches!(
        verify(&s.trust(Some(EMAIL), None), &leaf, None),
        Err(PkiError::Untrusted(ChainError::WrongKeyUsage { .. }))
    ));
}

#[test]
fn trust_material_is_read_like_c_image() {
    let s = Setup::new();
    let subject = || Some(PkiSubject::new(Some(EMAIL), None).unwrap());
    assert_eq!(
        PkiTrustRoot::new(b"invalid", None, subject()),
        Err(PkiError::NoRootCertificates)
    );
    assert_eq!(
        PkiTrustRoot::new(s.root.pem.as_bytes(), Some(b"invalid"), subject()),
        Err(PkiError::IntermediateCertificates(
            CertificateError::PemDecoding
        ))
    );
    assert_eq!(PkiSubject::new(None, None), Err(PkiError::MissingSubject));
    let leaf = s.leaf(sans(&[EMAIL], &[], &[]), |_| {});
    assert_eq!(
        verify(&s.trust(Some(EMAIL), None), &leaf, Some("junk")),
        Err(PkiError::Chain(CertificateError::PemDecoding))
    );
    let trust = s.trust(Some(EMAIL), None);
    assert_eq!(
        trust.verify(b"", None, system_time(T)).map(|_| ()),
        Err(PkiError::Leaf(CertificateError::NoLeaf))
    );
}

/// The kit's RSA-4096 PKI fixtures at explicit times, when the kit is available.
#[test]
fn kit_fixtures_at_explicit_times() {
    let Some(dir) = std::env::var_os("CONTAINERS_POLICY_CONFORMANCE") else {
        eprintln!("*** SKIPPED: CONTAINERS_POLICY_CONFORMANCE is not set ***");
        return;
    };
    let read =
        |f: &str| std::fs::read(std::path::Path::new(&dir).join("fixtures").join(f)).unwrap();
    let trust = PkiTrustRoot::new(
        &read("pki_root_crts.pem"),
        Some(&read("pki_intermediate_crts.pem")),
        Some(PkiSubject::new(Some("qiwan@redhat.com"), Some("myhost.example.com")).unwrap()),
    )
    .unwrap();
    let (cert, chain) = (read("pki-cert"), read("pki-chain"));
    // 2030-01-01: inside the validity window.
    let v = trust
        .verify(&cert, Some(&chain), system_time(1_893_456_000))
        .unwrap();
    assert_eq!(v.emails(), ["qiwan@redhat.com".to_owned()]);
    // 2052-02-17: the certificates have expired.
    assert!(matches!(
        trust.verify(&cert, Some(&chain), system_time(2_591_740_800)),
        Err(PkiError::Untrusted(ChainError::Expired { .. }))
    ));
    // 2024-09-30: not yet valid.
    assert!(matches!(
        trust.verify(&cert, Some(&chain), system_time(1_727_654_400)),
        Err(PkiError::Untrusted(ChainError::NotYetValid { .. }))
    ));
}

/// Go's `CheckSignatureFrom` refuses parents that may not issue certificates; webpki
/// does not check trust anchors, so the crate checks it (security review finding).
#[test]
fn parents_that_may_not_issue_certificates_are_refused() {
    use containers_policy::sigstore::pki::{PkiSubject, PkiTrustRoot};
    use rcgen::{BasicConstraints, IsCa, KeyUsagePurpose};
    use test_ca::{Issued, system_time};

    const T: i64 = 1_750_000_000;
    const EMAIL: &str = "signer@example.com";
    let leaf_params = || {
        let mut p = test_ca::params("leaf", T - 60, T + 3600);
        p.subject_alt_names = test_ca::emails(&[EMAIL]);
        p
    };
    let subject = || Some(PkiSubject::new(Some(EMAIL), None).unwrap());
    let refused = |result: Result<_, containers_policy::sigstore::pki::PkiError>| {
        let err = result.expect_err("must be refused");
        assert!(
            err.to_string().contains("cannot issue certificates"),
            "{err}"
        );
    };

    // A self-signed v3 certificate without basicConstraints, and one with cA: false.
    for is_ca in [IsCa::NoCa, IsCa::ExplicitNoCa] {
        let mut root_params = test_ca::params("not a ca", T - 86400, T + 86400);
        root_params.is_ca = is_ca;
        let root = Issued::self_signed(root_params, test_ca::key(&rcgen::PKCS_ECDSA_P256_SHA256));
        let leaf = root.leaf(leaf_params());
        let trust = PkiTrustRoot::new(root.pem.as_bytes(), None, subject()).unwrap();
        refused(
            trust
                .verify(leaf.pem.as_bytes(), None, system_time(T))
                .map(|_| ()),
        );
    }

    // An intermediate whose keyUsage lacks keyCertSign.
    let root = Issued::root("root", T - 86400, T + 86400);
    let mut inter_params = test_ca::params("intermediate", T - 86400, T + 86400);
    inter_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    inter_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let inter = root.issue(inter_params, test_ca::key(&rcgen::PKCS_ECDSA_P256_SHA256));
    let leaf = inter.leaf(leaf_params());
    let trust = PkiTrustRoot::new(root.pem.as_bytes(), None, subject()).unwrap();
    let chain = format!("{}{}", inter.pem, root.pem);
    let result = trust.verify(leaf.pem.as_bytes(), Some(chain.as_bytes()), system_time(T));
    assert!(
        result.is_err(),
        "intermediate without keyCertSign must not issue"
    );

    // A CA root whose keyUsage lacks keyCertSign.
    let mut root_params = test_ca::params("root-ku", T - 86400, T + 86400);
    root_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    root_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let root = Issued::self_signed(root_params, test_ca::key(&rcgen::PKCS_ECDSA_P256_SHA256));
    let leaf = root.leaf(leaf_params());
    let trust = PkiTrustRoot::new(root.pem.as_bytes(), None, subject()).unwrap();
    refused(
        trust
            .verify(leaf.pem.as_bytes(), None, system_time(T))
            .map(|_| ()),
    );

    // Pinning the leaf itself as the root still works, as in Go.
    let root = Issued::root("root", T - 86400, T + 86400);
    let leaf = root.leaf(leaf_params());
    let trust = PkiTrustRoot::new(leaf.pem.as_bytes(), None, subject()).unwrap();
    assert!(
        trust
            .verify(leaf.pem.as_bytes(), None, system_time(T))
            .is_ok()
    );
}
