//! A Rust panic in the Wasm core reaches JavaScript as an `Error` with code
//! `PANIC`, not as an anonymous trap. A suite of its own: after a panic the
//! instance's state is spoiled (callers must instantiate the module anew), so
//! no other test may share it.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn a_panic_surfaces_as_an_error_with_a_code() {
    sealmark::wasm::start();
    let panicking = Closure::<dyn Fn()>::new(|| panic!("deliberate test panic"));
    let function: &js_sys::Function = panicking.as_ref().unchecked_ref();
    let error = function
        .call0(&JsValue::NULL)
        .err()
        .unwrap_or(JsValue::NULL);
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "a JavaScript Error, not a trap"
    );
    let field = |name: &str| {
        js_sys::Reflect::get(&error, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
    };
    assert_eq!(field("code").as_deref(), Some("PANIC"));
    assert!(
        field("message")
            .unwrap_or_default()
            .contains("deliberate test panic")
    );
}
