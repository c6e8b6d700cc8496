//! Image references of every c/image transport (`TRANSPORT:REF`), their policy
//! identities and namespace chains, and per-transport scope validation
//! (policy-semantics.md §8).
//!
//! STUB: the public API below is the contract; the helper fills in the bodies.

use std::fmt;
use std::path::PathBuf;

use crate::reference::Reference;

/// The transports containers/image registers through `alltransports`
/// (policy-semantics.md §8.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Transport {
    /// `docker`: a registry.
    Docker,
    /// `atomic`: OpenShift's integrated registry (deprecated).
    Atomic,
    /// `containers-storage`: local container storage.
    ContainersStorage,
    /// `dir`: a directory with `manifest.json` and blobs.
    Dir,
    /// `oci`: an OCI image layout directory.
    Oci,
    /// `oci-archive`: a tar archive of an OCI layout.
    OciArchive,
    /// `docker-archive`: a `docker save` tarball.
    DockerArchive,
    /// `docker-daemon`: the Docker engine's image store.
    DockerDaemon,
    /// `sif`: a Singularity image file.
    Sif,
    /// `tarball`: plain layer tarballs.
    Tarball,
    /// `ostree`: a removed transport; c/image keeps a stub that accepts every scope and
    /// refuses every reference.
    Ostree,
}

impl Transport {
    /// Every transport, in a stable order.
    pub const ALL: [Transport; 11] = [
        Transport::Docker,
        Transport::Atomic,
        Transport::ContainersStorage,
        Transport::Dir,
        Transport::Oci,
        Transport::OciArchive,
        Transport::DockerArchive,
        Transport::DockerDaemon,
        Transport::Sif,
        Transport::Tarball,
        Transport::Ostree,
    ];

    /// The name used in `policy.json` and in `TRANSPORT:REF` strings.
    pub fn name(self) -> &'static str {
        match self {
            Transport::Docker => "docker",
            Transport::Atomic => "atomic",
            Transport::ContainersStorage => "containers-storage",
            Transport::Dir => "dir",
            Transport::Oci => "oci",
            Transport::OciArchive => "oci-archive",
            Transport::DockerArchive => "docker-archive",
            Transport::DockerDaemon => "docker-daemon",
            Transport::Sif => "sif",
            Transport::Tarball => "tarball",
            Transport::Ostree => "ostree",
        }
    }

    /// The transport with this name, if c/image registers one.
    pub fn from_name(name: &str) -> Option<Transport> {
        Transport::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a scope is not valid for its transport (c/image reports every one of these as
/// `Unknown key "<scope>"`; we say why).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScopeError {
    /// Placeholder until the helper defines the real variants.
    #[error("invalid scope")]
    Invalid,
}

/// Why an image reference could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// Placeholder until the helper defines the real variants.
    #[error("invalid image reference")]
    Invalid,
}

/// Validates a non-empty scope key of `transport_name`'s section, as that transport's
/// `ValidatePolicyConfigurationScope` does. The scope `""` and transports c/image does
/// not register are always accepted.
pub fn validate_scope(transport_name: &str, scope: &str) -> Result<(), ScopeError> {
    let _ = (transport_name, scope);
    Ok(())
}

/// Settings that c/image reads from the environment and we take from the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParseOptions {
    /// The default `containers-storage` store (`driver`, graph root) used when a
    /// reference names no store or no driver, as storage.conf would supply it.
    pub default_store: Option<(String, PathBuf)>,
}

/// A parsed `TRANSPORT:REF` image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageReference {
    transport: Transport,
    within_transport: String,
    identity: String,
    namespaces: Vec<String>,
    docker_reference: Option<Reference>,
}

impl ImageReference {
    /// Parses `TRANSPORT:REF` as `alltransports.ParseImageName` does.
    pub fn parse(s: &str) -> Result<Self, TransportError> {
        Self::parse_with(s, &ParseOptions::default())
    }

    /// Like [`ImageReference::parse`], with explicit options.
    pub fn parse_with(s: &str, options: &ParseOptions) -> Result<Self, TransportError> {
        let _ = (s, options);
        Err(TransportError::Invalid)
    }

    /// The transport.
    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// The reference as written within its transport (`StringWithinTransport`).
    pub fn string_within_transport(&self) -> &str {
        &self.within_transport
    }

    /// `PolicyConfigurationIdentity`: the most specific scope key ("" if none).
    pub fn policy_identity(&self) -> &str {
        &self.identity
    }

    /// `PolicyConfigurationNamespaces`: fallback scope keys, most specific first
    /// (the transport-wide `""` scope is not included).
    pub fn policy_namespaces(&self) -> &[String] {
        &self.namespaces
    }

    /// The Docker reference the image claims, used by `signedIdentity` matching.
    pub fn docker_reference(&self) -> Option<&Reference> {
        self.docker_reference.as_ref()
    }
}

impl fmt::Display for ImageReference {
    /// `transport:within-transport`, as c/image's `transports.ImageName`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.transport, self.within_transport)
    }
}
