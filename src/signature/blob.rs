//! The stored-signature blob format of c/image (`internal/signature/signature.go`,
//! `sigstore.go`; policy-semantics.md §11.1): how `dir:` images, lookaside storage and
//! c/storage keep signatures on disk.

use std::collections::BTreeMap;

use base64::Engine as _;

use super::error::{JsonFormatError, JsonKind, SignatureFormatError};
use super::payload::write_go_string;
use super::strict_json::{
    Raw, array_elements, member_path, object_members, unquote, validate_document,
};
use super::{
    MAX_SIGNATURE_BLOB_SIZE, SIGSTORE_FORMAT, SIMPLE_SIGNING_FORMAT, UntrustedSignature,
    UntrustedSigstoreSignature,
};

/// First bytes that c/image reads as a raw (legacy) OpenPGP simple-signing blob: the
/// packet tags of compressed data (`A0`–`A3`, `C8`), one-pass signature (`90`–`92`,
/// `C4`, and `3D`: c/image lists `0x3d` where `0x93` was meant, reproduced here; `93`
/// itself is *not* recognised), and signature packets (`88`–`8B`, `C2`).
const OPENPGP_FIRST_BYTES: &[u8] = &[
    0xA0, 0xA1, 0xA2, 0xA3, 0xC8, 0x90, 0x91, 0x92, 0x3D, 0xC4, 0x88, 0x89, 0x8A, 0x8B, 0xC2,
];

pub(crate) fn from_blob(untrusted_blob: &[u8]) -> Result<UntrustedSignature, SignatureFormatError> {
    if untrusted_blob.len() > MAX_SIGNATURE_BLOB_SIZE {
        return Err(SignatureFormatError::TooLarge {
            size: untrusted_blob.len(),
            limit: MAX_SIGNATURE_BLOB_SIZE,
        });
    }
    let Some((&first, rest)) = untrusted_blob.split_first() else {
        return Err(SignatureFormatError::Empty);
    };
    if OPENPGP_FIRST_BYTES.contains(&first) {
        return Ok(UntrustedSignature::SimpleSigning(untrusted_blob.to_vec()));
    }
    if first != 0 {
        return Err(SignatureFormatError::UnrecognizedFirstByte { byte: first });
    }
    let Some(newline) = rest.iter().position(|&b| b == b'\n') else {
        return Err(SignatureFormatError::MissingNewline);
    };
    let (format, chunk) = (
        rest.get(..newline).unwrap_or_default(),
        rest.get(newline + 1..).unwrap_or_default(),
    );
    if let Some((offset, &byte)) = format
        .iter()
        .enumerate()
        .find(|&(_, &b)| !(0x20..0x7F).contains(&b))
    {
        return Err(SignatureFormatError::NonAsciiFormatName { byte, offset });
    }
    match format {
        f if f == SIMPLE_SIGNING_FORMAT.as_bytes() => {
            Ok(UntrustedSignature::SimpleSigning(chunk.to_vec()))
        }
        f if f == SIGSTORE_FORMAT.as_bytes() => {
            UntrustedSigstoreSignature::from_blob_chunk(chunk).map(UntrustedSignature::Sigstore)
        }
        f => Err(SignatureFormatError::UnrecognizedFormat {
            // Printable ASCII, checked above.
            format: String::from_utf8_lossy(f).into_owned(),
        }),
    }
}

pub(crate) fn to_blob(signature: &UntrustedSignature) -> Vec<u8> {
    match signature {
        // Raw, for compatibility with old readers (whatever the first byte is).
        UntrustedSignature::SimpleSigning(bytes) => bytes.clone(),
        UntrustedSignature::Sigstore(sigstore) => {
            let chunk = sigstore_to_chunk(sigstore);
            let mut out = Vec::with_capacity(SIGSTORE_FORMAT.len() + 2 + chunk.len());
            out.push(0);
            out.extend_from_slice(SIGSTORE_FORMAT.as_bytes());
            out.push(b'\n');
            out.extend_from_slice(chunk.as_bytes());
            out
        }
    }
}

