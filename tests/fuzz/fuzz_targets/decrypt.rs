//! Fuzz target `decrypt`: messages decrypted with the fixture keys (SEIPDv1 and SEIPDv2, armored and binary).
//! The body is `targets::decrypt`, shared with the replay test `tests/fuzz_corpus.rs`.
#![no_main]

#[path = "../targets.rs"]
#[allow(dead_code)]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::decrypt(data));
