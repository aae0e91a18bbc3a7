//! Messages: armor, encryption, decryption, signatures.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::convert::*;
use crate::js_bytes::{self, JsBytes};
use crate::openpgp::message::{self, Adopt, DecryptOptions, Decrypted, EncryptOptions, Plaintext};
use crate::openpgp::unlock::UnlockKey;
use crate::openpgp::verify::SignatureCheck;
use crate::openpgp::{armor, sign};

#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &str = r#"
export interface EncryptOptions {
  data: string | Bytes; encryptionKeys: string[]; signingKeys?: string[]; passphrase?: string;
  password?: string; armor?: boolean; filename?: string;
}
export interface KeysForOptions { message: string | Bytes; keys: string[]; }
export interface DecryptOptions {
  message: string | Bytes; decryptionKeys?: string[]; passphrase?: string; password?: string;
  verificationKeys?: string[]; format?: 'utf8' | 'binary'; maxPlaintext?: number;
}
export interface DecryptResult<D = string | Bytes> { data: D; filename: string | null; signatures: SignatureCheck[]; }
export interface SignOptions { data: string | Bytes; signingKeys: string[]; passphrase?: string; detached?: boolean; armor?: boolean; }
export type VerifyOptions =
  | { data: string | Bytes; signature: string | Bytes; verificationKeys: string[] }
  | { message: string; verificationKeys: string[] };
export interface VerifyResult { data?: string; signatures: SignatureCheck[]; }
"#;

/// The binary form of armored OpenPGP data (a certificate to serve over WKD, say).
#[wasm_bindgen]
pub fn dearmor(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] armored: JsValue,
) -> Result<js_sys::Uint8Array, JsValue> {
    let bytes = armor::dearmor(&bytes_of(&armored)?).map_err(js_error)?;
    Ok(js_sys::Uint8Array::from(bytes.as_slice()))
}

/// `encrypt` options; `data` is read separately (string or bytes).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct EncryptJsOptions {
    #[serde(default)]
    encryption_keys: Vec<String>,
    #[serde(default)]
    signing_keys: Vec<String>,
    passphrase: Option<String>,
    password: Option<String>,
    armor: Option<bool>,
    filename: Option<String>,
}

/// Encrypts `{data, encryptionKeys, signingKeys?, passphrase?, password?, armor?, filename?}`
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
            filename: options.filename,
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

/// `decrypt` options; `message` is read separately.
/// `keysFor` options.
#[derive(Deserialize)]
struct KeysForOptions {
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

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct DecryptJsOptions {
    #[serde(default)]
    decryption_keys: Vec<String>,
    passphrase: Option<String>,
    password: Option<String>,
    #[serde(default)]
    verification_keys: Vec<String>,
    /// The most plaintext the caller takes: a compressed message can hold far more than its size.
    max_plaintext: Option<usize>,
}

/// The result of `decrypt`.
#[derive(Serialize)]
struct DecryptResult {
    filename: Option<String>,
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
    let result = to_js(&DecryptResult {
        filename: decrypted.filename,
        signatures: decrypted.signatures,
    })?;
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
    set(&result, "data", &data);
    Ok(result)
}

/// The decryption `decrypt` and `openMessage` share, into `D`.
pub(super) async fn decrypted<D: Plaintext + Adopt<crate::webcrypto::Opened>>(
    options: JsValue,
) -> Result<Decrypted<D>, JsValue> {
    let message = field(&options, "message");
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

/// `sign` options; `data` is read separately.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SignJsOptions {
    signing_keys: Vec<String>,
    passphrase: Option<String>,
    detached: Option<bool>,
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

/// `verify` options; `data`, `signature` and `message` are read separately.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct VerifyJsOptions {
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
        let result = to_js(&SignaturesOnly {
            signatures: verified.signatures,
        })?;
        set(&result, "data", &JsValue::from(verified.text));
        return Ok(result);
    }
    let checks = sign::verify_detached(&bytes_of(&data)?, &bytes_of(&signature)?, &certs)
        .map_err(js_error)?;
    to_js(&SignaturesOnly { signatures: checks })
}

#[derive(Serialize)]
struct SignaturesOnly {
    signatures: Vec<SignatureCheck>,
}

/// Every armored block in a text, repaired, with where it was and what was forgiven.
#[wasm_bindgen(js_name = findArmoredBlocks, unchecked_return_type = "ArmoredBlock[]")]
pub fn find_armored_blocks(text: &str) -> Result<JsValue, JsValue> {
    to_js(&armor::find_blocks(text))
}
