//! The compiled scope index.

/// Stub.
#[derive(Debug, Clone)]
pub struct ScopeIndex {}
