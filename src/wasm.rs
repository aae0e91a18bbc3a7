//! The wasm-bindgen face: JavaScript names and types for the core, nothing else.
//! Every function here converts arguments, calls the core and converts back.

use wasm_bindgen::prelude::*;

use crate::version;

/// The one-line version, e.g. `sealmark 0.1.0`.
#[wasm_bindgen]
pub fn version() -> String {
    version::build_info().short()
}

/// Version and build information as an object:
/// `{version, pgp, mail_parser, target}`.
#[wasm_bindgen(js_name = buildInfo)]
pub fn build_info() -> Result<JsValue, JsError> {
    serde_wasm_bindgen::to_value(&version::build_info()).map_err(|e| JsError::new(&e.to_string()))
}
