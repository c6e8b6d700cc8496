//! Manifest digests (schema-1 JWS stripping) and MIME-type guessing: no panics, and
//! a manifest always matches its own digest.
#![no_main]

use containers_policy::manifest::{guess_mime_type, manifest_digest, manifest_matches_digest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = guess_mime_type(data);
    if let Ok(digest) = manifest_digest(data) {
        assert_eq!(manifest_matches_digest(data, &digest).ok(), Some(true));
    }
});
