//! libtrust's `UnmarshalPublicKeyJWK`, which a schema-1 signature's `jwk` must pass for
//! the manifest digest to be computable at all.
//!
//! Nothing is verified cryptographically (c/image never verifies schema-1 JWS
//! signatures); only the checks libtrust makes while parsing are reproduced, exactly:
//!
//! * the JWK is a JSON object (or `null`, which then lacks `kty`) whose numbers all fit
//!   a `float64`;
//! * `kty` is the string `EC` or `RSA`;
//! * EC: `crv` is `P-256`, `P-384` or `P-521`; `x` and `y` are base64url strings of
//!   exactly 32, 48 or 66 bytes. The point is *not* checked to be on the curve…
//! * RSA: `n` and `e` are base64url strings; `e` is at most 4 bytes (a longer one makes
//!   libtrust panic, which this crate reports as an error);
//! * …unless `kid` is present: it must be a string equal to libtrust's key ID, the
//!   SHA-256 of the key's DER `SubjectPublicKeyInfo` truncated to 240 bits, in base32
//!   groups `ABCD:EFGH:…`. Go cannot marshal an EC point that is not on its curve, and
//!   the key ID is then `""`; so for such a point only `"kid": ""` passes, as in Go.

use num_bigint::BigUint;
use sha2::{Digest as _, Sha256};

use super::base64url::jose_decode;
use crate::gojson::{JsonKind, Raw};

/// The curves libtrust accepts, with what is needed to encode and check a point.
struct Curve {
    name: &'static str,
    byte_len: usize,
    /// DER of the named-curve OID.
    oid_der: &'static [u8],
    /// Field prime, hexadecimal.
    p_hex: &'static str,
    /// Curve coefficient `b` (all three have `a = -3`), hexadecimal.
    b_hex: &'static str,
}

const CURVES: [Curve; 3] = [
    Curve {
        name: "P-256",
        byte_len: 32,
        oid_der: &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
        p_hex: "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        b_hex: "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
    },
    Curve {
        name: "P-384",
        byte_len: 48,
        oid_der: &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22],
        p_hex: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
        b_hex: "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
    },
    Curve {
        name: "P-521",
        byte_len: 66,
        oid_der: &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23],
        p_hex: "1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        b_hex: "051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
    },
];

/// DER of `AlgorithmIdentifier.algorithm` for EC keys (id-ecPublicKey).
const OID_EC_PUBLIC_KEY: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// DER of `rsaEncryption` followed by the NULL parameters.
const OID_RSA_WITH_NULL: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];

