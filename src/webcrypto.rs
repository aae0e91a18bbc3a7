//! What the browser's WebCrypto does natively and Wasm does slowly: making
//! RSA primes (~10× faster, and on the browser's own threads) and the AES of
//! SEIPDv1 encryption (AES instructions instead of bitsliced AES). Outside a
//! browser, or if WebCrypto refuses, the core does the work itself.

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::openpgp::Result;
use crate::openpgp::keys::{RsaMaterial, RsaSource, SoftRsa};

/// RSA key pairs from WebCrypto: both keys (a primary and its encryption
/// subkey) made concurrently, or by the core without WebCrypto.
pub struct WebCryptoRsa;

impl RsaSource for WebCryptoRsa {
    async fn pair(&self, bits: usize) -> Result<(RsaMaterial, RsaMaterial)> {
        let (first, second) = (start_rsa(bits), start_rsa(bits));
        match (finish_rsa(first).await, finish_rsa(second).await) {
            (Some(first), Some(second)) => Ok((first?, second?)),
            _ => SoftRsa.pair(bits).await,
        }
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

/// SEIPDv1's CFB layer through WebCrypto's AES-CBC: CBC-enciphering the
/// plaintext shifted one block to the right (a zero block first) with a zero
/// IV yields, block by block, exactly the cipher output CFB XORs with the
/// plaintext — all of it in one native call.
pub struct WebCryptoCfb;

/// Below this, WebCrypto's round trips cost more than the soft cipher does.
const WEBCRYPTO_CFB_FROM: usize = 16 * 1024;

impl crate::openpgp::seipd_v1::CfbCipher for WebCryptoCfb {
    async fn encrypt(&self, key: &[u8], data: &mut [u8]) -> Result<()> {
        if data.len() >= WEBCRYPTO_CFB_FROM && cfb_with_webcrypto(key, data).await {
            Ok(())
        } else {
            crate::openpgp::seipd_v1::SoftCfb.encrypt(key, data).await
        }
    }
}

/// AES-256-CFB (zero IV) of `data` in place by WebCrypto; `false`, with
/// `data` untouched, when there is no WebCrypto or it refused.
pub async fn cfb_with_webcrypto(key: &[u8], data: &mut [u8]) -> bool {
    if data.is_empty() {
        return true;
    }
    match cbc_keystream(key, data).await {
        Some(stream) if stream.len() >= data.len() => {
            for (byte, pad) in data.iter_mut().zip(stream) {
                *byte ^= pad;
            }
            true
        }
        _ => false,
    }
}

async fn cbc_keystream(key: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    let blocks = data.len().div_ceil(16);
    let mut shifted = vec![0u8; blocks * 16];
    let whole = (blocks.saturating_sub(1)) * 16;
    shifted
        .get_mut(16..16 + whole)?
        .copy_from_slice(data.get(..whole)?);
    let subtle = subtle()?;
    let algorithm = Object::new();
    Reflect::set(
        &algorithm,
        &JsValue::from_str("name"),
        &JsValue::from_str("AES-CBC"),
    )
    .ok()?;
    let usages = Array::of1(&JsValue::from_str("encrypt"));
    let import = get(&subtle, "importKey")?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let args = Array::of5(
        &JsValue::from_str("raw"),
        &Uint8Array::from(key),
        &algorithm,
        &JsValue::FALSE,
        &usages,
    );
    let imported = import
        .apply(&subtle, &args)
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    let cipher_key = JsFuture::from(imported).await.ok()?;
    Reflect::set(
        &algorithm,
        &JsValue::from_str("iv"),
        &Uint8Array::from(&[0u8; 16][..]),
    )
    .ok()?;
    let encrypt = get(&subtle, "encrypt")?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let pending = encrypt
        .call3(
            &subtle,
            &algorithm,
            &cipher_key,
            &Uint8Array::from(&shifted[..]),
        )
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    drop(shifted);
    let buffer = JsFuture::from(pending).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}
