//! Lint: valid policies that probably do not do what their author meant.
//!
//! containers/image accepts all of these; each warning names the place in the policy
//! (a [`JsonPath`]) and says what will happen at evaluation.

use std::fmt;
use std::path::Path;

use super::Policy;
use super::error::JsonPath;
use super::identity::SignedIdentity;
use super::requirement::{CertSource, GpgKeySource, KeyType, RekorKeys, Requirement, SigstoreKeys};
use crate::reference::Reference;
use crate::transport::Transport;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where in the policy.
    pub path: JsonPath,
    /// What is wrong.
    pub kind: WarningKind,
}

/// The foot-guns the lint knows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WarningKind {
    /// The global default accepts any image, signed or not.
    InsecureDefault,
    /// A transport section that c/image does not know: its scopes never match.
    UnknownTransport {
        /// The section's name.
        transport: String,
    },
    /// A `docker` scope written in a form that never matches (scopes are compared
    /// with normalised names: `docker.io/library/busybox`, not `busybox`).
    DockerScopeNeverMatches {
        /// The scope as written.
        scope: String,
        /// The form that would match, when there is one.
        suggestion: Option<String>,
    },
    /// `sigstoreSigned` with an identity rule that rejects what cosign signs: cosign
    /// signatures claim a repository without a tag (podman#16624).
    SigstoreWithoutRepositoryMatch {
        /// The identity rule in use.
        rule: &'static str,
    },
    /// A requirement that rejects every image whatever the signatures.
    AlwaysRejects {
        /// Why.
        reason: &'static str,
    },
    /// A `remapIdentity` prefix without a registry host can never match an image.
    RemapPrefixNeverMatches {
        /// The prefix.
        prefix: String,
    },
    /// A key path relative to the process's working directory (c/image does not
    /// resolve it against the policy file).
    RelativeKeyPath {
        /// The path.
        path: String,
    },
    /// A key file that does not exist (only from [`Policy::lint_with_files`]).
    MissingKeyFile {
        /// The path.
        path: String,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.path)?;
        match &self.kind {
            WarningKind::InsecureDefault => f.write_str(
                "the global default is insecureAcceptAnything: images not covered by a more specific scope are accepted unsigned",
            ),
            WarningKind::UnknownTransport { transport } => write!(
                f,
                "{transport:?} is not a transport containers/image knows; its scopes never match"
            ),
            WarningKind::DockerScopeNeverMatches { scope, suggestion } => {
                write!(f, "docker scope {scope:?} never matches")?;
                match suggestion {
                    Some(s) => write!(f, "; write {s:?}"),
                    None => Ok(()),
                }
            }
            WarningKind::SigstoreWithoutRepositoryMatch { rule } => write!(
                f,
                "sigstoreSigned with signedIdentity {rule}: signatures made by cosign claim only a repository and are rejected; use matchRepository"
            ),
            WarningKind::AlwaysRejects { reason } => write!(f, "this requirement rejects every image: {reason}"),
            WarningKind::RemapPrefixNeverMatches { prefix } => write!(
                f,
                "remapIdentity prefix {prefix:?} has no registry host, so no image name can start with it"
            ),
            WarningKind::RelativeKeyPath { path } => write!(
                f,
                "key path {path:?} is relative: it is resolved against the working directory of the process, not the policy file"
            ),
            WarningKind::MissingKeyFile { path } => write!(f, "key file {path:?} does not exist"),
        }
    }
}

impl Policy {
    /// Warnings about this policy, without touching the file system.
    pub fn lint(&self) -> Vec<Warning> {
        lint(self, false)
    }

    /// [`Policy::lint`], plus a check that every key file exists.
    pub fn lint_with_files(&self) -> Vec<Warning> {
        lint(self, true)
    }
}

fn lint(policy: &Policy, files: bool) -> Vec<Warning> {
    let mut out = Vec::new();
    let default_path = JsonPath::root().key("default");
    if policy
        .default_requirements()
        .iter()
        .all(|r| *r == Requirement::InsecureAcceptAnything)
    {
        out.push(Warning {
            path: default_path.clone(),
            kind: WarningKind::InsecureDefault,
        });
    }
    lint_requirements(
        policy.default_requirements(),
        &default_path,
        files,
        &mut out,
    );
    for (transport, scopes) in policy.transports() {
        let transport_path = JsonPath::root().key("transports").key(transport);
        if Transport::from_name(transport).is_none() {
            out.push(Warning {
                path: transport_path.clone(),
                kind: WarningKind::UnknownTransport {
                    transport: transport.clone(),
                },
            });
        }
        for (scope, requirements) in scopes {
            let path = transport_path.clone().key(scope);
            if transport == "docker"
                && let Some(kind) = docker_scope_warning(scope)
            {
                out.push(Warning {
                    path: path.clone(),
                    kind,
                });
            }
            lint_requirements(requirements, &path, files, &mut out);
        }
    }
    out
}

