//! c/image's "paranoid" JSON object reader (`signature/internal/json.go`,
//! signature-formats.md §2), with the parts of Go's `encoding/json` that decide which
//! documents are accepted.
//!
//! The reader works on bytes, the way Go's decoder does:
//!
//! * The grammar is RFC 8259 with Go's scanner limits: at most [`MAX_DEPTH`] nested
//!   arrays/objects, raw control characters rejected inside strings, bytes that are not
//!   valid UTF-8 accepted inside strings and each replaced by U+FFFD when decoded, and
//!   an unpaired UTF-16 surrogate escape decoded as U+FFFD.
//! * [`read_object`] is `ParanoidUnmarshalJSONObject`: the value must be an object,
//!   keys are compared after unescaping and case-sensitively, a repeated key or a key
//!   the caller does not know is an error, members are decoded one by one in document
//!   order (so the first problem in the document is the one reported), and nothing but
//!   whitespace may follow the object.
//! * [`read_object_exact`] is `ParanoidUnmarshalJSONObjectExactFields`: additionally
//!   every listed key must be present.
//! * Member values are decoded with Go's rules for the destination type ([`Kind`]):
//!   `null` leaves a string or number unchanged (it reads as "present, zero value"),
//!   integers must be integer literals in range, floats must be finite, a raw slot keeps
//!   the exact bytes (so `null` stays the text `null`).

use std::fmt;

use super::error::{JsonFormatError, JsonKind};

/// Go's `encoding/json` scanner nesting limit (`maxNestingDepth`).
pub(crate) const MAX_DEPTH: usize = 10_000;

/// A JSON value's bytes, and where they start in the document being parsed (for
/// error positions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Raw<'a> {
    /// The value's exact bytes.
    pub(crate) bytes: &'a [u8],
    /// The offset of `bytes` in the whole document.
    pub(crate) offset: usize,
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
}

/// How a member's value is decoded: the Go type of the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Go `string`: a JSON string; `null` reads as absent-but-present (`None`).
    String,
    /// Go `int64`: an integer literal within range; `null` reads as `None`.
    Integer,
    /// Go `float64`: any number literal with a finite value; `null` reads as `None`.
    Number,
    /// Go `json.RawMessage`: any value, kept as bytes.
    Raw,
    /// A Go type with its own `UnmarshalJSON` that accepts anything: any value.
    Accept,
    /// Go `any`, then discarded: any value whose numbers all fit a `float64`
    /// (Go's decoder rejects `1e400` even when it is thrown away).
    Ignore,
}

/// A decoded member value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Decoded<'a> {
    /// [`Kind::String`]; `None` for `null`.
    String(Option<String>),
    /// [`Kind::Integer`]; `None` for `null`.
    Integer(Option<i64>),
    /// [`Kind::Number`]; `None` for `null`.
    Number(Option<f64>),
    /// [`Kind::Raw`].
    Raw(Raw<'a>),
    /// [`Kind::Accept`] or [`Kind::Ignore`].
    Discarded,
}

/// One member of an object, in document order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Member<'a> {
    /// The key, unescaped.
    pub(crate) key: String,
    /// The decoded value.
    pub(crate) value: Decoded<'a>,
}

/// The members of an object read by [`read_object`], in document order.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Members<'a>(pub(crate) Vec<Member<'a>>);

impl<'a> Members<'a> {
    fn get(&self, key: &str) -> Option<&Decoded<'a>> {
        self.0.iter().find(|m| m.key == key).map(|m| &m.value)
    }

    /// A string member: `None` when absent, `Some("")` when `null` (Go's no-op).
    pub(crate) fn string(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Decoded::String(s) => Some(s.clone().unwrap_or_default()),
            _ => None,
        }
    }

    /// A float member: `None` when absent, `Some(0.0)` when `null`.
    pub(crate) fn number(&self, key: &str) -> Option<f64> {
        match self.get(key)? {
            Decoded::Number(n) => Some(n.unwrap_or_default()),
            _ => None,
        }
    }

    /// A raw member.
    pub(crate) fn raw(&self, key: &str) -> Option<Raw<'a>> {
        match self.get(key)? {
            Decoded::Raw(raw) => Some(*raw),
            _ => None,
        }
    }
}

