//! c/image's fork of the Docker reference grammar (policy-semantics.md §7).
//!
//! This is the grammar of `github.com/containers/image/v5/docker/reference`, which is a
//! fork of the *old* docker/distribution reference package. It differs from the newer
//! `github.com/distribution/reference`:
//!
//! * no IPv6 literals in the domain (`[::1]:5000/x` is invalid);
//! * a name component separator is `.`, `_`, `__` or *any number* of `-`;
//! * the domain/path split of a parsed name is recomputed by a regular expression with
//!   a greedy optional domain, so `foo_bar.com/repo` has an **empty** domain and the
//!   two-component path `foo_bar.com/repo` (it does not get `docker.io/` prepended).
//!
//! [`Reference::parse_normalized`] is `ParseNormalizedNamed`, the parser the policy code
//! uses everywhere. It does **not** add a default tag; use
//! [`Reference::with_default_tag`] for `TagNameOnly`.
//!
//! Error messages start with containers/image's own error text (sometimes followed by
//! details), so a prefix comparison with c/image messages works.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;

use crate::digest::{Digest, DigestError};

/// `NameTotalLengthMax`: the longest normalised name (`domain/path`) accepted.
pub const NAME_TOTAL_LENGTH_MAX: usize = 255;

/// The longest input [`Reference::parse_normalized`] looks at; longer inputs are rejected
/// up front with [`ReferenceError::InputTooLong`].
///
/// containers/image rejects all of them too (with some other error): an accepted
/// reference has a name of at most 255 characters in its normalised form (at most 261
/// in the input, as `index.docker.io/library/` is shortened to `docker.io/library/`), a
/// tag of at most 128 characters and a digest of at most `sha512:` plus 128 hex digits,
/// i.e. fewer than 530 bytes in total.
pub const MAX_INPUT_LENGTH: usize = 4096;

const DEFAULT_DOMAIN: &str = "docker.io";
const LEGACY_DEFAULT_DOMAIN: &str = "index.docker.io";
const OFFICIAL_REPO_NAME: &str = "library";
const DEFAULT_TAG: &str = "latest";

// The building blocks of `docker/reference/regexp.go`, written with the same structure
// (and therefore the same leftmost-first submatch priorities). `\w` is spelled out as
// the ASCII class because the `regex` crate's `\w` is Unicode-aware, unlike Go's.
const NAME_COMPONENT: &str = r"[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?";
const DOMAIN_COMPONENT: &str = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const TAG: &str = r"[0-9A-Za-z_][0-9A-Za-z_.-]{0,127}";
const DIGEST: &str = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}";

fn domain_pattern() -> String {
    format!(r"{DOMAIN_COMPONENT}(?:(?:\.{DOMAIN_COMPONENT})+)?(?::[0-9]+)?")
}

fn path_pattern() -> String {
    format!(r"{NAME_COMPONENT}(?:(?:/{NAME_COMPONENT})+)?")
}

fn name_pattern() -> String {
    format!(r"(?:{}/)?{}", domain_pattern(), path_pattern())
}

/// The compiled regular expressions of the grammar.
struct Grammar {
    /// `^domain$`.
    anchored_domain: Regex,
    /// `^domain/` (prefix match).
    domain_prefix: Regex,
    /// `^name$` (`NameRegexp`, anchored).
    anchored_name: Regex,
    /// `anchoredNameRegexp`: `^(?:(domain)/)?(path)$`.
    anchored_name_split: Regex,
    /// `ReferenceRegexp`: `^(name)(?::(tag))?(?:@(digest))?$`.
    reference: Regex,
}

/// Compiled once; `None` only if a pattern failed to compile, which the unit test
/// `grammar_compiles` rules out (every function then rejects everything).
static GRAMMAR: LazyLock<Option<Grammar>> = LazyLock::new(|| {
    let domain = domain_pattern();
    let name = name_pattern();
    Some(Grammar {
        anchored_domain: Regex::new(&format!("^{domain}$")).ok()?,
        domain_prefix: Regex::new(&format!("^{domain}/")).ok()?,
        anchored_name: Regex::new(&format!("^{name}$")).ok()?,
        anchored_name_split: Regex::new(&format!("^(?:({domain})/)?({})$", path_pattern())).ok()?,
        reference: Regex::new(&format!("^({name})(?::({TAG}))?(?:@({DIGEST}))?$")).ok()?,
    })
});

