//! The strict policy.json reader (policy-semantics.md §2, §3, §5, §6.1).
//!
//! It accepts exactly the documents containers/image accepts:
//!
//! 1. The whole text must be JSON (checked first, as Go's `json.Unmarshal` does, so
//!    syntax errors are reported before anything else).
//! 2. Every object rejects unknown and duplicate keys (c/image's "paranoid" reader),
//!    the transport and scope maps included; scope keys are validated by their
//!    transport.
//! 3. Requirements and identities are read in two passes like c/image: a lenient look
//!    at `type` to pick the type, then a strict read of that type.
//! 4. Go's value quirks are reproduced where they change a verdict: `null` reads as
//!    `""` for strings and as "present but nil" for lists and base64 data, base64
//!    ignores `\r` and `\n`, and the "present" versus "non-empty" rules of `signedBy`
//!    and `sigstoreSigned` differ (§2.2).
//!
//! Errors record the JSON path where they happen and, through serde_json, the line and
//! column; the first error in document order wins.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::error::{JsonPath, JsonType, PathSegment, PolicyError, PolicyErrorKind, Position};
use super::go_text;
use super::identity::{ExactReference, ExactRepository, RemapIdentity, SignedIdentity};
use super::requirement::{
    CertSource, Fulcio, GpgKeySource, KeyType, Pki, RekorKeys, Requirement, SignedBaseLayer,
    SignedBy, SigstoreKeys, SigstoreSigned,
};
use super::{MAX_POLICY_SIZE, Policy, Scopes};
use crate::go_encoding;
use crate::transport;

/// Parses policy.json bytes.
pub(crate) fn parse_policy(input: &[u8]) -> Result<Policy, PolicyError> {
    let size = u64::try_from(input.len()).unwrap_or(u64::MAX);
    if size > MAX_POLICY_SIZE {
        return Err(PolicyError::new(
            PolicyErrorKind::TooLarge {
                size,
                limit: MAX_POLICY_SIZE,
            },
            JsonPath::root(),
        ));
    }
    let text = go_text::go_compatible_text(input);
    let text: &str = &text;
    if let Err(err) = serde_json::from_str::<IgnoredAny>(text) {
        let position = (err.line() > 0).then(|| Position {
            line: err.line(),
            column: err.column(),
        });
        return Err(PolicyError::new(
            PolicyErrorKind::Syntax {
                message: go_text::message_without_position(&err),
            },
            JsonPath::root(),
        )
        .with_position(position));
    }
    let ctx = Ctx::new(text);
    match ctx.read_fragment(text, Seed(PolicyV { ctx: &ctx })) {
        Ok(policy) => Ok(policy),
        Err(_) => Err(ctx.into_error(text)),
    }
}

/// The state shared by all visitors of one parse: the current JSON path and the
/// first error.
struct Ctx {
    /// Address of the whole text, to place fragments in it.
    base: usize,
    path: RefCell<Vec<PathSegment>>,
    error: RefCell<Option<Recorded>>,
}

struct Recorded {
    kind: PolicyErrorKind,
    path: Vec<PathSegment>,
    /// Byte offset in the whole text, once known.
    offset: Option<usize>,
}

impl Ctx {
    fn new(text: &str) -> Self {
        Self {
            base: text.as_ptr() as usize,
            path: RefCell::new(Vec::with_capacity(8)),
            error: RefCell::new(None),
        }
    }

    /// Records `kind` at the current path (unless an earlier error is recorded) and
    /// returns a serde error that unwinds the parse.
    fn fail<E: de::Error>(&self, kind: PolicyErrorKind) -> E {
        let message = kind.to_string();
        let mut slot = self.error.borrow_mut();
        if slot.is_none() {
            *slot = Some(Recorded {
                kind,
                path: self.path.borrow().clone(),
                offset: None,
            });
        }
        E::custom(message)
    }

    fn push(&self, segment: PathSegment) {
        self.path.borrow_mut().push(segment);
    }

    fn pop(&self) {
        self.path.borrow_mut().pop();
    }

