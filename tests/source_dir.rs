//! `dir:` image sources: every branch and error of `DirImage`, with the behaviours
//! the c/image 5.23.1 oracle (`cimage-eval`) showed recorded in comments.
#![cfg(feature = "fs")]

use std::fs;
use std::path::Path;

use containers_policy::Digest;
use containers_policy::ImageReference;
use containers_policy::image::{Image, ImageError};
use containers_policy::signature::UntrustedSignature;
use containers_policy::source::{self, DirImage, SourceOptions};

const OCI_MANIFEST: &str = r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0},"layers":[]}"#;

/// A binary OpenPGP blob (old-format compressed-data packet tag 0xA3).
fn pgp(tag: u8) -> Vec<u8> {
    vec![0xA3, tag, 1, 2, 3]
}

fn sigstore_blob(payload_b64: &str) -> Vec<u8> {
    let mut blob = b"\0sigstore-json\n".to_vec();
    blob.extend_from_slice(
        format!(
            r#"{{"mimeType":"application/vnd.dev.cosign.simplesigning.v1+json","payload":"{payload_b64}","annotations":{{"dev.cosignproject.cosign/signature":"c2ln"}}}}"#
        )
        .as_bytes(),
    );
    blob
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    fs::write(dir.join(name), bytes).unwrap();
}

fn image(dir: &Path) -> DirImage {
    DirImage::open(dir).unwrap()
}

#[test]
fn missing_directory_opens_and_fails_only_the_manifest() {
    // Oracle: `dir:/nonexistent` is accepted by insecureAcceptAnything and a signedBy
    // requirement says "A signature was required, but no signature exists": opening
    // never fails, the signature list is empty, only the manifest read fails.
    let tmp = tempfile::tempdir().unwrap();
    let img = image(&tmp.path().join("nope"));
    assert_eq!(img.path(), tmp.path().join("nope"));
    assert!(matches!(
        img.manifest(),
        Err(ImageError::ManifestNotFound { .. })
    ));
    assert!(img.signatures().unwrap().is_empty());
    assert!(img.instance_digest().is_none());
}

#[test]
fn missing_manifest_is_not_an_open_error() {
    // Oracle (dir with signature-1 but no manifest.json): insecureAcceptAnything
    // accepts; signedBy fails in the eval stage with "open …/manifest.json: no such
    // file or directory".
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "signature-1", pgp(1));
    let img = image(tmp.path());
    match img.manifest() {
        Err(ImageError::ManifestNotFound { location }) => {
            assert!(location.ends_with("manifest.json"), "{location}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(img.signatures().unwrap().len(), 1);
}

#[test]
fn manifest_bytes_and_guessed_mime_type() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "manifest.json", OCI_MANIFEST);
    let img = image(tmp.path());
    let manifest = img.manifest().unwrap();
    assert_eq!(manifest.bytes, OCI_MANIFEST.as_bytes());
    assert_eq!(
        manifest.mime_type,
        Some("application/vnd.oci.image.manifest.v1+json")
    );

    // Unrecognisable content: GuessMIMEType gives "", reported as None.
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "manifest.json", "not json");
    let img = image(tmp.path());
    let manifest = img.manifest().unwrap();
    assert_eq!(manifest.bytes, b"not json");
    assert_eq!(manifest.mime_type, None);
}

#[test]
fn manifest_is_a_directory() {
    // Oracle: "read …/manifest.json: is a directory" (eval stage).
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("manifest.json")).unwrap();
    assert!(matches!(
        image(tmp.path()).manifest(),
        Err(ImageError::Io { .. })
    ));
}

#[test]
fn signatures_in_order_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "signature-1", pgp(1));
    write(tmp.path(), "signature-2", sigstore_blob("cGF5bG9hZA=="));
    let mut wrapped = b"\0simple-signing\n".to_vec();
    wrapped.extend_from_slice(&pgp(3));
    write(tmp.path(), "signature-3", &wrapped);
    let img = image(tmp.path());
    let sigs = img.signatures().unwrap();
    assert_eq!(sigs.len(), 3);
    assert_eq!(sigs[0], UntrustedSignature::SimpleSigning(pgp(1)));
    match &sigs[1] {
        UntrustedSignature::Sigstore(s) => {
            assert_eq!(
                s.mime_type,
                "application/vnd.dev.cosign.simplesigning.v1+json"
            );
            assert_eq!(s.payload, b"payload");
            assert_eq!(
                s.annotations
                    .get("dev.cosignproject.cosign/signature")
                    .map(String::as_str),
                Some("c2ln")
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(sigs[2], UntrustedSignature::SimpleSigning(pgp(3)));
}

#[test]
fn a_gap_ends_the_list() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "signature-1", pgp(1));
    write(tmp.path(), "signature-3", pgp(3));
    assert_eq!(image(tmp.path()).signatures().unwrap().len(), 1);

    // Oracle (gpg-valid with signature-1 renamed to signature-2): signedBy says "A
    // signature was required, but no signature exists".
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "signature-2", pgp(2));
    assert!(image(tmp.path()).signatures().unwrap().is_empty());
}

