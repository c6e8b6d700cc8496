//! STUB: filled in by the sigstore work.