/// `ParanoidUnmarshalJSONObject`: reads `input` as one object, asking `resolve` for the
/// destination kind of each key (`None`: the key is unknown). `path` names the object
/// in errors (`$`, `$.critical`, ...).
pub(crate) fn read_object<'a>(
    input: Raw<'a>,
    path: &str,
    mut resolve: impl FnMut(&str) -> Option<Kind>,
) -> Result<Members<'a>, JsonFormatError> {
    let mut cur = Cursor::new(input);
    cur.skip_ws();
    match cur.peek() {
        Some(b'{') => cur.pos += 1,
        Some(_) => {
            let start = cur.pos;
            cur.skip_value(false)?;
            return Err(JsonFormatError::ObjectExpected {
                path: path.to_owned(),
                found: kind_of(input.bytes.get(start..).unwrap_or_default()),
            });
        }
        None => return Err(cur.syntax("the start of a JSON object")),
    }
    let mut members: Vec<Member<'a>> = Vec::new();
    cur.skip_ws();
    if cur.peek() == Some(b'}') {
        cur.pos += 1;
    } else {
        loop {
            cur.skip_ws();
            if cur.peek() != Some(b'"') {
                return Err(cur.syntax("a string object key"));
            }
            let key = cur.string()?;
            if members.iter().any(|m| m.key == key) {
                return Err(JsonFormatError::DuplicateKey {
                    path: path.to_owned(),
                    key,
                });
            }
            let Some(kind) = resolve(&key) else {
                return Err(JsonFormatError::UnknownKey {
                    path: path.to_owned(),
                    key,
                });
            };
            cur.skip_ws();
            if cur.peek() != Some(b':') {
                return Err(cur.syntax("':' after an object key"));
            }
            cur.pos += 1;
            cur.skip_ws();
            let start = cur.pos;
            cur.skip_value(false)?;
            let raw = cur.slice(start);
            let value = decode(raw, kind, &member_path(path, &key))?;
            members.push(Member { key, value });
            cur.skip_ws();
            match cur.peek() {
                Some(b',') => cur.pos += 1,
                Some(b'}') => {
                    cur.pos += 1;
                    break;
                }
                _ => return Err(cur.syntax("',' or '}' after an object member")),
            }
        }
    }
    cur.skip_ws();
    if cur.pos < input.bytes.len() {
        return Err(JsonFormatError::TrailingData {
            offset: input.offset + cur.pos,
        });
    }
    Ok(Members(members))
}

/// `ParanoidUnmarshalJSONObjectExactFields`: like [`read_object`], with exactly the
/// keys of `fields`, each required. When several are missing, the first in `fields` is
/// reported (c/image names a random one).
pub(crate) fn read_object_exact<'a>(
    input: Raw<'a>,
    path: &str,
    fields: &[(&str, Kind)],
) -> Result<Members<'a>, JsonFormatError> {
    let members = read_object(input, path, |key| {
        fields.iter().find(|(name, _)| *name == key).map(|f| f.1)
    })?;
    for (name, _) in fields {
        if members.get(name).is_none() {
            return Err(JsonFormatError::MissingKey {
                path: path.to_owned(),
                key: (*name).to_owned(),
            });
        }
    }
    Ok(members)
}

/// Checks that `input` is exactly one JSON value (with surrounding whitespace), as Go's
/// `json.Unmarshal` does before decoding anything.
pub(crate) fn validate_document(input: &[u8]) -> Result<(), JsonFormatError> {
    let mut cur = Cursor::new(Raw::document(input));
    cur.skip_ws();
    cur.skip_value(false)?;
    cur.skip_ws();
    if cur.pos < input.len() {
        return Err(cur.syntax("the end of the document after the top-level value"));
    }
    Ok(())
}