/// Why a docker scope can never match, if it cannot. Scopes match when they equal an
/// image's identity (`host/path:tag`, `host/path@digest`) or one of its namespaces
/// (`host/path` and its parents down to `host`), all in normalised form.
fn docker_scope_warning(scope: &str) -> Option<WarningKind> {
    if scope.is_empty() || scope.starts_with("*.") {
        return None;
    }
    let never = |suggestion: Option<String>| {
        Some(WarningKind::DockerScopeNeverMatches {
            scope: scope.to_owned(),
            suggestion,
        })
    };
    let normalised = || Reference::parse_normalized(scope.trim_end_matches('/')).ok();
    // The name part: everything before `@digest`, and before a `:tag` after the last '/'.
    let without_digest = scope.split('@').next().unwrap_or(scope);
    let last_slash = without_digest.rfind('/').map_or(0, |i| i + 1);
    let name = match without_digest
        .get(last_slash..)
        .and_then(|last| last.find(':'))
    {
        Some(colon) if last_slash > 0 => without_digest
            .get(..last_slash + colon)
            .unwrap_or(without_digest),
        _ => without_digest,
    };
    let tagged_or_digested = name.len() != scope.len();
    if name.ends_with('/') {
        return never(Some(scope.trim_end_matches('/').to_owned()));
    }
    let host = name.split('/').next().unwrap_or_default();
    let host_like =
        crate::reference::is_domain(host) && (host.contains(['.', ':']) || host == "localhost");
    if !host_like {
        // `busybox`, `library/busybox`, `ns/repo`: names always carry a registry host.
        return never(normalised().map(|r| {
            if tagged_or_digested {
                r.to_string()
            } else {
                r.name()
            }
        }));
    }
    if host == "index.docker.io" {
        return never(normalised().map(|r| {
            if tagged_or_digested {
                r.to_string()
            } else {
                r.name()
            }
        }));
    }
    if host.len() != name.len() && !crate::reference::is_name(name) {
        return never(None);
    }
    if tagged_or_digested && Reference::parse_canonical(scope).is_err() {
        return never(normalised().map(|r| r.to_string()));
    }
    None
}

fn lint_requirements(
    requirements: &[Requirement],
    path: &JsonPath,
    files: bool,
    out: &mut Vec<Warning>,
) {
    for (i, requirement) in requirements.iter().enumerate() {
        let path = path.clone().index(i);
        let mut warn = |kind| {
            out.push(Warning {
                path: path.clone(),
                kind,
            });
        };
        let mut key_paths: Vec<&str> = Vec::new();
        match requirement {
            Requirement::SignedBaseLayer(_) => warn(WarningKind::AlwaysRejects {
                reason: "signedBaseLayer is not implemented by containers/image",
            }),
            Requirement::SignedBy(signed_by) => {
                if signed_by.key_type() != KeyType::GpgKeys {
                    warn(WarningKind::AlwaysRejects {
                        reason: "only keyType GPGKeys is implemented",
                    });
                }
                match signed_by.keys() {
                    GpgKeySource::Paths(p) if p.is_empty() => warn(WarningKind::AlwaysRejects {
                        reason: "keyPaths is empty, so no key is trusted",
                    }),
                    GpgKeySource::Data(d) if d.is_empty() => warn(WarningKind::AlwaysRejects {
                        reason: "keyData is empty, so no key is trusted",
                    }),
                    GpgKeySource::Path(p) => key_paths.push(p),
                    GpgKeySource::Paths(p) => key_paths.extend(p.iter().map(String::as_str)),
                    GpgKeySource::Data(_) => {}
                }
                remap_warning(signed_by.signed_identity(), &mut warn);
            }
            Requirement::SigstoreSigned(sigstore) => {
                let rule = sigstore.signed_identity();
                if matches!(
                    rule,
                    SignedIdentity::MatchExact
                        | SignedIdentity::MatchRepoDigestOrExact
                        | SignedIdentity::ExactReference(_)
                ) {
                    warn(WarningKind::SigstoreWithoutRepositoryMatch {
                        rule: rule.type_name(),
                    });
                }
                remap_warning(rule, &mut warn);
                match sigstore.keys() {
                    SigstoreKeys::Path(p) => key_paths.push(p),
                    SigstoreKeys::Paths(p) => key_paths.extend(p.iter().map(String::as_str)),
                    SigstoreKeys::Fulcio(fulcio) => {
                        if let CertSource::Path(p) = fulcio.ca() {
                            key_paths.push(p);
                        }
                    }
                    SigstoreKeys::Pki(pki) => {
                        for source in std::iter::once(pki.roots()).chain(pki.intermediates()) {
                            if let CertSource::Path(p) = source {
                                key_paths.push(p);
                            }
                        }
                    }
                    SigstoreKeys::Data(_) | SigstoreKeys::Datas(_) => {}
                }
                match sigstore.rekor() {
                    Some(RekorKeys::Path(p)) => key_paths.push(p),
                    Some(RekorKeys::Paths(p)) => key_paths.extend(p.iter().map(String::as_str)),
                    _ => {}
                }
            }
            _ => {}
        }
        for key_path in key_paths {
            if Path::new(key_path).is_relative() {
                warn(WarningKind::RelativeKeyPath {
                    path: key_path.to_owned(),
                });
            }
            if files && !Path::new(key_path).exists() {
                warn(WarningKind::MissingKeyFile {
                    path: key_path.to_owned(),
                });
            }
        }
    }
}