/// Checks `untrusted_jwk` (the raw JSON of a `jwk` header member) as libtrust's
/// `UnmarshalPublicKeyJWK` does. The error is libtrust's text.
pub(crate) fn check_public_key(untrusted_jwk: Raw<'_>) -> Result<(), String> {
    // json.Unmarshal(data, &map[string]interface{}): an object or null; numbers must fit.
    let members = match untrusted_jwk.kind() {
        JsonKind::Object if untrusted_jwk.decodes_as_interface() => {
            untrusted_jwk.members().unwrap_or_default()
        }
        JsonKind::Null => Vec::new(),
        kind => {
            let what = if kind == JsonKind::Object {
                "number".to_owned()
            } else {
                kind.go_name().to_owned()
            };
            return Err(format!(
                "decoding JWK Public Key JSON data: json: cannot unmarshal {what} into Go value of type {}",
                if kind == JsonKind::Object {
                    "float64"
                } else {
                    "map[string]interface {}"
                }
            ));
        }
    };
    // A Go map: the last duplicate wins.
    let get = |key: &str| {
        members
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
    };
    let string = |key: &str, what: &str| -> Result<String, String> {
        match get(key) {
            None => Err(format!("{what}: {key:?} value not specified")),
            Some(v) => v
                .string()
                .ok_or_else(|| format!("{what}: {key:?} value must be a string")),
        }
    };
    let kty = string("kty", "JWK Public Key type")?;
    let (der, kid_what) = match kty.as_str() {
        "EC" => {
            let crv = string("crv", "JWK EC Public Key curve identifier")?;
            let Some(curve) = CURVES.iter().find(|c| c.name == crv) else {
                return Err(format!(
                    "JWK EC Public Key curve identifier not supported: {crv:?}\n"
                ));
            };
            let x = coordinate(&string("x", "JWK EC Public Key x-coordinate")?, curve)
                .map_err(|e| format!("JWK EC Public Key x-coordinate: {e}"))?;
            let y = coordinate(&string("y", "JWK EC Public Key y-coordinate")?, curve)
                .map_err(|e| format!("JWK EC Public Key y-coordinate: {e}"))?;
            (ec_spki(curve, &x, &y), "JWK EC Public Key ID")
        }
        "RSA" => {
            let n = jose_decode(&string("n", "JWK RSA Public Key modulus")?).map_err(|e| {
                format!("JWK RSA Public Key modulus: invalid base64 URL encoding: {e}")
            })?;
            let e = jose_decode(&string("e", "JWK RSA Public Key exponent")?).map_err(|e| {
                format!("JWK RSA Public Key exponent: invalid base64 URL encoding: {e}")
            })?;
            if e.len() > 4 {
                // libtrust: make([]byte, 4-len(e)) panics ("makeslice: len out of range").
                return Err(format!(
                    "JWK RSA Public Key exponent: {} bytes, more than 4 (libtrust panics)",
                    e.len()
                ));
            }
            (Some(rsa_spki(&n, &e)), "JWK RSA Public Key ID")
        }
        other => return Err(format!("JWK Public Key type not supported: {other:?}\n")),
    };
    if get("kid").is_some() {
        let kid = string("kid", kid_what)?;
        let key_id = der.map(|der| key_id(&der)).unwrap_or_default();
        if kid != key_id {
            return Err(format!("{kid_what} does not match: {kid}"));
        }
    }
    Ok(())
}

/// libtrust's `parseECCoordinate`: base64url of exactly the curve's byte length.
fn coordinate(untrusted_b64: &str, curve: &Curve) -> Result<Vec<u8>, String> {
    let bytes =
        jose_decode(untrusted_b64).map_err(|e| format!("invalid base64 URL encoding: {e}"))?;
    if bytes.len() != curve.byte_len {
        return Err(format!(
            "invalid number of octets: got {}, should be {}",
            bytes.len(),
            curve.byte_len
        ));
    }
    Ok(bytes)
}

/// Whether (x, y) is a point of `curve` (Go's `IsOnCurve`): both below the prime, not
/// (0, 0), and y² = x³ − 3x + b.
fn on_curve(curve: &Curve, x: &[u8], y: &[u8]) -> bool {
    let (Ok(p), Ok(b)) = (
        BigUint::parse_bytes(curve.p_hex.as_bytes(), 16).ok_or(()),
        BigUint::parse_bytes(curve.b_hex.as_bytes(), 16).ok_or(()),
    ) else {
        return false;
    };
    let x = BigUint::from_bytes_be(x);
    let y = BigUint::from_bytes_be(y);
    if x >= p || y >= p || (x == BigUint::ZERO && y == BigUint::ZERO) {
        return false;
    }
    let lhs = (&y * &y) % &p;
    let x3 = (&x * &x % &p) * &x % &p;
    let three_x = (&x * 3u32) % &p;
    let rhs = ((x3 + &p - three_x) + b) % &p;
    lhs == rhs
}

/// The DER `SubjectPublicKeyInfo` of an EC key, as Go's `x509.MarshalPKIXPublicKey`
/// writes it; `None` where Go fails (the point is not on the curve).
fn ec_spki(curve: &Curve, x: &[u8], y: &[u8]) -> Option<Vec<u8>> {
    if !on_curve(curve, x, y) {
        return None;
    }
    let mut algorithm = OID_EC_PUBLIC_KEY.to_vec();
    algorithm.extend_from_slice(curve.oid_der);
    let mut point = vec![0x00, 0x04];
    point.extend_from_slice(x);
    point.extend_from_slice(y);
    Some(der(
        0x30,
        &[der(0x30, &algorithm), der(0x03, &point)].concat(),
    ))
}

