//! The byte-level scanner: Go's `encoding/json` grammar and limits, one value at a
//! time, iteratively.

use std::fmt;

use super::{JsonFormatError, MAX_DEPTH, Raw, unquote};

/// A position in a value being scanned.
pub(crate) struct Cursor<'a> {
    input: Raw<'a>,
    /// The offset of the next byte in `input.bytes`.
    pub(crate) pos: usize,
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
    /// A cursor at the start of `input`.
    pub(crate) fn new(input: Raw<'a>) -> Self {
        Cursor { input, pos: 0 }
    }

    /// The bytes from `start` to the cursor.
    pub(crate) fn slice(&self, start: usize) -> Raw<'a> {
        Raw {
            bytes: self.input.bytes.get(start..self.pos).unwrap_or_default(),
            offset: self.input.offset + start,
        }
    }

    /// The byte at the cursor.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.input.bytes.get(self.pos).copied()
    }

    /// Whether the cursor is past the last byte.
    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.input.bytes.len()
    }

    /// The offset of the cursor in the whole document.
    pub(crate) fn offset(&self) -> usize {
        self.input.offset + self.pos
    }

    /// Skips JSON whitespace (space, tab, LF, CR; not form feed or a BOM).
    pub(crate) fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// A syntax error at the cursor.
    pub(crate) fn syntax(&self, expected: &'static str) -> JsonFormatError {
        JsonFormatError::Syntax {
            offset: self.offset(),
            expected,
            found: Found(self.peek()).to_string(),
        }
    }

    /// Consumes `byte` (after whitespace), or fails expecting `expected`.
    pub(crate) fn expect(
        &mut self,
        byte: u8,
        expected: &'static str,
    ) -> Result<(), JsonFormatError> {
        self.skip_ws();
        if self.peek() != Some(byte) {
            return Err(self.syntax(expected));
        }
        self.pos += 1;
        Ok(())
    }

    /// The next object key, inside an object whose `{` was consumed: `None` at the
    /// closing `}` (consumed). `first` is whether no member was read yet. After a key,
    /// its `:` is consumed and [`Cursor::value`] reads the member's value.
    pub(crate) fn next_key(&mut self, first: bool) -> Result<Option<String>, JsonFormatError> {
        self.skip_ws();
        match self.peek() {
            Some(b'}') if first => {
                self.pos += 1;
                return Ok(None);
            }
            _ if first => {}
            Some(b',') => {
                self.pos += 1;
                self.skip_ws();
            }
            Some(b'}') => {
                self.pos += 1;
                return Ok(None);
            }
            _ => return Err(self.syntax("',' or '}' after an object member")),
        }
        if self.peek() != Some(b'"') {
            return Err(self.syntax("a string object key"));
        }
        let key = self.string()?;
        self.expect(b':', "':' after an object key")?;
        Ok(Some(key))
    }

    /// Whether an element follows, inside an array whose `[` was consumed: `false` at
    /// the closing `]` (consumed). `first` is whether no element was read yet.
    pub(crate) fn next_element(&mut self, first: bool) -> Result<bool, JsonFormatError> {
        self.skip_ws();
        match self.peek() {
            Some(b']') => {
                self.pos += 1;
                Ok(false)
            }
            _ if first => Ok(true),
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            _ => Err(self.syntax("',' or ']' after an array element")),
        }
    }

    /// Reads one complete value (after whitespace) and returns its bytes.
    pub(crate) fn value(&mut self) -> Result<Raw<'a>, JsonFormatError> {
        self.skip_ws();
        let start = self.pos;
        self.skip_value(false)?;
        Ok(self.slice(start))
    }

    /// Reads a string literal at the cursor and returns it decoded.
    fn string(&mut self) -> Result<String, JsonFormatError> {
        let start = self.pos;
        self.skip_string()?;
        Ok(unquote(
            self.input.bytes.get(start..self.pos).unwrap_or_default(),
        ))
    }

    /// Skips a string literal (the cursor is on its opening quote): control bytes are
    /// refused, escapes must be one of `"\/bfnrt` or `u` + 4 hex digits, any other
    /// byte, invalid UTF-8 included, is accepted.
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

    /// Skips a number literal, checking Go's grammar (RFC 8259's).
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

    /// Skips one complete value at the cursor (iteratively, with Go's depth limit
    /// counted from this value). With `finite_numbers`, every number must also fit a
    /// `float64`, as when Go decodes into `any` (the error's `path` is left empty).
    pub(crate) fn skip_value(&mut self, finite_numbers: bool) -> Result<(), JsonFormatError> {
        let mut stack: Vec<u8> = Vec::new();
        loop {
            // A value is expected here.
            self.skip_ws();
            match self.peek() {
                Some(open @ (b'{' | b'[')) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(JsonFormatError::TooDeep {
                            offset: self.offset(),
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
                        let literal = self.slice(start);
                        if literal.go_float().is_none() {
                            return Err(JsonFormatError::NumberOutOfRange {
                                path: String::new(),
                                literal: literal.text(),
                                expected: super::FLOAT_RANGE,
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
        self.expect(b':', "':' after an object key")
    }
}
