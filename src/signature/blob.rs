//! The stored-signature blob format of c/image (`internal/signature/signature.go`,
//! `sigstore.go`; policy-semantics.md §11.1): how `dir:` images, lookaside storage and
//! c/storage keep signatures on disk.

use std::collections::BTreeMap;

use super::error::{JsonFormatError, SignatureFormatError};
use super::payload::write_go_string;
use super::{
    MAX_SIGNATURE_BLOB_SIZE, SIGSTORE_FORMAT, SIMPLE_SIGNING_FORMAT, UntrustedSignature,
    UntrustedSigstoreSignature,
};
use crate::go_encoding;
use crate::gojson::decode::{GoBytes, Trailing, decode, go_struct};

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
    out.push_str(&go_encoding::base64_encode(&sigstore.payload));
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

go_struct!(
    /// c/image's `sigstoreJSONRepresentation`, decoded with Go's lenient
    /// `json.Unmarshal` (current c/image, so Go ≥ 1.21's key folding: `ſ`, `K`
    /// (Kelvin), `İ` and `ı` fold to `S`, `K`, `I`, `I`).
    SigstoreChunk {
        "mimeType" => mime_type: String,
        "payload" => payload: GoBytes,
        "annotations" => annotations: BTreeMap<String, String>,
    }
);

/// Go's lenient `json.Unmarshal` into `sigstoreJSONRepresentation`: unknown keys
/// ignored, keys matched case-insensitively, the last duplicate wins (annotations
/// objects merge into the map, as Go's decoder reuses a non-nil map), `null` leaves a
/// string alone and clears the payload or the map; a top-level `null` is an empty
/// signature. The first type error in document order is reported.
pub(crate) fn sigstore_from_chunk(
    untrusted_chunk: &[u8],
) -> Result<UntrustedSigstoreSignature, JsonFormatError> {
    let chunk: SigstoreChunk = decode(untrusted_chunk, Trailing::Reject)?;
    Ok(UntrustedSigstoreSignature {
        mime_type: chunk.mime_type,
        payload: chunk.payload.as_slice().to_vec(),
        annotations: chunk.annotations,
    })
}
