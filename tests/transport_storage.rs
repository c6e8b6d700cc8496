//! `containers-storage` (policy-semantics.md §8.4). Tables from c/image's
//! `storage_transport_test.go` and `storage_reference_test.go`; every identity and
//! namespace chain below was also checked with the c/image 5.23.1 oracle using a
//! real vfs store (`[vfs@/tmp/…+/tmp/…]`).

use containers_policy::transport::{
    ImageReference, ParseOptions, ScopeError, Transport, TransportError, validate_scope,
};

const ID: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const D2: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const STORE: &str = "[vfs@/var/lib/s+/run/s]";
const S: &str = "[vfs@/var/lib/s]";
const ROOT: &str = "[/var/lib/s]";

fn parse(s: &str) -> ImageReference {
    ImageReference::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

fn err(s: &str) -> TransportError {
    err_with(s, &ParseOptions::default())
}

fn err_with(s: &str, options: &ParseOptions) -> TransportError {
    match ImageReference::parse_with(s, options) {
        Ok(r) => panic!("{s:?} unexpectedly parsed as {r:?}"),
        Err(e) => e,
    }
}

/// `S + x` for each `x`, then `S` and the driverless `[root]`.
fn chain(names: &[&str]) -> Vec<String> {
    names
        .iter()
        .map(|n| format!("{S}{n}"))
        .chain([S.to_owned(), ROOT.to_owned()])
        .collect()
}

// storage_reference_test.go, validReferenceTestCases.
#[test]
fn namespace_table() {
    let lib = [
        "docker.io/library/busybox",
        "docker.io/library",
        "docker.io",
    ];
    let cases: Vec<(String, String, Vec<String>)> = vec![
        (
            "busybox".into(),
            "docker.io/library/busybox:latest".into(),
            chain(&lib),
        ),
        (
            "example.com/myns/ns2/busybox:notlatest".into(),
            "example.com/myns/ns2/busybox:notlatest".into(),
            chain(&[
                "example.com/myns/ns2/busybox",
                "example.com/myns/ns2",
                "example.com/myns",
                "example.com",
            ]),
        ),
        (format!("@{ID}"), format!("@{ID}"), chain(&[])),
        (
            format!("busybox@{ID}"),
            format!("docker.io/library/busybox:latest@{ID}"),
            chain(&["docker.io/library/busybox:latest", lib[0], lib[1], lib[2]]),
        ),
        (
            format!("busybox@{D2}"),
            format!("docker.io/library/busybox@{D2}"),
            chain(&lib),
        ),
        (
            format!("busybox:notlatest@{ID}"),
            format!("docker.io/library/busybox:notlatest@{ID}"),
            chain(&[
                "docker.io/library/busybox:notlatest",
                lib[0],
                lib[1],
                lib[2],
            ]),
        ),
        (
            format!("busybox:notlatest@{D2}"),
            format!("docker.io/library/busybox:notlatest@{D2}"),
            chain(&[
                "docker.io/library/busybox:notlatest",
                lib[0],
                lib[1],
                lib[2],
            ]),
        ),
        (
            format!("busybox@{D2}@{ID}"),
            format!("docker.io/library/busybox@{D2}@{ID}"),
            chain(&[
                &format!("docker.io/library/busybox@{D2}"),
                lib[0],
                lib[1],
                lib[2],
            ]),
        ),
        (
            format!("busybox:notlatest@{D2}@{ID}"),
            format!("docker.io/library/busybox:notlatest@{D2}@{ID}"),
            chain(&[
                &format!("docker.io/library/busybox:notlatest@{D2}"),
                "docker.io/library/busybox:notlatest",
                lib[0],
                lib[1],
                lib[2],
            ]),
        ),
        // The domain-less quirk: the first component is the last namespace.
        (
            "foo_bar.com/repo:1".into(),
            "foo_bar.com/repo:1".into(),
            chain(&["foo_bar.com/repo", "foo_bar.com"]),
        ),
    ];
    for (input, identity, namespaces) in cases {
        let r = parse(&format!("containers-storage:{STORE}{input}"));
        assert_eq!(r.transport(), Transport::ContainersStorage);
        assert_eq!(r.policy_identity(), format!("{S}{identity}"), "{input}");
        assert_eq!(r.policy_namespaces(), namespaces, "{input}");
        assert_eq!(
            r.string_within_transport(),
            format!("{STORE}{identity}"),
            "{input}"
        );
        // Every key of the chain is a valid scope.
        for key in std::iter::once(r.policy_identity())
            .chain(r.policy_namespaces().iter().map(String::as_str))
        {
            assert_eq!(validate_scope("containers-storage", key), Ok(()), "{key}");
        }
    }
}

#[test]
fn docker_reference_may_have_tag_and_digest() {
    let r = parse(&format!("containers-storage:{STORE}busybox:notlatest@{D2}"));
    let d = r.docker_reference().expect("named");
    assert_eq!(d.tag(), Some("notlatest"));
    assert_eq!(d.digest().map(ToString::to_string).as_deref(), Some(D2));
    // ID-only references have none.
    let r = parse(&format!("containers-storage:{STORE}@{ID}"));
    assert!(r.docker_reference().is_none());
    // The ID is not part of the Docker reference.
    let r = parse(&format!("containers-storage:{STORE}busybox@{ID}"));
    assert_eq!(
        r.docker_reference().map(ToString::to_string).as_deref(),
        Some("docker.io/library/busybox:latest")
    );
}

// storage_transport_test.go TestTransportParseStoreReference (store part ignored).
#[test]
fn parse_store_reference_table() {
    let ok = [
        (
            format!("sha256:{ID}"),
            Some(format!("docker.io/library/sha256:{ID}")),
            None,
        ),
        (format!("@{ID}"), None, Some(ID)),
        (
            "sha256:ab".into(),
            Some("docker.io/library/sha256:ab".into()),
            None,
        ),
        (
            "busybox".into(),
            Some("docker.io/library/busybox:latest".into()),
            None,
        ),
        (
            "docker.io/library/busybox:notlatest".into(),
            Some("docker.io/library/busybox:notlatest".into()),
            None,
        ),
        (
            format!("busybox@sha256:{ID}"),
            Some(format!("docker.io/library/busybox@sha256:{ID}")),
            None,
        ),
        (
            format!("busybox@{ID}"),
            Some("docker.io/library/busybox:latest".into()),
            Some(ID),
        ),
        (
            format!("docker.io/library/busybox:notlatest@sha256:{ID}@{ID}"),
            Some(format!("docker.io/library/busybox:notlatest@sha256:{ID}")),
            Some(ID),
        ),
        // A second store specifier is silently ignored ("[garbage]busybox").
        (
            "[garbage]busybox".into(),
            Some("docker.io/library/busybox:latest".into()),
            None,
        ),
    ];
    for (input, named, id) in ok {
        let r = parse(&format!("containers-storage:{STORE}{input}"));
        assert_eq!(
            r.docker_reference().map(ToString::to_string),
            named,
            "{input}"
        );
        let expected_suffix = id.map(|id| format!("@{id}")).unwrap_or_default();
        assert!(r.policy_identity().ends_with(&expected_suffix), "{input}");
    }
}

#[test]
fn parse_store_reference_rejections() {
    let bad_names = [
        "UPPERCASEISINVALID".to_owned(),
        ID.to_owned(),
        format!("@sha256:{ID}"),
        format!("UPPERCASEISINVALID@{ID}"),
    ];
    for input in bad_names {
        assert!(
            matches!(
                err(&format!("containers-storage:{STORE}{input}")),
                TransportError::InvalidDockerReference {
                    transport: Transport::ContainersStorage,
                    ..
                }
            ),
            "{input}"
        );
    }
    for (input, value) in [
        ("busybox@ab".to_owned(), "ab"),
        ("busybox@sha256:ab".to_owned(), "sha256:ab"),
        (format!("busybox@sha256:{ID}@ab"), "ab"),
    ] {
        assert_eq!(
            err(&format!("containers-storage:{STORE}{input}")),
            TransportError::StorageNotDigestOrId {
                value: value.to_owned()
            },
            "{input}"
        );
    }
    // `…@<id>`: the ID is peeled off, then `busybox@ab` is not a valid reference.
    for input in [format!("busybox@ab@{ID}"), format!("busybox@@{ID}")] {
        assert!(
            matches!(
                err(&format!("containers-storage:{STORE}{input}")),
                TransportError::InvalidDockerReference { .. }
            ),
            "{input}"
        );
    }
    assert_eq!(
        err(&format!("containers-storage:{STORE}busybox@")),
        TransportError::StorageEmptyId {
            reference: format!("{STORE}busybox@")
        }
    );
    // name@digest@digest@ID: the middle part makes the name invalid.
    assert!(matches!(
        err(&format!(
            "containers-storage:{STORE}busybox:notlatest@{D2}@sha256:{ID}@{ID}"
        )),
        TransportError::InvalidDockerReference { .. }
    ));
    for input in [STORE.to_owned(), format!("{STORE}[garbage]")] {
        assert_eq!(
            err(&format!("containers-storage:{input}")),
            TransportError::StorageEmptyReference {
                reference: input.clone()
            },
            "{input}"
        );
    }
    assert_eq!(
        err(&format!("containers-storage:{STORE}[garbage")),
        TransportError::StorageUnterminatedStore {
            reference: format!("{STORE}[garbage")
        }
    );
}

// storage_transport_test.go TestTransportParseReference.
#[test]
fn store_specifiers() {
    let r = parse("containers-storage:[vfs@/var/lib/s2/../s/+/run/s/:opt1,opt2]busybox");
    assert_eq!(
        r.policy_identity(),
        "[vfs@/var/lib/s]docker.io/library/busybox:latest"
    );
    assert_eq!(
        r.string_within_transport(),
        "[vfs@/var/lib/s+/run/s:opt1,opt2]docker.io/library/busybox:latest"
    );
    // Without a run root (c/image defaults it; it is not part of the identity).
    let r = parse("containers-storage:[vfs@//var/lib/s]busybox");
    assert_eq!(
        r.policy_identity(),
        "[vfs@/var/lib/s]docker.io/library/busybox:latest"
    );
    assert_eq!(
        r.string_within_transport(),
        "[vfs@/var/lib/s]docker.io/library/busybox:latest"
    );
    // overlay2 is an alias; the loaded store reports "overlay" (oracle-checked).
    let r = parse("containers-storage:[overlay2@/var/lib/s]busybox");
    assert_eq!(
        r.policy_identity(),
        "[overlay@/var/lib/s]docker.io/library/busybox:latest"
    );
    for driver in ["overlay", "vfs", "btrfs", "zfs", "aufs", "devicemapper"] {
        let r = parse(&format!("containers-storage:[{driver}@/r]busybox"));
        assert_eq!(
            r.policy_identity(),
            format!("[{driver}@/r]docker.io/library/busybox:latest")
        );
    }
}

#[test]
fn store_specifier_rejections() {
    assert_eq!(
        err("containers-storage:[unterminated"),
        TransportError::StorageUnterminatedStore {
            reference: "[unterminated".into()
        }
    );
    for spec in ["", "@/var/lib/s", "vfs@", "vfs@:opt", ":opt", "+"] {
        assert_eq!(
            err(&format!("containers-storage:[{spec}]busybox")),
            TransportError::StorageInvalidStore { store: spec.into() },
            "{spec}"
        );
    }
    for (spec, path) in [
        ("relative/path", "relative/path"),
        ("vfs@relative/path", "relative/path"),
        ("vfs@/var/lib/s+relative", "relative"),
        ("/var/lib/s+relative", "relative"),
    ] {
        assert_eq!(
            err(&format!("containers-storage:[{spec}]busybox")),
            TransportError::StoragePathNotAbsolute { path: path.into() },
            "{spec}"
        );
    }
    assert!(matches!(
        err("containers-storage:[thisisunknown@/var/lib/s]busybox"),
        TransportError::StorageUnknownDriver { driver, .. } if driver == "thisisunknown"
    ));
}

#[test]
fn default_store() {
    // Without a default store, references that need one are refused.
    for input in [
        "busybox",
        "[/var/lib/s]busybox",
        "[vfs@+/run/s]busybox",
        "[/var/lib/s+/run]x",
    ] {
        assert_eq!(
            err(&format!("containers-storage:{input}")),
            TransportError::StorageNoDefaultStore {
                reference: input.into()
            },
            "{input}"
        );
    }
    let options = ParseOptions::with_default_store("overlay", "/var/lib/containers/storage/");
    let r = ImageReference::parse_with("containers-storage:busybox", &options).expect("parses");
    assert_eq!(
        r.policy_identity(),
        "[overlay@/var/lib/containers/storage]docker.io/library/busybox:latest"
    );
    assert_eq!(
        r.policy_namespaces().last().map(String::as_str),
        Some("[/var/lib/containers/storage]")
    );
    // A root without a driver takes the default driver (c/image auto-detects it;
    // the oracle picked overlay, its default).
    let r = ImageReference::parse_with("containers-storage:[/var/lib/s]busybox", &options)
        .expect("parses");
    assert_eq!(
        r.policy_identity(),
        "[overlay@/var/lib/s]docker.io/library/busybox:latest"
    );
    // A driver without a root takes the default root.
    let r = ImageReference::parse_with("containers-storage:[vfs@+/run/x]busybox", &options)
        .expect("parses");
    assert_eq!(
        r.policy_identity(),
        "[vfs@/var/lib/containers/storage]docker.io/library/busybox:latest"
    );
    // A complete specifier ignores the default.
    let r =
        ImageReference::parse_with("containers-storage:[vfs@/r]busybox", &options).expect("parses");
    assert_eq!(
        r.policy_identity(),
        "[vfs@/r]docker.io/library/busybox:latest"
    );

    assert!(matches!(
        err_with(
            "containers-storage:busybox",
            &ParseOptions::with_default_store("bogus", "/r")
        ),
        TransportError::StorageUnknownDriver { .. }
    ));
    for root in ["relative", ""] {
        assert_eq!(
            err_with(
                "containers-storage:busybox",
                &ParseOptions::with_default_store("vfs", root)
            ),
            TransportError::StorageInvalidDefaultRoot { root: root.into() }
        );
    }
}

// storage_transport_test.go TestTransportValidatePolicyConfigurationScope, plus
// oracle-checked extras.
#[test]
fn scope_validation() {
    let valid = [
        "[/var/lib/ssuffix1]".to_owned(),
        "[vfs@/var/lib/ssuffix3]".to_owned(),
        format!("{S}@{ID}"),
        format!("{S}docker.io"),
        format!("{S}docker.io/library"),
        format!("{S}docker.io/library/busybox"),
        format!("{S}docker.io/library/busybox:notlatest"),
        format!("{S}docker.io/library/busybox:notlatest@{ID}"),
        format!("{S}docker.io/library/busybox@{D2}"),
        format!("{S}docker.io/library/busybox@{D2}@{ID}"),
        format!("{S}docker.io/library/busybox:notlatest@{D2}"),
        format!("{S}docker.io/library/busybox:notlatest@{D2}@{ID}"),
        // Not validated further, and never matching:
        format!("{S}busybox"),
        format!("{S}UPPER CASE"),
        "[vfs@/a+rel:opt]x".to_owned(),
        "[/a@/b]".to_owned(),
        "[vfs@/a@b]".to_owned(),
        "[vfs@/x]]".to_owned(),
        format!("{S}x@sha512:{ID}{ID}"),
    ];
    for scope in &valid {
        assert_eq!(
            validate_scope("containers-storage", scope),
            Ok(()),
            "{scope}"
        );
    }

    let scope_err = |s: &str| validate_scope("containers-storage", s).expect_err(s);
    for scope in ["busybox", "]", " [/x]"] {
        assert_eq!(
            scope_err(scope),
            ScopeError::StorageMissingStore {
                scope: scope.into()
            }
        );
    }
    assert_eq!(
        scope_err("[unterminated"),
        ScopeError::StorageUnterminatedStore {
            scope: "[unterminated".into()
        }
    );
    for (scope, store) in [("[]", ""), ("[@/x]", "@/x"), ("[vfs@]", "vfs@")] {
        assert_eq!(
            scope_err(scope),
            ScopeError::StorageInvalidStore {
                scope: scope.into(),
                store: store.into()
            }
        );
    }
    for (scope, root) in [
        ("[relative/path]", "relative/path"),
        ("[vfs@relative/path]", "relative/path"),
        ("[/a@b]", "b"),
    ] {
        assert_eq!(
            scope_err(scope),
            ScopeError::StorageRootNotAbsolute {
                scope: scope.into(),
                root: root.into()
            }
        );
    }
    for (suffix, value) in [
        ("@", ""),
        ("docker.io/library/busybox@sha256:ab", "sha256:ab"),
        ("docker.io/library/busybox@ab", "ab"),
        ("docker.io/library/busybox@", ""),
        (
            "x@md5:0123456789abcdef0123456789abcdef",
            "md5:0123456789abcdef0123456789abcdef",
        ),
    ] {
        let scope = format!("{S}{suffix}");
        assert!(
            matches!(
                scope_err(&scope),
                ScopeError::StorageNotDigestOrId { value: v, .. } if v == value
            ),
            "{scope}"
        );
    }
    for (suffix, value) in [
        (format!("docker.io/library/busybox@@{ID}"), ""),
        (format!("docker.io/library/busybox@ab@{ID}"), "ab"),
        (
            format!("docker.io/library/busybox@sha256:ab@{ID}"),
            "sha256:ab",
        ),
    ] {
        let scope = format!("{S}{suffix}");
        assert!(
            matches!(
                scope_err(&scope),
                ScopeError::StorageInvalidDigest { value: v, .. } if v == value
            ),
            "{scope}"
        );
    }
    for (suffix, value) in [
        (format!("docker.io/library/busybox@{D2}@"), String::new()),
        (
            format!("docker.io/library/busybox@{D2}@ab"),
            "ab".to_owned(),
        ),
        // The third field takes any further `@`.
        (format!("busybox@{D2}@{ID}@{ID}"), format!("{ID}@{ID}")),
    ] {
        let scope = format!("{S}{suffix}");
        assert_eq!(
            scope_err(&scope),
            ScopeError::StorageInvalidImageId {
                scope: scope.clone(),
                value
            }
        );
    }
}
