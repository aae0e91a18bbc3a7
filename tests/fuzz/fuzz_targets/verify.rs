//! Fuzz target `verify`: detached, inline and cleartext signatures checked.
//! The body is `targets::verify`, shared with the replay test `tests/fuzz_corpus.rs`.
#![no_main]

#[path = "../targets.rs"]
#[allow(dead_code)]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::verify(data));
