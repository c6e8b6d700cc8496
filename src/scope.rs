//! The compiled scope index: which requirements apply to an image
//! (policy-semantics.md §8.1).
//!
//! Lookup order, first hit wins: the image's policy identity, then its namespaces
//! (most specific first), then the transport's `""` scope, then the global default.
//! Scope keys are exact, case-sensitive strings, so each step is one hash lookup and
//! the cost does not grow with the number of scopes.

use std::collections::HashMap;

use crate::policy::{Policy, Requirement};
use crate::transport::ImageReference;

/// The policy section that applies to an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScopeMatch<'a> {
    /// A scope of a transport section.
    Scope {
        /// The transport section.
        transport: &'a str,
        /// The scope key (`""` for the transport-wide scope).
        scope: &'a str,
    },
    /// The global default.
    Default,
}

/// The sections of a [`Policy`] indexed for lookup, each carrying a `T`: the
/// requirements themselves ([`ScopeIndex::new`]) or anything compiled from them
/// ([`ScopeIndex::build`]).
#[derive(Debug, Clone)]
pub struct ScopeIndex<T = Vec<Requirement>> {
    default: T,
    transports: HashMap<String, HashMap<String, T>>,
}

impl ScopeIndex<Vec<Requirement>> {
    /// Indexes `policy`'s requirements.
    pub fn new(policy: &Policy) -> Self {
        Self::build(policy, <[Requirement]>::to_vec)
    }
}

impl<T> ScopeIndex<T> {
    /// Indexes `policy`, turning each requirement list into a `T` with `compile`.
    pub fn build(policy: &Policy, mut compile: impl FnMut(&[Requirement]) -> T) -> Self {
        let default = compile(policy.default_requirements());
        let transports = policy
            .transports()
            .iter()
            .map(|(name, scopes)| {
                let scopes = scopes
                    .iter()
                    .map(|(scope, reqs)| (scope.clone(), compile(reqs)))
                    .collect();
                (name.clone(), scopes)
            })
            .collect();
        Self {
            default,
            transports,
        }
    }

    /// The section that applies to `image`.
    pub fn lookup(&self, image: &ImageReference) -> (ScopeMatch<'_>, &T) {
        self.lookup_parts(
            image.transport().name(),
            image.policy_identity(),
            image.policy_namespaces().iter().map(String::as_str),
        )
    }

    /// Lookup from the parts of an image reference: the transport name, the policy
    /// identity and the namespaces, most specific first.
    pub fn lookup_parts<'n>(
        &self,
        transport: &str,
        identity: &str,
        namespaces: impl IntoIterator<Item = &'n str>,
    ) -> (ScopeMatch<'_>, &T) {
        let default = (ScopeMatch::Default, &self.default);
        let Some((transport_name, scopes)) = self.transports.get_key_value(transport) else {
            return default;
        };
        let hit = |key: &str| {
            scopes.get_key_value(key).map(|(scope, value)| {
                (
                    ScopeMatch::Scope {
                        transport: transport_name.as_str(),
                        scope: scope.as_str(),
                    },
                    value,
                )
            })
        };
        if let Some(found) = hit(identity) {
            return found;
        }
        for namespace in namespaces {
            if let Some(found) = hit(namespace) {
                return found;
            }
        }
        hit("").unwrap_or(default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> ScopeIndex<&'static str> {
        let policy = Policy::builder(vec![Requirement::Reject])
            .scope("docker", "", vec![Requirement::InsecureAcceptAnything])
            .scope("docker", "example.com", vec![Requirement::Reject])
            .scope("docker", "example.com/ns", vec![Requirement::Reject])
            .transport("atomic")
            .build();
        let Ok(policy) = policy else {
            unreachable!("valid policy");
        };
        let mut names = ["default", "docker \"\"", "example.com", "example.com/ns"].into_iter();
        ScopeIndex::build(&policy, |_| names.next().unwrap_or("?"))
    }

    #[test]
    fn identity_then_namespaces_then_transport_default_then_global_default() {
        let index = index();
        let (m, v) = index.lookup_parts(
            "docker",
            "example.com/ns/repo:tag",
            ["example.com/ns/repo", "example.com/ns", "example.com"],
        );
        assert_eq!(
            m,
            ScopeMatch::Scope {
                transport: "docker",
                scope: "example.com/ns"
            }
        );
        assert_eq!(*v, "example.com/ns");
        let (m, _) = index.lookup_parts(
            "docker",
            "example.com/x:1",
            ["example.com/x", "example.com"],
        );
        assert_eq!(
            m,
            ScopeMatch::Scope {
                transport: "docker",
                scope: "example.com"
            }
        );
        let (m, v) = index.lookup_parts("docker", "other.com/x:1", ["other.com/x", "other.com"]);
        assert_eq!(
            m,
            ScopeMatch::Scope {
                transport: "docker",
                scope: ""
            }
        );
        assert_eq!(*v, "docker \"\"");
        // A transport section without "" falls through to the global default.
        let (m, v) = index.lookup_parts("atomic", "a/b/c:d", ["a/b/c", "a/b", "a"]);
        assert_eq!((m, *v), (ScopeMatch::Default, "default"));
        // A transport absent from the policy uses the global default.
        let (m, _) = index.lookup_parts("dir", "/tmp/x", ["/tmp"]);
        assert_eq!(m, ScopeMatch::Default);
    }
}
