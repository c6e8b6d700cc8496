//! Cosign signature attachments, for callers that fetch them from a registry
//! themselves (policy-semantics.md §9; signature-formats.md §1.2).
//!
//! cosign stores an image's signatures in a separate OCI manifest tagged
//! [`attachment_tag`]`(image digest)`; each layer of that manifest is one signature
//! (MIME type = the layer's media type, payload = the layer blob, annotations = the
//! layer's annotations). [`signatures_from_attachment`] turns the manifest and its
//! blobs into [`UntrustedSignature`]s with c/image's rules, ready for an
//! [`Image`](crate::image::Image).

use crate::digest::{Digest, DigestError};
use crate::gojson::decode::{self as gojson, Trailing};
use crate::manifest::guess::{guess_mime_type, mime};
use crate::manifest::oci::{GoDetectedFields, GoManifest};
use crate::signature::{UntrustedSignature, UntrustedSigstoreSignature};

/// The most layers (signatures) read from one attachment manifest.
pub const MAX_ATTACHMENT_LAYERS: usize = 1024;

/// Why an attachment manifest could not be turned into signatures. c/image fails the
/// whole signature fetch in each case (every signature requirement then rejects).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AttachmentError {
    /// The manifest is not an OCI image manifest.
    #[error("unexpected MIME type for sigstore attachment manifest: {found:?}")]
    NotAnOciManifest {
        /// The MIME type it looks like (empty when unrecognised).
        found: String,
    },
    /// The manifest does not decode as an OCI manifest.
    #[error("parsing sigstore attachment manifest: {reason}")]
    InvalidManifest {
        /// What the decoder reported.
        reason: String,
    },
    /// The manifest also has fields of other manifest kinds (c/image's
    /// `validateUnambiguousManifestFormat`).
    #[error("rejecting ambiguous manifest, unexpected fields {fields:?} in an OCI manifest")]
    AmbiguousManifest {
        /// The unexpected fields.
        fields: Vec<&'static str>,
    },
    /// More layers than [`MAX_ATTACHMENT_LAYERS`].
    #[error("the attachment has {count} layers, more than the limit of {limit}")]
    TooManyLayers {
        /// How many it has.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A layer's digest is not a valid digest.
    #[error("layer {index}: invalid digest {digest:?}: {source}")]
    InvalidLayerDigest {
        /// 1-based layer index.
        index: usize,
        /// The digest as written.
        digest: String,
        /// Why it is invalid.
        source: DigestError,
    },
    /// The caller could not fetch a layer blob.
    #[error("layer {index}: fetching {digest}: {reason}")]
    BlobUnavailable {
        /// 1-based layer index.
        index: usize,
        /// The blob's digest.
        digest: Digest,
        /// What the caller reported.
        reason: String,
    },
    /// A layer blob does not match its digest.
    #[error("layer {index}: blob does not match digest {expected} (found {found})")]
    BlobDigestMismatch {
        /// 1-based layer index.
        index: usize,
        /// The digest in the manifest.
        expected: Digest,
        /// The digest of the bytes fetched.
        found: String,
    },
}

/// The tag cosign stores an image's signatures under: the manifest digest with its
/// first `:` replaced by `-`, plus `.sig` (`sha256-<hex>.sig`).
pub fn attachment_tag(manifest_digest: &Digest) -> String {
    format!(
        "{}-{}.sig",
        manifest_digest.algorithm(),
        manifest_digest.encoded()
    )
}

