//! `docker`, `atomic` and `docker-daemon` references and the shared Docker naming
//! of policy-semantics.md §8.2. Expected values come from c/image's tests
//! (`naming_test.go`, `daemon_transport_test.go`, `policy_eval_test.go`) and from
//! the c/image 5.23.1 oracle (`cimage-eval --trace --identity …`), as noted.

use containers_policy::reference::Reference;
use containers_policy::transport::{
    ImageReference, ScopeError, Transport, TransportError, docker_reference_identity,
    docker_reference_namespaces, validate_scope,
};

const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn sha256() -> String {
    format!("sha256:{HEX}")
}

fn parse(s: &str) -> ImageReference {
    ImageReference::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

fn err(s: &str) -> TransportError {
    match ImageReference::parse(s) {
        Ok(r) => panic!("{s:?} unexpectedly parsed as {r:?}"),
        Err(e) => e,
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// The requirement lookup of §8.1, over a set of scope keys: the first candidate
/// present, or `None` for the global default.
fn lookup<'a>(r: &ImageReference, scopes: &[&'a str]) -> Option<&'a str> {
    r.scope_candidates()
        .find_map(|c| scopes.iter().find(|s| **s == c).copied())
}

// §8.2 namespace table (naming_test.go), each with a tag and with a digest.
#[test]
fn naming_table() {
    let cases: [(&str, &[&str]); 6] = [
        (
            "example.com/ns/repo",
            &[
                "example.com/ns/repo",
                "example.com/ns",
                "example.com",
                "*.com",
            ],
        ),
        (
            "localhost/ns/repo",
            &["localhost/ns/repo", "localhost/ns", "localhost"],
        ),
        (
            "notlocalhost/repo",
            &[
                "docker.io/notlocalhost/repo",
                "docker.io/notlocalhost",
                "docker.io",
                "*.io",
            ],
        ),
        (
            "repo",
            &[
                "docker.io/library/repo",
                "docker.io/library",
                "docker.io",
                "*.io",
            ],
        ),
        (
            "library/repo",
            &[
                "docker.io/library/repo",
                "docker.io/library",
                "docker.io",
                "*.io",
            ],
        ),
        (
            "docker.io/repo",
            &[
                "docker.io/library/repo",
                "docker.io/library",
                "docker.io",
                "*.io",
            ],
        ),
    ];
    for (input, namespaces) in cases {
        for suffix in [":notlatest".to_owned(), format!("@{}", sha256())] {
            let r = parse(&format!("docker://{input}{suffix}"));
            let name = namespaces.first().copied().unwrap_or_default();
            assert_eq!(r.policy_identity(), format!("{name}{suffix}"));
            assert_eq!(
                r.policy_namespaces(),
                strings(namespaces),
                "{input}{suffix}"
            );
            let d = r.docker_reference().expect("docker reference");
            assert_eq!(docker_reference_namespaces(d), strings(namespaces));
            assert_eq!(
                docker_reference_identity(d).as_deref(),
                Some(r.policy_identity())
            );
        }
    }
}

#[test]
fn wildcard_namespaces() {
    let cases: [(&str, &[&str]); 5] = [
        (
            "yet.another.example.com:8443/ns/repo:tag",
            &[
                "yet.another.example.com:8443/ns/repo",
                "yet.another.example.com:8443/ns",
                "yet.another.example.com:8443",
                "*.another.example.com",
                "*.example.com",
                "*.com",
            ],
        ),
        (
            "10.0.0.1:5000/a/b:x",
            &[
                "10.0.0.1:5000/a/b",
                "10.0.0.1:5000/a",
                "10.0.0.1:5000",
                "*.0.0.1",
                "*.0.1",
                "*.1",
            ],
        ),
        (
            "localhost:5000/repo:t",
            &["localhost:5000/repo", "localhost:5000"],
        ),
        // Uppercase domains are kept as written.
        ("Foo.com/repo:t", &["Foo.com/repo", "Foo.com", "*.com"]),
        // The domain-less quirk: the first path component acts as the host.
        (
            "foo_bar.com/repo:1",
            &["foo_bar.com/repo", "foo_bar.com", "*.com"],
        ),
    ];
    for (input, namespaces) in cases {
        let r = parse(&format!("docker://{input}"));
        assert_eq!(r.policy_namespaces(), strings(namespaces), "{input}");
    }
}

