//! The wasm-bindgen face: JavaScript names and types for the core, nothing else.
//! Every function here converts arguments, calls the core and converts back.
//! Errors become JavaScript `Error`s with a stable `code` property.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::js_bytes::{self, JsBytes, JsReader};
use crate::mail::{autocrypt, discovery, pgp_mime as mime};
use crate::openpgp::keys::{self, GenerateOptions, Profile};
use crate::openpgp::message::{self, DecryptOptions, EncryptOptions, SignatureCheck, UnlockKey};
use crate::openpgp::{OpenPgpError, armor, sign};
use crate::{transport, version};

/// Precise TypeScript types for the options and results (the generated
/// declarations would otherwise say `any`).
#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &str = r#"
export type Bytes = Uint8Array;
export type ErrorCode =
  | 'BAD_ARMOR' | 'BAD_KEY' | 'WRONG_KEY_KIND' | 'BAD_MESSAGE' | 'KEY_EXPIRED' | 'KEY_REVOKED'
  | 'WEAK_KEY' | 'KEY_CANNOT_ENCRYPT' | 'KEY_CANNOT_SIGN' | 'KEY_IS_PROTECTED' | 'BAD_PASSPHRASE' | 'CANNOT_DECRYPT'
  | 'NO_INTEGRITY_PROTECTION' | 'TAMPERED' | 'NO_SIGNATURE' | 'TOO_LARGE' | 'BAD_INPUT' | 'UNSUPPORTED'
  | 'INTERNAL' | 'BAD_OPTIONS' | 'NOT_TEXT' | 'HEADER_TOO_LARGE' | 'PANIC';
/** Every function throws an Error with a stable `code`. */
export interface SealmarkError extends Error { code: ErrorCode; }
export interface BuildInfo { version: string; pgp: string; mail_parser: string; target: string; }
export interface GenerateKeyOptions {
  userIds: string[]; passphrase?: string; type?: 'curve25519' | 'rsa3072' | 'rsa4096';
  /** 'rfc9980' (type 'curve25519'): v6 Ed25519 with a post-quantum ML-KEM-768+X25519 encryption subkey. */
  profile?: 'rfc4880' | 'rfc9580' | 'rfc9980'; expiresInDays?: number;
  /** 'argon2': memory-hard protection for every key version (GnuPG 2.2 cannot read it); default 'compatible'. */
  protection?: 'compatible' | 'argon2';
}
export interface GeneratedKey { privateKey: string; publicKey: string; fingerprint: string; }
export interface Capabilities { certify: boolean; sign: boolean; encrypt: boolean; authenticate: boolean; }
export interface ComponentInfo {
  fingerprint: string; key_id: string; algorithm: string; created: string; expires: string | null;
  revoked: boolean; capabilities: Capabilities; valid: boolean;
  /** Why Sealmark does not use this component (a refused algorithm or size, an unknown algorithm). */
  problem: string | null;
}
export interface KeyInfo {
  fingerprint: string; key_id: string; version: number; user_ids: string[]; primary: ComponentInfo;
  subkeys: ComponentInfo[]; secret: boolean; can_encrypt: boolean; can_sign: boolean;
  /** Every secret packet is protected by a passphrase. */
  locked: boolean;
  /** How the secret packets are protected; null for a certificate. */
  protection: 'none' | 'partial' | 'iterated' | 'argon2' | null;
  /** Parts skipped as unreadable or unknown (a newer subkey, an unknown packet); the rest is used. */
  skipped: string[];
}
export interface KeyEntry { info: KeyInfo; publicKey: string; privateKey: string | null; }
export interface AddPostQuantumSubkeyOptions { privateKey: string; passphrase?: string; }
export interface ChangePassphraseOptions {
  privateKey: string; passphrase?: string; newPassphrase?: string; protection?: 'compatible' | 'argon2';
}
export interface RevokeOptions { privateKey: string; passphrase?: string; reason?: string; }
export interface RevokedKey { publicKey: string; revocationCertificate: string; }
export interface AutocryptHeader { addr: string; prefer_mutual: boolean; key: string; fingerprint: string; }
export interface AutocryptObservation { from: string | null; effective_date: number; header: AutocryptHeader | null; ignored: string | null; }
export interface AutocryptPeer { last_seen: number; autocrypt_timestamp: number; public_key: string | null; prefer_encrypt: string; gossip_key: string | null; gossip_timestamp: number; }
export interface AutocryptSetupMessageOptions { privateKey: string; passphrase?: string; address: string; preferMutual?: boolean; }
export interface AutocryptSetupMessage { code: string; armored: string; message: string; }
export interface KeyLookup { wkd_advanced: string; wkd_direct: string; vks: string; wkd_hash: string; }
export interface EncryptOptions {
  data: string | Bytes; encryptionKeys: string[]; signingKeys?: string[]; passphrase?: string;
  password?: string; armor?: boolean; filename?: string;
}
export interface SignatureCheck {
  fingerprint: string; signer: string | null; known: boolean; valid: boolean; reason: string | null; created: string | null;
}
export interface DecryptOptions {
  message: string | Bytes; decryptionKeys?: string[]; passphrase?: string; password?: string;
  verificationKeys?: string[]; format?: 'utf8' | 'binary';
}
export interface DecryptResult<D = string | Bytes> { data: D; filename: string | null; signatures: SignatureCheck[]; }
export interface SignOptions { data: string | Bytes; signingKeys: string[]; passphrase?: string; detached?: boolean; armor?: boolean; }
export type VerifyOptions =
  | { data: string | Bytes; signature: string | Bytes; verificationKeys: string[] }
  | { message: string; verificationKeys: string[] };