    /// Reads `fragment` (a slice of the whole text) with `seed`, and places the first
    /// error's position in the whole text.
    fn read_fragment<'de, S: DeserializeSeed<'de>>(
        &self,
        fragment: &'de str,
        seed: S,
    ) -> Result<S::Value, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(fragment);
        let result = seed
            .deserialize(&mut de)
            .and_then(|value| de.end().map(|()| value));
        if let Err(err) = &result {
            self.locate(fragment, err);
        }
        result
    }

    fn locate(&self, fragment: &str, err: &serde_json::Error) {
        let fragment_offset = (fragment.as_ptr() as usize).checked_sub(self.base);
        let offset = match (fragment_offset, err.line()) {
            (Some(start), line) if line > 0 => {
                index_in(fragment, line, err.column()).map(|i| start + i)
            }
            _ => None,
        };
        let mut slot = self.error.borrow_mut();
        match slot.as_mut() {
            Some(recorded) => {
                if recorded.offset.is_none() {
                    recorded.offset = offset;
                }
            }
            None => {
                // A serde_json error we did not raise ourselves (should not happen
                // after the syntax pass); keep it rather than lose it.
                *slot = Some(Recorded {
                    kind: PolicyErrorKind::Syntax {
                        message: go_text::message_without_position(err),
                    },
                    path: self.path.borrow().clone(),
                    offset,
                });
            }
        }
    }

    fn into_error(self, text: &str) -> PolicyError {
        match self.error.into_inner() {
            Some(recorded) => {
                let position = recorded.offset.map(|offset| {
                    let (line, column) = go_text::absolute_position(text, offset, 1, 0);
                    Position { line, column }
                });
                PolicyError::new(recorded.kind, JsonPath::from_segments(recorded.path))
                    .with_position(position)
            }
            None => PolicyError::new(
                PolicyErrorKind::Syntax {
                    message: "unknown parse failure".to_owned(),
                },
                JsonPath::root(),
            ),
        }
    }

    /// Reads the members of an object with a fixed set of keys, rejecting unknown and
    /// duplicate keys; `member` reads the value of `keys[index]`. Returns the set of
    /// keys seen as a bit mask.
    fn object<'de, A: MapAccess<'de>>(
        &self,
        map: &mut A,
        spec: &ObjectSpec,
        mut member: impl FnMut(usize, &mut A) -> Result<(), A::Error>,
    ) -> Result<u32, A::Error> {
        let mut seen = 0u32;
        while let Some(key) = map.next_key::<String>()? {
            let index = spec.keys.iter().position(|k| *k == key);
            self.push(PathSegment::Key(key.clone()));
            let Some(index) = index else {
                return Err(self.fail(PolicyErrorKind::UnknownKey {
                    key,
                    context: spec.context,
                    allowed: spec.keys,
                }));
            };
            let bit = 1u32 << index;
            if seen & bit != 0 {
                return Err(self.fail(PolicyErrorKind::DuplicateKey { key }));
            }
            seen |= bit;
            member(index, map)?;
            self.pop();
        }
        Ok(seen)
    }

    /// Reads every element of an array with a fresh seed each, at the path extended by
    /// the element's index.
    fn elements<'de, A: SeqAccess<'de>, S: DeserializeSeed<'de>>(
        &self,
        seq: &mut A,
        mut seed: impl FnMut() -> S,
    ) -> Result<Vec<S::Value>, A::Error> {
        let mut out = Vec::new();
        loop {
            self.push(PathSegment::Index(out.len()));
            let Some(item) = seq.next_element_seed(seed())? else {
                self.pop();
                return Ok(out);
            };
            self.pop();
            out.push(item);
        }
    }

    /// Reads `fragment` with `seed` at the path extended by `key`.
    fn read_member_fragment<'de, S: DeserializeSeed<'de>, E: de::Error>(
        &self,
        key: &str,
        fragment: &'de str,
        seed: S,
    ) -> Result<S::Value, E> {
        self.push(PathSegment::Key(key.to_owned()));
        let value = self
            .read_fragment(fragment, seed)
            .map_err(|e| E::custom(e.to_string()))?;
        self.pop();
        Ok(value)
    }
}

/// The byte index in `text` of serde_json's (line, column).
fn index_in(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut line_start = 0;
    if line > 1 {
        let (i, _) = text.match_indices('\n').nth(line - 2)?;
        line_start = i + 1;
    }
    Some(line_start + column)
}

/// The keys an object type allows, and how to name it in messages.
struct ObjectSpec {
    context: &'static str,
    keys: &'static [&'static str],
}

impl ObjectSpec {
    fn has(&self, seen: u32, key: &str) -> bool {
        self.keys
            .iter()
            .position(|k| *k == key)
            .is_some_and(|i| seen & (1 << i) != 0)
    }

    /// The first key of `keys` that is absent.
    fn first_missing(&self, seen: u32) -> Option<&'static str> {
        self.keys
            .iter()
            .enumerate()
            .find(|(i, _)| seen & (1 << i) == 0)
            .map(|(_, k)| *k)
    }
}

// ---------------------------------------------------------------------------------
// A visitor adapter: each reader implements only the JSON types it accepts; every
// other type is a structured `WrongType` error.

trait JsonVisitor<'de>: Sized {
    type Value;

    fn ctx(&self) -> &Ctx;

    /// What the position requires, for `WrongType` errors.
    fn expected(&self) -> &'static str;

    fn wrong<E: de::Error>(&self, found: JsonType) -> E {
        self.ctx().fail(PolicyErrorKind::WrongType {
            expected: self.expected(),
            found,
        })
    }

    fn null<E: de::Error>(self) -> Result<Self::Value, E> {
        Err(self.wrong(JsonType::Null))
    }

    fn string<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        let _ = value;
        Err(self.wrong(JsonType::String))
    }

    /// A non-negative integer literal (other numbers are always the wrong type here).
    fn unsigned<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        let _ = value;
        Err(self.wrong(JsonType::Number))
    }

    fn array<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let _ = seq;
        Err(self.wrong(JsonType::Array))
    }

    fn object<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let _ = map;
        Err(self.wrong(JsonType::Object))
    }
}

struct Seed<V>(V);

impl<'de, V: JsonVisitor<'de>> DeserializeSeed<'de> for Seed<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        deserializer.deserialize_any(Adapter(self.0, PhantomData))
    }
}

struct Adapter<'de, V>(V, PhantomData<&'de ()>);

impl<'de, V: JsonVisitor<'de>> Visitor<'de> for Adapter<'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.expected())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<V::Value, E> {
        Err(self.0.wrong(JsonType::Bool))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<V::Value, E> {
        Err(self.0.wrong(JsonType::Number))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<V::Value, E> {
        self.0.unsigned(value)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<V::Value, E> {
        Err(self.0.wrong(JsonType::Number))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<V::Value, E> {
        self.0.string(value)
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.null()
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.null()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.array(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.object(map)
    }
}

// ---------------------------------------------------------------------------------
// Leaf values.

/// A string; `null` reads as `""` (Go leaves the zero value).
struct StringV<'c>(&'c Ctx);

impl<'de> JsonVisitor<'de> for StringV<'_> {
    type Value = String;

    fn ctx(&self) -> &Ctx {
        self.0
    }

    fn expected(&self) -> &'static str {
        "a string"
    }

    fn null<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }

    fn string<E: de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }
}

/// An array of strings; `null` reads as absent (`None`), `null` elements as `""`.
struct StringListV<'c>(&'c Ctx);

impl<'de> JsonVisitor<'de> for StringListV<'_> {
    type Value = Option<Vec<String>>;

    fn ctx(&self) -> &Ctx {
        self.0
    }

    fn expected(&self) -> &'static str {
        "an array of strings"
    }

    fn null<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn array<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        self.0
            .elements(&mut seq, || Seed(StringV(self.0)))
            .map(Some)
    }
}

