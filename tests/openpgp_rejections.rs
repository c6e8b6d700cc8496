//! The rPGP backend's rejection paths that gpg will not produce inputs for: keys and
//! signed messages crafted here, packet by packet, with rPGP's primitives (deterministic
//! keys, signatures hashed and signed by hand so that any type, hash algorithm and
//! subpacket set can be made). Every rejection is a minimal variation of an input that
//! [`crafted_messages_verify`] shows is accepted, and asserts the exact [`RpgpError`].
//!
//! The gpg-made fixtures and the other paths are in `tests/openpgp_backend.rs`.
//!
//! Reached here: `NoIssuer`, `NoCreationTime`, `NotADataSignature`, `WeakHash`,
//! `OnePassMismatch`, `WrongKeyUsage` (every reason but one) and `AmbiguousSubkey`.
//! Not reachable with any input, so not tested:
//!
//! * `WrongKeyUsage` "no valid self-signature" for a primary key: a key imports only
//!   with a valid self-certification, which then is its best self-signature.
//! * The back-signature's type check: rPGP 0.21 refuses to parse a subkey binding whose
//!   embedded signature is not a primary key binding (0x19), so such a subkey never
//!   imports ([`an_embedded_signature_of_the_wrong_type_leaves_the_subkey_unusable`]).
//! * `NoIssuer` from the signer's validity check (`layers.last()`): never empty.
//!
//! The one-pass packet's key ID is deliberately not compared with the signature's
//! issuer, as gpg does not ([`a_one_pass_key_id_is_not_compared_like_gpg`]).
#![cfg(feature = "openpgp")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use containers_policy::openpgp::{RpgpBackend, RpgpError, RpgpKeys, TrustedKeys};
use pgp::bytes::Bytes;
use pgp::composed::KeyType;
use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::public_key::PublicKeyAlgorithm;
use pgp::packet::{
    KeyFlags, LiteralData, OnePassSignature, PacketTrait, PubKeyInner, PublicKey, PublicSubkey,
    SecretKey, SecretSubkey, Signature, SignatureConfig, SignatureType, Subpacket, SubpacketData,
    UserId,
};
use pgp::ser::Serialize;
use pgp::types::{
    KeyDetails, KeyVersion, PacketHeaderVersion, Password, SigningKey, Tag, Timestamp,
};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;

/// When every crafted key and self-signature was made.
const KEY_CREATED: u32 = 1_700_000_000;
/// When every crafted data signature was made.
const SIGNED: u32 = KEY_CREATED + 60;
/// The signed literal data.
const PAYLOAD: &[u8] = b"{\"critical\":{\"type\":\"atomic container signature\"}}";

/// "Now" for verification: an hour after the keys were made (nothing expires).
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::from(KEY_CREATED) + 3600)
}