export interface VerifyResult { data?: string; signatures: SignatureCheck[]; }
export interface ArmoredBlock {
  kind: 'message' | 'signed_message' | 'public_key' | 'private_key' | 'signature';
  armored: string; start: number; end: number; warnings: string[];
}
export type PgpMime =
  | { type: 'encrypted'; ciphertext: Bytes; outer: HeaderFields }
  | { type: 'signed'; signed: Bytes; signature: Bytes }
  | { type: 'none' };
export interface Mailbox { name: string | null; address: string | null; }
/** The header fields compared between a message's outside and its protected inside. */
export interface HeaderFields { subject: string | null; from: Mailbox[]; to: Mailbox[]; cc: Mailbox[]; }
export interface MimeContent {
  text: string | null; html: string | null;
  /** The protected header fields (the real Subject among them), when the sender protected them. */
  protected: HeaderFields | null;
  /** With `outer` given: the protected fields whose value differs from the outside. */
  differences: ('subject' | 'from' | 'to' | 'cc')[];
  attachments: { name: string | null; content_type: string; size: number; data: Bytes }[];
}
export interface BuildPgpMimeOptions { armored?: string; boundary?: string; text?: string; subject?: string; gossip?: { addr: string; key: string }[]; }
export interface BuiltPgpMime { contentType: string | null; body: string | null; payload: string | null; placeholderSubject: string; }
/** `deliveredOrder`: the header stands as delivered (a raw source from the mailbox); its order is never read from the fields. */
export interface AnalyzeOptions { trustedDomains?: string[]; deliveredOrder?: boolean; }
export interface Tls {
  encrypted: boolean | null; version: string | null; cipher: string | null; cipher_iana: string | null;
  key_exchange: string | null; bits: number | null; verified: boolean | null; evidence: string | null;
}
export interface Note { code: 'negative_delay' | 'continuity_break' | 'possibly_injected' | 'unreadable_date'; message: string; }
export interface Hop {
  index: number; from: { host: string | null; helo: string | null; ip: string | null; reverse_dns: string | null }; by: string | null;
  via: string | null; protocol: string | null;
  protocol_family: 'SMTP' | 'ESMTP' | 'LMTP' | 'HTTP' | 'IMAP' | 'MAPI' | 'UUCP' | 'local' | 'other' | null;
  id: string | null; for: string | null; tls: Tls; internal: boolean; internal_reason: string | null;
  trusted: boolean; trust_reason: string; date: string | null; delay_seconds: number | null;
  software: string | null; notes: Note[]; raw: string;
}
export interface MethodResult {
  method: string; result: string; reason: string | null; properties: Record<string, string>; comment: string | null;
}
export interface AuthenticationResults {
  field: string; authserv_id: string | null; instance: number | null; results: MethodResult[];
  trusted: boolean; trust_reason: string;
}
export interface Authentication {
  summary: { spf: string | null; dkim: string | null; dmarc: string | null; arc: string | null; authserv_id: string | null; field: string | null };
  results: AuthenticationResults[];
  received_spf: { result: string; comment: string | null; properties: Record<string, string>; trusted: boolean; trust_reason: string }[];
  arc_seals: { instance: number | null; cv: string | null; domain: string | null }[];
  omitted: number;
}
export interface Verdict {
  status: 'all_encrypted' | 'plaintext' | 'unknown' | 'no_hops'; sentence: string; notes: string[];
  external_hops: number; encrypted_hops: number; plaintext_hops: number[]; downgrade_suspected: number[];
  unknown_hops: number[]; injection_suspected: number[]; weakest_tls: string | null;
  client_ip: { ip: string; hop: number; message: string } | null; tls_required_no: boolean;
  trust_boundary: { domains: string[]; oldest_trusted_index: number | null; reason: string };
  oldest_first: boolean; omitted_received: number;
}
export interface Report { hops: Hop[]; authentication: Authentication; verdict: Verdict; }
/** Options may be left out. */
export function analyzeMessage(raw: string | Uint8Array): Report;
"#;

