//! The policy reader's text pre-pass: the parts of Go's `encoding/json` text handling
//! that change which documents are accepted, applied before serde_json reads them.
//!
//! * Go accepts invalid UTF-8 inside strings and lone UTF-16 surrogate escapes
//!   (`"\ud800"`), replacing them with U+FFFD; serde_json rejects both. [`go_compatible_text`]
//!   rewrites the input the way Go reads it, so the verdicts agree (spec §2.1).
//! * serde_json reports positions relative to the text it reads; when we re-read a
//!   captured fragment we translate its positions back to the whole document.

use std::borrow::Cow;

/// The replacement Go's decoder puts in place of each invalid byte.
const REPLACEMENT: &str = "\u{FFFD}";

/// Returns `input` as text the way Go's `encoding/json` decodes it: each byte of an
/// invalid UTF-8 sequence becomes U+FFFD, and each `\uXXXX` escape of an unpaired
/// UTF-16 surrogate becomes `\uFFFD` (same length, so positions do not move).
pub(crate) fn go_compatible_text(input: &[u8]) -> Cow<'_, str> {
    let text = match std::str::from_utf8(input) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            let mut out = String::with_capacity(input.len() + 16);
            for chunk in input.utf8_chunks() {
                out.push_str(chunk.valid());
                for _ in chunk.invalid() {
                    out.push_str(REPLACEMENT);
                }
            }
            Cow::Owned(out)
        }
    };
    if !text.contains("\\u") {
        return text;
    }
    match replace_lone_surrogates(&text) {
        Some(fixed) => Cow::Owned(fixed),
        None => text,
    }
}

/// The value of the four hex digits after a `\u` at `bytes[at..]`, if they are hex.
fn hex4(bytes: &[u8], at: usize) -> Option<u16> {
    let digits = bytes.get(at..at.checked_add(4)?)?;
    let text = std::str::from_utf8(digits).ok()?;
    u16::from_str_radix(text, 16).ok()
}

/// Rewrites unpaired surrogate escapes; `None` when there are none.
fn replace_lone_surrogates(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut lone: Vec<usize> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'\\' {
            i += 1;
            continue;
        }
        // An escape: `\u` + 4 hex digits, or `\` + one character.
        if bytes.get(i + 1) != Some(&b'u') {
            i += 2;
            continue;
        }
        let Some(unit) = hex4(bytes, i + 2) else {
            i += 2;
            continue;
        };
        match unit {
            0xD800..=0xDBFF => {
                let low = (bytes.get(i + 6) == Some(&b'\\') && bytes.get(i + 7) == Some(&b'u'))
                    .then(|| hex4(bytes, i + 8))
                    .flatten();
                if matches!(low, Some(0xDC00..=0xDFFF)) {
                    i += 12;
                } else {
                    lone.push(i);
                    i += 6;
                }
            }
            0xDC00..=0xDFFF => {
                lone.push(i);
                i += 6;
            }
            _ => i += 6,
        }
    }
    if lone.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for at in lone {
        out.push_str(text.get(last..at)?);
        out.push_str("\\uFFFD");
        last = at + 6;
    }
    out.push_str(text.get(last..)?);
    Some(out)
}

/// The line and column (serde_json's convention: 1-based lines, byte columns) of the
/// position reported as (`line`, `column`) by a reader of `text.get(offset..)`.
pub(crate) fn absolute_position(
    text: &str,
    offset: usize,
    line: usize,
    column: usize,
) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let lines_before = before.bytes().filter(|&b| b == b'\n').count();
    if line <= 1 {
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (lines_before + 1, offset - line_start + column)
    } else {
        (lines_before + line, column)
    }
}

/// serde_json's message without its trailing " at line L column C".
pub(crate) fn message_without_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(at) if err.line() > 0 => text.get(..at).unwrap_or(&text).to_owned(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_text_is_borrowed() {
        assert!(matches!(
            go_compatible_text(b"{\"a\":\"\\u00e9\"}"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn invalid_utf8_bytes_each_become_a_replacement_character() {
        // Go's decoder replaces each byte of an invalid sequence (utf8.DecodeRune
        // returns width 1), so a truncated 4-byte sequence gives three U+FFFD.
        let text = go_compatible_text(b"\"a\xF0\x9F\x98\"");
        assert_eq!(text, "\"a\u{FFFD}\u{FFFD}\u{FFFD}\"");
    }

    #[test]
    fn lone_surrogates_are_replaced_and_pairs_kept() {
        assert_eq!(go_compatible_text(br#""\ud800""#), r#""\uFFFD""#);
        assert_eq!(go_compatible_text(br#""\udc00x""#), r#""\uFFFDx""#);
        assert_eq!(
            go_compatible_text(br#""\ud83d\ude00""#),
            r#""\ud83d\ude00""#
        );
        // A high surrogate followed by a non-surrogate escape: only the high one goes.
        assert_eq!(
            go_compatible_text(br#""\ud800\u0041""#),
            r#""\uFFFD\u0041""#
        );
        // An escaped backslash followed by text is not an escape.
        assert_eq!(go_compatible_text(br#""\\ud800""#), r#""\\ud800""#);
    }

    #[test]
    fn positions_of_fragments_translate_to_the_document() {
        let doc = "{\n  \"a\": {\"b\": 1}\n}";
        let offset = doc.find("{\"b\"").unwrap_or_default();
        assert_eq!(absolute_position(doc, offset, 1, 3), (2, 10));
        assert_eq!(absolute_position(doc, offset, 2, 4), (3, 4));
    }
}
