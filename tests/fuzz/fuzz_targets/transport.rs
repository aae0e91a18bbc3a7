//! Fuzz target `transport`: the transport analysis of arbitrary headers: Received and Authentication-Results.
//! The body is `targets::transport`, shared with the replay test `tests/fuzz_corpus.rs`.
#![no_main]

#[path = "../targets.rs"]
#[allow(dead_code)]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::transport(data));