/// Go's `[]byte` JSON decoding: standard base64 with mandatory padding, where `\r` and
/// `\n` are ignored and non-zero trailing bits are tolerated.
fn decode_base64(value: &str) -> Result<Vec<u8>, PolicyErrorKind> {
    go_encoding::base64_decode(value.as_bytes())
        .map_err(|reason| PolicyErrorKind::InvalidBase64 { reason })
}

/// Binary data: Go's `[]byte` takes a base64 string or, like any slice, a JSON array
/// of integers 0–255 (`null` elements read as 0). `null` reads as absent (`None`);
/// `""` and `[]` as present and empty.
struct Base64V<'c>(&'c Ctx);

impl<'de> JsonVisitor<'de> for Base64V<'_> {
    type Value = Option<Vec<u8>>;

    fn ctx(&self) -> &Ctx {
        self.0
    }

    fn expected(&self) -> &'static str {
        "a base64 string or an array of bytes"
    }

    fn null<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn string<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        decode_base64(value)
            .map(Some)
            .map_err(|kind| self.0.fail(kind))
    }

    fn array<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        self.0.elements(&mut seq, || Seed(ByteV(self.0))).map(Some)
    }
}

/// One element of a `[]byte` written as an array: an integer literal 0–255, or `null`
/// for 0 (Go's `strconv.ParseUint` refuses fractions, exponents and signs).
struct ByteV<'c>(&'c Ctx);

impl<'de> JsonVisitor<'de> for ByteV<'_> {
    type Value = u8;

    fn ctx(&self) -> &Ctx {
        self.0
    }

    fn expected(&self) -> &'static str {
        "a byte (an integer from 0 to 255)"
    }

    fn null<E: de::Error>(self) -> Result<u8, E> {
        Ok(0)
    }

    fn unsigned<E: de::Error>(self, value: u64) -> Result<u8, E> {
        u8::try_from(value).map_err(|_| self.wrong(JsonType::Number))
    }
}

/// An array of base64 strings; `null` elements read as empty data.
struct Base64ListV<'c>(&'c Ctx);

impl<'de> JsonVisitor<'de> for Base64ListV<'_> {
    type Value = Option<Vec<Vec<u8>>>;

    fn ctx(&self) -> &Ctx {
        self.0
    }

    fn expected(&self) -> &'static str {
        "an array of base64 strings"
    }

    fn null<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn array<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let items = self.0.elements(&mut seq, || Seed(Base64V(self.0)))?;
        // A `null` element is nil data: empty, as Go's nil []byte.
        Ok(Some(
            items.into_iter().map(Option::unwrap_or_default).collect(),
        ))
    }
}

/// `signedBy.keyType`: checked while it is read, as c/image does.
struct KeyTypeV<'c>(&'c Ctx);

impl<'de> JsonVisitor<'de> for KeyTypeV<'_> {
    type Value = KeyType;

    fn ctx(&self) -> &Ctx {
        self.0
    }

    fn expected(&self) -> &'static str {
        "a keyType string"
    }

    fn null<E: de::Error>(self) -> Result<KeyType, E> {
        Err(self.0.fail(PolicyErrorKind::InvalidKeyType {
            found: String::new(),
        }))
    }

    fn string<E: de::Error>(self, value: &str) -> Result<KeyType, E> {
        KeyType::from_name(value).ok_or_else(|| {
            self.0.fail(PolicyErrorKind::InvalidKeyType {
                found: value.to_owned(),
            })
        })
    }
}

/// The `type` member of an object in the strict pass: it must equal the type chosen
/// by the lenient pass (always true for JSON input; kept as a safety net).
fn check_type<E: de::Error>(
    ctx: &Ctx,
    value: &str,
    expected: &'static str,
    unknown: fn(String) -> PolicyErrorKind,
) -> Result<(), E> {
    if value == expected {
        Ok(())
    } else {
        Err(ctx.fail(unknown(value.to_owned())))
    }
}

fn unknown_requirement(found: String) -> PolicyErrorKind {
    PolicyErrorKind::UnknownRequirementType { found }
}

fn unknown_identity(found: String) -> PolicyErrorKind {
    PolicyErrorKind::UnknownIdentityType { found }
}

// ---------------------------------------------------------------------------------
// The lenient first pass over requirements and identities (§2.3).

/// Go's lenient decode of `{"type": …}`: keys match case-insensitively, the last
/// string value wins, `null` values are ignored, other keys are skipped.
struct LenientTypeV<'c> {
    ctx: &'c Ctx,
    expected: &'static str,
}

impl<'de> JsonVisitor<'de> for LenientTypeV<'_> {
    type Value = Option<String>;

    fn ctx(&self) -> &Ctx {
        self.ctx
    }

    fn expected(&self) -> &'static str {
        self.expected
    }

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key.eq_ignore_ascii_case("type") {
                self.ctx.push(PathSegment::Key(key));
                if let Some(value) = map.next_value_seed(Seed(OptionalStringV(self.ctx)))? {
                    found = Some(value);
                }
                self.ctx.pop();
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// A string, or `None` for `null`.
struct OptionalStringV<'c>(&'c Ctx);

impl<'de> JsonVisitor<'de> for OptionalStringV<'_> {
    type Value = Option<String>;

    fn ctx(&self) -> &Ctx {
        self.0
    }

    fn expected(&self) -> &'static str {
        "a type name string"
    }

    fn null<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn string<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Some(value.to_owned()))
    }
}

/// Reads an object's `type` leniently, then the whole object strictly with the
/// reader `pick` chooses for that type.
fn read_typed<'de, D, T>(
    ctx: &Ctx,
    deserializer: D,
    expected: &'static str,
    strict: impl FnOnce(&'de str, &str) -> Result<T, PolicyErrorKind>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let raw: &'de RawValue = de::Deserialize::deserialize(deserializer)?;
    let fragment = raw.get();
    let found = ctx
        .read_fragment(fragment, Seed(LenientTypeV { ctx, expected }))
        .map_err(|e| <D::Error as de::Error>::custom(e.to_string()))?;
    let Some(found) = found else {
        return Err(ctx.fail(PolicyErrorKind::MissingKey {
            key: "type",
            context: expected,
        }));
    };
    strict(fragment, &found).map_err(|kind| ctx.fail(kind))
}