/// Why a string is not a valid Docker reference (policy-semantics.md §7.3).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReferenceError {
    /// The string does not match the reference grammar (`invalid reference format`).
    #[error("invalid reference format")]
    InvalidFormat,
    /// The repository part (the text after the domain, up to the first `:`) is not all
    /// lowercase. This is `ParseNormalizedNamed`'s own check, which runs before the
    /// grammar is applied.
    #[error("invalid reference format: repository name must be lowercase")]
    NameNotLowercase,
    /// The string does not match the grammar, but its lowercase form would. This is the
    /// error of c/image's inner `Parse` (`repository name must be lowercase`, without the
    /// `invalid reference format: ` prefix); after the [`ReferenceError::NameNotLowercase`]
    /// check it can only be reached through the non-ASCII characters `K` (U+212A KELVIN
    /// SIGN) and `İ` (U+0130), which Go lowercases to ASCII `k` and `i`.
    #[error("repository name must be lowercase")]
    NameContainsUppercase,
    /// The normalised name is longer than 255 characters.
    #[error("repository name must not be more than 255 characters (found {length})")]
    NameTooLong {
        /// Length of the normalised name.
        length: usize,
    },
    /// The string is a 64-character hexadecimal identifier, which cannot be a name.
    #[error("invalid repository name ({0}), cannot specify 64-byte hexadecimal strings")]
    HexIdentifier(String),
    /// The digest part is not a valid digest (the message is go-digest's).
    #[error(transparent)]
    Digest(#[from] DigestError),
    /// [`Reference::parse_canonical`] was given a string that is not in canonical form.
    #[error("repository name must be canonical: {input:?} normalises to {canonical:?}")]
    NotCanonical {
        /// The input.
        input: String,
        /// Its canonical form.
        canonical: String,
    },
    /// The input is longer than [`MAX_INPUT_LENGTH`] bytes; containers/image would reject
    /// it as well (with a different error), so no verdict changes.
    #[error("invalid reference format: input of {length} bytes is longer than {max} bytes")]
    InputTooLong {
        /// Length of the input in bytes.
        length: usize,
        /// The limit, [`MAX_INPUT_LENGTH`].
        max: usize,
    },
}

impl ReferenceError {
    /// The exact error text containers/image returns for this error, without the details
    /// that this crate's [`Display`](fmt::Display) adds (e.g. `repository name must not
    /// be more than 255 characters`, `repository name must be canonical`, go-digest's
    /// texts for [`ReferenceError::Digest`]). Policy error messages such as
    /// `Invalid format of dockerReference …: <err>` embed this text.
    ///
    /// For [`ReferenceError::InputTooLong`], which has no c/image counterpart, this is
    /// `invalid reference format` (c/image rejects such inputs too, with one of its other
    /// errors depending on the content).
    pub fn upstream_message(&self) -> String {
        match self {
            ReferenceError::InvalidFormat | ReferenceError::InputTooLong { .. } => {
                "invalid reference format".to_owned()
            }
            ReferenceError::NameNotLowercase => {
                "invalid reference format: repository name must be lowercase".to_owned()
            }
            ReferenceError::NameContainsUppercase => "repository name must be lowercase".to_owned(),
            ReferenceError::NameTooLong { .. } => {
                format!("repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters")
            }
            ReferenceError::HexIdentifier(s) => {
                format!("invalid repository name ({s}), cannot specify 64-byte hexadecimal strings")
            }
            ReferenceError::Digest(e) => e.upstream_message().to_owned(),
            ReferenceError::NotCanonical { .. } => "repository name must be canonical".to_owned(),
        }
    }
}

/// A parsed, normalised Docker reference: `domain/path[:tag][@digest]`.
///
/// Values come from [`Reference::parse_normalized`] (or [`Reference::parse_canonical`])
/// and the methods that derive from a parsed value, so the name always satisfies the
/// grammar and the 255-character limit. Equality compares domain, path, tag and digest,
/// i.e. the canonical string ([`Display`](fmt::Display)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    domain: String,
    path: String,
    tag: Option<String>,
    digest: Option<Digest>,
}

