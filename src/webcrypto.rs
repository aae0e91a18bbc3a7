//! What the browser's WebCrypto does natively and Wasm does slowly: making
//! RSA primes (~10× faster, and on the browser's own threads) and the AES of
//! the OpenPGP containers (AES instructions instead of bitsliced AES).
//! Outside a browser, or if WebCrypto refuses, the core does the work itself.

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::js_reflect::{call_method, get};
use crate::openpgp::Result;
use crate::openpgp::keys::{RsaMaterial, RsaSource, SoftRsa};
use crate::openpgp::primitives::{Apart, OpenedApart, Primitives, SoftPrimitives, seal_layout};
pub use crate::openpgp::primitives::{GCM_TAG, GcmPiece, RepeatedInput};
use pgp::crypto::hash::HashAlgorithm;
use std::ops::Range;
use zeroize::Zeroizing;

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

async fn finish_rsa(started: Option<JsFuture>) -> Option<Result<RsaMaterial>> {
    let jwk = exported(started?).await?;
    Some(from_jwk(&jwk))
}

fn subtle() -> Option<JsValue> {
    get(&get(&js_sys::global(), "crypto")?, "subtle")
}

/// Starts `subtle.generateKey` for an extractable RSA key. Wrapped at once,
/// so a refusal is handled even while the other key is awaited (an
/// unhandled rejection would end a Node process).
fn start_rsa(bits: usize) -> Option<JsFuture> {
    let algorithm = Object::new();
    set(&algorithm, "name", &JsValue::from_str("RSASSA-PKCS1-v1_5"))?;
    set(&algorithm, "modulusLength", &JsValue::from_f64(bits as f64))?;
    set(
        &algorithm,
        "publicExponent",
        &Uint8Array::from(&[1u8, 0, 1][..]),
    )?;
    set(&algorithm, "hash", &JsValue::from_str("SHA-256"))?;
    let usages = Array::of2(&JsValue::from_str("sign"), &JsValue::from_str("verify"));
    call_subtle(
        "generateKey",
        &[algorithm.into(), JsValue::TRUE, usages.into()],
    )
    .map(JsFuture::from)
}

