//! The strict simple-signing and sigstore payload parsers: no panics.
#![no_main]

use containers_policy::signature::{SigstorePayload, SimpleSigningPayload};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = SimpleSigningPayload::parse(data);
    let _ = SigstorePayload::parse(data);
});
