//! `dir`, `sif`, `oci` and `oci-archive`: path resolution, identities, namespaces
//! and scope validation. Every behaviour here was compared with the c/image 5.23.1
//! oracle on the same filesystem layout (`cimage-eval --trace --identity`), except
//! the `oci:path:@N` form, which c/image added later (5.23.1 refuses `@N` as an
//! image name).
#![cfg(unix)]

use std::fs;
use std::io;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use containers_policy::transport::{
    ImageReference, ScopeError, Transport, TransportError, validate_scope,
};

/// A temporary tree:
/// `real/sub/img/`, `real/file.sif`, `real/imglink -> sub/img`, `link -> real`,
/// `dangling -> nowhere`. Returns the guard and the canonical root.
fn tree() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = fs::canonicalize(dir.path()).expect("canonical");
    fs::create_dir_all(root.join("real/sub/img")).expect("mkdir");
    fs::write(root.join("real/file.sif"), b"").expect("write");
    symlink("sub/img", root.join("real/imglink")).expect("symlink");
    symlink("real", root.join("link")).expect("symlink");
    symlink("nowhere", root.join("dangling")).expect("symlink");
    let root = root.to_str().expect("utf-8").to_owned();
    (dir, root)
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

/// The parents of `path` (an absolute clean path), nearest first, without `/`.
fn parents(path: &str) -> Vec<String> {
    Path::new(path)
        .ancestors()
        .skip(1)
        .filter(|p| *p != Path::new("/"))
        .map(|p| p.to_str().expect("utf-8").to_owned())
        .collect()
}

fn with_self(path: &str) -> Vec<String> {
    let mut v = vec![path.to_owned()];
    v.extend(parents(path));
    v
}

#[test]
fn dir_identity_is_the_resolved_path() {
    let (_guard, root) = tree();
    let img = format!("{root}/real/sub/img");
    for input in [
        img.clone(),
        format!("{root}/link/sub/img"),
        format!("{root}/real/imglink"),
        format!("{root}/link/sub/img/"),
        format!("{root}/real/sub/img/."),
        format!("{root}//real/./sub/../sub/img"),
    ] {
        let r = parse(&format!("dir:{input}"));
        assert_eq!(r.transport(), Transport::Dir);
        assert_eq!(r.string_within_transport(), input, "kept as written");
        assert_eq!(r.policy_identity(), img, "{input}");
        assert_eq!(r.policy_namespaces(), parents(&img), "{input}");
        assert!(r.docker_reference().is_none());
    }
    // dir namespaces exclude the identity itself: /a/b/c → /a/b, /a.
    let ns = parse(&format!("dir:{img}"));
    assert_eq!(
        ns.policy_namespaces().first(),
        Some(&format!("{root}/real/sub"))
    );
}

#[test]
fn dir_missing_last_component_resolves_through_the_parent() {
    let (_guard, root) = tree();
    let r = parse(&format!("dir:{root}/link/sub/new"));
    assert_eq!(r.policy_identity(), format!("{root}/real/sub/new"));
    assert_eq!(r.string_within_transport(), format!("{root}/link/sub/new"));
}

#[test]
fn dir_resolution_failures() {
    let (_guard, root) = tree();
    // Parent missing.
    let path = format!("{root}/link/missing/new");
    assert!(matches!(
        err(&format!("dir:{path}")),
        TransportError::PathResolution { transport: Transport::Dir, path: p, kind: io::ErrorKind::NotFound, .. } if p == path
    ));
    // A dangling symlink exists (lstat) but cannot be resolved.
    assert!(matches!(
        err(&format!("dir:{root}/dangling")),
        TransportError::PathResolution {
            kind: io::ErrorKind::NotFound,
            ..
        }
    ));
    // A file used as a directory: ENOTDIR is not "does not exist".
    assert!(matches!(
        err(&format!("dir:{root}/real/file.sif/x")),
        TransportError::PathResolution {
            kind: io::ErrorKind::NotADirectory,
            ..
        }
    ));
    // `missing/..`: lstat fails, and so does resolving the parent `missing/`.
    assert!(matches!(
        err(&format!("dir:{root}/real/sub/new/..")),
        TransportError::PathResolution { .. }
    ));
    // A NUL byte cannot be passed to the kernel.
    assert!(matches!(
        err("dir:/tmp/a\0b"),
        TransportError::PathResolution {
            kind: io::ErrorKind::InvalidInput,
            ..
        }
    ));
    // Longer than PATH_MAX: the kernel refuses it, as it does for c/image.
    let long = format!("/{}", "a/".repeat(2100));
    assert!(matches!(
        err(&format!("dir:{long}")),
        TransportError::PathResolution { .. }
    ));
}

