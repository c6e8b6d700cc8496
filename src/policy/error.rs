//! Errors for invalid policies: what is wrong, where (line, column, JSON path), and
//! what was expected.
//!
//! containers/image flattens every parse failure into one string without location
//! (policy-semantics.md §1.1, §2.1); our verdicts are the same, our messages say where
//! and why.

use std::fmt;

use crate::reference::ReferenceError;
use crate::transport::ScopeError;

/// A 1-based line and column in the policy text (columns count bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// Line number, starting at 1.
    pub line: usize,
    /// Column number in bytes, starting at 1.
    pub column: usize,
}

/// One step of a [`JsonPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// Where in the document a value is, e.g. `transports.docker["quay.io/org"][0].keyPaths[1]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct JsonPath {
    segments: Vec<PathSegment>,
}

impl JsonPath {
    /// The path of the document's top-level value.
    pub fn root() -> Self {
        Self::default()
    }

    /// Builds a path from its segments.
    pub fn from_segments(segments: Vec<PathSegment>) -> Self {
        Self { segments }
    }

    /// The segments, outermost first.
    pub fn segments(&self) -> &[PathSegment] {
        &self.segments
    }

    /// True for the top-level value.
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    /// This path extended by one object member.
    pub fn key(mut self, key: &str) -> Self {
        self.segments.push(PathSegment::Key(key.to_owned()));
        self
    }

    /// This path extended by one array element.
    pub fn index(mut self, index: usize) -> Self {
        self.segments.push(PathSegment::Index(index));
        self
    }
}

/// True when `key` can be written as `.key` rather than `["key"]`.
fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            return f.write_str("(top level)");
        }
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                PathSegment::Key(key) if is_identifier(key) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(key)?;
                }
                PathSegment::Key(key) => write!(f, "[{}]", quote(key))?,
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// The JSON spelling of a string, for messages.
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// The JSON type of a value that was found where something else was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonType {
    /// `null`
    Null,
    /// `true` or `false`
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl fmt::Display for JsonType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JsonType::Null => "null",
            JsonType::Bool => "a boolean",
            JsonType::Number => "a number",
            JsonType::String => "a string",
            JsonType::Array => "an array",
            JsonType::Object => "an object",
        })
    }
}