/// Go's `json.Marshal` of `sigstoreJSONRepresentation`.
pub(crate) fn sigstore_to_chunk(sigstore: &UntrustedSigstoreSignature) -> String {
    let mut out = String::with_capacity(64 + sigstore.payload.len() * 4 / 3);
    out.push_str(r#"{"mimeType":"#);
    write_go_string(&mut out, &sigstore.mime_type);
    out.push_str(r#","payload":""#);
    out.push_str(&base64::engine::general_purpose::STANDARD.encode(&sigstore.payload));
    out.push_str(r#"","annotations":{"#);
    for (i, (key, value)) in sigstore.annotations.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_go_string(&mut out, key);
        out.push(':');
        write_go_string(&mut out, value);
    }
    out.push_str("}}");
    out
}

/// Which member of `sigstoreJSONRepresentation` a key selects, with Go's matching:
/// exact, else case-insensitive after Go's folding (`foldName`: ASCII upper case, and
/// `ToUpper(ToLower(r))` for other characters, so `ſ`, `K` (Kelvin), `İ` and `ı`
/// fold to `S`, `K`, `I`, `I`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChunkField {
    MimeType,
    Payload,
    Annotations,
}

fn chunk_field(key: &str) -> Option<ChunkField> {
    const FIELDS: [(&str, ChunkField); 3] = [
        ("mimeType", ChunkField::MimeType),
        ("payload", ChunkField::Payload),
        ("annotations", ChunkField::Annotations),
    ];
    if let Some(&(_, field)) = FIELDS.iter().find(|(name, _)| *name == key) {
        return Some(field);
    }
    let folded: String = key.chars().map(go_fold).collect();
    FIELDS
        .iter()
        .find(|(name, _)| name.to_ascii_uppercase() == folded)
        .map(|&(_, field)| field)
}

/// Go's `foldName` for one character, as far as it can produce ASCII.
fn go_fold(c: char) -> char {
    match c {
        'a'..='z' => c.to_ascii_uppercase(),
        '\u{17F}' => 'S',
        '\u{212A}' => 'K',
        '\u{130}' | '\u{131}' => 'I',
        c => c,
    }
}

/// Go's `[]byte` decoding of a base64 string: standard alphabet, padding required,
/// `\r` and `\n` ignored anywhere, non-zero trailing bits accepted.
pub(crate) fn go_base64_decode(text: &str) -> Result<Vec<u8>, String> {
    const ENGINE: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireCanonical),
    );
    let result = if text.contains(['\r', '\n']) {
        let cleaned: String = text.chars().filter(|c| !matches!(c, '\r' | '\n')).collect();
        ENGINE.decode(cleaned)
    } else {
        ENGINE.decode(text)
    };
    result.map_err(|err| err.to_string())
}

fn kind_of(raw: Raw<'_>) -> JsonKind {
    match raw.bytes.first() {
        Some(b'{') => JsonKind::Object,
        Some(b'[') => JsonKind::Array,
        Some(b'"') => JsonKind::String,
        Some(b't' | b'f') => JsonKind::Bool,
        Some(b'n') => JsonKind::Null,
        _ => JsonKind::Number,
    }
}

/// Go's `[]byte` as a slice: the backing array (which a later duplicate key reuses,
/// so a `null` element keeps the byte already there) and the length.
#[derive(Default)]
struct GoBytes {
    backing: Vec<u8>,
    len: usize,
}

