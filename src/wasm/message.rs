//! Messages: armor, encryption, decryption, signatures.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::convert::*;
use crate::js_bytes::{self, JsBytes};
use crate::openpgp::message::{self, Adopt, DecryptOptions, Decrypted, EncryptOptions, Plaintext};
use crate::openpgp::unlock::UnlockKey;
use crate::openpgp::verify::SignatureCheck;
use crate::openpgp::{armor, sign};

/// The binary form of armored OpenPGP data (a certificate to serve over WKD, say).
#[wasm_bindgen]
pub fn dearmor(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] armored: JsValue,
) -> Result<js_sys::Uint8Array, JsValue> {
    let bytes = armor::dearmor(&bytes_of(&armored)?).map_err(js_error)?;
    Ok(js_sys::Uint8Array::from(bytes.as_slice()))
}

/// `encrypt` options.
#[derive(Deserialize, Default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(rename = "EncryptOptions"))]
#[serde(rename_all = "camelCase")]
struct EncryptJsOptions {
    /// Text (encrypted as UTF-8 text with CRLF line ends) or bytes.
    #[serde(rename = "data")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | Bytes"))]
    _data: ReadFirst,
    /// Armored certificates of the recipients.
    #[serde(default)]
    encryption_keys: Vec<String>,
    /// Armored secret keys to sign with.
    #[serde(default)]
    signing_keys: Vec<String>,
    /// The signing keys' passphrase.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    passphrase: Option<String>,
    /// A password that can decrypt the message too.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    password: Option<String>,
    /// Armored text (the default) or bytes.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    armor: Option<bool>,
}

/// Encrypts `{data, encryptionKeys, signingKeys?, passphrase?, password?, armor?}`
/// → a promise of the armored string, or of a `Uint8Array` with `armor: false`.
/// The container's AES runs in WebCrypto where there is one.
#[wasm_bindgen(unchecked_return_type = "string | Uint8Array")]
pub async fn encrypt(
    #[wasm_bindgen(unchecked_param_type = "EncryptOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let data = field(&options, "data");
    #[cfg(feature = "test-hooks")]
    super::test_hooks::panic_if_asked(&data).await;
    let text = data.is_string();
    let data = reader_of(&data, "data")?;
    let options: EncryptJsOptions = from_js(options, "encrypt")?;
    let recipients = certs_of(&options.encryption_keys)?;
    let signing = secrets_of(&options.signing_keys)?;
    let signers: Vec<UnlockKey<'_>> = signing
        .iter()
        .map(|key| UnlockKey {
            key,
            passphrase: options.passphrase.as_deref(),
        })
        .collect();
    let passwords: Vec<String> = options.password.into_iter().collect();
    let ciphertext = message::encrypt_with(
        data,
        &EncryptOptions {
            recipients: &recipients,
            signers: &signers,
            passwords: &passwords,
            armor: false,
            text,
        },
        &crate::webcrypto::WebCryptoPrimitives,
    )
    .await
    .map_err(js_error)?;
    if options.armor.unwrap_or(true) {
        js_bytes::armored_text(&ciphertext).map_err(js_error)
    } else {
        Ok(js_sys::Uint8Array::from(ciphertext.as_slice()).into())
    }
}

/// `keysFor` options.
#[derive(Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
struct KeysForOptions {
    /// The encrypted message, armored or binary.
    #[serde(rename = "message")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | Bytes"))]
    _message: ReadFirst,
    /// Armored secret keys.
    keys: Vec<String>,
}

/// Which of `{message, keys}` (armored secret keys) an encrypted message is
/// addressed to: their indices, read from its key packets without decrypting
/// (no passphrase needed). The caller asks for one passphrase and decrypts
/// once, instead of trying every key.
#[wasm_bindgen(js_name = keysFor, unchecked_return_type = "number[]")]
pub fn keys_for(
    #[wasm_bindgen(unchecked_param_type = "KeysForOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let message = field_bytes(&options, "message")?;
    let options: KeysForOptions = from_js(options, "keysFor")?;
    // A key that cannot be read is not one the message is for; the others still answer.
    let (mut positions, mut secrets) = (Vec::new(), Vec::new());
    for (index, armored) in options.keys.iter().enumerate() {
        if let Ok(key) = one_secret(armored) {
            positions.push(index);
            secrets.push(key);
        }
    }
    let indices: Vec<usize> = message::addressed_keys(&message, &secrets)
        .map_err(js_error)?
        .into_iter()
        .filter_map(|found| positions.get(found).copied())
        .collect();
    to_js(&indices)
}

