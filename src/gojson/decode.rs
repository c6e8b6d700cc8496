//! Decoding JSON into Go-shaped values the way Go's `encoding/json` does
//! (`json.Unmarshal` / `json.Decoder.Decode` into a struct), for c/image's lenient
//! readers: the sigstore signature blob, OCI `index.json`, sigstore attachment
//! manifests and `GuessMIMEType`.
//!
//! What differs from a derived serde decoder, and is reproduced here:
//!
//! * the whole value is checked first ([`super::document`]), so a syntax error
//!   anywhere wins over a type error;
//! * object keys select struct fields exactly, else case-insensitively with Go 1.21's
//!   folding ([`FOLD`]); unknown keys are ignored;
//! * a value is decoded *into* the existing one: a repeated key overwrites scalars,
//!   merges into maps and structs, and reuses a slice's backing array ([`GoSlice`]);
//! * `null` leaves strings, numbers and structs unchanged and clears slices, maps and
//!   pointers (`*string` included); a `json.RawMessage` ([`GoRawMessage`]) keeps any
//!   value as text, `null` too;
//! * integers must be integer literals within range (`1.0` and `1e3` are errors);
//!   a value decoded into `any` must have every number within `float64` range;
//! * `[]byte` is standard base64 (padding required, CR/LF ignored), or an array of
//!   numbers 0–255;
//! * errors are reported for the first problem in document order, with a JSONPath
//!   (`$.manifests[0].size`).
//!
//! Decoding recurses along the Go *type* (a struct into its fields), never deeper
//! than the type: unknown members are skipped by the iterative scanner. So the types
//! declared with [`go_struct!`] for untrusted input must not be recursive.

use std::collections::BTreeMap;
use std::fmt;

use super::fold::{GoFold, select_field};
use super::{FLOAT_RANGE, JsonFormatError, JsonKind, Raw, document, first_value, unquote};
use crate::go_encoding::base64_decode;

/// The key folding of the decoded structs: current c/image (Go ≥ 1.21), which is
/// what the sigstore blob format and the OCI layout source reproduce.
pub(crate) const FOLD: GoFold = GoFold::Go121;