// ---------------------------------------------------------------------------------
// Requirements.

struct RequirementListV<'c>(&'c Ctx);

impl<'de> JsonVisitor<'de> for RequirementListV<'_> {
    type Value = Vec<Requirement>;

    fn ctx(&self) -> &Ctx {
        self.0
    }

    fn expected(&self) -> &'static str {
        "an array of requirements"
    }

    fn null<E: de::Error>(self) -> Result<Self::Value, E> {
        Err(self.0.fail(PolicyErrorKind::EmptyRequirements))
    }

    fn array<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let out = self.0.elements(&mut seq, || RequirementSeed(self.0))?;
        if out.is_empty() {
            return Err(self.0.fail(PolicyErrorKind::EmptyRequirements));
        }
        Ok(out)
    }
}

struct RequirementSeed<'c>(&'c Ctx);

impl<'de> DeserializeSeed<'de> for RequirementSeed<'_> {
    type Value = Requirement;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Requirement, D::Error> {
        let ctx = self.0;
        read_typed(
            ctx,
            deserializer,
            "a requirement object",
            |fragment, found| {
                let result = match found {
                    "insecureAcceptAnything" => ctx.read_fragment(
                        fragment,
                        Seed(TypeOnlyV {
                            ctx,
                            spec: &INSECURE_SPEC,
                            type_name: "insecureAcceptAnything",
                            unknown: unknown_requirement,
                            value: Requirement::InsecureAcceptAnything,
                        }),
                    ),
                    "reject" => ctx.read_fragment(
                        fragment,
                        Seed(TypeOnlyV {
                            ctx,
                            spec: &REJECT_SPEC,
                            type_name: "reject",
                            unknown: unknown_requirement,
                            value: Requirement::Reject,
                        }),
                    ),
                    "signedBy" => ctx.read_fragment(fragment, Seed(SignedByV(ctx))),
                    "sigstoreSigned" => ctx.read_fragment(fragment, Seed(SigstoreSignedV(ctx))),
                    "signedBaseLayer" => ctx.read_fragment(fragment, Seed(SignedBaseLayerV(ctx))),
                    other => {
                        return Err(PolicyErrorKind::UnknownRequirementType {
                            found: other.to_owned(),
                        });
                    }
                };
                // The strict reader recorded its own error; this value is never reported.
                result.map_err(|e| PolicyErrorKind::Syntax {
                    message: e.to_string(),
                })
            },
        )
    }
}

static INSECURE_SPEC: ObjectSpec = ObjectSpec {
    context: "an insecureAcceptAnything requirement",
    keys: &["type"],
};

static REJECT_SPEC: ObjectSpec = ObjectSpec {
    context: "a reject requirement",
    keys: &["type"],
};

/// Objects whose only member is `type` (exact fields: `type` is mandatory).
struct TypeOnlyV<'c, T> {
    ctx: &'c Ctx,
    spec: &'static ObjectSpec,
    type_name: &'static str,
    unknown: fn(String) -> PolicyErrorKind,
    value: T,
}

impl<'de, T> JsonVisitor<'de> for TypeOnlyV<'_, T> {
    type Value = T;

    fn ctx(&self) -> &Ctx {
        self.ctx
    }

    fn expected(&self) -> &'static str {
        self.spec.context
    }

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let ctx = self.ctx;
        let (type_name, unknown) = (self.type_name, self.unknown);
        let seen = ctx.object(&mut map, self.spec, |_, map| {
            let value = map.next_value_seed(Seed(StringV(ctx)))?;
            check_type(ctx, &value, type_name, unknown)
        })?;
        if let Some(key) = self.spec.first_missing(seen) {
            return Err(ctx.fail(PolicyErrorKind::MissingKey {
                key,
                context: self.spec.context,
            }));
        }
        Ok(self.value)
    }
}

static SIGNED_BY_SPEC: ObjectSpec = ObjectSpec {
    context: "a signedBy requirement",
    keys: &[
        "type",
        "keyType",
        "keyPath",
        "keyPaths",
        "keyData",
        "signedIdentity",
    ],
};

struct SignedByV<'c>(&'c Ctx);

impl<'de> JsonVisitor<'de> for SignedByV<'_> {
    type Value = Requirement;

    fn ctx(&self) -> &Ctx {
        self.0
    }

    fn expected(&self) -> &'static str {
        SIGNED_BY_SPEC.context
    }

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Requirement, A::Error> {
        let ctx = self.0;
        let mut key_type = None;
        let mut key_path = String::new();
        let mut key_paths = None;
        let mut key_data = None;
        let mut identity: Option<&'de RawValue> = None;
        let spec = &SIGNED_BY_SPEC;
        let seen = ctx.object(&mut map, spec, |index, map| {
            match index {
                0 => {
                    let value = map.next_value_seed(Seed(StringV(ctx)))?;
                    check_type(ctx, &value, "signedBy", unknown_requirement)?;
                }
                1 => key_type = Some(map.next_value_seed(Seed(KeyTypeV(ctx)))?),
                2 => key_path = map.next_value_seed(Seed(StringV(ctx)))?,
                3 => key_paths = map.next_value_seed(Seed(StringListV(ctx)))?,
                4 => key_data = map.next_value_seed(Seed(Base64V(ctx)))?,
                _ => identity = Some(map.next_value()?),
            }
            Ok(())
        })?;
        let signed_identity = match identity {
            Some(raw) => {
                ctx.read_member_fragment("signedIdentity", raw.get(), IdentitySeed(ctx))?
            }
            None => SignedIdentity::default(),
        };
        // Which key source: decided by key presence (§5.3 step 3).
        let present: Vec<&'static str> = ["keyPath", "keyPaths", "keyData"]
            .into_iter()
            .filter(|k| spec.has(seen, k))
            .collect();
        if present.len() != 1 {
            return Err(ctx.fail(PolicyErrorKind::SignedByKeySources { found: present }));
        }
        let Some(key_type) = key_type else {
            return Err(ctx.fail(PolicyErrorKind::MissingKey {
                key: "keyType",
                context: spec.context,
            }));
        };
        // Then re-checked by value (§5.3 step 4).
        let keys = if spec.has(seen, "keyPath") {
            if key_path.is_empty() {
                return Err(ctx.fail(PolicyErrorKind::EmptyKeySource {
                    field: "keyPath",
                    what: "empty or null",
                }));
            }
            GpgKeySource::Path(key_path)
        } else if spec.has(seen, "keyPaths") {
            let Some(paths) = key_paths else {
                return Err(ctx.fail(PolicyErrorKind::EmptyKeySource {
                    field: "keyPaths",
                    what: "null",
                }));
            };
            GpgKeySource::Paths(paths)
        } else {
            let Some(data) = key_data else {
                return Err(ctx.fail(PolicyErrorKind::EmptyKeySource {
                    field: "keyData",
                    what: "null",
                }));
            };
            GpgKeySource::Data(data)
        };
        SignedBy::new(key_type, keys, signed_identity)
            .map(Requirement::SignedBy)
            .map_err(|err| ctx.fail(err.kind().clone()))
    }
}

