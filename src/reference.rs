//! c/image's fork of the Docker reference grammar (policy-semantics.md §7).
//!
//! STUB: the public API below is the contract; the helper fills in the bodies.

use std::fmt;

use crate::digest::{Digest, DigestError};

/// Why a string is not a valid Docker reference (policy-semantics.md §7.3).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReferenceError {
    /// The string does not match the reference grammar (`invalid reference format`).
    #[error("invalid reference format")]
    InvalidFormat,
    /// The repository part contains upper-case letters.
    #[error("invalid reference format: repository name must be lowercase")]
    NameNotLowercase,
    /// The normalised name is longer than 255 characters.
    #[error("repository name must not be more than 255 characters (found {length})")]
    NameTooLong {
        /// Length of the normalised name.
        length: usize,
    },
    /// The string is a 64-character hexadecimal identifier, which cannot be a name.
    #[error("invalid repository name ({0}), cannot specify 64-byte hexadecimal strings")]
    HexIdentifier(String),
    /// The digest part is not a valid digest.
    #[error("invalid digest: {0}")]
    Digest(#[from] DigestError),
    /// [`Reference::parse_canonical`] was given a string that is not in canonical form.
    #[error("repository name must be canonical: {input:?} normalises to {canonical:?}")]
    NotCanonical {
        /// The input.
        input: String,
        /// Its canonical form.
        canonical: String,
    },
}

/// A parsed, normalised Docker reference: `domain/path[:tag][@digest]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    domain: String,
    path: String,
    tag: Option<String>,
    digest: Option<Digest>,
}

impl Reference {
    /// `ParseNormalizedNamed`: parses `s`, adding `docker.io` and `library/` as needed.
    pub fn parse_normalized(s: &str) -> Result<Self, ReferenceError> {
        let _ = s;
        Err(ReferenceError::InvalidFormat)
    }

    /// `ParseNamed`: like [`Reference::parse_normalized`], but `s` must already be canonical.
    pub fn parse_canonical(s: &str) -> Result<Self, ReferenceError> {
        let _ = s;
        Err(ReferenceError::InvalidFormat)
    }

    /// The full name, `domain/path` (e.g. `docker.io/library/busybox`).
    pub fn name(&self) -> String {
        if self.domain.is_empty() {
            self.path.clone()
        } else {
            format!("{}/{}", self.domain, self.path)
        }
    }

    /// The domain (`docker.io`, `example.com:5000`); empty in the `foo_bar.com/repo` quirk.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The path below the domain (`library/busybox`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The tag, if any.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The digest, if any.
    pub fn digest(&self) -> Option<&Digest> {
        self.digest.as_ref()
    }

    /// True when the reference has neither a tag nor a digest.
    pub fn is_name_only(&self) -> bool {
        self.tag.is_none() && self.digest.is_none()
    }

    /// `TagNameOnly`: adds `:latest` to a name-only reference.
    pub fn with_default_tag(self) -> Self {
        self
    }

    /// The familiar form (`busybox:latest` for `docker.io/library/busybox:latest`).
    pub fn familiar_string(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Reference {
    /// The canonical string: name, then `:tag`, then `@digest`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

/// True when `s` fully matches the reference grammar's `domain` rule
/// (`domainComponent(\.domainComponent)*(:[0-9]+)?`).
pub fn is_domain(s: &str) -> bool {
    let _ = s;
    false
}

/// True when `s` fully matches the reference grammar's `name` rule
/// (`(domain/)?nameComponent(/nameComponent)*`), without normalisation.
pub fn is_name(s: &str) -> bool {
    let _ = s;
    false
}
