//! Sigstore public keys and payload signatures (signature-formats.md §4.4, §4.6;
//! policy-semantics.md §12.1, §12.2 step 5).
//!
//! c/image reads configured keys with sigstore's `cryptoutils.UnmarshalPEMToPublicKey`
//! and checks payload signatures with sigstore's verifiers over SHA-256
//! (`LoadVerifier(key, crypto.SHA256)`); [`PublicKey`] reproduces both:
//!
//! * **PEM**: Go's `pem.Decode` of the *first* block only (text before it skipped,
//!   anything after it ignored); type `PUBLIC KEY` is a PKIX `SubjectPublicKeyInfo`,
//!   `RSA PUBLIC KEY` a PKCS#1 `RSAPublicKey`, anything else is an error.
//! * **ECDSA** (P-256, P-384): the point must be uncompressed and on the curve (Go's
//!   `elliptic.Unmarshal`). A payload signature is verified over SHA-256 whatever the
//!   curve; it is DER when Go's `encoding/asn1` can read a `SEQUENCE { INTEGER,
//!   INTEGER }` at its start (then it must be strict DER with nothing after it),
//!   otherwise IEEE P1363 `r || s` (even length, 2 to 132 bytes, split in halves).
//! * **RSA**: PKCS#1 v1.5 with SHA-256.
//! * **Ed25519**: pure Ed25519 over the payload (Go's rules: cofactorless, canonical
//!   `S`; the key bytes are only decoded when verifying, so a key that is not a valid
//!   point fails its verifications, as in Go, rather than the whole trust root).
//!
//! Deliberate differences from Go, all failing closed: P-224 and P-521 ECDSA keys,
//! DSA and X25519 keys are rejected when parsed ([`PublicKeyError::UnsupportedAlgorithm`],
//! [`PublicKeyError::UnsupportedCurve`]); c/image accepts P-224/P-521 and fails the
//! whole verification for DSA/X25519 later, so only P-224/P-521 change a verdict. RSA
//! keys outside 2048–16384 bits, or with an exponent outside 3–2³¹−1 or even, parse
//! but never verify (Go accepts 1024-bit keys). A `BIT STRING` with unused bits is
//! rejected. SPKI is otherwise read as Go does, including its tolerance of extra
//! elements at the end of the `SEQUENCE`s.

use sha2::{Digest as _, Sha256};

use crate::go_encoding::{self, asn1_probe_two_integers, der};
use crate::signature::{PayloadError, SigstorePayload};

/// The PEM type of a PKIX public key.
pub const PKIX_PUBLIC_KEY_PEM_TYPE: &str = "PUBLIC KEY";
/// The PEM type of a PKCS#1 RSA public key.
pub const PKCS1_PUBLIC_KEY_PEM_TYPE: &str = "RSA PUBLIC KEY";

/// The smallest RSA modulus this crate verifies with, in bits.
pub const MIN_RSA_BITS: usize = 2048;
/// The largest RSA modulus this crate verifies with, in bits.
pub const MAX_RSA_BITS: usize = 16384;

const OID_EC_PUBLIC_KEY: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
const OID_P256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x22];
const OID_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
const OID_ED25519: &[u8] = &[0x2B, 0x65, 0x70];
const DER_NULL: &[u8] = &[der::NULL, 0];

/// The algorithm of a [`PublicKey`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// ECDSA on NIST P-256.
    EcdsaP256,
    /// ECDSA on NIST P-384.
    EcdsaP384,
    /// Ed25519.
    Ed25519,
    /// RSA (verified with PKCS#1 v1.5).
    Rsa,
}

/// A public key that can verify sigstore payload signatures (and, when ECDSA, Rekor
/// SETs). Built from PEM ([`from_pem`](Self::from_pem)) or from DER
/// ([`from_spki_der`](Self::from_spki_der), e.g. a certificate's key).
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    inner: Inner,
}