/// Where a value is, for error messages: `$`, `$.key`, `$.key[0]`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Path<'p> {
    /// The whole document.
    Root,
    /// A member of an object (the key as written, unescaped).
    Member(&'p Path<'p>, &'p str),
    /// An element of an array.
    Index(&'p Path<'p>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => f.write_str("$"),
            Path::Member(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// A value that can be decoded in place, as Go decodes into an existing value.
pub(crate) trait GoDecode: Default {
    /// Decodes `value` (part of a validated document) into `self`.
    fn decode_into(&mut self, value: Raw<'_>, path: &Path<'_>) -> Result<(), JsonFormatError>;
}

/// [`GoDecode`] as a trait object, for the fields of a struct.
pub(crate) trait Field {
    /// [`GoDecode::decode_into`].
    fn decode_field(&mut self, value: Raw<'_>, path: &Path<'_>) -> Result<(), JsonFormatError>;
}

impl<T: GoDecode> Field for T {
    fn decode_field(&mut self, value: Raw<'_>, path: &Path<'_>) -> Result<(), JsonFormatError> {
        self.decode_into(value, path)
    }
}

/// How much of the input Go reads.
#[cfg_attr(not(feature = "fs"), allow(dead_code))] // Used by the `fs` sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trailing {
    /// `json.Unmarshal`: only whitespace may follow the value.
    Reject,
    /// `json.Decoder.Decode`: the first value is decoded, anything after it ignored.
    Ignore,
}

/// Decodes `input` into a fresh `T` as Go would.
pub(crate) fn decode<T: GoDecode>(input: &[u8], trailing: Trailing) -> Result<T, JsonFormatError> {
    let value = match trailing {
        Trailing::Reject => document(input)?,
        Trailing::Ignore => first_value(input)?,
    };
    let mut out = T::default();
    out.decode_into(value, &Path::Root)?;
    Ok(out)
}

/// Go's `UnmarshalTypeError`.
fn mismatch(path: &dyn fmt::Display, expected: &'static str, found: JsonKind) -> JsonFormatError {
    JsonFormatError::TypeMismatch {
        path: path.to_string(),
        expected,
        found,
    }
}

/// What an `int64` must fit, in [`JsonFormatError::NumberOutOfRange`].
pub(crate) const INT64_RANGE: &str = "an integer between -2^63 and 2^63-1";

/// Go's decoding of a value into a `string`: `Ok(None)` for `null`, which leaves the
/// string unchanged.
pub(crate) fn decode_string(
    value: Raw<'_>,
    path: &dyn fmt::Display,
) -> Result<Option<String>, JsonFormatError> {
    match value.kind() {
        JsonKind::String => Ok(Some(unquote(value.bytes))),
        JsonKind::Null => Ok(None),
        found => Err(mismatch(path, "a string", found)),
    }
}

/// Go's decoding of a value into an integer type the size of `T`
/// ([`Raw::go_integer`]): `Ok(None)` for `null`. `expected` names the type for a
/// non-number, `range` for a number that does not fit.
pub(crate) fn decode_integer<T: std::str::FromStr>(
    value: Raw<'_>,
    path: &dyn fmt::Display,
    expected: &'static str,
    range: &'static str,
) -> Result<Option<T>, JsonFormatError> {
    match value.kind() {
        JsonKind::Number => {
            value
                .go_integer()
                .map(Some)
                .ok_or_else(|| JsonFormatError::NumberOutOfRange {
                    path: path.to_string(),
                    literal: value.text(),
                    expected: range,
                })
        }
        JsonKind::Null => Ok(None),
        found => Err(mismatch(path, expected, found)),
    }
}

/// Go's decoding of a value into a `float64` ([`Raw::go_float`]): `Ok(None)` for
/// `null`.
pub(crate) fn decode_float(
    value: Raw<'_>,
    path: &dyn fmt::Display,
) -> Result<Option<f64>, JsonFormatError> {
    match value.kind() {
        JsonKind::Number => {
            value
                .go_float()
                .map(Some)
                .ok_or_else(|| JsonFormatError::NumberOutOfRange {
                    path: path.to_string(),
                    literal: value.text(),
                    expected: FLOAT_RANGE,
                })
        }
        JsonKind::Null => Ok(None),
        found => Err(mismatch(path, "a number", found)),
    }
}

/// Decodes an object into a Go struct whose JSON field names are `names` and whose
/// fields are `fields` (same order): `null` is a no-op, anything but an object an
/// error; members are decoded in document order into the field [`select_field`]
/// picks, unknown ones skipped.
pub(crate) fn decode_struct(
    value: Raw<'_>,
    path: &Path<'_>,
    names: &[&str],
    fields: &mut [&mut dyn Field],
) -> Result<(), JsonFormatError> {
    match value.kind() {
        JsonKind::Null => return Ok(()),
        JsonKind::Object => {}
        found => return Err(mismatch(path, "an object", found)),
    }
    for (key, member) in value.members()? {
        if let Some(field) = select_field(&key, names, FOLD).and_then(|i| fields.get_mut(i)) {
            field.decode_field(member, &Path::Member(path, &key))?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Scalars

/// Go `string`: `null` leaves it unchanged.
impl GoDecode for String {
    fn decode_into(&mut self, value: Raw<'_>, path: &Path<'_>) -> Result<(), JsonFormatError> {
        if let Some(text) = decode_string(value, path)? {
            *self = text;
        }
        Ok(())
    }
}

/// Go `int` / `int64`: an integer literal in range ([`Raw::go_int`]); `null` leaves it
/// unchanged.
#[cfg_attr(not(feature = "fs"), allow(dead_code))] // Used by the `fs` sources.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct GoInt(pub(crate) i64);

impl GoDecode for GoInt {
    fn decode_into(&mut self, value: Raw<'_>, path: &Path<'_>) -> Result<(), JsonFormatError> {
        if let Some(n) = decode_integer(value, path, "an integer", INT64_RANGE)? {
            self.0 = n;
        }
        Ok(())
    }
}

/// Go `uint8` (a `[]byte` element): an integer literal from 0 to 255; `null` leaves it
/// unchanged.
impl GoDecode for u8 {
    fn decode_into(&mut self, value: Raw<'_>, path: &Path<'_>) -> Result<(), JsonFormatError> {
        if let Some(byte) = decode_integer(value, path, "a number", "an integer from 0 to 255")? {
            *self = byte;
        }
        Ok(())
    }
}

/// Go `interface{}` / `any`, recording only whether it is non-nil. Any value decodes,
/// provided every number in it fits a `float64`.
#[cfg_attr(not(feature = "fs"), allow(dead_code))] // Used by the `fs` sources.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct GoAny(pub(crate) bool);

impl GoDecode for GoAny {
    fn decode_into(&mut self, value: Raw<'_>, path: &Path<'_>) -> Result<(), JsonFormatError> {
        value.check_interface(path)?;
        self.0 = value.kind() != JsonKind::Null;
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Containers

/// Go `[]T`: the backing array (which a later decode reuses: elements past the length
/// but within the capacity keep their old values) and the length. `null` makes it nil;
/// an empty array makes a fresh empty slice; an array decodes element by element into
/// the backing array, growing it with zero values, then sets the length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GoSlice<T> {
    backing: Vec<T>,
    len: usize,
}

impl<T> Default for GoSlice<T> {
    fn default() -> Self {
        GoSlice {
            backing: Vec::new(),
            len: 0,
        }
    }
}

impl<T> GoSlice<T> {
    /// The slice's elements.
    pub(crate) fn as_slice(&self) -> &[T] {
        self.backing.get(..self.len).unwrap_or_default()
    }

    /// The slice's elements, owned.
    pub(crate) fn into_vec(mut self) -> Vec<T> {
        self.backing.truncate(self.len);
        self.backing
    }
}

impl<T: GoDecode> GoSlice<T> {
    /// Decodes an array (Go's `decodeState.array` for a slice).
    fn decode_array(&mut self, value: Raw<'_>, path: &Path<'_>) -> Result<(), JsonFormatError> {
        let elements = value.elements()?;
        if elements.is_empty() {
            *self = GoSlice::default();
            return Ok(());
        }
        for (i, element) in elements.iter().enumerate() {
            if i >= self.backing.len() {
                self.backing.push(T::default());
            }
            self.len = self.len.max(i + 1);
            if let Some(slot) = self.backing.get_mut(i) {
                slot.decode_into(*element, &Path::Index(path, i))?;
            }
        }
        self.len = elements.len();
        Ok(())
    }
}

impl<T: GoDecode> GoDecode for GoSlice<T> {
    fn decode_into(&mut self, value: Raw<'_>, path: &Path<'_>) -> Result<(), JsonFormatError> {
        match value.kind() {
            JsonKind::Null => *self = GoSlice::default(),
            JsonKind::Array => self.decode_array(value, path)?,
            found => return Err(mismatch(path, "an array", found)),
        }
        Ok(())
    }
}

/// Go `[]byte`: a base64 string (a fresh backing array), or like any slice an array
/// of numbers 0–255 or `null`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GoBytes(pub(crate) GoSlice<u8>);

impl GoBytes {
    /// The bytes.
    pub(crate) fn as_slice(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// The bytes, owned.
    pub(crate) fn into_vec(self) -> Vec<u8> {
        self.0.into_vec()
    }
}

impl GoDecode for GoBytes {
    fn decode_into(&mut self, value: Raw<'_>, path: &Path<'_>) -> Result<(), JsonFormatError> {
        match value.kind() {
            JsonKind::String => {
                let backing = base64_decode(unquote(value.bytes).as_bytes()).map_err(|reason| {
                    JsonFormatError::InvalidBase64 {
                        path: path.to_string(),
                        reason,
                    }
                })?;
                self.0 = GoSlice {
                    len: backing.len(),
                    backing,
                };
            }
            JsonKind::Null | JsonKind::Array => self.0.decode_into(value, path)?,
            found => return Err(mismatch(path, "a base64 string", found)),
        }
        Ok(())
    }
}

/// Go `map[string]string`: `null` makes it nil; an object adds to the existing map
/// (each entry decoded into a fresh string, so a `null` entry stores `""`).
impl GoDecode for BTreeMap<String, String> {
    fn decode_into(&mut self, value: Raw<'_>, path: &Path<'_>) -> Result<(), JsonFormatError> {
        match value.kind() {
            JsonKind::Null => self.clear(),
            JsonKind::Object => {
                for (key, member) in value.members()? {
                    let mut text = String::new();
                    text.decode_into(member, &Path::Member(path, &key))?;
                    self.insert(key, text);
                }
            }
            found => return Err(mismatch(path, "an object of strings", found)),
        }
        Ok(())
    }
}

/// Go `*string`: `null` sets nil; a string replaces the target.
impl GoDecode for Option<String> {
    fn decode_into(&mut self, value: Raw<'_>, path: &Path<'_>) -> Result<(), JsonFormatError> {
        *self = decode_string(value, path)?;
        Ok(())
    }
}

/// Go `json.RawMessage`: a copy of the value's text, whatever it is (`null` is kept as
/// the text `null`, numbers are not checked); a repeated key replaces it. `None` while
/// no member has been decoded into it (a nil `RawMessage`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GoRawMessage(pub(crate) Option<Vec<u8>>);

impl GoDecode for GoRawMessage {
    fn decode_into(&mut self, value: Raw<'_>, _path: &Path<'_>) -> Result<(), JsonFormatError> {
        self.0 = Some(value.bytes.to_vec());
        Ok(())
    }
}

/// Go `*T`: `null` sets nil; anything else decodes into the (possibly new) target.
impl<T: GoDecode> GoDecode for Option<Box<T>> {
    fn decode_into(&mut self, value: Raw<'_>, path: &Path<'_>) -> Result<(), JsonFormatError> {
        if value.kind() == JsonKind::Null {
            *self = None;
            return Ok(());
        }
        self.get_or_insert_with(Box::default)
            .decode_into(value, path)
    }
}

/// Declares a Go struct: its JSON field names and Rust field types, decoded with
/// [`decode_struct`].
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

        impl $crate::gojson::decode::GoDecode for $name {
            fn decode_into(
                &mut self,
                value: $crate::gojson::Raw<'_>,
                path: &$crate::gojson::decode::Path<'_>,
            ) -> Result<(), $crate::gojson::JsonFormatError> {
                $crate::gojson::decode::decode_struct(
                    value,
                    path,
                    &[$($json),*],
                    &mut [$(&mut self.$field as &mut dyn $crate::gojson::decode::Field),*],
                )
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
        "list" => list: GoSlice<Sample>,
        "map" => map: BTreeMap<String, String>,
        "ptr" => ptr: Option<Box<Sample>>,
        "any" => any: GoAny,
        "data" => data: GoBytes,
        "os.version" => os_version: String,
    });

    fn ok(input: &str) -> Sample {
        decode::<Sample>(input.as_bytes(), Trailing::Reject).unwrap()
    }

    fn err(input: &str) -> JsonFormatError {
        decode::<Sample>(input.as_bytes(), Trailing::Reject).unwrap_err()
    }

    #[test]
    fn keys_fold_case_and_the_unicode_letters() {
        assert_eq!(ok(r#"{"NaMe":"x","\u017fize":3}"#).size, GoInt(3));
        assert_eq!(ok(r#"{"s\u0131ze":5}"#).size, GoInt(5), "Go 1.21 folding");
        assert_eq!(ok(r#"{"OS.Version":"v"}"#).os_version, "v");
        assert_eq!(ok(r#"{"n\u00e4me":"x"}"#).name, "");
    }

    #[test]
    fn repeated_keys_overwrite_merge_and_reuse() {
        let s = ok(r#"{"name":"a","Name":"b","map":{"x":"1"},"map":{"y":"2"}}"#);
        assert_eq!(s.name, "b");
        assert_eq!(s.map.len(), 2);
        let s = ok(r#"{"list":[{"name":"a","size":1},{"name":"b"}],"list":[{"name":"c"}]}"#);
        assert_eq!(s.list.as_slice().len(), 1);
        assert_eq!(s.list.as_slice()[0].name, "c");
        assert_eq!(
            s.list.as_slice()[0].size,
            GoInt(1),
            "element reused, as Go does"
        );
        let s = ok(r#"{"ptr":{"name":"a"},"ptr":{"size":2}}"#);
        let ptr = s.ptr.unwrap();
        assert_eq!((ptr.name.as_str(), ptr.size), ("a", GoInt(2)));
    }

    #[test]
    fn slices_reuse_their_backing_array() {
        // Go keeps elements past the length within the capacity.
        let s = ok(r#"{"list":[{"name":"a"},{"name":"b"}],"list":[{}],"list":[{},{}]}"#);
        let names: Vec<&str> = s.list.as_slice().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        // An empty array is a fresh slice; null is nil.
        let s = ok(r#"{"list":[{"name":"a"}],"list":[],"list":[{}]}"#);
        assert_eq!(s.list.into_vec(), [Sample::default()]);
        let s = ok(r#"{"list":[{"name":"a"}],"list":null,"list":[{}]}"#);
        assert_eq!(s.list.into_vec(), [Sample::default()]);
    }

    #[test]
    fn null_semantics() {
        let s = ok(
            r#"{"name":"a","name":null,"size":4,"size":null,"map":{"a":"b"},"map":null,"ptr":{},"ptr":null,"list":[{}],"list":null,"any":1,"any":null}"#,
        );
        assert_eq!(s.name, "a");
        assert_eq!(s.size, GoInt(4));
        assert!(s.map.is_empty() && s.ptr.is_none() && s.list.as_slice().is_empty() && !s.any.0);
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
            ok(r#"{"unknown":{"deep":[1,2,{"x":null}]},"other":1e999}"#)
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
            r#"{"data":[256]}"#,
            r#"{"any":[1e999]}"#,
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
    fn errors_name_the_path() {
        let path = |e: JsonFormatError| match e {
            JsonFormatError::TypeMismatch { path, .. }
            | JsonFormatError::NumberOutOfRange { path, .. }
            | JsonFormatError::InvalidBase64 { path, .. } => path,
            other => panic!("{other:?}"),
        };
        assert_eq!(path(err(r#"{"list":[{},{"SIZE":1.5}]}"#)), "$.list[1].SIZE");
        assert_eq!(path(err(r#"{"ptr":{"map":{"k":[]}}}"#)), "$.ptr.map.k");
        assert_eq!(path(err(r#"{"any":{"a":[1e999]}}"#)), "$.any");
        assert_eq!(path(err(r#"{"data":[1,-1]}"#)), "$.data[1]");
        assert_eq!(path(err("true")), "$");
        // Syntax first, wherever it is.
        assert!(matches!(
            err(r#"{"name":1,"x":[}"#),
            JsonFormatError::Syntax { .. }
        ));
    }

    #[test]
    fn bytes_are_go_base64_or_numbers() {
        assert_eq!(ok(r#"{"data":"QUJD\r\nRA=="}"#).data.as_slice(), b"ABCD");
        assert_eq!(
            ok(r#"{"data":"QR=="}"#).data.as_slice(),
            b"A",
            "trailing bits allowed"
        );
        assert_eq!(ok(r#"{"data":[65,null,67]}"#).data.as_slice(), b"A\0C");
        assert_eq!(
            ok(r#"{"data":"YWJj","data":[null,120]}"#).data.as_slice(),
            b"ax"
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
    fn invalid_utf8_is_replaced_and_depth_is_go_s() {
        let s = decode::<Sample>(b"{\"name\":\"a\xffb\"}", Trailing::Reject).unwrap();
        assert_eq!(s.name, "a\u{FFFD}b");
        let deep = format!(r#"{{"x":{}{}}}"#, "[".repeat(9_999), "]".repeat(9_999));
        assert!(decode::<Sample>(deep.as_bytes(), Trailing::Reject).is_ok());
    }
}