/// The DER `SubjectPublicKeyInfo` of an RSA key (n and e big-endian, as decoded).
fn rsa_spki(n: &[u8], e: &[u8]) -> Vec<u8> {
    let pkcs1 = der(0x30, &[der_uint(n), der_uint(e)].concat());
    let mut bits = vec![0x00];
    bits.extend_from_slice(&pkcs1);
    der(
        0x30,
        &[der(0x30, OID_RSA_WITH_NULL), der(0x03, &bits)].concat(),
    )
}

/// A DER INTEGER holding the non-negative big-endian number `bytes`.
fn der_uint(bytes: &[u8]) -> Vec<u8> {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let digits = bytes.get(start..).unwrap_or_default();
    let mut content = Vec::with_capacity(digits.len() + 1);
    if digits.first().is_none_or(|&b| b & 0x80 != 0) {
        content.push(0x00);
    }
    content.extend_from_slice(digits);
    der(0x02, &content)
}

/// A DER element: tag, definite length, content.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let len_bytes = len.to_be_bytes();
        let skip = len_bytes.iter().position(|&b| b != 0).unwrap_or(0);
        let significant = len_bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(content);
    out
}

/// libtrust's `keyIDEncode(sha256(der)[:30])`.
fn key_id(der: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let hash = Sha256::digest(der);
    let mut encoded = String::with_capacity(48);
    // 30 bytes = 240 bits = 48 base32 digits, no padding.
    for chunk in hash.get(..30).unwrap_or_default().chunks(5) {
        let mut buf = [0u8; 8];
        if let Some(dst) = buf.get_mut(3..3 + chunk.len()) {
            dst.copy_from_slice(chunk);
        }
        let group = u64::from_be_bytes(buf);
        for i in (0..8).rev() {
            let index = ((group >> (i * 5)) & 31) as usize;
            encoded.push(char::from(*ALPHABET.get(index).unwrap_or(&b'A')));
        }
    }
    let mut out = String::with_capacity(59);
    for (i, c) in encoded.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(':');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn generators_are_on_their_curves() {
        let g = [
            (
                "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
                "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
            ),
            (
                "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
                "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
            ),
            (
                "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
                "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
            ),
        ];
        for (curve, (x, y)) in CURVES.iter().zip(g) {
            let (x, y) = (hex(x), hex(y));
            assert_eq!(x.len(), curve.byte_len);
            assert!(on_curve(curve, &x, &y), "{}", curve.name);
            let mut y2 = y.clone();
            *y2.last_mut().unwrap() ^= 1;
            assert!(!on_curve(curve, &x, &y2), "{}", curve.name);
            assert!(!on_curve(
                curve,
                &vec![0; curve.byte_len],
                &vec![0; curve.byte_len]
            ));
        }
    }

    #[test]
    fn der_lengths_and_integers() {
        assert_eq!(der(0x04, &[1, 2]), vec![0x04, 2, 1, 2]);
        assert_eq!(der(0x04, &[0; 200])[..3], [0x04, 0x81, 200]);
        assert_eq!(der(0x04, &[0; 300])[..4], [0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(der_uint(&[]), vec![0x02, 1, 0]);
        assert_eq!(der_uint(&[0, 0]), vec![0x02, 1, 0]);
        assert_eq!(der_uint(&[0, 1, 0, 1]), vec![0x02, 3, 1, 0, 1]);
        assert_eq!(der_uint(&[0x80]), vec![0x02, 2, 0, 0x80]);
    }

    #[test]
    fn key_id_shape() {
        let id = key_id(b"");
        assert_eq!(id.len(), 59);
        assert_eq!(id.split(':').count(), 12);
        // base32 of sha256("")[..30], grouped.
        assert!(
            id.starts_with("4OYM:IQUY:7QOB:JGX3:6TEJ:S35Z:EQT2:4QPE:MSNZ:GTFE:SWMR:W6CS"),
            "{id}"
        );
    }
}
