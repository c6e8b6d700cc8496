//! `signedIdentity`: which Docker reference a signature must claim for an image
//! (policy-semantics.md §6).

use crate::reference::{self, Reference};

use super::error::{JsonPath, PolicyError, PolicyErrorKind};

/// The identity types, in the order the documentation lists them.
pub const IDENTITY_TYPES: &[&str] = &[
    "matchExact",
    "matchRepoDigestOrExact",
    "matchRepository",
    "exactReference",
    "exactRepository",
    "remapIdentity",
];

/// A `signedIdentity` rule (c/image's `PolicyReferenceMatch`).
///
/// The default, when a requirement has no `signedIdentity`, is
/// [`SignedIdentity::MatchRepoDigestOrExact`]; an explicit `null` is an error.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum SignedIdentity {
    /// The signature must claim exactly the image's reference (tag or digest included).
    MatchExact,
    /// Exact for tagged images; for digest-only images, any reference in the same
    /// repository (the digest itself is checked separately).
    #[default]
    MatchRepoDigestOrExact,
    /// The signature must claim the image's repository; tags and digests are ignored.
    MatchRepository,
    /// The signature must claim this reference, whatever the image's.
    ExactReference(ExactReference),
    /// The signature must claim this repository, whatever the image's.
    ExactRepository(ExactRepository),
    /// Rewrite the image's reference from `prefix` to `signedPrefix`, then apply
    /// [`SignedIdentity::MatchRepoDigestOrExact`].
    RemapIdentity(RemapIdentity),
}

impl SignedIdentity {
    /// The `type` string of this identity in policy.json.
    pub fn type_name(&self) -> &'static str {
        match self {
            SignedIdentity::MatchExact => "matchExact",
            SignedIdentity::MatchRepoDigestOrExact => "matchRepoDigestOrExact",
            SignedIdentity::MatchRepository => "matchRepository",
            SignedIdentity::ExactReference(_) => "exactReference",
            SignedIdentity::ExactRepository(_) => "exactRepository",
            SignedIdentity::RemapIdentity(_) => "remapIdentity",
        }
    }
}

/// The value of an `exactReference` identity: a reference with a tag or a digest.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExactReference {
    docker_reference: String,
}

impl ExactReference {
    /// Validates `docker_reference` as c/image does: it must parse as a normalised
    /// Docker reference and carry a tag or a digest. It is kept verbatim.
    pub fn new(docker_reference: impl Into<String>) -> Result<Self, PolicyError> {
        let docker_reference = docker_reference.into();
        Self::validate(&docker_reference)
            .map_err(|kind| PolicyError::new(kind, JsonPath::root()))?;
        Ok(Self { docker_reference })
    }

    pub(crate) fn validate(value: &str) -> Result<(), PolicyErrorKind> {
        let parsed = Reference::parse_normalized(value).map_err(|source| {
            PolicyErrorKind::InvalidReference {
                field: "dockerReference",
                value: value.to_owned(),
                source,
            }
        })?;
        if parsed.is_name_only() {
            return Err(PolicyErrorKind::ReferenceWithoutTagOrDigest {
                value: value.to_owned(),
            });
        }
        Ok(())
    }

    pub(crate) fn new_unchecked(docker_reference: String) -> Self {
        Self { docker_reference }
    }

    /// The reference as written in the policy.
    pub fn docker_reference(&self) -> &str {
        &self.docker_reference
    }
}

/// The value of an `exactRepository` identity. A tag or digest in it is allowed and
/// ignored, as in c/image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExactRepository {
    docker_repository: String,
}

impl ExactRepository {
    /// Validates `docker_repository`: it must parse as a normalised Docker reference.
    pub fn new(docker_repository: impl Into<String>) -> Result<Self, PolicyError> {
        let docker_repository = docker_repository.into();
        Self::validate(&docker_repository)
            .map_err(|kind| PolicyError::new(kind, JsonPath::root()))?;
        Ok(Self { docker_repository })
    }

    pub(crate) fn validate(value: &str) -> Result<(), PolicyErrorKind> {
        Reference::parse_normalized(value)
            .map(|_| ())
            .map_err(|source| PolicyErrorKind::InvalidReference {
                field: "dockerRepository",
                value: value.to_owned(),
                source,
            })
    }

    pub(crate) fn new_unchecked(docker_repository: String) -> Self {
        Self { docker_repository }
    }

    /// The repository as written in the policy.
    pub fn docker_repository(&self) -> &str {
        &self.docker_repository
    }
}

/// The value of a `remapIdentity` identity.
///
/// Quirk kept from c/image: prefixes such as `shortname` or `ns/shortname` are valid
/// but can never match, because image names always carry a registry host.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RemapIdentity {
    prefix: String,
    signed_prefix: String,
}

impl RemapIdentity {
    /// Validates both prefixes with c/image's `validateIdentityRemappingPrefix`.
    pub fn new(
        prefix: impl Into<String>,
        signed_prefix: impl Into<String>,
    ) -> Result<Self, PolicyError> {
        let prefix = prefix.into();
        let signed_prefix = signed_prefix.into();
        Self::validate_prefix("prefix", &prefix)
            .and_then(|()| Self::validate_prefix("signedPrefix", &signed_prefix))
            .map_err(|kind| PolicyError::new(kind, JsonPath::root()))?;
        Ok(Self {
            prefix,
            signed_prefix,
        })
    }

    /// A prefix is valid when it is a registry host (`example.com`, `example.com:5000`)
    /// or a valid repository name that starts with such a host and a `/`
    /// (policy-semantics.md §6.1).
    pub(crate) fn validate_prefix(field: &'static str, value: &str) -> Result<(), PolicyErrorKind> {
        let host_then_path = value
            .split_once('/')
            .is_some_and(|(host, _)| reference::is_domain(host));
        if reference::is_domain(value) || (reference::is_name(value) && host_then_path) {
            Ok(())
        } else {
            Err(PolicyErrorKind::InvalidRemapPrefix {
                field,
                value: value.to_owned(),
            })
        }
    }

    pub(crate) fn new_unchecked(prefix: String, signed_prefix: String) -> Self {
        Self {
            prefix,
            signed_prefix,
        }
    }

    /// The prefix matched against the image's name.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The prefix it is replaced with before matching the signature.
    pub fn signed_prefix(&self) -> &str {
        &self.signed_prefix
    }
}
