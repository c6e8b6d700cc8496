//! Building policies in code.

use std::collections::BTreeMap;

use super::error::{JsonPath, PolicyError};
use super::requirement::Requirement;
use super::{Policy, Scopes, check_requirements, check_scope};

/// Builds a [`Policy`] step by step; [`PolicyBuilder::build`] checks the same
/// invariants as the parser (non-empty requirement lists, valid scope keys).
///
/// ```
/// use containers_policy::policy::{Policy, Requirement};
///
/// let policy = Policy::builder(vec![Requirement::Reject])
///     .scope("docker", "quay.io/org", vec![Requirement::InsecureAcceptAnything])
///     .scope("docker-daemon", "", vec![Requirement::InsecureAcceptAnything])
///     .build()?;
/// assert_eq!(Policy::from_str(&policy.to_json())?, policy);
/// # Ok::<(), containers_policy::PolicyError>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct PolicyBuilder {
    default: Vec<Requirement>,
    transports: BTreeMap<String, Scopes>,
}

impl PolicyBuilder {
    /// Starts a policy with these global default requirements.
    pub fn new(default: Vec<Requirement>) -> Self {
        Self {
            default,
            transports: BTreeMap::new(),
        }
    }

    /// Adds (or replaces) the requirements of one scope; `""` is the transport-wide
    /// scope.
    pub fn scope(
        mut self,
        transport: impl Into<String>,
        scope: impl Into<String>,
        requirements: Vec<Requirement>,
    ) -> Self {
        self.transports
            .entry(transport.into())
            .or_default()
            .insert(scope.into(), requirements);
        self
    }

    /// Adds an empty transport section.
    pub fn transport(mut self, transport: impl Into<String>) -> Self {
        self.transports.entry(transport.into()).or_default();
        self
    }

    /// Checks the policy and returns it.
    pub fn build(self) -> Result<Policy, PolicyError> {
        check_requirements(&self.default, JsonPath::root().key("default"))?;
        for (transport, scopes) in &self.transports {
            for (scope, requirements) in scopes {
                let path = JsonPath::root().key("transports").key(transport).key(scope);
                check_scope(transport, scope, path.clone())?;
                check_requirements(requirements, path)?;
            }
        }
        Ok(Policy::from_parts(self.default, self.transports))
    }
}