#[derive(Clone, PartialEq, Eq)]
enum Inner {
    P256 {
        key: p256::ecdsa::VerifyingKey,
        /// The uncompressed SEC1 point, as in the SPKI.
        point: Vec<u8>,
    },
    P384 {
        key: p384::ecdsa::VerifyingKey,
        point: Vec<u8>,
    },
    /// The raw key bytes; decoded when verifying (Go accepts any 32 bytes here).
    Ed25519([u8; 32]),
    Rsa {
        /// The modulus, big-endian, without leading zeros.
        n: Vec<u8>,
        /// The public exponent.
        e: u64,
    },
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("PublicKey");
        d.field("algorithm", &self.algorithm());
        if let Inner::Rsa { n, e } = &self.inner {
            d.field("bits", &bit_len(n)).field("e", e);
        }
        d.finish_non_exhaustive()
    }
}

/// Why a public key could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PublicKeyError {
    /// No PEM block was found (sigstore: `PEM decoding failed`).
    #[error("PEM decoding failed")]
    PemDecodingFailed,
    /// The first PEM block is neither `PUBLIC KEY` nor `RSA PUBLIC KEY`.
    #[error(
        "unknown Public key PEM file type: {pem_type}. Are you passing the correct public key?"
    )]
    UnknownPemType {
        /// The block's type label.
        pem_type: String,
    },
    /// The DER is not a well-formed key structure.
    #[error("invalid public key encoding: {reason}")]
    InvalidEncoding {
        /// What is wrong.
        reason: &'static str,
    },
    /// The SPKI algorithm is not one this crate supports (DSA, X25519, unknown OIDs).
    #[error("unsupported public key algorithm (OID bytes {oid_hex})")]
    UnsupportedAlgorithm {
        /// The algorithm OID's DER contents, in hex.
        oid_hex: String,
    },
    /// An ECDSA key on a curve other than P-256 and P-384.
    #[error("unsupported elliptic curve (OID bytes {oid_hex})")]
    UnsupportedCurve {
        /// The curve OID's DER contents, in hex.
        oid_hex: String,
    },
    /// The ECDSA point is not an uncompressed point on the curve.
    #[error("failed to unmarshal elliptic curve point on {curve}")]
    InvalidPoint {
        /// The curve.
        curve: &'static str,
    },
    /// An Ed25519 key whose length is not 32 bytes, or with parameters.
    #[error("invalid Ed25519 public key: {reason}")]
    InvalidEd25519Key {
        /// What is wrong.
        reason: &'static str,
    },
    /// An RSA key with a zero or negative modulus or exponent, or (PKCS#1) an exponent
    /// above 2³¹−1, or a missing NULL parameter.
    #[error("invalid RSA public key: {reason}")]
    InvalidRsaKey {
        /// What is wrong.
        reason: &'static str,
    },
}

/// Why one key did not verify a signature (sigstore's verifier errors).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureVerificationError {
    /// An ECDSA signature read as DER did not verify (or was not strict DER).
    #[error("invalid signature when validating ASN.1 encoded signature")]
    EcdsaAsn1,
    /// An ECDSA signature that is not DER has a length P1363 cannot have.
    #[error("ecdsa: Invalid IEEE_P1363 encoded bytes (length {len})")]
    EcdsaP1363Encoding {
        /// The signature's length.
        len: usize,
    },
    /// An ECDSA signature read as P1363 `r || s` did not verify.
    #[error("invalid signature when validating IEEE_P1363 encoded signature")]
    EcdsaP1363,
    /// An RSA PKCS#1 v1.5 signature did not verify.
    #[error("crypto/rsa: verification error")]
    Rsa,
    /// The RSA key is outside what this crate verifies with.
    #[error("unusable RSA public key: {reason}")]
    RsaKeyUnusable {
        /// Why.
        reason: &'static str,
    },
    /// An Ed25519 signature did not verify (or the key is not a valid point).
    #[error("failed to verify signature")]
    Ed25519,
}

