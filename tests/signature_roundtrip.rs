//! Property tests: the blob and payload writers round-trip through the readers, and
//! the readers never panic on arbitrary input.

use std::collections::BTreeMap;

use containers_policy::Digest;
use containers_policy::signature::{
    SigstorePayload, SimpleSigningPayload, UntrustedSignature, UntrustedSigstoreSignature,
};
use proptest::prelude::*;

const DIGEST: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

proptest! {
    #[test]
    fn sigstore_blobs_round_trip(
        mime_type in any::<String>(),
        payload in proptest::collection::vec(any::<u8>(), 0..200),
        annotations in proptest::collection::btree_map(any::<String>(), any::<String>(), 0..5),
    ) {
        let sig = UntrustedSigstoreSignature { mime_type, payload, annotations };
        let blob = UntrustedSignature::Sigstore(sig.clone()).to_blob();
        prop_assert_eq!(UntrustedSignature::from_blob(&blob), Ok(UntrustedSignature::Sigstore(sig)));
    }

    #[test]
    fn payloads_round_trip(
        reference in ".+",
        creator in proptest::option::of(any::<String>()),
        timestamp in proptest::option::of(-(1i64 << 53)..(1i64 << 53)),
    ) {
        let digest = Digest::parse(DIGEST).unwrap();
        let mut simple = SimpleSigningPayload::new(digest.clone(), reference.clone());
        simple.creator = creator.clone();
        simple.timestamp = timestamp;
        let json = simple.to_json().unwrap();
        prop_assert!(!json.chars().any(|c| c < ' '));
        prop_assert_eq!(SimpleSigningPayload::parse(json.as_bytes()), Ok(simple));

        let mut sigstore = SigstorePayload::new(digest, reference);
        sigstore.creator = creator;
        sigstore.timestamp = timestamp;
        let json = sigstore.to_json().unwrap();
        prop_assert_eq!(SigstorePayload::parse(json.as_bytes()), Ok(sigstore));
    }

    #[test]
    fn readers_do_not_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = UntrustedSignature::from_blob(&bytes);
        let _ = UntrustedSigstoreSignature::from_blob_chunk(&bytes);
        let _ = SimpleSigningPayload::parse(&bytes);
        let _ = SigstorePayload::parse(&bytes);
    }

    #[test]
    fn json_shaped_inputs_do_not_panic(text in r#"[{}\[\]",:0-9a-z\\ .eE+-]{0,80}"#) {
        let _ = UntrustedSigstoreSignature::from_blob_chunk(text.as_bytes());
        let _ = SimpleSigningPayload::parse(text.as_bytes());
        let _ = SigstorePayload::parse(text.as_bytes());
    }
}

#[test]
fn annotation_maps_keep_sorted_order_in_blobs() {
    let sig = UntrustedSigstoreSignature {
        mime_type: String::new(),
        payload: Vec::new(),
        annotations: BTreeMap::from([("b".into(), "1".into()), ("a".into(), "2".into())]),
    };
    let chunk = String::from_utf8(sig.to_blob_chunk()).unwrap();
    assert!(
        chunk.ends_with(r#""annotations":{"a":"2","b":"1"}}"#),
        "{chunk}"
    );
}
