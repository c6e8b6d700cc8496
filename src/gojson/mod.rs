//! JSON read the way Go's `encoding/json` reads it, for the documents whose acceptance
//! decides a verdict: signature payloads and blobs, manifests, OCI `index.json`.
//!
//! Go's decoder differs from serde_json in ways that change which documents are
//! accepted, so this module reads JSON itself, on bytes. Each Go rule is written once:
//!
//! * the grammar and limits (Go's `checkValid`): RFC 8259, at most [`MAX_DEPTH`]
//!   nested arrays/objects (serde_json stops at 128), raw control characters refused
//!   inside strings, any other byte accepted there, invalid UTF-8 included — see
//!   [`document`] and the scanner in `scan`;
//! * string decoding (Go's `unquote`): escapes resolved, a `\uXXXX` surrogate pair
//!   combined, a lone surrogate escape and every byte of invalid UTF-8 replaced by
//!   U+FFFD — [`unquote`];
//! * numbers: [`Raw::go_int`] (`strconv.ParseInt`), [`Raw::go_float`]
//!   (`strconv.ParseFloat`, failing on overflow) and [`Raw::check_interface`] (decoding
//!   into `any`, where every number must fit a `float64`);
//! * struct-field matching (exact, else Go's case folding, which changed in Go 1.21) —
//!   [`fold`];
//! * decoding into existing Go values (structs, slices, maps, pointers, `[]byte`) —
//!   [`decode`].
//!
//! A [`Raw`] is a view of one value inside a document; children are found by
//! scanning over their siblings, so nothing here recurses on the input's depth.
//! c/image's "paranoid" object reader, which reports every problem precisely, is
//! `crate::signature::strict_json`, built on the same scanner.

pub(crate) mod decode;
mod error;
pub(crate) mod fold;
mod scan;

pub use error::{JsonFormatError, JsonKind};
pub(crate) use scan::Cursor;

/// Go's `encoding/json` scanner nesting limit (`maxNestingDepth`).
pub(crate) const MAX_DEPTH: usize = 10_000;

/// What a float must fit, in [`JsonFormatError::NumberOutOfRange`].
const FLOAT_RANGE: &str = "a number within the range of a 64-bit float";

/// A JSON value's bytes, and where they start in the document being parsed (for
/// error positions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Raw<'a> {
    /// The value's exact bytes.
    pub(crate) bytes: &'a [u8],
    /// The offset of `bytes` in the whole document.
    pub(crate) offset: usize,
}

/// Go's `checkValid`: `input` must be exactly one JSON value with optional
/// surrounding whitespace. Returns that value (without the whitespace).
pub(crate) fn document(input: &[u8]) -> Result<Raw<'_>, JsonFormatError> {
    let mut cur = Cursor::new(Raw::document(input));
    let value = cur.value()?;
    cur.skip_ws();
    if !cur.at_end() {
        return Err(cur.syntax("the end of the document after the top-level value"));
    }
    Ok(value)
}

/// The first JSON value of `input`, as Go's `json.Decoder.Decode` reads it: leading
/// whitespace skipped, anything after the value ignored.
pub(crate) fn first_value(input: &[u8]) -> Result<Raw<'_>, JsonFormatError> {
    Cursor::new(Raw::document(input)).value()
}

impl<'a> Raw<'a> {
    /// A whole document.
    pub(crate) fn document(bytes: &'a [u8]) -> Self {
        Raw { bytes, offset: 0 }
    }

    /// Whether the raw value is exactly the four bytes `null`.
    pub(crate) fn is_null_literal(&self) -> bool {
        self.bytes == b"null"
    }

    /// The kind of a syntactically valid value, decided by its first byte.
    pub(crate) fn kind(&self) -> JsonKind {
        match self.bytes.first() {
            Some(b'{') => JsonKind::Object,
            Some(b'[') => JsonKind::Array,
            Some(b'"') => JsonKind::String,
            Some(b't' | b'f') => JsonKind::Bool,
            Some(b'n') => JsonKind::Null,
            _ => JsonKind::Number,
        }
    }

