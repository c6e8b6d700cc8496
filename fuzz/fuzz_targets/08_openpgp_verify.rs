//! OpenPGP: keyring import and message verification on arbitrary bytes: no panics.
#![no_main]

use containers_policy::openpgp::{OpenPgpBackend, RpgpBackend};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let backend = RpgpBackend::new();
    let (keyring, message) = data.split_at(data.len() / 2);
    if let Ok(keys) = backend.import(&[keyring]) {
        let _ = keys.verify(message);
    }
});