/// The members of an object that is known to be valid JSON, in document order, with
/// duplicates (for Go's lenient struct decoding).
pub(crate) fn object_members(input: Raw<'_>) -> Result<Vec<(String, Raw<'_>)>, JsonFormatError> {
    let mut cur = Cursor::new(input);
    let mut out = Vec::new();
    cur.skip_ws();
    if cur.peek() != Some(b'{') {
        return Err(cur.syntax("the start of a JSON object"));
    }
    cur.pos += 1;
    loop {
        cur.skip_ws();
        match cur.peek() {
            Some(b'}') => return Ok(out),
            Some(b',') => {
                cur.pos += 1;
                cur.skip_ws();
            }
            _ => {}
        }
        if cur.peek() != Some(b'"') {
            return Err(cur.syntax("a string object key"));
        }
        let key = cur.string()?;
        cur.skip_ws();
        if cur.peek() != Some(b':') {
            return Err(cur.syntax("':' after an object key"));
        }
        cur.pos += 1;
        cur.skip_ws();
        let start = cur.pos;
        cur.skip_value(false)?;
        out.push((key, cur.slice(start)));
    }
}

/// The elements of an array that is known to be valid JSON.
pub(crate) fn array_elements(input: Raw<'_>) -> Result<Vec<Raw<'_>>, JsonFormatError> {
    let mut cur = Cursor::new(input);
    let mut out = Vec::new();
    cur.skip_ws();
    if cur.peek() != Some(b'[') {
        return Err(cur.syntax("the start of a JSON array"));
    }
    cur.pos += 1;
    loop {
        cur.skip_ws();
        match cur.peek() {
            Some(b']') => return Ok(out),
            Some(b',') => cur.pos += 1,
            _ => {}
        }
        cur.skip_ws();
        let start = cur.pos;
        cur.skip_value(false)?;
        out.push(cur.slice(start));
    }
}

/// `path.key`, for error messages.
pub(crate) fn member_path(path: &str, key: &str) -> String {
    format!("{path}.{key}")
}

/// The JSON kind of a value that is known to be syntactically valid.
fn kind_of(bytes: &[u8]) -> JsonKind {
    match bytes.first() {
        Some(b'{') => JsonKind::Object,
        Some(b'[') => JsonKind::Array,
        Some(b'"') => JsonKind::String,
        Some(b't' | b'f') => JsonKind::Bool,
        Some(b'n') => JsonKind::Null,
        _ => JsonKind::Number,
    }
}

/// Decodes a syntactically valid value into `kind`, with Go's rules.
fn decode<'a>(raw: Raw<'a>, kind: Kind, path: &str) -> Result<Decoded<'a>, JsonFormatError> {
    let found = kind_of(raw.bytes);
    let mismatch = |expected: &'static str| JsonFormatError::TypeMismatch {
        path: path.to_owned(),
        expected,
        found,
    };
    match kind {
        Kind::Raw => Ok(Decoded::Raw(raw)),
        Kind::Accept => Ok(Decoded::Discarded),
        Kind::Ignore => {
            // Go decodes into `any` after checking the syntax: numbers must fit a float64.
            let mut cur = Cursor::new(raw);
            cur.skip_value(true).map_err(|err| match err {
                JsonFormatError::NumberOutOfRange {
                    literal, expected, ..
                } => JsonFormatError::NumberOutOfRange {
                    path: path.to_owned(),
                    literal,
                    expected,
                },
                other => other,
            })?;
            Ok(Decoded::Discarded)
        }
        Kind::String => match found {
            JsonKind::Null => Ok(Decoded::String(None)),
            JsonKind::String => Ok(Decoded::String(Some(unquote(raw.bytes)))),
            _ => Err(mismatch("a string")),
        },
        Kind::Integer => match found {
            JsonKind::Null => Ok(Decoded::Integer(None)),
            JsonKind::Number => {
                let text = std::str::from_utf8(raw.bytes).unwrap_or_default();
                text.parse::<i64>()
                    .map(|n| Decoded::Integer(Some(n)))
                    .map_err(|_| JsonFormatError::NumberOutOfRange {
                        path: path.to_owned(),
                        literal: text.to_owned(),
                        expected: "an integer between -2^63 and 2^63-1",
                    })
            }
            _ => Err(mismatch("an integer")),
        },
        Kind::Number => match found {
            JsonKind::Null => Ok(Decoded::Number(None)),
            JsonKind::Number => {
                let text = std::str::from_utf8(raw.bytes).unwrap_or_default();
                parse_float(text)
                    .map(|n| Decoded::Number(Some(n)))
                    .ok_or_else(|| JsonFormatError::NumberOutOfRange {
                        path: path.to_owned(),
                        literal: text.to_owned(),
                        expected: "a number within the range of a 64-bit float",
                    })
            }
            _ => Err(mismatch("a number")),
        },
    }
}

