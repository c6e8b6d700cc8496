//! `signedIdentity` matching: does an image accept a signature that claims identity
//! `signed`? (policy-semantics.md §6.2, §6.3; signature-formats.md §5.1)
//!
//! `image` is the image's Docker reference (`None` for transports without one, such as
//! `dir:`); `signed` is the raw `docker-reference` string from a verified payload.
//! Anything that does not parse is "no match", never an error.

use crate::policy::SignedIdentity;
use crate::reference::Reference;

/// True when `identity` accepts a signature claiming `signed` for an image whose
/// reference is `image`.
pub fn identity_matches(
    identity: &SignedIdentity,
    image: Option<&Reference>,
    signed: &str,
) -> bool {
    match identity {
        SignedIdentity::MatchExact => {
            let (Some(image), Some(signed)) = (image, parse(signed)) else {
                return false;
            };
            !image.is_name_only()
                && !signed.is_name_only()
                && signed.to_string() == image.to_string()
        }
        SignedIdentity::MatchRepoDigestOrExact => match (image, parse(signed)) {
            (Some(image), Some(signed)) => repo_digest_or_exact(image, &signed),
            _ => false,
        },
        SignedIdentity::MatchRepository => match (image, parse(signed)) {
            (Some(image), Some(signed)) => signed.name() == image.name(),
            _ => false,
        },
        SignedIdentity::ExactReference(exact) => {
            let (Some(wanted), Some(signed)) = (parse(exact.docker_reference()), parse(signed))
            else {
                return false;
            };
            !wanted.is_name_only()
                && !signed.is_name_only()
                && signed.to_string() == wanted.to_string()
        }
        SignedIdentity::ExactRepository(exact) => {
            match (parse(exact.docker_repository()), parse(signed)) {
                (Some(wanted), Some(signed)) => signed.name() == wanted.name(),
                _ => false,
            }
        }
        SignedIdentity::RemapIdentity(remap) => {
            let (Some(image), Some(signed)) = (image, parse(signed)) else {
                return false;
            };
            match remapped(image, remap.prefix(), remap.signed_prefix()) {
                Remap::NotUnderPrefix => repo_digest_or_exact(image, &signed),
                Remap::Rewritten(rewritten) => repo_digest_or_exact(&rewritten, &signed),
                Remap::Invalid => false,
            }
        }
    }
}

fn parse(s: &str) -> Option<Reference> {
    Reference::parse_normalized(s).ok()
}

/// `matchRepoDigestOrExact`: exact for tagged images (tag+digest images count as
/// tagged); same repository for digest-only images; never for name-only images.
fn repo_digest_or_exact(image: &Reference, signed: &Reference) -> bool {
    if signed.is_name_only() {
        return false;
    }
    if image.tag().is_some() {
        signed.to_string() == image.to_string()
    } else if image.digest().is_some() {
        signed.name() == image.name()
    } else {
        false
    }
}

enum Remap {
    NotUnderPrefix,
    Rewritten(Reference),
    /// The prefix matched but the rewritten reference is not canonical: no signature
    /// can match (c/image's `ParseNamed` refuses it).
    Invalid,
}

