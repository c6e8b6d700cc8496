//! Just enough of Go's `encoding/json` to decide, byte for byte, what containers/image
//! and libtrust decode from a manifest.
//!
//! The manifest-digest rules depend on details where serde_json and Go disagree:
//! Go accepts invalid UTF-8 and lone surrogate escapes inside strings (replacing them
//! with U+FFFD), nests up to 10 000 levels deep (serde_json stops at 128), matches struct
//! fields case-insensitively, and converts every number it decodes into an `interface{}`
//! to `float64` (failing on overflow). So this module reads JSON itself:
//!
//! * [`validate`] is Go's `checkValid` (the syntax check `json.Unmarshal` runs first);
//! * a [`Value`] is a view of one value inside a validated document; children are found
//!   by skipping over their siblings, so nothing here recurses and no depth can exhaust
//!   the stack.
//!
//! Every function assumes its input was validated; on input that was not, they return
//! `None` or garbage, never panic.

/// Go's `maxNestingDepth` (encoding/json scanner).
const MAX_NESTING_DEPTH: usize = 10_000;

/// The kind of a JSON value, decided by its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

impl Kind {
    /// The word Go uses in `UnmarshalTypeError` ("cannot unmarshal X into ...").
    pub(crate) fn go_name(self) -> &'static str {
        match self {
            Kind::Object => "object",
            Kind::Array => "array",
            Kind::String => "string",
            Kind::Number => "number",
            Kind::Bool => "bool",
            Kind::Null => "null",
        }
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).copied().is_some_and(is_ws) {
        i += 1;
    }
    i
}

/// Scans a string starting at its opening quote; returns the index after the closing
/// quote, or `None` if the string is malformed (Go's scanner rules: control bytes are
/// refused, escapes must be one of `"\/bfnrt` or `u` + 4 hex digits, any other byte,
/// including invalid UTF-8, is accepted).
fn scan_string(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        let b = *bytes.get(i)?;
        match b {
            b'"' => return Some(i + 1),
            b'\\' => {
                let e = *bytes.get(i + 1)?;
                match e {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                    b'u' => {
                        let digits = bytes.get(i + 2..i + 6)?;
                        if !digits.iter().all(u8::is_ascii_hexdigit) {
                            return None;
                        }
                        i += 6;
                    }
                    _ => return None,
                }
            }
            0x00..=0x1f => return None,
            _ => i += 1,
        }
    }
}

/// Scans a number (Go's grammar, which is RFC 8259's); returns the index after it.
fn scan_number(bytes: &[u8], start: usize) -> Option<usize> {
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut i = start;
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    match bytes.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while digit(i) {
                i += 1;
            }
        }
        _ => return None,
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        if !digit(i) {
            return None;
        }
        while digit(i) {
            i += 1;
        }
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digit(i) {
            return None;
        }
        while digit(i) {
            i += 1;
        }
    }
    Some(i)
}

/// Scans `true`, `false` or `null`.
fn scan_literal(bytes: &[u8], start: usize) -> Option<usize> {
    for word in [&b"true"[..], b"false", b"null"] {
        if bytes.get(start..start + word.len()) == Some(word) {
            return Some(start + word.len());
        }
    }
    None
}

/// Scans an object key and the `:` after it, from the opening quote of the key; returns
/// the index of the member's value.
fn scan_key_colon(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes.get(i) != Some(&b'"') {
        return None;
    }
    let i = skip_ws(bytes, scan_string(bytes, i)?);
    if bytes.get(i) != Some(&b':') {
        return None;
    }
    Some(skip_ws(bytes, i + 1))
}

/// Go's `checkValid`: whether `bytes` is exactly one JSON value (with optional
/// surrounding whitespace), nested at most 10 000 levels deep.
pub(crate) fn validate(bytes: &[u8]) -> bool {
    validate_inner(bytes).is_some()
}

