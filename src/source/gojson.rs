//! Decoding JSON into Go-shaped structs the way Go's `encoding/json` does, for the
//! on-disk documents whose acceptance decides a verdict (`index.json`, sigstore
//! attachment manifests, GuessMIMEType).
//!
//! Go's decoder differs from a derived serde decoder in ways that change which
//! documents are accepted, so this module reproduces them:
//!
//! * object keys match struct fields case-insensitively (with Unicode's two
//!   non-ASCII folds onto ASCII letters: KELVIN SIGN → `k`, LONG S → `s`); unknown
//!   keys are ignored;
//! * a value is decoded *into* the existing one: a repeated key overwrites scalars,
//!   merges into maps and structs, and reuses slice elements (then truncates);
//! * `null` leaves strings, numbers and struct values unchanged and clears slices,
//!   maps and pointers;
//! * integers must be integer literals within range (`1.0` and `1e3` are errors);
//! * `[]byte` is standard base64 (padding required, CR/LF ignored);
//! * invalid UTF-8 and lone surrogate escapes become U+FFFD (see `crate::json`);
//! * `json.Unmarshal` rejects trailing data, `json.Decoder.Decode` ignores it.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A value that can be decoded in place, as Go decodes into an existing value.
pub(crate) trait GoDecode: Default {
    /// Decodes the next JSON value into `self`.
    fn decode_into<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error>;
}

/// A [`DeserializeSeed`] that decodes into an existing value.
struct Into<'a, T>(&'a mut T);

impl<'de, T: GoDecode> DeserializeSeed<'de> for Into<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.0.decode_into(deserializer)
    }
}

/// How much of the input Go reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trailing {
    /// `json.Unmarshal`: only whitespace may follow the value.
    Reject,
    /// `json.Decoder.Decode`: the first value is decoded, anything after it ignored.
    Ignore,
}

/// Decodes `input` into a fresh `T` as Go would; the error is a human-readable reason.
pub(crate) fn decode<T: GoDecode>(input: &[u8], trailing: Trailing) -> Result<T, String> {
    let text = crate::json::go_compatible_text(input);
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let mut value = T::default();
    value
        .decode_into(&mut deserializer)
        .map_err(|err| err.to_string())?;
    if trailing == Trailing::Reject {
        deserializer.end().map_err(|err| err.to_string())?;
    }
    Ok(value)
}

/// Whether the JSON object key `key` selects the Go struct field whose JSON name is
/// `name` (ASCII): Go's case-insensitive fallback match.
pub(crate) fn key_matches(key: &str, name: &str) -> bool {
    let mut name_bytes = name.bytes();
    for c in key.chars() {
        let Some(n) = name_bytes.next() else {
            return false;
        };
        let matches = match c {
            '\u{212A}' => n.eq_ignore_ascii_case(&b'k'),
            '\u{17F}' => n.eq_ignore_ascii_case(&b's'),
            c if c.is_ascii() => (c as u8).eq_ignore_ascii_case(&n),
            _ => false,
        };
        if !matches {
            return false;
        }
    }
    name_bytes.next().is_none()
}

/// Visits one map entry's key; the struct macros use it.
pub(crate) fn next_key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<String>, A::Error> {
    map.next_key::<String>()
}

/// Decodes the current map value into `target`.
pub(crate) fn next_value_into<'de, A: MapAccess<'de>, T: GoDecode>(
    map: &mut A,
    target: &mut T,
) -> Result<(), A::Error> {
    map.next_value_seed(Into(target))
}

/// Skips the current map value (an unknown field).
pub(crate) fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

// ---------------------------------------------------------------------------
// Scalars

/// Go `string`.
impl GoDecode for String {
    fn decode_into<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        struct V<'a>(&'a mut String);
        impl<'de> Visitor<'de> for V<'_> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
                v.clone_into(self.0);
                Ok(())
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
                *self.0 = v;
                Ok(())
            }
            fn visit_unit<E: de::Error>(self) -> Result<(), E> {
                Ok(())
            }
        }
        deserializer.deserialize_any(V(self))
    }
}

/// Go `int` / `int64`: an integer literal in range (decoded from the raw number
/// text, so `-0` is accepted and `1.0` / `1e3` are not, as with `strconv.ParseInt`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct GoInt(pub(crate) i64);

impl GoDecode for GoInt {
    fn decode_into<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        let raw =
            <Box<serde_json::value::RawValue> as serde::Deserialize>::deserialize(deserializer)?;
        let text = raw.get();
        if text == "null" {
            return Ok(());
        }
        let is_integer_literal = {
            let digits = text.strip_prefix('-').unwrap_or(text);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        };
        match text.parse::<i64>() {
            Ok(value) if is_integer_literal => {
                self.0 = value;
                Ok(())
            }
            _ => Err(de::Error::custom(format_args!(
                "cannot unmarshal {text} into an integer"
            ))),
        }
    }
}

