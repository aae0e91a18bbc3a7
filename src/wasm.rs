//! The wasm-bindgen face: JavaScript names and types for the core, nothing else.
//! Every function here converts arguments, calls the core and converts back.
//! Errors become JavaScript `Error`s with a stable `code` property.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::{transport, version};

/// The one-line version, e.g. `sealmark 0.1.0`.
#[wasm_bindgen]
pub fn version() -> String {
    version::build_info().short()
}

/// Version and build information as an object:
/// `{version, pgp, mail_parser, target}`.
#[wasm_bindgen(js_name = buildInfo)]
pub fn build_info() -> Result<JsValue, JsValue> {
    to_js(&version::build_info())
}

/// Options of `analyzeMessage`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct AnalyzeOptions {
    #[serde(default)]
    trusted_domains: Vec<String>,
}

/// The route of a message (`string` or `Uint8Array`, the whole message or its
/// header): exactly the report `sealmark hops --json` prints.
#[wasm_bindgen(js_name = analyzeMessage)]
pub fn analyze_message(raw: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&raw)?;
    let options: AnalyzeOptions = if options.is_undefined() || options.is_null() {
        AnalyzeOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| error("BAD_OPTIONS", &format!("analyzeMessage options: {e}")))?
    };
    let report = transport::analyze(
        &bytes,
        &transport::Options {
            trusted_domains: options.trusted_domains,
        },
    )
    .map_err(|e| error("HEADER_TOO_LARGE", &e.to_string()))?;
    to_js(&report)
}

fn bytes_of(value: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(text) = value.as_string() {
        Ok(text.into_bytes())
    } else if let Some(array) = value.dyn_ref::<js_sys::Uint8Array>() {
        Ok(array.to_vec())
    } else {
        Err(error(
            "BAD_INPUT",
            "expected the message as a string or a Uint8Array",
        ))
    }
}

/// Plain JSON-compatible objects: `null` for absent values, objects for maps.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error("INTERNAL", &e.to_string()))
}

/// A JavaScript `Error` whose `code` property callers can switch on.
fn error(code: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(code));
    error.into()
}