static SIGSTORE_SPEC: ObjectSpec = ObjectSpec {
    context: "a sigstoreSigned requirement",
    keys: &[
        "type",
        "keyPath",
        "keyPaths",
        "keyData",
        "keyDatas",
        "fulcio",
        "rekorPublicKeyPath",
        "rekorPublicKeyPaths",
        "rekorPublicKeyData",
        "rekorPublicKeyDatas",
        "pki",
        "signedIdentity",
    ],
};

struct SigstoreSignedV<'c>(&'c Ctx);

#[derive(Default)]
struct SigstoreFields<'de> {
    key_path: String,
    key_paths: Option<Vec<String>>,
    key_data: Option<Vec<u8>>,
    key_datas: Option<Vec<Vec<u8>>>,
    fulcio: Option<Fulcio>,
    rekor_path: String,
    rekor_paths: Option<Vec<String>>,
    rekor_data: Option<Vec<u8>>,
    rekor_datas: Option<Vec<Vec<u8>>>,
    pki: Option<Pki>,
    identity: Option<&'de RawValue>,
}

impl<'de> JsonVisitor<'de> for SigstoreSignedV<'_> {
    type Value = Requirement;

    fn ctx(&self) -> &Ctx {
        self.0
    }

    fn expected(&self) -> &'static str {
        SIGSTORE_SPEC.context
    }

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Requirement, A::Error> {
        let ctx = self.0;
        let spec = &SIGSTORE_SPEC;
        let mut f = SigstoreFields::default();
        let seen = ctx.object(&mut map, spec, |index, map| {
            match index {
                0 => {
                    let value = map.next_value_seed(Seed(StringV(ctx)))?;
                    check_type(ctx, &value, "sigstoreSigned", unknown_requirement)?;
                }
                1 => f.key_path = map.next_value_seed(Seed(StringV(ctx)))?,
                2 => f.key_paths = map.next_value_seed(Seed(StringListV(ctx)))?,
                3 => f.key_data = map.next_value_seed(Seed(Base64V(ctx)))?,
                4 => f.key_datas = map.next_value_seed(Seed(Base64ListV(ctx)))?,
                5 => f.fulcio = Some(map.next_value_seed(Seed(FulcioV(ctx)))?),
                6 => f.rekor_path = map.next_value_seed(Seed(StringV(ctx)))?,
                7 => f.rekor_paths = map.next_value_seed(Seed(StringListV(ctx)))?,
                8 => f.rekor_data = map.next_value_seed(Seed(Base64V(ctx)))?,
                9 => f.rekor_datas = map.next_value_seed(Seed(Base64ListV(ctx)))?,
                10 => f.pki = Some(map.next_value_seed(Seed(PkiV(ctx)))?),
                _ => f.identity = Some(map.next_value()?),
            }
            Ok(())
        })?;
        let signed_identity = match f.identity {
            Some(raw) => {
                ctx.read_member_fragment("signedIdentity", raw.get(), IdentitySeed(ctx))?
            }
            None => SignedIdentity::default(),
        };
        // Options, in c/image's fixed order (§5.4 step 3): present lists must not be
        // empty or null.
        for (key, empty) in [
            (
                "keyPaths",
                f.key_paths.as_ref().is_none_or(|v| v.is_empty()),
            ),
            (
                "keyDatas",
                f.key_datas.as_ref().is_none_or(|v| v.is_empty()),
            ),
            (
                "rekorPublicKeyPaths",
                f.rekor_paths.as_ref().is_none_or(|v| v.is_empty()),
            ),
            (
                "rekorPublicKeyDatas",
                f.rekor_datas.as_ref().is_none_or(|v| v.is_empty()),
            ),
        ] {
            if spec.has(seen, key) && empty {
                return Err(ctx.fail(PolicyErrorKind::EmptyList { field: key }));
            }
        }
        // Key sources count by value: "" paths do not count, "" data does (§5.4 step 4).
        let key_path = f.key_path;
        let (sources, keys) = present([
            (
                "keyPath",
                (!key_path.is_empty()).then_some(SigstoreKeys::Path(key_path)),
            ),
            ("keyPaths", f.key_paths.map(SigstoreKeys::Paths)),
            ("keyData", f.key_data.map(SigstoreKeys::Data)),
            ("keyDatas", f.key_datas.map(SigstoreKeys::Datas)),
            ("fulcio", f.fulcio.map(SigstoreKeys::Fulcio)),
            ("pki", f.pki.map(SigstoreKeys::Pki)),
        ]);
        let keys = match keys {
            Some(keys) if sources.len() == 1 => keys,
            _ => return Err(ctx.fail(PolicyErrorKind::SigstoreKeySources { found: sources })),
        };
        let rekor_path = f.rekor_path;
        let (rekor_sources, rekor) = present([
            (
                "rekorPublicKeyPath",
                (!rekor_path.is_empty()).then_some(RekorKeys::Path(rekor_path)),
            ),
            ("rekorPublicKeyPaths", f.rekor_paths.map(RekorKeys::Paths)),
            ("rekorPublicKeyData", f.rekor_data.map(RekorKeys::Data)),
            ("rekorPublicKeyDatas", f.rekor_datas.map(RekorKeys::Datas)),
        ]);
        if rekor_sources.len() > 1 {
            return Err(ctx.fail(PolicyErrorKind::RekorKeySources {
                found: rekor_sources,
            }));
        }
        SigstoreSigned::validate(&keys, rekor.as_ref()).map_err(|kind| ctx.fail(kind))?;
        Ok(Requirement::SigstoreSigned(SigstoreSigned::new_unchecked(
            keys,
            rekor,
            signed_identity,
        )))
    }
}

