//! Conversions between JavaScript values and the core's types, shared by
//! every feature's face.

use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[cfg(feature = "openpgp")]
use crate::js_bytes::JsReader;
#[cfg(feature = "openpgp")]
use crate::openpgp::{OpenPgpError, keys};

pub(super) fn bytes_of(value: &JsValue) -> Result<Vec<u8>, JsValue> {
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

pub(super) fn from_js<T: serde::de::DeserializeOwned>(
    value: JsValue,
    function: &str,
) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| error("BAD_OPTIONS", &format!("{function} options: {e}")))
}

/// Plain JSON-compatible objects: `null` for absent values, objects for maps.
pub(super) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error("INTERNAL", &e.to_string()))
}

/// A JavaScript `Error` whose `code` property callers can switch on.
pub(super) fn error(code: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(code));
    error.into()
}

#[cfg(feature = "openpgp")]
pub(super) fn certs_of(armored: &[String]) -> Result<Vec<pgp::composed::SignedPublicKey>, JsValue> {
    let mut certs = Vec::new();
    for key in armored {
        certs.extend(keys::read_certs(key.as_bytes()).map_err(js_error)?);
    }
    Ok(certs)
}

#[cfg(feature = "openpgp")]
pub(super) fn secrets_of(
    armored: &[String],
) -> Result<Vec<pgp::composed::SignedSecretKey>, JsValue> {
    let mut secrets = Vec::new();
    for key in armored {
        secrets.extend(keys::read_secret_keys(key.as_bytes()).map_err(js_error)?);
    }
    Ok(secrets)
}

#[cfg(feature = "openpgp")]
pub(super) fn one_secret(armored: &str) -> Result<pgp::composed::SignedSecretKey, JsValue> {
    keys::read_secret_keys(armored.as_bytes())
        .map_err(js_error)?
        .into_iter()
        .next()
        .ok_or_else(|| js_error(OpenPgpError::BadKey("no secret key found".into())))
}

#[cfg(feature = "openpgp")]
pub(super) fn one_cert(armored: &str) -> Result<pgp::composed::SignedPublicKey, JsValue> {
    keys::read_certs(armored.as_bytes())
        .map_err(js_error)?
        .into_iter()
        .next()
        .ok_or_else(|| js_error(OpenPgpError::BadKey("no certificate found".into())))
}

#[cfg(feature = "openpgp")]
pub(super) fn field(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

#[cfg(feature = "openpgp")]
pub(super) fn field_bytes(object: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    required_bytes(&field(object, name), name)
}

#[cfg(feature = "openpgp")]
/// `value` (the option `name`) copied into Wasm memory.
pub(super) fn required_bytes(value: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    if value.is_undefined() {
        return Err(error(
            "BAD_INPUT",
            &format!("the option {name} is required"),
        ));
    }
    bytes_of(value)
}

#[cfg(feature = "openpgp")]
/// `value` (the option `name`) read piece by piece from JavaScript memory.
pub(super) fn reader_of(value: &JsValue, name: &str) -> Result<JsReader, JsValue> {
    if value.is_undefined() {
        return Err(error(
            "BAD_INPUT",
            &format!("the option {name} is required"),
        ));
    }
    JsReader::of(value).ok_or_else(|| {
        error(
            "BAD_INPUT",
            &format!("expected {name} as a string or a Uint8Array"),
        )
    })
}

/// An option its function reads itself, before the others (text or bytes
/// that stay in JavaScript): declared among the options for its TypeScript
/// type, and passed over without a look when they are read.
#[cfg(feature = "openpgp")]
pub(super) type ReadFirst = serde::de::IgnoredAny;

#[cfg(feature = "openpgp")]
pub(super) fn set(object: &JsValue, name: &str, value: &JsValue) {
    // Setting a property on a plain object we created cannot fail.
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(name), value);
}

#[cfg(feature = "openpgp")]
/// Armored output as a string, binary as a `Uint8Array`.
pub(super) fn output(bytes: Vec<u8>, armored: bool) -> JsValue {
    if armored {
        match String::from_utf8(bytes) {
            Ok(text) => JsValue::from(text),
            Err(error) => JsValue::from(String::from_utf8_lossy(error.as_bytes()).into_owned()),
        }
    } else {
        js_sys::Uint8Array::from(bytes.as_slice()).into()
    }
}

/// The error as JavaScript sees it: `{code, message}`, and `detail: {key,
/// args}` where the message can be said from the locale files.
#[cfg(feature = "openpgp")]
pub(super) fn js_error(error: OpenPgpError) -> JsValue {
    let thrown = self::error(error.code(), &error.to_string());
    if let Some(detail) = error.detail() {
        let said = js_sys::Object::new();
        set(
            &said,
            "key",
            &JsValue::from(format!("coreDetail_{}", detail.code)),
        );
        let args: js_sys::Array = detail
            .args
            .iter()
            .map(|arg| JsValue::from(arg.as_str()))
            .collect();
        set(&said, "args", &args);
        set(&thrown, "detail", &said);
    }
    thrown
}
