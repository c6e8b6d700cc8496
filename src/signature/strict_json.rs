//! c/image's "paranoid" JSON object reader (`signature/internal/json.go`,
//! signature-formats.md §2), on top of the crate's Go-compatible JSON scanner
//! (`crate::gojson`).
//!
//! * The grammar, limits and string and number rules are Go's `encoding/json`'s (see
//!   `crate::gojson`): at most [`MAX_DEPTH`](crate::gojson::MAX_DEPTH) nested arrays/objects, raw control
//!   characters rejected inside strings, bytes that are not valid UTF-8 accepted inside
//!   strings and each replaced by U+FFFD when decoded, and an unpaired UTF-16 surrogate
//!   escape decoded as U+FFFD.
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

pub(crate) use crate::gojson::Raw;
use crate::gojson::decode::{INT64_RANGE, decode_float, decode_integer, decode_string};
use crate::gojson::{Cursor, JsonFormatError, document};
#[cfg(test)]
use crate::gojson::{JsonKind, MAX_DEPTH};

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
///
/// The object is read as a stream, like Go's `json.Decoder`: the first problem in
/// document order is the one reported, and nothing after it is looked at.
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
            return Err(JsonFormatError::ObjectExpected {
                path: path.to_owned(),
                found: cur.value()?.kind(),
            });
        }
        None => return Err(cur.syntax("the start of a JSON object")),
    }
    let mut members: Vec<Member<'a>> = Vec::new();
    while let Some(key) = cur.next_key(members.is_empty())? {
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
        let value = decode(cur.value()?, kind, &member_path(path, &key))?;
        members.push(Member { key, value });
    }
    cur.skip_ws();
    if !cur.at_end() {
        return Err(JsonFormatError::TrailingData {
            offset: cur.offset(),
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
    document(input).map(|_| ())
}

/// `path.key`, for error messages.
fn member_path(path: &str, key: &str) -> String {
    format!("{path}.{key}")
}

/// Decodes a syntactically valid value into `kind`, with Go's rules.
fn decode<'a>(raw: Raw<'a>, kind: Kind, path: &str) -> Result<Decoded<'a>, JsonFormatError> {
    match kind {
        Kind::Raw => Ok(Decoded::Raw(raw)),
        Kind::Accept => Ok(Decoded::Discarded),
        Kind::Ignore => raw.check_interface(&path).map(|()| Decoded::Discarded),
        Kind::String => decode_string(raw, &path).map(Decoded::String),
        Kind::Integer => {
            decode_integer(raw, &path, "an integer", INT64_RANGE).map(Decoded::Integer)
        }
        Kind::Number => decode_float(raw, &path).map(Decoded::Number),
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
}
