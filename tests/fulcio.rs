//! Fulcio certificate verification against a test CA made at test time: every
//! rejection path, and the kit's real Fulcio fixtures at explicit times.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod test_ca;

use containers_policy::sigstore::certificate::{CertificateError, ChainError};
use containers_policy::sigstore::fulcio::{FulcioError, FulcioIdentity, FulcioTrustRoot};
use rcgen::{BasicConstraints, ExtendedKeyUsagePurpose, IsCa};
use test_ca::{GITHUB, Issued, extension, fulcio_leaf_params, system_time};

const EMAIL: &str = "user@example.com";
/// The time the test certificates are issued around (2023-01-20T20:51:31Z).
const T: i64 = 1_674_247_891;

/// A root, a Fulcio-like intermediate, and the trust root for them.
struct Setup {
    root: Issued,
    intermediate: Issued,
}

impl Setup {
    fn new() -> Self {
        let root = Issued::root("test root", T - 86_400, T + 86_400 * 365);
        let intermediate = root.intermediate("test intermediate", T - 86_400, T + 86_400 * 30);
        Setup { root, intermediate }
    }

    fn trust(&self) -> FulcioTrustRoot {
        FulcioTrustRoot::new(
            self.root.pem.as_bytes(),
            FulcioIdentity::new(GITHUB, EMAIL).unwrap(),
        )
        .unwrap()
    }

    /// The chain annotation: intermediate then root.
    fn chain(&self) -> String {
        format!("{}{}", self.intermediate.pem, self.root.pem)
    }

    /// A ten-minute leaf from `T`, after `edit`.
    fn leaf(&self, edit: impl FnOnce(&mut rcgen::CertificateParams)) -> Issued {
        let mut p = fulcio_leaf_params(EMAIL, T, T + 600);
        edit(&mut p);
        self.intermediate.leaf(p)
    }

    fn verify(&self, leaf: &Issued, at: i64) -> Result<(), FulcioError> {
        self.trust()
            .verify(
                leaf.pem.as_bytes(),
                Some(self.chain().as_bytes()),
                system_time(at),
            )
            .map(|_| ())
    }
}

#[test]
fn a_valid_leaf_is_accepted_and_its_key_returned() {
    let s = Setup::new();
    let leaf = s.leaf(|_| {});
    let v = s
        .trust()
        .verify(
            leaf.pem.as_bytes(),
            Some(s.chain().as_bytes()),
            system_time(T + 1),
        )
        .unwrap();
    use rcgen::PublicKeyData as _;
    let spki = leaf.key.subject_public_key_info();
    assert_eq!(v.subject_public_key_info_der(), spki.as_slice());
    assert_eq!(v.emails(), [EMAIL.to_owned()]);
    assert_eq!(v.oidc_issuer(), Some(GITHUB));
}

#[test]
fn validity_is_checked_at_the_time_given_inclusively() {
    let s = Setup::new();
    let leaf = s.leaf(|_| {});
    s.verify(&leaf, T).unwrap();
    s.verify(&leaf, T + 600).unwrap();
    match s.verify(&leaf, T + 601) {
        Err(FulcioError::Untrusted(ChainError::Expired {
            not_after, time, ..
        })) => assert_eq!((not_after, time), (T + 600, T + 601)),
        other => panic!("{other:?}"),
    }
    // Half a second after notAfter is already too late (Go compares nanoseconds).
    let late = system_time(T + 600) + std::time::Duration::from_millis(500);
    let err = s
        .trust()
        .verify(leaf.pem.as_bytes(), Some(s.chain().as_bytes()), late)
        .unwrap_err();
    assert!(
        matches!(err, FulcioError::Untrusted(ChainError::Expired { .. })),
        "{err}"
    );
    match s.verify(&leaf, T - 1) {
        Err(FulcioError::Untrusted(ChainError::NotYetValid {
            not_before, time, ..
        })) => assert_eq!((not_before, time), (T, T - 1)),
        other => panic!("{other:?}"),
    }
    let text = s.verify(&leaf, T + 601).unwrap_err().to_string();
    assert!(text.contains("expired at 2023-01-20T21:01:31Z"), "{text}");
}

