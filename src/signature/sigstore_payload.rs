//! The sigstore payload ("cosign container image signature", signature-formats.md
//! §4.2, policy-semantics.md §12.6).

super::payload::payload_type! {
    /// The JSON document a sigstore (cosign) signature signs: the payload of a
    /// `application/vnd.dev.cosign.simplesigning.v1+json` layer.
    ///
    /// [`parse`](Self::parse) reads it with every strictness rule of c/image; parse only
    /// bytes whose signature has been verified, and treat the result as a claim by the
    /// signer: the digest still has to match the manifest and the reference the policy's
    /// identity rule.
    ///
    /// ```
    /// use containers_policy::signature::SigstorePayload;
    /// let json = br#"{"critical":{"identity":{"docker-reference":"quay.io/a/b:1"},
    ///   "image":{"docker-manifest-digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
    ///   "type":"cosign container image signature"},"optional":null}"#;
    /// let payload = SigstorePayload::parse(json).unwrap();
    /// assert_eq!(payload.docker_reference, "quay.io/a/b:1");
    /// assert_eq!(payload.timestamp, None);
    /// ```
    pub struct SigstorePayload;
    signature_type: "cosign container image signature",
    optional_may_be_null: true,
    /// Parses a payload with c/image's rules (first failure wins, in c/image's order):
    ///
    /// 1. valid JSON as a whole; top level exactly `critical` and `optional`;
    /// 2. `optional` an object or exactly `null` (cosign writes `null`), duplicates
    ///    rejected, other members
    ///    ignored; `creator` a string, `timestamp` a number that is an integer in the
    ///    `i64` range (`1e3` is fine, `0.5` is not);
    /// 3. `critical` exactly `type`, `image`, `identity`; `type` is
    ///    [`SIGNATURE_TYPE`](Self::SIGNATURE_TYPE);
    /// 4. `image` exactly `docker-manifest-digest`, a valid digest;
    /// 5. `identity` exactly `docker-reference`, a string.
    ///
    /// Keys are case-sensitive and compared after unescaping; `null` where a string is
    /// expected reads as `""`.
    fn parse;
}
