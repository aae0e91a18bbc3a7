//! Fuzz target `keys`: certificates and secret keys read, described, armored and read back.
//! The body is `targets::keys`, shared with the replay test `tests/fuzz_corpus.rs`.
#![no_main]

#[path = "../targets.rs"]
#[allow(dead_code)]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::keys(data));
