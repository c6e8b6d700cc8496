//! The simple-signing payload ("atomic container signature", signature-formats.md
//! §3.1, policy-semantics.md §11.3).

use super::error::PayloadError;
use super::payload::{self, Family, Fields};
use crate::digest::Digest;

const FAMILY: Family = Family {
    signature_type: SimpleSigningPayload::SIGNATURE_TYPE,
    optional_may_be_null: false,
};

/// The JSON document an OpenPGP simple-signing signature signs.
///
/// [`parse`](Self::parse) reads it with every strictness rule of c/image; parse only
/// bytes whose signature has been verified, and treat the result as a claim by the
/// signer: the digest still has to match the manifest and the reference the policy's
/// identity rule.
///
/// ```
/// use containers_policy::signature::SimpleSigningPayload;
/// let json = br#"{"critical":{"identity":{"docker-reference":"quay.io/a/b:1"},
///   "image":{"docker-manifest-digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
///   "type":"atomic container signature"},"optional":{"timestamp":1e3}}"#;
/// let payload = SimpleSigningPayload::parse(json).unwrap();
/// assert_eq!(payload.docker_reference, "quay.io/a/b:1");
/// assert_eq!(payload.timestamp, Some(1000));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SimpleSigningPayload {
    /// `critical.image.docker-manifest-digest`, validated as a go-digest digest.
    pub docker_manifest_digest: Digest,
    /// `critical.identity.docker-reference`: any string; the identity rule of the policy
    /// validates it.
    pub docker_reference: String,
    /// `optional.creator`, when present (`null` reads as `Some("")`, as in c/image).
    pub creator: Option<String>,
    /// `optional.timestamp` in seconds since the epoch, when present (`null` reads as
    /// `Some(0)`; `1e3` as 1000; fractions are rejected).
    pub timestamp: Option<i64>,
}

impl SimpleSigningPayload {
    /// The required `critical.type`.
    pub const SIGNATURE_TYPE: &'static str = "atomic container signature";

    /// A payload for `docker_manifest_digest` and `docker_reference`, without creator or
    /// timestamp.
    pub fn new(docker_manifest_digest: Digest, docker_reference: impl Into<String>) -> Self {
        SimpleSigningPayload {
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

    /// Parses a payload with c/image's rules (first failure wins, in c/image's order):
    ///
    /// 1. valid JSON as a whole; top level exactly `critical` and `optional`;
    /// 2. `optional` an object (`null` rejected), duplicates rejected, other members
    ///    ignored; `creator` a string, `timestamp` a number that is an integer in the
    ///    `i64` range (`1e3` is fine, `0.5` is not);
    /// 3. `critical` exactly `type`, `image`, `identity`; `type` is
    ///    [`SIGNATURE_TYPE`](Self::SIGNATURE_TYPE);
    /// 4. `image` exactly `docker-manifest-digest`, a valid digest;
    /// 5. `identity` exactly `docker-reference`, a string.
    ///
    /// Keys are case-sensitive and compared after unescaping; `null` where a string is
    /// expected reads as `""`.
    pub fn parse(untrusted_payload: &[u8]) -> Result<Self, PayloadError> {
        let fields = payload::parse(untrusted_payload, FAMILY)?;
        Ok(SimpleSigningPayload {
            docker_manifest_digest: fields.docker_manifest_digest,
            docker_reference: fields.docker_reference,
            creator: fields.creator,
            timestamp: fields.timestamp,
        })
    }

    /// The payload as c/image writes it, byte for byte: keys sorted, compact, HTML
    /// characters escaped, `"optional":{}` when there is no creator or timestamp.
    /// Fails for an empty `docker_reference`, as c/image does.
    pub fn to_json(&self) -> Result<String, PayloadError> {
        payload::marshal(
            &Fields {
                docker_manifest_digest: self.docker_manifest_digest.clone(),
                docker_reference: self.docker_reference.clone(),
                creator: self.creator.clone(),
                timestamp: self.timestamp,
            },
            FAMILY,
        )
    }
}
