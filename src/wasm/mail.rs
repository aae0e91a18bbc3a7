//! Mail above OpenPGP: key discovery, Autocrypt, PGP/MIME.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::convert::*;
use crate::mail::{autocrypt, discovery, inner, pgp_mime as mime, received};
use crate::openpgp::verify::SignatureCheck;

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
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(rename = "AutocryptSetupMessageOptions"))]
#[serde(rename_all = "camelCase")]
struct SetupMessageOptions {
    private_key: String,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    passphrase: Option<String>,
    address: String,
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
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

/// What `readMessage` returns: a received message's PGP/MIME structure and
/// what its header says for Autocrypt, from one reading of the message.
#[derive(Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
struct MessageParts {
    /// Its PGP/MIME structure; the MIME parts are read only when the header
    /// may be PGP/MIME.
    pgp_mime: PgpMime,
    /// What its header says for Autocrypt.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "AutocryptObservation"))]
    autocrypt: autocrypt::Observation,
}

/// A received message's PGP/MIME structure, its parts as `Uint8Array`s.
#[derive(Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(tag = "type", rename_all = "lowercase")]
enum PgpMime {
    /// `multipart/encrypted`.
    Encrypted {
        /// The armored PGP message of its second part.
        #[serde(with = "serde_wasm_bindgen::preserve")]
        #[cfg_attr(target_arch = "wasm32", tsify(type = "Bytes"))]
        ciphertext: JsValue,
        /// What the outside shows, to compare with the fields protected inside.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "HeaderFields"))]
        outer: mime::Headers,
    },
    /// `multipart/signed`.
    Signed {
        /// The signed entity, exactly the signed octets.
        #[serde(with = "serde_wasm_bindgen::preserve")]
        #[cfg_attr(target_arch = "wasm32", tsify(type = "Bytes"))]
        signed: JsValue,
        /// Its detached signature.
        #[serde(with = "serde_wasm_bindgen::preserve")]
        #[cfg_attr(target_arch = "wasm32", tsify(type = "Bytes"))]
        signature: JsValue,
    },
    /// Neither.
    None,
}

/// A received message (`string` or `Uint8Array`) as the OpenPGP core needs it,
/// in one call: its PGP/MIME structure (`{type: 'encrypted', ciphertext,
/// outer}`, `{type: 'signed', signed, signature}` or `{type: 'none'}`; the
/// MIME parts are read only when the header may be PGP/MIME) and what its
/// header says for Autocrypt; `now` in seconds since 1970.
#[wasm_bindgen(js_name = readMessage, unchecked_return_type = "MessageParts")]
pub fn read_message(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] raw: JsValue,
    now: f64,
) -> Result<JsValue, JsValue> {
    let read = received::read(&bytes_of(&raw)?, now as i64).map_err(js_error)?;
    to_js(&MessageParts {
        pgp_mime: pgp_mime_to_js(read.pgp_mime),
        autocrypt: read.autocrypt,
    })
}

/// A PGP/MIME structure as JavaScript sees it: its parts as `Uint8Array`s.
fn pgp_mime_to_js(parsed: mime::PgpMime) -> PgpMime {
    let bytes = |data: &[u8]| JsValue::from(js_sys::Uint8Array::from(data));
    match parsed {
        mime::PgpMime::Encrypted { ciphertext, outer } => PgpMime::Encrypted {
            ciphertext: bytes(&ciphertext),
            outer,
        },
        mime::PgpMime::Signed { signed, signature } => PgpMime::Signed {
            signed: bytes(&signed),
            signature: bytes(&signature),
        },
        mime::PgpMime::None => PgpMime::None,
    }
}

/// The content of a decrypted MIME entity: `{text, html, subject, protected,
/// differences, attachments}`; `outer` is what the message's outside showed.
#[wasm_bindgen(js_name = readMimeContent, unchecked_return_type = "MimeContent")]
pub fn read_mime_content(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] entity: JsValue,
    #[wasm_bindgen(unchecked_param_type = "HeaderFields | null | undefined")] outer: JsValue,
) -> Result<JsValue, JsValue> {
    let content = mime::read_content(&bytes_of(&entity)?);
    let differences = match (&content.protected, outer_of(outer)?) {
        (Some(inside), Some(outside)) => inside.differences(&outside),
        _ => Vec::new(),
    };
    content_to_js(&content, &differences)
}

/// `{…decrypt's options, outer?}` → a promise of `{filename, signatures,
/// content, gossip}`: the message decrypted and its inside read in one call
/// (`content` as `readMimeContent` gives it, `gossip` the valid
/// Autocrypt-Gossip keys). Text that is not UTF-8 fails with `NOT_TEXT`.
#[wasm_bindgen(js_name = openMessage, unchecked_return_type = "OpenedMessage")]
pub async fn open_message(
    #[wasm_bindgen(unchecked_param_type = "DecryptOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let outer = outer_of(field(&options, "outer"))?;
    let decrypted = super::message::decrypted::<Vec<u8>>(options).await?;
    let plaintext = zeroize::Zeroizing::new(decrypted.data);
    let read = inner::read(&plaintext, outer.as_ref()).map_err(|e| {
        error(
            "NOT_TEXT",
            &format!("{e}; save it as a file instead of reading it here"),
        )
    })?;
    to_js(&OpenedMessage {
        filename: decrypted.filename,
        signatures: decrypted.signatures,
        content: content_to_js(&read.content, &read.differences)?,
        gossip: read.gossip,
    })
}