/// Go's `strconv.ParseFloat(s, 64)` on a valid JSON number: `None` when out of range.
fn parse_float(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Decodes a JSON string literal (with its quotes, known to be valid) the way Go's
/// `unquote` does: invalid UTF-8 bytes and unpaired surrogate escapes become U+FFFD.
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
            push_lossy_per_byte(&mut out, rest.get(..run_len).unwrap_or_default());
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
            let next = inner.get(i..).unwrap_or_default();
            let low = if next.first() == Some(&b'\\') && next.get(1) == Some(&b'u') {
                hex4(next.get(2..).unwrap_or_default())
            } else {
                None
            };
            match low {
                Some(lo @ 0xDC00..=0xDFFF) if (0xD800..0xDC00).contains(&unit) => {
                    let c = 0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(lo) - 0xDC00);
                    out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                    i += 6;
                }
                _ => out.push('\u{FFFD}'),
            }
        } else {
            out.push(char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}'));
        }
    }
    out
}

/// Appends `bytes` as text, each byte of an invalid UTF-8 sequence becoming U+FFFD
/// (Go's `utf8.DecodeRune` consumes one byte on error).
pub(crate) fn push_lossy_per_byte(out: &mut String, bytes: &[u8]) {
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for _ in chunk.invalid() {
            out.push('\u{FFFD}');
        }
    }
}

/// The value of four hex digits.
fn hex4(bytes: &[u8]) -> Option<u16> {
    let digits = bytes.get(..4)?;
    if !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

/// A position in a value being scanned.
struct Cursor<'a> {
    input: Raw<'a>,
    pos: usize,
}

/// What the scanner saw where it expected something else.
struct Found(Option<u8>);

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("the end of the input"),
            Some(b) if (0x20..0x7F).contains(&b) => write!(f, "{:?}", char::from(b)),
            Some(b) => write!(f, "byte {b:#04x}"),
        }
    }
}

impl<'a> Cursor<'a> {
    fn new(input: Raw<'a>) -> Self {
        Cursor { input, pos: 0 }
    }