/// Runs when the module is instantiated: turns a Rust panic into a
/// JavaScript `Error` with code `PANIC` instead of an anonymous trap.
///
/// A panic inside an asynchronous function happens in wasm-bindgen-futures'
/// task queue, where the thrown error reaches no caller and the function's
/// promise never settles; so the hook first hands the error to
/// `globalThis.__sealmarkOnPanic` if the embedder set one, which rejects what
/// is pending and instantiates the module anew (`www/components/core-guard.js`).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message =
            format!("internal error in the Sealmark core ({info}); reload the core to continue");
        let error = error("PANIC", &message);
        let _ = crate::js_reflect::call_method(
            &js_sys::global(),
            "__sealmarkOnPanic",
            std::slice::from_ref(&error),
        );
        // The module's state after a panic cannot be trusted: callers must instantiate it anew.
        wasm_bindgen::throw_val(error);
    }));
}

#[cfg(feature = "test-hooks")]
mod test_hooks;

/// The one-line version, e.g. `sealmark 0.1.0`.
#[wasm_bindgen]
pub fn version() -> String {
    version::build_info().short()
}

/// Version and build information as an object:
/// `{version, pgp, mail_parser, target}`.
#[wasm_bindgen(js_name = buildInfo, unchecked_return_type = "BuildInfo")]
pub fn build_info() -> Result<JsValue, JsValue> {
    to_js(&version::build_info())
}

/// Options of `analyzeMessage`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct AnalyzeOptions {
    #[serde(default)]
    trusted_domains: Vec<String>,
    #[serde(default)]
    delivered_order: bool,
}

