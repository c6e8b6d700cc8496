//! Differential test: 821 evaluations by the real containers/image (5.23.1) of our own
//! shipped images (`tests/data/images`, made by `make-images.py`), recorded in
//! `tests/oracle/eval-vectors.jsonl` with the stage, the section chosen and the error.
//! For each we require the same verdict, the same stage, the same section and, for the
//! rejections whose cause is unambiguous, a reason that says the same thing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::replay::{canonical, compare, records};

#[test]
fn every_evaluation_matches_the_oracle() {
    let images = canonical("tests/data/images");
    let scratch = tempfile::tempdir().unwrap();
    let scratch = std::fs::canonicalize(scratch.path()).unwrap();
    let scratch = scratch.to_str().unwrap();
    let expand = |s: &str| s.replace("$IMAGES", &images).replace("$SCRATCH", scratch);
    let records = records("eval-vectors.jsonl");
    let failures: Vec<String> = records
        .iter()
        .filter_map(|r| {
            let problems = compare(r, &expand);
            (!problems.is_empty()).then(|| format!("{}: {}", r["id"], problems.join("; ")))
        })
        .collect();
    assert!(records.len() > 800, "only {} records", records.len());
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        records.len(),
        failures.join("\n")
    );
}