/// Lists names as `a, b and c`.
fn list(names: &[&str]) -> String {
    match names {
        [] => "none".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// What is wrong with a policy. Every variant carries the values a program needs to
/// react; `Display` writes a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyErrorKind {
    /// The text is not JSON (RFC 8259): serde_json's description of the problem.
    #[error("invalid JSON: {message}")]
    Syntax {
        /// What the JSON reader reported.
        message: String,
    },
    /// The policy is larger than this crate reads.
    #[error("the policy is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// Size of the input.
        size: u64,
        /// The limit, [`crate::policy::MAX_POLICY_SIZE`].
        limit: u64,
    },
    /// A value has the wrong JSON type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// What the position requires, e.g. "a string".
        expected: &'static str,
        /// What the document holds.
        found: JsonType,
    },
    /// An object has the same member twice (c/image: `Duplicate key`).
    #[error("duplicate key {}", quote(key))]
    DuplicateKey {
        /// The repeated key.
        key: String,
    },
    /// An object has a member its type does not define (c/image: `Unknown key`).
    #[error(
        "unknown key {} in {context}; allowed keys are {}",
        quote(key),
        list(allowed)
    )]
    UnknownKey {
        /// The unexpected key.
        key: String,
        /// What kind of object it is in, e.g. "a signedBy requirement".
        context: &'static str,
        /// The keys this object may have.
        allowed: &'static [&'static str],
    },
    /// A mandatory member is absent (c/image: `Key "…" missing in a JSON object`).
    #[error("{context} needs the key {}", quote(key))]
    MissingKey {
        /// The missing key.
        key: &'static str,
        /// What kind of object it is, e.g. "an exactReference identity".
        context: &'static str,
    },
    /// The top-level object has no `default` (c/image: `Default policy is missing`).
    #[error("the policy has no \"default\" requirements; every policy needs one")]
    MissingDefault,
    /// A requirement list is empty or `null`.
    #[error("a list of requirements must not be empty")]
    EmptyRequirements,
    /// A requirement's `type` names no requirement type.
    #[error(
        "unknown requirement type {}; known types are {}",
        quote(found),
        list(crate::policy::REQUIREMENT_TYPES)
    )]
    UnknownRequirementType {
        /// The type that was written.
        found: String,
    },
    /// A `signedIdentity` (or `baseLayerIdentity`) `type` names no identity type.
    #[error(
        "unknown identity type {}; known types are {}",
        quote(found),
        list(crate::policy::IDENTITY_TYPES)
    )]
    UnknownIdentityType {
        /// The type that was written.
        found: String,
    },
    /// A scope key is not valid for its transport (c/image: `Unknown key "<scope>"`).
    #[error(
        "scope {} is not valid for transport {}: {reason}",
        quote(scope),
        quote(transport)
    )]
    InvalidScope {
        /// The transport section.
        transport: String,
        /// The scope key.
        scope: String,
        /// Why the transport refuses it.
        reason: Box<ScopeError>,
    },
    /// `signedBy.keyType` is not one of the four known values.
    #[error(
        "unknown keyType {}; expected one of GPGKeys, signedByGPGKeys, X509Certificates and signedByX509CAs",
        quote(found)
    )]
    InvalidKeyType {
        /// The value written (`""` for `null`).
        found: String,
    },
    /// A base64 field is not standard, padded base64.
    #[error("invalid base64 (standard alphabet with padding is required): {reason}")]
    InvalidBase64 {
        /// What the decoder reported.
        reason: String,
    },
    /// A `signedBy` requirement does not have exactly one of keyPath, keyPaths and keyData.
    #[error(
        "a signedBy requirement needs exactly one of keyPath, keyPaths and keyData; found {}",
        list(found)
    )]
    SignedByKeySources {
        /// The key-source members present.
        found: Vec<&'static str>,
    },
    /// A key source is present but empty or `null`, so it names no key.
    #[error("{field} is {what}, so it names no key")]
    EmptyKeySource {
        /// The member.
        field: &'static str,
        /// "empty" or "null".
        what: &'static str,
    },
    /// A list-valued option is present but has no entries.
    #[error("{field} contains no entries")]
    EmptyList {
        /// The member.
        field: &'static str,
    },
    /// A `sigstoreSigned` requirement does not have exactly one key source.
    #[error(
        "a sigstoreSigned requirement needs exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio and pki; found {}",
        list(found)
    )]
    SigstoreKeySources {
        /// The key sources present (empty strings do not count).
        found: Vec<&'static str>,
    },
    /// More than one Rekor key source.
    #[error(
        "at most one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and rekorPublicKeyDatas may be used; found {}",
        list(found)
    )]
    RekorKeySources {
        /// The Rekor key sources present.
        found: Vec<&'static str>,
    },
    /// `fulcio` without any Rekor key.
    #[error(
        "fulcio requires a Rekor key: set one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and rekorPublicKeyDatas"
    )]
    FulcioWithoutRekor,
    /// `pki` with a Rekor key.
    #[error("pki does not use Rekor: remove {}", list(found))]
    RekorWithPki {
        /// The Rekor key sources present.
        found: Vec<&'static str>,
    },
    /// Both the path and the data form of one certificate source.
    #[error("{path_field} and {data_field} cannot be used together")]
    ConflictingSources {
        /// The path member.
        path_field: &'static str,
        /// The data member.
        data_field: &'static str,
    },
    /// Neither the path nor the data form of a mandatory certificate source.
    #[error("one of {path_field} and {data_field} must be specified")]
    MissingSource {
        /// The path member.
        path_field: &'static str,
        /// The data member.
        data_field: &'static str,
    },
    /// A mandatory string option is absent or empty.
    #[error("{field} must be specified and not empty")]
    MissingValue {
        /// The member.
        field: &'static str,
    },
    /// `pki` has neither `subjectEmail` nor `subjectHostname`.
    #[error("pki needs at least one of subjectEmail and subjectHostname")]
    PkiWithoutSubject,
    /// A Docker reference in an identity does not parse.
    #[error("{field} {} is not a valid Docker reference: {source}", quote(value))]
    InvalidReference {
        /// The member (`dockerReference`, `dockerRepository`).
        field: &'static str,
        /// Its value.
        value: String,
        /// Why it does not parse.
        source: ReferenceError,
    },
    /// `exactReference.dockerReference` has neither a tag nor a digest.
    #[error("dockerReference {} has neither a tag nor a digest", quote(value))]
    ReferenceWithoutTagOrDigest {
        /// Its value.
        value: String,
    },
    /// A `remapIdentity` prefix is not a host, or a host followed by a repository path.
    #[error(
        "{field} {} is not valid: it must be a registry host[:port], optionally followed by /namespace path components",
        quote(value)
    )]
    InvalidRemapPrefix {
        /// `prefix` or `signedPrefix`.
        field: &'static str,
        /// Its value.
        value: String,
    },
}