fn validate_inner(bytes: &[u8]) -> Option<()> {
    // Open containers, innermost last: `{` or `[`.
    let mut stack: Vec<u8> = Vec::new();
    let mut i = skip_ws(bytes, 0);
    'value: loop {
        // A value starts at `i`.
        match *bytes.get(i)? {
            open @ (b'{' | b'[') => {
                stack.push(open);
                if stack.len() > MAX_NESTING_DEPTH {
                    return None;
                }
                i = skip_ws(bytes, i + 1);
                let close = if open == b'{' { b'}' } else { b']' };
                if bytes.get(i) == Some(&close) {
                    stack.pop();
                    i += 1;
                } else {
                    if open == b'{' {
                        i = scan_key_colon(bytes, i)?;
                    }
                    continue 'value;
                }
            }
            b'"' => i = scan_string(bytes, i)?,
            b'-' | b'0'..=b'9' => i = scan_number(bytes, i)?,
            _ => i = scan_literal(bytes, i)?,
        }
        // After a complete value: close containers or move to the next member.
        loop {
            i = skip_ws(bytes, i);
            let Some(&top) = stack.last() else {
                return (i == bytes.len()).then_some(());
            };
            match (*bytes.get(i)?, top) {
                (b',', b'{') => {
                    i = scan_key_colon(bytes, skip_ws(bytes, i + 1))?;
                    continue 'value;
                }
                (b',', _) => {
                    i = skip_ws(bytes, i + 1);
                    continue 'value;
                }
                (b'}', b'{') | (b']', b'[') => {
                    stack.pop();
                    i += 1;
                }
                _ => return None,
            }
        }
    }
}

/// Returns the index just after the value starting at `i` in a validated document.
fn skip_value(bytes: &[u8], i: usize) -> Option<usize> {
    match *bytes.get(i)? {
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match *bytes.get(j)? {
                    b'"' => j = scan_string(bytes, j)?,
                    b'{' | b'[' => {
                        depth += 1;
                        j += 1;
                    }
                    b'}' | b']' => {
                        depth -= 1;
                        j += 1;
                        if depth == 0 {
                            return Some(j);
                        }
                    }
                    _ => j += 1,
                }
            }
        }
        b'"' => scan_string(bytes, i),
        b'-' | b'0'..=b'9' => scan_number(bytes, i),
        _ => scan_literal(bytes, i),
    }
}

/// One value inside a validated document: exactly its bytes, no surrounding space.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Value<'a> {
    bytes: &'a [u8],
}

impl<'a> Value<'a> {
    /// The top-level value of a document that [`validate`] accepted.
    pub(crate) fn of_document(document: &'a [u8]) -> Option<Value<'a>> {
        let start = skip_ws(document, 0);
        let end = skip_value(document, start)?;
        Some(Value {
            bytes: document.get(start..end)?,
        })
    }

    /// What kind of value this is.
    pub(crate) fn kind(&self) -> Kind {
        match self.bytes.first() {
            Some(b'{') => Kind::Object,
            Some(b'[') => Kind::Array,
            Some(b'"') => Kind::String,
            Some(b't' | b'f') => Kind::Bool,
            Some(b'n') => Kind::Null,
            _ => Kind::Number,
        }
    }

    /// The members of an object, in document order (duplicates kept), keys decoded as
    /// Go decodes strings. `None` if this is not an object.
    pub(crate) fn members(&self) -> Option<Vec<(String, Value<'a>)>> {
        if self.kind() != Kind::Object {
            return None;
        }
        let b = self.bytes;
        let mut out = Vec::new();
        let mut i = skip_ws(b, 1);
        if b.get(i) == Some(&b'}') {
            return Some(out);
        }
        loop {
            let key_end = scan_string(b, i)?;
            let key = decode_string(b.get(i..key_end)?)?;
            let mut j = skip_ws(b, key_end);
            if b.get(j) != Some(&b':') {
                return None;
            }
            j = skip_ws(b, j + 1);
            let end = skip_value(b, j)?;
            out.push((
                key,
                Value {
                    bytes: b.get(j..end)?,
                },
            ));
            i = skip_ws(b, end);
            match b.get(i) {
                Some(b',') => i = skip_ws(b, i + 1),
                Some(b'}') => return Some(out),
                _ => return None,
            }
        }
    }

    /// The elements of an array, in order. `None` if this is not an array.
    pub(crate) fn elements(&self) -> Option<Vec<Value<'a>>> {
        if self.kind() != Kind::Array {
            return None;
        }
        let b = self.bytes;
        let mut out = Vec::new();
        let mut i = skip_ws(b, 1);
        if b.get(i) == Some(&b']') {
            return Some(out);
        }
        loop {
            let end = skip_value(b, i)?;
            out.push(Value {
                bytes: b.get(i..end)?,
            });
            i = skip_ws(b, end);
            match b.get(i) {
                Some(b',') => i = skip_ws(b, i + 1),
                Some(b']') => return Some(out),
                _ => return None,
            }
        }
    }

