//! The rPGP backend on gpg-made fixtures (`tests/data/openpgp`, recipe
//! `regenerate.sh`, gpg's own verdicts in `gpg-verdicts.txt`): every accepted form and
//! every rejection path.
#![cfg(feature = "openpgp")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use containers_policy::image::MemoryImage;
use containers_policy::openpgp::{
    MAX_KEYRING_SIZE, MAX_SIGNATURE_SIZE, OpenPgpBackend, RpgpBackend, RpgpError, RpgpKeys,
    SimpleSignatureError, TrustedKeys, untrusted_signature_contents,
    untrusted_signature_information, verify_and_extract, verify_docker_manifest_signature,
    verify_docker_manifest_signature_key_list,
};
use containers_policy::signature::UntrustedSignature;
use containers_policy::{ImageReference, Policy, PolicyContext};

fn data(name: &str) -> Vec<u8> {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests/data/openpgp", name]
        .iter()
        .collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The primary fingerprint of a fixture key (`fingerprints.txt`).
fn fpr(name: &str) -> String {
    String::from_utf8(data("fingerprints.txt"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")).map(str::to_owned))
        .unwrap_or_else(|| panic!("no fingerprint for {name}"))
}

fn keys(names: &[&str]) -> RpgpKeys {
    let blobs: Vec<Vec<u8>> = names.iter().map(|n| data(n)).collect();
    let refs: Vec<&[u8]> = blobs.iter().map(Vec::as_slice).collect();
    RpgpBackend::new().import_keys(&refs).unwrap()
}

fn at(unix: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(unix)
}

fn verify(keyring: &str, signature: &str) -> Result<String, RpgpError> {
    keys(&[keyring])
        .verify_at_time(&data(signature), SystemTime::now())
        .map(|v| {
            assert_eq!(v.payload, data("payload.json"), "{signature}");
            v.signer_fingerprint
        })
}

// ---- accepted forms ----

#[test]
fn rsa_ed25519_and_p256_signatures_verify() {
    for name in ["rsa", "ed25519", "p256"] {
        assert_eq!(
            verify(&format!("{name}.gpg"), &format!("{name}.sig")).unwrap(),
            fpr(name)
        );
    }
}

#[test]
fn armored_keyrings_import_like_binary_ones() {
    for name in ["rsa", "ed25519", "p256", "subkey"] {
        let binary = keys(&[&format!("{name}.gpg")]).fingerprints();
        assert_eq!(binary, vec![fpr(name)]);
        assert_eq!(keys(&[&format!("{name}.asc")]).fingerprints(), binary);
        assert_eq!(
            verify(&format!("{name}.asc"), &format!("{name}.sig")).unwrap(),
            fpr(name)
        );
    }
}

#[test]
fn uncompressed_zlib_bzip2_and_text_mode_messages_verify() {
    for sig in ["uncompressed.sig", "zlib.sig", "bzip2.sig", "textmode.sig"] {
        assert_eq!(verify("ed25519.gpg", sig).unwrap(), fpr("ed25519"), "{sig}");
    }
}

#[test]
fn a_subkey_signature_is_reported_by_the_primary_fingerprint() {
    assert_eq!(verify("subkey.gpg", "subkey.sig").unwrap(), fpr("subkey"));
    let keys = keys(&["subkey.gpg"]);
    assert_eq!(
        keys.primary_key_identity(&fpr("subkey-signing-subkey"))
            .unwrap(),
        fpr("subkey")
    );
    assert_eq!(
        keys.primary_key_identity(&fpr("subkey")).unwrap(),
        fpr("subkey")
    );
    assert!(matches!(
        keys.primary_key_identity("0123"),
        Err(RpgpError::NoSuchKey { .. })
    ));
}

#[test]
fn gpgme_also_verifies_armored_and_cleartext_messages() {
    // gpgme's verdict (c/image's default build); a stored blob can never be either.
    assert_eq!(
        verify("ed25519.gpg", "armored.asc").unwrap(),
        fpr("ed25519")
    );
    let verified = keys(&["ed25519.gpg"])
        .verify_at_time(&data("cleartext.asc"), SystemTime::now())
        .unwrap();
    assert_eq!(verified.signer_fingerprint, fpr("ed25519"));
    assert!(verified.payload.starts_with(&data("payload.json")));
    assert!(UntrustedSignature::from_blob(&data("cleartext.asc")).is_err());
    assert!(UntrustedSignature::from_blob(&data("armored.asc")).is_err());
}

#[test]
fn binary_only_refuses_armor_and_cleartext() {
    let blobs = [data("ed25519.gpg")];
    let keys = RpgpBackend::binary_only()
        .import_keys(&[&blobs[0]])
        .unwrap();
    for sig in ["armored.asc", "cleartext.asc"] {
        assert_eq!(
            keys.verify_at_time(&data(sig), SystemTime::now()),
            Err(RpgpError::ArmoredRefused)
        );
    }
    assert!(
        keys.verify_at_time(&data("ed25519.sig"), SystemTime::now())
            .is_ok()
    );
}

#[test]
fn nested_compression_within_the_limit_verifies() {
    let sig = wrap_in_stored_compression(data("uncompressed.sig"), 2);
    let verified = keys(&["ed25519.gpg"])
        .verify_at_time(&sig, SystemTime::now())
        .unwrap();
    assert_eq!(verified.signer_fingerprint, fpr("ed25519"));
}

// ---- time ----

/// 2020-01-01T12:00:00Z: after the 2020 keys were made, before they expired.
const JAN_1_2020_NOON: u64 = 1_577_880_000;
/// 2020-01-02T12:00:00Z: the 2020 signatures are made, the short-lived one not expired.
const JAN_2_2020_NOON: u64 = 1_577_966_400;

#[test]
fn an_expired_key_is_rejected_now_but_not_before_it_expired() {
    let keys = keys(&["expired.gpg"]);
    let sig = data("expired-key.sig");
    assert!(matches!(
        keys.verify_at_time(&sig, SystemTime::now()),
        Err(RpgpError::KeyExpired { .. })
    ));
    assert_eq!(
        keys.verify_at_time(&sig, at(JAN_1_2020_NOON))
            .unwrap()
            .signer_fingerprint,
        fpr("expired")
    );
    // The seam's verify uses the system clock.
    assert!(keys.verify(&sig).is_err());
    assert!(keys.verify_at(&sig, at(JAN_1_2020_NOON)).is_ok());
}

#[test]
fn an_expired_signature_is_rejected() {
    let keys = keys(&["old.gpg"]);
    let sig = data("expired-signature.sig");
    assert!(matches!(
        keys.verify_at_time(&sig, SystemTime::now()),
        Err(RpgpError::SignatureExpired { .. })
    ));
    assert!(keys.verify_at_time(&sig, at(JAN_2_2020_NOON)).is_ok());
}

#[test]
fn a_signature_with_a_distant_expiry_verifies_until_then() {
    let keys = keys(&["old.gpg"]);
    let sig = data("long-lived-signature.sig");
    assert!(keys.verify_at_time(&sig, SystemTime::now()).is_ok());
    // Ten years after 2020-01-02.
    assert!(matches!(
        keys.verify_at_time(&sig, at(JAN_2_2020_NOON + 3651 * 86_400)),
        Err(RpgpError::SignatureExpired { .. })
    ));
}

#[test]
fn a_key_newer_than_the_signature_is_rejected() {
    // Verifying in 2019 makes every key "created in the future".
    assert!(matches!(
        keys(&["ed25519.gpg"]).verify_at_time(&data("ed25519.sig"), at(1_546_300_800)),
        Err(RpgpError::TimeConflict { .. })
    ));
}

// ---- revocation ----

#[test]
fn a_revoked_signing_subkey_is_rejected() {
    assert!(matches!(
        verify("revoked-subkey.gpg", "revoked-subkey.sig"),
        Err(RpgpError::KeyRevoked { .. })
    ));
}

#[test]
fn a_revoked_key_is_rejected() {
    assert_eq!(
        verify("revoked.gpg", "revoked.sig"),
        Err(RpgpError::KeyRevoked {
            key: fpr("revoked")
        })
    );
}

#[test]
fn a_revocation_imported_in_another_blob_applies() {
    // gpg merges key material into one keyring: the unrevoked copy does not help.
    let two = keys(&["subkey.gpg", "revoked-subkey.gpg"]);
    let sig = data("revoked-subkey.sig");
    assert!(matches!(
        two.verify_at_time(&sig, SystemTime::now()),
        Err(RpgpError::KeyRevoked { .. })
    ));
}

// ---- message structure ----

#[test]
fn two_signatures_are_rejected_even_when_both_keys_are_trusted() {
    let keys = keys(&["ed25519.gpg", "rsa.gpg"]);
    assert_eq!(
        keys.verify_at_time(&data("two-signatures.sig"), SystemTime::now()),
        Err(RpgpError::SignatureCount { count: 2 })
    );
}

#[test]
fn inputs_without_exactly_one_signed_literal_are_rejected() {
    let keys = keys(&["ed25519.gpg", "rsa.gpg"]);
    let check = |input: &[u8], want: RpgpError| {
        assert_eq!(keys.verify_at_time(input, SystemTime::now()), Err(want));
    };
    check(b"", RpgpError::Empty);
    check(b"invalid signature", RpgpError::NotOpenPgp);
    check(&data("literal.sig"), RpgpError::NotSigned);
    check(&data("encrypted.sig"), RpgpError::Encrypted);
    check(&data("detached.sig"), RpgpError::NoSignedData);
    // A key is not a message.
    assert!(matches!(
        keys.verify_at_time(&data("ed25519.gpg"), SystemTime::now()),
        Err(RpgpError::UnexpectedPackets { .. })
    ));
    // Binary garbage.
    assert!(matches!(
        keys.verify_at_time(&[0xff; 32], SystemTime::now()),
        Err(RpgpError::Malformed { .. })
    ));
    // Literal data twice.
    let literal = data("literal.sig");
    let mut twice = data("uncompressed.sig");
    twice.extend_from_slice(&literal);
    assert!(keys.verify_at_time(&twice, SystemTime::now()).is_err());
}

#[test]
fn a_corrupt_signature_is_rejected() {
    let mut sig = data("uncompressed.sig");
    let last = sig.len() - 1;
    sig[last] ^= 0x01;
    assert!(matches!(
        keys(&["ed25519.gpg"]).verify_at_time(&sig, SystemTime::now()),
        Err(RpgpError::BadSignature { .. })
    ));
}

#[test]
fn a_modified_payload_is_rejected() {
    let mut sig = data("uncompressed.sig");
    let at = sig.windows(8).position(|w| w == b"critical").unwrap();
    sig[at] = b'C';
    assert!(matches!(
        keys(&["ed25519.gpg"]).verify_at_time(&sig, SystemTime::now()),
        Err(RpgpError::BadSignature { .. })
    ));
}

#[test]
fn a_signature_by_an_untrusted_key_is_rejected() {
    assert!(matches!(
        verify("ed25519.gpg", "rsa.sig"),
        Err(RpgpError::UnknownKey { .. })
    ));
    let none = RpgpBackend::new().import_keys(&[]).unwrap();
    assert!(matches!(
        none.verify_at_time(&data("rsa.sig"), SystemTime::now()),
        Err(RpgpError::UnknownKey { .. })
    ));
}

// ---- limits ----

#[test]
fn a_decompression_bomb_is_stopped() {
    // 5 MiB of zeros compressed to about 5 KiB.
    assert!(data("bomb.sig").len() < 64 * 1024);
    assert!(matches!(
        keys(&["ed25519.gpg"]).verify_at_time(&data("bomb.sig"), SystemTime::now()),
        Err(RpgpError::TooLarge { .. })
    ));
}

#[test]
fn oversized_signatures_and_keyrings_are_refused_before_parsing() {
    let keys = keys(&["ed25519.gpg"]);
    assert!(matches!(
        keys.verify_at_time(&vec![0xa3; MAX_SIGNATURE_SIZE + 1], SystemTime::now()),
        Err(RpgpError::TooLarge {
            what: "signature",
            ..
        })
    ));
    assert!(matches!(
        RpgpBackend::new().import_keys(&[&vec![0x99; MAX_KEYRING_SIZE + 1]]),
        Err(RpgpError::TooLarge {
            what: "keyring",
            ..
        })
    ));
    assert!(matches!(
        untrusted_signature_contents(&vec![0xa3; MAX_SIGNATURE_SIZE + 1]),
        Err(RpgpError::TooLarge { .. })
    ));
}

/// Wraps a message in `levels` compressed packets with algorithm 0 (stored).
fn wrap_in_stored_compression(mut message: Vec<u8>, levels: usize) -> Vec<u8> {
    for _ in 0..levels {
        let body_len = u32::try_from(message.len() + 1).unwrap();
        let mut packet = vec![0xc8, 0xff];
        packet.extend_from_slice(&body_len.to_be_bytes());
        packet.push(0);
        packet.extend_from_slice(&message);
        message = packet;
    }
    message
}

#[test]
fn deeply_nested_compression_is_refused() {
    let sig = wrap_in_stored_compression(data("uncompressed.sig"), 5);
    assert!(matches!(
        keys(&["ed25519.gpg"]).verify_at_time(&sig, SystemTime::now()),
        Err(RpgpError::TooDeep { .. })
    ));
}

// ---- key import ----

#[test]
fn several_keys_per_keyring_and_several_keyrings_keep_order_and_duplicates() {
    let mut ring = data("rsa.gpg");
    ring.extend_from_slice(&data("ed25519.gpg"));
    let p256 = data("p256.gpg");
    let imported = RpgpBackend::new()
        .import_keys(&[&ring, &p256, &ring])
        .unwrap();
    assert_eq!(
        imported.fingerprints(),
        [
            fpr("rsa"),
            fpr("ed25519"),
            fpr("p256"),
            fpr("rsa"),
            fpr("ed25519")
        ]
    );
    for (sig, signer) in [
        ("rsa.sig", "rsa"),
        ("ed25519.sig", "ed25519"),
        ("p256.sig", "p256"),
    ] {
        assert_eq!(
            imported
                .verify_at_time(&data(sig), SystemTime::now())
                .unwrap()
                .signer_fingerprint,
            fpr(signer)
        );
    }
}

#[test]
fn concatenated_armored_blocks_all_import() {
    let mut ring = data("rsa.asc");
    ring.extend_from_slice(b"some text between the blocks\n");
    ring.extend_from_slice(&data("ed25519.asc"));
    assert_eq!(
        RpgpBackend::new()
            .import_keys(&[&ring])
            .unwrap()
            .fingerprints(),
        [fpr("rsa"), fpr("ed25519")]
    );
}

#[test]
fn garbage_and_empty_keyrings_import_nothing_without_error() {
    for blob in [
        &b""[..],
        b"This is invalid",
        &[0xff; 64],
        &data("ed25519.sig"),
    ] {
        let keys = RpgpBackend::new().import_keys(&[blob]).unwrap();
        assert!(keys.fingerprints().is_empty(), "{blob:?}");
    }
}

#[test]
fn keys_before_trailing_garbage_are_imported() {
    let mut ring = data("rsa.gpg");
    ring.extend_from_slice(&[0xff; 16]);
    assert_eq!(
        RpgpBackend::new()
            .import_keys(&[&ring])
            .unwrap()
            .fingerprints(),
        [fpr("rsa")]
    );
}

#[test]
fn the_seam_imports_through_the_trait() {
    let ring = data("ed25519.gpg");
    let backend: Arc<dyn OpenPgpBackend> = Arc::new(RpgpBackend::new());
    let keys = backend.import(&[&ring]).unwrap();
    assert_eq!(keys.fingerprints(), [fpr("ed25519")]);
    let verified = keys.verify(&data("ed25519.sig")).unwrap();
    assert_eq!(verified.signer_fingerprint, fpr("ed25519"));
    let err = keys.verify(b"").unwrap_err();
    assert_eq!(err.reason, RpgpError::Empty.to_string());
}

// ---- untrusted contents and c/image's non-policy API ----

#[test]
fn untrusted_contents_read_the_one_pass_key_id_without_verifying() {
    let (content, key_id) = untrusted_signature_contents(&data("ed25519.sig")).unwrap();
    assert_eq!(content, data("payload.json"));
    assert_eq!(key_id, fpr("ed25519")[24..]);
    // By subkey: the subkey's key ID.
    let (_, key_id) = untrusted_signature_contents(&data("subkey.sig")).unwrap();
    assert_eq!(key_id, fpr("subkey-signing-subkey")[24..]);
    // Expired signatures are still readable.
    assert!(untrusted_signature_contents(&data("expired-signature.sig")).is_ok());
    for bad in [
        "literal.sig",
        "encrypted.sig",
        "armored.asc",
        "cleartext.asc",
        "detached.sig",
    ] {
        assert!(untrusted_signature_contents(&data(bad)).is_err(), "{bad}");
    }
    assert!(untrusted_signature_contents(b"").is_err());
}

#[test]
fn untrusted_information_parses_the_payload() {
    let info = untrusted_signature_information(&data("rsa.sig")).unwrap();
    assert_eq!(info.untrusted_docker_reference, "example.com/ns/app:1");
    assert_eq!(info.untrusted_creator_id.as_deref(), Some("regenerate.sh"));
    assert_eq!(info.untrusted_timestamp, None);
    assert_eq!(info.untrusted_short_key_identifier, fpr("rsa")[24..]);
    assert!(matches!(
        untrusted_signature_information(b"garbage"),
        Err(SimpleSignatureError::Cryptography(_))
    ));
}

#[test]
fn docker_manifest_signatures_check_key_digest_and_reference() {
    let keys = keys(&["ed25519.gpg", "rsa.gpg"]);
    let (sig, manifest) = (data("ed25519.sig"), data("manifest.json"));
    let ed = fpr("ed25519");
    let ok = verify_docker_manifest_signature(&keys, &sig, &manifest, "example.com/ns/app:1", &ed)
        .unwrap();
    assert_eq!(ok.docker_reference, "example.com/ns/app:1");
    let listed = verify_docker_manifest_signature_key_list(
        &keys,
        &sig,
        &manifest,
        "example.com/ns/app:1",
        &["0123", &ed],
    )
    .unwrap();
    assert_eq!(listed.key_identity, ed);

    let err = |r: Result<_, SimpleSignatureError>| r.unwrap_err();
    assert!(matches!(
        err(verify_docker_manifest_signature(
            &keys,
            &sig,
            &manifest,
            "example.com/ns/app:1",
            &fpr("rsa")
        )),
        SimpleSignatureError::UntrustedSigner { .. }
    ));
    assert!(matches!(
        err(verify_docker_manifest_signature(
            &keys,
            &sig,
            b"{}",
            "example.com/ns/app:1",
            &ed
        )),
        SimpleSignatureError::DigestRejected { .. }
    ));
    assert!(matches!(
        err(verify_docker_manifest_signature(
            &keys,
            &sig,
            &manifest,
            "example.com/ns/app:2",
            &ed
        )),
        SimpleSignatureError::ReferenceRejected { .. }
    ));
    assert!(matches!(
        err(verify_docker_manifest_signature(
            &keys,
            &sig,
            &manifest,
            "UPPER/Case",
            &ed
        )),
        SimpleSignatureError::InvalidExpectedReference { .. }
    ));
    assert!(matches!(
        err(verify_docker_manifest_signature(
            &keys,
            b"",
            &manifest,
            "example.com/ns/app:1",
            &ed
        )),
        SimpleSignatureError::Cryptography(_)
    ));
}

#[test]
fn verify_and_extract_parses_only_after_the_signer_is_accepted() {
    let keys = keys(&["ed25519.gpg"]);
    let sig = data("ed25519.sig");
    let called = std::cell::Cell::new(false);
    let r = verify_and_extract(
        &keys,
        &sig,
        &["not the signer"],
        |_| {
            called.set(true);
            Ok(())
        },
        |_| Ok(()),
    );
    assert!(matches!(
        r,
        Err(SimpleSignatureError::UntrustedSigner { .. })
    ));
    assert!(!called.get());
    // Accepted signer: the payload is parsed and both rules run.
    let not_json = data("textmode.sig");
    assert!(
        verify_and_extract(&keys, &not_json, &[&fpr("ed25519")], |_| Ok(()), |_| Ok(())).is_ok()
    );
}

// ---- end to end through a policy ----

#[test]
fn a_signed_by_policy_accepts_with_the_rpgp_backend() {
    let key = base64::engine::general_purpose::STANDARD.encode(data("subkey.asc"));
    let policy = Policy::from_str(&format!(
        r#"{{"default":[{{"type":"signedBy","keyType":"GPGKeys","keyData":"{key}"}}]}}"#
    ))
    .unwrap();
    let ctx = PolicyContext::builder(&policy)
        .openpgp(Arc::new(RpgpBackend::new()))
        .build();
    let reference = ImageReference::parse("docker://example.com/ns/app:1").unwrap();
    let signed = |sig: &str| {
        MemoryImage::new(data("manifest.json"), None)
            .with_signatures([UntrustedSignature::from_blob(&data(sig)).unwrap()])
    };
    assert!(
        ctx.evaluate(&reference, &signed("subkey.sig"))
            .unwrap()
            .is_allowed()
    );
    assert!(
        !ctx.evaluate(&reference, &signed("ed25519.sig"))
            .unwrap()
            .is_allowed()
    );
    let other = ImageReference::parse("docker://example.com/ns/other:1").unwrap();
    assert!(
        !ctx.evaluate(&other, &signed("subkey.sig"))
            .unwrap()
            .is_allowed()
    );
}