#[test]
fn every_certificate_of_the_chain_must_be_valid_at_the_time() {
    let root = Issued::root("test root", T - 86_400, T + 86_400);
    // The intermediate expired before the leaf's time.
    let intermediate = root.intermediate("old intermediate", T - 86_400, T - 1);
    let leaf = intermediate.leaf(fulcio_leaf_params(EMAIL, T, T + 600));
    let trust = FulcioTrustRoot::new(
        root.pem.as_bytes(),
        FulcioIdentity::new(GITHUB, EMAIL).unwrap(),
    )
    .unwrap();
    let chain = format!("{}{}", intermediate.pem, root.pem);
    let err = trust
        .verify(
            leaf.pem.as_bytes(),
            Some(chain.as_bytes()),
            system_time(T + 1),
        )
        .unwrap_err();
    match &err {
        FulcioError::Untrusted(ChainError::Untrusted { ignored, .. }) => {
            assert!(ignored[0].contains("old intermediate"), "{err}")
        }
        other => panic!("{other:?}"),
    }

    // The root expired (Go checks roots too; webpki alone would not).
    let root = Issued::root("expired root", T - 86_400, T - 1);
    let intermediate = root.intermediate("intermediate", T - 86_400, T + 86_400);
    let leaf = intermediate.leaf(fulcio_leaf_params(EMAIL, T, T + 600));
    let trust = FulcioTrustRoot::new(
        root.pem.as_bytes(),
        FulcioIdentity::new(GITHUB, EMAIL).unwrap(),
    )
    .unwrap();
    let chain = format!("{}{}", intermediate.pem, root.pem);
    let err = trust
        .verify(
            leaf.pem.as_bytes(),
            Some(chain.as_bytes()),
            system_time(T + 1),
        )
        .unwrap_err();
    assert!(err.to_string().contains("expired root"), "{err}");
}

#[test]
fn a_chain_without_its_root_is_one_certificate_short() {
    let s = Setup::new();
    let leaf = s.leaf(|_| {});
    // The annotation holds only the intermediate: c/image drops it as the "root".
    let err = s
        .trust()
        .verify(
            leaf.pem.as_bytes(),
            Some(s.intermediate.pem.as_bytes()),
            system_time(T + 1),
        )
        .unwrap_err();
    match &err {
        FulcioError::Untrusted(ChainError::ChainOneCertificateShort { dropped, .. }) => {
            assert!(dropped.contains("test intermediate"), "{err}")
        }
        other => panic!("{other:?}"),
    }
    // No chain at all: plainly untrusted.
    let err = s
        .trust()
        .verify(leaf.pem.as_bytes(), None, system_time(T + 1))
        .unwrap_err();
    assert!(
        matches!(err, FulcioError::Untrusted(ChainError::Untrusted { .. })),
        "{err}"
    );
    // The intermediate in the CA pool is a trust anchor of its own.
    let pool = format!("{}{}", s.intermediate.pem, s.root.pem);
    let trust =
        FulcioTrustRoot::new(pool.as_bytes(), FulcioIdentity::new(GITHUB, EMAIL).unwrap()).unwrap();
    trust
        .verify(leaf.pem.as_bytes(), None, system_time(T + 1))
        .unwrap();
}

#[test]
fn a_leaf_from_another_ca_or_with_a_bad_signature_is_untrusted() {
    let s = Setup::new();
    let other = Setup::new();
    let leaf = other.leaf(|_| {});
    let err = s
        .trust()
        .verify(
            leaf.pem.as_bytes(),
            Some(other.chain().as_bytes()),
            system_time(T + 1),
        )
        .unwrap_err();
    assert!(
        matches!(err, FulcioError::Untrusted(ChainError::Untrusted { .. })),
        "{err}"
    );
    // Same intermediate name, other key: the signature does not verify.
    let impostor = s
        .root
        .intermediate("test intermediate", T - 86_400, T + 86_400);
    let forged = impostor.leaf(fulcio_leaf_params(EMAIL, T, T + 600));
    let err = s.verify(&forged, T + 1).unwrap_err();
    assert!(
        matches!(err, FulcioError::Untrusted(ChainError::Untrusted { .. })),
        "{err}"
    );
}

