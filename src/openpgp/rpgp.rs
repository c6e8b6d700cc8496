//! [`RpgpBackend`]: the pure-Rust OpenPGP backend (rPGP); its documentation has the rules.

use std::collections::HashMap;
use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

use pgp::composed::{CleartextSignedMessage, Deserializable, SignedPublicKey};
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{
    LiteralData, OnePassSignature, OpsVersionSpecific, Packet, PacketParser, PacketTrait,
    PublicKey, PublicSubkey, Signature, SignatureType, SubpacketData,
};
use pgp::types::{KeyDetails, KeyVersion, Tag};

use super::{
    MAX_KEYRING_SIZE, MAX_PAYLOAD_SIZE, MAX_SIGNATURE_SIZE, OpenPgpBackend, OpenPgpError,
    TrustedKeys, VerifiedMessage,
};

/// The deepest nesting of compressed packets accepted.
pub const MAX_COMPRESSION_DEPTH: usize = 4;

/// The most bytes all compressed packets of one message may decompress to: the
/// payload limit plus room for the packets around the literal data.
pub const MAX_DECOMPRESSED_SIZE: usize = MAX_PAYLOAD_SIZE + 1024 * 1024;

/// Why the rPGP backend refused a signature or keyring; converts into
/// [`OpenPgpError`] (whose `reason` is this error's message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RpgpError {
    /// The input is larger than the limit for its kind.
    #[error("{what} is {size} bytes, more than the limit of {limit}")]
    TooLarge {
        /// What was too large (`signature`, `keyring`, `decompressed data`, `literal data`).
        what: &'static str,
        /// Its size (or the size it reached when reading stopped).
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The input is empty.
    #[error("no OpenPGP data: the signature is empty")]
    Empty,
    /// The input is neither binary OpenPGP nor an ASCII-armored message.
    #[error("no OpenPGP data found")]
    NotOpenPgp,
    /// ASCII armor or cleartext signatures, refused by [`RpgpBackend::binary_only`].
    #[error("the signature is ASCII-armored or cleartext-signed, not a binary signed message")]
    ArmoredRefused,
    /// The data does not parse as OpenPGP packets (or armor).
    #[error("invalid OpenPGP data: {reason}")]
    Malformed {
        /// rPGP's message.
        reason: String,
    },
    /// Compressed packets nested deeper than [`MAX_COMPRESSION_DEPTH`].
    #[error("compressed data nested more than {limit} levels deep")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// The message is encrypted.
    #[error("the message is encrypted, not signed")]
    Encrypted,
    /// The message carries data but no signature.
    #[error("not signed: the message has no signature")]
    NotSigned,
    /// The message has no literal data.
    #[error("the message has no signed data")]
    NoSignedData,
    /// The message carries more than one signature (gpgme: `Unexpected GPG signature
    /// count N`; the containers-signature format allows exactly one).
    #[error("Unexpected GPG signature count {count}")]
    SignatureCount {
        /// How many signatures (one-pass or not) the message has.
        count: usize,
    },
    /// Packets in an order that is not a signed message.
    #[error("unexpected OpenPGP packet sequence: {sequence}")]
    UnexpectedPackets {
        /// The packet sequence found.
        sequence: String,
    },
    /// The one-pass signature packet announces another signature than the one present.
    #[error("the one-pass signature does not match the signature packet")]
    OnePassMismatch,
    /// The signature is not a signature over binary or text data.
    #[error("signature type {typ} is not a data signature")]
    NotADataSignature {
        /// The type.
        typ: String,
    },
    /// The signature's hash algorithm is refused (gpg rejects MD5).
    #[error("signature hash algorithm {algorithm} is rejected")]
    WeakHash {
        /// The algorithm.
        algorithm: String,
    },
    /// The signature has no creation time.
    #[error("the signature has no creation time")]
    NoCreationTime,
    /// The signature names no issuer.
    #[error("the signature names no issuer key")]
    NoIssuer,
    /// No trusted key has the issuer's key ID or fingerprint (gpg: NO_PUBKEY).
    #[error("no public key: signature issuer {issuer} is not among the trusted keys")]
    UnknownKey {
        /// The issuer key ID(s) / fingerprint(s), uppercase hex.
        issuer: String,
    },
    /// The signature does not verify with the issuer's key (gpg: BADSIG).
    #[error("bad signature by key {key}: {reason}")]
    BadSignature {
        /// The fingerprint of the (sub)key tried.
        key: String,
        /// rPGP's message.
        reason: String,
    },
    /// The signature has expired (gpg: EXPSIG).
    #[error("the signature expired at {expired_at} (Unix time)")]
    SignatureExpired {
        /// When, in seconds since the epoch.
        expired_at: u64,
    },
    /// The signing key, or its primary key, has expired (gpg: EXPKEYSIG).
    #[error("key {key} expired at {expired_at} (Unix time)")]
    KeyExpired {
        /// The fingerprint of the expired key.
        key: String,
        /// When, in seconds since the epoch.
        expired_at: u64,
    },
    /// The signing key, or its primary key, is revoked (gpg: REVKEYSIG).
    #[error("key {key} is revoked")]
    KeyRevoked {
        /// The fingerprint of the revoked key.
        key: String,
    },
    /// The signing key may not make signatures: no signing flag, no valid subkey
    /// binding, or no back-signature (gpg: wrong key usage / not cross-certified).
    #[error("key {key} is not usable for signing: {reason}")]
    WrongKeyUsage {
        /// The fingerprint of the key.
        key: String,
        /// Why.
        reason: &'static str,
    },
    /// The key is newer than the signature, or created in the future (gpg: time
    /// conflict).
    #[error("key {key} was created after the signature or in the future")]
    TimeConflict {
        /// The fingerprint of the key.
        key: String,
    },
    /// The signing subkey belongs to several different primary keys (c/image:
    /// ambiguous key lookup).
    #[error("signing subkey {subkey} belongs to several primary keys: {primaries:?}")]
    AmbiguousSubkey {
        /// The subkey's fingerprint.
        subkey: String,
        /// The primary keys' fingerprints.
        primaries: Vec<String>,
    },
    /// The one-pass signed message has no one-pass signature (for untrusted contents,
    /// which follow x/crypto: `The input is not a signature`).
    #[error("The input is not a signature")]
    NotASignature,
    /// A fingerprint that none of the keys has (c/image's key lookup).
    #[error("no key with fingerprint {fingerprint:?}")]
    NoSuchKey {
        /// The fingerprint asked for.
        fingerprint: String,
    },
}