// The evaluator's chain example (policy_eval_test.go, §8.2).
#[test]
fn deep_com_chain() {
    let scopes = [
        "",
        "unmatched",
        "deep.com",
        "*.very.deep.com",
        "*.deep.com",
        "deep.com/n1",
        "deep.com/n1/n2",
        "deep.com/n1/n2/n3",
        "deep.com/n1/n2/n3/repo",
        "deep.com/n1/n2/n3/repo:tag2",
    ];
    let cases = [
        ("deep.com/n1/n2/n3/repo:tag2", "deep.com/n1/n2/n3/repo:tag2"),
        ("deep.com/n1/n2/n3/repo:nottag2", "deep.com/n1/n2/n3/repo"),
        ("deep.com/n1/n2/n3/notrepo:tag2", "deep.com/n1/n2/n3"),
        ("deep.com/n1/n2/notn3/repo:tag2", "deep.com/n1/n2"),
        ("deep.com/n1/notn2/n3/repo:tag2", "deep.com/n1"),
        ("deep.com/notn1/n2/n3/repo:tag2", "deep.com"),
        ("very.deep.com/n1/n2/n3/repo:tag2", "*.deep.com"),
        ("not.very.deep.com/n1/n2/n3/repo:tag2", "*.very.deep.com"),
        ("this.does-not/match:anything", ""),
    ];
    for (input, expected) in cases {
        let r = parse(&format!("docker://{input}"));
        assert_eq!(lookup(&r, &scopes), Some(expected), "{input}");
    }
    // No "" scope and no match: the global default.
    let r = parse("docker://this.does-not/match:anything");
    assert_eq!(lookup(&r, &["deep.com"]), None);
    // A digest reference never consults a name:tag scope.
    let r = parse(&format!("docker://deep.com/n1/n2/n3/repo@{}", sha256()));
    assert_eq!(lookup(&r, &scopes), Some("deep.com/n1/n2/n3/repo"));
    // `*.example.com` does not match `example.com` itself.
    let r = parse("docker://example.com/repo:t");
    assert_eq!(lookup(&r, &["*.example.com"]), None);
}

#[test]
fn docker_references() {
    let r = parse("docker://busybox");
    assert_eq!(r.transport(), Transport::Docker);
    assert_eq!(r.string_within_transport(), "//busybox:latest");
    assert_eq!(r.to_string(), "docker://busybox:latest");
    assert_eq!(r.policy_identity(), "docker.io/library/busybox:latest");
    assert_eq!(
        r.docker_reference().map(ToString::to_string).as_deref(),
        Some("docker.io/library/busybox:latest")
    );

    for same in [
        "docker://busybox:latest",
        "docker://library/busybox:latest",
        "docker://docker.io/busybox",
        "docker://index.docker.io/library/busybox",
    ] {
        assert_eq!(parse(same), r, "{same}");
    }

    let r = parse(&format!("docker://example.com:5000/ns/repo@{}", sha256()));
    assert_eq!(
        r.string_within_transport(),
        format!("//example.com:5000/ns/repo@{}", sha256())
    );
    assert_eq!(
        r.policy_identity(),
        format!("example.com:5000/ns/repo@{}", sha256())
    );

    // `example.com:5000` alone is a Docker Hub repository with tag 5000.
    let r = parse("docker://example.com:5000");
    assert_eq!(r.policy_identity(), "docker.io/library/example.com:5000");
    // `sha256:<hex>` is the repository `sha256` with a tag.
    let r = parse(&format!("docker://{}", sha256()));
    assert_eq!(
        r.policy_identity(),
        format!("docker.io/library/sha256:{HEX}")
    );
}

#[test]
fn docker_rejections() {
    assert_eq!(
        err("docker:busybox"),
        TransportError::DockerMissingSlashes {
            reference: "busybox".into()
        }
    );
    assert!(matches!(
        err("docker:/busybox"),
        TransportError::DockerMissingSlashes { .. }
    ));
    for bad in ["docker://", "docker://UPPER", &format!("docker://{HEX}")] {
        assert!(
            matches!(
                err(bad),
                TransportError::InvalidDockerReference {
                    transport: Transport::Docker,
                    ..
                }
            ),
            "{bad}"
        );
    }
    assert_eq!(
        err(&format!("docker://busybox:latest@{}", sha256())),
        TransportError::TagAndDigest {
            transport: Transport::Docker,
            reference: format!("docker.io/library/busybox:latest@{}", sha256()),
        }
    );
}

