//! OCI layout image sources: manifest selection from `index.json` and its errors,
//! blob reading, and sigstore attachments, with the behaviours the c/image 5.23.1
//! oracle (`cimage-eval`) showed recorded in comments.
#![cfg(feature = "fs")]

use std::fs;
use std::path::Path;

use containers_policy::Digest;
use containers_policy::ImageReference;
use containers_policy::image::{Image, ImageError};
use containers_policy::signature::UntrustedSignature;
use containers_policy::source::{self, OciImage, OciSelector, SourceOptions};

const OCI_MANIFEST_MT: &str = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX_MT: &str = "application/vnd.oci.image.index.v1+json";
const DOCKER_V2S2_MT: &str = "application/vnd.docker.distribution.manifest.v2+json";
const COSIGN_MT: &str = "application/vnd.dev.cosign.simplesigning.v1+json";

fn manifest_json(tag: &str) -> String {
    format!(
        r#"{{"schemaVersion":2,"mediaType":"{OCI_MANIFEST_MT}","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0}},"layers":[],"annotations":{{"t":"{tag}"}}}}"#
    )
}

/// Writes a blob and returns its digest.
fn blob(layout: &Path, bytes: impl AsRef<[u8]>) -> Digest {
    let bytes = bytes.as_ref();
    let digest = Digest::sha256_of(bytes);
    let dir = layout.join("blobs").join("sha256");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join(digest.encoded()), bytes).unwrap();
    digest
}

