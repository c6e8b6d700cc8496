//! Image references of every c/image transport (`TRANSPORT:REF`), their policy
//! identities and namespace chains, and per-transport scope validation
//! (policy-semantics.md §8).
//!
//! An [`ImageReference`] answers the three questions the policy evaluator asks of an
//! image: which scope keys of its transport's section apply, most specific first
//! ([`ImageReference::policy_identity`], then [`ImageReference::policy_namespaces`]),
//! and which Docker reference it claims ([`ImageReference::docker_reference`]).
//! [`validate_scope`] is the parse-time check of scope keys in `policy.json`.
//!
//! Paths are interpreted with Unix semantics (`/` separators, absolute means a
//! leading `/`), as on every platform podman, CRI-O, skopeo and buildah use policies.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::digest::DigestError;
use crate::reference::{Reference, ReferenceError};

mod archive;
mod docker;
mod path;
mod storage;

pub use docker::{docker_reference_identity, docker_reference_namespaces};

/// Longest `TRANSPORT:REF` string [`ImageReference::parse`] accepts, in bytes.
///
/// No valid reference comes close: Docker names are at most 255 bytes, tags 128,
/// digests 135, and the kernel refuses paths longer than 4095 bytes (so c/image
/// fails on them too); the bound only keeps hostile input from costing work.
pub const MAX_INPUT_LEN: usize = 8192;

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

    /// Validates a non-empty scope key of this transport's section
    /// (`ValidatePolicyConfigurationScope`); see [`validate_scope`].
    pub fn validate_scope(self, scope: &str) -> Result<(), ScopeError> {
        if scope.is_empty() {
            return Ok(());
        }
        match self {
            // c/image: "FIXME? We could be verifying the various character set and
            // length restrictions"; it does not, so neither do we.
            Transport::Docker | Transport::Ostree => Ok(()),
            Transport::Atomic => docker::validate_atomic_scope(scope),
            Transport::DockerDaemon => docker::validate_daemon_scope(scope),
            Transport::DockerArchive | Transport::Tarball => {
                Err(ScopeError::ScopesNotSupported { transport: self })
            }
            Transport::Dir | Transport::Sif | Transport::Oci | Transport::OciArchive => {
                path::validate_path_scope(self, scope)
            }
            Transport::ContainersStorage => storage::validate_scope(scope),
        }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The names of all transports, comma-separated, for error messages.
fn known_transport_names() -> String {
    Transport::ALL
        .iter()
        .map(|t| t.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a scope is not valid for its transport (c/image reports every one of these as
/// `Unknown key "<scope>"`; we say why).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScopeError {
    /// `docker-archive` and `tarball` images have no identity, so only `""` can apply.
    #[error("the {transport} transport supports no scopes except the default \"\"")]
    ScopesNotSupported {
        /// The transport.
        transport: Transport,
    },
    /// `atomic` scopes must be `host`, `host/namespace`, `host/namespace/stream` or
    /// `host/namespace/stream:tag`.
    #[error(
        "invalid atomic scope {scope:?}: expected host, host/namespace, host/namespace/stream or host/namespace/stream:tag"
    )]
    InvalidAtomicScope {
        /// The scope.
        scope: String,
    },
    /// A `docker-daemon` scope that is a digest: image IDs all share the `""` scope,
    /// so such a key could never match.
    #[error(
        "docker-daemon scope {scope:?} is an algo:digest value, which cannot be used as a namespace"
    )]
    DigestNotAllowed {
        /// The scope.
        scope: String,
    },
    /// A path scope (`dir`, `sif`, `oci`, `oci-archive`) that does not start with `/`.
    #[error("invalid {transport} scope {scope:?}: must be an absolute path")]
    NotAbsolute {
        /// The transport.
        transport: Transport,
        /// The scope.
        scope: String,
    },
    /// A path scope of `/`, which would shadow the transport-wide `""` scope.
    #[error("invalid {transport} scope \"/\": use the transport-wide default scope \"\"")]
    RootDirectory {
        /// The transport.
        transport: Transport,
    },
    /// A path scope that is not in canonical form, so it could never equal a
    /// resolved image path.
    #[error("invalid {transport} scope {scope:?}: not in canonical form, perhaps {clean:?}")]
    NotClean {
        /// The transport.
        transport: Transport,
        /// The scope.
        scope: String,
        /// Its canonical (cleaned) form.
        clean: String,
    },
    /// A `containers-storage` scope that does not start with a `[store]` specifier.
    #[error(
        "invalid containers-storage scope {scope:?}: must start with [driver@graphroot] or [graphroot]"
    )]
    StorageMissingStore {
        /// The scope.
        scope: String,
    },
    /// A `containers-storage` scope whose `[` has no matching `]`.
    #[error("invalid containers-storage scope {scope:?}: store specifier has no closing ']'")]
    StorageUnterminatedStore {
        /// The scope.
        scope: String,
    },
    /// A `containers-storage` store specifier that is empty or has an empty driver or
    /// graph root (`[]`, `[@/root]`, `[driver@]`).
    #[error(
        "invalid containers-storage scope {scope:?}: store specifier {store:?} is not [driver@graphroot] or [graphroot]"
    )]
    StorageInvalidStore {
        /// The scope.
        scope: String,
        /// The text between the brackets.
        store: String,
    },
    /// A `containers-storage` graph root that is not an absolute path.
    #[error(
        "invalid containers-storage scope {scope:?}: graph root {root:?} is not an absolute path"
    )]
    StorageRootNotAbsolute {
        /// The scope.
        scope: String,
        /// The graph root as written.
        root: String,
    },
    /// In `[store]name@X`, `X` is neither a full image ID (64 lowercase hex digits) nor
    /// a valid digest.
    #[error(
        "invalid containers-storage scope {scope:?}: {value:?} is neither a valid digest ({digest_error}) nor a full image ID"
    )]
    StorageNotDigestOrId {
        /// The scope.
        scope: String,
        /// The text after the `@`.
        value: String,
        /// Why it is not a digest.
        digest_error: DigestError,
    },
    /// In `[store]name@D@ID`, `D` is not a valid digest.
    #[error(
        "invalid containers-storage scope {scope:?}: {value:?} is not a valid digest: {source}"
    )]
    StorageInvalidDigest {
        /// The scope.
        scope: String,
        /// The digest text.
        value: String,
        /// Why it is invalid.
        source: DigestError,
    },
    /// In `[store]name@D@ID`, `ID` is not a full image ID (64 lowercase hex digits).
    #[error(
        "invalid containers-storage scope {scope:?}: {value:?} is not a full image ID (64 lowercase hex digits)"
    )]
    StorageInvalidImageId {
        /// The scope.
        scope: String,
        /// The ID text.
        value: String,
    },
}