/// Waits for a key pair and exports its private half as a JWK.
async fn exported(pair: JsFuture) -> Option<JsValue> {
    let private = get(&pair.await.ok()?, "privateKey")?;
    let exporting = call_subtle("exportKey", &[JsValue::from_str("jwk"), private])?;
    JsFuture::from(exporting).await.ok()
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

/// The containers' AES and the passphrase derivation's hashing through
/// WebCrypto (AES and SHA instructions, the browser's threads), or the core's
/// own for small work — where the round trips cost more — and wherever
/// WebCrypto refuses.
pub struct WebCryptoPrimitives;

/// Below this many octets, WebCrypto's round trips cost more than the soft
/// cipher does.
const WEBCRYPTO_FROM: usize = 16 * 1024;

impl Primitives for WebCryptoPrimitives {
    type Apart = Opened;

    /// The plaintext stays in the arrays WebCrypto returned: a message that
    /// is only literal data is handed on from there, never copied into the
    /// Wasm memory and out again (a fresh page's 10 MiB decryption spent
    /// about a third of its time on those copies). What is too small to be
    /// worth the round trips, and what WebCrypto refused, the soft cipher
    /// opens in place (the default [`Primitives::gcm_open`]): it alone says
    /// "tampered", as WebCrypto's error does not tell a wrong tag from a
    /// refusal.
    async fn gcm_open_apart(
        &self,
        key: &[u8],
        pieces: &[GcmPiece<'_>],
        buffer: &[u8],
    ) -> OpenedApart<Opened> {
        if !worth_it(pieces) {
            return OpenedApart::NotTried;
        }
        match gcm_open_with_webcrypto(key, pieces, buffer).await {
            Some(opened) => OpenedApart::Opened(opened),
            None => OpenedApart::Refused,
        }
    }

    async fn cfb_encrypt(&self, key: &[u8], data: &mut [u8]) -> Result<()> {
        if data.len() >= WEBCRYPTO_FROM && cfb_with_webcrypto(key, data).await {
            Ok(())
        } else {
            SoftPrimitives.cfb_encrypt(key, data).await
        }
    }

    async fn gcm_seal(
        &self,
        key: &[u8],
        pieces: &[GcmPiece<'_>],
        buffer: &mut Vec<u8>,
        start: usize,
    ) -> Result<()> {
        if worth_it(pieces) && gcm_seal_with_webcrypto(key, pieces, buffer, start).await {
            Ok(())
        } else {
            SoftPrimitives.gcm_seal(key, pieces, buffer, start).await
        }
    }

    async fn repeated_digests(
        &self,
        inputs: &[RepeatedInput<'_>],
    ) -> Vec<Option<Zeroizing<Vec<u8>>>> {
        let mut digests = if inputs.iter().map(|i| i.total).sum::<usize>() >= DIGEST_FROM {
            digests_with_webcrypto(inputs).await
        } else {
            Vec::new()
        };
        digests.resize(inputs.len(), None);
        // What WebCrypto did not do (a hash it lacks, a refusal), the core does.
        for (digest, input) in digests.iter_mut().zip(inputs) {
            if digest.is_none() {
                *digest = SoftPrimitives
                    .repeated_digests(std::slice::from_ref(input))
                    .await
                    .pop()
                    .flatten();
            }
        }
        digests
    }
}

/// Below this many octets to hash, WebCrypto's round trip costs more than
/// hashing here.
const DIGEST_FROM: usize = 1024 * 1024;

/// The digests of repeated inputs by WebCrypto, all started at once (the
/// browser hashes them concurrently); `None` for an input whose hash it
/// lacks, or that it refused, and for all without WebCrypto. Each input is
/// built in JavaScript memory (the Wasm memory never shrinks, and a GnuPG
/// key's count is 62 MiB) and zeroed once hashed.
pub async fn digests_with_webcrypto(
    inputs: &[RepeatedInput<'_>],
) -> Vec<Option<Zeroizing<Vec<u8>>>> {
    let pending: Vec<_> = inputs.iter().map(start_digest).collect();
    let mut digests = Vec::with_capacity(pending.len());
    for started in pending {
        let digest = match started {
            Some((buffer, digesting)) => {
                let digest = digesting.await.ok();
                buffer.fill(0, 0, buffer.length());
                digest.map(|d| Zeroizing::new(Uint8Array::new(&d).to_vec()))
            }
            None => None,
        };
        digests.push(digest);
    }
    digests
}

/// Builds one input in a JavaScript buffer and starts its digest.
fn start_digest(input: &RepeatedInput<'_>) -> Option<(Uint8Array, JsFuture)> {
    let name = match input.hash {
        HashAlgorithm::Sha1 => "SHA-1",
        HashAlgorithm::Sha256 => "SHA-256",
        HashAlgorithm::Sha384 => "SHA-384",
        HashAlgorithm::Sha512 => "SHA-512",
        _ => return None,
    };
    // Nothing repeated is nothing hashed, however many octets of it.
    let total = if input.unit.is_empty() {
        0
    } else {
        input.total
    };
    let buffer = Uint8Array::new_with_length(u32::try_from(input.zeros.checked_add(total)?).ok()?);
    let start = u32::try_from(input.zeros).ok()?;
    // The first repetition is copied in, then the filled part doubles.
    let first = input.unit.get(..total.min(input.unit.len()))?;
    buffer
        .subarray(start, start + first.len() as u32)
        .copy_from(first);
    let mut filled = first.len() as u32;
    let total = total as u32;
    while filled > 0 && filled < total {
        let take = filled.min(total - filled);
        buffer.copy_within((start + filled) as i32, start as i32, (start + take) as i32);
        filled += take;
    }
    let digesting = call_subtle("digest", &[JsValue::from_str(name), buffer.clone().into()])?;
    Some((buffer, JsFuture::from(digesting)))
}

fn worth_it(pieces: &[GcmPiece<'_>]) -> bool {
    pieces.iter().map(|p| p.len).sum::<usize>() >= WEBCRYPTO_FROM
}

/// [`Primitives::gcm_seal`] by WebCrypto: every piece is started before the
/// first is awaited, so the browser seals them concurrently. `false`, with
/// `buffer` as it was, when there is no WebCrypto or it refused.
pub async fn gcm_seal_with_webcrypto(
    key: &[u8],
    pieces: &[GcmPiece<'_>],
    buffer: &mut Vec<u8>,
    start: usize,
) -> bool {
    let Ok(layout) = seal_layout(pieces, buffer.len(), start) else {
        return false;
    };
    let Some(sealed) = gcm_pieces(
        "encrypt",
        key,
        pieces,
        buffer.get(start..).unwrap_or_default(),
    )
    .await
    else {
        return false;
    };
    let fits = |(piece, result): (&GcmPiece<'_>, &Uint8Array)| {
        result.length() as usize == piece.len + GCM_TAG
    };
    if !pieces.iter().zip(&sealed).all(fits) {
        return false;
    }
    // Every input was copied out when its piece was started: the results
    // can go anywhere.
    buffer.resize(layout.sealed_len, 0);
    for (result, &(_, to)) in sealed.iter().zip(&layout.moves) {
        if let Some(target) = buffer.get_mut(to..to + result.length() as usize) {
            result.copy_to(target);
        }
    }
    true
}

/// The pieces that fill `buffer` opened by WebCrypto, all at once, their
/// plaintexts left in JavaScript memory: given only when every tag passed;
/// `None` when there is no WebCrypto, it refused, or a tag did not match.
pub async fn gcm_open_with_webcrypto(
    key: &[u8],
    pieces: &[GcmPiece<'_>],
    buffer: &[u8],
) -> Option<Opened> {
    if pieces.iter().map(|p| p.len).sum::<usize>() != buffer.len() {
        return None;
    }
    let opened = gcm_pieces("decrypt", key, pieces, buffer).await?;
    let fits = |(piece, result): (&GcmPiece<'_>, &Uint8Array)| {
        piece.len.checked_sub(GCM_TAG) == Some(result.length() as usize)
    };
    pieces
        .iter()
        .zip(&opened)
        .all(fits)
        .then(|| Opened::new(opened))
}

/// A container's plaintext as WebCrypto returned it, piece after piece, in
/// JavaScript memory ([`Primitives::gcm_open_apart`]).
pub struct Opened {
    pieces: Vec<Uint8Array>,
    /// Where each piece starts: a range's pieces are found by a search, so a
    /// message cut into many small chunks and many partial lengths costs no
    /// more than their number.
    starts: Vec<usize>,
    len: usize,
}

impl Opened {
    fn new(pieces: Vec<Uint8Array>) -> Self {
        let mut starts = Vec::with_capacity(pieces.len());
        let mut len = 0usize;
        for piece in &pieces {
            starts.push(len);
            len += piece.length() as usize;
        }
        Self {
            pieces,
            starts,
            len,
        }
    }

    /// The parts of the pieces that `range` covers, in order, as views.
    fn views(&self, range: &Range<usize>) -> Option<Vec<Uint8Array>> {
        if range.start > range.end || range.end > self.len {
            return None;
        }
        let first = self
            .starts
            .partition_point(|start| *start <= range.start)
            .saturating_sub(1);
        let mut views = Vec::new();
        for (piece, &at) in self.pieces.iter().zip(&self.starts).skip(first) {
            if at >= range.end {
                break;
            }
            let len = piece.length() as usize;
            let (from, to) = (range.start.max(at), range.end.min(at + len));
            if from < to {
                views.push(piece.subarray((from - at) as u32, (to - at) as u32));
            }
        }
        Some(views)
    }

    /// Octets `ranges`, one after another, as one new array: the one copy a
    /// plaintext makes on its way out (a view would keep, and show through
    /// its `buffer`, the packet headers around the data).
    pub fn joined(&self, ranges: &[Range<usize>]) -> Option<Uint8Array> {
        let total = ranges.iter().map(ExactSizeIterator::len).sum::<usize>();
        let joined = Uint8Array::new_with_length(u32::try_from(total).ok()?);
        let mut to = 0u32;
        for range in ranges {
            for view in self.views(range)? {
                joined.set(&view, to);
                to += view.length();
            }
        }
        Some(joined)
    }
}

impl Apart for Opened {
    fn len(&self) -> usize {
        self.len
    }

    fn copy_out(&self, at: usize, out: &mut [u8]) -> bool {
        let Some(views) = at
            .checked_add(out.len())
            .and_then(|end| self.views(&(at..end)))
        else {
            return false;
        };
        let mut to = 0usize;
        for view in views {
            let len = view.length() as usize;
            let Some(target) = out.get_mut(to..to + len) else {
                return false;
            };
            view.copy_to(target);
            to += len;
        }
        to == out.len()
    }
}

/// Starts AES-GCM `usage` ("encrypt" or "decrypt") of each piece of
/// `input` (they fill it, one after another), then awaits them all.
async fn gcm_pieces(
    usage: &str,
    key: &[u8],
    pieces: &[GcmPiece<'_>],
    input: &[u8],
) -> Option<Vec<Uint8Array>> {
    let cipher_key = import_aes_key("AES-GCM", key, usage).await?;
    let mut pending = Vec::with_capacity(pieces.len());
    let mut from = 0usize;
    for piece in pieces {
        let data = input.get(from..from.checked_add(piece.len)?)?;
        from += piece.len;
        let algorithm = Object::new();
        set(&algorithm, "name", &JsValue::from_str("AES-GCM"))?;
        set(&algorithm, "iv", &Uint8Array::from(&piece.nonce[..]))?;
        set(
            &algorithm,
            "additionalData",
            &Uint8Array::from(piece.associated),
        )?;
        set(&algorithm, "tagLength", &JsValue::from_f64(128.0))?;
        // SAFETY: WebCrypto copies its data argument when called (WebCrypto
        // §14.3, "get a copy of the bytes held by the data parameter"), so
        // the view is read before this function goes on. Should the Wasm
        // memory grow before that call (wasm-bindgen's table of JavaScript
        // values may allocate), the view is detached and reads as empty: the
        // piece then fails its length or tag check and the software cipher
        // does the work, slower, never wrong. Copying the whole message into
        // fresh arrays first cost a fresh page a fifth of its decryption.
        let view = unsafe { Uint8Array::view(data) };
        // Wrapped at once: a rejection with no handler yet (a wrong tag
        // while an earlier piece is awaited) would end a Node process.
        pending.push(JsFuture::from(call_subtle(
            usage,
            &[algorithm.into(), cipher_key.clone(), view.into()],
        )?));
    }
    let mut results = Vec::with_capacity(pending.len());
    for result in pending {
        results.push(Uint8Array::new(&result.await.ok()?));
    }
    Some(results)
}

fn set(target: &Object, name: &str, value: &JsValue) -> Option<()> {
    Reflect::set(target, &JsValue::from_str(name), value)
        .ok()
        .filter(|done| *done)
        .map(|_| ())
}

/// `crypto.subtle[method](...args)`, started.
fn call_subtle(method: &str, args: &[JsValue]) -> Option<Promise> {
    call_method(&subtle()?, method, args)?
        .dyn_into::<Promise>()
        .ok()
}

/// A raw AES key imported for one use.
async fn import_aes_key(algorithm: &str, key: &[u8], usage: &str) -> Option<JsValue> {
    let parameters = Object::new();
    set(&parameters, "name", &JsValue::from_str(algorithm))?;
    let imported = call_subtle(
        "importKey",
        &[
            JsValue::from_str("raw"),
            Uint8Array::from(key).into(),
            parameters.into(),
            JsValue::FALSE,
            Array::of1(&JsValue::from_str(usage)).into(),
        ],
    )?;
    JsFuture::from(imported).await.ok()
}

/// AES-256-CFB (zero IV) of `data` in place by WebCrypto; `false`, with
/// `data` untouched, when there is no WebCrypto or it refused.
///
/// CBC-enciphering the plaintext shifted one block to the right (a zero
/// block first) with a zero IV yields, block by block, exactly the cipher
/// output CFB XORs with the plaintext — all of it in one native call.
pub async fn cfb_with_webcrypto(key: &[u8], data: &mut [u8]) -> bool {
    if data.is_empty() {
        return true;
    }
    let Some(stream) = cbc_keystream(key, data).await else {
        return false;
    };
    if (stream.length() as usize) < data.len() {
        return false;
    }
    // The key stream stays in JavaScript memory; a piece at a time comes
    // over to be applied.
    let mut pad = vec![0u8; KEYSTREAM_PIECE.min(data.len())];
    for (index, piece) in data.chunks_mut(KEYSTREAM_PIECE).enumerate() {
        let start = (index * KEYSTREAM_PIECE) as u32;
        let pad = pad.get_mut(..piece.len()).unwrap_or_default();
        stream
            .subarray(start, start + piece.len() as u32)
            .copy_to(pad);
        for (byte, pad) in piece.iter_mut().zip(pad.iter()) {
            *byte ^= pad;
        }
    }
    true
}

/// How much of the CFB key stream is applied per copy out of JavaScript.
const KEYSTREAM_PIECE: usize = 256 * 1024;

/// The CFB key stream of `data` (CBC of the data shifted by a block), built
/// and returned in JavaScript memory: the Wasm memory holds only `data`.
async fn cbc_keystream(key: &[u8], data: &[u8]) -> Option<Uint8Array> {
    let blocks = data.len().div_ceil(16);
    let shifted = Uint8Array::new_with_length(u32::try_from(blocks * 16).ok()?);
    let whole = (blocks.saturating_sub(1)) * 16;
    shifted
        .subarray(16, 16 + whole as u32)
        .copy_from(data.get(..whole)?);
    let cipher_key = import_aes_key("AES-CBC", key, "encrypt").await?;
    let algorithm = Object::new();
    set(&algorithm, "name", &JsValue::from_str("AES-CBC"))?;
    set(&algorithm, "iv", &Uint8Array::from(&[0u8; 16][..]))?;
    let pending = call_subtle("encrypt", &[algorithm.into(), cipher_key, shifted.into()])?;
    let buffer = JsFuture::from(pending).await.ok()?;
    Some(Uint8Array::new(&buffer))
}