/// Why a sigstore payload signature was not accepted
/// ([`verify_payload_signature_base64`], [`verify_sigstore_payload`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PayloadSignatureError {
    /// No candidate keys (c/image: an internal error).
    #[error("Need at least one public key to verify the sigstore payload, but got 0")]
    NoKeys,
    /// The signature annotation is not standard padded base64.
    #[error("base64 decoding: {reason}")]
    Base64 {
        /// The decoder's explanation.
        reason: String,
    },
    /// No key verified the signature; one failure per key, in key order.
    #[error("cryptographic signature verification failed: {}", join(failures))]
    Verification {
        /// Each key's failure.
        failures: Vec<SignatureVerificationError>,
    },
    /// The signature verified but the payload is not a valid sigstore payload.
    #[error(transparent)]
    Payload(#[from] PayloadError),
}

fn join(failures: &[SignatureVerificationError]) -> String {
    failures
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn bit_len(magnitude: &[u8]) -> usize {
    match magnitude.iter().position(|&b| b != 0) {
        None => 0,
        Some(i) => {
            let first = magnitude.get(i).copied().unwrap_or_default();
            (magnitude.len() - i - 1) * 8 + (8 - first.leading_zeros() as usize)
        }
    }
}

fn invalid(reason: &'static str) -> PublicKeyError {
    PublicKeyError::InvalidEncoding { reason }
}

impl PublicKey {
    /// Reads a key the way sigstore's `UnmarshalPEMToPublicKey` does: the first PEM
    /// block of `pem` (Go's `pem.Decode`; preceding text is skipped and anything after
    /// the block ignored), of type `PUBLIC KEY` (PKIX) or `RSA PUBLIC KEY` (PKCS#1).
    ///
    /// ```
    /// use containers_policy::sigstore::public_key::{KeyAlgorithm, PublicKey};
    /// let pem = "-----BEGIN PUBLIC KEY-----
    /// MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEISCJ6xaD4hkDooDwTclI1U681B57
    /// oq5yRT7AQpDcCEXsFprwji+m1MGg4QGjfE3HQ/oB78T85dnulsCM8ulqSg==
    /// -----END PUBLIC KEY-----
    /// ";
    /// let key = PublicKey::from_pem(pem.as_bytes()).unwrap();
    /// assert_eq!(key.algorithm(), KeyAlgorithm::EcdsaP256);
    /// assert_eq!(key.to_pkix_pem(), pem);
    /// ```
    pub fn from_pem(pem: &[u8]) -> Result<Self, PublicKeyError> {
        let Some((block, _)) = go_encoding::pem_decode(pem) else {
            return Err(PublicKeyError::PemDecodingFailed);
        };
        match block.label.as_str() {
            PKIX_PUBLIC_KEY_PEM_TYPE => Self::from_spki_der(&block.der),
            PKCS1_PUBLIC_KEY_PEM_TYPE => Self::from_pkcs1_der(&block.der),
            _ => Err(PublicKeyError::UnknownPemType {
                pem_type: block.label,
            }),
        }
    }

    /// Reads a DER `SubjectPublicKeyInfo` (Go's `x509.ParsePKIXPublicKey`), e.g. the
    /// key of a certificate.
    pub fn from_spki_der(der_bytes: &[u8]) -> Result<Self, PublicKeyError> {
        let (spki, rest) = der::read(der_bytes, der::SEQUENCE)
            .ok_or(invalid("SubjectPublicKeyInfo is not a DER SEQUENCE"))?;
        if !rest.is_empty() {
            return Err(invalid("trailing data after ASN.1 of public-key"));
        }
        let (algorithm, after_algorithm) =
            der::read(spki, der::SEQUENCE).ok_or(invalid("missing AlgorithmIdentifier"))?;
        // Extra elements after the BIT STRING are tolerated, as by Go's encoding/asn1.
        let (bit_string, _) =
            der::read(after_algorithm, der::BIT_STRING).ok_or(invalid("missing BIT STRING"))?;
        let key_bytes = match bit_string.split_first() {
            Some((0, bytes)) => bytes,
            _ => return Err(invalid("BIT STRING with unused bits")),
        };
        let (oid, params) =
            der::read(algorithm, der::OID).ok_or(invalid("missing algorithm OID"))?;
        // Go reads at most one parameter element and ignores what follows it.
        let params = match der::read_any(params) {
            Some((_, _, after)) => params.get(..params.len() - after.len()).unwrap_or_default(),
            None if params.is_empty() => params,
            None => return Err(invalid("malformed algorithm parameters")),
        };
        match oid {
            OID_EC_PUBLIC_KEY => {
                let (curve, _) =
                    der::read(params, der::OID).ok_or(invalid("invalid ECDSA parameters"))?;
                Self::from_ec_point(curve, key_bytes)
            }
            OID_ED25519 => {
                if !params.is_empty() {
                    return Err(PublicKeyError::InvalidEd25519Key {
                        reason: "key encoded with illegal parameters",
                    });
                }
                let key = <[u8; 32]>::try_from(key_bytes).map_err(|_| {
                    PublicKeyError::InvalidEd25519Key {
                        reason: "wrong Ed25519 public key size",
                    }
                })?;
                Ok(PublicKey {
                    inner: Inner::Ed25519(key),
                })
            }
            OID_RSA => {
                if params != DER_NULL {
                    return Err(PublicKeyError::InvalidRsaKey {
                        reason: "RSA key missing NULL parameters",
                    });
                }
                // cryptobyte: SEQUENCE { INTEGER n, INTEGER e }, trailing data unchecked.
                let (body, _) =
                    der::read(key_bytes, der::SEQUENCE).ok_or(PublicKeyError::InvalidRsaKey {
                        reason: "invalid RSA public key",
                    })?;
                Self::from_rsa_integers(body, false)
            }
            other => Err(PublicKeyError::UnsupportedAlgorithm {
                oid_hex: hex(other),
            }),
        }
    }

    /// Reads a DER PKCS#1 `RSAPublicKey` (Go's `x509.ParsePKCS1PublicKey`).
    pub fn from_pkcs1_der(der_bytes: &[u8]) -> Result<Self, PublicKeyError> {
        let (body, rest) = der::read(der_bytes, der::SEQUENCE)
            .ok_or(invalid("RSAPublicKey is not a DER SEQUENCE"))?;
        if !rest.is_empty() {
            return Err(invalid("trailing data after ASN.1 of public-key"));
        }
        Self::from_rsa_integers(body, true)
    }

    fn from_rsa_integers(body: &[u8], pkcs1: bool) -> Result<Self, PublicKeyError> {
        let bad = |reason| PublicKeyError::InvalidRsaKey { reason };
        let (n, rest) = der::read(body, der::INTEGER).ok_or(bad("invalid RSA modulus"))?;
        let (e, _) = der::read(rest, der::INTEGER).ok_or(bad("invalid RSA public exponent"))?;
        if !der::minimal_integer(n) {
            return Err(bad("invalid RSA modulus"));
        }
        if !der::minimal_integer(e) || e.len() > 8 {
            return Err(bad("invalid RSA public exponent"));
        }
        let negative = |v: &[u8]| v.first().is_some_and(|b| b & 0x80 != 0);
        let zero = |v: &[u8]| v.iter().all(|&b| b == 0);
        if negative(n) || zero(n) {
            return Err(bad("RSA modulus is not a positive number"));
        }
        if negative(e) || zero(e) {
            return Err(bad("RSA public exponent is not a positive number"));
        }
        let e_value = e.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
        if pkcs1 && e_value > (1 << 31) - 1 {
            return Err(bad("public key contains large public exponent"));
        }
        let n = n
            .get(n.iter().take_while(|&&b| b == 0).count()..)
            .unwrap_or_default();
        Ok(PublicKey {
            inner: Inner::Rsa {
                n: n.to_vec(),
                e: e_value,
            },
        })
    }

    fn from_ec_point(curve: &[u8], point: &[u8]) -> Result<Self, PublicKeyError> {
        // Go's elliptic.Unmarshal: uncompressed form only, on the curve.
        let uncompressed = |field: usize| point.len() == 1 + 2 * field && point.first() == Some(&4);
        match curve {
            OID_P256 => {
                let key = uncompressed(32)
                    .then(|| p256::ecdsa::VerifyingKey::from_sec1_bytes(point).ok())
                    .flatten()
                    .ok_or(PublicKeyError::InvalidPoint { curve: "P-256" })?;
                Ok(PublicKey {
                    inner: Inner::P256 {
                        key,
                        point: point.to_vec(),
                    },
                })
            }
            OID_P384 => {
                let key = uncompressed(48)
                    .then(|| p384::ecdsa::VerifyingKey::from_sec1_bytes(point).ok())
                    .flatten()
                    .ok_or(PublicKeyError::InvalidPoint { curve: "P-384" })?;
                Ok(PublicKey {
                    inner: Inner::P384 {
                        key,
                        point: point.to_vec(),
                    },
                })
            }
            other => Err(PublicKeyError::UnsupportedCurve {
                oid_hex: hex(other),
            }),
        }
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match self.inner {
            Inner::P256 { .. } => KeyAlgorithm::EcdsaP256,
            Inner::P384 { .. } => KeyAlgorithm::EcdsaP384,
            Inner::Ed25519(_) => KeyAlgorithm::Ed25519,
            Inner::Rsa { .. } => KeyAlgorithm::Rsa,
        }
    }

    /// Whether this is an ECDSA key (the only kind c/image accepts as a Rekor key:
    /// `Rekor public key <i> is not using ECDSA` otherwise).
    pub fn is_ecdsa(&self) -> bool {
        matches!(self.inner, Inner::P256 { .. } | Inner::P384 { .. })
    }

    /// The key as DER `SubjectPublicKeyInfo`, as Go's `x509.MarshalPKIXPublicKey`
    /// writes it (a PKCS#1 RSA key becomes PKIX).
    pub fn to_spki_der(&self) -> Vec<u8> {
        let (algorithm, key) = match &self.inner {
            Inner::P256 { point, .. } => (ec_algorithm(OID_P256), point.clone()),
            Inner::P384 { point, .. } => (ec_algorithm(OID_P384), point.clone()),
            Inner::Ed25519(bytes) => (der::element(der::OID, OID_ED25519), bytes.to_vec()),
            Inner::Rsa { n, e } => {
                let mut algorithm = der::element(der::OID, OID_RSA);
                algorithm.extend_from_slice(DER_NULL);
                let mut body = der::unsigned_integer(n);
                body.extend(der::unsigned_integer(&e.to_be_bytes()));
                (algorithm, der::element(der::SEQUENCE, &body))
            }
        };
        let mut bits = Vec::with_capacity(key.len() + 1);
        bits.push(0);
        bits.extend_from_slice(&key);
        let mut spki = der::element(der::SEQUENCE, &algorithm);
        spki.extend(der::element(der::BIT_STRING, &bits));
        der::element(der::SEQUENCE, &spki)
    }

    /// The key as a `PUBLIC KEY` PEM block, as c/image re-encodes configured keys for
    /// the Rekor SET comparison (sigstore's `MarshalPublicKeyToPEM`: 64-character
    /// lines, a final newline).
    pub fn to_pkix_pem(&self) -> String {
        let b64 = go_encoding::base64_encode(&self.to_spki_der());
        let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 60);
        out.push_str("-----BEGIN PUBLIC KEY-----\n");
        for line in b64.as_bytes().chunks(64) {
            out.push_str(&String::from_utf8_lossy(line));
            out.push('\n');
        }
        out.push_str("-----END PUBLIC KEY-----\n");
        out
    }

    /// Verifies `signature` over `payload` with sigstore's verifier for this key and
    /// SHA-256 (see the [module documentation](self) for the encodings accepted).
    pub fn verify_payload_signature(
        &self,
        payload: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureVerificationError> {
        match &self.inner {
            Inner::P256 { .. } | Inner::P384 { .. } => {
                let digest = Sha256::digest(payload);
                if asn1_probe_two_integers(signature) {
                    let (r, s) = strict_der_signature(signature)
                        .ok_or(SignatureVerificationError::EcdsaAsn1)?;
                    self.verify_ecdsa_prehash(&digest, r, s)
                        .then_some(())
                        .ok_or(SignatureVerificationError::EcdsaAsn1)
                } else {
                    let len = signature.len();
                    if len == 0 || len > 132 || !len.is_multiple_of(2) {
                        return Err(SignatureVerificationError::EcdsaP1363Encoding { len });
                    }
                    let (r, s) = signature.split_at(len / 2);
                    self.verify_ecdsa_prehash(&digest, r, s)
                        .then_some(())
                        .ok_or(SignatureVerificationError::EcdsaP1363)
                }
            }
            Inner::Ed25519(key) => {
                use ed25519_dalek::Verifier as _;
                let key = ed25519_dalek::VerifyingKey::from_bytes(key)
                    .map_err(|_| SignatureVerificationError::Ed25519)?;
                let signature = ed25519_dalek::Signature::from_slice(signature)
                    .map_err(|_| SignatureVerificationError::Ed25519)?;
                key.verify(payload, &signature)
                    .map_err(|_| SignatureVerificationError::Ed25519)
            }
            Inner::Rsa { n, e } => {
                let bits = bit_len(n);
                if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
                    return Err(SignatureVerificationError::RsaKeyUnusable {
                        reason: "modulus size outside 2048 to 16384 bits",
                    });
                }
                if *e < 3 || *e > (1 << 31) - 1 || e.is_multiple_of(2) {
                    return Err(SignatureVerificationError::RsaKeyUnusable {
                        reason: "public exponent not an odd number from 3 to 2^31-1",
                    });
                }
                let key = rsa::PublicKey::new_with_size_limits(
                    rsa::BoxedUint::from_be_slice_vartime(n),
                    rsa::BoxedUint::from(*e),
                    MIN_RSA_BITS..=MAX_RSA_BITS,
                )
                .map_err(|_| SignatureVerificationError::RsaKeyUnusable {
                    reason: "invalid modulus",
                })?;
                let digest = Sha256::digest(payload);
                key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest, signature)
                    .map_err(|_| SignatureVerificationError::Rsa)
            }
        }
    }

    /// ECDSA verification of a SHA-256 `digest` from big-endian `r` and `s` (Go's
    /// `ecdsa.Verify`: each must be in `[1, n-1]`; leading zeros are fine).
    fn verify_ecdsa_prehash(&self, digest: &[u8], r: &[u8], s: &[u8]) -> bool {
        use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
        fn padded(r: &[u8], s: &[u8], field: usize) -> Option<Vec<u8>> {
            let mut out = Vec::with_capacity(2 * field);
            for v in [r, s] {
                let v = v.get(v.iter().take_while(|&&b| b == 0).count()..)?;
                let pad = field.checked_sub(v.len())?;
                out.extend(std::iter::repeat_n(0, pad));
                out.extend_from_slice(v);
            }
            Some(out)
        }
        match &self.inner {
            Inner::P256 { key, .. } => padded(r, s, 32)
                .and_then(|rs| p256::ecdsa::Signature::from_slice(&rs).ok())
                .is_some_and(|sig| key.verify_prehash(digest, &sig).is_ok()),
            Inner::P384 { key, .. } => padded(r, s, 48)
                .and_then(|rs| p384::ecdsa::Signature::from_slice(&rs).ok())
                .is_some_and(|sig| key.verify_prehash(digest, &sig).is_ok()),
            Inner::Ed25519(_) | Inner::Rsa { .. } => false,
        }
    }

    /// Go's `ecdsa.VerifyASN1(key, digest, signature)`: strict DER only. `false` for
    /// keys that are not ECDSA. (Used for Rekor SETs.)
    pub(crate) fn verify_ecdsa_asn1(&self, digest: &[u8], signature: &[u8]) -> bool {
        strict_der_signature(signature)
            .is_some_and(|(r, s)| self.verify_ecdsa_prehash(digest, r, s))
    }
}

