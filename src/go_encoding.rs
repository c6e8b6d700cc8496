//! The Go standard-library encodings whose exact behaviour decides verdicts
//! (policy base64 fields, signature-formats.md §4.7, §9): `encoding/pem.Decode`, `base64.StdEncoding`,
//! `hex.DecodeString`, and the two ASN.1 readers used on ECDSA signatures and public
//! keys (`encoding/asn1` for the lenient "does it look like DER" probe, `cryptobyte`
//! for strict DER).

use base64::Engine as _;

/// One PEM block as Go's `pem.Decode` returns it (header contents are parsed and
/// dropped; only their presence is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PemBlock {
    /// The type label (`PUBLIC KEY`, `CERTIFICATE`, …).
    pub(crate) label: String,
    /// Whether the block has `Key: value` header lines.
    pub(crate) has_headers: bool,
    /// The decoded base64 payload (DER).
    pub(crate) der: Vec<u8>,
}

const PEM_START: &[u8] = b"\n-----BEGIN ";
const PEM_END: &[u8] = b"\n-----END ";
const PEM_END_OF_LINE: &[u8] = b"-----";

/// Go's `getLine`: the first line (without `\n` or `\r\n`, trailing spaces and tabs
/// removed) and the rest after the line terminator.
fn get_line(data: &[u8]) -> (&[u8], &[u8]) {
    let (line, rest) = match data.iter().position(|&b| b == b'\n') {
        None => (data, &[][..]),
        Some(i) => {
            let line = data.get(..i).unwrap_or_default();
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            (line, data.get(i + 1..).unwrap_or_default())
        }
    };
    (trim_right_space_tab(line), rest)
}

fn trim_right_space_tab(mut s: &[u8]) -> &[u8] {
    while let Some((&last, init)) = s.split_last() {
        if last == b' ' || last == b'\t' {
            s = init;
        } else {
            break;
        }
    }
    s
}

/// The first position of `needle` in `haystack` (Go's `bytes.Index`).
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Go's `encoding/pem.Decode`: the first well-formed PEM block in `data` and the bytes
/// after it (after the END line and its single line terminator), or `None` when there
/// is no such block. Text before `-----BEGIN ` is skipped; a malformed candidate block
/// makes the search continue after its BEGIN line; headers are accepted and dropped
/// ([`PemBlock::has_headers`] records that there were some).
pub(crate) fn pem_decode(data: &[u8]) -> Option<(PemBlock, &[u8])> {
    let mut rest = data;
    loop {
        if let Some(after) = rest.strip_prefix(PEM_START.get(1..).unwrap_or_default()) {
            rest = after;
        } else if let Some(i) = find(rest, PEM_START) {
            rest = rest.get(i + PEM_START.len()..).unwrap_or_default();
        } else {
            return None;
        }

        let type_line;
        (type_line, rest) = get_line(rest);
        let Some(type_line) = type_line.strip_suffix(PEM_END_OF_LINE) else {
            continue;
        };

        let mut has_headers = false;
        loop {
            if rest.is_empty() {
                return None;
            }
            let (line, next) = get_line(rest);
            if !line.contains(&b':') {
                break;
            }
            has_headers = true;
            rest = next;
        }

        let (end_index, end_trailer_index) =
            if !has_headers && rest.starts_with(PEM_END.get(1..).unwrap_or_default()) {
                (0, PEM_END.len() - 1)
            } else {
                match find(rest, PEM_END) {
                    Some(i) => (i, i + PEM_END.len()),
                    None => continue,
                }
            };

        let end_trailer = rest.get(end_trailer_index..).unwrap_or_default();
        let end_trailer_len = type_line.len() + PEM_END_OF_LINE.len();
        let (Some(trailer), Some(rest_of_end_line)) = (
            end_trailer.get(..end_trailer_len),
            end_trailer.get(end_trailer_len..),
        ) else {
            continue;
        };
        if !trailer.starts_with(type_line) || !trailer.ends_with(PEM_END_OF_LINE) {
            continue;
        }
        if !get_line(rest_of_end_line).0.is_empty() {
            continue;
        }

        let base64_data: Vec<u8> = rest
            .get(..end_index)
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|&b| b != b' ' && b != b'\t')
            .collect();
        let Ok(der) = base64_decode(&base64_data) else {
            continue;
        };
        let after = rest
            .get(end_index + PEM_END.len() - 1..)
            .unwrap_or_default();
        let (_, after) = get_line(after);
        return Some((
            PemBlock {
                label: String::from_utf8_lossy(type_line).into_owned(),
                has_headers,
                der,
            },
            after,
        ));
    }
}