/// An invalid policy: what is wrong ([`PolicyError::kind`]), where in the JSON
/// ([`PolicyError::path`]) and, for parsed text, at which line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError(Box<Inner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: PolicyErrorKind,
    path: JsonPath,
    position: Option<Position>,
}

impl PolicyError {
    /// An error at `path` without a text position (for policies built in code).
    pub fn new(kind: PolicyErrorKind, path: JsonPath) -> Self {
        Self(Box::new(Inner {
            kind,
            path,
            position: None,
        }))
    }

    pub(crate) fn with_position(mut self, position: Option<Position>) -> Self {
        self.0.position = position;
        self
    }

    /// What is wrong.
    pub fn kind(&self) -> &PolicyErrorKind {
        &self.0.kind
    }

    /// Where in the document.
    pub fn path(&self) -> &JsonPath {
        &self.0.path
    }

    /// Line and column in the text, when the policy was parsed from text.
    pub fn position(&self) -> Option<Position> {
        self.0.position
    }

    /// The 1-based line, when known.
    pub fn line(&self) -> Option<usize> {
        self.0.position.map(|p| p.line)
    }

    /// The 1-based byte column, when known.
    pub fn column(&self) -> Option<usize> {
        self.0.position.map(|p| p.column)
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(Position { line, column }) = self.0.position {
            write!(f, "line {line}, column {column}: ")?;
        }
        if !self.0.path.is_root() {
            write!(f, "{}: ", self.0.path)?;
        }
        write!(f, "{}", self.0.kind)
    }
}

impl std::error::Error for PolicyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.kind {
            PolicyErrorKind::InvalidScope { reason, .. } => Some(reason.as_ref()),
            PolicyErrorKind::InvalidReference { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_use_dots_for_identifiers_and_brackets_otherwise() {
        let path = JsonPath::root()
            .key("transports")
            .key("docker")
            .key("quay.io/org")
            .index(0)
            .key("keyPaths")
            .index(1);
        assert_eq!(
            path.to_string(),
            r#"transports.docker["quay.io/org"][0].keyPaths[1]"#
        );
        assert_eq!(
            JsonPath::root()
                .key("transports")
                .key("docker-daemon")
                .to_string(),
            r#"transports["docker-daemon"]"#
        );
        assert_eq!(JsonPath::root().to_string(), "(top level)");
        assert_eq!(JsonPath::root().key("").to_string(), r#"[""]"#);
    }

    #[test]
    fn display_names_position_path_and_problem() {
        let err = PolicyError::new(
            PolicyErrorKind::UnknownRequirementType {
                found: "sigstoreSignd".into(),
            },
            JsonPath::root().key("default").index(0),
        )
        .with_position(Some(Position { line: 3, column: 9 }));
        let text = err.to_string();
        assert_eq!(
            text,
            "line 3, column 9: default[0]: unknown requirement type \"sigstoreSignd\"; known types are insecureAcceptAnything, reject, signedBy, sigstoreSigned and signedBaseLayer"
        );
    }
}
