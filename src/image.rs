//! The pluggable fetch seam: what the caller hands over about one image.
//!
//! This crate never fetches anything. A caller that already has an image's manifest
//! and signatures (from a registry, a local store or a test) implements [`Image`];
//! the evaluator asks for them only when a requirement needs them, so an image with a
//! missing manifest is still accepted by `insecureAcceptAnything`, as in c/image.

use std::borrow::Cow;

use crate::digest::Digest;
use crate::signature::UntrustedSignature;

/// An unverified manifest: the exact bytes, and the MIME type when the source knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UntrustedManifest<'a> {
    /// The manifest bytes, exactly as fetched (digests are computed over them).
    pub bytes: &'a [u8],
    /// The MIME type reported by the source, if any.
    pub mime_type: Option<&'a str>,
}

/// Why an image's manifest or signatures could not be read. This is not a verdict:
/// signature requirements turn it into a rejection with this reason, as c/image does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImageError {
    /// The manifest does not exist.
    #[error("manifest not found: {location}")]
    ManifestNotFound {
        /// Where it was looked for.
        location: String,
    },
    /// A file could not be read.
    #[error("reading {path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// The kind of failure.
        kind: std::io::ErrorKind,
        /// The operating system's description.
        message: String,
    },
    /// An input is larger than this crate reads.
    #[error("{what} is {size} bytes, more than the limit of {limit}")]
    TooLarge {
        /// What was being read.
        what: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// More signatures than this crate reads.
    #[error("the image has more than {limit} signatures")]
    TooManySignatures {
        /// The limit.
        limit: usize,
    },
    /// A stored signature blob is malformed (c/image fails the whole signature fetch).
    #[error("signature {index}: {reason}")]
    InvalidSignature {
        /// 1-based index of the signature.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// An image layout is malformed.
    #[error("invalid image layout at {path}: {reason}")]
    InvalidLayout {
        /// The layout.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An OCI layout reference names no image, and the layout's `index.json` does not
    /// hold exactly one (c/image: `more than one image in oci, choose an image`, also
    /// when it holds none).
    #[error("more than one image in oci, choose an image: {layout} lists {count} manifests")]
    NoImageSelected {
        /// The layout.
        layout: String,
        /// How many manifests `index.json` lists.
        count: usize,
    },
    /// No manifest of an OCI layout carries the requested
    /// `org.opencontainers.image.ref.name` (c/image's `ImageNotFoundError`).
    #[error("no descriptor found for reference {name:?} in {layout}")]
    ImageNotFound {
        /// The layout.
        layout: String,
        /// The requested name.
        name: String,
    },
    /// An OCI layout reference `path:@N` with `N` past the end of `index.json`.
    #[error("index {index} is too large, only {count} entries available in {layout}")]
    SourceIndexOutOfRange {
        /// The layout.
        layout: String,
        /// The requested position.
        index: u64,
        /// How many manifests `index.json` lists.
        count: usize,
    },
    /// Every manifest of an OCI layout carrying the requested name has a media type
    /// that is not an image manifest or index.
    #[error("reference {name:?} matches unsupported manifest MIME types {mime_types:?}")]
    UnsupportedManifestTypes {
        /// The layout.
        layout: String,
        /// The requested name.
        name: String,
        /// The media types of the matching descriptors.
        mime_types: Vec<String>,
    },
    /// A blob's content does not match the digest it is stored under.
    #[error("digest mismatch for {what}: expected {expected}, got {actual}")]
    DigestMismatch {
        /// What was read.
        what: String,
        /// The digest it should have.
        expected: String,
        /// The digest of its content.
        actual: String,
    },
    /// No image source exists for this transport.
    #[error("reading images of the {transport} transport is not supported")]
    UnsupportedTransport {
        /// The transport's name.
        transport: String,
    },
    /// Any other failure reported by a caller's implementation.
    #[error("{0}")]
    Other(String),
}

impl ImageError {
    /// An [`ImageError::Io`] for `path`.
    pub fn io(path: impl AsRef<std::path::Path>, err: &std::io::Error) -> Self {
        ImageError::Io {
            path: path.as_ref().display().to_string(),
            kind: err.kind(),
            message: err.to_string(),
        }
    }
}

/// An image as the caller has it: its manifest and its signatures, both unverified.
pub trait Image {
    /// The manifest of the image (for a manifest-list instance: of that instance).
    fn manifest(&self) -> Result<UntrustedManifest<'_>, ImageError>;

    /// Every signature the caller found, in order, in any format.
    fn signatures(&self) -> Result<Cow<'_, [UntrustedSignature]>, ImageError>;

    /// When evaluating one instance of a manifest list, that instance's digest; the
    /// manifest must then match it (policy-semantics.md §13).
    fn instance_digest(&self) -> Option<&Digest> {
        None
    }
}

/// An [`Image`] held in memory: the simplest way to evaluate bytes you already have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryImage {
    manifest: Option<(Vec<u8>, Option<String>)>,
    signatures: Vec<UntrustedSignature>,
    instance_digest: Option<Digest>,
}

impl MemoryImage {
    /// An image with this manifest and no signatures.
    pub fn new(manifest: impl Into<Vec<u8>>, mime_type: Option<String>) -> Self {
        Self {
            manifest: Some((manifest.into(), mime_type)),
            signatures: Vec::new(),
            instance_digest: None,
        }
    }

    /// An image whose manifest is missing (signature requirements then reject it).
    pub fn without_manifest() -> Self {
        Self::default()
    }

    /// Adds signatures.
    #[must_use]
    pub fn with_signatures(
        mut self,
        signatures: impl IntoIterator<Item = UntrustedSignature>,
    ) -> Self {
        self.signatures.extend(signatures);
        self
    }

    /// Marks this as one instance of a manifest list.
    #[must_use]
    pub fn with_instance_digest(mut self, digest: Digest) -> Self {
        self.instance_digest = Some(digest);
        self
    }
}

impl Image for MemoryImage {
    fn manifest(&self) -> Result<UntrustedManifest<'_>, ImageError> {
        match &self.manifest {
            Some((bytes, mime_type)) => Ok(UntrustedManifest {
                bytes,
                mime_type: mime_type.as_deref(),
            }),
            None => Err(ImageError::ManifestNotFound {
                location: "memory".to_owned(),
            }),
        }
    }

    fn signatures(&self) -> Result<Cow<'_, [UntrustedSignature]>, ImageError> {
        Ok(Cow::Borrowed(&self.signatures))
    }

    fn instance_digest(&self) -> Option<&Digest> {
        self.instance_digest.as_ref()
    }
}