#[test]
fn dir_relative_and_special_paths() {
    // Relative paths resolve against the current directory (the crate root under
    // cargo test). A guard directory keeps the test independent of other tests.
    let cwd = std::env::current_dir().expect("cwd");
    let work = tempfile::Builder::new()
        .prefix(".transport-test")
        .tempdir_in(&cwd)
        .expect("tempdir");
    let name = work
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .expect("name")
        .to_owned();
    let canonical_cwd = fs::canonicalize(&cwd).expect("canonical");
    let canonical_cwd = canonical_cwd.to_str().expect("utf-8");
    let r = parse(&format!("dir:{name}"));
    assert_eq!(r.policy_identity(), format!("{canonical_cwd}/{name}"));
    assert_eq!(r.string_within_transport(), name);
    let r = parse(&format!("dir:./{name}/new"));
    assert_eq!(r.policy_identity(), format!("{canonical_cwd}/{name}/new"));

    // `dir:` is the current directory; `.` too (oracle: same identity).
    assert_eq!(parse("dir:").policy_identity(), canonical_cwd);
    assert_eq!(parse("dir:.").policy_identity(), canonical_cwd);
    let parent = Path::new(canonical_cwd)
        .parent()
        .and_then(Path::to_str)
        .expect("parent");
    assert_eq!(parse("dir:..").policy_identity(), parent);

    // `/` has no namespaces in either style.
    let r = parse("dir:/");
    assert_eq!(r.policy_identity(), "/");
    assert!(r.policy_namespaces().is_empty());
    let r = parse("oci:/");
    assert_eq!(r.policy_identity(), "/");
    assert!(r.policy_namespaces().is_empty());
    // One level.
    let tmp = fs::canonicalize("/tmp").expect("tmp");
    let tmp = tmp.to_str().expect("utf-8");
    assert_eq!(parse("dir:/tmp").policy_namespaces(), parents(tmp));
    assert_eq!(parse("oci:/tmp").policy_namespaces(), with_self(tmp));
}

#[test]
fn sif_is_like_dir() {
    let (_guard, root) = tree();
    let file = format!("{root}/real/file.sif");
    let r = parse(&format!("sif:{root}/link/file.sif"));
    assert_eq!(r.transport(), Transport::Sif);
    assert_eq!(r.policy_identity(), file);
    assert_eq!(r.policy_namespaces(), parents(&file));
    assert_eq!(r.string_within_transport(), format!("{root}/link/file.sif"));
    assert!(r.docker_reference().is_none());
    let r = parse(&format!("sif:{root}/link/new.sif"));
    assert_eq!(r.policy_identity(), format!("{root}/real/new.sif"));
    assert!(matches!(
        err(&format!("sif:{root}/nothere/x.sif")),
        TransportError::PathResolution {
            transport: Transport::Sif,
            ..
        }
    ));
}

#[test]
fn oci_identity_excludes_the_image_and_namespaces_include_it() {
    let (_guard, root) = tree();
    let img = format!("{root}/real/sub/img");
    for (input, within) in [
        (img.clone(), format!("{img}:")),
        (format!("{img}:"), format!("{img}:")),
        (
            format!("{root}/link/sub/img:a"),
            format!("{root}/link/sub/img:a"),
        ),
        (
            format!("{img}:a/b.c-d--e:f@g+h_i"),
            format!("{img}:a/b.c-d--e:f@g+h_i"),
        ),
        // Only the first `:` ends the path.
        (format!("{img}:a:b:c"), format!("{img}:a:b:c")),
        (format!("{img}:@0"), format!("{img}:@0")),
        (format!("{img}:@007"), format!("{img}:@7")),
        (format!("{img}:@+2"), format!("{img}:@2")),
    ] {
        let r = parse(&format!("oci:{input}"));
        assert_eq!(r.transport(), Transport::Oci);
        assert_eq!(r.string_within_transport(), within, "{input}");
        assert_eq!(r.to_string(), format!("oci:{within}"));
        assert_eq!(r.policy_identity(), img, "{input}");
        assert_eq!(r.policy_namespaces(), with_self(&img), "{input}");
        assert!(r.docker_reference().is_none());
    }
    let r = parse(&format!("oci:{root}/real/sub/new:x"));
    assert_eq!(r.policy_identity(), format!("{root}/real/sub/new"));
}