fn ec_algorithm(curve: &[u8]) -> Vec<u8> {
    let mut algorithm = der::element(der::OID, OID_EC_PUBLIC_KEY);
    algorithm.extend(der::element(der::OID, curve));
    algorithm
}

/// Go's `ecdsa.parseSignature` (cryptobyte): `SEQUENCE { INTEGER r, INTEGER s }`,
/// strict DER, non-negative, nothing inside or after the SEQUENCE.
fn strict_der_signature(signature: &[u8]) -> Option<(&[u8], &[u8])> {
    let (inner, rest) = der::read(signature, der::SEQUENCE)?;
    if !rest.is_empty() {
        return None;
    }
    let (r, inner) = der::read_unsigned_integer(inner)?;
    let (s, inner) = der::read_unsigned_integer(inner)?;
    inner.is_empty().then_some((r, s))
}

/// c/image's `verifySigstorePayloadBlobSignature` after base64 decoding: the signature
/// must verify under at least one of `keys` (tried in order). With no keys it fails
/// with [`PayloadSignatureError::NoKeys`]; otherwise the error lists each key's failure.
pub fn verify_payload_signature(
    keys: &[PublicKey],
    untrusted_payload: &[u8],
    untrusted_signature: &[u8],
) -> Result<(), PayloadSignatureError> {
    if keys.is_empty() {
        return Err(PayloadSignatureError::NoKeys);
    }
    let mut failures = Vec::with_capacity(keys.len());
    for key in keys {
        match key.verify_payload_signature(untrusted_payload, untrusted_signature) {
            Ok(()) => return Ok(()),
            Err(err) => failures.push(err),
        }
    }
    Err(PayloadSignatureError::Verification { failures })
}