/// Go's lenient `json.Unmarshal` into `sigstoreJSONRepresentation`: unknown keys
/// ignored, keys matched case-insensitively, the last duplicate wins (annotations
/// objects merge into the map, as Go's decoder reuses a non-nil map), `null` leaves a
/// string alone and clears the payload or the map; a top-level `null` is an empty
/// signature. The first type error in document order is reported.
pub(crate) fn sigstore_from_chunk(
    untrusted_chunk: &[u8],
) -> Result<UntrustedSigstoreSignature, JsonFormatError> {
    validate_document(untrusted_chunk)?;
    let start = untrusted_chunk.len() - untrusted_chunk.trim_ascii_start().len();
    let doc = Raw {
        bytes: untrusted_chunk.trim_ascii(),
        offset: start,
    };
    let mut mime_type = String::new();
    let mut payload = GoBytes::default();
    let mut annotations: Option<BTreeMap<String, String>> = None;
    match kind_of(doc) {
        JsonKind::Null => {}
        JsonKind::Object => {
            for (key, value) in object_members(doc)? {
                let path = member_path("$", &key);
                match chunk_field(&key) {
                    None => {}
                    Some(ChunkField::MimeType) => match kind_of(value) {
                        JsonKind::Null => {}
                        JsonKind::String => mime_type = unquote(value.bytes),
                        found => return Err(mismatch(path, "a string", found)),
                    },
                    Some(ChunkField::Payload) => decode_go_bytes(&mut payload, value, &path)?,
                    Some(ChunkField::Annotations) => match kind_of(value) {
                        JsonKind::Null => annotations = None,
                        JsonKind::Object => {
                            let map = annotations.get_or_insert_with(BTreeMap::new);
                            for (name, text) in object_members(value)? {
                                let text = match kind_of(text) {
                                    JsonKind::Null => String::new(),
                                    JsonKind::String => unquote(text.bytes),
                                    found => {
                                        return Err(mismatch(
                                            member_path(&path, &name),
                                            "a string",
                                            found,
                                        ));
                                    }
                                };
                                map.insert(name, text);
                            }
                        }
                        found => return Err(mismatch(path, "an object of strings", found)),
                    },
                }
            }
        }
        found => return Err(mismatch("$".to_owned(), "an object", found)),
    }
    Ok(UntrustedSigstoreSignature {
        mime_type,
        payload: payload
            .backing
            .get(..payload.len)
            .unwrap_or_default()
            .to_vec(),
        annotations: annotations.unwrap_or_default(),
    })
}

fn mismatch(path: String, expected: &'static str, found: JsonKind) -> JsonFormatError {
    JsonFormatError::TypeMismatch {
        path,
        expected,
        found,
    }
}

/// Go's decoding of a JSON value into a `[]byte` that may already hold data.
fn decode_go_bytes(bytes: &mut GoBytes, value: Raw<'_>, path: &str) -> Result<(), JsonFormatError> {
    match kind_of(value) {
        JsonKind::Null => *bytes = GoBytes::default(),
        JsonKind::String => {
            let text = unquote(value.bytes);
            let decoded =
                go_base64_decode(&text).map_err(|reason| JsonFormatError::InvalidBase64 {
                    path: path.to_owned(),
                    reason,
                })?;
            *bytes = GoBytes {
                len: decoded.len(),
                backing: decoded,
            };
        }
        JsonKind::Array => {
            let elements = array_elements(value)?;
            if elements.is_empty() {
                *bytes = GoBytes::default();
                return Ok(());
            }
            for (i, element) in elements.iter().enumerate() {
                if i >= bytes.backing.len() {
                    bytes.backing.push(0);
                }
                bytes.len = bytes.len.max(i + 1);
                let element_path = format!("{path}[{i}]");
                match kind_of(*element) {
                    JsonKind::Null => {}
                    JsonKind::Number => {
                        let literal = std::str::from_utf8(element.bytes).unwrap_or_default();
                        let byte = literal.parse::<u8>().map_err(|_| {
                            JsonFormatError::NumberOutOfRange {
                                path: element_path.clone(),
                                literal: literal.to_owned(),
                                expected: "an integer from 0 to 255",
                            }
                        })?;
                        if let Some(slot) = bytes.backing.get_mut(i) {
                            *slot = byte;
                        }
                    }
                    found => return Err(mismatch(element_path, "a number", found)),
                }
            }
            bytes.len = elements.len();
        }
        found => return Err(mismatch(path.to_owned(), "a base64 string", found)),
    }
    Ok(())
}
