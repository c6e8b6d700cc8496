//! Runners for manifest digests (`manifest.digest`, `manifest.matches_digest`).

use containers_policy::digest::Digest;
use containers_policy::manifest::{manifest_digest, manifest_matches_digest};
use serde_json::{Map, Value};

use super::{Kit, Outcome, Runner, verdict};

pub const RUNNERS: &[(&str, Runner)] = &[
    ("manifest.digest", digest),
    ("manifest.matches_digest", matches_digest),
];

fn digest(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let manifest = kit.bytes(&inputs["manifest"]);
    match (manifest_digest(&manifest), verdict(expected)) {
        (Ok(got), "accept") => match expected["digest"].as_str() {
            Some(want) if want != got.as_str() => Err(format!("digest {got}, expected {want}")),
            _ => Ok(()),
        },
        (Err(_), "reject") => Ok(()),
        (Ok(got), want) => Err(format!("digest {got}, expected {want}")),
        (Err(e), want) => Err(format!("error ({e}), expected {want}")),
    }
}

fn matches_digest(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let manifest = kit.bytes(&inputs["manifest"]);
    let text = inputs["digest"].as_str().unwrap();
    let want = expected["result"]
        .as_bool()
        .ok_or_else(|| format!("no boolean expectation in {expected}"))?;
    // A digest that does not even parse can never match (go-digest strings compare).
    let got = match Digest::parse(text) {
        Ok(d) => manifest_matches_digest(&manifest, &d).map_err(|e| e.to_string())?,
        Err(_) => false,
    };
    if got == want {
        Ok(())
    } else {
        Err(format!("matches {text}: {got}, expected {want}"))
    }
}
