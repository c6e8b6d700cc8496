//! Stored signature blobs: no panics; what parses writes back to a blob that parses
//! to the same signature.
#![no_main]

use containers_policy::signature::UntrustedSignature;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(signature) = UntrustedSignature::from_blob(data) {
        let again = UntrustedSignature::from_blob(&signature.to_blob()).expect("own blob parses");
        assert_eq!(again, signature);
    }
});