/// The route of a message (`string` or `Uint8Array`, the whole message or its
/// header): exactly the report `sealmark hops --json` prints.
#[wasm_bindgen(js_name = analyzeMessage, unchecked_return_type = "Report")]
pub fn analyze_message(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] raw: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&raw)?;
    let options: AnalyzeOptions = match options.filter(|o| !o.is_null() && !o.is_undefined()) {
        None => AnalyzeOptions::default(),
        Some(options) => from_js(options, "analyzeMessage")?,
    };
    let report = transport::analyze(
        &bytes,
        &transport::Options {
            trusted_domains: options.trusted_domains,
            delivered_order: options.delivered_order,
        },
    )
    .map_err(|e| error("HEADER_TOO_LARGE", &e.to_string()))?;
    // One JSON text parsed by the engine is several times faster than
    // building the report's many small objects one call at a time.
    let json = serde_json::to_string(&report).map_err(|e| error("INTERNAL", &e.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|_| error("INTERNAL", "the report could not be read back"))
}

/// `generateKey` options.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GenerateKeyOptions {
    user_ids: Vec<String>,
    passphrase: Option<String>,
    #[serde(rename = "type")]
    key_type: Option<String>,
    profile: Option<String>,
    expires_in_days: Option<u32>,
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
#[serde(rename_all = "camelCase")]
struct ChangePassphraseOptions {
    private_key: String,
    passphrase: Option<String>,
    new_passphrase: Option<String>,
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

/// `addPostQuantumSubkey` options.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AddPostQuantumSubkeyOptions {
    private_key: String,
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
#[serde(rename_all = "camelCase")]
struct RevokeOptions {
    private_key: String,
    passphrase: Option<String>,
    reason: Option<String>,
}

/// The result of `revokeKey`.
#[derive(Serialize)]
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

/// Where to look up the certificate of an e-mail address:
/// `{wkd_advanced, wkd_direct, vks, wkd_hash}`.
#[wasm_bindgen(js_name = keyLookup, unchecked_return_type = "KeyLookup")]
pub fn key_lookup(address: &str) -> Result<JsValue, JsValue> {
    to_js(&discovery::lookup(address).map_err(js_error)?)
}

/// keys.openpgp.org's address for a fingerprint.
#[wasm_bindgen(js_name = vksByFingerprint)]
pub fn vks_by_fingerprint(fingerprint: &str) -> Result<String, JsValue> {
    discovery::vks_by_fingerprint(fingerprint).map_err(js_error)
}

/// The certificates in a key server's answer that belong to `address`,
/// reduced to that address's user IDs, armored; secret keys are refused.
#[wasm_bindgen(js_name = certificatesFor, unchecked_return_type = "string[]")]
pub fn certificates_for(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] answer: JsValue,
    address: &str,
) -> Result<JsValue, JsValue> {
    to_js(&discovery::certificates_for(&bytes_of(&answer)?, address).map_err(js_error)?)
}

/// The armored certificate to upload, refusing anything with secret key material.
#[wasm_bindgen(js_name = publicOnly)]
pub fn public_only(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: JsValue,
) -> Result<String, JsValue> {
    discovery::public_only(&bytes_of(&input)?).map_err(js_error)
}

/// What a received message's headers say for Autocrypt:
/// `{from, effective_date, header, ignored}`; `now` in seconds since 1970.
#[wasm_bindgen(js_name = autocryptObserve, unchecked_return_type = "AutocryptObservation")]
pub fn autocrypt_observe(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] raw: JsValue,
    now: f64,
) -> Result<JsValue, JsValue> {
    to_js(&autocrypt::observe(&bytes_of(&raw)?, now as i64))
}

/// A peer's Autocrypt state after one more observed message.
#[wasm_bindgen(js_name = autocryptUpdate, unchecked_return_type = "AutocryptPeer")]
pub fn autocrypt_update(
    #[wasm_bindgen(unchecked_param_type = "AutocryptPeer | null")] state: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AutocryptObservation")] observation: JsValue,
) -> Result<JsValue, JsValue> {
    let mut peer: autocrypt::PeerState = if state.is_null() || state.is_undefined() {
        autocrypt::PeerState::default()
    } else {
        from_js(state, "autocryptUpdate")?
    };
    let observation: autocrypt::Observation = from_js(observation, "autocryptUpdate")?;
    autocrypt::update(&mut peer, &observation);
    to_js(&peer)
}