/// Why an image reference could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The input is longer than [`MAX_INPUT_LEN`].
    #[error("image reference is {length} bytes long, more than the {max} accepted")]
    TooLong {
        /// Length of the input in bytes.
        length: usize,
        /// The maximum.
        max: usize,
    },
    /// The input has no `:` separating the transport from the reference.
    #[error("invalid image name {input:?}: expected colon-separated transport:reference")]
    MissingTransport {
        /// The input.
        input: String,
    },
    /// The transport name is not one c/image registers.
    #[error("invalid image name {input:?}: unknown transport {transport:?} (known: {known})")]
    UnknownTransport {
        /// The input.
        input: String,
        /// The transport name found.
        transport: String,
        /// The known transport names.
        known: String,
    },
    /// The transport exists only as a stub that refuses every reference (`ostree`).
    #[error(
        "the transport \"{transport}:\" is not supported (it was removed from containers/image)"
    )]
    UnsupportedTransport {
        /// The transport.
        transport: Transport,
    },
    /// A `docker:` reference that does not start with `//`.
    #[error("docker: image reference {reference:?} does not start with //")]
    DockerMissingSlashes {
        /// The reference (after `docker:`).
        reference: String,
    },
    /// The Docker reference part is not a valid reference.
    #[error("{transport}: invalid Docker reference {reference:?}: {source}")]
    InvalidDockerReference {
        /// The transport.
        transport: Transport,
        /// The text parsed as a Docker reference.
        reference: String,
        /// Why it is invalid.
        source: ReferenceError,
    },
    /// A reference with both a tag and a digest, which this transport refuses
    /// (policy namespaces would be ambiguous).
    #[error(
        "{transport}: reference {reference:?} has both a tag and a digest, which is not supported"
    )]
    TagAndDigest {
        /// The transport.
        transport: Transport,
        /// The reference.
        reference: String,
    },
    /// A reference with neither a tag nor a digest where one is required.
    #[error("{transport}: reference {reference:?} has neither a tag nor a digest")]
    NameOnly {
        /// The transport.
        transport: Transport,
        /// The reference.
        reference: String,
    },
    /// A `docker://name@@unknown-digest@@` reference whose name has a tag or digest.
    #[error(
        "docker: image reference {reference:?} has unknown digest set but it contains either a tag or digest"
    )]
    UnknownDigestNotNameOnly {
        /// The reference.
        reference: String,
    },
    /// An `atomic:` reference without a tag.
    #[error(
        "atomic: invalid image reference {reference:?}: expected format hostname/namespace/stream:tag"
    )]
    AtomicNotTagged {
        /// The reference.
        reference: String,
    },
    /// An `atomic:` reference whose repository path is not exactly `namespace/stream`.
    #[error(
        "atomic: invalid image reference {reference:?}: repository path {path:?} is not namespace/stream (expected hostname/namespace/stream:tag)"
    )]
    AtomicBadPath {
        /// The reference.
        reference: String,
        /// The repository path found.
        path: String,
    },
    /// A `docker-daemon:` image ID with an algorithm other than sha256.
    #[error(
        "docker-daemon: invalid reference {reference:?}: only digest algorithm sha256 is accepted, found {algorithm}"
    )]
    DaemonDigestAlgorithm {
        /// The reference.
        reference: String,
        /// The algorithm found.
        algorithm: String,
    },
    /// A `docker-daemon:` named reference to the repository `sha256`, which the daemon
    /// reserves for image IDs.
    #[error(
        "docker-daemon: invalid reference {reference:?}: the sha256 repository name is reserved for (non-shortened) digest references"
    )]
    DaemonReservedName {
        /// The reference.
        reference: String,
    },
    /// An `@N` source index that is not a decimal integer.
    #[error("{transport}: invalid source index \"@{index}\": not an integer")]
    InvalidSourceIndex {
        /// The transport.
        transport: Transport,
        /// The text after `@`.
        index: String,
    },
    /// A negative `@N` source index.
    #[error("{transport}: invalid source index @{index}: must not be negative")]
    NegativeSourceIndex {
        /// The transport.
        transport: Transport,
        /// The index.
        index: i64,
    },
    /// An empty `docker-archive:` reference.
    #[error("docker-archive: empty reference; expected <path>[:<reference>]")]
    EmptyArchiveReference,
    /// A `docker-archive:path:ref` reference without a tag (it has a digest).
    #[error("docker-archive: reference {reference:?} does not include a tag")]
    ArchiveNotTagged {
        /// The reference (canonical form).
        reference: String,
    },
    /// A `docker-archive:path:ref` reference with a digest.
    #[error("docker-archive: digest references are not supported: {reference:?}")]
    ArchiveDigest {
        /// The reference (canonical form).
        reference: String,
    },
    /// A `tarball:` file that cannot be opened.
    #[error("tarball: error opening {path:?}: {message}")]
    TarballOpen {
        /// The file.
        path: String,
        /// The kind of I/O failure.
        kind: io::ErrorKind,
        /// The operating system's message.
        message: String,
    },
    /// A path (`dir`, `oci`, `oci-archive`, `sif`) that cannot be resolved to an
    /// absolute, symlink-free path: it or its parent does not exist, or a symlink
    /// dangles, or a component is not a directory.
    #[error("{transport}: cannot resolve path {path:?}: {message}")]
    PathResolution {
        /// The transport.
        transport: Transport,
        /// The path as written.
        path: String,
        /// The kind of I/O failure.
        kind: io::ErrorKind,
        /// The operating system's message.
        message: String,
    },
    /// A non-existent path whose last component is `.` or `..`.
    #[error("{transport}: path {path:?} ends in a missing special component")]
    SpecialPathComponent {
        /// The transport.
        transport: Transport,
        /// The path as written.
        path: String,
    },
    /// A path that resolves to something that is not valid UTF-8, which cannot be a
    /// scope key.
    #[error("{transport}: path {path:?} resolves to a non-UTF-8 path")]
    PathNotUtf8 {
        /// The transport.
        transport: Transport,
        /// The path as written.
        path: String,
    },
    /// An `oci:`/`oci-archive:` image name (after the path's `:`) that is not a valid
    /// OCI reference name.
    #[error("{transport}: invalid image name {image:?}")]
    InvalidOciImageName {
        /// The transport.
        transport: Transport,
        /// The image name.
        image: String,
    },
    /// An empty `containers-storage:` reference (after any store specifier).
    #[error("containers-storage: empty reference {reference:?}")]
    StorageEmptyReference {
        /// The whole reference.
        reference: String,
    },
    /// A `containers-storage:` store specifier with no closing `]`.
    #[error("containers-storage: store specifier in {reference:?} has no closing ']'")]
    StorageUnterminatedStore {
        /// The reference.
        reference: String,
    },
    /// A `containers-storage:` store specifier that is empty or has an empty driver or
    /// graph root part.
    #[error(
        "containers-storage: invalid store specifier {store:?}: expected [driver@graphroot+runroot:options] or [graphroot]"
    )]
    StorageInvalidStore {
        /// The text between the brackets.
        store: String,
    },
    /// A `containers-storage:` graph root or run root that is not absolute.
    #[error("containers-storage: path {path:?} in the store specifier is not absolute")]
    StoragePathNotAbsolute {
        /// The path.
        path: String,
    },
    /// A `containers-storage:` graph driver containers/storage does not know.
    #[error("containers-storage: unknown graph driver {driver:?} (known: {known})")]
    StorageUnknownDriver {
        /// The driver named.
        driver: String,
        /// The known drivers.
        known: String,
    },
    /// The reference needs the default store (it names no store, no driver or no
    /// graph root) and [`ParseOptions::default_store`] is unset. c/image would read
    /// storage.conf and open the store; we cannot guess its driver and graph root.
    #[error(
        "containers-storage: reference {reference:?} does not name a complete store; write [driver@graphroot] explicitly or supply a default store"
    )]
    StorageNoDefaultStore {
        /// The reference.
        reference: String,
    },
    /// The default store's graph root is not an absolute UTF-8 path.
    #[error("containers-storage: default store graph root {root:?} is not an absolute UTF-8 path")]
    StorageInvalidDefaultRoot {
        /// The graph root, lossily converted.
        root: String,
    },
    /// A `containers-storage:` reference ending in `@` with nothing after it.
    #[error("containers-storage: empty trailing digest or ID in {reference:?}")]
    StorageEmptyId {
        /// The reference.
        reference: String,
    },
    /// A `containers-storage:` trailing `@X` that is neither a digest nor a full image
    /// ID. (c/image also accepts a prefix of an image present in the store; we cannot
    /// look into the store.)
    #[error("containers-storage: {value:?} does not look like an image ID or digest")]
    StorageNotDigestOrId {
        /// The text after the last `@`.
        value: String,
    },
}

