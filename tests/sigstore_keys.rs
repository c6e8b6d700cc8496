//! Sigstore public keys and payload signatures (signature-formats.md §4.4, §4.6) with
//! keys made here (EC and Ed25519 from fixed bytes) and RSA fixtures made by
//! `tests/data/sigstore/make-fixtures.sh`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use base64::Engine as _;
use containers_policy::sigstore::public_key::{
    KeyAlgorithm, PayloadSignatureError, PublicKey, PublicKeyError, SignatureVerificationError,
    verify_payload_signature, verify_payload_signature_base64, verify_sigstore_payload,
};
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::signature::hazmat::PrehashSigner as _;
use sha2::{Digest as _, Sha256, Sha384};

const PAYLOAD: &[u8] = b"{\"critical\":{}}";
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sigstore/");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DATA}{name}")).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn pem(label: &str, der: &[u8]) -> String {
    let text = b64(der);
    let lines: Vec<&str> = text
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

const P256_SPKI_PREFIX: &str = "3059301306072a8648ce3d020106082a8648ce3d030107034200";
const P384_SPKI_PREFIX: &str = "3076301006072a8648ce3d020106052b81040022036200";
const ED25519_SPKI_PREFIX: &str = "302a300506032b6570032100";

fn spki(prefix: &str, key: &[u8]) -> Vec<u8> {
    let mut der = hex(prefix);
    der.extend_from_slice(key);
    der
}

fn p256_signer(seed: u8) -> (p256::ecdsa::SigningKey, PublicKey) {
    let sk = p256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap();
    let point = sk.verifying_key().to_sec1_point(false);
    let der = spki(P256_SPKI_PREFIX, point.as_bytes());
    let key = PublicKey::from_pem(pem("PUBLIC KEY", &der).as_bytes()).unwrap();
    (sk, key)
}

fn p384_signer(seed: u8) -> (p384::ecdsa::SigningKey, PublicKey) {
    let sk = p384::ecdsa::SigningKey::from_slice(&[seed; 48]).unwrap();
    let point = sk.verifying_key().to_sec1_point(false);
    let der = spki(P384_SPKI_PREFIX, point.as_bytes());
    (sk, PublicKey::from_spki_der(&der).unwrap())
}

fn ed25519_signer(seed: u8) -> (ed25519_dalek::SigningKey, PublicKey) {
    let sk = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
    let der = spki(ED25519_SPKI_PREFIX, sk.verifying_key().as_bytes());
    (sk, PublicKey::from_spki_der(&der).unwrap())
}

/// `SEQUENCE { INTEGER r, INTEGER s }` in DER, from big-endian magnitudes.
fn der_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    fn int(v: &[u8]) -> Vec<u8> {
        let v: Vec<u8> = v.iter().copied().skip_while(|&b| b == 0).collect();
        let mut body = if v.first().is_none_or(|&b| b & 0x80 != 0) {
            vec![0]
        } else {
            vec![]
        };
        body.extend(v);
        let mut out = vec![2, body.len() as u8];
        out.extend(body);
        out
    }
    let mut body = int(r);
    body.extend(int(s));
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out
}

fn p256_sign(sk: &p256::ecdsa::SigningKey, msg: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let sig: p256::ecdsa::Signature = sk.sign(msg);
    let (r, s) = sig.split_bytes();
    (r.to_vec(), s.to_vec())
}