    /// The decoded text of a string value (Go's `unquote`). `None` if not a string.
    pub(crate) fn string(&self) -> Option<String> {
        if self.kind() != Kind::String {
            return None;
        }
        decode_string(self.bytes)
    }

    /// The number as Go's `strconv.ParseInt(text, 10, 64)` reads it (what decoding into
    /// a Go `int` does): `None` for fractions, exponents and out-of-range values.
    pub(crate) fn go_int(&self) -> Option<i64> {
        if self.kind() != Kind::Number {
            return None;
        }
        std::str::from_utf8(self.bytes).ok()?.parse::<i64>().ok()
    }

    /// The number as Go's `strconv.ParseFloat(text, 64)` reads it (what decoding into
    /// an `interface{}` does): `None` when it overflows to ±infinity, which Go reports
    /// as an `UnmarshalTypeError`.
    pub(crate) fn go_float(&self) -> Option<f64> {
        if self.kind() != Kind::Number {
            return None;
        }
        let value = std::str::from_utf8(self.bytes).ok()?.parse::<f64>().ok()?;
        value.is_finite().then_some(value)
    }

    /// Whether decoding this value into a Go `interface{}` succeeds: it fails only when
    /// some number inside overflows `float64`.
    pub(crate) fn decodes_as_interface(&self) -> bool {
        let b = self.bytes;
        let mut i = 0;
        while let Some(&c) = b.get(i) {
            match c {
                b'"' => match scan_string(b, i) {
                    Some(end) => i = end,
                    None => return false,
                },
                b'-' | b'0'..=b'9' => {
                    let Some(end) = scan_number(b, i) else {
                        return false;
                    };
                    let number = Value {
                        bytes: b.get(i..end).unwrap_or_default(),
                    };
                    if number.go_float().is_none() {
                        return false;
                    }
                    i = end;
                }
                _ => i += 1,
            }
        }
        true
    }
}

/// Decodes a quoted JSON string the way Go's `unquote` does: escapes resolved, a
/// `\uXXXX` surrogate pair combined, a lone surrogate escape and every byte of invalid
/// UTF-8 replaced by U+FFFD.
fn decode_string(quoted: &[u8]) -> Option<String> {
    let inner = quoted.get(1..quoted.len().checked_sub(1)?)?;
    let mut out = String::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let rest = inner.get(i..)?;
        if rest.first() == Some(&b'\\') {
            let e = *rest.get(1)?;
            let simple = match e {
                b'"' => Some('"'),
                b'\\' => Some('\\'),
                b'/' => Some('/'),
                b'b' => Some('\u{8}'),
                b'f' => Some('\u{c}'),
                b'n' => Some('\n'),
                b'r' => Some('\r'),
                b't' => Some('\t'),
                _ => None,
            };
            if let Some(c) = simple {
                out.push(c);
                i += 2;
                continue;
            }
            let unit = hex4(rest.get(2..6)?)?;
            i += 6;
            if (0xD800..0xE000).contains(&unit) {
                // Go: a high surrogate followed by an escaped low one is a pair; any
                // other surrogate becomes U+FFFD and the next escape stands alone.
                let low = inner
                    .get(i..i + 6)
                    .filter(|next| next.starts_with(b"\\u"))
                    .and_then(|next| hex4(next.get(2..6)?));
                if let Some(low) = low
                    && (0xD800..0xDC00).contains(&unit)
                    && (0xDC00..0xE000).contains(&low)
                {
                    let c =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                    i += 6;
                } else {
                    out.push(char::REPLACEMENT_CHARACTER);
                }
            } else {
                out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            continue;
        }
        // A run of unescaped bytes up to the next backslash.
        let run_len = rest.iter().position(|&b| b == b'\\').unwrap_or(rest.len());
        for chunk in rest.get(..run_len)?.utf8_chunks() {
            out.push_str(chunk.valid());
            for _ in chunk.invalid() {
                out.push(char::REPLACEMENT_CHARACTER);
            }
        }
        i += run_len;
    }
    Some(out)
}