impl From<RpgpError> for OpenPgpError {
    fn from(e: RpgpError) -> Self {
        OpenPgpError {
            reason: e.to_string(),
        }
    }
}

fn malformed(e: impl std::fmt::Display) -> RpgpError {
    RpgpError::Malformed {
        reason: e.to_string(),
    }
}

/// The rPGP [`OpenPgpBackend`] (feature `openpgp`, on by default), with the verdicts
/// of c/image's default (gpgme) build (signature-formats.md §3.2, §3.3, §3.3.5).
///
/// rPGP is used for packet parsing, decompression, dearmoring and the cryptographic
/// checks; the message grammar, the signature count and key validity (revocation,
/// expiry, usage, cross-certification) are decided here, the way `gpg` decides them:
///
/// * **Messages.** After compressed packets are expanded in place (at most
///   [`MAX_COMPRESSION_DEPTH`] levels, at most [`MAX_DECOMPRESSED_SIZE`] bytes in all),
///   marker and padding packets are dropped and the packets must be exactly
///   `One-Pass Signature, Literal Data, Signature` or `Signature, Literal Data` (the
///   old inline form gpg still verifies). Anything else is rejected: a literal without
///   a signature ("not signed"), encrypted data, two signatures (gpgme: "Unexpected GPG
///   signature count"), stray packets. The literal body is read completely (at most
///   [`MAX_PAYLOAD_SIZE`](super::MAX_PAYLOAD_SIZE) bytes) before it is verified.
/// * **Armor and cleartext.** As gpgme does, an ASCII-armored signed message
///   (`-----BEGIN PGP MESSAGE-----`) and a cleartext-signed message
///   (`-----BEGIN PGP SIGNED MESSAGE-----`) are verified too; the containers-signature
///   spec forbids them, but a stored signature can never be either, because the blob
///   format ([`UntrustedSignature::from_blob`](crate::signature::UntrustedSignature::from_blob))
///   rejects a first byte of `-`. [`RpgpBackend::binary_only`] refuses them.
/// * **Keys.** A key imports when it has a user ID with a valid self-certification
///   (gpg refuses the others); v4 keys only (gpg 2.2/2.4 import neither v3 nor v6 keys).
///   Keys imported twice, or in several blobs, are merged by fingerprint as in a gpg
///   keyring. Unparseable data imports nothing (gpgme: no error, zero keys).
/// * **Signers.** The signature's issuer (key ID or fingerprint) selects the primary key
///   or subkey; it must verify the signature, be signing-capable (key flags, or the
///   algorithm when the self-signature has none), not be revoked (any reason: gpg
///   reports REVKEYSIG whatever the reason or date), not be expired *now* (gpg's
///   EXPKEYSIG, even when the signature was made earlier), not be newer than the
///   signature or created in the future; a subkey also needs a valid binding and, for
///   signing, a valid primary-key binding (back-signature), and its primary key must
///   itself be valid. The signature must not be expired now and must not use MD5.
///   The identity reported is always the **primary** key's fingerprint. A signature
///   dated in the future is not refused (gpg does not check that either).
/// * **Time.** "Now" is the system clock for [`TrustedKeys::verify`]; pass it with
///   [`TrustedKeys::verify_at`] or [`RpgpKeys::verify_at_time`].
/// * **Not imported:** secret-key blocks, v3 and v6 keys, keys without a
///   self-certified user ID; revocations by designated revokers are not honoured.
///
/// ```no_run
/// use containers_policy::openpgp::{OpenPgpBackend, RpgpBackend};
/// let keyring = std::fs::read("/etc/pki/containers/key.gpg")?;
/// let keys = RpgpBackend::new().import(&[&keyring])?;
/// let verified = keys.verify(&std::fs::read("signature-1")?)?;
/// println!("signed by {}", verified.signer_fingerprint);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct RpgpBackend {
    binary_only: bool,
}

