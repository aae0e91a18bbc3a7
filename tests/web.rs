//! The Wasm face, run inside real headless browsers by `wasm-pack test`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::{JsCast, JsValue};
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

const GMAIL: &str = include_str!("corpus/transport/gmail-inbound.eml");
const STRIPPED: &str = include_str!("corpus/transport/starttls-stripped.eml");

fn get(value: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(value.clone(), |v, key| {
        let key = match key.parse::<u32>() {
            Ok(index) => JsValue::from(index),
            Err(_) => JsValue::from_str(key),
        };
        js_sys::Reflect::get(&v, &key).unwrap_or(JsValue::UNDEFINED)
    })
}

#[wasm_bindgen_test]
fn analyze_message_in_the_browser_matches_the_native_report() {
    let report = sealmark::wasm::analyze_message(JsValue::from_str(GMAIL), JsValue::UNDEFINED)
        .unwrap_or(JsValue::NULL);
    let json = js_sys::JSON::stringify(&report)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    let native = sealmark::transport::analyze(GMAIL.as_bytes(), &Default::default())
        .map(|r| serde_json::to_value(r).unwrap_or_default())
        .unwrap_or_default();
    let from_browser: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(from_browser, native);
    assert_eq!(
        get(&report, &["hops", "1", "tls", "version"])
            .as_string()
            .as_deref(),
        Some("TLSv1.3")
    );
    assert!(
        get(&report, &["hops", "0", "tls", "version"]).is_null(),
        "absent values are null, not undefined"
    );
}

#[wasm_bindgen_test]
fn analyze_message_takes_bytes_and_trusted_domains() {
    let bytes = js_sys::Uint8Array::from(STRIPPED.as_bytes());
    let options =
        js_sys::JSON::parse(r#"{"trustedDomains":["isp.example.com"]}"#).unwrap_or(JsValue::NULL);
    let report = sealmark::wasm::analyze_message(bytes.into(), options).unwrap_or(JsValue::NULL);
    assert_eq!(
        get(&report, &["verdict", "sentence"])
            .as_string()
            .as_deref(),
        Some("Hop 3 was plaintext — possible STARTTLS downgrade")
    );
    assert_eq!(
        get(&report, &["hops", "1", "trusted"]).as_bool(),
        Some(true)
    );
}

#[wasm_bindgen_test]
fn analyze_message_errors_carry_a_code() {
    let error = sealmark::wasm::analyze_message(JsValue::from(42), JsValue::UNDEFINED)
        .err()
        .unwrap_or(JsValue::NULL);
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get(&error, &["code"]).as_string().as_deref(),
        Some("BAD_INPUT")
    );
}
