// TEMPORARY: replaced by signature::UntrustedSignature::from_blob on merge
//
// A minimal stand-in for c/image's `internal/signature.FromBlob` (policy-semantics.md
// §11.1, signature-formats.md §1.2) with the same signature as the real one, so that
// the `dir:` source compiles and its tests run before the signature module lands.
// Callers only use `Display` of the error.

use std::collections::BTreeMap;
use std::fmt;

use crate::signature::{UntrustedSignature, UntrustedSigstoreSignature};

use super::gojson::{self, GoBytes, Trailing};

/// Why a blob is not a signature (stand-in for `signature::SignatureFormatError`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignatureFormatError(String);

impl fmt::Display for SignatureFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

gojson::go_struct!(
    /// `internal/signature.sigstoreJSONRepresentation`.
    SigstoreJson {
        "mimeType" => mime_type: String,
        "payload" => payload: GoBytes,
        "annotations" => annotations: BTreeMap<String, String>,
    }
);

/// Classifies a stored signature blob.
pub(crate) fn from_blob(untrusted_blob: &[u8]) -> Result<UntrustedSignature, SignatureFormatError> {
    let Some((&first, rest)) = untrusted_blob.split_first() else {
        return Err(SignatureFormatError("empty signature blob".to_owned()));
    };
    match first {
        // OpenPGP packet tags, including c/image's 0x3D (sic).
        0xA0..=0xA3 | 0xC8 | 0x90..=0x92 | 0x3D | 0xC4 | 0x88..=0x8B | 0xC2 => {
            Ok(UntrustedSignature::SimpleSigning(untrusted_blob.to_vec()))
        }
        0x00 => {
            let Some(newline) = rest.iter().position(|&b| b == b'\n') else {
                return Err(SignatureFormatError(
                    "invalid signature format, missing newline".to_owned(),
                ));
            };
            let (format, chunk) = rest.split_at(newline);
            let chunk = chunk.get(1..).unwrap_or_default();
            if let Some(&bad) = format.iter().find(|&&b| !(0x20..=0x7E).contains(&b)) {
                return Err(SignatureFormatError(format!(
                    "invalid signature format, non-ASCII byte {bad:#x}"
                )));
            }
            match format {
                b"simple-signing" => Ok(UntrustedSignature::SimpleSigning(chunk.to_vec())),
                b"sigstore-json" => {
                    let parsed: SigstoreJson =
                        gojson::decode(chunk, Trailing::Reject).map_err(SignatureFormatError)?;
                    Ok(UntrustedSignature::Sigstore(UntrustedSigstoreSignature {
                        mime_type: parsed.mime_type,
                        payload: parsed.payload.0,
                        annotations: parsed.annotations,
                    }))
                }
                other => Err(SignatureFormatError(format!(
                    "unrecognized signature format {:?}",
                    String::from_utf8_lossy(other)
                ))),
            }
        }
        other => Err(SignatureFormatError(format!(
            "unrecognized signature format, starting with binary {other:#x}"
        ))),
    }
}