impl RpgpBackend {
    /// The backend with gpgme's verdicts (armored and cleartext messages verify).
    pub fn new() -> Self {
        RpgpBackend { binary_only: false }
    }

    /// A backend that verifies binary signed messages only, as the
    /// containers-signature format demands; armored and cleartext input is refused.
    pub fn binary_only() -> Self {
        RpgpBackend { binary_only: true }
    }

    /// [`import`](OpenPgpBackend::import) with the concrete key set, which also offers
    /// verification at a given time and c/image's subkey-to-primary lookup.
    pub fn import_keys(&self, keyrings: &[&[u8]]) -> Result<RpgpKeys, RpgpError> {
        let mut keys = RpgpKeys {
            binary_only: self.binary_only,
            fingerprints: Vec::new(),
            certs: Vec::new(),
        };
        let mut index: HashMap<String, usize> = HashMap::new();
        for blob in keyrings {
            if blob.len() > MAX_KEYRING_SIZE {
                return Err(RpgpError::TooLarge {
                    what: "keyring",
                    size: blob.len(),
                    limit: MAX_KEYRING_SIZE,
                });
            }
            for key in parse_keyring(blob) {
                let Some(fingerprint) = importable_fingerprint(&key) else {
                    continue;
                };
                keys.fingerprints.push(fingerprint.clone());
                match index.get(&fingerprint).and_then(|&i| keys.certs.get_mut(i)) {
                    Some(cert) => cert.merge(key),
                    None => {
                        index.insert(fingerprint.clone(), keys.certs.len());
                        keys.certs.push(Cert::new(fingerprint, key));
                    }
                }
            }
        }
        for cert in &mut keys.certs {
            cert.evaluate();
        }
        Ok(keys)
    }
}

impl OpenPgpBackend for RpgpBackend {
    fn import(&self, keyrings: &[&[u8]]) -> Result<Box<dyn TrustedKeys>, OpenPgpError> {
        Ok(Box::new(self.import_keys(keyrings)?))
    }
}

/// Keys imported by [`RpgpBackend`].
#[derive(Debug, Clone)]
pub struct RpgpKeys {
    binary_only: bool,
    fingerprints: Vec<String>,
    certs: Vec<Cert>,
}

impl RpgpKeys {
    /// Verifies `untrusted_signature` as of `now` (signature and key expiry).
    pub fn verify_at_time(
        &self,
        untrusted_signature: &[u8],
        now: SystemTime,
    ) -> Result<VerifiedMessage, RpgpError> {
        let now = unix_seconds(now);
        let (signature, ops, payload, signed) = self.read_message(untrusted_signature)?;
        if let Some(ops) = &ops {
            check_one_pass(ops, &signature)?;
        }
        let signer = self.find_signer(&signature, &signed, now)?;
        Ok(VerifiedMessage {
            payload,
            signer_fingerprint: signer,
        })
    }

    /// The primary key fingerprint for a primary or subkey fingerprint (c/image's
    /// `keyIdentityForVerificationKeyIdentity`, gpgme's `GetKey`); revoked subkeys
    /// still map. Errors when no key, or more than one primary key, has it.
    pub fn primary_key_identity(&self, fingerprint: &str) -> Result<String, RpgpError> {
        let mut primaries: Vec<String> = Vec::new();
        for cert in &self.certs {
            let has = cert.fingerprint == fingerprint
                || cert.subkeys.iter().any(|s| s.fingerprint == fingerprint);
            if has && !primaries.contains(&cert.fingerprint) {
                primaries.push(cert.fingerprint.clone());
            }
        }
        match primaries.len() {
            0 => Err(RpgpError::NoSuchKey {
                fingerprint: fingerprint.to_owned(),
            }),
            1 => Ok(primaries.swap_remove(0)),
            _ => Err(RpgpError::AmbiguousSubkey {
                subkey: fingerprint.to_owned(),
                primaries,
            }),
        }
    }