/// Go's `base64.StdEncoding.DecodeString`: standard alphabet, padding required, `\r`
/// and `\n` ignored anywhere, non-zero trailing bits accepted.
pub(crate) fn base64_decode(text: &[u8]) -> Result<Vec<u8>, String> {
    const ENGINE: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireCanonical),
    );
    let result = if text.contains(&b'\r') || text.contains(&b'\n') {
        let cleaned: Vec<u8> = text
            .iter()
            .copied()
            .filter(|&c| c != b'\r' && c != b'\n')
            .collect();
        ENGINE.decode(cleaned)
    } else {
        ENGINE.decode(text)
    };
    result.map_err(|err| err.to_string())
}

/// Standard padded base64, as Go's `base64.StdEncoding.EncodeToString`.
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Go's `hex.DecodeString`: either case; odd length or a non-hex character fails.
pub(crate) fn hex_decode(text: &str) -> Result<Vec<u8>, String> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 2);
    for pair in bytes.chunks(2) {
        let (hi, lo) = match pair {
            [hi, lo] => (*hi, *lo),
            // Go checks the characters before the length: report a bad last character.
            [c] => {
                return Err(match nibble(*c) {
                    None => format!("invalid byte: {:#04x}", c),
                    Some(_) => "odd length hex string".to_owned(),
                });
            }
            _ => return Err("odd length hex string".to_owned()),
        };
        match (nibble(hi), nibble(lo)) {
            (Some(h), Some(l)) => out.push(h << 4 | l),
            (None, _) => return Err(format!("invalid byte: {hi:#04x}")),
            (_, None) => return Err(format!("invalid byte: {lo:#04x}")),
        }
    }
    Ok(out)
}

/// Strict DER reading in the manner of Go's `cryptobyte`: single-byte tags (no
/// high-tag-number form), definite minimal lengths of at most 4 length bytes.
pub(crate) mod der {
    /// The universal INTEGER tag.
    pub(crate) const INTEGER: u8 = 0x02;
    /// The universal BIT STRING tag.
    pub(crate) const BIT_STRING: u8 = 0x03;
    /// The universal NULL tag.
    pub(crate) const NULL: u8 = 0x05;
    /// The universal OBJECT IDENTIFIER tag.
    pub(crate) const OID: u8 = 0x06;
    /// The universal constructed SEQUENCE tag.
    pub(crate) const SEQUENCE: u8 = 0x30;

    /// Reads one element: `(tag, contents, rest)`.
    pub(crate) fn read_any(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
        let (&tag, after_tag) = input.split_first()?;
        if tag & 0x1f == 0x1f {
            return None;
        }
        let (&len_byte, after_len) = after_tag.split_first()?;
        let (length, body) = if len_byte & 0x80 == 0 {
            (usize::from(len_byte), after_len)
        } else {
            let len_len = usize::from(len_byte & 0x7f);
            if len_len == 0 || len_len > 4 {
                return None;
            }
            let len_bytes = after_len.get(..len_len)?;
            let mut length: u32 = 0;
            for &b in len_bytes {
                length = length << 8 | u32::from(b);
            }
            if length < 128 || len_bytes.first() == Some(&0) {
                return None;
            }
            (usize::try_from(length).ok()?, after_len.get(len_len..)?)
        };
        let contents = body.get(..length)?;
        Some((tag, contents, body.get(length..)?))
    }

    /// Reads one element with the given tag: `(contents, rest)`.
    pub(crate) fn read(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
        let (found, contents, rest) = read_any(input)?;
        (found == tag).then_some((contents, rest))
    }

    /// `cryptobyte`'s `ReadASN1Integer` into a byte slice: a minimally encoded,
    /// non-negative INTEGER, returned without its sign byte. `(magnitude, rest)`.
    pub(crate) fn read_unsigned_integer(input: &[u8]) -> Option<(&[u8], &[u8])> {
        let (contents, rest) = read(input, INTEGER)?;
        if !minimal_integer(contents) || contents.first()? & 0x80 != 0 {
            return None;
        }
        let magnitude = match contents {
            [0, tail @ ..] if !tail.is_empty() => tail,
            other => other,
        };
        Some((magnitude, rest))
    }

