//! OCI image layouts (c/image `oci/layout/oci_src.go`, `oci_transport.go`).

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::digest::Digest;
use crate::image::{Image, ImageError, UntrustedManifest};
use crate::signature::UntrustedSignature;

use super::{
    LoadedManifest, ManifestCache, SignaturesCache, SourceOptions, cached_manifest,
    cached_signatures, digest_with_algorithm, guess_mime_type, mime, non_empty, read_bounded,
};
use crate::gojson::decode::{self as gojson, Trailing};
use crate::manifest::oci::{GoDescriptor, GoIndex};
use crate::sigstore::attachment;

/// The annotation that names an image in `index.json`.
const REF_NAME: &str = "org.opencontainers.image.ref.name";

/// One entry of `index.json`, as much of it as image selection and signatures use.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OciDescriptor {
    /// `mediaType` (may be empty).
    pub media_type: String,
    /// `digest`, unvalidated: c/image validates it only when the manifest or
    /// signatures are read.
    pub digest: String,
    /// `size` as written (c/image does not check it).
    pub size: i64,
    /// The `org.opencontainers.image.ref.name` annotation, if present.
    pub ref_name: Option<String>,
}

impl OciDescriptor {
    /// The entry of a decoded descriptor.
    fn from_go(descriptor: GoDescriptor) -> OciDescriptor {
        let ref_name = descriptor.annotations.get(REF_NAME).cloned();
        OciDescriptor {
            media_type: descriptor.media_type,
            digest: descriptor.digest,
            size: descriptor.size.0,
            ref_name,
        }
    }
}

/// Which image of an OCI layout to open (the part of an `oci:` reference after the
/// path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OciSelector<'a> {
    /// `path` or `path:`: the only manifest of `index.json`; an error unless it lists
    /// exactly one.
    Only,
    /// `path:name`: the first manifest whose `org.opencontainers.image.ref.name`
    /// annotation is `name` and whose media type is an image manifest or index (OCI or
    /// Docker schema 2). An empty name means [`OciSelector::Only`].
    Name(&'a str),
    /// `path:@N`: the `N`th manifest of `index.json` (0-based), whatever its media type
    /// or name.
    Index(u64),
}

/// An image in an OCI image layout (`oci:PATH[:NAME]`, `oci:PATH:@N`).
///
/// Opening reads `index.json` and selects the manifest descriptor exactly as c/image's
/// `getManifestDescriptor` (current c/image; see [`OciSelector`]), with the same
/// failures: an unreadable or undecodable `index.json` ([`ImageError::Io`],
/// [`ImageError::InvalidLayout`]; decoded with Go's leniency: keys match
/// case-insensitively, unknown keys and data after the JSON value are ignored),
/// [`ImageError::NoImageSelected`], [`ImageError::ImageNotFound`],
/// [`ImageError::UnsupportedManifestTypes`] and [`ImageError::SourceIndexOutOfRange`].
/// `oci-layout` is not read, as in c/image.
///
/// * Manifest: the blob `blobs/<alg>/<hex>` of the descriptor's digest (validated
///   only now: an invalid digest fails [`Image::manifest`], not the open). Its MIME
///   type is the descriptor's media type, or else guessed from the content. Like
///   c/image, the blob is **not** checked against the descriptor's digest or size: a
///   signature binds the manifest bytes themselves, so the check would add nothing
///   for policy; [`OciImage::verify_manifest`] performs it on request.
/// * Signatures: the sigstore attachments of current c/image (5.3x and later). The
///   manifest tagged `sha256-<hex>.sig` (the descriptor's digest with the first `:`
///   replaced by `-`, plus `.sig`) in `index.json`, if any, must be an OCI image
///   manifest (≤ 4 MiB, MIME type guessed from its content, no `manifests`, `fsLayers`
///   or `history` fields); each of its layers (≤ 4 MiB, digest-verified) becomes a
///   sigstore signature with the layer's media type, content and annotations. No
///   attachment means no signatures. OCI layouts never hold simple-signing
///   signatures. **c/image 5.23** (Debian 12, the project's oracle) returns no
///   signatures for any OCI layout, so there every signature requirement rejects.
#[derive(Debug, Clone)]
pub struct OciImage {
    layout: PathBuf,
    entries: Vec<OciDescriptor>,
    selected: usize,
    descriptor: OciDescriptor,
    instance: Option<Digest>,
    options: SourceOptions,
    manifest: ManifestCache,
    signatures: SignaturesCache,
}