/// The valid `Autocrypt-Gossip` headers of a decrypted MIME entity.
#[wasm_bindgen(js_name = autocryptGossip, unchecked_return_type = "AutocryptHeader[]")]
pub fn autocrypt_gossip(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] entity: JsValue,
) -> Result<JsValue, JsValue> {
    to_js(&autocrypt::gossip(&bytes_of(&entity)?))
}

/// A peer's Autocrypt state after a key was gossiped for it on `effective_date`.
#[wasm_bindgen(js_name = autocryptUpdateGossip, unchecked_return_type = "AutocryptPeer")]
pub fn autocrypt_update_gossip(
    #[wasm_bindgen(unchecked_param_type = "AutocryptPeer | null")] state: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AutocryptHeader")] header: JsValue,
    effective_date: f64,
) -> Result<JsValue, JsValue> {
    let mut peer: autocrypt::PeerState = if state.is_null() || state.is_undefined() {
        autocrypt::PeerState::default()
    } else {
        from_js(state, "autocryptUpdateGossip")?
    };
    let header: autocrypt::Header = from_js(header, "autocryptUpdateGossip")?;
    autocrypt::update_gossip(&mut peer, &header, effective_date as i64);
    to_js(&peer)
}

/// `autocryptSetupMessage` options.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SetupMessageOptions {
    private_key: String,
    passphrase: Option<String>,
    address: String,
    #[serde(default)]
    prefer_mutual: bool,
}

/// An Autocrypt Setup Message for a secret key: `{code, armored, message}`.
#[wasm_bindgen(js_name = autocryptSetupMessage, unchecked_return_type = "AutocryptSetupMessage")]
pub fn autocrypt_setup_message(
    #[wasm_bindgen(unchecked_param_type = "AutocryptSetupMessageOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options: SetupMessageOptions = from_js(options, "autocryptSetupMessage")?;
    let key = one_secret(&options.private_key)?;
    to_js(
        &autocrypt::setup_message(
            &key,
            options.passphrase.as_deref(),
            &options.address,
            options.prefer_mutual,
        )
        .map_err(js_error)?,
    )
}

/// The armored secret key inside a setup message, opened with its setup code.
#[wasm_bindgen(js_name = autocryptOpenSetupMessage)]
pub fn autocrypt_open_setup_message(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] text: JsValue,
    code: &str,
) -> Result<String, JsValue> {
    autocrypt::open_setup_message(&bytes_of(&text)?, code).map_err(js_error)
}