    /// The minimal-encoding rule shared by `encoding/asn1` and `cryptobyte`.
    pub(crate) fn minimal_integer(contents: &[u8]) -> bool {
        match contents {
            [] => false,
            [_] => true,
            [0, second, ..] => second & 0x80 != 0,
            [0xff, second, ..] => second & 0x80 == 0,
            _ => true,
        }
    }

    /// DER length octets for `len`.
    fn push_length(out: &mut Vec<u8>, len: usize) {
        if len < 0x80 {
            out.push(len as u8);
        } else {
            let bytes = len.to_be_bytes();
            let skip = bytes.iter().take_while(|&&b| b == 0).count();
            let significant = bytes.get(skip..).unwrap_or_default();
            out.push(0x80 | significant.len() as u8);
            out.extend_from_slice(significant);
        }
    }

    /// One DER element.
    pub(crate) fn element(tag: u8, contents: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(contents.len() + 6);
        out.push(tag);
        push_length(&mut out, contents.len());
        out.extend_from_slice(contents);
        out
    }

    /// A non-negative INTEGER from big-endian magnitude bytes (leading zeros dropped,
    /// a sign byte added when needed).
    pub(crate) fn unsigned_integer(magnitude: &[u8]) -> Vec<u8> {
        let skip = magnitude.iter().take_while(|&&b| b == 0).count();
        let trimmed = magnitude.get(skip..).unwrap_or_default();
        let mut contents = Vec::with_capacity(trimmed.len() + 1);
        if trimmed.first().is_none_or(|&b| b & 0x80 != 0) {
            contents.push(0);
        }
        contents.extend_from_slice(trimmed);
        element(INTEGER, &contents)
    }
}