fn remap_warning(identity: &SignedIdentity, warn: &mut impl FnMut(WarningKind)) {
    if let SignedIdentity::RemapIdentity(remap) = identity {
        let prefix = remap.prefix();
        let host = prefix.split('/').next().unwrap_or_default();
        let has_host = host.contains('.') || host.contains(':') || host == "localhost";
        if !has_host {
            warn(WarningKind::RemapPrefixNeverMatches {
                prefix: prefix.to_owned(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(policy: &str) -> Vec<WarningKind> {
        Policy::from_str(policy)
            .unwrap_or_else(|e| panic!("{e}"))
            .lint()
            .into_iter()
            .map(|w| w.kind)
            .collect()
    }

    #[test]
    fn a_careful_policy_has_no_warnings() {
        let policy = r#"{"default":[{"type":"reject"}],"transports":{"docker":{
            "quay.io/org/app":[{"type":"sigstoreSigned","keyPath":"/k.pub","signedIdentity":{"type":"matchRepository"}}],
            "docker.io/library/busybox:latest":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k.gpg"}],
            "example.com":[{"type":"reject"}],"localhost:5000/ns":[{"type":"reject"}],"*.example.com":[{"type":"reject"}]}}}"#;
        assert_eq!(kinds(policy), []);
    }

    #[test]
    fn each_foot_gun_is_reported() {
        assert_eq!(
            kinds(r#"{"default":[{"type":"insecureAcceptAnything"}]}"#),
            [WarningKind::InsecureDefault]
        );
        assert_eq!(
            kinds(
                r#"{"default":[{"type":"reject"}],"transports":{"dockr":{"":[{"type":"reject"}]}}}"#
            ),
            [WarningKind::UnknownTransport {
                transport: "dockr".into()
            }]
        );
        assert_eq!(
            kinds(
                r#"{"default":[{"type":"reject"}],"transports":{"docker":{"busybox":[{"type":"reject"}]}}}"#
            ),
            [WarningKind::DockerScopeNeverMatches {
                scope: "busybox".into(),
                suggestion: Some("docker.io/library/busybox".into())
            }]
        );
        assert_eq!(
            kinds(
                r#"{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io/org/":[{"type":"reject"}]}}}"#
            ),
            [WarningKind::DockerScopeNeverMatches {
                scope: "quay.io/org/".into(),
                suggestion: Some("quay.io/org".into())
            }]
        );
        assert_eq!(
            kinds(r#"{"default":[{"type":"sigstoreSigned","keyPath":"/k"}]}"#),
            [WarningKind::SigstoreWithoutRepositoryMatch {
                rule: "matchRepoDigestOrExact"
            }]
        );
        assert_eq!(
            kinds(
                r#"{"default":[{"type":"signedBy","keyType":"X509Certificates","keyPath":"/k"}]}"#
            ),
            [WarningKind::AlwaysRejects {
                reason: "only keyType GPGKeys is implemented"
            }]
        );
        assert_eq!(
            kinds(r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":[]}]}"#),
            [WarningKind::AlwaysRejects {
                reason: "keyPaths is empty, so no key is trusted"
            }]
        );
        assert_eq!(
            kinds(
                r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"keys/k.gpg"}]}"#
            ),
            [WarningKind::RelativeKeyPath {
                path: "keys/k.gpg".into()
            }]
        );
        assert_eq!(
            kinds(
                r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"remapIdentity","prefix":"shortname","signedPrefix":"x.com"}}]}"#
            ),
            [WarningKind::RemapPrefixNeverMatches {
                prefix: "shortname".into()
            }]
        );
        assert!(matches!(
            kinds(r#"{"default":[{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchRepository"}}]}"#).as_slice(),
            [WarningKind::AlwaysRejects { .. }]
        ));
    }

    #[test]
    fn lint_with_files_reports_missing_key_files_and_display_says_where() {
        let policy = Policy::from_str(r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/nonexistent/k.gpg"}]}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(policy.lint().is_empty());
        let warnings = policy.lint_with_files();
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].to_string(),
            "default[0]: key file \"/nonexistent/k.gpg\" does not exist"
        );
    }
}
