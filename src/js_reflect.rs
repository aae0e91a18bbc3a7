//! Reaching JavaScript objects by name: the globals the core uses
//! (`crypto.subtle`, `TextEncoder`, `TextDecoder`) are looked up at run time,
//! so the same Wasm runs in pages, workers and Node.js, and a missing one is
//! an answer (`None`) instead of a trap.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// `target[name]`; `None` when it is missing, `undefined` or `null`.
pub(crate) fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(name))
        .ok()
        .filter(|value| !value.is_undefined() && !value.is_null())
}

/// `new globalThis[name](...args)`.
#[cfg(feature = "openpgp")]
pub(crate) fn global_instance(name: &str, args: &[JsValue]) -> Option<JsValue> {
    let constructor = get(&js_sys::global(), name)?.dyn_into::<Function>().ok()?;
    Reflect::construct(&constructor, &args.iter().collect::<Array>()).ok()
}

/// `target[name](...args)`; `None` when it is no function or throws.
pub(crate) fn call_method(target: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    get(target, name)?
        .dyn_into::<Function>()
        .ok()?
        .apply(target, &args.iter().collect::<Array>())
        .ok()
}