/// Go's `encoding/asn1.Unmarshal(bytes, &struct{R, S *big.Int}{})` succeeding: the
/// probe sigstore uses to decide between DER and IEEE P1363 ECDSA signatures. It is
/// laxer than [`der`]: high-tag-number forms are parsed (and then fail the tag match),
/// lengths may use any number of bytes, and data after the two INTEGERs (inside the
/// SEQUENCE) and after the SEQUENCE is tolerated. Negative integers are fine.
pub(crate) fn asn1_probe_two_integers(input: &[u8]) -> bool {
    /// `parseTagAndLength` then the tag/compound check and the truncation check:
    /// `(class_universal_tag, compound, contents, rest)`.
    fn element(input: &[u8]) -> Option<(usize, bool, &[u8], &[u8])> {
        let (&first, mut rest) = input.split_first()?;
        let class = first >> 6;
        let compound = first & 0x20 != 0;
        let mut tag = usize::from(first & 0x1f);
        if tag == 0x1f {
            // parseBase128Int: at most 4 bytes' worth, no leading 0x80, fits an i32.
            tag = 0;
            let mut shifted = 0;
            loop {
                let (&b, after) = rest.split_first()?;
                rest = after;
                if shifted == 0 && b == 0x80 {
                    return None;
                }
                shifted += 1;
                if shifted == 5 {
                    return None;
                }
                tag = tag << 7 | usize::from(b & 0x7f);
                if b & 0x80 == 0 {
                    break;
                }
            }
            if tag > i32::MAX as usize || tag < 0x1f {
                return None;
            }
        }
        let (&len_byte, after) = rest.split_first()?;
        rest = after;
        let length = if len_byte & 0x80 == 0 {
            usize::from(len_byte & 0x7f)
        } else {
            let num_bytes = usize::from(len_byte & 0x7f);
            if num_bytes == 0 {
                return None;
            }
            let mut length: usize = 0;
            for _ in 0..num_bytes {
                let (&b, after) = rest.split_first()?;
                rest = after;
                if length >= 1 << 23 {
                    return None;
                }
                length = length << 8 | usize::from(b);
                if length == 0 {
                    return None;
                }
            }
            if length < 0x80 {
                return None;
            }
            length
        };
        let tag = if class == 0 { tag } else { usize::MAX };
        let contents = rest.get(..length)?;
        Some((tag, compound, contents, rest.get(length..)?))
    }
    fn integer(input: &[u8]) -> Option<&[u8]> {
        let (tag, compound, contents, rest) = element(input)?;
        (tag == 2 && !compound && der::minimal_integer(contents)).then_some(rest)
    }
    let Some((16, true, contents, _)) = element(input) else {
        return false;
    };
    integer(contents).and_then(integer).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "-----BEGIN PUBLIC KEY-----\nAAEC\n-----END PUBLIC KEY-----\n";

    #[test]
    fn pem_decode_go_rules() {
        let (block, rest) = pem_decode(KEY.as_bytes()).unwrap();
        assert_eq!(block.label, "PUBLIC KEY");
        assert_eq!(block.der, [0, 1, 2]);
        assert!(rest.is_empty());
        // Leading junk skipped; one terminator consumed; anything else is rest.
        let text = format!("junk\n{KEY}\n");
        let (_, rest) = pem_decode(text.as_bytes()).unwrap();
        assert_eq!(rest, b"\n");
        // No terminator at all, trailing spaces on the END line.
        let text = KEY.trim_end().to_owned() + " \t";
        assert!(pem_decode(text.as_bytes()).unwrap().1.is_empty());
        // CRLF.
        let text = KEY.replace('\n', "\r\n");
        let (block, rest) = pem_decode(text.as_bytes()).unwrap();
        assert_eq!(block.der, [0, 1, 2]);
        assert!(rest.is_empty());
        // Headers are accepted.
        let text = KEY.replace("KEY-----\n", "KEY-----\nProc-Type: 4\n\n");
        assert_eq!(pem_decode(text.as_bytes()).unwrap().0.der, [0, 1, 2]);
        // Mismatched END label: no block. A bad first block, then a good one.
        assert!(pem_decode(KEY.replace("END PUBLIC", "END PRIVATE").as_bytes()).is_none());
        let bad = KEY.replace("AAEC", "!!!!");
        let text = format!("{bad}{KEY}");
        let (block, rest) = pem_decode(text.as_bytes()).unwrap();
        assert_eq!(block.der, [0, 1, 2]);
        assert!(rest.is_empty());
        // Garbage after the END line on the same line: not a block.
        assert!(pem_decode(KEY.replace("KEY-----\n", "KEY-----x").as_bytes()).is_none());
        assert!(pem_decode(b"").is_none());
        assert!(pem_decode(b"-----BEGIN X-----\n").is_none());
        // Empty block, END right after BEGIN.
        let (block, _) = pem_decode(b"-----BEGIN X-----\n-----END X-----").unwrap();
        assert!(block.der.is_empty());
    }

    #[test]
    fn base64_and_hex() {
        assert_eq!(base64_decode(b"AA\r\nE=").unwrap(), [0, 1]);
        assert!(base64_decode(b"AAE").is_err());
        assert!(base64_decode(b"AAE==").is_err());
        assert_eq!(base64_decode(b"AAF=").unwrap(), [0, 1]);
        assert_eq!(hex_decode("0aFF").unwrap(), [10, 255]);
        assert!(hex_decode("abc").is_err());
        assert!(hex_decode("zz").is_err());
    }

    #[test]
    fn der_round_trip() {
        let int = der::unsigned_integer(&[0, 0, 0x80]);
        assert_eq!(int, [2, 2, 0, 0x80]);
        assert_eq!(
            der::read_unsigned_integer(&int),
            Some((&[0x80][..], &[][..]))
        );
        assert_eq!(der::unsigned_integer(&[]), [2, 1, 0]);
        let long = der::element(der::SEQUENCE, &[0; 200]);
        assert_eq!(long.get(..3), Some(&[0x30, 0x81, 200][..]));
        assert_eq!(der::read(&long, der::SEQUENCE).unwrap().0.len(), 200);
        // Non-minimal length, negative and non-minimal integers.
        assert!(der::read_any(&[0x30, 0x81, 0x01, 0]).is_none());
        assert!(der::read_unsigned_integer(&[2, 1, 0x80]).is_none());
        assert!(der::read_unsigned_integer(&[2, 2, 0, 1]).is_none());
    }

    #[test]
    fn asn1_probe() {
        assert!(asn1_probe_two_integers(&[0x30, 6, 2, 1, 1, 2, 1, 0xff]));
        // Trailing data inside and after the SEQUENCE is tolerated.
        assert!(asn1_probe_two_integers(&[0x30, 7, 2, 1, 1, 2, 1, 1, 5, 9]));
        assert!(!asn1_probe_two_integers(&[0x30, 3, 2, 1, 1]));
        assert!(!asn1_probe_two_integers(&[0x31, 6, 2, 1, 1, 2, 1, 1]));
        assert!(!asn1_probe_two_integers(
            &[0x30, 6, 2, 2, 0, 1, 2, 1, 1][..8]
        ));
        assert!(!asn1_probe_two_integers(&[0x30, 0x81, 6, 2, 1, 1, 2, 1, 1]));
        assert!(!asn1_probe_two_integers(&[]));
    }
}