#[test]
fn code_signing_usage_is_required_through_the_chain() {
    let s = Setup::new();
    let server = s.leaf(|p| p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth]);
    match s.verify(&server, T + 1) {
        Err(FulcioError::Untrusted(ChainError::WrongKeyUsage { present })) => {
            assert_eq!(present, ["1.3.6.1.5.5.7.3.1"])
        }
        other => panic!("{other:?}"),
    }
    let any = s.leaf(|p| p.extended_key_usages = vec![ExtendedKeyUsagePurpose::Any]);
    s.verify(&any, T + 1).unwrap();
    let none = s.leaf(|p| p.extended_key_usages.clear());
    s.verify(&none, T + 1).unwrap();

    // An intermediate restricted to server authentication cannot issue code signing.
    let mut p = test_ca::params("tls intermediate", T - 86_400, T + 86_400);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let tls = s
        .root
        .issue(p, test_ca::key(&rcgen::PKCS_ECDSA_P256_SHA256));
    let leaf = tls.leaf(fulcio_leaf_params(EMAIL, T, T + 600));
    let chain = format!("{}{}", tls.pem, s.root.pem);
    let err = s
        .trust()
        .verify(
            leaf.pem.as_bytes(),
            Some(chain.as_bytes()),
            system_time(T + 1),
        )
        .unwrap_err();
    assert!(err.to_string().contains("tls intermediate"), "{err}");
}

#[test]
fn root_path_length_constraints_are_enforced() {
    let mut p = test_ca::params("pathlen 0 root", T - 86_400, T + 86_400);
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    let root = Issued::self_signed(p, test_ca::key(&rcgen::PKCS_ECDSA_P256_SHA256));
    let intermediate = root.intermediate("intermediate", T - 86_400, T + 86_400);
    let leaf = intermediate.leaf(fulcio_leaf_params(EMAIL, T, T + 600));
    let trust = FulcioTrustRoot::new(
        root.pem.as_bytes(),
        FulcioIdentity::new(GITHUB, EMAIL).unwrap(),
    )
    .unwrap();
    let chain = format!("{}{}", intermediate.pem, root.pem);
    let err = trust
        .verify(
            leaf.pem.as_bytes(),
            Some(chain.as_bytes()),
            system_time(T + 1),
        )
        .unwrap_err();
    assert!(err.to_string().contains("PathLen"), "{err}");
    // Directly under the root it is fine.
    let direct = root.leaf(fulcio_leaf_params(EMAIL, T, T + 600));
    trust
        .verify(direct.pem.as_bytes(), None, system_time(T + 1))
        .unwrap();
}

