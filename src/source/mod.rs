//! On-disk image sources: [`Image`] implementations that read a `dir:` directory
//! ([`DirImage`]) or an OCI image layout ([`OciImage`]) the way containers/image's
//! `ImageSource`s for those transports do (policy-semantics.md §9).
//!
//! [`open`] picks the right one for a parsed [`ImageReference`].
//!
//! # What is read, and when
//!
//! As in c/image, opening a `dir:` image reads nothing (a missing directory or
//! manifest is not an error until [`Image::manifest`] is called), while opening an
//! OCI layout reads `index.json` and selects the manifest descriptor, so a missing
//! layout or an unknown image name fails [`OciImage::open`]. Manifests and signatures
//! are read on first use and cached, like c/image's `UnparsedImage`.
//!
//! # Limits (deviations from c/image)
//!
//! c/image reads `dir:` manifests and signatures, OCI `index.json` and OCI manifests
//! with `os.ReadFile`, without any limit, and reads any number of `dir:` signatures.
//! This crate bounds every read ([`SourceOptions`]); the defaults are c/image's own
//! limits where it has one (`iolimits`: 4 MiB for manifests and signatures) and
//! generous ones elsewhere. An image exceeding a limit fails to load
//! ([`ImageError::TooLarge`], [`ImageError::TooManySignatures`]) where c/image would
//! read it, so a verdict can differ for such images; raise the limits if that matters.
//! Special files that would block on open (FIFOs, sockets) are refused instead of
//! hanging, as c/image would.
//!
//! # JSON
//!
//! `index.json`, attachment manifests and `GuessMIMEType` decode JSON into Go structs
//! as current c/image's Go (≥ 1.21) `encoding/json` does (`crate::gojson::decode`):
//! nesting up to 10 000 levels, keys matched case-insensitively with Go 1.21's folding
//! (`ſ`, `K`, `İ`, `ı` included), values decoded into existing ones (repeated keys
//! merge, slices reuse their backing array), numbers inside `any` fields within
//! `float64` range, `[]byte` as base64 or an array of numbers.

use std::borrow::Cow;
use std::fs::File;
use std::io::Read as _;
use std::path::Path;
use std::sync::OnceLock;

use crate::image::{Image, ImageError, UntrustedManifest};
use crate::manifest::guess::{guess_mime_type, mime};
use crate::signature::UntrustedSignature;
use crate::transport::{ImageReference, Transport};

mod dir;
mod oci;

pub use dir::DirImage;
pub use oci::{OciDescriptor, OciImage, OciSelector};

/// c/image's `iolimits.MaxManifestBodySize` and `MaxSignatureBodySize`: 4 MiB.
const FOUR_MIB: u64 = 4 << 20;

/// Size and count limits of the on-disk sources. The defaults suit every real image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SourceOptions {
    /// Largest manifest read, in bytes (default 4 MiB, c/image's
    /// `iolimits.MaxManifestBodySize`; c/image has no limit for `dir:` and OCI
    /// manifests, but applies this one to OCI sigstore attachment manifests).
    pub max_manifest_size: u64,
    /// Largest signature read, in bytes (default 4 MiB, c/image's
    /// `iolimits.MaxSignatureBodySize`; c/image has no limit for `dir:` signatures but
    /// applies this one to OCI sigstore attachment layers).
    pub max_signature_size: u64,
    /// Most signatures read (default 1024; c/image has no limit). An image with more
    /// fails its signature fetch with [`ImageError::TooManySignatures`].
    pub max_signatures: usize,
    /// Largest OCI `index.json` read, in bytes (default 16 MiB, about 60 000
    /// descriptors; c/image has no limit).
    pub max_index_size: u64,
}

impl Default for SourceOptions {
    fn default() -> Self {
        SourceOptions {
            max_manifest_size: FOUR_MIB,
            max_signature_size: FOUR_MIB,
            max_signatures: 1024,
            max_index_size: 16 << 20,
        }
    }
}

impl SourceOptions {
    /// Sets [`SourceOptions::max_manifest_size`].
    #[must_use]
    pub fn with_max_manifest_size(mut self, bytes: u64) -> Self {
        self.max_manifest_size = bytes;
        self
    }

    /// Sets [`SourceOptions::max_signature_size`].
    #[must_use]
    pub fn with_max_signature_size(mut self, bytes: u64) -> Self {
        self.max_signature_size = bytes;
        self
    }

    /// Sets [`SourceOptions::max_signatures`].
    #[must_use]
    pub fn with_max_signatures(mut self, count: usize) -> Self {
        self.max_signatures = count;
        self
    }

    /// Sets [`SourceOptions::max_index_size`].
    #[must_use]
    pub fn with_max_index_size(mut self, bytes: u64) -> Self {
        self.max_index_size = bytes;
        self
    }
}

/// Opens the image `reference` names, with default [`SourceOptions`].
///
/// `dir:` and `oci:` references are supported; every other transport gives
/// [`ImageError::UnsupportedTransport`]. Paths are used as written in the reference
/// (relative paths are relative to the current directory at read time), as c/image
/// does; the policy identity is the path resolved when the reference was parsed.
pub fn open(reference: &ImageReference) -> Result<Box<dyn Image + Send + Sync>, ImageError> {
    open_with(reference, &SourceOptions::default())
}

