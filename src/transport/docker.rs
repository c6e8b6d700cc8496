//! The transports named by a Docker reference: `docker`, `atomic`, `docker-daemon`,
//! and the shared naming of policy-semantics.md §8.2
//! (`docker/policyconfiguration/naming.go`).

use super::{ImageReference, ScopeError, Transport, TransportError};
use crate::digest::Digest;
use crate::reference::Reference;

/// Suffix of `docker://name@@unknown-digest@@`, a push destination with neither tag
/// nor digest.
const UNKNOWN_DIGEST_SUFFIX: &str = "@@unknown-digest@@";

/// `DockerReferenceIdentity`: the scope key naming exactly `reference`,
/// `name:tag` or `name@digest`.
///
/// Returns `None` when the reference has both a tag and a digest, or neither: c/image
/// refuses those (the transports using this naming reject them when parsing).
pub fn docker_reference_identity(reference: &Reference) -> Option<String> {
    match (reference.tag(), reference.digest()) {
        (Some(tag), None) => Some(format!("{}:{tag}", reference.name())),
        (None, Some(digest)) => Some(format!("{}@{digest}", reference.name())),
        _ => None,
    }
}

/// `DockerReferenceNamespaces`: the repository name, each parent namespace down to
/// the bare host (with any port), then `*.`-wildcards of the host without its port,
/// dropping one leading label at a time.
///
/// `example.com:5000/ns/repo` gives `example.com:5000/ns/repo`,
/// `example.com:5000/ns`, `example.com:5000`, `*.com`. A tag or digest is ignored.
pub fn docker_reference_namespaces(reference: &Reference) -> Vec<String> {
    let full = reference.name();
    let mut namespaces = Vec::new();
    let mut name = full.as_str();
    loop {
        namespaces.push(name.to_owned());
        match name.rfind('/') {
            Some(slash) => name = name.get(..slash).unwrap_or_default(),
            None => break,
        }
    }
    // The port is stripped before wildcards are formed (c/image: "the most
    // compatible behavior").
    if let Some(colon) = name.find(':') {
        name = name.get(..colon).unwrap_or_default();
    }
    while let Some(dot) = name.find('.') {
        name = name.get(dot + 1..).unwrap_or_default();
        namespaces.push(format!("*.{name}"));
    }
    namespaces
}

/// `docker:` references: `//` then a Docker reference; name-only gets `:latest`;
/// tag plus digest is refused; `//name@@unknown-digest@@` names a repository
/// without tag or digest.
pub(super) fn parse_docker(reference: &str) -> Result<ImageReference, TransportError> {
    let Some(rest) = reference.strip_prefix("//") else {
        return Err(TransportError::DockerMissingSlashes {
            reference: reference.to_owned(),
        });
    };
    let (text, unknown_digest) = match rest.strip_suffix(UNKNOWN_DIGEST_SUFFIX) {
        Some(text) => (text, true),
        None => (rest, false),
    };
    let parsed = parse_named(Transport::Docker, text)?;

    if unknown_digest {
        if !parsed.is_name_only() {
            return Err(TransportError::UnknownDigestNotNameOnly {
                reference: format!("{parsed}{UNKNOWN_DIGEST_SUFFIX}"),
            });
        }
        let name = parsed.name();
        // The repository itself is the identity, so it is dropped from the
        // namespaces (c/image removes the first element when it equals the name).
        let namespaces = docker_reference_namespaces(&parsed);
        let skip = usize::from(namespaces.first() == Some(&name));
        return Ok(ImageReference {
            transport: Transport::Docker,
            within_transport: format!("//{}{UNKNOWN_DIGEST_SUFFIX}", parsed.familiar_string()),
            identity: name,
            namespaces: namespaces.into_iter().skip(skip).collect(),
            docker_reference: Some(parsed),
        });
    }

    let parsed = parsed.with_default_tag();
    let within_transport = format!("//{}", parsed.familiar_string());
    named_reference(Transport::Docker, parsed, within_transport)
}