// `@@unknown-digest@@` (c/image ≥ 5.29; the 5.23.1 oracle refuses it).
#[test]
fn docker_unknown_digest() {
    let r = parse("docker://example.com/ns/repo@@unknown-digest@@");
    assert_eq!(r.policy_identity(), "example.com/ns/repo");
    assert_eq!(
        r.policy_namespaces(),
        strings(&["example.com/ns", "example.com", "*.com"])
    );
    assert_eq!(
        r.string_within_transport(),
        "//example.com/ns/repo@@unknown-digest@@"
    );
    let d = r.docker_reference().expect("docker reference");
    assert!(d.is_name_only());
    assert_eq!(d.to_string(), "example.com/ns/repo");

    let r = parse("docker://busybox@@unknown-digest@@");
    assert_eq!(r.policy_identity(), "docker.io/library/busybox");
    assert_eq!(r.string_within_transport(), "//busybox@@unknown-digest@@");
    assert_eq!(
        r.policy_namespaces(),
        strings(&["docker.io/library", "docker.io", "*.io"])
    );

    assert_eq!(
        err("docker://busybox:tag@@unknown-digest@@"),
        TransportError::UnknownDigestNotNameOnly {
            reference: "docker.io/library/busybox:tag@@unknown-digest@@".into()
        }
    );
    assert!(matches!(
        err(&format!("docker://busybox@{}@@unknown-digest@@", sha256())),
        TransportError::UnknownDigestNotNameOnly { .. }
    ));
    assert!(matches!(
        err("docker://@@unknown-digest@@"),
        TransportError::InvalidDockerReference { .. }
    ));
}

#[test]
fn atomic_references() {
    let r = parse("atomic:example.com/ns/stream:tag");
    assert_eq!(r.transport(), Transport::Atomic);
    assert_eq!(r.string_within_transport(), "example.com/ns/stream:tag");
    assert_eq!(r.policy_identity(), "example.com/ns/stream:tag");
    assert_eq!(
        r.policy_namespaces(),
        strings(&[
            "example.com/ns/stream",
            "example.com/ns",
            "example.com",
            "*.com"
        ])
    );
    assert_eq!(
        r.docker_reference().map(ToString::to_string).as_deref(),
        Some("example.com/ns/stream:tag")
    );
    // Normalised like any Docker reference (oracle: accepted).
    let r = parse("atomic:ns/stream:tag");
    assert_eq!(r.policy_identity(), "docker.io/ns/stream:tag");
    assert_eq!(r.string_within_transport(), "ns/stream:tag");
    let r = parse("atomic:busybox:tag");
    assert_eq!(r.policy_identity(), "docker.io/library/busybox:tag");
    let r = parse("atomic:example.com:8443/ns/stream:tag");
    assert_eq!(r.policy_identity(), "example.com:8443/ns/stream:tag");
}

#[test]
fn atomic_rejections() {
    assert_eq!(
        err("atomic:example.com/ns/stream"),
        TransportError::AtomicNotTagged {
            reference: "example.com/ns/stream".into()
        }
    );
    assert!(matches!(
        err(&format!("atomic:example.com/ns/stream@{}", sha256())),
        TransportError::AtomicNotTagged { .. }
    ));
    assert_eq!(
        err("atomic:example.com/a/b/c:tag"),
        TransportError::AtomicBadPath {
            reference: "example.com/a/b/c:tag".into(),
            path: "a/b/c".into()
        }
    );
    assert!(matches!(
        err("atomic:example.com/stream:tag"),
        TransportError::AtomicBadPath { .. }
    ));
    assert!(matches!(
        err("atomic:UPPER:tag"),
        TransportError::InvalidDockerReference {
            transport: Transport::Atomic,
            ..
        }
    ));
    // The oracle panics computing the identity of this reference.
    assert_eq!(
        err(&format!("atomic:example.com/ns/stream:tag@{}", sha256())),
        TransportError::TagAndDigest {
            transport: Transport::Atomic,
            reference: format!("example.com/ns/stream:tag@{}", sha256())
        }
    );
}

// daemon_transport_test.go testParseReference.
#[test]
fn docker_daemon_references() {
    let r = parse(&format!("docker-daemon:{}", sha256()));
    assert_eq!(r.transport(), Transport::DockerDaemon);
    assert_eq!(r.string_within_transport(), sha256());
    assert_eq!(r.policy_identity(), "");
    assert!(r.policy_namespaces().is_empty());
    assert!(r.docker_reference().is_none());

    let r = parse("docker-daemon:busybox:latest");
    assert_eq!(r.string_within_transport(), "busybox:latest");
    assert_eq!(r.policy_identity(), "docker.io/library/busybox:latest");
    assert_eq!(
        r.policy_namespaces(),
        strings(&[
            "docker.io/library/busybox",
            "docker.io/library",
            "docker.io",
            "*.io"
        ])
    );
    assert_eq!(parse("docker-daemon:docker.io/library/busybox:latest"), r);

    let r = parse(&format!("docker-daemon:busybox@{}", sha256()));
    assert_eq!(
        r.policy_identity(),
        format!("docker.io/library/busybox@{}", sha256())
    );
    assert_eq!(
        r.docker_reference().map(ToString::to_string),
        Some(format!("docker.io/library/busybox@{}", sha256()))
    );
    // Another repository called sha256 elsewhere is fine (oracle: accepted).
    let r = parse("docker-daemon:example.com/sha256:1");
    assert_eq!(r.policy_identity(), "example.com/sha256:1");
}

