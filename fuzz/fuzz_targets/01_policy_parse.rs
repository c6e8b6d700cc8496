//! The policy reader on arbitrary bytes: it must not panic, and whatever it accepts
//! must serialise to JSON that parses back to an equal policy.
#![no_main]

use containers_policy::Policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(policy) = Policy::from_slice(data) {
        let written = policy.to_json();
        match Policy::from_str(&written) {
            Ok(again) => assert_eq!(again, policy, "round trip changed the policy"),
            Err(err) => panic!("our own output does not parse: {err}\n{written}"),
        }
    }
});