/// `n - s` for P-256 (the other valid `s`, which Go accepts: no low-S rule).
fn p256_negate(s: &[u8]) -> Vec<u8> {
    let n = hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    let mut out = vec![0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = i16::from(n[i]) - i16::from(s[i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = d as u8;
    }
    out
}

#[test]
fn ecdsa_p256_der_and_p1363() {
    let (sk, key) = p256_signer(7);
    assert_eq!(key.algorithm(), KeyAlgorithm::EcdsaP256);
    assert!(key.is_ecdsa());
    let (r, s) = p256_sign(&sk, PAYLOAD);
    let der = der_signature(&r, &s);
    key.verify_payload_signature(PAYLOAD, &der).unwrap();
    let raw = [r.clone(), s.clone()].concat();
    key.verify_payload_signature(PAYLOAD, &raw).unwrap();
    // P1363 halves may carry leading zeros (Go reads them as big integers).
    let padded = [vec![0], r.clone(), vec![0], s.clone()].concat();
    key.verify_payload_signature(PAYLOAD, &padded).unwrap();
    // High S is accepted, as by Go.
    key.verify_payload_signature(PAYLOAD, &der_signature(&r, &p256_negate(&s)))
        .unwrap();
    // Tampered payload, wrong key.
    assert_eq!(
        key.verify_payload_signature(b"other", &der),
        Err(SignatureVerificationError::EcdsaAsn1)
    );
    assert_eq!(
        key.verify_payload_signature(b"other", &raw),
        Err(SignatureVerificationError::EcdsaP1363)
    );
    let (_, other) = p256_signer(8);
    assert!(other.verify_payload_signature(PAYLOAD, &der).is_err());
}

#[test]
fn ecdsa_signature_encodings_rejected() {
    let (sk, key) = p256_signer(7);
    let (r, s) = p256_sign(&sk, PAYLOAD);
    let der = der_signature(&r, &s);
    // Parses as ASN.1 (trailing data tolerated by the probe), then fails strict DER.
    let trailing = [der.clone(), vec![0]].concat();
    assert_eq!(
        key.verify_payload_signature(PAYLOAD, &trailing),
        Err(SignatureVerificationError::EcdsaAsn1)
    );
    // The valid DER twice (the kit's case): the probe reads the first copy.
    let twice = [der.clone(), der.clone()].concat();
    assert_eq!(
        key.verify_payload_signature(PAYLOAD, &twice),
        Err(SignatureVerificationError::EcdsaAsn1)
    );
    // Not ASN.1, and not a possible P1363 length.
    for bad in [&[][..], &[1u8; 63][..], &[1u8; 134][..]] {
        assert_eq!(
            key.verify_payload_signature(PAYLOAD, bad),
            Err(SignatureVerificationError::EcdsaP1363Encoding { len: bad.len() })
        );
    }
    // Zero r, r >= n: rejected.
    let zeros = [vec![0; 32], s.clone()].concat();
    assert!(key.verify_payload_signature(PAYLOAD, &zeros).is_err());
    let big = [vec![0xff; 32], s.clone()].concat();
    assert!(key.verify_payload_signature(PAYLOAD, &big).is_err());
    // A non-minimal INTEGER makes the probe fail: read as P1363 (odd length here).
    let mut non_minimal = der_signature(&r, &s);
    non_minimal.splice(2..4, [2u8, 34, 0, 0]);
    non_minimal[1] += 1;
    assert!(key.verify_payload_signature(PAYLOAD, &non_minimal).is_err());
}

#[test]
fn ecdsa_p384_uses_sha256() {
    let (sk, key) = p384_signer(9);
    assert_eq!(key.algorithm(), KeyAlgorithm::EcdsaP384);
    let sig: p384::ecdsa::Signature = sk.sign_prehash(&Sha256::digest(PAYLOAD)).unwrap();
    let (r, s) = sig.split_bytes();
    key.verify_payload_signature(PAYLOAD, &der_signature(&r, &s))
        .unwrap();
    key.verify_payload_signature(PAYLOAD, &sig.to_bytes())
        .unwrap();
    // cosign's newer SHA-384 choice for P-384 does not verify in c/image.
    let sig384: p384::ecdsa::Signature = sk.sign_prehash(&Sha384::digest(PAYLOAD)).unwrap();
    assert!(
        key.verify_payload_signature(PAYLOAD, &sig384.to_bytes())
            .is_err()
    );
}

#[test]
fn ed25519_pure() {
    use ed25519_dalek::Signer as _;
    let (sk, key) = ed25519_signer(3);
    assert_eq!(key.algorithm(), KeyAlgorithm::Ed25519);
    assert!(!key.is_ecdsa());
    let sig = sk.sign(PAYLOAD).to_bytes();
    key.verify_payload_signature(PAYLOAD, &sig).unwrap();
    assert_eq!(
        key.verify_payload_signature(b"x", &sig),
        Err(SignatureVerificationError::Ed25519)
    );
    assert_eq!(
        key.verify_payload_signature(PAYLOAD, &sig[..63]),
        Err(SignatureVerificationError::Ed25519)
    );
    // Pre-hashed Ed25519 is not what c/image verifies.
    let prehashed = sk.sign(&Sha256::digest(PAYLOAD)).to_bytes();
    assert!(key.verify_payload_signature(PAYLOAD, &prehashed).is_err());
    // 32 bytes that are not a point: parsed (as Go does), never verify.
    let not_a_point = PublicKey::from_spki_der(&spki(ED25519_SPKI_PREFIX, &[0xff; 32])).unwrap();
    assert_eq!(
        not_a_point.verify_payload_signature(PAYLOAD, &sig),
        Err(SignatureVerificationError::Ed25519)
    );
    assert!(matches!(
        PublicKey::from_spki_der(&spki("302b300506032b6570032200", &[1; 33])),
        Err(PublicKeyError::InvalidEd25519Key { .. })
    ));
}

#[test]
fn rsa_pkcs1v15_pkix_and_pkcs1() {
    let payload = fixture("rsa-payload");
    let sig = fixture("rsa2048.sig");
    let pkix = PublicKey::from_pem(&fixture("rsa2048.pub")).unwrap();
    let pkcs1 = PublicKey::from_pem(&fixture("rsa2048.pkcs1.pub")).unwrap();
    assert_eq!(pkix.algorithm(), KeyAlgorithm::Rsa);
    assert!(!pkix.is_ecdsa());
    pkix.verify_payload_signature(&payload, &sig).unwrap();
    pkcs1.verify_payload_signature(&payload, &sig).unwrap();
    // c/image re-encodes a PKCS#1 key as PKIX: the same bytes as the PKIX file.
    assert_eq!(pkcs1.to_spki_der(), pkix.to_spki_der());
    assert_eq!(
        pkcs1.to_pkix_pem().as_bytes(),
        fixture("rsa2048.pub").as_slice()
    );
    assert_eq!(
        pkix.verify_payload_signature(b"tampered", &sig),
        Err(SignatureVerificationError::Rsa)
    );
    assert_eq!(
        pkix.verify_payload_signature(&payload, &sig[1..]),
        Err(SignatureVerificationError::Rsa)
    );
    // Below 2048 bits: parsed, never verifies.
    let small = PublicKey::from_pem(&fixture("rsa1024.pub")).unwrap();
    assert!(matches!(
        small.verify_payload_signature(&payload, &fixture("rsa1024.sig")),
        Err(SignatureVerificationError::RsaKeyUnusable { .. })
    ));
}

#[test]
fn pem_rules() {
    let (_, key) = p256_signer(7);
    let pem_text = key.to_pkix_pem();
    // Leading text skipped; anything after the first block ignored.
    let (_, other) = p256_signer(8);
    let two = format!("comment\n{pem_text}{}trailing", other.to_pkix_pem());
    assert_eq!(PublicKey::from_pem(two.as_bytes()).unwrap(), key);
    assert_eq!(
        PublicKey::from_pem(b"not PEM"),
        Err(PublicKeyError::PemDecodingFailed)
    );
    assert_eq!(
        PublicKey::from_pem(b""),
        Err(PublicKeyError::PemDecodingFailed)
    );
    let cert = pem_text.replace("PUBLIC KEY", "CERTIFICATE");
    assert_eq!(
        PublicKey::from_pem(cert.as_bytes()),
        Err(PublicKeyError::UnknownPemType {
            pem_type: "CERTIFICATE".into()
        })
    );
    // An EC key labelled as PKCS#1.
    let mislabelled = pem_text.replace("PUBLIC KEY", "RSA PUBLIC KEY");
    assert!(PublicKey::from_pem(mislabelled.as_bytes()).is_err());
}

#[test]
fn unsupported_and_malformed_keys() {
    for name in ["dsa.pub", "x25519.pub"] {
        assert!(
            matches!(
                PublicKey::from_pem(&fixture(name)),
                Err(PublicKeyError::UnsupportedAlgorithm { .. })
            ),
            "{name}"
        );
    }
    assert!(matches!(
        PublicKey::from_pem(&fixture("p521.pub")),
        Err(PublicKeyError::UnsupportedCurve { .. })
    ));
    assert_eq!(
        PublicKey::from_pem(&fixture("p256-compressed.pub")),
        Err(PublicKeyError::InvalidPoint { curve: "P-256" })
    );
    PublicKey::from_pem(&fixture("p256.pub")).unwrap();
    // A point off the curve.
    let mut point = vec![4u8];
    point.extend([1u8; 64]);
    assert_eq!(
        PublicKey::from_spki_der(&spki(P256_SPKI_PREFIX, &point)),
        Err(PublicKeyError::InvalidPoint { curve: "P-256" })
    );
    // Trailing data after the SPKI.
    let (_, key) = p256_signer(7);
    let der = [key.to_spki_der(), vec![0]].concat();
    assert!(matches!(
        PublicKey::from_spki_der(&der),
        Err(PublicKeyError::InvalidEncoding { .. })
    ));
    // RSA without NULL parameters; zero exponent.
    let pkix = PublicKey::from_pem(&fixture("rsa2048.pub"))
        .unwrap()
        .to_spki_der();
    let no_null: Vec<u8> = {
        let mut d = pkix.clone();
        // 30 82 01 22 | 30 0d 06 09 <oid> 05 00 | ...: drop the NULL, fix lengths.
        d.drain(17..19);
        d[5] -= 2;
        let total = u16::from_be_bytes([d[2], d[3]]) - 2;
        d[2..4].copy_from_slice(&total.to_be_bytes());
        d
    };
    assert!(matches!(
        PublicKey::from_spki_der(&no_null),
        Err(PublicKeyError::InvalidRsaKey { .. })
    ));
    let zero_e = [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00];
    assert!(matches!(
        PublicKey::from_pkcs1_der(&zero_e),
        Err(PublicKeyError::InvalidRsaKey { .. })
    ));
    // PKCS#1 exponents above 2^31-1 are refused when parsed (Go's ParsePKCS1PublicKey).
    let max_e = [
        0x30, 0x09, 0x02, 0x01, 0x01, 0x02, 0x04, 0x7f, 0xff, 0xff, 0xff,
    ];
    PublicKey::from_pkcs1_der(&max_e).unwrap();
    let big_e = [
        0x30, 0x0a, 0x02, 0x01, 0x01, 0x02, 0x05, 0x00, 0x80, 0, 0, 0,
    ];
    assert_eq!(
        PublicKey::from_pkcs1_der(&big_e),
        Err(PublicKeyError::InvalidRsaKey {
            reason: "public key contains large public exponent"
        })
    );
    assert!(PublicKey::from_spki_der(&[0x30, 0x00]).is_err());
}

#[test]
fn pkix_pem_round_trip() {
    for key in [p256_signer(1).1, p384_signer(2).1, ed25519_signer(3).1] {
        let again = PublicKey::from_pem(key.to_pkix_pem().as_bytes()).unwrap();
        assert_eq!(again, key);
        assert_eq!(again.to_spki_der(), key.to_spki_der());
    }
    assert!(format!("{:?}", p256_signer(1).1).contains("EcdsaP256"));
}

#[test]
fn payload_signature_with_key_lists() {
    let (sk, good) = p256_signer(7);
    let (_, other) = p256_signer(8);
    let (r, s) = p256_sign(&sk, PAYLOAD);
    let der = der_signature(&r, &s);
    verify_payload_signature(&[other.clone(), good.clone()], PAYLOAD, &der).unwrap();
    verify_payload_signature(&[good.clone(), other.clone()], PAYLOAD, &der).unwrap();
    assert_eq!(
        verify_payload_signature(&[], PAYLOAD, &der),
        Err(PayloadSignatureError::NoKeys)
    );
    let err = verify_payload_signature(&[other.clone(), other.clone()], PAYLOAD, &der).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cryptographic signature verification failed: \
         invalid signature when validating ASN.1 encoded signature, \
         invalid signature when validating ASN.1 encoded signature"
    );
    // Base64: line-wrapped text is fine, bad padding is not.
    let text = b64(&der);
    let wrapped = format!("{}\n{}\n", &text[..20], &text[20..]);
    verify_payload_signature_base64(std::slice::from_ref(&good), PAYLOAD, &wrapped).unwrap();
    assert!(matches!(
        verify_payload_signature_base64(
            std::slice::from_ref(&good),
            PAYLOAD,
            &text[..text.len() - 1]
        ),
        Err(PayloadSignatureError::Base64 { .. })
    ));
    // Verified, but not a sigstore payload.
    assert!(matches!(
        verify_sigstore_payload(&[good], PAYLOAD, &text),
        Err(PayloadSignatureError::Payload(_))
    ));
}

#[test]
fn sigstore_payload_accepted() {
    let payload = br#"{"critical":{"identity":{"docker-reference":"example.com/a"},"image":{"docker-manifest-digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},"type":"cosign container image signature"},"optional":null}"#;
    let (sk, key) = ed25519_signer(5);
    use ed25519_dalek::Signer as _;
    let sig = b64(&sk.sign(payload).to_bytes());
    let parsed = verify_sigstore_payload(&[key], payload, &sig).unwrap();
    assert_eq!(parsed.docker_reference, "example.com/a");
}