fn hex4(digits: &[u8]) -> Option<u16> {
    if digits.len() != 4 {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

/// Whether a JSON object key selects the Go struct field tagged `name` (an ASCII tag):
/// exact match, or equal under Go's case folding. Besides ASCII letters, two non-ASCII
/// runes fold onto ASCII ones: U+017F (ſ) onto `s` and U+212A (Kelvin sign) onto `k`.
///
/// Go ≥ 1.21 derives folding from `unicode.SimpleFold`, which may also fold U+0131
/// (dotless ı) onto `I`; Go 1.19 (the oracle this was checked against) does not, and
/// neither does this function.
pub(crate) fn go_field_matches(key: &str, name: &str) -> bool {
    if key == name {
        return true;
    }
    let mut key_chars = key.chars();
    for n in name.bytes() {
        let Some(c) = key_chars.next() else {
            return false;
        };
        let folded = match c {
            '\u{17F}' => b'S',
            '\u{212A}' => b'K',
            c if c.is_ascii() => (c as u8).to_ascii_uppercase(),
            _ => return false,
        };
        if folded != n.to_ascii_uppercase() {
            return false;
        }
    }
    key_chars.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_follows_go_grammar() {
        for ok in [
            "{}",
            " [1, -0, 0.5, 1e9, 1E+2, -3.25e-7] ",
            r#"{"a":{"b":[true,false,null,"\u00e9\ud800"]}}"#,
            "\"x\"",
        ] {
            assert!(validate(ok.as_bytes()), "{ok}");
        }
        assert!(validate(b"\"\xff\xfe\""));
        for bad in [
            "",
            " ",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "+1",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{1:2}",
            "tru",
            "nul",
            "[1] 2",
            "\"\\x\"",
            "\"\\u12\"",
            "\"a\u{1}\"",
            "\u{feff}{}",
            "[",
            "{",
            "]",
            "{\"a\":1]",
            "[1}",
        ] {
            assert!(!validate(bad.as_bytes()), "{bad:?}");
        }
    }

    #[test]
    fn nesting_limit_is_go_s() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(validate(deep(10_000).as_bytes()));
        assert!(!validate(deep(10_001).as_bytes()));
        // Reading a deep document does not recurse.
        let doc = format!("{{\"a\":{},\"b\":1}}", deep(9_999));
        assert!(!validate(format!("{{\"a\":{}}}", deep(10_000)).as_bytes()));
        assert!(validate(doc.as_bytes()));
        let members = Value::of_document(doc.as_bytes())
            .unwrap()
            .members()
            .unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(members[1].1.go_int(), Some(1));
    }

    #[test]
    fn strings_decode_like_go() {
        let s = |raw: &[u8]| decode_string(raw).unwrap();
        assert_eq!(s(br#""a\"\\\/\b\f\n\r\t""#), "a\"\\/\u{8}\u{c}\n\r\t");
        assert_eq!(s(br#""\u00e9\ud83d\ude00""#), "é😀");
        assert_eq!(s(br#""\ud800x""#), "\u{FFFD}x");
        assert_eq!(s(br#""\udc00\ud800\u0041""#), "\u{FFFD}\u{FFFD}A");
        assert_eq!(s(b"\"a\xffb\xe2\x82\""), "a\u{FFFD}b\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn numbers_convert_like_go() {
        let v = |t: &'static str| Value {
            bytes: t.as_bytes(),
        };
        assert_eq!(v("12").go_int(), Some(12));
        assert_eq!(v("-0").go_int(), Some(0));
        assert_eq!(v("1.0").go_int(), None);
        assert_eq!(v("1e2").go_int(), None);
        assert_eq!(v("9223372036854775808").go_int(), None);
        assert_eq!(v("1e308").go_float(), Some(1e308));
        assert_eq!(v("1e309").go_float(), None);
        assert_eq!(v("1e-400").go_float(), Some(0.0));
        assert!(v(r#"{"a":[1e308,"1e999"]}"#).decodes_as_interface());
        assert!(!v(r#"{"a":[-1e999]}"#).decodes_as_interface());
    }

    #[test]
    fn field_matching_folds_case() {
        assert!(go_field_matches("signatures", "signatures"));
        assert!(go_field_matches("SIGNATURES", "signatures"));
        assert!(go_field_matches("\u{17F}ignatures", "signatures"));
        assert!(go_field_matches("jw\u{212A}", "jwk"));
        assert!(!go_field_matches("signature", "signatures"));
        assert!(!go_field_matches("s\u{131}gnatures", "signatures"));
        assert!(!go_field_matches("signatures ", "signatures"));
    }
}