    /// The bytes from `start` to the cursor.
    fn slice(&self, start: usize) -> Raw<'a> {
        Raw {
            bytes: self.input.bytes.get(start..self.pos).unwrap_or_default(),
            offset: self.input.offset + start,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.input.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn syntax(&self, expected: &'static str) -> JsonFormatError {
        JsonFormatError::Syntax {
            offset: self.input.offset + self.pos,
            expected,
            found: Found(self.peek()).to_string(),
        }
    }

    /// Reads a string literal at the cursor and returns it decoded.
    fn string(&mut self) -> Result<String, JsonFormatError> {
        let start = self.pos;
        self.skip_string()?;
        Ok(unquote(
            self.input.bytes.get(start..self.pos).unwrap_or_default(),
        ))
    }

    /// Skips a string literal (the cursor is on its opening quote).
    fn skip_string(&mut self) -> Result<(), JsonFormatError> {
        self.pos += 1;
        loop {
            match self.peek() {
                None => return Err(self.syntax("the end of a string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.pos += 1;
                        }
                        Some(b'u') => {
                            self.pos += 1;
                            for _ in 0..4 {
                                if !self.peek().is_some_and(|b| b.is_ascii_hexdigit()) {
                                    return Err(self.syntax("a hexadecimal digit in a \\u escape"));
                                }
                                self.pos += 1;
                            }
                        }
                        _ => return Err(self.syntax("a valid escape character")),
                    }
                }
                Some(b) if b < 0x20 => {
                    return Err(
                        self.syntax("a string character (control characters must be escaped)")
                    );
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// Skips a number literal, checking Go's grammar.
    fn skip_number(&mut self) -> Result<(), JsonFormatError> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.skip_digits(),
            _ => return Err(self.syntax("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.syntax("a digit after the decimal point"));
            }
            self.skip_digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.syntax("a digit in the exponent"));
            }
            self.skip_digits();
        }
        Ok(())
    }

    fn skip_digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    fn skip_literal(&mut self, word: &'static [u8]) -> Result<(), JsonFormatError> {
        for &expected in word {
            if self.peek() != Some(expected) {
                return Err(self.syntax("a literal true, false or null"));
            }
            self.pos += 1;
        }
        Ok(())
    }

    /// Skips one complete value (iteratively, with Go's depth limit counted from this
    /// value). With `finite_numbers`, every number must also fit a `float64`, as when Go
    /// decodes into `any`.
    fn skip_value(&mut self, finite_numbers: bool) -> Result<(), JsonFormatError> {
        let mut stack: Vec<u8> = Vec::new();
        loop {
            // A value is expected here.
            self.skip_ws();
            match self.peek() {
                Some(open @ (b'{' | b'[')) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(JsonFormatError::TooDeep {
                            offset: self.input.offset + self.pos,
                            limit: MAX_DEPTH,
                        });
                    }
                    stack.push(open);
                    self.pos += 1;
                    self.skip_ws();
                    let close = if open == b'{' { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        stack.pop();
                    } else {
                        if open == b'{' {
                            self.skip_key()?;
                        }
                        continue;
                    }
                }
                Some(b'"') => self.skip_string()?,
                Some(b'-' | b'0'..=b'9') => {
                    let start = self.pos;
                    self.skip_number()?;
                    if finite_numbers {
                        let text = self.input.bytes.get(start..self.pos).unwrap_or_default();
                        let text = std::str::from_utf8(text).unwrap_or_default();
                        if parse_float(text).is_none() {
                            return Err(JsonFormatError::NumberOutOfRange {
                                path: String::new(),
                                literal: text.to_owned(),
                                expected: "a number within the range of a 64-bit float",
                            });
                        }
                    }
                }
                Some(b't') => self.skip_literal(b"true")?,
                Some(b'f') => self.skip_literal(b"false")?,
                Some(b'n') => self.skip_literal(b"null")?,
                _ => return Err(self.syntax("the beginning of a value")),
            }
            // After a value: close containers or move to the next element.
            loop {
                let Some(&top) = stack.last() else {
                    return Ok(());
                };
                self.skip_ws();
                match (top, self.peek()) {
                    (_, Some(b',')) => {
                        self.pos += 1;
                        if top == b'{' {
                            self.skip_ws();
                            self.skip_key()?;
                        }
                        break;
                    }
                    (b'{', Some(b'}')) | (b'[', Some(b']')) => {
                        self.pos += 1;
                        stack.pop();
                    }
                    (b'{', _) => return Err(self.syntax("',' or '}' after an object member")),
                    _ => return Err(self.syntax("',' or ']' after an array element")),
                }
            }
        }
    }

    /// Skips `"key" :` inside an object.
    fn skip_key(&mut self) -> Result<(), JsonFormatError> {
        if self.peek() != Some(b'"') {
            return Err(self.syntax("a string object key"));
        }
        self.skip_string()?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.syntax("':' after an object key"));
        }
        self.pos += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str, fields: &[(&str, Kind)]) -> Result<Members<'static>, JsonFormatError> {
        let bytes: &'static [u8] = Box::leak(json.as_bytes().to_vec().into_boxed_slice());
        read_object(Raw::document(bytes), "$", |key| {
            fields.iter().find(|(n, _)| *n == key).map(|f| f.1)
        })
    }

    const AB: &[(&str, Kind)] = &[("a", Kind::String), ("b", Kind::Integer)];

    #[test]
    fn members_are_optional_and_kept_in_order() {
        assert_eq!(read("{}", AB), Ok(Members::default()));
        let m = read(r#" {"b":2, "a":"x"} "#, AB).unwrap();
        let keys: Vec<&str> = m.0.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys, ["b", "a"]);
        assert_eq!(m.string("a").as_deref(), Some("x"));
        assert_eq!(
            m.0.first().map(|m| &m.value),
            Some(&Decoded::Integer(Some(2)))
        );
    }

    #[test]
    fn reader_errors() {
        type Check = fn(&JsonFormatError) -> bool;
        let cases: &[(&str, Check)] = &[
            ("", |e| matches!(e, JsonFormatError::Syntax { .. })),
            ("&", |e| matches!(e, JsonFormatError::Syntax { .. })),
            ("1", |e| {
                matches!(
                    e,
                    JsonFormatError::ObjectExpected {
                        found: JsonKind::Number,
                        ..
                    }
                )
            }),
            ("null", |e| {
                matches!(
                    e,
                    JsonFormatError::ObjectExpected {
                        found: JsonKind::Null,
                        ..
                    }
                )
            }),
            ("{&}", |e| matches!(e, JsonFormatError::Syntax { .. })),
            ("{1:1}", |e| matches!(e, JsonFormatError::Syntax { .. })),
            (r#"{"b":1, "b":1}"#, |e| {
                matches!(e, JsonFormatError::DuplicateKey { .. })
            }),
            (r#"{"zzz":1}"#, |e| {
                matches!(e, JsonFormatError::UnknownKey { .. })
            }),
            (r#"{"a":&}"#, |e| {
                matches!(e, JsonFormatError::Syntax { .. })
            }),
            (r#"{"a":1}"#, |e| {
                matches!(e, JsonFormatError::TypeMismatch { .. })
            }),
            (r#"{"a":"v"}{}"#, |e| {
                matches!(e, JsonFormatError::TrailingData { offset: 9 })
            }),
            (r#"{"a":"v"} x"#, |e| {
                matches!(e, JsonFormatError::TrailingData { offset: 10 })
            }),
            (r#"{"a":"v""#, |e| {
                matches!(e, JsonFormatError::Syntax { .. })
            }),
            (r#"{"a":"v" "b":1}"#, |e| {
                matches!(e, JsonFormatError::Syntax { .. })
            }),
            (r#"{"a" "v"}"#, |e| {
                matches!(e, JsonFormatError::Syntax { .. })
            }),
            (r#"{"b":1.0}"#, |e| {
                matches!(e, JsonFormatError::NumberOutOfRange { .. })
            }),
            (r#"{"b":1e3}"#, |e| {
                matches!(e, JsonFormatError::NumberOutOfRange { .. })
            }),
            (r#"{"b":9223372036854775808}"#, |e| {
                matches!(e, JsonFormatError::NumberOutOfRange { .. })
            }),
        ];
        for (json, check) in cases {
            let err = read(json, AB).unwrap_err();
            assert!(check(&err), "{json}: {err:?}");
        }
    }

    #[test]
    fn the_reader_stops_at_the_first_problem() {
        // Malformed JSON after an unknown key is never looked at (Go's streaming decoder).
        assert!(matches!(
            read(r#"{"zzz":1, &&&"#, AB),
            Err(JsonFormatError::UnknownKey { .. })
        ));
        assert!(matches!(
            read(r#"{"a":1, "zzz":1}"#, AB),
            Err(JsonFormatError::TypeMismatch { .. })
        ));
    }

    #[test]
    fn integer_and_null_decoding() {
        let m = read(r#"{"a":null,"b":null}"#, AB).unwrap();
        assert_eq!(m.string("a").as_deref(), Some(""));
        assert_eq!(m.0.get(1).map(|m| &m.value), Some(&Decoded::Integer(None)));
        let m = read(r#"{"b":-9223372036854775808}"#, AB).unwrap();
        assert_eq!(
            m.0.first().map(|m| &m.value),
            Some(&Decoded::Integer(Some(i64::MIN)))
        );
        let m = read(r#"{"b":-0}"#, AB).unwrap();
        assert_eq!(
            m.0.first().map(|m| &m.value),
            Some(&Decoded::Integer(Some(0)))
        );
    }

    #[test]
    fn raw_accept_and_ignore() {
        let fields = &[("r", Kind::Raw), ("x", Kind::Accept), ("i", Kind::Ignore)];
        let m = read(
            r#"{"r" : {"a":"b"} ,"x":[1e999],"i":{"k":[true,null,"s",-1.5e300]}}"#,
            fields,
        )
        .unwrap();
        let raw = m.raw("r").unwrap();
        assert_eq!(raw.bytes, br#"{"a":"b"}"#);
        assert_eq!(raw.offset, 7);
        let m = read(r#"{"r":null}"#, fields).unwrap();
        assert!(m.raw("r").is_some_and(|r| r.is_null_literal()));
        assert!(matches!(
            read(r#"{"i":{"k":[1e999]}}"#, fields),
            Err(JsonFormatError::NumberOutOfRange { path, .. }) if path == "$.i"
        ));
    }

    #[test]
    fn exact_fields_require_every_key() {
        let fields = &[("a", Kind::String), ("b", Kind::Number)];
        let doc = |s: &'static str| Raw::document(s.as_bytes());
        assert!(read_object_exact(doc(r#"{"b":3.5,"a":"x"}"#), "$", fields).is_ok());
        assert_eq!(
            read_object_exact(doc(r#"{"b":3.5}"#), "$", fields),
            Err(JsonFormatError::MissingKey {
                path: "$".into(),
                key: "a".into()
            })
        );
        assert!(read_object_exact(doc("{}"), "$", &[]).is_ok());
    }

    #[test]
    fn member_depth_counts_from_the_member() {
        // Standalone, like Go's Decoder.Decode per member: the value may itself be
        // 10000 levels deep.
        let deep = format!(
            "{{\"r\":{}{}}}",
            "[".repeat(MAX_DEPTH),
            "]".repeat(MAX_DEPTH)
        );
        let bytes: &'static [u8] = Box::leak(deep.into_bytes().into_boxed_slice());
        assert!(read_object(Raw::document(bytes), "$", |_| Some(Kind::Raw)).is_ok());
        // As a whole document it is one level too deep.
        assert!(matches!(
            validate_document(bytes),
            Err(JsonFormatError::TooDeep { .. })
        ));
    }

    #[test]
    fn unquote_go_semantics() {
        assert_eq!(unquote(br#""""#), "");
        assert_eq!(unquote(b"\"a\xffb\""), "a\u{FFFD}b");
        assert_eq!(unquote(b"\"\xed\xa0\x80\""), "\u{FFFD}\u{FFFD}\u{FFFD}");
        assert_eq!(unquote(br#""\ud800\ud800\udc00""#), "\u{FFFD}\u{10000}");
        assert_eq!(unquote(br#""\uDBFF\uDFFF""#), "\u{10FFFF}");
        assert_eq!(unquote(br#""\u00e9\u0000""#), "\u{e9}\u{0}");
    }

    #[test]
    fn lenient_iteration_keeps_duplicates() {
        let doc = Raw::document(br#" { "a" : 1 , "a" : [ 2 , 3 ] , "b":{} } "#);
        let members = object_members(doc).unwrap();
        let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "a", "b"]);
        let arr = members.get(1).map(|m| m.1).unwrap();
        let elements = array_elements(arr).unwrap();
        assert_eq!(elements.len(), 2);
        assert!(array_elements(Raw::document(b"[ ]")).unwrap().is_empty());
        assert!(object_members(Raw::document(b"{ }")).unwrap().is_empty());
    }
}