    /// The bytes as text (numbers and literals are ASCII), for messages.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(self.bytes).into_owned()
    }

    /// The members of an object, in document order with duplicates, keys decoded.
    /// An error (a syntax error) if this is not an object.
    pub(crate) fn members(&self) -> Result<Vec<(String, Raw<'a>)>, JsonFormatError> {
        let mut cur = Cursor::new(*self);
        cur.expect(b'{', "the start of a JSON object")?;
        let mut out = Vec::new();
        while let Some(key) = cur.next_key(out.is_empty())? {
            out.push((key, cur.value()?));
        }
        Ok(out)
    }

    /// The elements of an array, in order. An error (a syntax error) if this is not an
    /// array.
    pub(crate) fn elements(&self) -> Result<Vec<Raw<'a>>, JsonFormatError> {
        let mut cur = Cursor::new(*self);
        cur.expect(b'[', "the start of a JSON array")?;
        let mut out = Vec::new();
        while cur.next_element(out.is_empty())? {
            out.push(cur.value()?);
        }
        Ok(out)
    }

    /// The decoded text of a string value ([`unquote`]). `None` if not a string.
    pub(crate) fn string(&self) -> Option<String> {
        (self.kind() == JsonKind::String).then(|| unquote(self.bytes))
    }

    /// The number as Go's `strconv.ParseInt(text, 10, 64)` reads it (what decoding
    /// into a Go `int` or `int64` does): `None` for fractions, exponents and
    /// out-of-range values, and for anything but a number.
    pub(crate) fn go_int(&self) -> Option<i64> {
        self.go_integer()
    }

    /// The number as Go's `strconv.ParseInt`/`ParseUint` read it into an integer type
    /// of `T`'s size. On a JSON number literal (no `+`, no `_`), Rust's `FromStr` of the
    /// integer types accepts exactly what Go's parsers accept.
    pub(crate) fn go_integer<T: std::str::FromStr>(&self) -> Option<T> {
        if self.kind() != JsonKind::Number {
            return None;
        }
        std::str::from_utf8(self.bytes).ok()?.parse().ok()
    }

    /// The number as Go's `strconv.ParseFloat(text, 64)` reads it (what decoding into a
    /// `float64` or an `interface{}` does): `None` when it overflows to ±infinity,
    /// which Go reports as an `UnmarshalTypeError`; an underflow is 0.
    pub(crate) fn go_float(&self) -> Option<f64> {
        if self.kind() != JsonKind::Number {
            return None;
        }
        let value = std::str::from_utf8(self.bytes).ok()?.parse::<f64>().ok()?;
        value.is_finite().then_some(value)
    }

    /// Whether decoding this value into a Go `interface{}` succeeds: it fails only when
    /// some number inside overflows `float64` ([`JsonFormatError::NumberOutOfRange`]
    /// naming `path`).
    pub(crate) fn check_interface(
        &self,
        path: &dyn std::fmt::Display,
    ) -> Result<(), JsonFormatError> {
        Cursor::new(*self)
            .skip_value(true)
            .map_err(|err| match err {
                JsonFormatError::NumberOutOfRange {
                    literal, expected, ..
                } => JsonFormatError::NumberOutOfRange {
                    path: path.to_string(),
                    literal,
                    expected,
                },
                other => other,
            })
    }

    /// [`Raw::check_interface`] as a yes/no answer.
    pub(crate) fn decodes_as_interface(&self) -> bool {
        self.check_interface(&"").is_ok()
    }
}

/// Decodes a JSON string literal (with its quotes, known to be valid) the way Go's
/// `unquote` does: escapes resolved, a `\uXXXX` surrogate pair combined, a lone
/// surrogate escape and every byte of invalid UTF-8 replaced by U+FFFD (Go's
/// `utf8.DecodeRune` consumes one byte on error).
pub(crate) fn unquote(literal: &[u8]) -> String {
    let inner = literal
        .get(1..literal.len().saturating_sub(1))
        .unwrap_or_default();
    let mut out = String::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let rest = inner.get(i..).unwrap_or_default();
        let Some(&b) = rest.first() else { break };
        if b != b'\\' {
            // A run of non-escape bytes, decoded with one U+FFFD per invalid byte.
            let run_len = rest.iter().position(|&c| c == b'\\').unwrap_or(rest.len());
            for chunk in rest.get(..run_len).unwrap_or_default().utf8_chunks() {
                out.push_str(chunk.valid());
                for _ in chunk.invalid() {
                    out.push(char::REPLACEMENT_CHARACTER);
                }
            }
            i += run_len;
            continue;
        }
        let esc = rest.get(1).copied().unwrap_or_default();
        i += 2;
        let simple = match esc {
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
            continue;
        }
        // `\uXXXX` (validated by the scanner).
        let unit = hex4(inner.get(i..).unwrap_or_default()).unwrap_or(0xFFFD);
        i += 4;
        if (0xD800..0xE000).contains(&unit) {
            // Go: a high surrogate followed by an escaped low one is a pair; any other
            // surrogate becomes U+FFFD and the next escape stands alone.
            let low = inner
                .get(i..)
                .and_then(|next| next.strip_prefix(b"\\u"))
                .and_then(hex4);
            match low {
                Some(lo @ 0xDC00..=0xDFFF) if (0xD800..0xDC00).contains(&unit) => {
                    let c = 0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(lo) - 0xDC00);
                    out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                    i += 6;
                }
                _ => out.push(char::REPLACEMENT_CHARACTER),
            }
        } else {
            out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
    }
    out
}

