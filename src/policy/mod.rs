//! The typed model of `policy.json`: reading it strictly, writing it back, building
//! and editing it in code, and finding the system's policy file.
//!
//! A [`Policy`] is plain data. Reading one never touches key files; paths in it are
//! kept verbatim (c/image resolves relative key paths against the process's working
//! directory at evaluation time, not against the policy file).
//!
//! ```
//! use containers_policy::Policy;
//!
//! let policy = Policy::from_str(r#"{
//!     "default": [{"type": "reject"}],
//!     "transports": {"docker": {"quay.io/org": [{"type": "insecureAcceptAnything"}]}}
//! }"#)?;
//! assert_eq!(policy.scopes("docker").map(|s| s.len()), Some(1));
//!
//! let err = Policy::from_str(r#"{"default": [{"type": "rejekt"}]}"#).unwrap_err();
//! assert_eq!(err.line(), Some(1));
//! assert_eq!(err.path().to_string(), "default[0]");
//! # Ok::<(), containers_policy::PolicyError>(())
//! ```

mod builder;
mod discover;
mod error;
mod go_text;
mod identity;
mod lint;
mod parse;
mod requirement;
mod serialize;

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

pub use builder::PolicyBuilder;
pub use discover::{DiscoveryOptions, LoadError};
pub use error::{JsonPath, JsonType, PathSegment, PolicyError, PolicyErrorKind, Position};
pub use identity::{
    ExactReference, ExactRepository, IDENTITY_TYPES, RemapIdentity, SignedIdentity,
};
pub use lint::{Warning, WarningKind};
pub use requirement::{
    CertSource, Fulcio, GpgKeySource, KeyType, Pki, REQUIREMENT_TYPES, RekorKeys, Requirement,
    SignedBaseLayer, SignedBy, SigstoreKeys, SigstoreSigned,
};

use crate::transport;

/// The largest policy this crate reads: 16 MiB. containers/image has no limit, but real
/// policies are a few kilobytes; a bound keeps hostile input from exhausting memory.
pub const MAX_POLICY_SIZE: u64 = 16 * 1024 * 1024;

/// The scopes of one transport section: scope key to requirements.
pub type Scopes = BTreeMap<String, Vec<Requirement>>;

/// A parsed `policy.json`.
///
/// Invariants (kept by the parser, the builder and the editing methods): every
/// requirement list is non-empty and every scope key is valid for its transport, so
/// [`Policy::to_json`] always produces a document that parses back to an equal policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    default: Vec<Requirement>,
    transports: BTreeMap<String, Scopes>,
}

impl Policy {
    pub(crate) fn from_parts(
        default: Vec<Requirement>,
        transports: BTreeMap<String, Scopes>,
    ) -> Self {
        Self {
            default,
            transports,
        }
    }

