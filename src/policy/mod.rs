//! The typed model of `policy.json`.

/// A parsed policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {}

/// Why a policy is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid policy")]
pub struct PolicyError {}