#[test]
fn issuer_extensions_follow_c_image() {
    let s = Setup::new();
    let v2 = s.leaf(|p| p.custom_extensions = vec![test_ca::issuer_v2(GITHUB)]);
    s.verify(&v2, T + 1).unwrap();
    let both = s.leaf(|p| {
        p.custom_extensions = vec![test_ca::issuer_v1(GITHUB), test_ca::issuer_v2(GITHUB)]
    });
    s.verify(&both, T + 1).unwrap();

    let none = s.leaf(|p| p.custom_extensions.clear());
    assert_eq!(s.verify(&none, T + 1), Err(FulcioError::MissingIssuer));

    let wrong = s.leaf(|p| p.custom_extensions = vec![test_ca::issuer_v1("https://evil")]);
    assert_eq!(
        s.verify(&wrong, T + 1),
        Err(FulcioError::WrongIssuer {
            expected: GITHUB.into(),
            found: "https://evil".into()
        })
    );
    // No normalisation: a trailing slash is another issuer.
    let slash = s.leaf(|p| p.custom_extensions = vec![test_ca::issuer_v1(&format!("{GITHUB}/"))]);
    assert!(matches!(
        s.verify(&slash, T + 1),
        Err(FulcioError::WrongIssuer { .. })
    ));

    let inconsistent = s.leaf(|p| {
        p.custom_extensions = vec![test_ca::issuer_v1(GITHUB), test_ca::issuer_v2("other")]
    });
    assert_eq!(
        s.verify(&inconsistent, T + 1),
        Err(FulcioError::InconsistentIssuer {
            v1: GITHUB.into(),
            v2: "other".into()
        })
    );

    let not_a_string =
        s.leaf(|p| p.custom_extensions = vec![extension(test_ca::ISSUER_V2, false, vec![2, 1, 1])]);
    assert!(matches!(
        s.verify(&not_a_string, T + 1),
        Err(FulcioError::InvalidIssuerV2 { .. })
    ));
    let trailing = s.leaf(|p| {
        let mut value = test_ca::utf8_string(GITHUB);
        value.push(0);
        p.custom_extensions = vec![extension(test_ca::ISSUER_V2, false, value)]
    });
    assert_eq!(
        s.verify(&trailing, T + 1),
        Err(FulcioError::IssuerV2TrailingData)
    );

    let duplicate = s.leaf(|p| p.custom_extensions.push(test_ca::issuer_v1(GITHUB)));
    match s.verify(&duplicate, T + 1) {
        Err(FulcioError::Leaf(CertificateError::Parse { reason })) => {
            assert!(reason.contains("duplicate"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_email_must_be_among_the_sans_exactly() {
    let s = Setup::new();
    let several = s.leaf(|p| p.subject_alt_names = test_ca::emails(&["a@example.com", EMAIL]));
    s.verify(&several, T + 1).unwrap();
    let other = s.leaf(|p| p.subject_alt_names = test_ca::emails(&["a@example.com"]));
    assert_eq!(
        s.verify(&other, T + 1),
        Err(FulcioError::EmailNotFound {
            wanted: EMAIL.into(),
            got: vec!["a@example.com".into()]
        })
    );
    let upper = s.leaf(|p| p.subject_alt_names = test_ca::emails(&["User@example.com"]));
    assert!(matches!(
        s.verify(&upper, T + 1),
        Err(FulcioError::EmailNotFound { .. })
    ));
}

#[test]
fn critical_extensions() {
    let s = Setup::new();
    // A critical SAN with no name Go parses is tolerated for Fulcio; the e-mail
    // check fails afterwards.
    let other_name = s.leaf(|p| {
        p.subject_alt_names.clear();
        p.custom_extensions.push(extension(
            test_ca::SAN,
            true,
            test_ca::other_name_only_san(),
        ));
    });
    assert!(matches!(
        s.verify(&other_name, T + 1),
        Err(FulcioError::EmailNotFound { .. })
    ));
    let unknown = s.leaf(|p| {
        p.custom_extensions
            .push(extension(test_ca::UNKNOWN, true, b"x".to_vec()))
    });
    assert_eq!(
        s.verify(&unknown, T + 1),
        Err(FulcioError::Untrusted(
            ChainError::UnhandledCriticalExtension {
                oid: "2.99999.99998.99997.99996".into()
            }
        ))
    );
    // Non-critical unknown extensions are fine.
    let harmless = s.leaf(|p| {
        p.custom_extensions
            .push(extension(test_ca::UNKNOWN, false, b"x".to_vec()))
    });
    s.verify(&harmless, T + 1).unwrap();
}

#[test]
fn the_certificate_annotations_must_be_well_formed() {
    let s = Setup::new();
    let leaf = s.leaf(|_| {});
    let trust = s.trust();
    let verify = |cert: &[u8], chain: Option<&[u8]>| {
        trust.verify(cert, chain, system_time(T + 1)).map(|_| ())
    };
    assert_eq!(
        verify(b"", Some(s.chain().as_bytes())),
        Err(FulcioError::Leaf(CertificateError::NoLeaf))
    );
    let two = format!("{}{}", leaf.pem, leaf.pem);
    assert_eq!(
        verify(two.as_bytes(), None),
        Err(FulcioError::Leaf(CertificateError::MultipleLeaves {
            count: 2
        }))
    );
    assert_eq!(
        verify(leaf.pem.as_bytes(), Some(b"garbage")),
        Err(FulcioError::Chain(CertificateError::PemDecoding))
    );
    let bad_block = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    assert!(matches!(
        verify(bad_block.as_bytes(), None),
        Err(FulcioError::Leaf(CertificateError::Parse { .. }))
    ));
    // Any PEM type is read as a certificate in the annotations (cryptoutils).
    let relabelled = leaf.pem.replace("CERTIFICATE", "SOMETHING");
    verify(relabelled.as_bytes(), Some(s.chain().as_bytes())).unwrap();
    // Surrounding whitespace is trimmed.
    let padded = format!("\n\n{}\n\n", leaf.pem);
    verify(padded.as_bytes(), Some(s.chain().as_bytes())).unwrap();
    let huge = vec![b' '; 2 * 1024 * 1024];
    assert!(matches!(
        verify(&huge, None),
        Err(FulcioError::Leaf(CertificateError::TooLarge { .. }))
    ));
}

#[test]
fn trust_roots_are_prepared_like_cert_pools() {
    let s = Setup::new();
    let id = || FulcioIdentity::new(GITHUB, EMAIL).unwrap();
    assert_eq!(
        FulcioTrustRoot::new(b"invalid", id()),
        Err(FulcioError::NoCaCertificates)
    );
    // Blocks with headers or another type are skipped by the pool.
    let with_headers = s.root.pem.replace(
        "-----BEGIN CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nA: b\n\n",
    );
    assert_eq!(
        FulcioTrustRoot::new(with_headers.as_bytes(), id()),
        Err(FulcioError::NoCaCertificates)
    );
    let mixed = format!(
        "junk\n{}{}",
        s.root.pem.replace("CERTIFICATE", "X509 CRL"),
        s.root.pem
    );
    let trust = FulcioTrustRoot::new(mixed.as_bytes(), id()).unwrap();
    assert_eq!(trust.ca_certificates().len(), 1);
    assert_eq!(
        FulcioIdentity::new("", EMAIL),
        Err(FulcioError::MissingIdentity {
            field: "oidcIssuer"
        })
    );
}

#[test]
fn a_leaf_in_the_pool_is_trusted_as_it_is() {
    let mut p = fulcio_leaf_params(EMAIL, T, T + 600);
    p.distinguished_name.push(rcgen::DnType::CommonName, "self");
    let leaf = Issued::self_signed(p, test_ca::key(&rcgen::PKCS_ECDSA_P256_SHA256));
    let trust = FulcioTrustRoot::new(
        leaf.pem.as_bytes(),
        FulcioIdentity::new(GITHUB, EMAIL).unwrap(),
    )
    .unwrap();
    trust
        .verify(leaf.pem.as_bytes(), None, system_time(T + 1))
        .unwrap();
    assert!(
        trust
            .verify(leaf.pem.as_bytes(), None, system_time(T + 601))
            .is_err()
    );
}

#[test]
fn other_key_types_verify() {
    for alg in [
        &rcgen::PKCS_ECDSA_P384_SHA384,
        &rcgen::PKCS_ED25519,
        &rcgen::PKCS_ECDSA_P256_SHA256,
    ] {
        let mut p = test_ca::params("root", T - 86_400, T + 86_400);
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let root = Issued::self_signed(p, test_ca::key(alg));
        let leaf = root.issue(fulcio_leaf_params(EMAIL, T, T + 600), test_ca::key(alg));
        let trust = FulcioTrustRoot::new(
            root.pem.as_bytes(),
            FulcioIdentity::new(GITHUB, EMAIL).unwrap(),
        )
        .unwrap();
        trust
            .verify(leaf.pem.as_bytes(), None, system_time(T + 1))
            .unwrap_or_else(|e| panic!("{alg:?}: {e}"));
    }
}

/// The kit's real Fulcio certificates (public-good Fulcio, 2022), when the kit is
/// available.
#[test]
fn kit_fixtures_at_explicit_times() {
    let Some(dir) = std::env::var_os("CONTAINERS_POLICY_CONFORMANCE") else {
        eprintln!("*** SKIPPED: CONTAINERS_POLICY_CONFORMANCE is not set ***");
        return;
    };
    let read =
        |f: &str| std::fs::read(std::path::Path::new(&dir).join("fixtures").join(f)).unwrap();
    let trust = FulcioTrustRoot::new(
        &read("fulcio_v1.crt.pem"),
        FulcioIdentity::new(GITHUB, "mitr@redhat.com").unwrap(),
    )
    .unwrap();
    let (cert, chain) = (read("fulcio-cert"), read("fulcio-chain"));
    // Valid 2022-12-12 18:48:18..18:58:18Z, inclusive.
    for (at, ok) in [
        (1_670_870_897, false),
        (1_670_870_898, true),
        (1_670_870_899, true),
        (1_670_871_498, true),
        (1_670_871_499, false),
    ] {
        let got = trust.verify(&cert, Some(&chain), system_time(at));
        assert_eq!(got.is_ok(), ok, "{at}: {got:?}");
    }
    let v = trust
        .verify(&cert, Some(&chain), system_time(1_670_870_899))
        .unwrap();
    assert_eq!(v.emails(), ["mitr@redhat.com".to_owned()]);
    // Only the root in the chain annotation: one certificate short of the intermediate.
    let root_only = read("fulcio_v1.crt.pem");
    let err = trust
        .verify(&cert, Some(&root_only), system_time(1_670_870_899))
        .unwrap_err();
    assert!(
        matches!(err, FulcioError::Untrusted(ChainError::Untrusted { .. })),
        "{err}"
    );
}
