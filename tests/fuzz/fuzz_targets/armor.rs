//! Fuzz target `armor`: armor found in arbitrary text, repaired and decoded; binary data armored and read back.
//! The body is `targets::armor`, shared with the replay test `tests/fuzz_corpus.rs`.
#![no_main]

#[path = "../targets.rs"]
#[allow(dead_code)]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::armor(data));