    /// Parses policy.json bytes with containers/image's verdicts (policy-semantics.md
    /// §2–§6): every file it accepts is accepted, every file it rejects is rejected.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, PolicyError> {
        parse::parse_policy(bytes)
    }

    /// Parses policy.json text; see [`Policy::from_slice`].
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str) -> Result<Self, PolicyError> {
        parse::parse_policy(text.as_bytes())
    }

    /// Reads and parses a policy file (at most [`MAX_POLICY_SIZE`] bytes).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let bytes = read_bounded(path)?;
        Self::from_slice(&bytes).map_err(|source| LoadError::Invalid {
            path: path.to_owned(),
            source,
        })
    }

    /// Finds and parses the system's policy as containers/image's `DefaultPolicy`
    /// does, using the process environment (policy-semantics.md §1.3). Returns the
    /// policy and the path it was read from.
    pub fn from_default_location() -> Result<(Self, PathBuf), LoadError> {
        DiscoveryOptions::from_env().load()
    }

    /// A builder for policies made in code.
    pub fn builder(default: Vec<Requirement>) -> PolicyBuilder {
        PolicyBuilder::new(default)
    }

    /// The global default requirements, used when no transport section matches.
    pub fn default_requirements(&self) -> &[Requirement] {
        &self.default
    }

    /// The transport sections, by transport name.
    pub fn transports(&self) -> &BTreeMap<String, Scopes> {
        &self.transports
    }

    /// The scopes of one transport section, if the policy has it.
    pub fn scopes(&self, transport: &str) -> Option<&Scopes> {
        self.transports.get(transport)
    }

    /// The requirements of one scope (`""` is the transport-wide scope).
    pub fn requirements(&self, transport: &str, scope: &str) -> Option<&[Requirement]> {
        self.transports
            .get(transport)
            .and_then(|scopes| scopes.get(scope))
            .map(Vec::as_slice)
    }

    /// Replaces the global default requirements; they must not be empty.
    pub fn set_default(&mut self, requirements: Vec<Requirement>) -> Result<(), PolicyError> {
        check_requirements(&requirements, JsonPath::root().key("default"))?;
        self.default = requirements;
        Ok(())
    }

    /// Sets the requirements of a scope, returning the ones it replaces. The list must
    /// not be empty and the scope must be valid for the transport.
    pub fn set_scope(
        &mut self,
        transport: &str,
        scope: &str,
        requirements: Vec<Requirement>,
    ) -> Result<Option<Vec<Requirement>>, PolicyError> {
        let path = JsonPath::root().key("transports").key(transport).key(scope);
        check_scope(transport, scope, path.clone())?;
        check_requirements(&requirements, path)?;
        Ok(self
            .transports
            .entry(transport.to_owned())
            .or_default()
            .insert(scope.to_owned(), requirements))
    }

    /// Removes a scope, returning its requirements. An emptied transport section stays
    /// (as `{}`), which c/image treats like an absent one except that its `""` scope is
    /// gone.
    pub fn remove_scope(&mut self, transport: &str, scope: &str) -> Option<Vec<Requirement>> {
        self.transports.get_mut(transport)?.remove(scope)
    }

    /// Removes a whole transport section.
    pub fn remove_transport(&mut self, transport: &str) -> Option<Scopes> {
        self.transports.remove(transport)
    }

    /// Adds an empty transport section (`"name": {}`) if there is none.
    pub fn add_transport(&mut self, transport: &str) {
        self.transports.entry(transport.to_owned()).or_default();
    }

    /// The policy as compact JSON, members in a stable order.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The policy as indented JSON, members in a stable order.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl std::str::FromStr for Policy {
    type Err = PolicyError;

    fn from_str(text: &str) -> Result<Self, PolicyError> {
        Policy::from_str(text)
    }
}

fn check_requirements(requirements: &[Requirement], path: JsonPath) -> Result<(), PolicyError> {
    if requirements.is_empty() {
        return Err(PolicyError::new(PolicyErrorKind::EmptyRequirements, path));
    }
    Ok(())
}

fn check_scope(transport: &str, scope: &str, path: JsonPath) -> Result<(), PolicyError> {
    transport::validate_scope(transport, scope).map_err(|reason| {
        PolicyError::new(
            PolicyErrorKind::InvalidScope {
                transport: transport.to_owned(),
                scope: scope.to_owned(),
                reason: Box::new(reason),
            },
            path,
        )
    })
}

/// Reads a file of at most [`MAX_POLICY_SIZE`] bytes.
fn read_bounded(path: &Path) -> Result<Vec<u8>, LoadError> {
    let read_error = |source| LoadError::Read {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    file.take(MAX_POLICY_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > MAX_POLICY_SIZE {
        return Err(LoadError::Invalid {
            path: path.to_owned(),
            source: PolicyError::new(
                PolicyErrorKind::TooLarge {
                    size,
                    limit: MAX_POLICY_SIZE,
                },
                JsonPath::root(),
            ),
        });
    }
    Ok(bytes)
}