/// The sources that are present, by name, and the last of them (c/image counts them,
/// then requires exactly one, or at most one).
fn present<T, const N: usize>(
    candidates: [(&'static str, Option<T>); N],
) -> (Vec<&'static str>, Option<T>) {
    let mut names = Vec::new();
    let mut last = None;
    for (name, value) in candidates {
        if let Some(value) = value {
            names.push(name);
            last = Some(value);
        }
    }
    (names, last)
}

static FULCIO_SPEC: ObjectSpec = ObjectSpec {
    context: "a fulcio object",
    keys: &["caPath", "caData", "oidcIssuer", "subjectEmail"],
};

struct FulcioV<'c>(&'c Ctx);

impl<'de> JsonVisitor<'de> for FulcioV<'_> {
    type Value = Fulcio;

    fn ctx(&self) -> &Ctx {
        self.0
    }

    fn expected(&self) -> &'static str {
        FULCIO_SPEC.context
    }

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Fulcio, A::Error> {
        let ctx = self.0;
        let (mut ca_path, mut ca_data, mut issuer, mut email) =
            (String::new(), None, String::new(), String::new());
        ctx.object(&mut map, &FULCIO_SPEC, |index, map| {
            match index {
                0 => ca_path = map.next_value_seed(Seed(StringV(ctx)))?,
                1 => ca_data = map.next_value_seed(Seed(Base64V(ctx)))?,
                2 => issuer = map.next_value_seed(Seed(StringV(ctx)))?,
                _ => email = map.next_value_seed(Seed(StringV(ctx)))?,
            }
            Ok(())
        })?;
        let ca = cert_source(ctx, ca_path, ca_data, "caPath", "caData")?.ok_or_else(|| {
            ctx.fail(PolicyErrorKind::MissingSource {
                path_field: "caPath",
                data_field: "caData",
            })
        })?;
        if issuer.is_empty() {
            return Err(ctx.fail(PolicyErrorKind::MissingValue {
                field: "oidcIssuer",
            }));
        }
        if email.is_empty() {
            return Err(ctx.fail(PolicyErrorKind::MissingValue {
                field: "subjectEmail",
            }));
        }
        Ok(Fulcio::new_unchecked(ca, issuer, email))
    }
}

/// One of a path (non-empty counts) and data (non-null counts), or neither.
fn cert_source<E: de::Error>(
    ctx: &Ctx,
    path: String,
    data: Option<Vec<u8>>,
    path_field: &'static str,
    data_field: &'static str,
) -> Result<Option<CertSource>, E> {
    match (path.is_empty(), data) {
        (false, Some(_)) => Err(ctx.fail(PolicyErrorKind::ConflictingSources {
            path_field,
            data_field,
        })),
        (false, None) => Ok(Some(CertSource::Path(path))),
        (true, Some(data)) => Ok(Some(CertSource::Data(data))),
        (true, None) => Ok(None),
    }
}

static PKI_SPEC: ObjectSpec = ObjectSpec {
    context: "a pki object",
    keys: &[
        "caRootsPath",
        "caRootsData",
        "caIntermediatesPath",
        "caIntermediatesData",
        "subjectEmail",
        "subjectHostname",
    ],
};

struct PkiV<'c>(&'c Ctx);

impl<'de> JsonVisitor<'de> for PkiV<'_> {
    type Value = Pki;

    fn ctx(&self) -> &Ctx {
        self.0
    }

    fn expected(&self) -> &'static str {
        PKI_SPEC.context
    }

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Pki, A::Error> {
        let ctx = self.0;
        let (mut roots_path, mut roots_data) = (String::new(), None);
        let (mut inter_path, mut inter_data) = (String::new(), None);
        let (mut email, mut hostname) = (String::new(), String::new());
        ctx.object(&mut map, &PKI_SPEC, |index, map| {
            match index {
                0 => roots_path = map.next_value_seed(Seed(StringV(ctx)))?,
                1 => roots_data = map.next_value_seed(Seed(Base64V(ctx)))?,
                2 => inter_path = map.next_value_seed(Seed(StringV(ctx)))?,
                3 => inter_data = map.next_value_seed(Seed(Base64V(ctx)))?,
                4 => email = map.next_value_seed(Seed(StringV(ctx)))?,
                _ => hostname = map.next_value_seed(Seed(StringV(ctx)))?,
            }
            Ok(())
        })?;
        let roots = cert_source(ctx, roots_path, roots_data, "caRootsPath", "caRootsData")?
            .ok_or_else(|| {
                ctx.fail(PolicyErrorKind::MissingSource {
                    path_field: "caRootsPath",
                    data_field: "caRootsData",
                })
            })?;
        let intermediates = cert_source(
            ctx,
            inter_path,
            inter_data,
            "caIntermediatesPath",
            "caIntermediatesData",
        )?;
        if email.is_empty() && hostname.is_empty() {
            return Err(ctx.fail(PolicyErrorKind::PkiWithoutSubject));
        }
        Ok(Pki::new_unchecked(
            roots,
            intermediates,
            Some(email),
            Some(hostname),
        ))
    }
}