/// Go `interface{}` / `any`, recording only whether it is non-nil.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct GoAny(pub(crate) bool);

impl GoDecode for GoAny {
    fn decode_into<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        let value = <Option<IgnoredAny> as serde::Deserialize>::deserialize(deserializer)?;
        self.0 = value.is_some();
        Ok(())
    }
}

/// Go `[]byte`: standard base64 with padding; Go's decoder skips CR and LF.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GoBytes(pub(crate) Vec<u8>);

impl GoDecode for GoBytes {
    fn decode_into<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        let value = <Option<String> as serde::Deserialize>::deserialize(deserializer)?;
        match value {
            None => self.0.clear(),
            Some(text) => {
                let cleaned: String = text.chars().filter(|&c| c != '\r' && c != '\n').collect();
                self.0 = GO_STD_BASE64.decode(cleaned).map_err(de::Error::custom)?;
            }
        }
        Ok(())
    }
}

/// Go's `base64.StdEncoding`: padded, and lenient about non-zero trailing bits.
const GO_STD_BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
);

// ---------------------------------------------------------------------------
// Containers

/// Go `[]T`: `null` clears; an array reuses existing elements, then truncates.
impl<T: GoDecode> GoDecode for Vec<T> {
    fn decode_into<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        struct V<'a, T>(&'a mut Vec<T>);
        impl<'de, T: GoDecode> Visitor<'de> for V<'_, T> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_unit<E: de::Error>(self) -> Result<(), E> {
                self.0.clear();
                Ok(())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
                let mut count = 0;
                loop {
                    if count >= self.0.len() {
                        self.0.push(T::default());
                    }
                    let Some(slot) = self.0.get_mut(count) else {
                        return Err(de::Error::custom("internal error: missing slice element"));
                    };
                    if seq.next_element_seed(Into(slot))?.is_none() {
                        break;
                    }
                    count += 1;
                }
                self.0.truncate(count);
                Ok(())
            }
        }
        deserializer.deserialize_any(V(self))
    }
}

/// Go `map[string]string`: `null` clears (nil); an object adds to the existing map;
/// a `null` entry stores `""`.
impl GoDecode for BTreeMap<String, String> {
    fn decode_into<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        struct V<'a>(&'a mut BTreeMap<String, String>);
        impl<'de> Visitor<'de> for V<'_> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of strings")
            }
            fn visit_unit<E: de::Error>(self) -> Result<(), E> {
                self.0.clear();
                Ok(())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                while let Some(key) = next_key(&mut map)? {
                    let mut value = String::new();
                    next_value_into(&mut map, &mut value)?;
                    self.0.insert(key, value);
                }
                Ok(())
            }
        }
        deserializer.deserialize_any(V(self))
    }
}

/// Go `*T`: `null` sets nil; anything else decodes into the (possibly new) target.
impl<T: GoDecode> GoDecode for Option<Box<T>> {
    fn decode_into<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        struct V<'a, T>(&'a mut Option<Box<T>>);
        impl<'de, T: GoDecode> Visitor<'de> for V<'_, T> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object or null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<(), E> {
                *self.0 = None;
                Ok(())
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
                let target = self.0.get_or_insert_with(Box::default);
                target.decode_into(de::value::MapAccessDeserializer::new(map))
            }
        }
        deserializer.deserialize_any(V(self))
    }
}

/// Declares a Go struct: its JSON field names and Rust field types. The decoder
/// matches keys with [`key_matches`], ignores unknown keys, treats `null` as a no-op
/// and refuses any non-object value.
macro_rules! go_struct {
    (
        $(#[$meta:meta])*
        $name:ident { $( $json:literal => $field:ident : $ty:ty ),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        #[allow(dead_code)] // Some fields exist only so that their type is checked, as in Go.
        pub(crate) struct $name {
            $( pub(crate) $field: $ty, )*
        }

        impl $crate::source::gojson::GoDecode for $name {
            fn decode_into<'de, D: serde::de::Deserializer<'de>>(
                &mut self,
                deserializer: D,
            ) -> Result<(), D::Error> {
                struct V<'a>(&'a mut $name);
                impl<'de> serde::de::Visitor<'de> for V<'_> {
                    type Value = ();
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a JSON object (", stringify!($name), ")"))
                    }
                    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
                        Ok(())
                    }
                    #[allow(unused_variables, unused_mut)]
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<(), A::Error> {
                        while let Some(key) = $crate::source::gojson::next_key(&mut map)? {
                            $(
                                if $crate::source::gojson::key_matches(&key, $json) {
                                    $crate::source::gojson::next_value_into(
                                        &mut map,
                                        &mut self.0.$field,
                                    )?;
                                    continue;
                                }
                            )*
                            $crate::source::gojson::skip_value(&mut map)?;
                        }
                        Ok(())
                    }
                }
                deserializer.deserialize_any(V(self))
            }
        }
    };
}