/// Turns a cosign attachment manifest and its layer blobs into signatures, in layer
/// order. `fetch_blob` returns the bytes of a blob by digest (for example from a
/// registry); each is checked against its digest before it is used.
pub fn signatures_from_attachment(
    untrusted_manifest: &[u8],
    mut fetch_blob: impl FnMut(&Digest) -> Result<Vec<u8>, String>,
) -> Result<Vec<UntrustedSignature>, AttachmentError> {
    let found = guess_mime_type(untrusted_manifest);
    if found != mime::OCI_MANIFEST {
        return Err(AttachmentError::NotAnOciManifest { found });
    }
    let manifest: GoManifest =
        gojson::decode(untrusted_manifest, Trailing::Reject).map_err(|e| {
            AttachmentError::InvalidManifest {
                reason: e.to_string(),
            }
        })?;
    let detected: GoDetectedFields =
        gojson::decode(untrusted_manifest, Trailing::Reject).map_err(|e| {
            AttachmentError::InvalidManifest {
                reason: e.to_string(),
            }
        })?;
    let fields: Vec<&'static str> = [
        ("fsLayers", detected.fs_layers.0),
        ("history", detected.history.0),
        ("manifests", detected.manifests.0),
    ]
    .into_iter()
    .filter_map(|(name, present)| present.then_some(name))
    .collect();
    if !fields.is_empty() {
        return Err(AttachmentError::AmbiguousManifest { fields });
    }
    let layers = manifest.layers.into_vec();
    if layers.len() > MAX_ATTACHMENT_LAYERS {
        return Err(AttachmentError::TooManyLayers {
            count: layers.len(),
            limit: MAX_ATTACHMENT_LAYERS,
        });
    }
    let mut signatures = Vec::with_capacity(layers.len());
    for (i, layer) in layers.into_iter().enumerate() {
        let index = i + 1;
        let digest =
            Digest::parse(&layer.digest).map_err(|source| AttachmentError::InvalidLayerDigest {
                index,
                digest: layer.digest.clone(),
                source,
            })?;
        let untrusted_payload =
            fetch_blob(&digest).map_err(|reason| AttachmentError::BlobUnavailable {
                index,
                digest: digest.clone(),
                reason,
            })?;
        let found = Digest::compute(digest.algorithm(), &untrusted_payload)
            .map(|d| d.as_str().to_owned())
            .unwrap_or_default();
        if found != digest.as_str() {
            return Err(AttachmentError::BlobDigestMismatch {
                index,
                expected: digest,
                found,
            });
        }
        signatures.push(UntrustedSignature::Sigstore(UntrustedSigstoreSignature {
            mime_type: layer.media_type,
            payload: untrusted_payload,
            annotations: layer.annotations,
        }));
    }
    Ok(signatures)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(layers: &[(&str, &str, &[u8])]) -> (Vec<u8>, Vec<(Digest, Vec<u8>)>) {
        let mut blobs = Vec::new();
        let layers: Vec<serde_json::Value> = layers
            .iter()
            .map(|(media_type, signature, payload)| {
                let digest = Digest::sha256_of(payload);
                blobs.push((digest.clone(), payload.to_vec()));
                serde_json::json!({"mediaType": media_type, "digest": digest.as_str(), "size": payload.len(),
                    "annotations": {"dev.cosignproject.cosign/signature": signature}})
            })
            .collect();
        let manifest = serde_json::json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": Digest::sha256_of(b"{}").as_str(), "size": 2},
            "layers": layers});
        (manifest.to_string().into_bytes(), blobs)
    }

    #[test]
    fn the_tag_is_the_digest_with_a_dash_and_sig() {
        let digest = Digest::sha256_of(b"");
        assert_eq!(
            attachment_tag(&digest),
            "sha256-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.sig"
        );
    }

    #[test]
    fn layers_become_signatures_with_their_media_type_and_annotations() {
        let (bytes, blobs) = manifest(&[
            (
                "application/vnd.dev.cosign.simplesigning.v1+json",
                "c2ln",
                b"payload-1",
            ),
            ("text/plain", "", b"not a signature"),
        ]);
        let fetch = |d: &Digest| {
            blobs
                .iter()
                .find(|(bd, _)| bd == d)
                .map(|(_, b)| b.clone())
                .ok_or_else(|| "missing".to_owned())
        };
        let signatures =
            signatures_from_attachment(&bytes, fetch).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(signatures.len(), 2);
        let UntrustedSignature::Sigstore(first) = &signatures[0] else {
            panic!("not sigstore")
        };
        assert_eq!(
            first.mime_type,
            "application/vnd.dev.cosign.simplesigning.v1+json"
        );
        assert_eq!(first.payload, b"payload-1");
        assert_eq!(
            first
                .annotations
                .get("dev.cosignproject.cosign/signature")
                .map(String::as_str),
            Some("c2ln")
        );
    }

    #[test]
    fn every_rejection() {
        let (bytes, blobs) = manifest(&[(
            "application/vnd.dev.cosign.simplesigning.v1+json",
            "c2ln",
            b"p",
        )]);
        // A blob that does not match its digest.
        let wrong = signatures_from_attachment(&bytes, |_| Ok(b"tampered".to_vec()));
        assert!(
            matches!(
                wrong,
                Err(AttachmentError::BlobDigestMismatch { index: 1, .. })
            ),
            "{wrong:?}"
        );
        // A blob the caller cannot fetch.
        let missing = signatures_from_attachment(&bytes, |_| Err("404".to_owned()));
        assert!(
            matches!(missing, Err(AttachmentError::BlobUnavailable { .. })),
            "{missing:?}"
        );
        // Not an OCI manifest.
        let docker = br#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}"#;
        assert!(matches!(
            signatures_from_attachment(docker, |_| Ok(Vec::new())),
            Err(AttachmentError::NotAnOciManifest { .. })
        ));
        // Ambiguous: an OCI manifest that also has `manifests`.
        let ambiguous = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[],"manifests":[]}"#;
        assert!(matches!(
            signatures_from_attachment(ambiguous, |_| Ok(Vec::new())),
            Err(AttachmentError::AmbiguousManifest { .. })
        ));
        // A layer digest that is not a digest.
        let bad = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[{"digest":"sha256:xyz"}]}"#;
        assert!(matches!(
            signatures_from_attachment(bad, |_| Ok(Vec::new())),
            Err(AttachmentError::InvalidLayerDigest { .. })
        ));
        // Wrong JSON types.
        let typed = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":{}}"#;
        assert!(matches!(
            signatures_from_attachment(typed, |_| Ok(Vec::new())),
            Err(AttachmentError::InvalidManifest { .. })
        ));
        let _ = blobs;
    }
}
