//! The Wasm face, run inside real headless browsers by `wasm-pack test`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn version_names_the_crate_and_its_version() {
    assert_eq!(
        sealmark::wasm::version(),
        format!("sealmark {}", env!("CARGO_PKG_VERSION"))
    );
}

#[wasm_bindgen_test]
fn build_info_is_a_plain_object_with_engine_versions() {
    let info = sealmark::wasm::build_info().unwrap_or(JsValue::NULL);
    let pgp = js_sys::Reflect::get(&info, &JsValue::from_str("pgp")).unwrap_or(JsValue::NULL);
    let pgp = pgp.as_string().unwrap_or_default();
    assert!(
        pgp.starts_with("0.21."),
        "pgp version in the browser was {pgp:?}"
    );
    let target = js_sys::Reflect::get(&info, &JsValue::from_str("target")).unwrap_or(JsValue::NULL);
    assert_eq!(
        target.as_string().as_deref(),
        Some("wasm32-unknown-unknown")
    );
}
