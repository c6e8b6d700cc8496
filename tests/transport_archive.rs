//! `docker-archive` and `tarball`: no policy identity, only the `""` scope.
//! Expected values follow c/image's `docker/archive/transport_test.go` and were
//! compared with the 5.23.1 oracle.

use std::fs;
use std::io;

use containers_policy::transport::{
    ImageReference, ScopeError, Transport, TransportError, validate_scope,
};

const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn parse(s: &str) -> ImageReference {
    ImageReference::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

fn err(s: &str) -> TransportError {
    match ImageReference::parse(s) {
        Ok(r) => panic!("{s:?} unexpectedly parsed as {r:?}"),
        Err(e) => e,
    }
}

#[test]
fn docker_archive_forms() {
    // (input, within transport, docker reference)
    let cases = [
        ("/x.tar", "/x.tar", None),
        (
            "/x.tar:busybox",
            "/x.tar:docker.io/library/busybox:latest",
            Some("docker.io/library/busybox:latest"),
        ),
        (
            "/x.tar:busybox:v1",
            "/x.tar:docker.io/library/busybox:v1",
            Some("docker.io/library/busybox:v1"),
        ),
        (
            "rel.tar:example.com/a:b",
            "rel.tar:example.com/a:b",
            Some("example.com/a:b"),
        ),
        // An empty path is accepted (oracle: accepted).
        (
            ":busybox",
            ":docker.io/library/busybox:latest",
            Some("docker.io/library/busybox:latest"),
        ),
        ("/x.tar:@0", "/x.tar:@0", None),
        ("/x.tar:@+2", "/x.tar:@2", None),
        ("/x.tar:@010", "/x.tar:@10", None),
        // The path is not resolved, and need not exist.
        ("/does/not/exist", "/does/not/exist", None),
    ];
    for (input, within, docker) in cases {
        let r = parse(&format!("docker-archive:{input}"));
        assert_eq!(r.transport(), Transport::DockerArchive);
        assert_eq!(r.string_within_transport(), within, "{input}");
        assert_eq!(r.policy_identity(), "", "{input}");
        assert!(r.policy_namespaces().is_empty(), "{input}");
        assert_eq!(
            r.docker_reference().map(ToString::to_string).as_deref(),
            docker,
            "{input}"
        );
    }
}

#[test]
fn docker_archive_rejections() {
    assert_eq!(
        err("docker-archive:"),
        TransportError::EmptyArchiveReference
    );
    assert_eq!(
        err(&format!("docker-archive:/x.tar:busybox@sha256:{HEX}")),
        TransportError::ArchiveNotTagged {
            reference: format!("docker.io/library/busybox@sha256:{HEX}")
        }
    );
    assert_eq!(
        err(&format!("docker-archive:/x.tar:busybox:v1@sha256:{HEX}")),
        TransportError::ArchiveDigest {
            reference: format!("docker.io/library/busybox:v1@sha256:{HEX}")
        }
    );
    for bad in ["", "UPPER", "a:b:c"] {
        assert!(
            matches!(
                err(&format!("docker-archive:/x.tar:{bad}")),
                TransportError::InvalidDockerReference {
                    transport: Transport::DockerArchive,
                    ..
                }
            ),
            "{bad:?}"
        );
    }
    for bad in ["x", "", "-", "1.5", "99999999999999999999"] {
        assert_eq!(
            err(&format!("docker-archive:/x.tar:@{bad}")),
            TransportError::InvalidSourceIndex {
                transport: Transport::DockerArchive,
                index: bad.into()
            },
            "{bad:?}"
        );
    }
    assert_eq!(
        err("docker-archive:/x.tar:@-1"),
        TransportError::NegativeSourceIndex {
            transport: Transport::DockerArchive,
            index: -1
        }
    );
}

#[test]
fn tarball_references() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a.tar");
    let b = dir.path().join("b.tar");
    fs::write(&a, b"").expect("write");
    fs::write(&b, b"").expect("write");
    let a = a.to_str().expect("utf-8");
    let b = b.to_str().expect("utf-8");

    let r = parse(&format!("tarball:{a}"));
    assert_eq!(r.transport(), Transport::Tarball);
    assert_eq!(r.string_within_transport(), a);
    assert_eq!(r.policy_identity(), "");
    assert!(r.policy_namespaces().is_empty());
    assert!(r.docker_reference().is_none());

    let r = parse(&format!("tarball:{a}:{b}:-"));
    assert_eq!(r.string_within_transport(), format!("{a}:{b}:-"));
    // A directory opens (os.Open succeeds on directories; oracle: accepted).
    let d = dir.path().to_str().expect("utf-8");
    assert_eq!(parse(&format!("tarball:{d}")).policy_identity(), "");
}

#[test]
fn tarball_rejections() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.tar");
    let missing = missing.to_str().expect("utf-8");
    match err(&format!("tarball:{missing}")) {
        TransportError::TarballOpen { path, kind, .. } => {
            assert_eq!(path, missing);
            assert_eq!(kind, io::ErrorKind::NotFound);
        }
        other => panic!("unexpected {other:?}"),
    }
    // The empty file name cannot be opened (oracle: refused).
    assert!(matches!(
        err("tarball:"),
        TransportError::TarballOpen { path, .. } if path.is_empty()
    ));
    assert!(matches!(
        err(&format!("tarball:-:{missing}")),
        TransportError::TarballOpen { .. }
    ));
}

#[test]
fn archive_scopes_are_all_rejected() {
    for (name, transport) in [
        ("docker-archive", Transport::DockerArchive),
        ("tarball", Transport::Tarball),
    ] {
        for scope in ["/x.tar", "busybox", "*", " "] {
            assert_eq!(
                validate_scope(name, scope),
                Err(ScopeError::ScopesNotSupported { transport }),
                "{name} {scope}"
            );
        }
        assert_eq!(validate_scope(name, ""), Ok(()));
    }
}
