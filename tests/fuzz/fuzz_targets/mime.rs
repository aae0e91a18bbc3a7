//! Fuzz target `mime`: PGP/MIME structure and MIME content of raw messages.
//! The body is `targets::mime`, shared with the replay test `tests/fuzz_corpus.rs`.
#![no_main]

#[path = "../targets.rs"]
#[allow(dead_code)]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::mime(data));
