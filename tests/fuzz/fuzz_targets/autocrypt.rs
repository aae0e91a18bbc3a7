//! Fuzz target `autocrypt`: Autocrypt headers, gossip and setup messages.
//! The body is `targets::autocrypt`, shared with the replay test `tests/fuzz_corpus.rs`.
#![no_main]

#[path = "../targets.rs"]
#[allow(dead_code)]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::autocrypt(data));