/// Validates a non-empty scope key of `transport_name`'s section, as that transport's
/// `ValidatePolicyConfigurationScope` does. The scope `""` and transports c/image does
/// not register are always accepted.
pub fn validate_scope(transport_name: &str, scope: &str) -> Result<(), ScopeError> {
    match Transport::from_name(transport_name) {
        Some(transport) => transport.validate_scope(scope),
        None => Ok(()),
    }
}

/// Settings that c/image reads from the environment and we take from the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParseOptions {
    /// The default `containers-storage` store (`driver`, graph root) used when a
    /// reference names no store or no driver, as storage.conf would supply it.
    pub default_store: Option<(String, PathBuf)>,
}

impl ParseOptions {
    /// Options with `driver` and `graph_root` as the default `containers-storage`
    /// store.
    pub fn with_default_store(driver: impl Into<String>, graph_root: impl Into<PathBuf>) -> Self {
        ParseOptions {
            default_store: Some((driver.into(), graph_root.into())),
        }
    }
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
    ///
    /// Path transports consult the filesystem (as c/image does) to resolve the
    /// path; `containers-storage` references must name their store (see
    /// [`ImageReference::parse_with`]).
    pub fn parse(s: &str) -> Result<Self, TransportError> {
        Self::parse_with(s, &ParseOptions::default())
    }