static BASE_LAYER_SPEC: ObjectSpec = ObjectSpec {
    context: "a signedBaseLayer requirement",
    keys: &["type", "baseLayerIdentity"],
};

struct SignedBaseLayerV<'c>(&'c Ctx);

impl<'de> JsonVisitor<'de> for SignedBaseLayerV<'_> {
    type Value = Requirement;

    fn ctx(&self) -> &Ctx {
        self.0
    }

    fn expected(&self) -> &'static str {
        BASE_LAYER_SPEC.context
    }

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Requirement, A::Error> {
        let ctx = self.0;
        let mut identity: Option<&'de RawValue> = None;
        let seen = ctx.object(&mut map, &BASE_LAYER_SPEC, |index, map| {
            if index == 0 {
                let value = map.next_value_seed(Seed(StringV(ctx)))?;
                check_type(ctx, &value, "signedBaseLayer", unknown_requirement)?;
            } else {
                identity = Some(map.next_value()?);
            }
            Ok(())
        })?;
        if let Some(key) = BASE_LAYER_SPEC.first_missing(seen) {
            return Err(ctx.fail(PolicyErrorKind::MissingKey {
                key,
                context: BASE_LAYER_SPEC.context,
            }));
        }
        let Some(raw) = identity else {
            return Err(ctx.fail(PolicyErrorKind::MissingKey {
                key: "baseLayerIdentity",
                context: BASE_LAYER_SPEC.context,
            }));
        };
        let identity =
            ctx.read_member_fragment("baseLayerIdentity", raw.get(), IdentitySeed(ctx))?;
        Ok(Requirement::SignedBaseLayer(SignedBaseLayer::new(identity)))
    }
}

// ---------------------------------------------------------------------------------
// Identities (§6.1): every field is mandatory and nothing else is allowed.

static MATCH_EXACT_SPEC: ObjectSpec = ObjectSpec {
    context: "a matchExact identity",
    keys: &["type"],
};
static MATCH_REPO_DIGEST_OR_EXACT_SPEC: ObjectSpec = ObjectSpec {
    context: "a matchRepoDigestOrExact identity",
    keys: &["type"],
};
static MATCH_REPOSITORY_SPEC: ObjectSpec = ObjectSpec {
    context: "a matchRepository identity",
    keys: &["type"],
};
static EXACT_REFERENCE_SPEC: ObjectSpec = ObjectSpec {
    context: "an exactReference identity",
    keys: &["type", "dockerReference"],
};
static EXACT_REPOSITORY_SPEC: ObjectSpec = ObjectSpec {
    context: "an exactRepository identity",
    keys: &["type", "dockerRepository"],
};
static REMAP_IDENTITY_SPEC: ObjectSpec = ObjectSpec {
    context: "a remapIdentity identity",
    keys: &["type", "prefix", "signedPrefix"],
};

struct IdentitySeed<'c>(&'c Ctx);

impl<'de> DeserializeSeed<'de> for IdentitySeed<'_> {
    type Value = SignedIdentity;

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<SignedIdentity, D::Error> {
        let ctx = self.0;
        read_typed(
            ctx,
            deserializer,
            "an identity object",
            |fragment, found| {
                let type_only = |spec: &'static ObjectSpec, type_name, value| {
                    ctx.read_fragment(
                        fragment,
                        Seed(TypeOnlyV {
                            ctx,
                            spec,
                            type_name,
                            unknown: unknown_identity,
                            value,
                        }),
                    )
                };
                let result = match found {
                    "matchExact" => {
                        type_only(&MATCH_EXACT_SPEC, "matchExact", SignedIdentity::MatchExact)
                    }
                    "matchRepoDigestOrExact" => type_only(
                        &MATCH_REPO_DIGEST_OR_EXACT_SPEC,
                        "matchRepoDigestOrExact",
                        SignedIdentity::MatchRepoDigestOrExact,
                    ),
                    "matchRepository" => type_only(
                        &MATCH_REPOSITORY_SPEC,
                        "matchRepository",
                        SignedIdentity::MatchRepository,
                    ),
                    "exactReference" => ctx.read_fragment(
                        fragment,
                        Seed(IdentityWithFieldsV {
                            ctx,
                            kind: FieldsIdentity::ExactReference,
                        }),
                    ),
                    "exactRepository" => ctx.read_fragment(
                        fragment,
                        Seed(IdentityWithFieldsV {
                            ctx,
                            kind: FieldsIdentity::ExactRepository,
                        }),
                    ),
                    "remapIdentity" => ctx.read_fragment(
                        fragment,
                        Seed(IdentityWithFieldsV {
                            ctx,
                            kind: FieldsIdentity::RemapIdentity,
                        }),
                    ),
                    other => {
                        return Err(PolicyErrorKind::UnknownIdentityType {
                            found: other.to_owned(),
                        });
                    }
                };
                result.map_err(|e| PolicyErrorKind::Syntax {
                    message: e.to_string(),
                })
            },
        )
    }
}

/// The identity types that have fields besides `type`.
#[derive(Clone, Copy)]
enum FieldsIdentity {
    ExactReference,
    ExactRepository,
    RemapIdentity,
}

/// `exactReference`, `exactRepository` and `remapIdentity`.
struct IdentityWithFieldsV<'c> {
    ctx: &'c Ctx,
    kind: FieldsIdentity,
}

impl IdentityWithFieldsV<'_> {
    fn spec(&self) -> &'static ObjectSpec {
        match self.kind {
            FieldsIdentity::ExactReference => &EXACT_REFERENCE_SPEC,
            FieldsIdentity::ExactRepository => &EXACT_REPOSITORY_SPEC,
            FieldsIdentity::RemapIdentity => &REMAP_IDENTITY_SPEC,
        }
    }

    fn type_name(&self) -> &'static str {
        match self.kind {
            FieldsIdentity::ExactReference => "exactReference",
            FieldsIdentity::ExactRepository => "exactRepository",
            FieldsIdentity::RemapIdentity => "remapIdentity",
        }
    }
}

