//! `containers-policy`: the `containers-policy.json` trust-policy language of
//! containers/image (podman, CRI-O, skopeo, buildah), in pure, synchronous Rust.
//!
//! The data flows one way:
//!
//! ```text
//! policy.json ──parse──▶ Policy ──index──▶ ScopeIndex ──lookup(ImageReference)──▶ requirements
//! ```
//!
//! * [`policy`]: the typed, strict model of `policy.json` with c/image's verdicts on
//!   every file, errors with line, column and JSON path, serialisation and a builder.
//! * [`reference`](mod@reference): c/image's fork of the Docker reference grammar.
//! * [`digest`]: go-digest style digests.
//! * [`transport`]: `TRANSPORT:REF` image references, their policy identities and
//!   namespace chains, and per-transport scope validation.
//! * [`scope`]: the compiled scope index that picks the requirements for an image.
//! * [`eval`]: [`PolicyContext`] evaluates images and explains each [`Verdict`].
//! * [`openpgp`]: the seam for OpenPGP verification (`signedBy`).
//! * [`image`]: the [`Image`](image::Image) trait, through which callers hand over
//!   manifests and signatures.
//! * [`signature`]: stored signatures, unverified.
//! * [`sigstore`]: sigstore keys, Rekor SETs, Fulcio and PKI certificates.
//! * [`source`] (feature `fs`, on by default): [`Image`](image::Image)s read from a
//!   `dir:` directory or an OCI image layout, as c/image's image sources read them.
//! * [`manifest`]: manifest digests as c/image computes them (schema-1 JWS stripping,
//!   SHA-256-only matching).
//!
//! Where containers/image has a quirk that changes a verdict, this crate reproduces it
//! and says so in the documentation of the item concerned.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod digest;
pub mod eval;
mod go_encoding;
mod gojson;
pub mod image;
pub mod manifest;
pub mod openpgp;
pub mod policy;
pub mod reference;
pub mod scope;
pub mod signature;
pub mod sigstore;
#[cfg(feature = "fs")]
pub mod source;
pub mod transport;

pub use digest::Digest;
pub use eval::{PolicyContext, Verdict};
pub use policy::{Policy, PolicyError};
pub use reference::Reference;
pub use scope::ScopeIndex;
pub use transport::{ImageReference, Transport};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