/// What `openMessage` returns.
#[derive(Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
struct OpenedMessage {
    /// The file name the message states.
    filename: Option<String>,
    /// Every signature over the data.
    signatures: Vec<SignatureCheck>,
    /// The MIME content inside, as `readMimeContent` gives it.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "MimeContent"))]
    content: JsValue,
    /// The valid Autocrypt-Gossip keys inside.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "AutocryptHeader[]"))]
    gossip: Vec<autocrypt::Header>,
}

/// The `outer` argument: absent, or the header fields the outside showed.
fn outer_of(outer: JsValue) -> Result<Option<mime::Headers>, JsValue> {
    if outer.is_null() || outer.is_undefined() {
        return Ok(None);
    }
    from_js(outer, "outer").map(Some)
}

/// A decrypted MIME entity's content as JavaScript sees it.
#[derive(Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
struct MimeContent<'a> {
    /// The plain-text body.
    text: Option<&'a str>,
    /// The HTML body, unsanitised: show it only sanitised.
    html: Option<&'a str>,
    /// The protected header fields (the real Subject among them), when the sender protected them.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "HeaderFields | null"))]
    protected: Option<&'a mime::Headers>,
    /// With `outer` given: the protected fields whose value differs from the outside.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "ProtectedField[]"))]
    differences: &'a [mime::Field],
    /// The attachments.
    attachments: Vec<Attachment<'a>>,
}

/// An attachment, its data as a `Uint8Array`.
#[derive(Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
struct Attachment<'a> {
    /// The file name, when given.
    name: Option<&'a str>,
    /// `type/subtype`.
    content_type: &'a str,
    /// Size in bytes.
    size: usize,
    /// The decoded bytes.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Bytes"))]
    data: JsValue,
}

/// A MIME content as JavaScript sees it: attachments' data as `Uint8Array`s.
fn content_to_js(content: &mime::Content, differences: &[mime::Field]) -> Result<JsValue, JsValue> {
    to_js(&MimeContent {
        text: content.text.as_deref(),
        html: content.html.as_deref(),
        protected: content.protected.as_ref(),
        differences,
        attachments: content
            .attachments
            .iter()
            .map(|attachment| Attachment {
                name: attachment.name.as_deref(),
                content_type: &attachment.content_type,
                size: attachment.size,
                data: js_sys::Uint8Array::from(attachment.data.as_slice()).into(),
            })
            .collect(),
    })
}

/// What `buildPgpMime` returns.
#[derive(Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
struct BuiltPgpMime {
    /// The `Content-Type` of the `multipart/encrypted` message, with `armored`.
    content_type: Option<String>,
    /// Its body, with `armored`.
    body: Option<String>,
    /// With `text`: the MIME entity to encrypt first.
    payload: Option<String>,
    /// The Subject the outside shows when the real one is protected inside.
    placeholder_subject: &'static str,
}

/// `buildPgpMime` options.
#[derive(Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
struct BuildPgpMimeOptions {
    /// The armored PGP message to wrap as `multipart/encrypted`.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    armored: Option<String>,
    /// The MIME boundary to use.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    boundary: Option<String>,
    /// The text of the MIME entity to build, to encrypt first.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    text: Option<String>,
    /// The real Subject, protected inside.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    subject: Option<String>,
    /// Keys to gossip to the other recipients.
    #[serde(default)]
    gossip: Vec<GossipKey>,
    /// Files to attach.
    #[serde(default)]
    attachments: Vec<OutgoingFile>,
}

/// A key gossiped inside an encrypted message.
#[derive(Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
struct GossipKey {
    /// Its address.
    addr: String,
    /// The armored certificate.
    key: String,
}

/// A file as the extension carries bytes between its contexts: base64.
#[derive(Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
struct OutgoingFile {
    /// Its name.
    name: String,
    /// Its `type/subtype`.
    #[serde(rename = "type", default)]
    content_type: String,
    /// Its bytes, in base64.
    data: String,
}

/// `buildPgpMime({armored, boundary, text?, subject?})`: `{contentType, body}` of a
/// `multipart/encrypted` message, and with `text` the `payload` to encrypt first.
#[wasm_bindgen(js_name = buildPgpMime, unchecked_return_type = "BuiltPgpMime")]
pub fn build_pgp_mime(
    #[wasm_bindgen(unchecked_param_type = "BuildPgpMimeOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options: BuildPgpMimeOptions = from_js(options, "buildPgpMime")?;
    let gossip = autocrypt::gossip_headers(
        &options
            .gossip
            .into_iter()
            .map(|g| (g.addr, g.key))
            .collect::<Vec<_>>(),
    )
    .map_err(js_error)?;
    let files = options
        .attachments
        .into_iter()
        .map(|file| {
            use base64::Engine as _;
            let data = base64::engine::general_purpose::STANDARD
                .decode(file.data.as_bytes())
                .map_err(|_| {
                    error(
                        "BAD_OPTIONS",
                        &format!("buildPgpMime: the file {} is not base64", file.name),
                    )
                })?;
            Ok(mime::OutgoingFile {
                name: file.name,
                content_type: file.content_type,
                data,
            })
        })
        .collect::<Result<Vec<_>, JsValue>>()?;
    let payload = options
        .text
        .as_deref()
        .map(|text| mime::build_payload(text, options.subject.as_deref(), &gossip, &files));
    let encrypted = options.armored.as_deref().map(|armored| {
        mime::build_encrypted(
            armored,
            options.boundary.as_deref().unwrap_or("sealmark-pgp-mime"),
        )
    });
    to_js(&BuiltPgpMime {
        content_type: encrypted.as_ref().map(|(c, _)| c.clone()),
        body: encrypted.map(|(_, b)| b),
        payload,
        placeholder_subject: mime::PLACEHOLDER_SUBJECT,
    })
}
