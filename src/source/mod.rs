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

use std::fs::File;
use std::io::Read as _;
use std::path::Path;

use crate::gojson::decode::{self as gojson, GoAny, GoInt, GoSlice, go_struct};
use crate::image::{Image, ImageError};
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

/// The digest of `bytes` with `algorithm` (one of those [`crate::Digest`] accepts),
/// as `algorithm:hex`.
fn digest_with_algorithm(algorithm: &str, bytes: &[u8]) -> Option<String> {
    use sha2::Digest as _;
    let hash: Vec<u8> = match algorithm {
        "sha256" => sha2::Sha256::digest(bytes).to_vec(),
        "sha384" => sha2::Sha384::digest(bytes).to_vec(),
        "sha512" => sha2::Sha512::digest(bytes).to_vec(),
        _ => return None,
    };
    let mut out = String::with_capacity(algorithm.len() + 1 + hash.len() * 2);
    out.push_str(algorithm);
    out.push(':');
    for byte in hash {
        out.push_str(&format!("{byte:02x}"));
    }
    Some(out)
}

/// Media types (`manifest` package constants).
mod mime {
    pub(super) const DOCKER_V2S1: &str = "application/vnd.docker.distribution.manifest.v1+json";
    pub(super) const DOCKER_V2S1_SIGNED: &str =
        "application/vnd.docker.distribution.manifest.v1+prettyjws";
    pub(super) const DOCKER_V2S2: &str = "application/vnd.docker.distribution.manifest.v2+json";
    pub(super) const DOCKER_V2S2_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
    pub(super) const DOCKER_V2_LIST: &str =
        "application/vnd.docker.distribution.manifest.list.v2+json";
    pub(super) const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
    pub(super) const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
    pub(super) const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
}

go_struct!(
    /// GuessMIMEType's first view of a manifest.
    GuessMeta {
        "mediaType" => media_type: String,
        "schemaVersion" => schema_version: GoInt,
        "signatures" => signatures: GoAny,
    }
);

go_struct!(
    /// GuessMIMEType's `config.mediaType`.
    GuessConfig {
        "mediaType" => media_type: String,
    }
);

go_struct!(
    /// GuessMIMEType's second view of a manifest.
    GuessOciManifest {
        "config" => config: GuessConfig,
    }
);

go_struct!(
    /// GuessMIMEType's third view of a manifest.
    GuessOciIndex {
        "manifests" => manifests: GoSlice<oci::GoDescriptor>,
    }
);

/// c/image's `manifest.GuessMIMEType`: the manifest's MIME type if recognised, else
/// `""`.
fn guess_mime_type(untrusted_manifest: &[u8]) -> String {
    use gojson::Trailing::Reject;
    let Ok(meta) = gojson::decode::<GuessMeta>(untrusted_manifest, Reject) else {
        return String::new();
    };
    match meta.media_type.as_str() {
        mime::DOCKER_V2S2 | mime::DOCKER_V2_LIST | mime::OCI_MANIFEST | mime::OCI_INDEX => {
            return meta.media_type;
        }
        _ => {}
    }
    match meta.schema_version.0 {
        1 if meta.signatures.0 => mime::DOCKER_V2S1_SIGNED.to_owned(),
        1 => mime::DOCKER_V2S1.to_owned(),
        2 => {
            let Ok(manifest) = gojson::decode::<GuessOciManifest>(untrusted_manifest, Reject)
            else {
                return String::new();
            };
            let config = manifest.config.media_type;
            match config.as_str() {
                mime::OCI_CONFIG => return mime::OCI_MANIFEST.to_owned(),
                mime::DOCKER_V2S2_CONFIG => return mime::DOCKER_V2S2.to_owned(),
                _ => {}
            }
            let Ok(index) = gojson::decode::<GuessOciIndex>(untrusted_manifest, Reject) else {
                return String::new();
            };
            if index.manifests.as_slice().is_empty() {
                mime::OCI_MANIFEST.to_owned()
            } else if config.is_empty() {
                mime::OCI_INDEX.to_owned()
            } else {
                // c/image: "FIXME: this is mixing media types of manifests and configs."
                config
            }
        }
        _ => String::new(),
    }
}

/// `Some(mime)` unless it is empty.
fn non_empty(mime: String) -> Option<String> {
    (!mime.is_empty()).then_some(mime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guess_mime_type_follows_c_image() {
        let cases: &[(&str, &str)] = &[
            (
                r#"{"mediaType":"application/vnd.oci.image.manifest.v1+json"}"#,
                mime::OCI_MANIFEST,
            ),
            (
                r#"{"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}"#,
                mime::DOCKER_V2S2,
            ),
            (r#"{"mediaType":"x","schemaVersion":1}"#, mime::DOCKER_V2S1),
            (
                r#"{"schemaVersion":1,"signatures":[]}"#,
                mime::DOCKER_V2S1_SIGNED,
            ),
            (
                r#"{"schemaVersion":1,"signatures":null}"#,
                mime::DOCKER_V2S1,
            ),
            (
                r#"{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json"}}"#,
                mime::OCI_MANIFEST,
            ),
            (
                r#"{"schemaVersion":2,"config":{"mediaType":"application/vnd.docker.container.image.v1+json"}}"#,
                mime::DOCKER_V2S2,
            ),
            (r#"{"schemaVersion":2,"manifests":[{}]}"#, mime::OCI_INDEX),
            (
                r#"{"schemaVersion":2,"config":{"mediaType":"c"},"manifests":[{}]}"#,
                "c",
            ),
            (
                r#"{"schemaVersion":2,"config":{"mediaType":"c"}}"#,
                mime::OCI_MANIFEST,
            ),
            (r#"{"schemaVersion":2,"config":[]}"#, ""),
            (r#"{"schemaVersion":2,"manifests":{}}"#, ""),
            (r#"{"schemaVersion":3}"#, ""),
            (r#"{"schemaVersion":"2"}"#, ""),
            (
                r#"{"mediaType":"application/vnd.oci.image.manifest.v1+json"} x"#,
                "",
            ),
            ("not json", ""),
            // Go: `signatures` is an `any`, whose numbers must fit a float64.
            (r#"{"schemaVersion":1,"signatures":[1e400]}"#, ""),
            // Current c/image (Go ≥ 1.21) folds the dotless i.
            (
                r#"{"medıaType":"application/vnd.oci.image.index.v1+json"}"#,
                mime::OCI_INDEX,
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(guess_mime_type(input.as_bytes()), *expected, "{input}");
        }
    }

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