    /// Like [`ImageReference::parse`], with explicit options.
    pub fn parse_with(s: &str, options: &ParseOptions) -> Result<Self, TransportError> {
        if s.len() > MAX_INPUT_LEN {
            return Err(TransportError::TooLong {
                length: s.len(),
                max: MAX_INPUT_LEN,
            });
        }
        let Some((name, rest)) = s.split_once(':') else {
            return Err(TransportError::MissingTransport {
                input: s.to_owned(),
            });
        };
        let Some(transport) = Transport::from_name(name) else {
            return Err(TransportError::UnknownTransport {
                input: s.to_owned(),
                transport: name.to_owned(),
                known: known_transport_names(),
            });
        };
        Self::parse_within(transport, rest, options)
    }

    /// Parses `reference` (the part after `TRANSPORT:`) as `transport`'s
    /// `ParseReference` does.
    pub fn parse_within(
        transport: Transport,
        reference: &str,
        options: &ParseOptions,
    ) -> Result<Self, TransportError> {
        if reference.len() > MAX_INPUT_LEN {
            return Err(TransportError::TooLong {
                length: reference.len(),
                max: MAX_INPUT_LEN,
            });
        }
        match transport {
            Transport::Docker => docker::parse_docker(reference),
            Transport::Atomic => docker::parse_atomic(reference),
            Transport::DockerDaemon => docker::parse_daemon(reference),
            Transport::DockerArchive => archive::parse_docker_archive(reference),
            Transport::Tarball => archive::parse_tarball(reference),
            Transport::Dir | Transport::Sif => path::parse_file_reference(transport, reference),
            Transport::Oci | Transport::OciArchive => path::parse_oci(transport, reference),
            Transport::ContainersStorage => storage::parse(reference, options),
            Transport::Ostree => Err(TransportError::UnsupportedTransport { transport }),
        }
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

    /// The scope keys to try, in order: the identity, then each namespace, then
    /// the transport-wide `""` (policy-semantics.md §8.1). The first key present in
    /// the transport's section wins; if none is, the global default applies. (An
    /// empty identity, as for `docker-daemon` image IDs, already selects `""`.)
    pub fn scope_candidates(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.identity.as_str())
            .chain(self.namespaces.iter().map(String::as_str))
            .chain(std::iter::once(""))
    }
}

impl fmt::Display for ImageReference {
    /// `transport:within-transport`, as c/image's `transports.ImageName`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.transport, self.within_transport)
    }
}

/// Go's `strconv.Atoi` for a source index after `@`.
fn parse_source_index(transport: Transport, text: &str) -> Result<u64, TransportError> {
    // i64 parsing accepts exactly what Atoi does: an optional sign and decimal digits,
    // failing on overflow.
    let Ok(index) = text.parse::<i64>() else {
        return Err(TransportError::InvalidSourceIndex {
            transport,
            index: text.to_owned(),
        });
    };
    u64::try_from(index).map_err(|_| TransportError::NegativeSourceIndex { transport, index })
}

#[cfg(test)]
mod tests;