/// The Autocrypt recommendation for one recipient: 'disable' | 'discourage' | 'available' | 'encrypt'.
#[wasm_bindgen(js_name = autocryptRecommend)]
pub fn autocrypt_recommend(
    #[wasm_bindgen(unchecked_param_type = "AutocryptPeer | null")] state: JsValue,
    own_mutual: bool,
    reply_to_encrypted: bool,
) -> Result<String, JsValue> {
    let peer: Option<autocrypt::PeerState> = if state.is_null() || state.is_undefined() {
        None
    } else {
        Some(from_js(state, "autocryptRecommend")?)
    };
    let recommendation = autocrypt::recommend(peer.as_ref(), own_mutual, reply_to_encrypted);
    Ok(format!("{recommendation:?}").to_ascii_lowercase())
}

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
    test_hooks::panic_if_asked(&data).await;
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
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct DecryptJsOptions {
    #[serde(default)]
    decryption_keys: Vec<String>,
    passphrase: Option<String>,
    password: Option<String>,
    #[serde(default)]
    verification_keys: Vec<String>,
    format: Option<String>,
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
    let binary = match options.format.as_deref().unwrap_or("utf8") {
        "binary" => true,
        "utf8" => false,
        other => {
            return Err(error(
                "BAD_OPTIONS",
                &format!("format must be 'utf8' or 'binary', not {other:?}"),
            ));
        }
    };
    let options = DecryptOptions {
        keys: &keys,
        passwords: &passwords,
        verification: &verification,
        max_plaintext: None,
    };
    let primitives = crate::webcrypto::WebCryptoPrimitives;
    // Armored text is decoded as it is read from the JavaScript string.
    let decrypted = if message.is_string() {
        let text = reader_of(&message, "message")?;
        message::decrypt_text_with::<JsBytes>(text, &options, &primitives).await
    } else {
        let ciphertext = required_bytes(&message, "message")?;
        message::decrypt_with::<JsBytes>(ciphertext, &options, &primitives).await
    }
    .map_err(js_error)?;
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

/// The PGP/MIME structure of a raw message:
/// `{type: 'encrypted', ciphertext}`, `{type: 'signed', signed, signature}` or `{type: 'none'}`.
#[wasm_bindgen(js_name = parsePgpMime, unchecked_return_type = "PgpMime")]
pub fn parse_pgp_mime(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] raw: JsValue,
) -> Result<JsValue, JsValue> {
    let parsed = mime::parse(&bytes_of(&raw)?).map_err(js_error)?;
    let result = js_sys::Object::new();
    match parsed {
        mime::PgpMime::Encrypted { ciphertext, outer } => {
            set(&result, "type", &"encrypted".into());
            set(&result, "outer", &to_js(&outer)?);
            set(
                &result,
                "ciphertext",
                &js_sys::Uint8Array::from(ciphertext.as_slice()).into(),
            );
        }
        mime::PgpMime::Signed { signed, signature } => {
            set(&result, "type", &"signed".into());
            set(
                &result,
                "signed",
                &js_sys::Uint8Array::from(signed.as_slice()).into(),
            );
            set(
                &result,
                "signature",
                &js_sys::Uint8Array::from(signature.as_slice()).into(),
            );
        }
        mime::PgpMime::None => set(&result, "type", &"none".into()),
    }
    Ok(result.into())
}

/// The content of a decrypted MIME entity: `{text, html, subject, protected,
/// differences, attachments}`; `outer` is what the message's outside showed.
#[wasm_bindgen(js_name = readMimeContent, unchecked_return_type = "MimeContent")]
pub fn read_mime_content(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] entity: JsValue,
    #[wasm_bindgen(unchecked_param_type = "HeaderFields | null | undefined")] outer: JsValue,
) -> Result<JsValue, JsValue> {
    let content = mime::read_content(&bytes_of(&entity)?);
    let differences = match (&content.protected, outer.is_null() || outer.is_undefined()) {
        (Some(inside), false) => inside.differences(&from_js(outer, "readMimeContent")?),
        _ => Vec::new(),
    };
    let result = to_js(&content)?;
    set(&result, "differences", &to_js(&differences)?);
    let attachments =
        js_sys::Reflect::get(&result, &"attachments".into()).unwrap_or(JsValue::UNDEFINED);
    for (index, attachment) in content.attachments.iter().enumerate() {
        let object = js_sys::Reflect::get(&attachments, &JsValue::from(index as u32))
            .unwrap_or(JsValue::UNDEFINED);
        set(
            &object,
            "data",
            &js_sys::Uint8Array::from(attachment.data.as_slice()).into(),
        );
    }
    Ok(result)
}