/// Go's `strings.ToLower` for the purposes of this grammar: Unicode simple lowercase
/// mapping per character (`İ` becomes `i`, not `i̇`; no final-sigma rule).
fn go_to_lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\u{130}' {
            out.push('i');
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// True when `s` has a character that Go's `strings.ToLower` changes.
fn has_uppercase(s: &str) -> bool {
    if s.is_ascii() {
        return s.bytes().any(|b| b.is_ascii_uppercase());
    }
    s.chars().any(|c| {
        let mut lower = c.to_lowercase();
        !(lower.next() == Some(c) && lower.next().is_none())
    })
}

/// `anchoredIdentifierRegexp`: exactly 64 lowercase hex digits.
fn is_full_identifier(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `SplitDockerDomain`: the first `/`-separated component is a domain iff there is a
/// `/` and it contains `.` or `:` or is exactly `localhost`; `index.docker.io` becomes
/// `docker.io`, and a single-component Docker Hub name gets `library/`.
fn split_docker_domain(name: &str) -> (String, String) {
    let (mut domain, mut remainder) = match name.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => {
            (first.to_owned(), rest.to_owned())
        }
        _ => (DEFAULT_DOMAIN.to_owned(), name.to_owned()),
    };
    if domain == LEGACY_DEFAULT_DOMAIN {
        DEFAULT_DOMAIN.clone_into(&mut domain);
    }
    if domain == DEFAULT_DOMAIN && !remainder.contains('/') {
        remainder = format!("{OFFICIAL_REPO_NAME}/{remainder}");
    }
    (domain, remainder)
}

impl Reference {
    /// `ParseNormalizedNamed`: parses `s`, adding `docker.io` and `library/` as needed.
    ///
    /// The steps, in c/image's order (policy-semantics.md §7.3):
    /// 1. a string of exactly 64 lowercase hex digits is rejected
    ///    ([`ReferenceError::HexIdentifier`]);
    /// 2. the domain is split off (`SplitDockerDomain`, see the module docs), with
    ///    `index.docker.io` → `docker.io` and `library/` for single-component Docker Hub
    ///    names;
    /// 3. the repository part up to its first `:` must be lowercase
    ///    ([`ReferenceError::NameNotLowercase`]);
    /// 4. `domain/remainder` must match the reference grammar
    ///    ([`ReferenceError::InvalidFormat`], or [`ReferenceError::NameContainsUppercase`]
    ///    if its lowercase form would match);
    /// 5. the normalised name may have at most 255 characters
    ///    ([`ReferenceError::NameTooLong`]);
    /// 6. the digest, if any, must pass go-digest validation ([`ReferenceError::Digest`]);
    /// 7. the domain/path split is recomputed from the name with a greedy optional
    ///    domain, which gives `foo_bar.com/repo` an empty domain.
    ///
    /// No default tag is added.
    ///
    /// ```
    /// use containers_policy::Reference;
    /// let r = Reference::parse_normalized("busybox:1.36").unwrap();
    /// assert_eq!(r.to_string(), "docker.io/library/busybox:1.36");
    /// assert_eq!(r.familiar_string(), "busybox:1.36");
    /// assert!(Reference::parse_normalized("Busybox").is_err());
    /// ```
    pub fn parse_normalized(s: &str) -> Result<Self, ReferenceError> {
        if s.len() > MAX_INPUT_LENGTH {
            return Err(ReferenceError::InputTooLong {
                length: s.len(),
                max: MAX_INPUT_LENGTH,
            });
        }
        if is_full_identifier(s) {
            return Err(ReferenceError::HexIdentifier(s.to_owned()));
        }
        let (domain, remainder) = split_docker_domain(s);
        let remote_name = remainder
            .split_once(':')
            .map_or(remainder.as_str(), |(name, _)| name);
        if has_uppercase(remote_name) {
            return Err(ReferenceError::NameNotLowercase);
        }
        Self::parse_full(&format!("{domain}/{remainder}"))
    }