    /// Parses the message: (signature, one-pass packet, payload, signed bytes). The
    /// signed bytes differ from the payload only for cleartext messages.
    fn read_message(&self, untrusted: &[u8]) -> Result<ParsedMessage, RpgpError> {
        if untrusted.len() > MAX_SIGNATURE_SIZE {
            return Err(RpgpError::TooLarge {
                what: "signature",
                size: untrusted.len(),
                limit: MAX_SIGNATURE_SIZE,
            });
        }
        match classify(untrusted)? {
            Input::Binary => {
                let (signature, ops, literal) = signed_message(untrusted)?;
                let data = literal.data().to_vec();
                Ok((signature, ops, data.clone(), data))
            }
            Input::Armored(_) | Input::Cleartext(_) if self.binary_only => {
                Err(RpgpError::ArmoredRefused)
            }
            Input::Armored(start) => {
                let binary = dearmor(untrusted.get(start..).unwrap_or_default())?;
                let (signature, ops, literal) = signed_message(&binary)?;
                let data = literal.data().to_vec();
                Ok((signature, ops, data.clone(), data))
            }
            Input::Cleartext(start) => {
                let (signature, payload, signed) =
                    cleartext(untrusted.get(start..).unwrap_or_default())?;
                Ok((signature, None, payload, signed))
            }
        }
    }

    /// Finds the trusted (sub)key that made `signature` over `signed`, checks it is
    /// valid `now`, and returns its primary fingerprint.
    fn find_signer(
        &self,
        signature: &Signature,
        signed: &[u8],
        now: u64,
    ) -> Result<String, RpgpError> {
        check_signature_metadata(signature, now)?;
        let key_ids = signature.issuer_key_id();
        let fingerprints = signature.issuer_fingerprint();
        if key_ids.is_empty() && fingerprints.is_empty() {
            return Err(RpgpError::NoIssuer);
        }
        let matches = |key: &dyn KeyDetails| {
            key_ids.iter().any(|id| **id == key.legacy_key_id())
                || fingerprints.iter().any(|fp| **fp == key.fingerprint())
        };
        let mut first_error = None;
        for cert in &self.certs {
            let mut candidates: Vec<Component<'_>> = Vec::new();
            if matches(&cert.primary) {
                candidates.push(Component::Primary(cert));
            }
            for sub in &cert.subkeys {
                if matches(&sub.key) {
                    candidates.push(Component::Subkey(cert, sub));
                }
            }
            for candidate in candidates {
                let verified = match candidate {
                    Component::Primary(cert) => signature.verify(&cert.primary, signed),
                    Component::Subkey(_, sub) => signature.verify(&sub.key, signed),
                };
                match verified {
                    Ok(()) => {
                        candidate.check_valid(signature, now)?;
                        if let Component::Subkey(_, sub) = candidate {
                            return self.primary_key_identity(&sub.fingerprint);
                        }
                        return Ok(cert.fingerprint.clone());
                    }
                    Err(e) => {
                        first_error.get_or_insert(RpgpError::BadSignature {
                            key: candidate.fingerprint().to_owned(),
                            reason: e.to_string(),
                        });
                    }
                }
            }
        }
        Err(first_error.unwrap_or_else(|| {
            let mut issuer: Vec<String> = key_ids.iter().map(|id| hex_upper(id.as_ref())).collect();
            issuer.extend(fingerprints.iter().map(|fp| hex_upper(fp.as_bytes())));
            RpgpError::UnknownKey {
                issuer: issuer.join(", "),
            }
        }))
    }
}

impl TrustedKeys for RpgpKeys {
    fn fingerprints(&self) -> Vec<String> {
        self.fingerprints.clone()
    }

    fn verify(&self, untrusted_signature: &[u8]) -> Result<VerifiedMessage, OpenPgpError> {
        self.verify_at(untrusted_signature, SystemTime::now())
    }

    fn verify_at(
        &self,
        untrusted_signature: &[u8],
        now: SystemTime,
    ) -> Result<VerifiedMessage, OpenPgpError> {
        Ok(self.verify_at_time(untrusted_signature, now)?)
    }
}

/// A parsed message: (signature, one-pass packet, payload, signed bytes).
type ParsedMessage = (Signature, Option<OnePassSignature>, Vec<u8>, Vec<u8>);

/// What a signature blob looks like.
enum Input {
    Binary,
    /// An armored message starting at this offset.
    Armored(usize),
    /// A cleartext-signed message starting at this offset.
    Cleartext(usize),
}

const ARMOR_MESSAGE: &[u8] = b"-----BEGIN PGP MESSAGE-----";
const ARMOR_CLEARTEXT: &[u8] = b"-----BEGIN PGP SIGNED MESSAGE-----";

fn classify(untrusted: &[u8]) -> Result<Input, RpgpError> {
    let Some(&first) = untrusted.first() else {
        return Err(RpgpError::Empty);
    };
    if first & 0x80 != 0 {
        return Ok(Input::Binary);
    }
    // gpg skips text before the armor header line.
    let mut offset = 0;
    for line in untrusted.split_inclusive(|&b| b == b'\n') {
        if line.starts_with(ARMOR_CLEARTEXT) {
            return Ok(Input::Cleartext(offset));
        }
        if line.starts_with(ARMOR_MESSAGE) {
            return Ok(Input::Armored(offset));
        }
        offset += line.len();
    }
    Err(RpgpError::NotOpenPgp)
}