#[test]
fn a_malformed_signature_fails_the_whole_fetch() {
    // Oracle (valid signature-1, "junk" signature-2): the evaluation fails with
    // `parsing signature "…/signature-2": unrecognized signature format, starting with
    // binary 0x6a`, even though signature-1 alone would be accepted.
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "signature-1", pgp(1));
    write(tmp.path(), "signature-2", "junk");
    match image(tmp.path()).signatures() {
        Err(ImageError::InvalidSignature { index, reason }) => {
            assert_eq!(index, 2);
            assert!(reason.contains("signature-2"), "{reason}");
            assert!(reason.contains("0x6a"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_blob_kinds() {
    // Oracle: an empty signature-2 gives "empty signature blob".
    let cases: &[&[u8]] = &[
        b"",
        b"-----BEGIN PGP MESSAGE-----",
        b"\0simple-signing",
        b"\0unknown\nxx",
        b"\0sigstore-json\n{\"payload\":1}",
        b"\0sigstore-json\n{} trailing",
    ];
    for blob in cases {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "signature-1", blob);
        assert!(
            matches!(
                image(tmp.path()).signatures(),
                Err(ImageError::InvalidSignature { index: 1, .. })
            ),
            "{blob:?}"
        );
    }
}

#[test]
fn an_unreadable_signature_fails_the_whole_fetch() {
    // Oracle: a directory named signature-2 gives "read …/signature-2: is a
    // directory" (only ENOENT ends the list).
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "signature-1", pgp(1));
    fs::create_dir(tmp.path().join("signature-2")).unwrap();
    assert!(matches!(
        image(tmp.path()).signatures(),
        Err(ImageError::Io { .. })
    ));
}

#[test]
fn oversized_files() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "manifest.json", vec![b' '; 101]);
    write(tmp.path(), "signature-1", pgp(1));
    let options = SourceOptions::default()
        .with_max_manifest_size(100)
        .with_max_signature_size(4);
    let img = DirImage::open_with(tmp.path(), &options).unwrap();
    match img.manifest() {
        Err(ImageError::TooLarge { size, limit, .. }) => assert_eq!((size, limit), (101, 100)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        img.signatures(),
        Err(ImageError::TooLarge {
            size: 5,
            limit: 4,
            ..
        })
    ));

    // Exactly at the limits is fine.
    let options = options
        .with_max_manifest_size(101)
        .with_max_signature_size(5);
    let img = DirImage::open_with(tmp.path(), &options).unwrap();
    assert_eq!(img.manifest().unwrap().bytes.len(), 101);
    assert_eq!(img.signatures().unwrap().len(), 1);
}

#[test]
fn the_default_limits_are_c_image_iolimits() {
    let options = SourceOptions::default();
    assert_eq!(options.max_manifest_size, 4 << 20);
    assert_eq!(options.max_signature_size, 4 << 20);
    assert_eq!(options.max_signatures, 1024);
}

#[test]
fn too_many_signatures() {
    // A deviation: c/image reads any number of dir: signatures.
    let tmp = tempfile::tempdir().unwrap();
    for i in 1..=3 {
        write(tmp.path(), &format!("signature-{i}"), pgp(i));
    }
    let two = SourceOptions::default().with_max_signatures(2);
    assert_eq!(
        DirImage::open_with(tmp.path(), &two).unwrap().signatures(),
        Err(ImageError::TooManySignatures { limit: 2 })
    );
    let three = SourceOptions::default().with_max_signatures(3);
    assert_eq!(
        DirImage::open_with(tmp.path(), &three)
            .unwrap()
            .signatures()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn instance_files() {
    let tmp = tempfile::tempdir().unwrap();
    let digest = Digest::sha256_of(OCI_MANIFEST.as_bytes());
    let hex = digest.encoded().to_owned();
    write(tmp.path(), "manifest.json", "{}");
    write(tmp.path(), "signature-1", pgp(1));
    write(tmp.path(), &format!("{hex}.manifest.json"), OCI_MANIFEST);
    write(tmp.path(), &format!("{hex}.signature-1"), pgp(7));
    write(tmp.path(), &format!("{hex}.signature-2"), pgp(8));
    let img = image(tmp.path()).with_instance_digest(digest.clone());
    assert_eq!(img.instance_digest(), Some(&digest));
    assert_eq!(img.manifest().unwrap().bytes, OCI_MANIFEST.as_bytes());
    assert_eq!(
        img.signatures().unwrap().as_ref(),
        [
            UntrustedSignature::SimpleSigning(pgp(7)),
            UntrustedSignature::SimpleSigning(pgp(8))
        ]
    );
}

#[test]
fn reads_are_cached() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "manifest.json", OCI_MANIFEST);
    write(tmp.path(), "signature-1", pgp(1));
    let img = image(tmp.path());
    assert!(img.manifest().is_ok());
    assert_eq!(img.signatures().unwrap().len(), 1);
    fs::remove_file(tmp.path().join("manifest.json")).unwrap();
    fs::remove_file(tmp.path().join("signature-1")).unwrap();
    assert!(img.manifest().is_ok());
    assert_eq!(img.signatures().unwrap().len(), 1);
    // A new image reads afresh.
    let fresh = image(tmp.path());
    assert!(fresh.manifest().is_err());
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_instead_of_blocking() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("manifest.json");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        return; // mkfifo unavailable
    }
    assert!(matches!(
        image(tmp.path()).manifest(),
        Err(ImageError::Io { .. })
    ));
}

#[test]
fn open_from_a_reference() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "manifest.json", OCI_MANIFEST);
    write(tmp.path(), "signature-1", pgp(1));
    let reference = ImageReference::parse(&format!("dir:{}", tmp.path().display())).unwrap();
    let img = source::open(&reference).unwrap();
    assert_eq!(img.manifest().unwrap().bytes, OCI_MANIFEST.as_bytes());
    assert_eq!(img.signatures().unwrap().len(), 1);

    for unsupported in [
        "docker://busybox:latest".to_owned(),
        format!("oci-archive:{}/x.tar", tmp.path().display()),
        "docker-daemon:busybox:latest".to_owned(),
    ] {
        let reference = ImageReference::parse(&unsupported).unwrap();
        assert!(
            matches!(
                source::open(&reference),
                Err(ImageError::UnsupportedTransport { .. })
            ),
            "{unsupported}"
        );
    }
}