/// The value of the four hex digits at the start of `bytes`.
fn hex4(bytes: &[u8]) -> Option<u16> {
    let digits = bytes.get(..4)?;
    if !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(text: &[u8]) -> bool {
        document(text).is_ok()
    }

    fn value(text: &'static str) -> Raw<'static> {
        Raw::document(text.as_bytes())
    }

    #[test]
    fn validation_follows_go_grammar() {
        for ok in [
            "{}",
            " [1, -0, 0.5, 1e9, 1E+2, -3.25e-7] ",
            r#"{"a":{"b":[true,false,null,"\u00e9\ud800"]}}"#,
            "\"x\"",
        ] {
            assert!(valid(ok.as_bytes()), "{ok}");
        }
        assert!(valid(b"\"\xff\xfe\""));
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
            assert!(!valid(bad.as_bytes()), "{bad:?}");
        }
    }

    #[test]
    fn nesting_limit_is_go_s() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(valid(deep(10_000).as_bytes()));
        assert!(matches!(
            document(deep(10_001).as_bytes()),
            Err(JsonFormatError::TooDeep { .. })
        ));
        // Reading a deep document does not recurse.
        let doc = format!("{{\"a\":{},\"b\":1}}", deep(9_999));
        assert!(!valid(format!("{{\"a\":{}}}", deep(10_000)).as_bytes()));
        let members = document(doc.as_bytes()).unwrap().members().unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(members[1].1.go_int(), Some(1));
    }

    #[test]
    fn trailing_data_and_first_value() {
        assert_eq!(
            document(b" {} ").unwrap(),
            Raw {
                bytes: b"{}",
                offset: 1
            }
        );
        assert!(document(b"{} x").is_err());
        assert_eq!(first_value(b" {} x").unwrap().bytes, b"{}");
        assert!(first_value(b" ").is_err());
    }

    #[test]
    fn strings_decode_like_go() {
        let s = |raw: &[u8]| unquote(raw);
        assert_eq!(s(br#""""#), "");
        assert_eq!(s(br#""a\"\\\/\b\f\n\r\t""#), "a\"\\/\u{8}\u{c}\n\r\t");
        assert_eq!(s(br#""\u00e9\ud83d\ude00""#), "é😀");
        assert_eq!(s(br#""\ud800x""#), "\u{FFFD}x");
        assert_eq!(s(br#""\udc00\ud800\u0041""#), "\u{FFFD}\u{FFFD}A");
        assert_eq!(s(br#""\ud800\ud800\udc00""#), "\u{FFFD}\u{10000}");
        assert_eq!(s(br#""\uDBFF\uDFFF""#), "\u{10FFFF}");
        assert_eq!(s(br#""\u00e9\u0000""#), "\u{e9}\u{0}");
        assert_eq!(s(b"\"a\xffb\xe2\x82\""), "a\u{FFFD}b\u{FFFD}\u{FFFD}");
        assert_eq!(s(b"\"\xed\xa0\x80\""), "\u{FFFD}\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn numbers_convert_like_go() {
        assert_eq!(value("12").go_int(), Some(12));
        assert_eq!(value("-0").go_int(), Some(0));
        assert_eq!(value("1.0").go_int(), None);
        assert_eq!(value("1e2").go_int(), None);
        assert_eq!(value("9223372036854775808").go_int(), None);
        assert_eq!(value("-9223372036854775808").go_int(), Some(i64::MIN));
        assert_eq!(value("\"1\"").go_int(), None);
        assert_eq!(value("255").go_integer::<u8>(), Some(255));
        assert_eq!(value("256").go_integer::<u8>(), None);
        assert_eq!(value("-0").go_integer::<u8>(), None);
        assert_eq!(value("1e308").go_float(), Some(1e308));
        assert_eq!(value("1e309").go_float(), None);
        assert_eq!(value("1e-400").go_float(), Some(0.0));
        assert!(value(r#"{"a":[1e308,"1e999"]}"#).decodes_as_interface());
        assert!(!value(r#"{"a":[-1e999]}"#).decodes_as_interface());
        assert!(matches!(
            value(r#"{"a":[-1e999]}"#).check_interface(&"$.x"),
            Err(JsonFormatError::NumberOutOfRange { path, literal, .. })
                if path == "$.x" && literal == "-1e999"
        ));
    }

    #[test]
    fn lenient_iteration_keeps_duplicates() {
        let doc = Raw::document(br#" { "a" : 1 , "a" : [ 2 , 3 ] , "b":{} } "#);
        let members = doc.members().unwrap();
        let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "a", "b"]);
        let arr = members.get(1).map(|m| m.1).unwrap();
        assert_eq!(arr.offset, 19);
        assert_eq!(arr.elements().unwrap().len(), 2);
        assert!(Raw::document(b"[ ]").elements().unwrap().is_empty());
        assert!(Raw::document(b"{ }").members().unwrap().is_empty());
        assert!(Raw::document(b"[]").members().is_err());
        assert!(Raw::document(b"{}").elements().is_err());
    }
}