impl<'de> JsonVisitor<'de> for IdentityWithFieldsV<'_> {
    type Value = SignedIdentity;

    fn ctx(&self) -> &Ctx {
        self.ctx
    }

    fn expected(&self) -> &'static str {
        self.spec().context
    }

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<SignedIdentity, A::Error> {
        let ctx = self.ctx;
        let spec = self.spec();
        let mut values = [String::new(), String::new(), String::new()];
        let type_name = self.type_name();
        let seen = ctx.object(&mut map, spec, |index, map| {
            let value = map.next_value_seed(Seed(StringV(ctx)))?;
            if index == 0 {
                check_type(ctx, &value, type_name, unknown_identity)?;
            }
            if let Some(slot) = values.get_mut(index) {
                *slot = value;
            }
            Ok(())
        })?;
        if let Some(key) = spec.first_missing(seen) {
            return Err(ctx.fail(PolicyErrorKind::MissingKey {
                key,
                context: spec.context,
            }));
        }
        let [_, first, second] = values;
        let result = match self.kind {
            FieldsIdentity::ExactReference => ExactReference::validate(&first)
                .map(|()| SignedIdentity::ExactReference(ExactReference::new_unchecked(first))),
            FieldsIdentity::ExactRepository => ExactRepository::validate(&first)
                .map(|()| SignedIdentity::ExactRepository(ExactRepository::new_unchecked(first))),
            FieldsIdentity::RemapIdentity => RemapIdentity::validate_prefix("prefix", &first)
                .and_then(|()| RemapIdentity::validate_prefix("signedPrefix", &second))
                .map(|()| {
                    SignedIdentity::RemapIdentity(RemapIdentity::new_unchecked(first, second))
                }),
        };
        result.map_err(|kind| ctx.fail(kind))
    }
}

// ---------------------------------------------------------------------------------
// The top level, the transports map and the scope maps (§3).

static POLICY_SPEC: ObjectSpec = ObjectSpec {
    context: "the policy object",
    keys: &["default", "transports"],
};

struct PolicyV<'c> {
    ctx: &'c Ctx,
}

impl<'de> JsonVisitor<'de> for PolicyV<'_> {
    type Value = Policy;

    fn ctx(&self) -> &Ctx {
        self.ctx
    }

    fn expected(&self) -> &'static str {
        "a policy object"
    }

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Policy, A::Error> {
        let ctx = self.ctx;
        let mut default = None;
        let mut transports = BTreeMap::new();
        ctx.object(&mut map, &POLICY_SPEC, |index, map| {
            if index == 0 {
                default = Some(map.next_value_seed(Seed(RequirementListV(ctx)))?);
            } else {
                transports = map.next_value_seed(Seed(TransportsV(ctx)))?;
            }
            Ok(())
        })?;
        let Some(default) = default else {
            return Err(ctx.fail(PolicyErrorKind::MissingDefault));
        };
        Ok(Policy::from_parts(default, transports))
    }
}

struct TransportsV<'c>(&'c Ctx);

impl<'de> JsonVisitor<'de> for TransportsV<'_> {
    type Value = BTreeMap<String, Scopes>;

    fn ctx(&self) -> &Ctx {
        self.0
    }

    fn expected(&self) -> &'static str {
        "an object of transport sections"
    }

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let ctx = self.0;
        let mut out = BTreeMap::new();
        while let Some(name) = map.next_key::<String>()? {
            ctx.push(PathSegment::Key(name.clone()));
            if out.contains_key(&name) {
                return Err(ctx.fail(PolicyErrorKind::DuplicateKey { key: name }));
            }
            let scopes = map.next_value_seed(Seed(ScopesV {
                ctx,
                transport: &name,
            }))?;
            ctx.pop();
            out.insert(name, scopes);
        }
        Ok(out)
    }
}

struct ScopesV<'c, 'n> {
    ctx: &'c Ctx,
    transport: &'n str,
}

impl<'de> JsonVisitor<'de> for ScopesV<'_, '_> {
    type Value = Scopes;

    fn ctx(&self) -> &Ctx {
        self.ctx
    }

    fn expected(&self) -> &'static str {
        "an object of scopes"
    }

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Scopes, A::Error> {
        let ctx = self.ctx;
        let mut out = Scopes::new();
        while let Some(scope) = map.next_key::<String>()? {
            ctx.push(PathSegment::Key(scope.clone()));
            if out.contains_key(&scope) {
                return Err(ctx.fail(PolicyErrorKind::DuplicateKey { key: scope }));
            }
            if let Err(reason) = transport::validate_scope(self.transport, &scope) {
                return Err(ctx.fail(PolicyErrorKind::InvalidScope {
                    transport: self.transport.to_owned(),
                    scope,
                    reason: Box::new(reason),
                }));
            }
            let requirements = map.next_value_seed(Seed(RequirementListV(ctx)))?;
            ctx.pop();
            out.insert(scope, requirements);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_follows_go_std_encoding() {
        assert_eq!(decode_base64("YWJj").ok(), Some(b"abc".to_vec()));
        assert_eq!(decode_base64("YW\nJj").ok(), Some(b"abc".to_vec()));
        assert_eq!(decode_base64("YW\r\nJj").ok(), Some(b"abc".to_vec()));
        assert_eq!(decode_base64("").ok(), Some(Vec::new()));
        assert!(decode_base64("YWJ").is_err(), "padding is mandatory");
        assert!(decode_base64("YW Jj").is_err(), "spaces are not ignored");
        assert!(
            decode_base64("_-8=").is_err(),
            "URL-safe alphabet is refused"
        );
        assert!(decode_base64("YWJj====").is_err());
    }

    #[test]
    fn index_in_counts_lines_from_one() {
        assert_eq!(index_in("abc", 1, 2), Some(2));
        assert_eq!(index_in("a\nbc", 2, 1), Some(3));
        assert_eq!(index_in("a\nbc", 3, 1), None);
    }
}