    /// c/image's `Parse`, applied to the already-normalised `domain/remainder` string.
    fn parse_full(s: &str) -> Result<Self, ReferenceError> {
        let Some(grammar) = GRAMMAR.as_ref() else {
            return Err(ReferenceError::InvalidFormat);
        };
        let Some(caps) = grammar.reference.captures(s) else {
            return Err(if grammar.reference.is_match(&go_to_lower(s)) {
                ReferenceError::NameContainsUppercase
            } else {
                ReferenceError::InvalidFormat
            });
        };
        let name = caps.get(1).map_or("", |m| m.as_str());
        if name.len() > NAME_TOTAL_LENGTH_MAX {
            return Err(ReferenceError::NameTooLong { length: name.len() });
        }
        let (domain, path) = match grammar.anchored_name_split.captures(name) {
            Some(split) => (
                split.get(1).map_or("", |m| m.as_str()),
                split.get(2).map_or(name, |m| m.as_str()),
            ),
            None => ("", name),
        };
        let tag = caps
            .get(2)
            .map(|m| m.as_str())
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        let digest = match caps.get(3).map(|m| m.as_str()).filter(|d| !d.is_empty()) {
            Some(d) => Some(Digest::parse(d)?),
            None => None,
        };
        if path.is_empty() {
            // `getBestReferenceType` would fail (`ErrNameEmpty`); unreachable with this
            // grammar, kept so no empty name can ever be constructed.
            return Err(ReferenceError::InvalidFormat);
        }
        Ok(Reference {
            domain: domain.to_owned(),
            path: path.to_owned(),
            tag,
            digest,
        })
    }

    /// `ParseNamed`: like [`Reference::parse_normalized`], but `s` must already be
    /// canonical, i.e. equal to the [`Display`](fmt::Display) form of the result
    /// (otherwise [`ReferenceError::NotCanonical`]).
    ///
    /// ```
    /// use containers_policy::Reference;
    /// assert!(Reference::parse_canonical("docker.io/library/busybox:latest").is_ok());
    /// assert!(Reference::parse_canonical("busybox:latest").is_err());
    /// ```
    pub fn parse_canonical(s: &str) -> Result<Self, ReferenceError> {
        let reference = Self::parse_normalized(s)?;
        let canonical = reference.to_string();
        if canonical != s {
            return Err(ReferenceError::NotCanonical {
                input: s.to_owned(),
                canonical,
            });
        }
        Ok(reference)
    }

    /// The full name, `domain/path` (e.g. `docker.io/library/busybox`); just the path
    /// when the domain is empty.
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

    /// True when the reference has neither a tag nor a digest (`IsNameOnly`).
    pub fn is_name_only(&self) -> bool {
        self.tag.is_none() && self.digest.is_none()
    }

    /// True when the reference has both a tag and a digest
    /// (`name:tag@digest`, allowed by the grammar).
    pub fn has_tag_and_digest(&self) -> bool {
        self.tag.is_some() && self.digest.is_some()
    }

    /// `TagNameOnly`: adds `:latest` to a name-only reference; other references are
    /// returned unchanged.
    pub fn with_default_tag(self) -> Self {
        if self.is_name_only() {
            Reference {
                tag: Some(DEFAULT_TAG.to_owned()),
                ..self
            }
        } else {
            self
        }
    }

    /// The same name without tag and digest (`TrimNamed`).
    pub fn name_only(&self) -> Reference {
        Reference {
            domain: self.domain.clone(),
            path: self.path.clone(),
            tag: None,
            digest: None,
        }
    }

    /// `FamiliarName`: the name as Docker's UI shows it. For the `docker.io` domain, the
    /// domain is dropped, and so is `library/` when the path has exactly two components
    /// (`docker.io/library/busybox` → `busybox`, `docker.io/library/a/b` →
    /// `library/a/b`). Other domains are kept.
    pub fn familiar_name(&self) -> String {
        if self.domain != DEFAULT_DOMAIN {
            return self.name();
        }
        match self.path.split_once('/') {
            Some((OFFICIAL_REPO_NAME, rest)) if !rest.contains('/') => rest.to_owned(),
            _ => self.path.clone(),
        }
    }

    /// `FamiliarString`: [`Reference::familiar_name`] followed by `:tag` and `@digest`
    /// (`busybox:latest` for `docker.io/library/busybox:latest`).
    pub fn familiar_string(&self) -> String {
        let mut s = self.familiar_name();
        self.push_tag_and_digest(&mut s);
        s
    }

    fn push_tag_and_digest(&self, s: &mut String) {
        if let Some(tag) = &self.tag {
            s.push(':');
            s.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            s.push('@');
            s.push_str(digest.as_str());
        }
    }
}