/// [`verify_payload_signature`] for the base64 text of the
/// `dev.cosignproject.cosign/signature` annotation (Go's `base64.StdEncoding`: padding
/// required, `\r`/`\n` ignored).
pub fn verify_payload_signature_base64(
    keys: &[PublicKey],
    untrusted_payload: &[u8],
    untrusted_base64_signature: &str,
) -> Result<(), PayloadSignatureError> {
    let signature = go_encoding::base64_decode(untrusted_base64_signature.as_bytes())
        .map_err(|reason| PayloadSignatureError::Base64 { reason })?;
    verify_payload_signature(keys, untrusted_payload, &signature)
}

/// c/image's `VerifySigstorePayload` up to the acceptance rules: decodes the base64
/// signature, verifies it under any of `keys`, then parses the payload strictly
/// ([`SigstorePayload::parse`]). The caller still has to match the returned digest
/// against the manifest and the reference against the policy's identity rule, in that
/// order.
pub fn verify_sigstore_payload(
    keys: &[PublicKey],
    untrusted_payload: &[u8],
    untrusted_base64_signature: &str,
) -> Result<SigstorePayload, PayloadSignatureError> {
    verify_payload_signature_base64(keys, untrusted_payload, untrusted_base64_signature)?;
    Ok(SigstorePayload::parse(untrusted_payload)?)
}
