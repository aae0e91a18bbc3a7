//! The transport analysis: a message's route, what the transport module exports.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::convert::{bytes_of, error, from_js};
use crate::header::{address, outline};
use crate::transport;

#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &str = r#"
/** The one address in a user ID or a From value, lower-cased; null for none or several. */
export function addressOf(text: string): string | null;
/** Options may be left out. */
export function analyzeMessage(raw: string | Uint8Array): Report;
/** Options may be left out. */
export function inspectMessage(raw: string | Uint8Array): Inspection;
"#;

/// Options of `analyzeMessage` and `inspectMessage`.
#[derive(Deserialize, Default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
struct AnalyzeOptions {
    /// Domains whose Received lines are believed besides the receiving provider's (your own mail server's).
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    trusted_domains: Vec<String>,
    /// The header stands as delivered (a raw source from the mailbox); its order is never read from the fields.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    delivered_order: bool,
}

/// The route of a message (`string` or `Uint8Array`, the whole message or its
/// header): exactly the report `sealmark hops --json` prints.
#[wasm_bindgen(js_name = analyzeMessage, unchecked_return_type = "Report")]
pub fn analyze_message(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] raw: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    json_to_js(&report_of(&bytes_of(&raw)?, options, "analyzeMessage")?)
}

/// The route of `bytes` with the caller's options (`function` names the caller in errors).
fn report_of(
    bytes: &[u8],
    options: Option<JsValue>,
    function: &str,
) -> Result<transport::Report, JsValue> {
    let options: AnalyzeOptions = match options.filter(|o| !o.is_null() && !o.is_undefined()) {
        None => AnalyzeOptions::default(),
        Some(options) => from_js(options, function)?,
    };
    transport::analyze(
        bytes,
        &transport::Options {
            trusted_domains: options.trusted_domains,
            delivered_order: options.delivered_order,
        },
    )
    .map_err(|e| error("HEADER_TOO_LARGE", &e.to_string()))
}

/// A report as JavaScript objects: one JSON text parsed by the engine is
/// several times faster than building its many small objects one call at a time.
fn json_to_js(value: &impl Serialize) -> Result<JsValue, JsValue> {
    let json = serde_json::to_string(value).map_err(|e| error("INTERNAL", &e.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|_| error("INTERNAL", "the report could not be read back"))
}

/// What `inspectMessage` returns: the route and the outline, from one reading.
#[derive(Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
struct Inspection {
    /// The route, as `analyzeMessage` reports it.
    report: transport::Report,
    /// Sender, Autocrypt field, PGP/MIME: whether the OpenPGP module is needed for the message at all.
    outline: outline::Outline,
}

/// A received message (`string` or `Uint8Array`) as the route strip needs it,
/// in one call: its route (exactly `analyzeMessage`'s report) and its outline
/// (its sender, whether it carries an Autocrypt field, whether it may be
/// PGP/MIME), which decides whether the OpenPGP module is needed for it at all.
#[wasm_bindgen(js_name = inspectMessage, unchecked_return_type = "Inspection")]
pub fn inspect_message(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] raw: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&raw)?;
    let inspection = Inspection {
        report: report_of(&bytes, options, "inspectMessage")?,
        outline: outline::outline(&bytes),
    };
    json_to_js(&inspection)
}

/// The one e-mail address in a user ID or a From value, lower-cased (the
/// core's only address rule; the extension's `shared/addresses.js` is held to
/// it by a test).
#[wasm_bindgen(js_name = addressOf, skip_typescript)]
pub fn address_of(text: &str) -> Option<String> {
    address::address_of(text)
}