impl OciImage {
    /// Opens the image called `name` in the layout at `layout`, or its only image if
    /// `name` is `None` or empty, with default [`SourceOptions`].
    pub fn open(layout: impl Into<PathBuf>, name: Option<&str>) -> Result<OciImage, ImageError> {
        let selector = match name {
            Some(name) => OciSelector::Name(name),
            None => OciSelector::Only,
        };
        Self::open_with(layout, selector, &SourceOptions::default())
    }

    /// Opens the `index`th (0-based) image of the layout at `layout`, with default
    /// [`SourceOptions`].
    pub fn open_index(layout: impl Into<PathBuf>, index: u64) -> Result<OciImage, ImageError> {
        Self::open_with(layout, OciSelector::Index(index), &SourceOptions::default())
    }

    /// Opens the image `selector` chooses in the layout at `layout`, with explicit
    /// limits.
    pub fn open_with(
        layout: impl Into<PathBuf>,
        selector: OciSelector<'_>,
        options: &SourceOptions,
    ) -> Result<OciImage, ImageError> {
        let layout = layout.into();
        let entries = read_index(&layout, options)?;
        let selected = select(&layout, &entries, selector)?;
        let descriptor = entries
            .get(selected)
            .cloned()
            .ok_or_else(|| ImageError::Other("internal error: selected no entry".to_owned()))?;
        Ok(OciImage {
            layout,
            entries,
            selected,
            descriptor,
            instance: None,
            options: *options,
            manifest: OnceLock::new(),
            signatures: OnceLock::new(),
        })
    }

    /// This image as the instance `digest` of the selected manifest list: the
    /// manifest is the blob of `digest` (MIME type from the first `index.json` entry
    /// with that digest, else guessed), its signatures are those attached to `digest`,
    /// and [`Image::instance_digest`] reports it.
    #[must_use]
    pub fn with_instance_digest(self, digest: Digest) -> OciImage {
        OciImage {
            instance: Some(digest),
            manifest: OnceLock::new(),
            signatures: OnceLock::new(),
            ..self
        }
    }

    /// The layout directory, as given.
    pub fn layout(&self) -> &Path {
        &self.layout
    }

    /// The selected `index.json` entry.
    pub fn descriptor(&self) -> &OciDescriptor {
        &self.descriptor
    }

    /// The selected entry's position in `index.json`.
    pub fn index_position(&self) -> usize {
        self.selected
    }

    /// Every entry of `index.json`, in order.
    pub fn index_entries(&self) -> &[OciDescriptor] {
        &self.entries
    }

    /// Checks the manifest blob against the selected descriptor's digest and size
    /// (or, for an instance, against the instance digest). c/image never does this;
    /// [`Image::manifest`] does not either. Fails with [`ImageError::DigestMismatch`] or
    /// [`ImageError::InvalidLayout`] (size), or with the error of [`Image::manifest`].
    pub fn verify_manifest(&self) -> Result<(), ImageError> {
        let manifest = self.manifest()?;
        let expected = self.manifest_digest()?;
        let actual =
            digest_with_algorithm(expected.algorithm(), manifest.bytes).unwrap_or_default();
        if actual != expected.as_str() {
            return Err(ImageError::DigestMismatch {
                what: format!("manifest in {}", self.layout.display()),
                expected: expected.as_str().to_owned(),
                actual,
            });
        }
        if self.instance.is_none() {
            let size = self.descriptor().size;
            if u64::try_from(size).ok() != u64::try_from(manifest.bytes.len()).ok() {
                return Err(ImageError::InvalidLayout {
                    path: self.layout.display().to_string(),
                    reason: format!(
                        "manifest is {} bytes, its descriptor says {size}",
                        manifest.bytes.len()
                    ),
                });
            }
        }
        Ok(())
    }