/// Like [`open`], with explicit limits.
pub fn open_with(
    reference: &ImageReference,
    options: &SourceOptions,
) -> Result<Box<dyn Image + Send + Sync>, ImageError> {
    let within = reference.string_within_transport();
    match reference.transport() {
        Transport::Dir => Ok(Box::new(DirImage::open_with(within, options)?)),
        Transport::Oci => {
            // `ImageReference` keeps oci references in c/image's canonical
            // `dir:image` / `dir:@N` form, and its parser guarantees that the directory
            // has no ':' and that an image name never starts with '@'.
            let (dir, image) = within.split_once(':').unwrap_or((within, ""));
            let selector = match image.strip_prefix('@') {
                Some(index) => {
                    OciSelector::Index(index.parse().map_err(|_| ImageError::InvalidLayout {
                        path: dir.to_owned(),
                        reason: format!("invalid source index @{index}"),
                    })?)
                }
                None if image.is_empty() => OciSelector::Only,
                None => OciSelector::Name(image),
            };
            Ok(Box::new(OciImage::open_with(dir, selector, options)?))
        }
        other => Err(ImageError::UnsupportedTransport {
            transport: other.name().to_owned(),
        }),
    }
}

/// A manifest as read: the bytes and the MIME type (given or guessed).
type LoadedManifest = (Vec<u8>, Option<String>);
/// The manifest of an image, read on first use (c/image's `UnparsedImage` cache).
type ManifestCache = OnceLock<Result<LoadedManifest, ImageError>>;
/// The signatures of an image, read on first use.
type SignaturesCache = OnceLock<Result<Vec<UntrustedSignature>, ImageError>>;

/// [`Image::manifest`] of an on-disk image: the cached manifest, loaded with `load`
/// the first time (a failure is cached too).
fn cached_manifest(
    cache: &ManifestCache,
    load: impl FnOnce() -> Result<LoadedManifest, ImageError>,
) -> Result<UntrustedManifest<'_>, ImageError> {
    match cache.get_or_init(load) {
        Ok((bytes, mime_type)) => Ok(UntrustedManifest {
            bytes,
            mime_type: mime_type.as_deref(),
        }),
        Err(err) => Err(err.clone()),
    }
}

/// [`Image::signatures`] of an on-disk image: the cached signatures, loaded with
/// `load` the first time (a failure is cached too).
fn cached_signatures(
    cache: &SignaturesCache,
    load: impl FnOnce() -> Result<Vec<UntrustedSignature>, ImageError>,
) -> Result<Cow<'_, [UntrustedSignature]>, ImageError> {
    match cache.get_or_init(load) {
        Ok(signatures) => Ok(Cow::Borrowed(signatures)),
        Err(err) => Err(err.clone()),
    }
}

/// Reads at most `limit` bytes of `path`; `Ok(None)` if it does not exist (ENOENT
/// only, like Go's `os.IsNotExist`). `what` names the file in a size error.
fn read_bounded(path: &Path, limit: u64, what: &str) -> Result<Option<Vec<u8>>, ImageError> {
    // Refuse special files that could block `open` (a FIFO waits for a writer);
    // directories fall through and fail on read with EISDIR, as in c/image.
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            return Err(ImageError::Io {
                path: path.display().to_string(),
                kind: std::io::ErrorKind::InvalidInput,
                message: "not a regular file".to_owned(),
            });
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(ImageError::io(path, &err)),
    };
    let mut untrusted_bytes = Vec::new();
    let mut limited = file.take(limit.saturating_add(1));
    limited
        .read_to_end(&mut untrusted_bytes)
        .map_err(|err| ImageError::io(path, &err))?;
    let read = u64::try_from(untrusted_bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        let size = limited
            .into_inner()
            .metadata()
            .map_or(read, |meta| meta.len().max(read));
        return Err(ImageError::TooLarge {
            what: format!("{what} {}", path.display()),
            size,
            limit,
        });
    }
    Ok(Some(untrusted_bytes))
}

/// The digest of `bytes` with `algorithm`, as `algorithm:hex` (`None` for algorithms
/// [`crate::digest::Digest`] does not accept).
fn digest_with_algorithm(algorithm: &str, bytes: &[u8]) -> Option<String> {
    crate::digest::Digest::compute(algorithm, bytes).map(|d| d.as_str().to_owned())
}

/// `Some(mime)` unless it is empty.
fn non_empty(mime: String) -> Option<String> {
    (!mime.is_empty()).then_some(mime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_of_every_algorithm() {
        assert_eq!(
            digest_with_algorithm("sha256", b"").unwrap(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(digest_with_algorithm("sha384", b"").unwrap().len(), 7 + 96);
        assert_eq!(digest_with_algorithm("sha512", b"").unwrap().len(), 7 + 128);
        assert!(digest_with_algorithm("md5", b"").is_none());
    }
}