impl fmt::Display for Reference {
    /// The canonical string (`String()`): name, then `:tag`, then `@digest`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = self.name();
        self.push_tag_and_digest(&mut s);
        f.write_str(&s)
    }
}

impl FromStr for Reference {
    type Err = ReferenceError;

    /// Same as [`Reference::parse_normalized`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Reference::parse_normalized(s)
    }
}

/// True when `s` fully matches the reference grammar's `domain` rule
/// (`domainComponent(\.domainComponent)*(:[0-9]+)?`, c/image's `DomainRegexp`).
/// Upper case is allowed; `_`, IPv6 literals and empty ports are not.
pub fn is_domain(s: &str) -> bool {
    GRAMMAR
        .as_ref()
        .is_some_and(|g| g.anchored_domain.is_match(s))
}

/// True when `s` fully matches the reference grammar's `name` rule
/// (`(domain/)?nameComponent(/nameComponent)*`, c/image's `NameRegexp`), without
/// normalisation: `busybox` and `ns/repo` match, `example.com/UPPER` does not.
pub fn is_name(s: &str) -> bool {
    GRAMMAR
        .as_ref()
        .is_some_and(|g| g.anchored_name.is_match(s))
}

/// `validateIdentityRemappingPrefix` (policy-semantics.md §6.1): a `remapIdentity`
/// `prefix`/`signedPrefix` is valid iff it is a [domain](is_domain), or it is a
/// [name](is_name) that starts with a domain followed by `/`.
///
/// Like c/image, this accepts `shortname` and `ns/shortname`, which can never match at
/// run time.
pub fn is_valid_remap_prefix(s: &str) -> bool {
    is_domain(s)
        || (is_name(s)
            && GRAMMAR
                .as_ref()
                .is_some_and(|g| g.domain_prefix.is_match(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX64: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn grammar_compiles() {
        assert!(GRAMMAR.is_some());
    }

    #[test]
    fn basic_normalisation() {
        let r = Reference::parse_normalized("busybox").unwrap();
        assert_eq!(r.domain(), "docker.io");
        assert_eq!(r.path(), "library/busybox");
        assert_eq!(r.name(), "docker.io/library/busybox");
        assert!(r.is_name_only());
        assert_eq!(r.to_string(), "docker.io/library/busybox");
        assert_eq!(r.familiar_name(), "busybox");
        let t = r.clone().with_default_tag();
        assert_eq!(t.to_string(), "docker.io/library/busybox:latest");
        assert_eq!(t.clone().with_default_tag(), t);
        assert_eq!(t.name_only(), r);
    }

    #[test]
    fn empty_domain_quirk() {
        let r = Reference::parse_normalized("foo_bar.com/repo").unwrap();
        assert_eq!(r.domain(), "");
        assert_eq!(r.path(), "foo_bar.com/repo");
        assert_eq!(r.name(), "foo_bar.com/repo");
        assert_eq!(r.familiar_name(), "foo_bar.com/repo");
        assert_eq!(Reference::parse_canonical("foo_bar.com/repo").unwrap(), r);
    }

    #[test]
    fn error_choice() {
        assert_eq!(
            Reference::parse_normalized(HEX64),
            Err(ReferenceError::HexIdentifier(HEX64.into()))
        );
        assert_eq!(
            Reference::parse_normalized("Foo"),
            Err(ReferenceError::NameNotLowercase)
        );
        assert_eq!(
            Reference::parse_normalized("\u{212a}.com/foo"),
            Err(ReferenceError::NameContainsUppercase)
        );
        assert_eq!(
            Reference::parse_normalized("busybox:\u{130}"),
            Err(ReferenceError::NameContainsUppercase)
        );
        assert_eq!(
            Reference::parse_normalized(""),
            Err(ReferenceError::InvalidFormat)
        );
        let long = "a".repeat(MAX_INPUT_LENGTH + 1);
        assert!(matches!(
            Reference::parse_normalized(&long),
            Err(ReferenceError::InputTooLong { .. })
        ));
    }

    #[test]
    fn go_lowercase() {
        assert_eq!(go_to_lower("AbC\u{130}\u{212a}"), "abcik");
        assert!(has_uppercase("\u{130}"));
        assert!(has_uppercase("\u{212a}"));
        assert!(!has_uppercase("abc\u{e9}"));
        assert!(has_uppercase("\u{c9}"));
    }
}