fn fingerprint(key: &impl KeyDetails) -> String {
    key.fingerprint()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

// ---- keys ----

fn primary_key(key_type: &KeyType, algorithm: PublicKeyAlgorithm, seed: u64) -> SecretKey {
    let (public, secret) = key_type.generate(ChaCha8Rng::seed_from_u64(seed)).unwrap();
    let inner = PubKeyInner::new(
        KeyVersion::V4,
        algorithm,
        Timestamp::from_secs(KEY_CREATED),
        None,
        public,
    )
    .unwrap();
    SecretKey::new(PublicKey::from_inner(inner).unwrap(), secret).unwrap()
}

/// An Ed25519 (legacy EdDSA, as gpg makes them) v4 primary key.
fn ed25519(seed: u64) -> SecretKey {
    primary_key(
        &KeyType::Ed25519Legacy,
        PublicKeyAlgorithm::EdDSALegacy,
        seed,
    )
}

/// An Ed25519 v4 subkey.
fn ed25519_subkey(seed: u64) -> SecretSubkey {
    let (public, secret) = KeyType::Ed25519Legacy
        .generate(ChaCha8Rng::seed_from_u64(seed))
        .unwrap();
    let inner = PubKeyInner::new(
        KeyVersion::V4,
        PublicKeyAlgorithm::EdDSALegacy,
        Timestamp::from_secs(KEY_CREATED),
        None,
        public,
    )
    .unwrap();
    SecretSubkey::new(PublicSubkey::from_inner(inner).unwrap(), secret).unwrap()
}

fn user_id() -> UserId {
    UserId::from_str(PacketHeaderVersion::New, "Crafted <crafted@example.com>").unwrap()
}

fn subpacket(data: SubpacketData) -> Subpacket {
    Subpacket::regular(data).unwrap()
}

fn created_at(secs: u32) -> Subpacket {
    subpacket(SubpacketData::SignatureCreationTime(Timestamp::from_secs(
        secs,
    )))
}

fn issuer_fingerprint(key: &impl KeyDetails) -> Subpacket {
    subpacket(SubpacketData::IssuerFingerprint(key.fingerprint()))
}

fn issuer_key_id(key: &impl KeyDetails) -> Subpacket {
    subpacket(SubpacketData::IssuerKeyId(key.legacy_key_id()))
}

fn flags(sign: bool, certify: bool, encrypt: bool) -> Subpacket {
    let mut flags = KeyFlags::default();
    flags.set_sign(sign);
    flags.set_certify(certify);
    flags.set_encrypt_comms(encrypt);
    flags.set_encrypt_storage(encrypt);
    subpacket(SubpacketData::KeyFlags(flags))
}

/// A v4 signature configuration by `signer`, with the issuer key ID unhashed (as gpg
/// writes it) and the given hashed subpackets.
fn config(
    signer: &impl KeyDetails,
    typ: SignatureType,
    hash: HashAlgorithm,
    hashed: Vec<Subpacket>,
) -> SignatureConfig {
    let mut config = SignatureConfig::v4(typ, signer.algorithm(), hash);
    config.hashed_subpackets = hashed;
    config.unhashed_subpackets = vec![issuer_key_id(signer)];
    config
}

/// The creation time and issuer fingerprint gpg puts in the hashed area, plus `extra`.
fn self_hashed(signer: &impl KeyDetails, extra: Vec<Subpacket>) -> Vec<Subpacket> {
    let mut hashed = vec![created_at(KEY_CREATED), issuer_fingerprint(signer)];
    hashed.extend(extra);
    hashed
}

/// A positive self-certification of [`user_id`] with the given key-flags subpacket.
fn certification(primary: &SecretKey, key_flags: Option<Subpacket>) -> Signature {
    config(
        primary,
        SignatureType::CertPositive,
        HashAlgorithm::Sha256,
        self_hashed(primary, key_flags.into_iter().collect()),
    )
    .sign_certification(
        primary,
        primary.public_key(),
        &Password::empty(),
        Tag::UserId,
        &user_id(),
    )
    .unwrap()
}

/// The subkey's primary-key binding signature (back-signature) for `primary`.
fn back_signature(primary: &PublicKey, subkey: &SecretSubkey) -> Signature {
    config(
        subkey,
        SignatureType::KeyBinding,
        HashAlgorithm::Sha256,
        self_hashed(subkey, Vec::new()),
    )
    .sign_primary_key_binding(subkey, subkey.public_key(), &Password::empty(), primary)
    .unwrap()
}

/// A subkey binding signature over (`primary`, `subkey`), made by `signer` (the primary
/// key itself unless testing a binding that does not verify), with `key_flags` and the
/// back-signature, if any, embedded.
fn subkey_binding(
    signer: &SecretKey,
    primary: &PublicKey,
    subkey: &PublicSubkey,
    key_flags: Subpacket,
    back: Option<Signature>,
) -> Signature {
    let mut extra = vec![key_flags];
    extra.extend(back.map(|b| subpacket(SubpacketData::EmbeddedSignature(Box::new(b)))));
    config(
        signer,
        SignatureType::SubkeyBinding,
        HashAlgorithm::Sha256,
        self_hashed(signer, extra),
    )
    .sign_subkey_binding(signer, primary, &Password::empty(), subkey)
    .unwrap()
}

/// A transferable public key: the primary key, [`user_id`] with `certifications`, and
/// each subkey with its signatures.
fn keyring(
    primary: &PublicKey,
    certifications: &[Signature],
    subkeys: &[(&PublicSubkey, Vec<Signature>)],
) -> Vec<u8> {
    let mut out = Vec::new();
    primary.to_writer_with_header(&mut out).unwrap();
    user_id().to_writer_with_header(&mut out).unwrap();
    for sig in certifications {
        sig.to_writer_with_header(&mut out).unwrap();
    }
    for (subkey, signatures) in subkeys {
        subkey.to_writer_with_header(&mut out).unwrap();
        for sig in signatures {
            sig.to_writer_with_header(&mut out).unwrap();
        }
    }
    out
}

/// A primary key that may sign and certify, with its keyring.
fn signing_primary(seed: u64) -> (SecretKey, Vec<u8>) {
    let key = ed25519(seed);
    let cert = certification(&key, Some(flags(true, true, false)));
    let ring = keyring(key.public_key(), &[cert], &[]);
    (key, ring)
}

fn import(keyrings: &[&[u8]]) -> RpgpKeys {
    let keys = RpgpBackend::new().import_keys(keyrings).unwrap();
    assert_eq!(
        keys.fingerprints().len(),
        keyrings.len(),
        "every crafted key imports"
    );
    keys
}

// ---- signatures and messages ----

/// Signs `data` under `config` by hand: rPGP's own signer refuses non-data signature
/// types, and its Ed25519 signer refuses MD5, but the packet is simply the RFC 4880
/// §5.2.4 hash (data, then the hashed part of the packet, then the v4 trailer) signed.
fn sign_raw(signer: &impl SigningKey, config: SignatureConfig, data: &[u8]) -> Signature {
    let mut subpackets = Vec::new();
    for sp in &config.hashed_subpackets {
        sp.to_writer(&mut subpackets).unwrap();
    }
    let mut packet_part = vec![
        4,
        u8::from(config.typ),
        u8::from(config.pub_alg),
        u8::from(config.hash_alg),
    ];
    packet_part.extend(u16::try_from(subpackets.len()).unwrap().to_be_bytes());
    packet_part.extend(subpackets);
    let trailer = config.trailer(packet_part.len()).unwrap();
    let digest = config
        .hash_alg
        .digest(&[data, &packet_part, &trailer].concat())
        .unwrap();
    let bytes = SigningKey::sign(signer, &Password::empty(), config.hash_alg, &digest).unwrap();
    Signature::from_config(config, [digest[0], digest[1]], bytes).unwrap()
}

/// A binary data signature over [`PAYLOAD`] made by `signer` at [`SIGNED`], the way gpg
/// makes one (creation time and issuer fingerprint hashed, issuer key ID unhashed).
fn data_signature(signer: &impl SigningKey) -> Signature {
    let hashed = vec![created_at(SIGNED), issuer_fingerprint(signer)];
    sign_raw(
        signer,
        config(signer, SignatureType::Binary, HashAlgorithm::Sha256, hashed),
        PAYLOAD,
    )
}

/// The one-pass signature packet gpg writes before `sig`.
fn one_pass(sig: &Signature, signer: &impl KeyDetails) -> OnePassSignature {
    OnePassSignature::v3(
        sig.typ().unwrap(),
        sig.hash_alg().unwrap(),
        sig.config().unwrap().pub_alg,
        signer.legacy_key_id(),
    )
}

/// `One-Pass Signature, Literal Data, Signature` (or the old `Signature, Literal Data`
/// form without a one-pass packet), uncompressed.
fn message(ops: Option<&OnePassSignature>, sig: &Signature) -> Vec<u8> {
    let literal = LiteralData::from_bytes("", Bytes::from_static(PAYLOAD)).unwrap();
    let mut out = Vec::new();
    match ops {
        Some(ops) => {
            ops.to_writer_with_header(&mut out).unwrap();
            literal.to_writer_with_header(&mut out).unwrap();
            sig.to_writer_with_header(&mut out).unwrap();
        }
        None => {
            sig.to_writer_with_header(&mut out).unwrap();
            literal.to_writer_with_header(&mut out).unwrap();
        }
    }
    out
}

/// The message with its matching one-pass packet.
fn one_pass_message(sig: &Signature, signer: &impl KeyDetails) -> Vec<u8> {
    message(Some(&one_pass(sig, signer)), sig)
}

fn verify(keys: &RpgpKeys, message: &[u8]) -> Result<String, RpgpError> {
    keys.verify_at_time(message, now()).map(|v| {
        assert_eq!(v.payload, PAYLOAD);
        v.signer_fingerprint
    })
}

/// A certify-only primary key with a signing subkey bound by `binding(primary, subkey)`.
fn with_subkey(
    seed: u64,
    binding: impl Fn(&SecretKey, &SecretSubkey) -> Vec<Signature>,
) -> (SecretKey, SecretSubkey, Vec<u8>) {
    let primary = ed25519(seed);
    let subkey = ed25519_subkey(seed + 1);
    let cert = certification(&primary, Some(flags(false, true, false)));
    let ring = keyring(
        primary.public_key(),
        &[cert],
        &[(subkey.public_key(), binding(&primary, &subkey))],
    );
    (primary, subkey, ring)
}

/// The binding gpg makes for a signing subkey: sign flag and a valid back-signature.
fn cross_certified(primary: &SecretKey, subkey: &SecretSubkey) -> Vec<Signature> {
    let back = back_signature(primary.public_key(), subkey);
    vec![subkey_binding(
        primary,
        primary.public_key(),
        subkey.public_key(),
        flags(true, false, false),
        Some(back),
    )]
}

// ---- the accepted baseline ----

#[test]
fn crafted_messages_verify() {
    let (key, ring) = signing_primary(1);
    let keys = import(&[&ring]);
    let sig = data_signature(&key);
    assert_eq!(
        verify(&keys, &one_pass_message(&sig, &key)),
        Ok(fingerprint(&key))
    );
    assert_eq!(verify(&keys, &message(None, &sig)), Ok(fingerprint(&key)));

    let (primary, subkey, ring) = with_subkey(2, cross_certified);
    let keys = import(&[&ring]);
    let sig = data_signature(&subkey);
    assert_eq!(
        verify(&keys, &one_pass_message(&sig, &subkey)),
        Ok(fingerprint(&primary))
    );
    assert_eq!(
        keys.primary_key_identity(&fingerprint(&subkey)),
        Ok(fingerprint(&primary))
    );
}

// ---- NoIssuer, NoCreationTime ----

#[test]
fn a_signature_naming_no_issuer_is_rejected() {
    let (key, ring) = signing_primary(10);
    let keys = import(&[&ring]);
    let mut config = config(
        &key,
        SignatureType::Binary,
        HashAlgorithm::Sha256,
        vec![created_at(SIGNED)],
    );
    config.unhashed_subpackets.clear();
    let sig = sign_raw(&key, config, PAYLOAD);
    // A valid signature by a trusted key: only the missing issuer refuses it.
    sig.verify(key.public_key(), PAYLOAD).unwrap();
    assert!(sig.issuer_key_id().is_empty() && sig.issuer_fingerprint().is_empty());
    assert_eq!(
        verify(&keys, &one_pass_message(&sig, &key)),
        Err(RpgpError::NoIssuer)
    );
    assert_eq!(
        verify(&keys, &message(None, &sig)),
        Err(RpgpError::NoIssuer)
    );
}

#[test]
fn an_issuer_named_only_in_the_unhashed_area_suffices() {
    // The issuer is a hint; the cryptographic check decides (gpg alike).
    let (key, ring) = signing_primary(11);
    let keys = import(&[&ring]);
    let sig = sign_raw(
        &key,
        config(
            &key,
            SignatureType::Binary,
            HashAlgorithm::Sha256,
            vec![created_at(SIGNED)],
        ),
        PAYLOAD,
    );
    assert_eq!(
        verify(&keys, &one_pass_message(&sig, &key)),
        Ok(fingerprint(&key))
    );
}

#[test]
fn a_signature_without_a_creation_time_is_rejected() {
    let (key, ring) = signing_primary(20);
    let keys = import(&[&ring]);
    let no_time = sign_raw(
        &key,
        config(
            &key,
            SignatureType::Binary,
            HashAlgorithm::Sha256,
            vec![issuer_fingerprint(&key)],
        ),
        PAYLOAD,
    );
    no_time.verify(key.public_key(), PAYLOAD).unwrap();
    assert_eq!(
        verify(&keys, &one_pass_message(&no_time, &key)),
        Err(RpgpError::NoCreationTime)
    );
    // A creation time in the unhashed area is not covered by the signature and does
    // not count.
    let mut unhashed_time = config(
        &key,
        SignatureType::Binary,
        HashAlgorithm::Sha256,
        vec![issuer_fingerprint(&key)],
    );
    unhashed_time.unhashed_subpackets.push(created_at(SIGNED));
    let unhashed_time = sign_raw(&key, unhashed_time, PAYLOAD);
    assert_eq!(
        verify(&keys, &message(None, &unhashed_time)),
        Err(RpgpError::NoCreationTime)
    );
}

// ---- NotADataSignature ----

#[test]
fn signatures_that_are_not_over_binary_or_text_data_are_rejected() {
    let (key, ring) = signing_primary(30);
    let keys = import(&[&ring]);
    for typ in [
        SignatureType::CertGeneric,
        SignatureType::CertPositive,
        SignatureType::KeyBinding,
        SignatureType::SubkeyBinding,
        SignatureType::Key,
        SignatureType::Standalone,
        SignatureType::Timestamp,
    ] {
        let hashed = vec![created_at(SIGNED), issuer_fingerprint(&key)];
        // Hashed over the payload as a binary signature would be: what a verifier that
        // ignored the type would accept.
        let sig = sign_raw(
            &key,
            config(&key, typ, HashAlgorithm::Sha256, hashed),
            PAYLOAD,
        );
        for message in [one_pass_message(&sig, &key), message(None, &sig)] {
            assert_eq!(
                verify(&keys, &message),
                Err(RpgpError::NotADataSignature {
                    typ: format!("{typ:?}")
                })
            );
        }
    }
}

#[test]
fn a_standalone_signature_that_rpgp_itself_would_verify_is_rejected() {
    // rPGP's Signature::verify hashes only the first byte of the data for a standalone
    // (0x02) signature, so a signature over that one byte "verifies" for any payload
    // starting with it: the data-signature check is what refuses it.
    let (key, ring) = signing_primary(31);
    let keys = import(&[&ring]);
    let hashed = vec![created_at(SIGNED), issuer_fingerprint(&key)];
    let sig = sign_raw(
        &key,
        config(
            &key,
            SignatureType::Standalone,
            HashAlgorithm::Sha256,
            hashed,
        ),
        &PAYLOAD[..1],
    );
    sig.verify(key.public_key(), PAYLOAD).unwrap();
    let err = verify(&keys, &one_pass_message(&sig, &key)).unwrap_err();
    assert_eq!(
        err,
        RpgpError::NotADataSignature {
            typ: "Standalone".to_owned()
        }
    );
    assert_eq!(
        err.to_string(),
        "signature type Standalone is not a data signature"
    );
}

// ---- WeakHash ----

/// An RSA key (rPGP's Ed25519 and ECDSA signers refuse MD5; RSA signs with any hash).
/// 1024 bits keeps key generation quick in debug builds.
fn rsa(seed: u64, algorithm: PublicKeyAlgorithm) -> SecretKey {
    primary_key(&KeyType::Rsa(1024), algorithm, seed)
}

#[test]
fn an_md5_signature_is_rejected() {
    let key = rsa(40, PublicKeyAlgorithm::RSA);
    let ring = keyring(
        key.public_key(),
        &[certification(&key, Some(flags(true, true, false)))],
        &[],
    );
    let keys = import(&[&ring]);
    let hashed = vec![created_at(SIGNED), issuer_fingerprint(&key)];
    let sha256 = sign_raw(
        &key,
        config(
            &key,
            SignatureType::Binary,
            HashAlgorithm::Sha256,
            hashed.clone(),
        ),
        PAYLOAD,
    );
    assert_eq!(
        verify(&keys, &one_pass_message(&sha256, &key)),
        Ok(fingerprint(&key))
    );
    let md5 = sign_raw(
        &key,
        config(&key, SignatureType::Binary, HashAlgorithm::Md5, hashed),
        PAYLOAD,
    );
    // Cryptographically valid: only the hash policy refuses it.
    md5.verify(key.public_key(), PAYLOAD).unwrap();
    let weak = Err(RpgpError::WeakHash {
        algorithm: "MD5".to_owned(),
    });
    assert_eq!(verify(&keys, &one_pass_message(&md5, &key)), weak);
    assert_eq!(verify(&keys, &message(None, &md5)), weak);
}

// ---- OnePassMismatch ----

#[test]
fn a_one_pass_packet_announcing_another_signature_is_rejected() {
    let (key, ring) = signing_primary(50);
    let keys = import(&[&ring]);
    let sig = data_signature(&key);
    let id = key.legacy_key_id();
    let pub_alg = PublicKeyAlgorithm::EdDSALegacy;
    let mut nested = one_pass(&sig, &key);
    nested.set_is_nested();
    for (what, ops) in [
        (
            "hash algorithm",
            OnePassSignature::v3(SignatureType::Binary, HashAlgorithm::Sha512, pub_alg, id),
        ),
        (
            "signature type",
            OnePassSignature::v3(SignatureType::Text, HashAlgorithm::Sha256, pub_alg, id),
        ),
        (
            "public-key algorithm",
            OnePassSignature::v3(
                SignatureType::Binary,
                HashAlgorithm::Sha256,
                PublicKeyAlgorithm::RSA,
                id,
            ),
        ),
        ("nested (another signature follows)", nested),
    ] {
        assert_eq!(
            verify(&keys, &message(Some(&ops), &sig)),
            Err(RpgpError::OnePassMismatch),
            "{what}"
        );
    }
}

#[test]
fn a_one_pass_key_id_is_not_compared_like_gpg() {
    // gpg uses the one-pass packet for its hash algorithm and type only (its key ID is
    // read solely to recognise cleartext-signature pseudo-packets), and the issuer of
    // the signature packet selects the key. The backend does the same: a one-pass key
    // ID naming another key is not a mismatch. (The untrusted-contents API, which like
    // c/image reports the one-pass key ID, is unverified by definition.)
    let (key, ring) = signing_primary(51);
    let (other, _) = signing_primary(52);
    let keys = import(&[&ring]);
    let sig = data_signature(&key);
    assert_eq!(
        verify(&keys, &message(Some(&one_pass(&sig, &other)), &sig)),
        Ok(fingerprint(&key))
    );
}

// ---- WrongKeyUsage ----

fn wrong_usage(key: &impl KeyDetails, reason: &'static str) -> Result<String, RpgpError> {
    Err(RpgpError::WrongKeyUsage {
        key: fingerprint(key),
        reason,
    })
}

#[test]
fn a_primary_key_whose_flags_do_not_allow_signing_is_rejected() {
    let key = ed25519(60);
    let cert = certification(&key, Some(flags(false, true, true)));
    let keys = import(&[&keyring(key.public_key(), &[cert], &[])]);
    let sig = data_signature(&key);
    sig.verify(key.public_key(), PAYLOAD).unwrap();
    assert_eq!(
        verify(&keys, &one_pass_message(&sig, &key)),
        wrong_usage(&key, "the key flags do not allow signing")
    );
}

#[test]
fn a_primary_key_without_flags_whose_algorithm_cannot_sign_is_rejected() {
    // An RSA key marked encrypt-only by its algorithm ID (RSA-E, 2). rPGP reads the
    // signature MPIs by the algorithm the *signature* names and verifies with the key's
    // parameters, so signatures naming plain RSA (1) verify with it; without key
    // flags, the key's algorithm decides that it may not sign.
    let key = rsa(61, PublicKeyAlgorithm::RSAEncrypt);
    let as_rsa = |mut config: SignatureConfig| {
        config.pub_alg = PublicKeyAlgorithm::RSA;
        config
    };
    let cert = as_rsa(config(
        &key,
        SignatureType::CertPositive,
        HashAlgorithm::Sha256,
        self_hashed(&key, Vec::new()),
    ))
    .sign_certification(
        &key,
        key.public_key(),
        &Password::empty(),
        Tag::UserId,
        &user_id(),
    )
    .unwrap();
    let keys = import(&[&keyring(key.public_key(), &[cert], &[])]);
    let hashed = vec![created_at(SIGNED), issuer_fingerprint(&key)];
    let sig = sign_raw(
        &key,
        as_rsa(config(
            &key,
            SignatureType::Binary,
            HashAlgorithm::Sha256,
            hashed,
        )),
        PAYLOAD,
    );
    sig.verify(key.public_key(), PAYLOAD).unwrap();
    assert_eq!(
        verify(&keys, &one_pass_message(&sig, &key)),
        wrong_usage(&key, "the algorithm cannot sign")
    );
    // Without flags, a signing algorithm may sign.
    let key = ed25519(62);
    let cert = certification(&key, None);
    let keys = import(&[&keyring(key.public_key(), &[cert], &[])]);
    let sig = data_signature(&key);
    assert_eq!(
        verify(&keys, &one_pass_message(&sig, &key)),
        Ok(fingerprint(&key))
    );
}

#[test]
fn a_signing_subkey_without_a_back_signature_is_rejected() {
    // The attack the back-signature prevents: anyone can bind someone else's signing
    // subkey to their own primary key, but only the subkey can cross-certify.
    let (_, subkey, ring) = with_subkey(70, |primary, subkey| {
        vec![subkey_binding(
            primary,
            primary.public_key(),
            subkey.public_key(),
            flags(true, false, false),
            None,
        )]
    });
    let keys = import(&[&ring]);
    let sig = data_signature(&subkey);
    sig.verify(subkey.public_key(), PAYLOAD).unwrap();
    assert_eq!(
        verify(&keys, &one_pass_message(&sig, &subkey)),
        wrong_usage(&subkey, "signing subkey is not cross-certified")
    );
}

#[test]
fn a_back_signature_for_another_primary_key_is_rejected() {
    let other = ed25519(71);
    let (_, subkey, ring) = with_subkey(72, |primary, subkey| {
        let back = back_signature(other.public_key(), subkey);
        vec![subkey_binding(
            primary,
            primary.public_key(),
            subkey.public_key(),
            flags(true, false, false),
            Some(back),
        )]
    });
    let keys = import(&[&ring]);
    assert_eq!(
        verify(&keys, &one_pass_message(&data_signature(&subkey), &subkey)),
        wrong_usage(&subkey, "signing subkey is not cross-certified")
    );
}

#[test]
fn an_embedded_signature_of_the_wrong_type_leaves_the_subkey_unusable() {
    // Made by the subkey over the right keys, but typed as a subkey binding (0x18)
    // instead of a primary key binding (0x19). rPGP already refuses such a binding
    // signature when parsing ("Illegal signature type SubkeyBinding in embedded
    // signature"), so the keyring ends there: the primary key imports, the subkey does
    // not, and its signature names an unknown key. The backend's own type check of the
    // back-signature (WrongKeyUsage "not cross-certified") is defence in depth that no
    // input parsed by rPGP 0.21 reaches.
    let (_, subkey, ring) = with_subkey(73, |primary, subkey| {
        let back = config(
            subkey,
            SignatureType::SubkeyBinding,
            HashAlgorithm::Sha256,
            self_hashed(subkey, Vec::new()),
        )
        .sign_primary_key_binding(
            subkey,
            subkey.public_key(),
            &Password::empty(),
            primary.public_key(),
        )
        .unwrap();
        vec![subkey_binding(
            primary,
            primary.public_key(),
            subkey.public_key(),
            flags(true, false, false),
            Some(back),
        )]
    });
    let keys = import(&[&ring]);
    let fp = fingerprint(&subkey);
    assert_eq!(
        verify(&keys, &one_pass_message(&data_signature(&subkey), &subkey)),
        Err(RpgpError::UnknownKey {
            // The v4 key ID is the fingerprint's last 8 bytes.
            issuer: format!("{}, {fp}", &fp[24..])
        })
    );
}

#[test]
fn a_subkey_whose_binding_flags_do_not_allow_signing_is_rejected() {
    // Even cross-certified: the binding marks the subkey encryption-only.
    let (_, subkey, ring) = with_subkey(74, |primary, subkey| {
        let back = back_signature(primary.public_key(), subkey);
        vec![subkey_binding(
            primary,
            primary.public_key(),
            subkey.public_key(),
            flags(false, false, true),
            Some(back),
        )]
    });
    let keys = import(&[&ring]);
    assert_eq!(
        verify(&keys, &one_pass_message(&data_signature(&subkey), &subkey)),
        wrong_usage(&subkey, "the key flags do not allow signing")
    );
}

#[test]
fn a_subkey_whose_binding_does_not_verify_is_rejected() {
    // The binding is made by a stranger's key over the right primary and subkey.
    let stranger = ed25519(75);
    let (_, subkey, ring) = with_subkey(76, |primary, subkey| {
        let back = back_signature(primary.public_key(), subkey);
        vec![subkey_binding(
            &stranger,
            primary.public_key(),
            subkey.public_key(),
            flags(true, false, false),
            Some(back),
        )]
    });
    let keys = import(&[&ring]);
    assert_eq!(
        verify(&keys, &one_pass_message(&data_signature(&subkey), &subkey)),
        wrong_usage(&subkey, "no valid subkey binding signature")
    );
}

// ---- AmbiguousSubkey ----

#[test]
fn a_subkey_bound_to_two_primary_keys_is_ambiguous() {
    // Both primaries bind the same signing subkey, and the subkey cross-certifies both:
    // a valid signature by it cannot be attributed to one primary key (c/image: the
    // key lookup by fingerprint finds two keys).
    let subkey = ed25519_subkey(80);
    let make = |seed| {
        let primary = ed25519(seed);
        let cert = certification(&primary, Some(flags(false, true, false)));
        let ring = keyring(
            primary.public_key(),
            &[cert],
            &[(subkey.public_key(), cross_certified(&primary, &subkey))],
        );
        (primary, ring)
    };
    let (first, first_ring) = make(81);
    let (second, second_ring) = make(82);

    // Each alone is an ordinary subkey.
    let sig = data_signature(&subkey);
    let message = one_pass_message(&sig, &subkey);
    for (primary, ring) in [(&first, &first_ring), (&second, &second_ring)] {
        assert_eq!(verify(&import(&[ring]), &message), Ok(fingerprint(primary)));
    }

    let ambiguous = Err(RpgpError::AmbiguousSubkey {
        subkey: fingerprint(&subkey),
        primaries: vec![fingerprint(&first), fingerprint(&second)],
    });
    let keys = import(&[&first_ring, &second_ring]);
    assert_eq!(keys.primary_key_identity(&fingerprint(&subkey)), ambiguous);
    assert_eq!(verify(&keys, &message), ambiguous);
    // The primary keys themselves are not ambiguous.
    assert_eq!(
        keys.primary_key_identity(&fingerprint(&first)),
        Ok(fingerprint(&first))
    );

    // The same key imported twice is merged, not ambiguous.
    let keys = RpgpBackend::new()
        .import_keys(&[&first_ring, &first_ring])
        .unwrap();
    assert_eq!(
        keys.primary_key_identity(&fingerprint(&subkey)),
        Ok(fingerprint(&first))
    );
    assert_eq!(verify(&keys, &message), Ok(fingerprint(&first)));
}
