//! Property tests: every policy we can build serialises to JSON that parses back to an
//! equal policy (policy-semantics.md §4), and the reader never panics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use containers_policy::Policy;
use containers_policy::policy::{
    CertSource, ExactReference, ExactRepository, Fulcio, GpgKeySource, KeyType, Pki, RekorKeys,
    RemapIdentity, Requirement, SignedBaseLayer, SignedBy, SignedIdentity, SigstoreKeys,
    SigstoreSigned,
};
use proptest::prelude::*;

fn path() -> impl Strategy<Value = String> {
    "/[a-z0-9._-]{1,8}(/[a-z0-9._ -]{1,8}){0,2}"
}

fn data() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..24)
}

fn identity() -> impl Strategy<Value = SignedIdentity> {
    prop_oneof![
        Just(SignedIdentity::MatchExact),
        Just(SignedIdentity::MatchRepoDigestOrExact),
        Just(SignedIdentity::MatchRepository),
        prop::sample::select(vec![
            "busybox:latest",
            "quay.io/org/app:v1.2",
            "example.com:5000/ns/x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ])
        .prop_map(|r| SignedIdentity::ExactReference(ExactReference::new(r).unwrap())),
        prop::sample::select(vec!["busybox", "library/busybox:latest", "quay.io/org/app"])
            .prop_map(|r| SignedIdentity::ExactRepository(ExactRepository::new(r).unwrap())),
        (
            prop::sample::select(vec!["mirror.example", "mirror.example:5000/ns", "docker.io/library"]),
            prop::sample::select(vec!["vendor.example", "Example.COM", "quay.io/vendor/sub"]),
        )
            .prop_map(|(p, s)| SignedIdentity::RemapIdentity(RemapIdentity::new(p, s).unwrap())),
    ]
}

fn cert_source() -> impl Strategy<Value = CertSource> {
    prop_oneof![
        path().prop_map(CertSource::Path),
        data().prop_map(CertSource::Data)
    ]
}

fn rekor() -> impl Strategy<Value = RekorKeys> {
    prop_oneof![
        path().prop_map(RekorKeys::Path),
        prop::collection::vec(path(), 1..3).prop_map(RekorKeys::Paths),
        data().prop_map(RekorKeys::Data),
        prop::collection::vec(data(), 1..3).prop_map(RekorKeys::Datas),
    ]
}

fn signed_by() -> impl Strategy<Value = Requirement> {
    (
        prop::sample::select(vec![
            KeyType::GpgKeys,
            KeyType::SignedByGpgKeys,
            KeyType::X509Certificates,
            KeyType::SignedByX509Cas,
        ]),
        prop_oneof![
            path().prop_map(GpgKeySource::Path),
            prop::collection::vec(path(), 0..3).prop_map(GpgKeySource::Paths),
            data().prop_map(GpgKeySource::Data),
        ],
        identity(),
    )
        .prop_map(|(t, k, i)| Requirement::SignedBy(SignedBy::new(t, k, i).unwrap()))
}

fn sigstore() -> impl Strategy<Value = Requirement> {
    let keys = prop_oneof![
        path().prop_map(SigstoreKeys::Path),
        prop::collection::vec(path(), 1..3).prop_map(SigstoreKeys::Paths),
        data().prop_map(SigstoreKeys::Data),
        prop::collection::vec(data(), 1..3).prop_map(SigstoreKeys::Datas),
    ];
    let with_keys = (keys, prop::option::of(rekor()), identity())
        .prop_map(|(k, r, i)| SigstoreSigned::new(k, r, i).unwrap());
    let fulcio = (
        cert_source(),
        "[a-z:/.]{1,12}",
        "[a-z@.]{1,12}",
        rekor(),
        identity(),
    )
        .prop_map(|(ca, issuer, email, r, i)| {
            let fulcio = Fulcio::new(ca, issuer, email).unwrap();
            SigstoreSigned::new(SigstoreKeys::Fulcio(fulcio), Some(r), i).unwrap()
        });
    let pki = (
        cert_source(),
        prop::option::of(cert_source()),
        prop::option::of("[a-z@.]{1,12}"),
        prop::option::of("[a-z.]{1,12}"),
        identity(),
    )
        .prop_filter("a subject", |(_, _, e, h, _)| e.is_some() || h.is_some())
        .prop_map(|(roots, inter, email, host, i)| {
            let pki = Pki::new(roots, inter, email, host).unwrap();
            SigstoreSigned::new(SigstoreKeys::Pki(pki), None, i).unwrap()
        });
    prop_oneof![with_keys, fulcio, pki].prop_map(Requirement::SigstoreSigned)
}

fn requirement() -> impl Strategy<Value = Requirement> {
    prop_oneof![
        Just(Requirement::InsecureAcceptAnything),
        Just(Requirement::Reject),
        identity().prop_map(|i| Requirement::SignedBaseLayer(SignedBaseLayer::new(i))),
        signed_by(),
        sigstore(),
    ]
}

fn requirements() -> impl Strategy<Value = Vec<Requirement>> {
    prop::collection::vec(requirement(), 1..4)
}

/// (transport, a scope valid for it)
fn scope() -> impl Strategy<Value = (String, String)> {
    prop::sample::select(vec![
        ("docker", ""),
        ("docker", "quay.io"),
        ("docker", "quay.io/org/app:v1"),
        ("docker", "*.example.com"),
        ("docker", "anything goes!"),
        ("atomic", "host.example/ns/stream:tag"),
        ("dir", "/var/lib/images"),
        ("oci", "/srv/oci"),
        (
            "containers-storage",
            "[overlay@/var/lib/containers/storage]quay.io/app",
        ),
        ("docker-daemon", ""),
        ("docker-archive", ""),
        ("not-a-transport", "whatever"),
        ("", "x"),
    ])
    .prop_map(|(t, s)| (t.to_owned(), s.to_owned()))
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        requirements(),
        prop::collection::vec((scope(), requirements()), 0..6),
    )
        .prop_map(|(default, scopes)| {
            let mut builder = Policy::builder(default);
            for ((transport, scope), reqs) in scopes {
                builder = builder.scope(transport, scope, reqs);
            }
            builder.build().unwrap()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn written_policies_parse_back_equal(policy in policy()) {
        let compact = policy.to_json();
        prop_assert_eq!(Policy::from_str(&compact).unwrap(), policy.clone());
        let pretty = policy.to_json_pretty();
        prop_assert_eq!(Policy::from_str(&pretty).unwrap(), policy.clone());
        // The order is stable: writing again gives the same text.
        prop_assert_eq!(Policy::from_str(&compact).unwrap().to_json(), compact);
    }

    #[test]
    fn the_reader_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = Policy::from_slice(&bytes);
    }

    #[test]
    fn the_reader_never_panics_on_mutated_policies(policy in policy(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut text = policy.to_json().into_bytes();
        let i = at.index(text.len());
        text[i] = byte;
        let _ = Policy::from_slice(&text);
        text.truncate(i);
        let _ = Policy::from_slice(&text);
    }
}

#[test]
fn builder_and_editing_keep_the_parser_s_invariants() {
    let mut policy = Policy::builder(vec![Requirement::Reject]).build().unwrap();
    assert!(policy.set_default(vec![]).is_err());
    assert!(
        policy
            .set_scope("dir", "relative", vec![Requirement::Reject])
            .is_err()
    );
    assert!(policy.set_scope("docker", "quay.io", vec![]).is_err());
    assert_eq!(
        policy
            .set_scope("docker", "quay.io", vec![Requirement::Reject])
            .unwrap(),
        None
    );
    assert_eq!(
        policy
            .set_scope(
                "docker",
                "quay.io",
                vec![Requirement::InsecureAcceptAnything]
            )
            .unwrap(),
        Some(vec![Requirement::Reject])
    );
    assert_eq!(
        policy.requirements("docker", "quay.io"),
        Some(&[Requirement::InsecureAcceptAnything][..])
    );
    assert_eq!(
        policy.remove_scope("docker", "quay.io"),
        Some(vec![Requirement::InsecureAcceptAnything])
    );
    assert!(Policy::builder(vec![]).build().is_err());
    assert!(
        Policy::builder(vec![Requirement::Reject])
            .scope("docker-archive", "/x", vec![Requirement::Reject])
            .build()
            .is_err()
    );
    assert!(
        SignedBy::new(
            KeyType::GpgKeys,
            GpgKeySource::Path(String::new()),
            SignedIdentity::default()
        )
        .is_err()
    );
    assert!(
        SigstoreSigned::new(SigstoreKeys::Paths(vec![]), None, SignedIdentity::default()).is_err()
    );
    let fulcio = Fulcio::new(CertSource::Path("/ca".into()), "https://issuer", "a@b").unwrap();
    assert!(
        SigstoreSigned::new(
            SigstoreKeys::Fulcio(fulcio),
            None,
            SignedIdentity::default()
        )
        .is_err()
    );
    let pki = Pki::new(
        CertSource::Path("/ca".into()),
        None,
        Some("a@b".into()),
        None,
    )
    .unwrap();
    assert!(
        SigstoreSigned::new(
            SigstoreKeys::Pki(pki),
            Some(RekorKeys::Path("/r".into())),
            SignedIdentity::default()
        )
        .is_err()
    );
    assert!(
        Pki::new(
            CertSource::Path("/ca".into()),
            None,
            Some(String::new()),
            None
        )
        .is_err()
    );
    assert!(Fulcio::new(CertSource::Path("/ca".into()), "", "a@b").is_err());
    assert!(ExactReference::new("busybox").is_err());
    assert!(RemapIdentity::new("*.example.com", "x.com").is_err());
}