/// `decrypt` options; `openMessage`'s too, which reads `outer` besides.
#[derive(Deserialize, Default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(rename = "DecryptOptions"))]
#[serde(rename_all = "camelCase")]
struct DecryptJsOptions {
    /// The message, armored or binary.
    #[serde(rename = "message")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | Bytes"))]
    _message: ReadFirst,
    /// Armored secret keys.
    #[serde(default)]
    decryption_keys: Vec<String>,
    /// Their passphrase.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    passphrase: Option<String>,
    /// A password the message was encrypted with.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    password: Option<String>,
    /// Armored certificates to check the signatures with.
    #[serde(default)]
    verification_keys: Vec<String>,
    /// The data as text (the default) or bytes.
    #[serde(rename = "format", default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "'utf8' | 'binary'"))]
    _format: ReadFirst,
    /// The most plaintext the caller takes: a compressed message can hold far more than its size.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    max_plaintext: Option<usize>,
    /// `openMessage`: the header fields the message's outside showed, to
    /// compare with those protected inside.
    #[serde(rename = "outer", default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "HeaderFields | null"))]
    _outer: ReadFirst,
}

/// The result of `decrypt`.
#[derive(Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
struct DecryptResult {
    /// The plaintext, as text or bytes as asked.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | Bytes"))]
    data: JsValue,
    /// The file name the message states.
    filename: Option<String>,
    /// Every signature over the data.
    signatures: Vec<SignatureCheck>,
}

/// Decrypts `{message, decryptionKeys?, passphrase?, password?, verificationKeys?, format?}`
/// → a promise of `{data, filename, signatures}`; `data` is a string unless
/// `format: 'binary'`. The container's AES runs in WebCrypto where there is one.
#[wasm_bindgen(unchecked_return_type = "DecryptResult")]
pub async fn decrypt(
    #[wasm_bindgen(unchecked_param_type = "DecryptOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let format = field(&options, "format");
    let format = if format.is_undefined() || format.is_null() {
        Some("utf8".to_owned())
    } else {
        format.as_string()
    };
    let binary = match format.as_deref().unwrap_or("not a string") {
        "binary" => true,
        "utf8" => false,
        other => {
            return Err(error(
                "BAD_OPTIONS",
                &format!("format must be 'utf8' or 'binary', not {other:?}"),
            ));
        }
    };
    let decrypted = decrypted::<JsBytes>(options).await?;
    let data = if binary {
        decrypted.data.into_uint8array().into()
    } else {
        decrypted.data.into_text().ok_or_else(|| {
            error(
                "NOT_TEXT",
                "the decrypted data is not UTF-8 text; ask for format: 'binary'",
            )
        })?
    };
    to_js(&DecryptResult {
        data,
        filename: decrypted.filename,
        signatures: decrypted.signatures,
    })
}

/// The decryption `decrypt` and `openMessage` share, into `D`.
pub(super) async fn decrypted<D: Plaintext + Adopt<crate::webcrypto::Opened>>(
    options: JsValue,
) -> Result<Decrypted<D>, JsValue> {
    let message = field(&options, "message");
    if message.is_undefined() {
        return Err(error("BAD_INPUT", "the option message is required"));
    }
    let options: DecryptJsOptions = from_js(options, "decrypt")?;
    let secrets = secrets_of(&options.decryption_keys)?;
    let keys: Vec<UnlockKey<'_>> = secrets
        .iter()
        .map(|key| UnlockKey {
            key,
            passphrase: options.passphrase.as_deref(),
        })
        .collect();
    let verification = certs_of(&options.verification_keys)?;
    let passwords: Vec<String> = options.password.into_iter().collect();
    let options = DecryptOptions {
        keys: &keys,
        passwords: &passwords,
        verification: &verification,
        max_plaintext: options.max_plaintext,
    };
    let primitives = crate::webcrypto::WebCryptoPrimitives;
    // Armored text is decoded as it is read from the JavaScript string.
    if message.is_string() {
        let text = reader_of(&message, "message")?;
        message::decrypt_text_with::<_, D>(text, &options, &primitives).await
    } else {
        let ciphertext = required_bytes(&message, "message")?;
        message::decrypt_with::<_, D>(ciphertext, &options, &primitives).await
    }
    .map_err(js_error)
}

