//! The Wasm face, run inside real headless browsers by `wasm-pack test --chrome/--firefox`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test_configure;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "wasm/shared.rs"]
mod shared;
