//! The Docker reference grammar: no panics, and canonical strings are fixed points.
#![no_main]

use containers_policy::Reference;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(reference) = Reference::parse_normalized(text) {
        let canonical = reference.to_string();
        let again = Reference::parse_canonical(&canonical).expect("canonical form parses");
        assert_eq!(again, reference);
        assert!(reference.name().len() <= 255);
    }
});