pub(crate) use go_struct;

#[cfg(test)]
mod tests {
    use super::*;

    go_struct!(Sample {
        "name" => name: String,
        "size" => size: GoInt,
        "list" => list: Vec<Sample>,
        "map" => map: BTreeMap<String, String>,
        "ptr" => ptr: Option<Box<Sample>>,
        "any" => any: GoAny,
        "data" => data: GoBytes,
        "os.version" => os_version: String,
    });

    fn ok(input: &str) -> Sample {
        decode::<Sample>(input.as_bytes(), Trailing::Reject).unwrap()
    }

    #[test]
    fn keys_fold_case_and_the_two_unicode_letters() {
        assert!(key_matches("NAME", "name"));
        assert!(key_matches("OS.Version", "os.version"));
        assert!(key_matches("\u{17F}ize", "size"));
        assert!(key_matches("\u{212A}", "k"));
        assert!(!key_matches("names", "name"));
        assert!(!key_matches("nam", "name"));
        assert!(!key_matches("n\u{e4}me", "name"));
        assert_eq!(ok(r#"{"NaMe":"x","\u017fize":3}"#).size, GoInt(3));
    }

    #[test]
    fn repeated_keys_overwrite_merge_and_reuse() {
        let s = ok(r#"{"name":"a","Name":"b","map":{"x":"1"},"map":{"y":"2"}}"#);
        assert_eq!(s.name, "b");
        assert_eq!(s.map.len(), 2);
        let s = ok(r#"{"list":[{"name":"a","size":1},{"name":"b"}],"list":[{"name":"c"}]}"#);
        assert_eq!(s.list.len(), 1);
        assert_eq!(s.list[0].name, "c");
        assert_eq!(s.list[0].size, GoInt(1), "element reused, as Go does");
        let s = ok(r#"{"ptr":{"name":"a"},"ptr":{"size":2}}"#);
        let ptr = s.ptr.unwrap();
        assert_eq!((ptr.name.as_str(), ptr.size), ("a", GoInt(2)));
    }

    #[test]
    fn null_semantics() {
        let s = ok(
            r#"{"name":"a","name":null,"size":4,"size":null,"map":{"a":"b"},"map":null,"ptr":{},"ptr":null,"list":[{}],"list":null,"any":1,"any":null}"#,
        );
        assert_eq!(s.name, "a");
        assert_eq!(s.size, GoInt(4));
        assert!(s.map.is_empty() && s.ptr.is_none() && s.list.is_empty() && !s.any.0);
        assert_eq!(
            ok(r#"{"map":{"k":null}}"#).map.get("k").map(String::as_str),
            Some("")
        );
        assert_eq!(ok("null"), Sample::default());
    }

    #[test]
    fn integers_follow_parse_int() {
        assert_eq!(ok(r#"{"size":-0}"#).size, GoInt(0));
        assert_eq!(ok(r#"{"size":-12}"#).size, GoInt(-12));
        for bad in ["1.0", "1e3", "\"1\"", "true", "9223372036854775808", "[]"] {
            let input = format!(r#"{{"size":{bad}}}"#);
            assert!(
                decode::<Sample>(input.as_bytes(), Trailing::Reject).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn type_errors_in_known_fields_only() {
        assert!(
            ok(r#"{"unknown":{"deep":[1,2,{"x":null}]}}"#)
                .name
                .is_empty()
        );
        for bad in [
            r#"{"name":1}"#,
            r#"{"map":{"a":1}}"#,
            r#"{"list":{}}"#,
            r#"{"ptr":[]}"#,
            r#"{"data":"***"}"#,
            r#"{"data":"QQ"}"#,
            "[]",
            "\"x\"",
        ] {
            assert!(
                decode::<Sample>(bad.as_bytes(), Trailing::Reject).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn bytes_are_go_base64() {
        assert_eq!(ok(r#"{"data":"QUJD\r\nRA=="}"#).data.0, b"ABCD");
        assert_eq!(
            ok(r#"{"data":"QR=="}"#).data.0,
            b"A",
            "trailing bits allowed"
        );
    }

    #[test]
    fn trailing_data() {
        assert!(decode::<Sample>(b"{} x", Trailing::Reject).is_err());
        assert!(decode::<Sample>(b"{} x", Trailing::Ignore).is_ok());
        assert!(decode::<Sample>(b"{} \n", Trailing::Reject).is_ok());
        assert!(decode::<Sample>(b"{", Trailing::Ignore).is_err());
        assert!(decode::<Sample>(b"", Trailing::Ignore).is_err());
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let s = decode::<Sample>(b"{\"name\":\"a\xffb\"}", Trailing::Reject).unwrap();
        assert_eq!(s.name, "a\u{FFFD}b");
    }
}
