//! `dir:` images (c/image `directory/directory_src.go`).

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::digest::Digest;
use crate::image::{Image, ImageError, UntrustedManifest};
use crate::signature::UntrustedSignature;

use super::{
    LoadedManifest, ManifestCache, SignaturesCache, SourceOptions, cached_manifest,
    cached_signatures, guess_mime_type, non_empty, read_bounded,
};

/// An image stored by `skopeo copy … dir:PATH`: `manifest.json` and `signature-1`,
/// `signature-2`, … in a directory.
///
/// Nothing is read when the image is opened, exactly as in c/image: a missing
/// directory or manifest only shows when [`Image::manifest`] is called (so
/// `insecureAcceptAnything` still accepts it, and a signature requirement reports that
/// no signature exists). Files are read on first use and cached.
///
/// * Manifest: `manifest.json`, or `<hex>.manifest.json` for an instance of a
///   manifest list ([`DirImage::with_instance_digest`]). Its MIME type is guessed from
///   the content, as c/image's `manifest.GuessMIMEType` does (`None` if unrecognised).
/// * Signatures: `signature-1`, `signature-2`, … (or `<hex>.signature-N`) until the
///   first that does not exist; a gap ends the list. Each blob is classified as simple
///   signing or sigstore (signature-formats.md §1.2); a blob that is neither, or a
///   file that cannot be read, fails the whole signature fetch, as in c/image.
///
/// Reads are bounded by [`SourceOptions`] (c/image has no limits here; see the
/// [module documentation](super)).
#[derive(Debug, Clone)]
pub struct DirImage {
    path: PathBuf,
    instance: Option<Digest>,
    options: SourceOptions,
    manifest: ManifestCache,
    signatures: SignaturesCache,
}

impl DirImage {
    /// The image in directory `path`, with default [`SourceOptions`].
    ///
    /// This reads nothing and currently never fails (c/image opens `dir:` lazily); the
    /// `Result` leaves room for checks c/image might add.
    pub fn open(path: impl Into<PathBuf>) -> Result<DirImage, ImageError> {
        Self::open_with(path, &SourceOptions::default())
    }

    /// Like [`DirImage::open`], with explicit limits.
    pub fn open_with(
        path: impl Into<PathBuf>,
        options: &SourceOptions,
    ) -> Result<DirImage, ImageError> {
        Ok(DirImage {
            path: path.into(),
            instance: None,
            options: *options,
            manifest: OnceLock::new(),
            signatures: OnceLock::new(),
        })
    }

    /// This image as the instance `digest` of the manifest list stored in the
    /// directory: its manifest is `<hex>.manifest.json` and its signatures
    /// `<hex>.signature-N`, and [`Image::instance_digest`] reports `digest`.
    #[must_use]
    pub fn with_instance_digest(self, digest: Digest) -> DirImage {
        DirImage {
            path: self.path,
            instance: Some(digest),
            options: self.options,
            manifest: OnceLock::new(),
            signatures: OnceLock::new(),
        }
    }

    /// The directory, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path of the manifest file.
    fn manifest_path(&self) -> PathBuf {
        match &self.instance {
            // A `Digest` is validated (lowercase hex only), so this cannot escape the
            // directory.
            Some(digest) => self
                .path
                .join(format!("{}.manifest.json", digest.encoded())),
            None => self.path.join("manifest.json"),
        }
    }

    /// The path of the 1-based `index`th signature.
    fn signature_path(&self, index: usize) -> PathBuf {
        match &self.instance {
            Some(digest) => self
                .path
                .join(format!("{}.signature-{index}", digest.encoded())),
            None => self.path.join(format!("signature-{index}")),
        }
    }

    /// Reads the manifest.
    fn load_manifest(&self) -> Result<LoadedManifest, ImageError> {
        let path = self.manifest_path();
        match read_bounded(&path, self.options.max_manifest_size, "manifest")? {
            Some(untrusted_manifest) => {
                let mime_type = non_empty(guess_mime_type(&untrusted_manifest));
                Ok((untrusted_manifest, mime_type))
            }
            None => Err(ImageError::ManifestNotFound {
                location: path.display().to_string(),
            }),
        }
    }

    /// Reads and classifies `signature-1`, `signature-2`, … until the first missing.
    fn load_signatures(&self) -> Result<Vec<UntrustedSignature>, ImageError> {
        let mut signatures = Vec::new();
        for index in 1..=self.options.max_signatures.saturating_add(1) {
            let path = self.signature_path(index);
            let Some(untrusted_blob) =
                read_bounded(&path, self.options.max_signature_size, "signature")?
            else {
                return Ok(signatures);
            };
            if index > self.options.max_signatures {
                return Err(ImageError::TooManySignatures {
                    limit: self.options.max_signatures,
                });
            }
            let signature = UntrustedSignature::from_blob(&untrusted_blob).map_err(|err| {
                ImageError::InvalidSignature {
                    index,
                    reason: format!("parsing signature {:?}: {err}", path.display()),
                }
            })?;
            signatures.push(signature);
        }
        Ok(signatures)
    }
}

impl Image for DirImage {
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