/// `sign` options.
#[derive(Deserialize, Default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(rename = "SignOptions"))]
#[serde(rename_all = "camelCase")]
struct SignJsOptions {
    /// What to sign: text or bytes.
    #[serde(rename = "data")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | Bytes"))]
    _data: ReadFirst,
    /// Armored secret keys to sign with.
    signing_keys: Vec<String>,
    /// Their passphrase.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    passphrase: Option<String>,
    /// A detached signature (the default), or a cleartext-signed text.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    detached: Option<bool>,
    /// An armored signature (the default) or bytes.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    armor: Option<bool>,
}

/// Signs `{data, signingKeys, passphrase?, detached? = true, armor? = true}`: a
/// promise of a detached signature, or with `detached: false` of a
/// cleartext-signed text. The passphrase derivation is hashed by WebCrypto
/// where there is one.
#[wasm_bindgen(unchecked_return_type = "string | Uint8Array")]
pub async fn sign(
    #[wasm_bindgen(unchecked_param_type = "SignOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let data = field_bytes(&options, "data")?;
    let options: SignJsOptions = from_js(options, "sign")?;
    let secrets = secrets_of(&options.signing_keys)?;
    let signers: Vec<UnlockKey<'_>> = secrets
        .iter()
        .map(|key| UnlockKey {
            key,
            passphrase: options.passphrase.as_deref(),
        })
        .collect();
    if options.detached.unwrap_or(true) {
        let armored = options.armor.unwrap_or(true);
        let signature = sign::sign_detached_with(
            &data,
            &signers,
            false,
            armored,
            &crate::webcrypto::WebCryptoPrimitives,
        )
        .await
        .map_err(js_error)?;
        Ok(output(signature, armored))
    } else {
        let text = String::from_utf8(data)
            .map_err(|_| error("BAD_INPUT", "cleartext signing needs text"))?;
        sign::sign_cleartext_with(&text, &signers, &crate::webcrypto::WebCryptoPrimitives)
            .await
            .map(JsValue::from)
            .map_err(js_error)
    }
}

/// `verify` options: `data` and its detached `signature`, or a
/// cleartext-signed `message`.
#[derive(Deserialize, Default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(rename = "VerifyOptions"))]
#[serde(rename_all = "camelCase")]
struct VerifyJsOptions {
    /// The signed data, text or bytes (with `signature`).
    #[serde(rename = "data", default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | Bytes"))]
    _data: ReadFirst,
    /// The detached signature over `data`, armored or binary.
    #[serde(rename = "signature", default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | Bytes"))]
    _signature: ReadFirst,
    /// A cleartext-signed text (instead of `data` and `signature`).
    #[serde(rename = "message", default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string"))]
    _message: ReadFirst,
    /// Armored certificates to check the signatures with.
    verification_keys: Vec<String>,
}

/// Verifies `{data, signature, verificationKeys}` (detached) or
/// `{message, verificationKeys}` (cleartext) → `{data?, signatures}`.
#[wasm_bindgen(unchecked_return_type = "VerifyResult")]
pub fn verify(
    #[wasm_bindgen(unchecked_param_type = "VerifyOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let cleartext = field(&options, "message");
    let data = field(&options, "data");
    let signature = field(&options, "signature");
    let options: VerifyJsOptions = from_js(options, "verify")?;
    let certs = certs_of(&options.verification_keys)?;
    if !cleartext.is_undefined() {
        let verified = sign::verify_cleartext(&bytes_of(&cleartext)?, &certs).map_err(js_error)?;
        return to_js(&VerifyResult {
            data: Some(verified.text),
            signatures: verified.signatures,
        });
    }
    let checks = sign::verify_detached(&bytes_of(&data)?, &bytes_of(&signature)?, &certs)
        .map_err(js_error)?;
    to_js(&VerifyResult {
        data: None,
        signatures: checks,
    })
}

/// The result of `verify`.
#[derive(Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
struct VerifyResult {
    /// A cleartext-signed message's text, as the signatures cover it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    data: Option<String>,
    /// Every signature.
    signatures: Vec<SignatureCheck>,
}

/// Every armored block in a text, repaired, with where it was and what was forgiven.
#[wasm_bindgen(js_name = findArmoredBlocks, unchecked_return_type = "ArmoredBlock[]")]
pub fn find_armored_blocks(text: &str) -> Result<JsValue, JsValue> {
    to_js(&armor::find_blocks(text))
}