    /// The digest of the manifest to read, validated (c/image's `blobPath`).
    fn manifest_digest(&self) -> Result<Digest, ImageError> {
        match &self.instance {
            Some(digest) => Ok(digest.clone()),
            None => parse_digest(&self.layout, &self.descriptor().digest),
        }
    }

    /// `blobs/<alg>/<hex>`.
    fn blob_path(&self, digest: &Digest) -> PathBuf {
        self.layout
            .join("blobs")
            .join(digest.algorithm())
            .join(digest.encoded())
    }

    /// Reads the manifest blob (`GetManifest`).
    fn load_manifest(&self) -> Result<LoadedManifest, ImageError> {
        let digest = self.manifest_digest()?;
        let media_type = match &self.instance {
            None => self.descriptor().media_type.clone(),
            Some(instance) => self
                .entries
                .iter()
                .find(|entry| entry.digest == instance.as_str())
                .map(|entry| entry.media_type.clone())
                .unwrap_or_default(),
        };
        let path = self.blob_path(&digest);
        let Some(untrusted_manifest) =
            read_bounded(&path, self.options.max_manifest_size, "manifest")?
        else {
            return Err(ImageError::ManifestNotFound {
                location: path.display().to_string(),
            });
        };
        let mime_type = if media_type.is_empty() {
            non_empty(guess_mime_type(&untrusted_manifest))
        } else {
            Some(media_type)
        };
        Ok((untrusted_manifest, mime_type))
    }

    /// Reads the sigstore attachments (`GetSignaturesWithFormat`).
    fn load_signatures(&self) -> Result<Vec<UntrustedSignature>, ImageError> {
        let digest = match &self.instance {
            Some(digest) => digest.clone(),
            None => {
                let raw = &self.descriptor().digest;
                if raw.is_empty() {
                    return Err(self.layout_error("unknown manifest digest, can't get signatures"));
                }
                parse_digest(&self.layout, raw)?
            }
        };
        let tag = format!("{}.sig", digest.as_str().replacen(':', "-", 1));
        let Some(attachment) = self
            .entries
            .iter()
            .find(|entry| entry.ref_name.as_deref() == Some(tag.as_str()))
        else {
            return Ok(Vec::new());
        };
        let attachment_digest = parse_digest(&self.layout, &attachment.digest)?;
        let path = self.blob_path(&attachment_digest);
        let untrusted_manifest = read_bounded(&path, self.options.max_manifest_size, "manifest")?
            .ok_or_else(|| missing_blob(&path))?;
        let mut fetch_error = None;
        let fetched = attachment::signatures_from_attachment(&untrusted_manifest, |digest| {
            let path = self.blob_path(digest);
            match read_bounded(&path, self.options.max_signature_size, "signature") {
                Ok(Some(bytes)) => Ok(bytes),
                Ok(None) => {
                    fetch_error = Some(missing_blob(&path));
                    Err("missing".to_owned())
                }
                Err(error) => {
                    let reason = error.to_string();
                    fetch_error = Some(error);
                    Err(reason)
                }
            }
        });
        match fetched {
            Ok(signatures) if signatures.len() > self.options.max_signatures => {
                Err(ImageError::TooManySignatures {
                    limit: self.options.max_signatures,
                })
            }
            Ok(signatures) => Ok(signatures),
            Err(attachment::AttachmentError::BlobUnavailable { .. }) if fetch_error.is_some() => {
                Err(fetch_error.unwrap_or_else(|| self.layout_error("blob unavailable")))
            }
            Err(attachment::AttachmentError::BlobDigestMismatch {
                expected, found, ..
            }) => Err(ImageError::DigestMismatch {
                what: format!(
                    "sigstore attachment layer {}",
                    self.blob_path(&expected).display()
                ),
                expected: expected.as_str().to_owned(),
                actual: found,
            }),
            Err(attachment::AttachmentError::TooManyLayers { .. }) => {
                Err(ImageError::TooManySignatures {
                    limit: self.options.max_signatures,
                })
            }
            Err(error) => {
                Err(self.layout_error(&format!("sigstore attachment manifest {tag}: {error}")))
            }
        }
    }