/// `buildPgpMime({armored, boundary, text?, subject?})`: `{contentType, body}` of a
/// `multipart/encrypted` message, and with `text` the `payload` to encrypt first.
#[wasm_bindgen(js_name = buildPgpMime, unchecked_return_type = "BuiltPgpMime")]
pub fn build_pgp_mime(
    #[wasm_bindgen(unchecked_param_type = "BuildPgpMimeOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    #[derive(Deserialize)]
    struct Options {
        armored: Option<String>,
        boundary: Option<String>,
        text: Option<String>,
        subject: Option<String>,
        #[serde(default)]
        gossip: Vec<Gossip>,
    }
    #[derive(Deserialize)]
    struct Gossip {
        addr: String,
        key: String,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Built {
        content_type: Option<String>,
        body: Option<String>,
        payload: Option<String>,
        placeholder_subject: &'static str,
    }
    let options: Options = from_js(options, "buildPgpMime")?;
    let gossip = autocrypt::gossip_headers(
        &options
            .gossip
            .into_iter()
            .map(|g| (g.addr, g.key))
            .collect::<Vec<_>>(),
    )
    .map_err(js_error)?;
    let payload = options
        .text
        .as_deref()
        .map(|text| mime::build_payload(text, options.subject.as_deref(), &gossip));
    let encrypted = options.armored.as_deref().map(|armored| {
        mime::build_encrypted(
            armored,
            options.boundary.as_deref().unwrap_or("sealmark-pgp-mime"),
        )
    });
    to_js(&Built {
        content_type: encrypted.as_ref().map(|(c, _)| c.clone()),
        body: encrypted.map(|(_, b)| b),
        payload,
        placeholder_subject: mime::PLACEHOLDER_SUBJECT,
    })
}

fn certs_of(armored: &[String]) -> Result<Vec<pgp::composed::SignedPublicKey>, JsValue> {
    let mut certs = Vec::new();
    for key in armored {
        certs.extend(keys::read_certs(key.as_bytes()).map_err(js_error)?);
    }
    Ok(certs)
}

fn secrets_of(armored: &[String]) -> Result<Vec<pgp::composed::SignedSecretKey>, JsValue> {
    let mut secrets = Vec::new();
    for key in armored {
        secrets.extend(keys::read_secret_keys(key.as_bytes()).map_err(js_error)?);
    }
    Ok(secrets)
}

fn one_secret(armored: &str) -> Result<pgp::composed::SignedSecretKey, JsValue> {
    keys::read_secret_keys(armored.as_bytes())
        .map_err(js_error)?
        .into_iter()
        .next()
        .ok_or_else(|| js_error(OpenPgpError::BadKey("no secret key found".into())))
}

fn one_cert(armored: &str) -> Result<pgp::composed::SignedPublicKey, JsValue> {
    keys::read_certs(armored.as_bytes())
        .map_err(js_error)?
        .into_iter()
        .next()
        .ok_or_else(|| js_error(OpenPgpError::BadKey("no certificate found".into())))
}

fn field(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn field_bytes(object: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    required_bytes(&field(object, name), name)
}

/// `value` (the option `name`) copied into Wasm memory.
fn required_bytes(value: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    if value.is_undefined() {
        return Err(error(
            "BAD_INPUT",
            &format!("the option {name} is required"),
        ));
    }
    bytes_of(value)
}

/// `value` (the option `name`) read piece by piece from JavaScript memory.
fn reader_of(value: &JsValue, name: &str) -> Result<JsReader, JsValue> {
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

fn set(object: &JsValue, name: &str, value: &JsValue) {
    // Setting a property on a plain object we created cannot fail.
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(name), value);
}

/// Armored output as a string, binary as a `Uint8Array`.
fn output(bytes: Vec<u8>, armored: bool) -> JsValue {
    if armored {
        match String::from_utf8(bytes) {
            Ok(text) => JsValue::from(text),
            Err(error) => JsValue::from(String::from_utf8_lossy(error.as_bytes()).into_owned()),
        }
    } else {
        js_sys::Uint8Array::from(bytes.as_slice()).into()
    }
}

fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, function: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| error("BAD_OPTIONS", &format!("{function} options: {e}")))
}

fn js_error(error: OpenPgpError) -> JsValue {
    self::error(error.code(), &error.to_string())
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
