//! The Wasm face under Node.js (`wasm-pack test --node`): the same tests as in the browsers.
#![cfg(target_arch = "wasm32")]

#[path = "wasm/shared.rs"]
mod shared;
