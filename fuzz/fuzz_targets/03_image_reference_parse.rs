//! `TRANSPORT:REF` parsing for every transport: no panics, and the namespaces of a
//! parsed reference are never empty strings.
#![no_main]

use containers_policy::ImageReference;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(reference) = ImageReference::parse(text) {
        assert!(reference.policy_namespaces().iter().all(|ns| !ns.is_empty()));
        let _ = reference.to_string();
    }
});