fn descriptor(media_type: &str, digest: &str, size: usize, name: Option<&str>) -> String {
    let annotations = match name {
        Some(name) => format!(r#","annotations":{{"org.opencontainers.image.ref.name":"{name}"}}"#),
        None => String::new(),
    };
    format!(r#"{{"mediaType":"{media_type}","digest":"{digest}","size":{size}{annotations}}}"#)
}

fn write_index(layout: &Path, descriptors: &[String]) {
    fs::write(
        layout.join("index.json"),
        format!(
            r#"{{"schemaVersion":2,"manifests":[{}]}}"#,
            descriptors.join(",")
        ),
    )
    .unwrap();
}

/// A layout with manifests `a` and `b` (like the oracle's `oci-layout` vector).
fn two_images() -> (tempfile::TempDir, Digest, Digest) {
    let tmp = tempfile::tempdir().unwrap();
    let a = blob(tmp.path(), manifest_json("a"));
    let b = blob(tmp.path(), manifest_json("b"));
    let size = manifest_json("a").len();
    write_index(
        tmp.path(),
        &[
            descriptor(OCI_MANIFEST_MT, a.as_str(), size, Some("a")),
            descriptor(OCI_MANIFEST_MT, b.as_str(), size, Some("b")),
        ],
    );
    fs::write(
        tmp.path().join("oci-layout"),
        r#"{"imageLayoutVersion":"1.0.0"}"#,
    )
    .unwrap();
    (tmp, a, b)
}

#[test]
fn by_name() {
    // Oracle: oci:LAYOUT:a and oci:LAYOUT:b open.
    let (tmp, a, b) = two_images();
    for (name, digest, tag) in [("a", &a, "a"), ("b", &b, "b")] {
        let img = OciImage::open(tmp.path(), Some(name)).unwrap();
        assert_eq!(img.descriptor().digest, digest.as_str());
        assert_eq!(img.descriptor().ref_name.as_deref(), Some(name));
        let manifest = img.manifest().unwrap();
        assert_eq!(manifest.bytes, manifest_json(tag).as_bytes());
        assert_eq!(manifest.mime_type, Some(OCI_MANIFEST_MT));
        assert!(img.verify_manifest().is_ok());
        assert!(img.signatures().unwrap().is_empty());
        assert!(img.instance_digest().is_none());
    }
    let img = OciImage::open(tmp.path(), Some("b")).unwrap();
    assert_eq!(img.index_position(), 1);
    assert_eq!(img.index_entries().len(), 2);
    assert_eq!(img.layout(), tmp.path());
}

#[test]
fn unknown_name() {
    // Oracle: `opening image source: no descriptor found for reference "c"`.
    let (tmp, _, _) = two_images();
    match OciImage::open(tmp.path(), Some("c")) {
        Err(ImageError::ImageNotFound { name, .. }) => assert_eq!(name, "c"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn no_name_needs_exactly_one_image() {
    // Oracle: `oci:LAYOUT` (and `oci:LAYOUT:`) with two images: "more than one image
    // in oci, choose an image"; with an empty manifest list or a `null` index.json:
    // the same error.
    let (tmp, _, _) = two_images();
    assert!(matches!(
        OciImage::open(tmp.path(), None),
        Err(ImageError::NoImageSelected { count: 2, .. })
    ));
    assert!(matches!(
        OciImage::open(tmp.path(), Some("")),
        Err(ImageError::NoImageSelected { count: 2, .. })
    ));
    for index in [r#"{"schemaVersion":2,"manifests":[]}"#, "null", "{}"] {
        fs::write(tmp.path().join("index.json"), index).unwrap();
        assert!(
            matches!(
                OciImage::open(tmp.path(), None),
                Err(ImageError::NoImageSelected { count: 0, .. })
            ),
            "{index}"
        );
    }
}

#[test]
fn single_image_without_a_name() {
    // Oracle: a one-entry index without annotations opens as `oci:LAYOUT:`, and
    // `oci:LAYOUT:a` then fails with "no descriptor found".
    let tmp = tempfile::tempdir().unwrap();
    let a = blob(tmp.path(), manifest_json("a"));
    write_index(
        tmp.path(),
        &[descriptor(OCI_MANIFEST_MT, a.as_str(), 1, None)],
    );
    let img = OciImage::open(tmp.path(), None).unwrap();
    assert_eq!(img.manifest().unwrap().bytes, manifest_json("a").as_bytes());
    assert!(matches!(
        OciImage::open(tmp.path(), Some("a")),
        Err(ImageError::ImageNotFound { .. })
    ));
    // Without a name, the media type is not checked.
    write_index(
        tmp.path(),
        &[descriptor("application/x-other", a.as_str(), 1, None)],
    );
    let img = OciImage::open(tmp.path(), None).unwrap();
    assert_eq!(
        img.manifest().unwrap().mime_type,
        Some("application/x-other")
    );
}

#[test]
fn by_index() {
    // `path:@N` is current c/image (5.23 refuses the reference: "Invalid image @0").
    let (tmp, a, b) = two_images();
    assert_eq!(
        OciImage::open_index(tmp.path(), 0)
            .unwrap()
            .descriptor()
            .digest,
        a.as_str()
    );
    assert_eq!(
        OciImage::open_index(tmp.path(), 1)
            .unwrap()
            .descriptor()
            .digest,
        b.as_str()
    );
    match OciImage::open_index(tmp.path(), 2) {
        Err(ImageError::SourceIndexOutOfRange { index, count, .. }) => {
            assert_eq!((index, count), (2, 2));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        OciImage::open_index(tmp.path(), u64::MAX),
        Err(ImageError::SourceIndexOutOfRange { .. })
    ));
    // An index ignores media types and names.
    write_index(
        tmp.path(),
        &[descriptor("application/x-other", a.as_str(), 1, None)],
    );
    assert!(OciImage::open_index(tmp.path(), 0).is_ok());
}

#[test]
fn name_matching_checks_media_types() {
    let tmp = tempfile::tempdir().unwrap();
    let a = blob(tmp.path(), manifest_json("a"));
    let b = blob(tmp.path(), manifest_json("b"));
    // Only unsupported media types carry the name: current c/image reports them (5.23
    // skipped them and said "no descriptor found"; the oracle shows that: either way
    // the open fails).
    write_index(
        tmp.path(),
        &[
            descriptor("application/x-foo", a.as_str(), 1, Some("a")),
            descriptor("", a.as_str(), 1, Some("a")),
        ],
    );
    match OciImage::open(tmp.path(), Some("a")) {
        Err(ImageError::UnsupportedManifestTypes {
            mime_types, name, ..
        }) => {
            assert_eq!(name, "a");
            assert_eq!(mime_types, ["application/x-foo", ""]);
        }
        other => panic!("{other:?}"),
    }
    // An unsupported entry is skipped in favour of a later supported one.
    for supported in [
        OCI_MANIFEST_MT,
        OCI_INDEX_MT,
        DOCKER_V2S2_MT,
        "application/vnd.docker.distribution.manifest.list.v2+json",
    ] {
        write_index(
            tmp.path(),
            &[
                descriptor("application/x-foo", a.as_str(), 1, Some("a")),
                descriptor(supported, b.as_str(), 1, Some("a")),
            ],
        );
        let img = OciImage::open(tmp.path(), Some("a")).unwrap();
        assert_eq!(img.descriptor().digest, b.as_str(), "{supported}");
        assert_eq!(img.manifest().unwrap().mime_type, Some(supported));
    }
}

#[test]
fn duplicate_names_pick_the_first() {
    // Oracle: an index naming both entries "a" opens `oci:LAYOUT:a`.
    let (tmp, a, b) = two_images();
    write_index(
        tmp.path(),
        &[
            descriptor(OCI_MANIFEST_MT, a.as_str(), 1, Some("a")),
            descriptor(OCI_MANIFEST_MT, b.as_str(), 1, Some("a")),
        ],
    );
    let img = OciImage::open(tmp.path(), Some("a")).unwrap();
    assert_eq!(img.descriptor().digest, a.as_str());
}

#[test]
fn missing_index_or_layout() {
    // Oracle: "open …/index.json: no such file or directory" at open.
    let tmp = tempfile::tempdir().unwrap();
    for layout in [tmp.path().to_path_buf(), tmp.path().join("nope")] {
        match OciImage::open(&layout, Some("a")) {
            Err(ImageError::Io { kind, path, .. }) => {
                assert_eq!(kind, std::io::ErrorKind::NotFound);
                assert!(path.ends_with("index.json"));
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn index_json_is_decoded_like_go() {
    let (tmp, a, _) = two_images();
    let good = fs::read_to_string(tmp.path().join("index.json")).unwrap();
    let set = |text: &str| fs::write(tmp.path().join("index.json"), text).unwrap();

    // Oracle: data after the JSON value is ignored (json.Decoder), keys match
    // case-insensitively.
    set(&format!("{good} garbage"));
    assert_eq!(
        OciImage::open(tmp.path(), Some("a"))
            .unwrap()
            .descriptor()
            .digest,
        a.as_str()
    );
    set(&good
        .replace("\"manifests\"", "\"MANIFESTS\"")
        .replace("\"annotations\"", "\"Annotations\""));
    assert_eq!(
        OciImage::open(tmp.path(), Some("a"))
            .unwrap()
            .descriptor()
            .digest,
        a.as_str()
    );
    // Unknown fields are ignored.
    set(&good.replace("\"schemaVersion\":2", "\"schemaVersion\":2,\"x\":[{}]"));
    assert!(OciImage::open(tmp.path(), Some("a")).is_ok());

    // Oracle: truncated JSON ("unexpected EOF") and a wrongly typed field ("cannot
    // unmarshal string into Go struct field Descriptor.manifests.size of type int64")
    // fail the open.
    for bad in [
        "{\"manifests\":".to_owned(),
        good.replacen("\"size\":", "\"size\":\"", 1).replacen(
            ",\"annotations\"",
            "\",\"annotations\"",
            1,
        ),
        good.replace("\"schemaVersion\":2", "\"schemaVersion\":2.5"),
        good.replacen("\"annotations\":{", "\"annotations\":{\"n\":1,", 1),
        r#"{"manifests":{}}"#.to_owned(),
        "[]".to_owned(),
        String::new(),
    ] {
        set(&bad);
        assert!(
            matches!(
                OciImage::open(tmp.path(), Some("a")),
                Err(ImageError::InvalidLayout { .. })
            ),
            "{bad}"
        );
    }
}

#[test]
fn oversized_index_and_manifest() {
    let (tmp, _, _) = two_images();
    let index_len = fs::metadata(tmp.path().join("index.json")).unwrap().len();
    let tight = SourceOptions::default().with_max_index_size(index_len - 1);
    assert!(matches!(
        OciImage::open_with(tmp.path(), OciSelector::Name("a"), &tight),
        Err(ImageError::TooLarge { .. })
    ));
    let small = SourceOptions::default().with_max_manifest_size(10);
    let img = OciImage::open_with(tmp.path(), OciSelector::Name("a"), &small).unwrap();
    assert!(matches!(
        img.manifest(),
        Err(ImageError::TooLarge { limit: 10, .. })
    ));
}

#[test]
fn bad_descriptor_digest_fails_reads_not_the_open() {
    // Oracle: an upper-case digest in index.json still opens (and
    // insecureAcceptAnything accepts); c/image validates it only in blobPath.
    let (tmp, a, _) = two_images();
    let good = fs::read_to_string(tmp.path().join("index.json")).unwrap();
    let bad_digest = a.as_str().replacen("sha256:", "sha256:X", 1);
    fs::write(
        tmp.path().join("index.json"),
        good.replacen(a.as_str(), &bad_digest, 1),
    )
    .unwrap();
    let img = OciImage::open(tmp.path(), Some("a")).unwrap();
    assert!(matches!(
        img.manifest(),
        Err(ImageError::InvalidLayout { .. })
    ));
    assert!(matches!(
        img.signatures(),
        Err(ImageError::InvalidLayout { .. })
    ));

    // An empty digest: c/image's "unknown manifest digest, can't get signatures".
    fs::write(
        tmp.path().join("index.json"),
        good.replacen(a.as_str(), "", 1),
    )
    .unwrap();
    let img = OciImage::open(tmp.path(), Some("a")).unwrap();
    match img.signatures() {
        Err(ImageError::InvalidLayout { reason, .. }) => {
            assert!(reason.contains("unknown manifest digest"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn missing_blob_fails_the_manifest_only() {
    // Oracle: with the manifest blob of `a` deleted, `oci:LAYOUT:a` still opens.
    let (tmp, a, _) = two_images();
    fs::remove_file(tmp.path().join("blobs/sha256").join(a.encoded())).unwrap();
    let img = OciImage::open(tmp.path(), Some("a")).unwrap();
    assert!(matches!(
        img.manifest(),
        Err(ImageError::ManifestNotFound { .. })
    ));
    assert!(img.signatures().unwrap().is_empty());
}

#[test]
fn digest_and_size_mismatch_are_not_checked_unless_asked() {
    // c/image returns the blob as read; only verify_manifest checks it.
    let (tmp, a, _) = two_images();
    fs::write(
        tmp.path().join("blobs/sha256").join(a.encoded()),
        manifest_json("tampered"),
    )
    .unwrap();
    let img = OciImage::open(tmp.path(), Some("a")).unwrap();
    assert_eq!(
        img.manifest().unwrap().bytes,
        manifest_json("tampered").as_bytes()
    );
    match img.verify_manifest() {
        Err(ImageError::DigestMismatch {
            expected, actual, ..
        }) => {
            assert_eq!(expected, a.as_str());
            assert_eq!(
                actual,
                Digest::sha256_of(manifest_json("tampered").as_bytes()).as_str()
            );
        }
        other => panic!("{other:?}"),
    }

    let (tmp, a, _) = two_images();
    let good = fs::read_to_string(tmp.path().join("index.json")).unwrap();
    let size = manifest_json("a").len();
    fs::write(
        tmp.path().join("index.json"),
        good.replacen(&format!("\"size\":{size}"), "\"size\":1", 1),
    )
    .unwrap();
    let img = OciImage::open(tmp.path(), Some("a")).unwrap();
    assert_eq!(img.descriptor().size, 1);
    assert!(img.manifest().is_ok());
    assert!(matches!(
        img.verify_manifest(),
        Err(ImageError::InvalidLayout { .. })
    ));
    let _ = a;
}

#[test]
fn mime_type_is_guessed_when_the_descriptor_has_none() {
    let tmp = tempfile::tempdir().unwrap();
    let a = blob(tmp.path(), manifest_json("a"));
    write_index(tmp.path(), &[descriptor("", a.as_str(), 1, None)]);
    let img = OciImage::open(tmp.path(), None).unwrap();
    assert_eq!(img.manifest().unwrap().mime_type, Some(OCI_MANIFEST_MT));
    let b = blob(tmp.path(), "not a manifest");
    write_index(tmp.path(), &[descriptor("", b.as_str(), 1, None)]);
    let img = OciImage::open(tmp.path(), None).unwrap();
    assert_eq!(img.manifest().unwrap().mime_type, None);
}

#[test]
fn instance_of_an_index() {
    let tmp = tempfile::tempdir().unwrap();
    let inst = blob(tmp.path(), manifest_json("instance"));
    let list = blob(
        tmp.path(),
        format!(
            r#"{{"schemaVersion":2,"mediaType":"{OCI_INDEX_MT}","manifests":[{}]}}"#,
            descriptor(OCI_MANIFEST_MT, inst.as_str(), 1, None)
        ),
    );
    write_index(
        tmp.path(),
        &[descriptor(OCI_INDEX_MT, list.as_str(), 1, Some("l"))],
    );
    let img = OciImage::open(tmp.path(), Some("l")).unwrap();
    assert_eq!(img.manifest().unwrap().mime_type, Some(OCI_INDEX_MT));
    let img = img.with_instance_digest(inst.clone());
    assert_eq!(img.instance_digest(), Some(&inst));
    let manifest = img.manifest().unwrap();
    assert_eq!(manifest.bytes, manifest_json("instance").as_bytes());
    // Not listed in index.json: the MIME type is guessed.
    assert_eq!(manifest.mime_type, Some(OCI_MANIFEST_MT));
    assert!(img.verify_manifest().is_ok());
    assert!(img.signatures().unwrap().is_empty());
}

/// Adds a sigstore attachment for `signed` with these layers (media type, payload,
/// annotations JSON); returns the attachment manifest's digest.
fn attach(
    layout: &Path,
    descriptors: &mut Vec<String>,
    signed: &Digest,
    attachment: &str,
) -> Digest {
    let digest = blob(layout, attachment);
    let tag = format!("{}.sig", signed.as_str().replacen(':', "-", 1));
    descriptors.push(descriptor(
        OCI_MANIFEST_MT,
        digest.as_str(),
        attachment.len(),
        Some(&tag),
    ));
    write_index(layout, descriptors);
    digest
}

fn attachment_manifest(layers: &[String]) -> String {
    format!(
        r#"{{"schemaVersion":2,"mediaType":"{OCI_MANIFEST_MT}","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0}},"layers":[{}]}}"#,
        layers.join(",")
    )
}

fn layer(layout: &Path, payload: &str, annotation: &str) -> String {
    let digest = blob(layout, payload);
    format!(
        r#"{{"mediaType":"{COSIGN_MT}","digest":"{}","size":{},"annotations":{{"dev.cosignproject.cosign/signature":"{annotation}"}}}}"#,
        digest.as_str(),
        payload.len()
    )
}

fn signed_layout() -> (tempfile::TempDir, Vec<String>, Digest) {
    let tmp = tempfile::tempdir().unwrap();
    let a = blob(tmp.path(), manifest_json("a"));
    let descriptors = vec![descriptor(OCI_MANIFEST_MT, a.as_str(), 1, Some("a"))];
    write_index(tmp.path(), &descriptors);
    (tmp, descriptors, a)
}

#[test]
fn sigstore_attachments_become_signatures() {
    // Current c/image; 5.23 (the oracle) returns no signatures for any OCI layout.
    let (tmp, mut descriptors, a) = signed_layout();
    let layers = [
        layer(tmp.path(), "payload-1", "sig1"),
        layer(tmp.path(), "payload-2", "sig2"),
    ];
    attach(
        tmp.path(),
        &mut descriptors,
        &a,
        &attachment_manifest(&layers),
    );
    let img = OciImage::open(tmp.path(), Some("a")).unwrap();
    let sigs = img.signatures().unwrap();
    assert_eq!(sigs.len(), 2);
    for (sig, (payload, annotation)) in sigs
        .iter()
        .zip([("payload-1", "sig1"), ("payload-2", "sig2")])
    {
        match sig {
            UntrustedSignature::Sigstore(s) => {
                assert_eq!(s.mime_type, COSIGN_MT);
                assert_eq!(s.payload, payload.as_bytes());
                assert_eq!(
                    s.annotations
                        .get("dev.cosignproject.cosign/signature")
                        .map(String::as_str),
                    Some(annotation)
                );
            }
            other => panic!("{other:?}"),
        }
    }
    // The attachment's own index entry also opens by name, and has no attachment.
    let tag = format!("{}.sig", a.as_str().replacen(':', "-", 1));
    let attachment = OciImage::open(tmp.path(), Some(&tag)).unwrap();
    assert!(attachment.signatures().unwrap().is_empty());
    // No name with two entries is ambiguous.
    assert!(OciImage::open(tmp.path(), None).is_err());
}

#[test]
fn sigstore_attachment_errors() {
    // Wrong MIME type (GuessMIMEType of the blob must be an OCI manifest).
    let (tmp, mut descriptors, a) = signed_layout();
    attach(
        tmp.path(),
        &mut descriptors,
        &a,
        &format!(r#"{{"schemaVersion":2,"mediaType":"{DOCKER_V2S2_MT}"}}"#),
    );
    let img = OciImage::open(tmp.path(), Some("a")).unwrap();
    match img.signatures() {
        Err(ImageError::InvalidLayout { reason, .. }) => {
            assert!(reason.contains("unexpected MIME type"), "{reason}");
        }
        other => panic!("{other:?}"),
    }

    // An ambiguous manifest (a `manifests` field).
    let (tmp, mut descriptors, a) = signed_layout();
    let ambiguous =
        attachment_manifest(&[]).replacen("\"layers\"", "\"manifests\":[],\"layers\"", 1);
    attach(tmp.path(), &mut descriptors, &a, &ambiguous);
    let img = OciImage::open(tmp.path(), Some("a")).unwrap();
    assert!(matches!(
        img.signatures(),
        Err(ImageError::InvalidLayout { .. })
    ));

    // A wrongly typed field.
    let (tmp, mut descriptors, a) = signed_layout();
    let bad = attachment_manifest(&[]).replacen("\"layers\":[]", "\"layers\":{}", 1);
    attach(tmp.path(), &mut descriptors, &a, &bad);
    let img = OciImage::open(tmp.path(), Some("a")).unwrap();
    assert!(matches!(
        img.signatures(),
        Err(ImageError::InvalidLayout { .. })
    ));

    // A layer whose blob does not match its digest.
    let (tmp, mut descriptors, a) = signed_layout();
    let l = layer(tmp.path(), "payload", "s");
    let d = Digest::sha256_of(b"payload");
    fs::write(
        tmp.path().join("blobs/sha256").join(d.encoded()),
        "tampered",
    )
    .unwrap();
    attach(tmp.path(), &mut descriptors, &a, &attachment_manifest(&[l]));
    let img = OciImage::open(tmp.path(), Some("a")).unwrap();
    assert!(matches!(
        img.signatures(),
        Err(ImageError::DigestMismatch { .. })
    ));

    // A missing layer blob.
    let (tmp, mut descriptors, a) = signed_layout();
    let l = layer(tmp.path(), "payload", "s");
    fs::remove_file(tmp.path().join("blobs/sha256").join(d.encoded())).unwrap();
    attach(tmp.path(), &mut descriptors, &a, &attachment_manifest(&[l]));
    let img = OciImage::open(tmp.path(), Some("a")).unwrap();
    assert!(matches!(img.signatures(), Err(ImageError::Io { .. })));

    // A missing attachment manifest blob.
    let (tmp, mut descriptors, a) = signed_layout();
    let att = attach(tmp.path(), &mut descriptors, &a, &attachment_manifest(&[]));
    fs::remove_file(tmp.path().join("blobs/sha256").join(att.encoded())).unwrap();
    let img = OciImage::open(tmp.path(), Some("a")).unwrap();
    assert!(matches!(img.signatures(), Err(ImageError::Io { .. })));

    // Too many layers, and an oversized layer.
    let (tmp, mut descriptors, a) = signed_layout();
    let layers = [layer(tmp.path(), "p1", "s"), layer(tmp.path(), "p2", "s")];
    attach(
        tmp.path(),
        &mut descriptors,
        &a,
        &attachment_manifest(&layers),
    );
    let one = SourceOptions::default().with_max_signatures(1);
    let img = OciImage::open_with(tmp.path(), OciSelector::Name("a"), &one).unwrap();
    assert_eq!(
        img.signatures(),
        Err(ImageError::TooManySignatures { limit: 1 })
    );
    let tiny = SourceOptions::default().with_max_signature_size(1);
    let img = OciImage::open_with(tmp.path(), OciSelector::Name("a"), &tiny).unwrap();
    assert!(matches!(img.signatures(), Err(ImageError::TooLarge { .. })));
}

#[test]
fn open_from_a_reference() {
    let (tmp, a, b) = two_images();
    let path = tmp.path().display();
    let open = |r: &str| source::open(&ImageReference::parse(r).unwrap());
    let digest_of = |img: &dyn Image| Digest::sha256_of(img.manifest().unwrap().bytes);
    assert_eq!(digest_of(&*open(&format!("oci:{path}:a")).unwrap()), a);
    assert_eq!(digest_of(&*open(&format!("oci:{path}:b")).unwrap()), b);
    assert_eq!(digest_of(&*open(&format!("oci:{path}:@1")).unwrap()), b);
    assert!(matches!(
        open(&format!("oci:{path}")),
        Err(ImageError::NoImageSelected { .. })
    ));
    assert!(matches!(
        open(&format!("oci:{path}:")),
        Err(ImageError::NoImageSelected { .. })
    ));
    assert!(matches!(
        open(&format!("oci:{path}:c")),
        Err(ImageError::ImageNotFound { .. })
    ));
    assert!(matches!(
        open(&format!("oci:{path}:@2")),
        Err(ImageError::SourceIndexOutOfRange { .. })
    ));
}
