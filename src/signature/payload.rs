//! The payload JSON shared by both signature families (`critical`/`optional`,
//! signature-formats.md §3.1, §4.2): the strict reader and c/image's writer.

use std::fmt::Write as _;

use super::error::PayloadError;
use super::strict_json::{Kind, Raw, read_object, read_object_exact, validate_document};
use crate::digest::Digest;

/// The contents of a payload, as read or to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fields {
    pub(crate) docker_manifest_digest: Digest,
    pub(crate) docker_reference: String,
    pub(crate) creator: Option<String>,
    pub(crate) timestamp: Option<i64>,
}

/// The rules that differ between the two families.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Family {
    /// The required `critical.type`.
    pub(crate) signature_type: &'static str,
    /// Whether `"optional": null` is accepted (sigstore: cosign writes it).
    pub(crate) optional_may_be_null: bool,
}

/// Declares one of the two public payload types. They differ only in their
/// documentation and their [`Family`] (the `critical.type` and whether
/// `"optional": null` is accepted); the fields, constructor, builders, [`parse`] and
/// [`marshal`] calls are written here once.
macro_rules! payload_type {
    (
        $(#[$type_doc:meta])*
        pub struct $name:ident;
        signature_type: $signature_type:literal,
        optional_may_be_null: $optional_may_be_null:literal,
        $(#[$parse_doc:meta])*
        fn parse;
    ) => {
        $(#[$type_doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct $name {
            /// `critical.image.docker-manifest-digest`, validated as a go-digest digest.
            pub docker_manifest_digest: $crate::digest::Digest,
            /// `critical.identity.docker-reference`: any string; the identity rule of the policy
            /// validates it.
            pub docker_reference: String,
            /// `optional.creator`, when present (`null` reads as `Some("")`, as in c/image).
            pub creator: Option<String>,
            /// `optional.timestamp` in seconds since the epoch, when present (`null` reads as
            /// `Some(0)`; `1e3` as 1000; fractions are rejected).
            pub timestamp: Option<i64>,
        }

        impl $name {
            /// The required `critical.type`.
            pub const SIGNATURE_TYPE: &'static str = $signature_type;

            /// The rules of this family.
            const FAMILY: $crate::signature::payload::Family = $crate::signature::payload::Family {
                signature_type: Self::SIGNATURE_TYPE,
                optional_may_be_null: $optional_may_be_null,
            };

            /// A payload for `docker_manifest_digest` and `docker_reference`, without creator or
            /// timestamp.
            pub fn new(
                docker_manifest_digest: $crate::digest::Digest,
                docker_reference: impl Into<String>,
            ) -> Self {
                $name {
                    docker_manifest_digest,
                    docker_reference: docker_reference.into(),
                    creator: None,
                    timestamp: None,
                }
            }

            /// Sets `optional.creator`.
            #[must_use]
            pub fn with_creator(mut self, creator: impl Into<String>) -> Self {
                self.creator = Some(creator.into());
                self
            }

            /// Sets `optional.timestamp`.
            #[must_use]
            pub fn with_timestamp(mut self, timestamp: i64) -> Self {
                self.timestamp = Some(timestamp);
                self
            }

            $(#[$parse_doc])*
            pub fn parse(
                untrusted_payload: &[u8],
            ) -> Result<Self, $crate::signature::PayloadError> {
                let fields = $crate::signature::payload::parse(untrusted_payload, Self::FAMILY)?;
                Ok($name {
                    docker_manifest_digest: fields.docker_manifest_digest,
                    docker_reference: fields.docker_reference,
                    creator: fields.creator,
                    timestamp: fields.timestamp,
                })
            }

            /// The payload as c/image writes it, byte for byte: keys sorted, compact, HTML
            /// characters escaped, `"optional":{}` when there is no creator or timestamp.
            /// Fails for an empty `docker_reference`, as c/image does.
            pub fn to_json(&self) -> Result<String, $crate::signature::PayloadError> {
                $crate::signature::payload::marshal(
                    &$crate::signature::payload::Fields {
                        docker_manifest_digest: self.docker_manifest_digest.clone(),
                        docker_reference: self.docker_reference.clone(),
                        creator: self.creator.clone(),
                        timestamp: self.timestamp,
                    },
                    Self::FAMILY,
                )
            }
        }
    };
}

pub(crate) use payload_type;

/// `-2^63` as a float: the smallest `i64`, exactly representable.
const I64_MIN_F64: f64 = -9_223_372_036_854_775_808.0;

/// Go's `int64(f)` round trip on amd64: `Some` when `f` is integral and within range.
/// (An out-of-range conversion gives `-2^63`, which only round-trips for `-2^63`.)
fn integral_i64(f: f64) -> Option<i64> {
    if f.is_finite() && f.fract() == 0.0 && (I64_MIN_F64..-I64_MIN_F64).contains(&f) {
        // In range and integral, so the conversion is exact.
        Some(f as i64)
    } else {
        None
    }
}

/// c/image's `strictUnmarshalJSON`, in its order: whole-document syntax, top level,
/// `optional`, timestamp, `critical`, type, image (digest), identity.
pub(crate) fn parse(untrusted_payload: &[u8], family: Family) -> Result<Fields, PayloadError> {
    validate_document(untrusted_payload)?;
    let top = read_object_exact(
        Raw::document(untrusted_payload),
        "$",
        &[("critical", Kind::Raw), ("optional", Kind::Raw)],
    )?;
    let (Some(critical), Some(optional)) = (top.raw("critical"), top.raw("optional")) else {
        return Err(missing_after_read());
    };

    let mut creator = None;
    let mut timestamp = None;
    if !(family.optional_may_be_null && optional.is_null_literal()) {
        let members = read_object(optional, "$.optional", |key| match key {
            "creator" => Some(Kind::String),
            "timestamp" => Some(Kind::Number),
            _ => Some(Kind::Ignore),
        })?;
        creator = members.string("creator");
        if let Some(value) = members.number("timestamp") {
            timestamp =
                Some(integral_i64(value).ok_or(PayloadError::TimestampNotInteger { value })?);
        }
    }

    let critical = read_object_exact(
        critical,
        "$.critical",
        &[
            ("type", Kind::String),
            ("image", Kind::Raw),
            ("identity", Kind::Raw),
        ],
    )?;
    let signature_type = critical.string("type").unwrap_or_default();
    if signature_type != family.signature_type {
        return Err(PayloadError::UnrecognizedType {
            expected: family.signature_type,
            found: signature_type,
        });
    }
    let (Some(image), Some(identity)) = (critical.raw("image"), critical.raw("identity")) else {
        return Err(missing_after_read());
    };

    let image = read_object_exact(
        image,
        "$.critical.image",
        &[("docker-manifest-digest", Kind::String)],
    )?;
    let digest_text = image.string("docker-manifest-digest").unwrap_or_default();
    let docker_manifest_digest =
        Digest::parse(&digest_text).map_err(|source| PayloadError::InvalidDigest {
            value: digest_text.clone(),
            source,
        })?;

    let identity = read_object_exact(
        identity,
        "$.critical.identity",
        &[("docker-reference", Kind::String)],
    )?;
    let docker_reference = identity.string("docker-reference").unwrap_or_default();

    Ok(Fields {
        docker_manifest_digest,
        docker_reference,
        creator,
        timestamp,
    })
}

/// Unreachable: `read_object_exact` guarantees the raw members exist. Reported as a
/// missing key rather than panicking.
fn missing_after_read() -> PayloadError {
    PayloadError::Json(super::error::JsonFormatError::MissingKey {
        path: "$".to_owned(),
        key: "critical".to_owned(),
    })
}

/// c/image's `MarshalJSON`: Go's `json.Marshal` of nested maps, so keys sorted, compact,
/// `optional` always an object (`{}` when empty).
pub(crate) fn marshal(fields: &Fields, family: Family) -> Result<String, PayloadError> {
    if fields.docker_reference.is_empty() {
        return Err(PayloadError::EmptyField {
            field: "docker-reference",
        });
    }
    let mut out = String::with_capacity(256);
    out.push_str(r#"{"critical":{"identity":{"docker-reference":"#);
    write_go_string(&mut out, &fields.docker_reference);
    out.push_str(r#"},"image":{"docker-manifest-digest":"#);
    write_go_string(&mut out, fields.docker_manifest_digest.as_str());
    out.push_str(r#"},"type":"#);
    write_go_string(&mut out, family.signature_type);
    out.push_str(r#"},"optional":{"#);
    if let Some(creator) = &fields.creator {
        out.push_str(r#""creator":"#);
        write_go_string(&mut out, creator);
    }
    if let Some(timestamp) = fields.timestamp {
        if fields.creator.is_some() {
            out.push(',');
        }
        let _ = write!(out, r#""timestamp":{timestamp}"#);
    }
    out.push_str("}}");
    Ok(out)
}

/// Appends `s` as a JSON string the way Go's `json.Marshal` (Go ≥ 1.22) writes it:
/// `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other control characters as `\u00xx`,
/// and the HTML-sensitive `<`, `>`, `&`, U+2028, U+2029 as `\u` escapes.
pub(crate) fn write_go_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 || matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
