//! What the browser's WebCrypto does natively and Wasm does slowly: here,
//! making RSA primes (~10× faster, and on the browser's own threads). Outside
//! a browser, or if WebCrypto refuses, the core makes the material itself.

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::openpgp::Result;
use crate::openpgp::keys::RsaMaterial;

/// Two RSA keys of `bits` bits (a primary and its encryption subkey), made
/// concurrently by WebCrypto where there is one.
pub async fn rsa_pair(bits: usize) -> Result<(RsaMaterial, RsaMaterial)> {
    let (first, second) = (start_rsa(bits), start_rsa(bits));
    match (finish_rsa(first).await, finish_rsa(second).await) {
        (Some(first), Some(second)) => Ok((first?, second?)),
        _ => Ok((RsaMaterial::generate(bits)?, RsaMaterial::generate(bits)?)),
    }
}

/// One RSA key of `bits` bits from WebCrypto; `None` without WebCrypto (or
/// if it refuses), an error if what it made is unusable.
pub async fn rsa_from_webcrypto(bits: usize) -> Option<Result<RsaMaterial>> {
    finish_rsa(start_rsa(bits)).await
}

async fn finish_rsa(started: Option<Promise>) -> Option<Result<RsaMaterial>> {
    let jwk = exported(started?).await?;
    Some(from_jwk(&jwk))
}

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(name))
        .ok()
        .filter(|value| !value.is_undefined() && !value.is_null())
}

fn subtle() -> Option<JsValue> {
    get(&get(&js_sys::global(), "crypto")?, "subtle")
}

/// Starts `subtle.generateKey` for an extractable RSA key.
fn start_rsa(bits: usize) -> Option<Promise> {
    let subtle = subtle()?;
    let algorithm = Object::new();
    let set = |name: &str, value: &JsValue| {
        Reflect::set(&algorithm, &JsValue::from_str(name), value).ok()
    };
    set("name", &JsValue::from_str("RSASSA-PKCS1-v1_5"))?;
    set("modulusLength", &JsValue::from_f64(bits as f64))?;
    set("publicExponent", &Uint8Array::from(&[1u8, 0, 1][..]))?;
    set("hash", &JsValue::from_str("SHA-256"))?;
    let usages = Array::of2(&JsValue::from_str("sign"), &JsValue::from_str("verify"));
    let generate = get(&subtle, "generateKey")?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    generate
        .call3(&subtle, &algorithm, &JsValue::TRUE, &usages)
        .ok()?
        .dyn_into::<Promise>()
        .ok()
}

/// Waits for a key pair and exports its private half as a JWK.
async fn exported(pair: Promise) -> Option<JsValue> {
    let pair = JsFuture::from(pair).await.ok()?;
    let private = get(&pair, "privateKey")?;
    let subtle = subtle()?;
    let export = get(&subtle, "exportKey")?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let promise = export
        .call2(&subtle, &JsValue::from_str("jwk"), &private)
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    JsFuture::from(promise).await.ok()
}

fn from_jwk(jwk: &JsValue) -> Result<RsaMaterial> {
    use base64::Engine;
    let part = |name: &str| -> Result<Vec<u8>> {
        let text = get(jwk, name).and_then(|v| v.as_string()).ok_or_else(|| {
            crate::openpgp::OpenPgpError::Internal(format!("WebCrypto's RSA key lacks {name}"))
        })?;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .map_err(|e| {
                crate::openpgp::OpenPgpError::Internal(format!("WebCrypto's RSA {name}: {e}"))
            })
    };
    RsaMaterial::from_components(
        &part("n")?,
        &part("e")?,
        &part("d")?,
        &part("p")?,
        &part("q")?,
    )
}
