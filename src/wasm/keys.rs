//! Keys: generation, reading, passphrase changes, subkeys, revocation, merging.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::convert::*;
use crate::openpgp::OpenPgpError;
use crate::openpgp::keys::{self, GenerateOptions, Profile};
use crate::openpgp::unlock::{self, UnlockKey};

/// `generateKey` options.
#[derive(Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
struct GenerateKeyOptions {
    user_ids: Vec<String>,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    passphrase: Option<String>,
    #[serde(rename = "type")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "'curve25519' | 'rsa3072' | 'rsa4096'")
    )]
    key_type: Option<String>,
    /// 'rfc9980' (type 'curve25519'): v6 Ed25519 with a post-quantum ML-KEM-768+X25519 encryption subkey.
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "'rfc4880' | 'rfc9580' | 'rfc9980'")
    )]
    profile: Option<String>,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    expires_in_days: Option<u32>,
    /// 'argon2': memory-hard protection for every key version (GnuPG 2.2 cannot read it); default 'compatible'.
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "'compatible' | 'argon2'")
    )]
    protection: Option<String>,
}

/// The `protection` option: how a new passphrase locks the key.
fn lock_kind(protection: Option<&str>) -> Result<keys::Lock, JsValue> {
    match protection {
        None | Some("compatible") => Ok(keys::Lock::Compatible),
        Some("argon2") => Ok(keys::Lock::Argon2),
        Some(other) => Err(error(
            "BAD_OPTIONS",
            &format!("unknown protection {other:?}: use 'compatible' or 'argon2'"),
        )),
    }
}

/// The result of `generateKey`.
#[derive(Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
struct GeneratedKey {
    private_key: String,
    public_key: String,
    fingerprint: String,
}

/// Generates a key: `{userIds, passphrase?, type?, profile?, expiresInDays?}` →
/// a promise of `{privateKey, publicKey, fingerprint}` (armored). RSA primes
/// come from WebCrypto where there is one.
#[wasm_bindgen(js_name = generateKey, unchecked_return_type = "GeneratedKey")]
pub async fn generate_key(
    #[wasm_bindgen(unchecked_param_type = "GenerateKeyOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options: GenerateKeyOptions = from_js(options, "generateKey")?;
    let profile =
        Profile::from_type_and_profile(options.key_type.as_deref(), options.profile.as_deref())
            .map_err(js_error)?;
    let generate = GenerateOptions {
        user_ids: options.user_ids.clone(),
        passphrase: options.passphrase,
        profile,
        expires_in: options
            .expires_in_days
            .map(|days| days.saturating_mul(86_400)),
    };
    let kind = lock_kind(options.protection.as_deref())?;
    let key = keys::generate_with(&generate, &crate::webcrypto::WebCryptoRsa, kind)
        .await
        .map_err(js_error)?;
    to_js(&GeneratedKey {
        private_key: keys::armor_secret(&key).map_err(js_error)?,
        public_key: keys::armor_cert(&key.to_public_key()).map_err(js_error)?,
        fingerprint: keys::fingerprint(&key.primary_key),
    })
}

/// Key information for an armored (or binary) key or certificate; for a
/// block with several keys, the first.
#[wasm_bindgen(js_name = readKey, unchecked_return_type = "KeyInfo")]
pub fn read_key(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] key: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&key)?;
    let info = keys::describe(&bytes).map_err(js_error)?.into_iter().next();
    to_js(&info.ok_or_else(|| js_error(OpenPgpError::BadKey("no key found".into())))?)
}

/// One key of a block, as `readKeys` lists it for an import preview.
#[derive(Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
struct KeyEntry {
    info: keys::KeyInfo,
    public_key: String,
    private_key: Option<String>,
}

/// Every key in a block (or several blocks) of keys and certificates, each
/// with its information and armored on its own: `{info, publicKey, privateKey}`.
#[wasm_bindgen(js_name = readKeys, unchecked_return_type = "KeyEntry[]")]
pub fn read_keys(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let entries = keys::split(&bytes_of(&input)?).map_err(js_error)?;
    let mut listed = Vec::with_capacity(entries.len());
    for entry in entries {
        listed.push(KeyEntry {
            info: entry.info,
            public_key: keys::armor_cert(&entry.cert).map_err(js_error)?,
            private_key: entry
                .secret
                .as_ref()
                .map(keys::armor_secret)
                .transpose()
                .map_err(js_error)?,
        });
    }
    to_js(&listed)
}

/// `changePassphrase` options.
#[derive(Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
struct ChangePassphraseOptions {
    private_key: String,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    passphrase: Option<String>,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    new_passphrase: Option<String>,
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "'compatible' | 'argon2'")
    )]
    protection: Option<String>,
}