/// Rewrites `image` from `prefix` to `signed_prefix` when its name is `prefix` or lies
/// below it on a path-component boundary.
fn remapped(image: &Reference, prefix: &str, signed_prefix: &str) -> Remap {
    let name = image.name();
    let under_prefix = match name.strip_prefix(prefix) {
        Some("") => true,
        Some(rest) => rest.starts_with('/'),
        None => false,
    };
    if !under_prefix {
        return Remap::NotUnderPrefix;
    }
    let full = image.to_string();
    let rest = full.get(prefix.len()..).unwrap_or_default();
    match Reference::parse_canonical(&format!("{signed_prefix}{rest}")) {
        Ok(rewritten) => Remap::Rewritten(rewritten),
        Err(_) => Remap::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{ExactReference, ExactRepository, RemapIdentity};

    const D1: &str = "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const D2: &str = "@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const RHEL: &str = "registry.access.redhat.com/rhel7/rhel:7.2.3";

    fn r(s: &str) -> Reference {
        Reference::parse_normalized(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn d(name: &str, digest: &str) -> String {
        format!("{name}{digest}")
    }

    /// Pairs that must match, and pairs that must not.
    type Table = (Vec<(String, String)>, Vec<(String, String)>);

    /// policy-semantics.md §6.4, exact-match table (symmetric).
    fn exact_table() -> Table {
        let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        let yes = vec![
            s("busybox:latest", "busybox:latest"),
            s(RHEL, RHEL),
            (d("busybox", D1), d("busybox", D1)),
            s("library/busybox:latest", "busybox:latest"),
            s("docker.io/library/busybox:latest", "busybox:latest"),
            (d("library/busybox", D1), d("busybox", D1)),
            (d("busybox:latest", D1), d("busybox:latest", D1)),
        ];
        let no = vec![
            s("busybox:latest", "busybox:notlatest"),
            s("busybox:latest", "notbusybox:latest"),
            s("busybox:latest", "hostname/library/busybox:notlatest"),
            s("hostname/library/busybox:latest", "busybox:notlatest"),
            s("busybox:latest", RHEL),
            (d("busybox", D1), d("notbusybox", D1)),
            (s("busybox:latest", &d("busybox", D1))),
            (d("busybox", D1), d("busybox", D2)),
            s("busybox", "busybox:latest"),
            (s("busybox", &d("busybox", D1))),
            s("busybox", "busybox"),
            (d("busybox:latest", D1), "busybox:latest".to_owned()),
            (d("busybox:latest", D1), d("busybox", D1)),
            (d("busybox:latest", D1), d("busybox:latest", D2)),
            s(
                "UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES",
                "busybox:latest",
            ),
            s("", "busybox:latest"),
            s("INVALID", "INVALID"),
        ];
        (yes, no)
    }

    /// policy-semantics.md §6.4, repository table (symmetric).
    fn repository_table() -> Table {
        let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        let yes = vec![
            s("busybox:latest", "busybox:latest"),
            s("busybox", "busybox:notlatest"),
            s(RHEL, "registry.access.redhat.com/rhel7/rhel"),
            s("busybox", &d("busybox", D1)),
            (d("busybox", D1), d("busybox", D2)),
            (d("busybox:latest", D1), "busybox:latest".to_owned()),
            s("docker.io/library/busybox", "busybox"),
            s("busybox", "busybox"),
        ];
        let no = vec![
            s("busybox:latest", "notbusybox:latest"),
            s("busybox", "hostname/library/busybox"),
            s(RHEL, "busybox"),
            s("UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES", "busybox"),
            s("", "busybox"),
        ];
        (yes, no)
    }

    /// Applies `identity` with `image` parsed when valid.
    fn matches(identity: &SignedIdentity, image: &str, signed: &str) -> bool {
        let image = Reference::parse_normalized(image).ok();
        identity_matches(identity, image.as_ref(), signed)
    }

    #[test]
    fn match_exact_follows_the_exact_table_both_ways() {
        let (yes, no) = exact_table();
        for (a, b) in &yes {
            assert!(matches(&SignedIdentity::MatchExact, a, b), "{a} ~ {b}");
            assert!(matches(&SignedIdentity::MatchExact, b, a), "{b} ~ {a}");
            // "true" rows are also accepted by matchRepoDigestOrExact.
            assert!(
                matches(&SignedIdentity::MatchRepoDigestOrExact, a, b),
                "{a} ~ {b}"
            );
        }
        for (a, b) in &no {
            assert!(!matches(&SignedIdentity::MatchExact, a, b), "{a} !~ {b}");
            assert!(!matches(&SignedIdentity::MatchExact, b, a), "{b} !~ {a}");
        }
    }

    #[test]
    fn exact_reference_follows_the_exact_table_with_either_side_configured() {
        let (yes, no) = exact_table();
        for (a, b) in yes.iter().chain(&no) {
            let expected = yes.contains(&(a.clone(), b.clone()));
            for (configured, signed) in [(a, b), (b, a)] {
                let Ok(exact) = ExactReference::new(configured.as_str()) else {
                    // Not a valid configured reference (name-only or invalid): cannot be built.
                    continue;
                };
                let identity = SignedIdentity::ExactReference(exact);
                // The image is ignored: any (or no) image reference gives the same answer.
                assert_eq!(
                    identity_matches(&identity, None, signed),
                    expected,
                    "{configured} ~ {signed}"
                );
                assert_eq!(
                    identity_matches(&identity, Some(&r("unrelated/image:tag")), signed),
                    expected
                );
            }
        }
    }

    #[test]
    fn match_repository_and_exact_repository_follow_the_repository_table() {
        let (yes, no) = repository_table();
        for (a, b) in yes.iter().chain(&no) {
            let expected = yes.contains(&(a.clone(), b.clone()));
            for (x, y) in [(a, b), (b, a)] {
                assert_eq!(
                    matches(&SignedIdentity::MatchRepository, x, y),
                    expected,
                    "{x} ~ {y}"
                );
                if let Ok(exact) = ExactRepository::new(x.as_str()) {
                    let identity = SignedIdentity::ExactRepository(exact);
                    assert_eq!(identity_matches(&identity, None, y), expected, "{x} ~ {y}");
                }
            }
        }
        // "false" rows are also rejected by matchRepoDigestOrExact.
        for (a, b) in &no {
            assert!(!matches(&SignedIdentity::MatchRepoDigestOrExact, a, b));
        }
    }

    #[test]
    fn match_repo_digest_or_exact_asymmetric_table() {
        let id = SignedIdentity::MatchRepoDigestOrExact;
        let no = [
            ("busybox:latest", "busybox:notlatest".to_owned()),
            ("busybox", "busybox:latest".to_owned()),
            ("busybox:latest", "busybox".to_owned()),
            ("busybox", d("busybox", D1)),
            (RHEL, "registry.access.redhat.com/rhel7/rhel".to_owned()),
            ("busybox:latest", d("busybox", D1)),
        ];
        for (image, signed) in &no {
            assert!(!matches(&id, image, signed), "{image} / {signed}");
        }
        assert!(!matches(&id, &d("busybox", D1), "busybox"));
        let tagged_digested = d("busybox:latest", D1);
        for signed in [
            "busybox:latest".to_owned(),
            "busybox:notlatest".to_owned(),
            d("busybox:latest", D2),
            d("busybox:notlatest", D2),
        ] {
            assert!(!matches(&id, &tagged_digested, &signed), "{signed}");
        }
        // Digest-only images accept any tag, and any digest, in the same repository.
        assert!(matches(&id, &d("busybox", D1), "busybox:latest"));
        assert!(matches(&id, &d("busybox", D1), &d("busybox", D2)));
        assert!(!matches(&id, &d("busybox", D1), "notbusybox:latest"));
    }

    #[test]
    fn nil_image_references_match_only_configured_identities() {
        for identity in [
            SignedIdentity::MatchExact,
            SignedIdentity::MatchRepoDigestOrExact,
            SignedIdentity::MatchRepository,
            SignedIdentity::RemapIdentity(
                RemapIdentity::new("docker.io", "example.com").unwrap_or_else(|e| panic!("{e}")),
            ),
        ] {
            assert!(!identity_matches(&identity, None, "busybox:latest"));
            assert!(!identity_matches(&identity, None, ""));
        }
        let exact = SignedIdentity::ExactReference(
            ExactReference::new("busybox:latest").unwrap_or_else(|e| panic!("{e}")),
        );
        assert!(identity_matches(&exact, None, "busybox:latest"));
        let repo = SignedIdentity::ExactRepository(
            ExactRepository::new("busybox").unwrap_or_else(|e| panic!("{e}")),
        );
        assert!(identity_matches(&repo, None, "busybox:anything"));
        assert!(identity_matches(&repo, None, "busybox"));
    }

    fn remap(prefix: &str, signed_prefix: &str) -> SignedIdentity {
        SignedIdentity::RemapIdentity(
            RemapIdentity::new(prefix, signed_prefix).unwrap_or_else(|e| panic!("{e}")),
        )
    }

    #[test]
    fn remap_identity_rewrites_the_image_side_on_component_boundaries() {
        let m = remap("mirror.example", "vendor.example");
        assert!(matches(
            &m,
            "mirror.example/ns/image:tag",
            "vendor.example/ns/image:tag"
        ));
        // Once the prefix matches, only the rewritten identity is acceptable.
        assert!(!matches(
            &m,
            "mirror.example/ns/image:tag",
            "mirror.example/ns/image:tag"
        ));
        // Not under the prefix: plain matchRepoDigestOrExact.
        assert!(matches(
            &m,
            "prefixmirror.example/ns/image:tag",
            "prefixmirror.example/ns/image:tag"
        ));
        assert!(!matches(
            &m,
            "prefixmirror.example/ns/image:tag",
            "vendor.example/ns/image:tag"
        ));
        // host:port must match exactly.
        assert!(!matches(
            &m,
            "mirror.example:5000/x:1",
            "vendor.example:5000/x:1"
        ));
        assert!(!matches(
            &remap("example.com:5000", "x.com"),
            "example.com:50000/x:1",
            "x.com/x:1"
        ));
        // Tag and digest are preserved; digest-only images accept any signature in the
        // rewritten repository.
        let tagged_digested = d("mirror.example/image:tag", D1);
        assert!(matches(
            &m,
            &tagged_digested,
            &d("vendor.example/image:tag", D1)
        ));
        assert!(matches(
            &m,
            &d("mirror.example/x", D1),
            "vendor.example/x:whatever"
        ));
        // Docker Hub prefixes.
        // A name-only image matches nothing, rewritten or not.
        assert!(!matches(
            &remap("docker.io", "not-docker-signed.example/ns"),
            "busybox",
            "not-docker-signed.example/ns/library/busybox:latest"
        ));
        assert!(matches(
            &remap("docker.io", "not-docker-signed.example/ns"),
            "busybox:latest",
            "not-docker-signed.example/ns/library/busybox:latest"
        ));
        assert!(matches(
            &remap("docker.io/library", "not-docker-signed.example/ns"),
            "busybox:latest",
            "not-docker-signed.example/ns/busybox:latest"
        ));
        assert!(matches(
            &remap(
                "docker.io/library/busybox",
                "not-docker-signed.example/ns/notbusybox"
            ),
            "busybox:latest",
            "not-docker-signed.example/ns/notbusybox:latest"
        ));
        assert!(!matches(
            &remap("docker.io/library", "x.example"),
            "docker.io/libraryy/x:1",
            "x.example/y/x:1"
        ));
    }

    #[test]
    fn remap_identity_to_a_non_canonical_name_matches_nothing() {
        // vendor.example:5000:tag is invalid; with a digest it parses as
        // docker.io/library/vendor.example:5000@… which is not canonical.
        let m = remap("mirror.example/ns/image", "vendor.example:5000");
        assert!(!matches(
            &m,
            "mirror.example/ns/image:tag",
            "vendor.example:5000:tag"
        ));
        assert!(!matches(
            &m,
            &d("mirror.example/ns/image", D1),
            &d("vendor.example:5000", D1)
        ));
        assert!(!matches(
            &remap("mirror.example", "notlocalhost"),
            "mirror.example/x:tag",
            "notlocalhost/x:tag"
        ));
        // Rewriting into Docker Hub official images needs docker.io/library.
        assert!(!matches(
            &remap("mirror.example", "docker.io"),
            "mirror.example/busybox:latest",
            "busybox:latest"
        ));
        assert!(matches(
            &remap("mirror.example", "docker.io/library"),
            "mirror.example/busybox:latest",
            "busybox:latest"
        ));
        // Prefixes that can never match an image name (names always carry a host).
        assert!(matches(
            &remap("busybox", "x.com"),
            "busybox:latest",
            "busybox:latest"
        ));
        assert!(!matches(
            &remap("busybox", "x.com"),
            "busybox:latest",
            "x.com:latest"
        ));
    }
}
