//! Sigstore (cosign) signature verification building blocks
//! (signature-formats.md §4; policy-semantics.md §12): public keys and payload
//! signatures, Rekor signed entry timestamps, Fulcio and private-PKI certificates, and
//! cosign attachment manifests for callers that fetch signatures themselves.
//!
//! Each submodule verifies one thing and reports structured failures; the evaluator
//! combines them in c/image's order.

pub mod attachment;
pub mod certificate;
pub mod fulcio;
pub mod pki;
pub mod public_key;
pub mod rekor;
