//! libtrust's `joseBase64UrlDecode`, on top of Go's (non-strict) `base64.URLEncoding`.

use std::fmt;

/// Why a base64url string was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base64Error {
    /// After removing spaces and `\n`, the length is 1 more than a multiple of 4
    /// (libtrust: `illegal base64url string`).
    IllegalLength,
    /// Go's `CorruptInputError` at this byte offset of the padded input (after `\r`
    /// and `\n` are dropped).
    Corrupt(usize),
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base64Error::IllegalLength => f.write_str("illegal base64url string"),
            Base64Error::Corrupt(at) => write!(f, "illegal base64 data at input byte {at}"),
        }
    }
}

/// Decodes like libtrust: spaces and `\n` removed, `=` padding added when the length
/// needs it, then Go's `base64.URLEncoding.DecodeString`, which also skips `\r`, accepts
/// `=`-padded final groups and ignores non-zero trailing bits.
pub(crate) fn jose_decode(untrusted: &str) -> Result<Vec<u8>, Base64Error> {
    let mut s: Vec<u8> = untrusted
        .bytes()
        .filter(|&b| b != b'\n' && b != b' ')
        .collect();
    match s.len() % 4 {
        0 => {}
        2 => s.extend_from_slice(b"=="),
        3 => s.push(b'='),
        _ => return Err(Base64Error::IllegalLength),
    }
    // Go's decoder skips `\r` (and `\n`, already gone) anywhere.
    s.retain(|&b| b != b'\r');
    go_url_decode(&s)
}

fn sextet(b: u8) -> Option<u32> {
    let v = match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Go's padded URL-safe decoding of `s` (which holds no newlines).
fn go_url_decode(s: &[u8]) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let groups = s.len().div_ceil(4);
    for (g, group) in s.chunks(4).enumerate() {
        let base = g * 4;
        let last = g + 1 == groups;
        let mut acc = 0u32;
        let mut n = 0usize;
        for (k, &b) in group.iter().enumerate() {
            if let Some(v) = sextet(b) {
                if n < k {
                    // A data byte after padding inside the group.
                    return Err(Base64Error::Corrupt(base + k));
                }
                acc = (acc << 6) | v;
                n += 1;
            } else if b == b'=' {
                // Padding may start at the third or fourth position only, must fill
                // the group, and must end the input.
                if k < 2 {
                    return Err(Base64Error::Corrupt(base + k));
                }
            } else {
                return Err(Base64Error::Corrupt(base + k));
            }
        }
        if group.len() < 4 {
            // An incomplete final group: Go requires padding.
            return Err(Base64Error::Corrupt(base + group.len()));
        }
        if n < 4 && !last {
            return Err(Base64Error::Corrupt(base + 4));
        }
        let bytes = acc.to_be_bytes();
        match n {
            4 => out.extend_from_slice(bytes.get(1..4).unwrap_or_default()),
            3 => out.extend_from_slice(&((acc >> 2) as u16).to_be_bytes()),
            2 => out.push((acc >> 4) as u8),
            _ => return Err(Base64Error::Corrupt(base)),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_libtrust() {
        let ok = |s: &str| jose_decode(s).unwrap();
        assert_eq!(ok(""), b"");
        assert_eq!(ok("YQ"), b"a");
        assert_eq!(ok("YQ=="), b"a");
        assert_eq!(ok("YQ="), b"a");
        assert_eq!(ok("YWI"), b"ab");
        assert_eq!(ok("YWJj"), b"abc");
        assert_eq!(ok("Y W\nJ j"), b"abc");
        assert_eq!(ok("-_-_"), [0xfb, 0xff, 0xbf]);
        // Non-zero trailing bits are ignored (Go's non-strict decoder).
        assert_eq!(ok("YR"), b"a");
        assert_eq!(ok("YWJj\r\r\r\r"), b"abc");
        assert_eq!(ok("YQ==\r\r\r\r"), b"a");
        assert_eq!(ok("YWJ="), b"ab");
        for bad in [
            "Y", "YWJjZ", "YQ===", "Y===", "YQ=a", "+/+/", "YW=j", "YQ==YWJj", "YWJ\r", "YQ\r",
            "YQ\r\r==", "YQ\r\r", "YW\r==",
        ] {
            assert!(jose_decode(bad).is_err(), "{bad:?}");
        }
        assert_eq!(jose_decode("Y"), Err(Base64Error::IllegalLength));
    }
}