#[test]
fn oci_rejections() {
    let (_guard, root) = tree();
    let img = format!("{root}/real/sub/img");
    for bad in [
        "-a", "a-", "a---b", "a/", "/a", "a//b", ".a", "a..b", "é", "a b", "a:",
    ] {
        assert_eq!(
            err(&format!("oci:{img}:{bad}")),
            TransportError::InvalidOciImageName {
                transport: Transport::Oci,
                image: bad.into()
            },
            "{bad}"
        );
    }
    assert_eq!(
        err(&format!("oci:{img}:@x")),
        TransportError::InvalidSourceIndex {
            transport: Transport::Oci,
            index: "x".into()
        }
    );
    assert_eq!(
        err(&format!("oci:{img}:@")),
        TransportError::InvalidSourceIndex {
            transport: Transport::Oci,
            index: String::new()
        }
    );
    assert_eq!(
        err(&format!("oci:{img}:@-1")),
        TransportError::NegativeSourceIndex {
            transport: Transport::Oci,
            index: -1
        }
    );
    // Index errors come before path errors; path errors before image-name errors.
    assert!(matches!(
        err(&format!("oci:{root}/missing/x:@x")),
        TransportError::InvalidSourceIndex { .. }
    ));
    assert!(matches!(
        err(&format!("oci:{root}/missing/x:-bad")),
        TransportError::PathResolution { .. }
    ));
}

#[test]
fn oci_archive_is_like_oci() {
    let (_guard, root) = tree();
    let file = format!("{root}/real/file.sif");
    let r = parse(&format!("oci-archive:{root}/link/file.sif:ref"));
    assert_eq!(r.transport(), Transport::OciArchive);
    assert_eq!(r.policy_identity(), file);
    assert_eq!(r.policy_namespaces(), with_self(&file));
    assert_eq!(
        r.string_within_transport(),
        format!("{root}/link/file.sif:ref")
    );
    let r = parse(&format!("oci-archive:{root}/real/new.tar:@3"));
    assert_eq!(r.policy_identity(), format!("{root}/real/new.tar"));
    assert_eq!(
        r.string_within_transport(),
        format!("{root}/real/new.tar:@3")
    );
    assert!(matches!(
        err(&format!("oci-archive:{root}/real/file.sif:-x")),
        TransportError::InvalidOciImageName {
            transport: Transport::OciArchive,
            ..
        }
    ));
    assert!(matches!(
        err(&format!("oci-archive:{root}/real/x.tar:@-2")),
        TransportError::NegativeSourceIndex {
            transport: Transport::OciArchive,
            index: -2
        }
    ));
}

// directory_transport_test.go / oci_transport_test.go, plus oracle-checked extras.
#[test]
fn path_scopes() {
    for name in ["dir", "sif", "oci", "oci-archive"] {
        let transport = Transport::from_name(name).expect("known");
        for ok in ["/etc", "/this/does/not/exist", "/a:b", "/a@b", "/ ", "/..."] {
            assert_eq!(validate_scope(name, ok), Ok(()), "{name} {ok}");
        }
        for relative in ["relative/path", "a", ".", " /a", "[/x]"] {
            assert_eq!(
                validate_scope(name, relative),
                Err(ScopeError::NotAbsolute {
                    transport,
                    scope: relative.into()
                }),
                "{name} {relative}"
            );
        }
        assert_eq!(
            validate_scope(name, "/"),
            Err(ScopeError::RootDirectory { transport })
        );
        for (unclean, clean) in [
            ("/double//slashes", "/double/slashes"),
            ("/has/./dot", "/has/dot"),
            ("/has/dot/../dot", "/has/dot"),
            ("/trailing/slash/", "/trailing/slash"),
            ("//a", "/a"),
            ("/..", "/"),
        ] {
            assert_eq!(
                validate_scope(name, unclean),
                Err(ScopeError::NotClean {
                    transport,
                    scope: unclean.into(),
                    clean: clean.into()
                }),
                "{name} {unclean}"
            );
        }
    }
}

#[test]
fn non_utf8_resolution_is_refused() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let (_guard, root) = tree();
    let target = PathBuf::from(&root).join(OsStr::from_bytes(b"bad\xff"));
    fs::create_dir(&target).expect("mkdir");
    symlink(&target, PathBuf::from(&root).join("tobad")).expect("symlink");
    assert_eq!(
        err(&format!("dir:{root}/tobad")),
        TransportError::PathNotUtf8 {
            transport: Transport::Dir,
            path: format!("{root}/tobad")
        }
    );
}

#[test]
fn resolved_chains_are_valid_scopes() {
    let (_guard, root) = tree();
    for input in [
        format!("dir:{root}/link/sub/img"),
        format!("sif:{root}/link/file.sif"),
        format!("oci:{root}/link/sub/img:a"),
        format!("oci-archive:{root}/link/new.tar"),
    ] {
        let r = parse(&input);
        let name = r.transport().name();
        for key in std::iter::once(r.policy_identity())
            .chain(r.policy_namespaces().iter().map(String::as_str))
        {
            assert_eq!(validate_scope(name, key), Ok(()), "{input}: {key}");
        }
    }
}