    /// An [`ImageError::InvalidLayout`] for this layout.
    fn layout_error(&self, reason: &str) -> ImageError {
        ImageError::InvalidLayout {
            path: self.layout.display().to_string(),
            reason: reason.to_owned(),
        }
    }
}

impl Image for OciImage {
    fn manifest(&self) -> Result<UntrustedManifest<'_>, ImageError> {
        cached_manifest(&self.manifest, || self.load_manifest())
    }

    fn signatures(&self) -> Result<Cow<'_, [UntrustedSignature]>, ImageError> {
        cached_signatures(&self.signatures, || self.load_signatures())
    }

    fn instance_digest(&self) -> Option<&Digest> {
        self.instance.as_ref()
    }
}

/// Reads and decodes `index.json` (`getIndex`: Go's `json.Decoder`, so data after
/// the first JSON value is ignored).
fn read_index(layout: &Path, options: &SourceOptions) -> Result<Vec<OciDescriptor>, ImageError> {
    let path = layout.join("index.json");
    let untrusted_index =
        read_bounded(&path, options.max_index_size, "index")?.ok_or_else(|| ImageError::Io {
            path: path.display().to_string(),
            kind: std::io::ErrorKind::NotFound,
            message: "no such file or directory".to_owned(),
        })?;
    let index: GoIndex = gojson::decode(&untrusted_index, Trailing::Ignore).map_err(|reason| {
        ImageError::InvalidLayout {
            path: layout.display().to_string(),
            reason: format!("decoding index.json: {reason}"),
        }
    })?;
    Ok(index
        .manifests
        .into_vec()
        .into_iter()
        .map(OciDescriptor::from_go)
        .collect())
}

/// `getManifestDescriptor`: the position of the selected entry.
fn select(
    layout: &Path,
    entries: &[OciDescriptor],
    selector: OciSelector<'_>,
) -> Result<usize, ImageError> {
    let layout_name = || layout.display().to_string();
    match selector {
        OciSelector::Index(index) => usize::try_from(index)
            .ok()
            .filter(|&i| i < entries.len())
            .ok_or_else(|| ImageError::SourceIndexOutOfRange {
                layout: layout_name(),
                index,
                count: entries.len(),
            }),
        OciSelector::Name(name) if !name.is_empty() => {
            let mut unsupported = Vec::new();
            for (position, entry) in entries.iter().enumerate() {
                if entry.ref_name.as_deref() != Some(name) {
                    continue;
                }
                match entry.media_type.as_str() {
                    mime::OCI_MANIFEST
                    | mime::OCI_INDEX
                    | mime::DOCKER_V2S2
                    | mime::DOCKER_V2_LIST => return Ok(position),
                    other => unsupported.push(other.to_owned()),
                }
            }
            if unsupported.is_empty() {
                Err(ImageError::ImageNotFound {
                    layout: layout_name(),
                    name: name.to_owned(),
                })
            } else {
                Err(ImageError::UnsupportedManifestTypes {
                    layout: layout_name(),
                    name: name.to_owned(),
                    mime_types: unsupported,
                })
            }
        }
        OciSelector::Only | OciSelector::Name(_) => {
            if entries.len() == 1 {
                Ok(0)
            } else {
                Err(ImageError::NoImageSelected {
                    layout: layout_name(),
                    count: entries.len(),
                })
            }
        }
    }
}

/// Validates a digest read from the layout (`blobPath`: `unexpected digest
/// reference`).
fn parse_digest(layout: &Path, raw: &str) -> Result<Digest, ImageError> {
    Digest::parse(raw).map_err(|err| ImageError::InvalidLayout {
        path: layout.display().to_string(),
        reason: format!("unexpected digest reference {raw}: {err}"),
    })
}

/// The error for a blob that does not exist.
fn missing_blob(path: &Path) -> ImageError {
    ImageError::Io {
        path: path.display().to_string(),
        kind: std::io::ErrorKind::NotFound,
        message: "no such file or directory".to_owned(),
    }
}
