//! `alltransports.ParseImageName` dispatch, the transport registry, scope
//! validation dispatch, and property tests over all transports.

use containers_policy::transport::{
    ImageReference, MAX_INPUT_LEN, ParseOptions, Transport, TransportError, validate_scope,
};
use proptest::prelude::*;

const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

#[test]
fn transport_names() {
    let names: Vec<&str> = Transport::ALL.iter().map(|t| t.name()).collect();
    assert_eq!(
        names,
        [
            "docker",
            "atomic",
            "containers-storage",
            "dir",
            "oci",
            "oci-archive",
            "docker-archive",
            "docker-daemon",
            "sif",
            "tarball",
            "ostree"
        ]
    );
    for t in Transport::ALL {
        assert_eq!(Transport::from_name(t.name()), Some(t));
        assert_eq!(t.to_string(), t.name());
    }
    for unknown in [
        "",
        "Docker",
        "docker ",
        "openshift",
        "registry",
        "docker-daemon:",
    ] {
        assert_eq!(Transport::from_name(unknown), None, "{unknown:?}");
    }
}

#[test]
fn parse_image_name_errors() {
    assert_eq!(
        ImageReference::parse("busybox"),
        Err(TransportError::MissingTransport {
            input: "busybox".into()
        })
    );
    assert_eq!(
        ImageReference::parse(""),
        Err(TransportError::MissingTransport { input: "".into() })
    );
    let e = ImageReference::parse("registry:busybox").expect_err("unknown");
    match &e {
        TransportError::UnknownTransport {
            input,
            transport,
            known,
        } => {
            assert_eq!(input, "registry:busybox");
            assert_eq!(transport, "registry");
            for t in Transport::ALL {
                assert!(known.contains(t.name()), "{known}");
            }
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(e.to_string().contains("unknown transport \"registry\""));
    // The transport name is matched exactly, before any `:` in the rest.
    assert!(matches!(
        ImageReference::parse(":docker://busybox"),
        Err(TransportError::UnknownTransport { transport, .. }) if transport.is_empty()
    ));
    assert!(matches!(
        ImageReference::parse("DOCKER://busybox"),
        Err(TransportError::UnknownTransport { .. })
    ));
    // ostree is registered as a stub that refuses every reference.
    assert_eq!(
        ImageReference::parse("ostree:/x"),
        Err(TransportError::UnsupportedTransport {
            transport: Transport::Ostree
        })
    );
}

#[test]
fn input_length_is_bounded() {
    let long = format!("docker://example.com/{}:t", "a".repeat(MAX_INPUT_LEN));
    assert_eq!(
        ImageReference::parse(&long),
        Err(TransportError::TooLong {
            length: long.len(),
            max: MAX_INPUT_LEN
        })
    );
    let long_name = "x".repeat(MAX_INPUT_LEN + 1);
    assert!(matches!(
        ImageReference::parse(&long_name),
        Err(TransportError::TooLong { .. })
    ));
    let within = "a".repeat(MAX_INPUT_LEN + 1);
    assert!(matches!(
        ImageReference::parse_within(Transport::Dir, &within, &ParseOptions::default()),
        Err(TransportError::TooLong { .. })
    ));
    // Long but realistic references still parse.
    let path = format!("docker://example.com/{}:t", "a/".repeat(100) + "b");
    assert!(ImageReference::parse(&path).is_ok());
}

#[test]
fn parse_within_matches_parse() {
    let options = ParseOptions::default();
    let r = ImageReference::parse_within(Transport::Docker, "//busybox", &options).expect("parses");
    assert_eq!(Ok(r.clone()), ImageReference::parse("docker://busybox"));
    assert_eq!(r.to_string(), "docker://busybox:latest");
}

#[test]
fn scope_candidates_follow_the_lookup_order() {
    let r = ImageReference::parse("docker://example.com/ns/repo:tag").expect("parses");
    let candidates: Vec<&str> = r.scope_candidates().collect();
    assert_eq!(
        candidates,
        [
            "example.com/ns/repo:tag",
            "example.com/ns/repo",
            "example.com/ns",
            "example.com",
            "*.com",
            ""
        ]
    );
}

#[test]
fn scope_validation_dispatch() {
    // "" is always fine.
    for t in Transport::ALL {
        assert_eq!(validate_scope(t.name(), ""), Ok(()), "{t}");
        assert_eq!(t.validate_scope(""), Ok(()), "{t}");
    }
    // Unregistered transport names: scopes are not validated.
    for name in ["", "unknown", "Docker", "openshift"] {
        for scope in ["relative", "/", "[", "sha256:0"] {
            assert_eq!(validate_scope(name, scope), Ok(()), "{name} {scope}");
        }
    }
    // The ostree stub accepts everything.
    for scope in ["relative", "/", "[", &format!("sha256:{HEX}")] {
        assert_eq!(validate_scope("ostree", scope), Ok(()), "{scope}");
    }
    // Errors say why.
    let e = validate_scope("dir", "/a/../b").expect_err("unclean");
    assert!(e.to_string().contains("\"/b\""), "{e}");
    let e = validate_scope("tarball", "/x").expect_err("no scopes");
    assert!(e.to_string().contains("tarball"), "{e}");
}

/// A Docker reference: optional domain (with optional port), 1–4 path components,
/// then a tag or a digest.
fn docker_ref() -> impl Strategy<Value = String> {
    let domain = prop_oneof![
        Just(String::new()),
        Just("localhost/".to_owned()),
        (
            prop::collection::vec("[a-z0-9]{1,5}", 1..4),
            prop::option::of(1u16..65535)
        )
            .prop_map(|(labels, port)| {
                let mut d = labels.join(".");
                if !d.contains('.') {
                    d.push_str(".io");
                }
                if let Some(port) = port {
                    d.push_str(&format!(":{port}"));
                }
                d + "/"
            }),
    ];
    let path = prop::collection::vec("[a-z0-9]{1,4}([._-][a-z0-9]{1,3})?", 1..5);
    let suffix = prop_oneof![
        "[A-Za-z0-9_][A-Za-z0-9_.-]{0,10}".prop_map(|t| format!(":{t}")),
        "[0-9a-f]{64}".prop_map(|h| format!("@sha256:{h}")),
    ];
    (domain, path, suffix).prop_map(|(d, p, s)| format!("{d}{}{s}", p.join("/")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_never_panics(s in "\\PC{0,80}") {
        let _ = ImageReference::parse(&s);
        let options = ParseOptions::with_default_store("vfs", "/var/lib/s");
        for t in Transport::ALL {
            if matches!(t, Transport::Tarball) {
                continue; // would open arbitrary files
            }
            let _ = ImageReference::parse_within(t, &s, &options);
        }
    }

    #[test]
    fn parse_never_panics_on_structured_input(
        t in prop::sample::select(Transport::ALL.to_vec()),
        s in "[\\[\\]@:/+.a-z0-9_-]{0,60}",
    ) {
        if t != Transport::Tarball {
            let options = ParseOptions::with_default_store("overlay", "/r");
            let _ = ImageReference::parse_within(t, &s, &options);
        }
    }

    #[test]
    fn validate_scope_never_panics(s in "\\PC{0,80}", t in prop::sample::select(Transport::ALL.to_vec())) {
        let _ = validate_scope(t.name(), &s);
        let _ = validate_scope("unregistered", &s);
    }

    #[test]
    fn docker_chains_are_prefixes_of_the_identity(r in docker_ref()) {
        for transport in ["docker://", "docker-daemon:"] {
            let parsed = ImageReference::parse(&format!("{transport}{r}"))
                .map_err(|e| TestCaseError::fail(format!("{r}: {e}")))?;
            let identity = parsed.policy_identity();
            let namespaces = parsed.policy_namespaces();
            let d = parsed.docker_reference().ok_or_else(|| TestCaseError::fail("no docker reference"))?;
            // The first namespace is the repository; the identity adds exactly a
            // tag or digest to it.
            prop_assert_eq!(namespaces.first(), Some(&d.name()));
            let rest = identity.strip_prefix(d.name().as_str()).unwrap_or_default();
            prop_assert!(rest.starts_with(':') || rest.starts_with('@'), "{}", identity);
            let (plain, wild): (Vec<&String>, Vec<&String>) =
                namespaces.iter().partition(|n| !n.starts_with("*."));
            // Path namespaces are component prefixes of the identity, most
            // specific first.
            for pair in plain.windows(2) {
                let (longer, shorter) = (pair[0], pair[1]);
                prop_assert!(longer.starts_with(&format!("{shorter}/")), "{:?}", namespaces);
            }
            for n in &plain {
                prop_assert!(identity.starts_with(n.as_str()));
            }
            // Wildcards come last and are suffixes of the host without its port.
            prop_assert!(namespaces.iter().skip(plain.len()).all(|n| n.starts_with("*.")));
            let host = plain.last().map(|h| h.split(':').next().unwrap_or_default()).unwrap_or_default();
            for w in &wild {
                let suffix = w.strip_prefix('*').unwrap_or_default();
                prop_assert!(host.ends_with(suffix), "{} {}", host, w);
            }
        }
    }

    #[test]
    fn atomic_chains_are_valid_scopes(
        host in "[a-z0-9]{1,5}\\.[a-z]{2,3}(:[0-9]{2,4})?",
        ns in "[a-z0-9]{1,6}",
        stream in "[a-z0-9]{1,6}",
        tag in "[A-Za-z0-9_][A-Za-z0-9_.-]{0,8}",
    ) {
        let r = ImageReference::parse(&format!("atomic:{host}/{ns}/{stream}:{tag}"))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(r.policy_identity(), format!("{host}/{ns}/{stream}:{tag}"));
        for key in r.scope_candidates() {
            prop_assert_eq!(validate_scope("atomic", key), Ok(()), "{}", key);
        }
    }

    #[test]
    fn storage_chains_are_valid_scopes(
        name in "([a-z0-9]{1,4}\\.[a-z]{2}/)?[a-z0-9]{1,5}(/[a-z0-9]{1,5}){0,2}",
        tag in prop::option::of("[a-z0-9]{1,6}"),
        digest in prop::option::of("[0-9a-f]{64}"),
        id in prop::option::of("[0-9a-f]{64}"),
    ) {
        let mut s = format!("containers-storage:[vfs@/var/lib/s]{name}");
        if let Some(tag) = &tag { s.push(':'); s.push_str(tag); }
        if let Some(d) = &digest { s.push_str("@sha256:"); s.push_str(d); }
        if let Some(id) = &id { s.push('@'); s.push_str(id); }
        let r = ImageReference::parse(&s).map_err(|e| TestCaseError::fail(format!("{s}: {e}")))?;
        for key in r.scope_candidates().filter(|k| !k.is_empty()) {
            prop_assert_eq!(validate_scope("containers-storage", key), Ok(()), "{}", key);
            prop_assert!(key.starts_with("[vfs@/var/lib/s]") || key == "[/var/lib/s]");
        }
    }
}
