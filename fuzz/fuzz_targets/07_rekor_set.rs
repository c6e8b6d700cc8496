//! Rekor SET parsing and verification on arbitrary SET bytes: no panics (nothing
//! verifies without the matching Rekor key).
#![no_main]

use containers_policy::sigstore::public_key::PublicKey;
use containers_policy::sigstore::rekor::{UntrustedRekorSet, verify_set};
use libfuzzer_sys::fuzz_target;

const REKOR_KEY: &[u8] = b"-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEISCJ6xaD4hkDooDwTclI1U681B57
oq5yRT7AQpDcCEXsFprwji+m1MGg4QGjfE3HQ/oB78T85dnulsCM8ulqSg==
-----END PUBLIC KEY-----
";

fuzz_target!(|data: &[u8]| {
    let _ = UntrustedRekorSet::parse(data);
    let key = PublicKey::from_pem(REKOR_KEY).expect("fixed key parses");
    let _ = verify_set(&[key], data, REKOR_KEY, "c2ln", b"payload");
});