fn dearmor(armored: &[u8]) -> Result<Vec<u8>, RpgpError> {
    let mut dearmor = pgp::armor::Dearmor::new(armored);
    dearmor.read_header().map_err(malformed)?;
    read_capped(dearmor, MAX_SIGNATURE_SIZE, "dearmored signature")
}

/// Reads at most `limit` bytes; more is an error.
fn read_capped(reader: impl Read, limit: usize, what: &'static str) -> Result<Vec<u8>, RpgpError> {
    let mut out = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(cap).read_to_end(&mut out).map_err(malformed)?;
    if out.len() > limit {
        return Err(RpgpError::TooLarge {
            what,
            size: out.len(),
            limit,
        });
    }
    Ok(out)
}

/// A packet of a signed message, after decompression.
enum Item {
    Ops(OnePassSignature),
    Sig(Box<Signature>),
    Literal(LiteralData),
}

impl Item {
    fn name(&self) -> &'static str {
        match self {
            Item::Ops(_) => "one-pass signature",
            Item::Sig(_) => "signature",
            Item::Literal(_) => "literal data",
        }
    }
}

/// Expands `bytes` into message packets, decompressing in place.
fn flatten(
    bytes: &[u8],
    depth: usize,
    budget: &mut usize,
    out: &mut Vec<Item>,
) -> Result<(), RpgpError> {
    for packet in PacketParser::new(bytes) {
        match packet.map_err(malformed)? {
            Packet::CompressedData(compressed) => {
                if depth >= MAX_COMPRESSION_DEPTH {
                    return Err(RpgpError::TooDeep {
                        limit: MAX_COMPRESSION_DEPTH,
                    });
                }
                let reader = compressed.decompress().map_err(malformed)?;
                let inner =
                    read_capped(reader, *budget, "decompressed data").map_err(|e| match e {
                        RpgpError::TooLarge { size, what, .. } => RpgpError::TooLarge {
                            what,
                            size,
                            limit: MAX_DECOMPRESSED_SIZE,
                        },
                        other => other,
                    })?;
                *budget = budget.saturating_sub(inner.len());
                flatten(&inner, depth + 1, budget, out)?;
            }
            Packet::OnePassSignature(ops) => out.push(Item::Ops(ops)),
            Packet::Signature(sig) => out.push(Item::Sig(Box::new(sig))),
            Packet::LiteralData(literal) => {
                if literal.data().len() > MAX_PAYLOAD_SIZE {
                    return Err(RpgpError::TooLarge {
                        what: "literal data",
                        size: literal.data().len(),
                        limit: MAX_PAYLOAD_SIZE,
                    });
                }
                out.push(Item::Literal(literal));
            }
            Packet::Marker(_) | Packet::Padding(_) => {}
            Packet::PublicKeyEncryptedSessionKey(_)
            | Packet::SymKeyEncryptedSessionKey(_)
            | Packet::SymEncryptedData(_)
            | Packet::SymEncryptedProtectedData(_)
            | Packet::GnupgAeadData(_) => return Err(RpgpError::Encrypted),
            other => {
                return Err(RpgpError::UnexpectedPackets {
                    sequence: format!("{:?}", other.tag()),
                });
            }
        }
    }
    Ok(())
}

fn packets(untrusted: &[u8]) -> Result<Vec<Item>, RpgpError> {
    if untrusted.is_empty() {
        return Err(RpgpError::Empty);
    }
    let mut items = Vec::new();
    let mut budget = MAX_DECOMPRESSED_SIZE;
    flatten(untrusted, 0, &mut budget, &mut items)?;
    if items.is_empty() {
        return Err(RpgpError::NotOpenPgp);
    }
    Ok(items)
}

