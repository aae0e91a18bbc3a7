//! The fuzz campaign's inputs as ordinary tests: every file of every corpus
//! (`tests/fuzz/corpus/<target>/`) and every crash once found
//! (`tests/fuzz/regressions/<target>/`) is run through the same target body
//! the fuzzer ran (`tests/fuzz/targets.rs`), on the stable toolchain. A panic
//! fails the test with the names of the files that caused it.
#![cfg(not(target_arch = "wasm32"))]

#[path = "fuzz/targets.rs"]
mod targets;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz")
}

/// The files of `dir`, sorted so failures are reported in a stable order;
/// none when the folder does not exist (a target may have no regressions).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Runs every input of `name`'s corpus and regressions; returns how many ran.
fn replay(name: &str) -> usize {
    let (_, target) = targets::ALL
        .iter()
        .find(|(target, _)| *target == name)
        .unwrap_or_else(|| panic!("no fuzz target {name}"));
    let mut failed = Vec::new();
    let mut ran = 0;
    for folder in ["corpus", "regressions"] {
        for path in files(&fuzz_dir().join(folder).join(name)) {
            let data = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            ran += 1;
            if catch_unwind(AssertUnwindSafe(|| target(&data))).is_err() {
                failed.push(path.display().to_string());
            }
        }
    }
    assert!(
        failed.is_empty(),
        "fuzz target {name} panicked on {} input(s):\n  {}",
        failed.len(),
        failed.join("\n  ")
    );
    ran
}

macro_rules! replay_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let ran = replay(stringify!($name));
                assert!(ran > 0, "the {} corpus is empty", stringify!($name));
            }
        )*

        /// Every folder of inputs belongs to a target replayed above: a
        /// misspelt folder would otherwise be skipped without a word.
        #[test]
        fn every_input_folder_is_replayed() {
            let replayed = [$(stringify!($name)),*];
            assert_eq!(
                replayed.len(),
                targets::ALL.len(),
                "a target in targets::ALL has no replay test"
            );
            for folder in ["corpus", "regressions"] {
                let Ok(entries) = std::fs::read_dir(fuzz_dir().join(folder)) else {
                    continue;
                };
                for entry in entries.filter_map(Result::ok) {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    assert!(
                        replayed.contains(&name.as_str()),
                        "tests/fuzz/{folder}/{name} is not a fuzz target's folder"
                    );
                }
            }
        }
    };
}

replay_tests!(armor, keys, decrypt, verify, mime, autocrypt, transport);