#[test]
fn docker_daemon_rejections() {
    assert_eq!(
        err(&format!("docker-daemon:sha512:{HEX}{HEX}")),
        TransportError::DaemonDigestAlgorithm {
            reference: format!("sha512:{HEX}{HEX}"),
            algorithm: "sha512".into()
        }
    );
    // Not valid digests, so parsed as names: the repository `sha256` is reserved.
    for bad in [
        "sha256:ab".to_owned(),
        format!("{}ab", sha256()),
        "sha256:latest".to_owned(),
        "library/sha256:1".to_owned(),
        "sha256:XX23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".to_owned(),
    ] {
        assert_eq!(
            err(&format!("docker-daemon:{bad}")),
            TransportError::DaemonReservedName {
                reference: bad.clone()
            },
            "{bad}"
        );
    }
    for bad in ["UPPERCASEISINVALID", HEX] {
        assert!(
            matches!(
                err(&format!("docker-daemon:{bad}")),
                TransportError::InvalidDockerReference {
                    transport: Transport::DockerDaemon,
                    ..
                }
            ),
            "{bad}"
        );
    }
    assert_eq!(
        err("docker-daemon:busybox"),
        TransportError::NameOnly {
            transport: Transport::DockerDaemon,
            reference: "busybox".into()
        }
    );
    assert_eq!(
        err(&format!("docker-daemon:busybox:latest@{}", sha256())),
        TransportError::TagAndDigest {
            transport: Transport::DockerDaemon,
            reference: format!("docker.io/library/busybox:latest@{}", sha256())
        }
    );
}

#[test]
fn docker_scopes_are_never_validated() {
    for scope in [
        "busybox",
        "docker.io/busybox",
        "example.com/",
        "*.example.com",
        "UPPER CASE",
        "/",
        "[x]",
    ] {
        assert_eq!(validate_scope("docker", scope), Ok(()), "{scope}");
    }
}

// Scope results agree with the 5.23.1 oracle's policy parser.
#[test]
fn atomic_scopes() {
    for ok in [
        "example.com",
        "*.example.com",
        "example.com:5000",
        "example.com/ns",
        "example.com/ns/stream",
        "example.com/ns/stream:tag",
        "a:b",
        "x",
        "/",
        "//",
        "example.com/ns/",
        "example.com/ns/stream:",
    ] {
        assert_eq!(validate_scope("atomic", ok), Ok(()), "{ok}");
    }
    assert_eq!(
        validate_scope("atomic", &format!("host/ns/stream@{}", sha256())),
        Ok(())
    );
    for bad in [
        "example.com/a/b/c",
        "example.com/ns/stream:t1:t2",
        "host/ns:x",
        "host/ns:x/stream",
        "/a:b",
    ] {
        assert_eq!(
            validate_scope("atomic", bad),
            Err(ScopeError::InvalidAtomicScope { scope: bad.into() }),
            "{bad}"
        );
    }
}

#[test]
fn docker_daemon_scopes() {
    for ok in [
        format!("registry.example.com/ns/stream@{}", sha256()),
        "registry.example.com/ns/stream:notlatest".to_owned(),
        "registry.example.com".to_owned(),
        "*.example.com".to_owned(),
        HEX.to_owned(),
        "sha256:abc".to_owned(),
        "md5:0123456789abcdef0123456789abcdef".to_owned(),
    ] {
        assert_eq!(validate_scope("docker-daemon", &ok), Ok(()), "{ok}");
    }
    for bad in [sha256(), format!("sha512:{HEX}{HEX}")] {
        assert_eq!(
            validate_scope("docker-daemon", &bad),
            Err(ScopeError::DigestNotAllowed { scope: bad.clone() })
        );
    }
}

#[test]
fn identity_helpers_refuse_ambiguous_references() {
    let both = Reference::parse_normalized(&format!("busybox:1@{}", sha256())).expect("parses");
    assert_eq!(docker_reference_identity(&both), None);
    let none = Reference::parse_normalized("busybox").expect("parses");
    assert_eq!(docker_reference_identity(&none), None);
    assert_eq!(
        docker_reference_namespaces(&none),
        strings(&[
            "docker.io/library/busybox",
            "docker.io/library",
            "docker.io",
            "*.io"
        ])
    );
}