/// Re-locks a secret key: `{privateKey, passphrase?, newPassphrase?, protection?}` → a
/// promise of the armored secret key (without `newPassphrase` the protection
/// is removed). The old passphrase's derivation is hashed by WebCrypto where
/// there is one.
#[wasm_bindgen(js_name = changePassphrase, unchecked_return_type = "string")]
pub async fn change_passphrase(
    #[wasm_bindgen(unchecked_param_type = "ChangePassphraseOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options: ChangePassphraseOptions = from_js(options, "changePassphrase")?;
    let key = one_secret(&options.private_key)?;
    let changed = keys::change_passphrase_with(
        &key,
        options.passphrase.as_deref(),
        options.new_passphrase.as_deref(),
        lock_kind(options.protection.as_deref())?,
        &crate::webcrypto::WebCryptoPrimitives,
    )
    .await
    .map_err(js_error)?;
    keys::armor_secret(&changed)
        .map(JsValue::from)
        .map_err(js_error)
}

/// `checkPassphrase` options.
#[derive(Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
struct CheckPassphraseOptions {
    private_key: String,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    passphrase: Option<String>,
}

/// Checks `{privateKey, passphrase?}`: a promise that settles when the
/// passphrase unlocks the key and fails with `KEY_IS_PROTECTED` (none given)
/// or `BAD_PASSPHRASE`. Nothing is locked anew; the derivation is hashed by
/// WebCrypto where there is one.
#[wasm_bindgen(js_name = checkPassphrase, unchecked_return_type = "undefined")]
pub async fn check_passphrase(
    #[wasm_bindgen(unchecked_param_type = "CheckPassphraseOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options: CheckPassphraseOptions = from_js(options, "checkPassphrase")?;
    let key = one_secret(&options.private_key)?;
    let unlock = UnlockKey {
        key: &key,
        passphrase: options.passphrase.as_deref(),
    };
    unlock::check_passphrase_with(&unlock, &crate::webcrypto::WebCryptoPrimitives)
        .await
        .map_err(js_error)?;
    Ok(JsValue::UNDEFINED)
}

/// `addPostQuantumSubkey` options.
#[derive(Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
struct AddPostQuantumSubkeyOptions {
    private_key: String,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    passphrase: Option<String>,
}

/// Adds an ML-KEM-768+X25519 encryption subkey (RFC 9980) to a v4 or v6
/// secret key: `{privateKey, passphrase?}` → `{privateKey, publicKey,
/// fingerprint}` (armored; the new subkey is locked like the primary key).
#[wasm_bindgen(js_name = addPostQuantumSubkey, unchecked_return_type = "GeneratedKey")]
pub fn add_post_quantum_subkey(
    #[wasm_bindgen(unchecked_param_type = "AddPostQuantumSubkeyOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options: AddPostQuantumSubkeyOptions = from_js(options, "addPostQuantumSubkey")?;
    let key = one_secret(&options.private_key)?;
    let updated =
        keys::add_post_quantum_subkey(&key, options.passphrase.as_deref()).map_err(js_error)?;
    to_js(&GeneratedKey {
        private_key: keys::armor_secret(&updated).map_err(js_error)?,
        public_key: keys::armor_cert(&updated.to_public_key()).map_err(js_error)?,
        fingerprint: keys::fingerprint(&updated.primary_key),
    })
}

/// `revokeKey` options.
#[derive(Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
struct RevokeOptions {
    private_key: String,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    passphrase: Option<String>,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    reason: Option<String>,
}

/// The result of `revokeKey`.
#[derive(Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(rename = "RevokedKey"))]
#[serde(rename_all = "camelCase")]
struct Revoked {
    public_key: String,
    revocation_certificate: String,
}

/// Revokes a key: `{privateKey, passphrase?, reason?}` →
/// `{publicKey, revocationCertificate}` (the revoked certificate to publish).
#[wasm_bindgen(js_name = revokeKey, unchecked_return_type = "RevokedKey")]
pub fn revoke_key(
    #[wasm_bindgen(unchecked_param_type = "RevokeOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options: RevokeOptions = from_js(options, "revokeKey")?;
    let key = one_secret(&options.private_key)?;
    let revocation = keys::revoke(
        &key,
        options.passphrase.as_deref(),
        options.reason.as_deref().unwrap_or(""),
    )
    .map_err(js_error)?;
    to_js(&Revoked {
        public_key: keys::armor_cert(&revocation.revoked).map_err(js_error)?,
        revocation_certificate: revocation.certificate,
    })
}

/// Merges a newer copy of a certificate into the one we have (new user IDs,
/// subkeys, expiry, revocations) → the armored certificate.
#[wasm_bindgen(js_name = mergeKeys)]
pub fn merge_keys(ours: &str, theirs: &str) -> Result<String, JsValue> {
    let ours = one_cert(ours)?;
    let theirs = one_cert(theirs)?;
    keys::armor_cert(&keys::merge(&ours, &theirs).map_err(js_error)?).map_err(js_error)
}