/// The one signature, its one-pass packet and the literal data of a binary message.
fn signed_message(
    untrusted: &[u8],
) -> Result<(Signature, Option<OnePassSignature>, LiteralData), RpgpError> {
    let items = packets(untrusted)?;
    let literals = items
        .iter()
        .filter(|i| matches!(i, Item::Literal(_)))
        .count();
    let signatures = items.iter().filter(|i| matches!(i, Item::Sig(_))).count();
    let one_pass = items.iter().filter(|i| matches!(i, Item::Ops(_))).count();
    if literals == 0 {
        return Err(RpgpError::NoSignedData);
    }
    if signatures == 0 {
        return Err(RpgpError::NotSigned);
    }
    if signatures > 1 || one_pass > 1 {
        return Err(RpgpError::SignatureCount {
            count: signatures.max(one_pass),
        });
    }
    let mut items = items.into_iter();
    match (items.next(), items.next(), items.next(), items.next()) {
        (Some(Item::Ops(ops)), Some(Item::Literal(lit)), Some(Item::Sig(sig)), None) => {
            Ok((*sig, Some(ops), lit))
        }
        (Some(Item::Sig(sig)), Some(Item::Literal(lit)), None, None) => Ok((*sig, None, lit)),
        (a, b, c, d) => Err(RpgpError::UnexpectedPackets {
            sequence: [a, b, c, d]
                .iter()
                .flatten()
                .map(Item::name)
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// A cleartext-signed message: its one signature, the text as gpg outputs it, and the
/// canonical text that is signed.
fn cleartext(armored: &[u8]) -> Result<(Signature, Vec<u8>, Vec<u8>), RpgpError> {
    let text = std::str::from_utf8(armored).map_err(malformed)?;
    let (message, _) = CleartextSignedMessage::from_string(text).map_err(malformed)?;
    let mut signatures = message.signatures().iter();
    let (Some(signature), None) = (signatures.next(), signatures.next()) else {
        return Err(RpgpError::SignatureCount {
            count: message.signatures().len(),
        });
    };
    let signed = message.signed_text().into_bytes();
    // gpg writes the dash-unescaped lines, each with a newline.
    let mut payload = Vec::new();
    for line in message.text().lines() {
        payload.extend_from_slice(line.strip_prefix("- ").unwrap_or(line).as_bytes());
        payload.push(b'\n');
    }
    Ok((signature.clone(), payload, signed))
}

fn check_one_pass(ops: &OnePassSignature, sig: &Signature) -> Result<(), RpgpError> {
    let same = sig.typ() == Some(ops.typ())
        && sig.hash_alg() == Some(ops.hash_algorithm())
        && sig.config().map(|c| c.pub_alg) == Some(ops.public_key_algorithm());
    if same && !ops.is_nested() {
        Ok(())
    } else {
        Err(RpgpError::OnePassMismatch)
    }
}

/// Checks that depend on the signature alone: type, hash, creation and expiry.
fn check_signature_metadata(sig: &Signature, now: u64) -> Result<(), RpgpError> {
    match sig.typ() {
        Some(SignatureType::Binary | SignatureType::Text) => {}
        other => {
            return Err(RpgpError::NotADataSignature {
                typ: other.map_or_else(|| "unknown".to_owned(), |typ| format!("{typ:?}")),
            });
        }
    }
    if sig.hash_alg() == Some(HashAlgorithm::Md5) {
        return Err(RpgpError::WeakHash {
            algorithm: "MD5".to_owned(),
        });
    }
    let created = sig.created().ok_or(RpgpError::NoCreationTime)?;
    if let Some(lifetime) = sig.signature_expiration_time()
        && lifetime.as_secs() != 0
    {
        let expired_at = u64::from(created.as_secs()) + u64::from(lifetime.as_secs());
        if expired_at <= now {
            return Err(RpgpError::SignatureExpired { expired_at });
        }
    }
    Ok(())
}

/// A trusted certificate: a primary key with its subkeys, merged across imports.
#[derive(Debug, Clone)]
struct Cert {
    fingerprint: String,
    primary: PublicKey,
    key: SignedPublicKey,
    state: KeyState,
    subkeys: Vec<Subkey>,
}

#[derive(Debug, Clone)]
struct Subkey {
    fingerprint: String,
    key: PublicSubkey,
    state: KeyState,
}

/// What the self-signatures say about a key, independent of the time of use.
#[derive(Debug, Clone)]
struct KeyState {
    revoked: bool,
    /// Seconds since the epoch.
    expires: Option<u64>,
    /// `Err(reason)` when the key may not sign.
    signing: Result<(), &'static str>,
}

enum Component<'a> {
    Primary(&'a Cert),
    Subkey(&'a Cert, &'a Subkey),
}

impl Component<'_> {
    fn fingerprint(&self) -> &str {
        match self {
            Component::Primary(cert) => &cert.fingerprint,
            Component::Subkey(_, sub) => &sub.fingerprint,
        }
    }

    /// gpg's checks of the signing key once the signature verified.
    fn check_valid(&self, sig: &Signature, now: u64) -> Result<(), RpgpError> {
        let cert = match self {
            Component::Primary(cert) | Component::Subkey(cert, _) => cert,
        };
        let created = u64::from(sig.created().map(|t| t.as_secs()).unwrap_or_default());
        let mut layers = vec![(
            cert.fingerprint.as_str(),
            &cert.state,
            cert.primary.created_at(),
        )];
        if let Component::Subkey(_, sub) = self {
            layers.push((sub.fingerprint.as_str(), &sub.state, sub.key.created_at()));
        }
        for (fingerprint, _, key_created) in &layers {
            let key_created = u64::from(key_created.as_secs());
            if key_created > created || key_created > now {
                return Err(RpgpError::TimeConflict {
                    key: (*fingerprint).to_owned(),
                });
            }
        }
        for (fingerprint, state, _) in &layers {
            if state.revoked {
                return Err(RpgpError::KeyRevoked {
                    key: (*fingerprint).to_owned(),
                });
            }
        }
        for (fingerprint, state, _) in &layers {
            if let Some(expired_at) = state.expires
                && expired_at <= now
            {
                return Err(RpgpError::KeyExpired {
                    key: (*fingerprint).to_owned(),
                    expired_at,
                });
            }
        }
        let (fingerprint, state, _) = layers.last().copied().ok_or(RpgpError::NoIssuer)?;
        state.signing.map_err(|reason| RpgpError::WrongKeyUsage {
            key: fingerprint.to_owned(),
            reason,
        })
    }
}

impl Cert {
    fn new(fingerprint: String, key: SignedPublicKey) -> Self {
        Cert {
            fingerprint,
            primary: key.primary_key.clone(),
            key,
            state: KeyState {
                revoked: false,
                expires: None,
                signing: Err("not evaluated"),
            },
            subkeys: Vec::new(),
        }
    }

    /// Adds the signatures, user IDs and subkeys of another copy of this key.
    fn merge(&mut self, other: SignedPublicKey) {
        let details = &mut self.key.details;
        details
            .revocation_signatures
            .extend(other.details.revocation_signatures);
        details
            .direct_signatures
            .extend(other.details.direct_signatures);
        details.users.extend(other.details.users);
        for sub in other.public_subkeys {
            match self
                .key
                .public_subkeys
                .iter_mut()
                .find(|s| s.key.fingerprint() == sub.key.fingerprint())
            {
                Some(existing) => existing.signatures.extend(sub.signatures),
                None => self.key.public_subkeys.push(sub),
            }
        }
    }

    /// Computes the key states from the self-signatures.
    fn evaluate(&mut self) {
        let primary = &self.primary;
        let revoked = self.key.details.revocation_signatures.iter().any(|sig| {
            sig.typ() == Some(SignatureType::KeyRevocation) && sig.verify_key(primary).is_ok()
        });
        // gpg takes expiry and usage from the primary user ID's newest self-signature;
        // a direct-key signature counts when it is newer.
        let mut best: Option<&Signature> = None;
        let mut best_primary = false;
        for user in &self.key.details.users {
            for sig in &user.signatures {
                if !is_self_certification(sig, primary, user) {
                    continue;
                }
                let better = match best {
                    None => true,
                    Some(current) => {
                        (sig.is_primary(), created_secs(sig))
                            > (best_primary, created_secs(current))
                    }
                };
                if better {
                    best = Some(sig);
                    best_primary = sig.is_primary();
                }
            }
        }
        for sig in &self.key.details.direct_signatures {
            if sig.typ() == Some(SignatureType::Key)
                && sig.verify_key(primary).is_ok()
                && best.is_none_or(|b| created_secs(sig) > created_secs(b))
            {
                best = Some(sig);
            }
        }
        self.state = KeyState {
            revoked,
            expires: best.and_then(|sig| expiry(sig, primary.created_at().as_secs())),
            signing: best.map_or(Err("no valid self-signature"), |sig| {
                signing_allowed(sig, primary.algorithm().can_sign())
            }),
        };
        self.subkeys = self
            .key
            .public_subkeys
            .iter()
            .map(|sub| {
                let key = &sub.key;
                let revoked = sub.signatures.iter().any(|sig| {
                    sig.typ() == Some(SignatureType::SubkeyRevocation)
                        && sig.verify_subkey_binding(primary, key).is_ok()
                });
                let binding = sub
                    .signatures
                    .iter()
                    .filter(|sig| {
                        sig.typ() == Some(SignatureType::SubkeyBinding)
                            && sig.verify_subkey_binding(primary, key).is_ok()
                    })
                    .max_by_key(|sig| created_secs(sig));
                let signing = match binding {
                    None => Err("no valid subkey binding signature"),
                    Some(sig) => signing_allowed(sig, key.algorithm().can_sign()).and_then(|()| {
                        let back = sig.embedded_signature().is_some_and(|back| {
                            back.typ() == Some(SignatureType::KeyBinding)
                                && back.verify_primary_key_binding(key, primary).is_ok()
                        });
                        if back {
                            Ok(())
                        } else {
                            Err("signing subkey is not cross-certified")
                        }
                    }),
                };
                Subkey {
                    fingerprint: hex_upper(key.fingerprint().as_bytes()),
                    key: key.clone(),
                    state: KeyState {
                        revoked,
                        expires: binding.and_then(|sig| expiry(sig, key.created_at().as_secs())),
                        signing,
                    },
                }
            })
            .collect();
    }
}

fn created_secs(sig: &Signature) -> u32 {
    sig.created().map(|t| t.as_secs()).unwrap_or_default()
}

fn is_self_certification(
    sig: &Signature,
    primary: &PublicKey,
    user: &pgp::types::SignedUser,
) -> bool {
    sig.is_certification()
        && sig.typ() != Some(SignatureType::CertRevocation)
        && sig
            .verify_certification(primary, Tag::UserId, &user.id)
            .is_ok()
}

/// The absolute expiry of a key created at `created` by this self-signature.
fn expiry(sig: &Signature, created: u32) -> Option<u64> {
    sig.key_expiration_time()
        .filter(|d| d.as_secs() != 0)
        .map(|d| u64::from(created) + u64::from(d.as_secs()))
}

/// The self-signature's key flags allow signing (without flags: the algorithm can).
fn signing_allowed(sig: &Signature, algorithm_can_sign: bool) -> Result<(), &'static str> {
    let flags = sig.config().and_then(|c| {
        c.hashed_subpackets().find_map(|p| match &p.data {
            SubpacketData::KeyFlags(flags) => Some(flags.sign()),
            _ => None,
        })
    });
    match flags {
        Some(true) => Ok(()),
        Some(false) => Err("the key flags do not allow signing"),
        None if algorithm_can_sign => Ok(()),
        None => Err("the algorithm cannot sign"),
    }
}

/// The fingerprint of a key gpg would import, or `None`.
fn importable_fingerprint(key: &SignedPublicKey) -> Option<String> {
    let primary = &key.primary_key;
    if primary.version() != KeyVersion::V4 {
        return None;
    }
    let certified = key.details.users.iter().any(|user| {
        user.signatures
            .iter()
            .any(|sig| is_self_certification(sig, primary, user))
    });
    certified.then(|| hex_upper(primary.fingerprint().as_bytes()))
}

/// Every public key in a keyring blob: binary, or any number of ASCII-armored key
/// blocks. Trust, marker and padding packets (gpg keyrings have trust packets) are
/// dropped; unparseable data contributes nothing and a parse error ends the block.
fn parse_keyring(blob: &[u8]) -> Vec<SignedPublicKey> {
    let mut keys = Vec::new();
    let Some(&first) = blob.first() else {
        return keys;
    };
    if first & 0x80 != 0 {
        collect_keys(blob, &mut keys);
        return keys;
    }
    const BEGIN: &[u8] = b"-----BEGIN PGP PUBLIC KEY BLOCK-----";
    let mut offset = 0;
    for line in blob.split_inclusive(|&b| b == b'\n') {
        if line.starts_with(BEGIN) {
            let block = blob.get(offset..).unwrap_or_default();
            let mut dearmor = pgp::armor::Dearmor::new(block);
            if dearmor.read_header().is_ok()
                && let Ok(binary) = read_capped(dearmor, MAX_KEYRING_SIZE, "dearmored keyring")
            {
                collect_keys(&binary, &mut keys);
            }
        }
        offset += line.len();
    }
    keys
}

fn collect_keys(binary: &[u8], keys: &mut Vec<SignedPublicKey>) {
    let packets = PacketParser::new(binary)
        .map_while(Result::ok)
        .filter(|p| !matches!(p, Packet::Trust(_) | Packet::Marker(_) | Packet::Padding(_)))
        .map(Ok);
    for key in SignedPublicKey::from_packets(packets.peekable()) {
        match key {
            Ok(key) => keys.push(key),
            Err(_) => break,
        }
    }
}

/// The literal contents and the one-pass packet's issuer key ID of a one-pass signed
/// message, **without verifying anything** (c/image's `UntrustedSignatureContents`,
/// which uses x/crypto: binary input only, a one-pass signature is required).
pub(super) fn untrusted_contents(
    untrusted_signature: &[u8],
) -> Result<(Vec<u8>, String), RpgpError> {
    if untrusted_signature.len() > MAX_SIGNATURE_SIZE {
        return Err(RpgpError::TooLarge {
            what: "signature",
            size: untrusted_signature.len(),
            limit: MAX_SIGNATURE_SIZE,
        });
    }
    if untrusted_signature.first().is_some_and(|b| b & 0x80 == 0) {
        return Err(RpgpError::NotOpenPgp);
    }
    let items = packets(untrusted_signature)?;
    let mut items = items.into_iter();
    let (Some(Item::Ops(ops)), Some(Item::Literal(literal))) = (items.next(), items.next()) else {
        return Err(RpgpError::NotASignature);
    };
    if ops.is_nested() {
        return Err(RpgpError::SignatureCount { count: 2 });
    }
    let key_id = match ops.version_specific() {
        OpsVersionSpecific::V3 { key_id } => hex_upper(key_id.as_ref()),
        _ => return Err(RpgpError::NotASignature),
    };
    Ok((literal.data().to_vec(), key_id))
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

fn hex_upper(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02X}");
        s
    })
}