/// `atomic:` references: `hostname/namespace/stream:tag` (normalised like any Docker
/// reference, so `ns/stream:tag` means `docker.io/ns/stream:tag`).
pub(super) fn parse_atomic(reference: &str) -> Result<ImageReference, TransportError> {
    let parsed = parse_named(Transport::Atomic, reference)?;
    if parsed.tag().is_none() {
        return Err(TransportError::AtomicNotTagged {
            reference: reference.to_owned(),
        });
    }
    if parsed.path().splitn(3, '/').count() != 2 {
        return Err(TransportError::AtomicBadPath {
            reference: reference.to_owned(),
            path: parsed.path().to_owned(),
        });
    }
    // c/image accepts `…:tag@digest` here and then panics computing the policy
    // identity; refusing it is the only safe equivalent.
    let within_transport = parsed.familiar_string();
    named_reference(Transport::Atomic, parsed, within_transport)
}

/// `docker-daemon:` references: a sha256 image ID (`sha256:<64 hex>`), or a Docker
/// reference with a tag or a digest (no implicit `:latest`).
pub(super) fn parse_daemon(reference: &str) -> Result<ImageReference, TransportError> {
    if let Ok(id) = Digest::parse(reference) {
        if id.algorithm() != "sha256" {
            return Err(TransportError::DaemonDigestAlgorithm {
                reference: reference.to_owned(),
                algorithm: id.algorithm().to_owned(),
            });
        }
        // Image IDs cannot be namespaced: they all fall under the "" scope.
        return Ok(ImageReference {
            transport: Transport::DockerDaemon,
            within_transport: id.to_string(),
            identity: String::new(),
            namespaces: Vec::new(),
            docker_reference: None,
        });
    }
    let parsed = parse_named(Transport::DockerDaemon, reference)?;
    // FamiliarName == "sha256": the daemon reserves that repository for IDs.
    if parsed.domain() == "docker.io" && parsed.path() == "library/sha256" {
        return Err(TransportError::DaemonReservedName {
            reference: reference.to_owned(),
        });
    }
    if parsed.is_name_only() {
        return Err(TransportError::NameOnly {
            transport: Transport::DockerDaemon,
            reference: reference.to_owned(),
        });
    }
    let within_transport = parsed.familiar_string();
    named_reference(Transport::DockerDaemon, parsed, within_transport)
}

/// `ParseNormalizedNamed`, with the error attributed to `transport`.
fn parse_named(transport: Transport, text: &str) -> Result<Reference, TransportError> {
    Reference::parse_normalized(text).map_err(|source| TransportError::InvalidDockerReference {
        transport,
        reference: text.to_owned(),
        source,
    })
}

/// An image named by `parsed`, which must have exactly one of tag and digest, with
/// the §8.2 identity and namespaces.
fn named_reference(
    transport: Transport,
    parsed: Reference,
    within_transport: String,
) -> Result<ImageReference, TransportError> {
    let Some(identity) = docker_reference_identity(&parsed) else {
        return Err(if parsed.is_name_only() {
            TransportError::NameOnly {
                transport,
                reference: parsed.to_string(),
            }
        } else {
            TransportError::TagAndDigest {
                transport,
                reference: parsed.to_string(),
            }
        });
    };
    Ok(ImageReference {
        transport,
        within_transport,
        identity,
        namespaces: docker_reference_namespaces(&parsed),
        docker_reference: Some(parsed),
    })
}

/// `atomic` scopes: the regex `^[^/]*(/[^:/]*(/[^:/]*(:[^:/]*)?)?)?$`, i.e. `host`,
/// `host/ns`, `host/ns/stream` or `host/ns/stream:tag` (the host part may hold
/// anything but `/`).
pub(super) fn validate_atomic_scope(scope: &str) -> Result<(), ScopeError> {
    let parts: Vec<&str> = scope.split('/').collect();
    let valid = match parts.as_slice() {
        [_host] => true,
        [_host, ns] => !ns.contains(':'),
        [_host, ns, stream] => !ns.contains(':') && stream.matches(':').count() <= 1,
        _ => false,
    };
    if valid {
        Ok(())
    } else {
        Err(ScopeError::InvalidAtomicScope {
            scope: scope.to_owned(),
        })
    }
}

/// `docker-daemon` scopes: anything except a valid digest (image IDs all share the
/// `""` scope).
pub(super) fn validate_daemon_scope(scope: &str) -> Result<(), ScopeError> {
    if Digest::parse(scope).is_ok() {
        return Err(ScopeError::DigestNotAllowed {
            scope: scope.to_owned(),
        });
    }
    Ok(())
}
