//! The encrypted container of public-key messages — SEIPDv1 (CFB with a
//! modification detection code, what GnuPG reads and writes) and SEIPDv2
//! with AES-GCM — written and read here instead of by rPGP's stream, so the
//! AES can be done by whatever does it fastest: in a browser WebCrypto (AES
//! instructions, the browser's own threads), elsewhere the software cipher.
//! Only the common shapes are taken (public-key session keys, one container);
//! everything else is rPGP's.

pub(crate) mod v1;
pub(crate) mod v2;

use pgp::composed::{PlainSessionKey, SignedSecretKey};
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::{
    Packet, PacketParser, PublicKeyEncryptedSessionKey, SymEncryptedProtectedData,
    SymEncryptedProtectedDataConfig,
};
use pgp::types::{DecryptionKey, EskType, Password, PkeskVersion};
use zeroize::Zeroizing;

use super::error::{OpenPgpError, Result};

/// One AES-GCM operation: its nonce, associated data and input (plaintext
/// to seal, or ciphertext followed by its 16-octet tag to open).
pub struct GcmPiece<'a> {
    /// The 12-octet nonce.
    pub nonce: [u8; 12],
    /// Authenticated, not encrypted.
    pub associated: &'a [u8],
    /// What goes in.
    pub data: &'a [u8],
}

/// The AES the containers need. Each call takes all its work at once, so an
/// implementation may run the pieces concurrently.
pub(crate) trait BulkAes {
    /// AES-CFB with an all-zero IV (SEIPDv1's random prefix plays its part)
    /// of `data` in place.
    async fn cfb_encrypt(&self, key: &[u8], data: &mut [u8]) -> Result<()>;

    /// Seals each piece with AES-GCM; its ciphertext and tag are appended
    /// to `out`, in order.
    async fn gcm_seal(&self, key: &[u8], pieces: &[GcmPiece<'_>], out: &mut Vec<u8>) -> Result<()>;

    /// Opens each piece with AES-GCM and appends its plaintext to `out`, in
    /// order; [`OpenPgpError::Tampered`] (and `out` as it was) when any tag
    /// does not match.
    async fn gcm_open(&self, key: &[u8], pieces: &[GcmPiece<'_>], out: &mut Vec<u8>) -> Result<()>;
}

/// The AES done here, for when there is no faster one.
pub(crate) struct SoftAes;

impl BulkAes for SoftAes {
    async fn cfb_encrypt(&self, key: &[u8], data: &mut [u8]) -> Result<()> {
        cipher_for_key(key)?
            .encrypt_with_iv_regular(key, &[0u8; 16], data)
            .map_err(|e| OpenPgpError::Internal(e.to_string()))
    }

    async fn gcm_seal(&self, key: &[u8], pieces: &[GcmPiece<'_>], out: &mut Vec<u8>) -> Result<()> {
        let gcm = SoftGcm::new(key)?;
        for piece in pieces {
            let start = out.len();
            out.extend_from_slice(piece.data);
            gcm.seal(piece, out, start)?;
        }
        Ok(())
    }

    async fn gcm_open(&self, key: &[u8], pieces: &[GcmPiece<'_>], out: &mut Vec<u8>) -> Result<()> {
        let gcm = SoftGcm::new(key)?;
        let before = out.len();
        for piece in pieces {
            if let Err(error) = gcm.open(piece, out) {
                out.truncate(before);
                return Err(error);
            }
        }
        Ok(())
    }
}

fn cipher_for_key(key: &[u8]) -> Result<SymmetricKeyAlgorithm> {
    match key.len() {
        16 => Ok(SymmetricKeyAlgorithm::AES128),
        32 => Ok(SymmetricKeyAlgorithm::AES256),
        other => Err(OpenPgpError::Internal(format!(
            "no AES key is {other} octets long here"
        ))),
    }
}

/// AES-128-GCM or AES-256-GCM, by the key's length.
enum SoftGcm {
    Aes128(Box<aes_gcm::Aes128Gcm>),
    Aes256(Box<aes_gcm::Aes256Gcm>),
}

impl SoftGcm {
    fn new(key: &[u8]) -> Result<Self> {
        use aes_gcm::KeyInit;
        let bad_key = |_| OpenPgpError::Internal("bad AES-GCM key".into());
        Ok(match cipher_for_key(key)? {
            SymmetricKeyAlgorithm::AES128 => Self::Aes128(Box::new(
                aes_gcm::Aes128Gcm::new_from_slice(key).map_err(bad_key)?,
            )),
            _ => Self::Aes256(Box::new(
                aes_gcm::Aes256Gcm::new_from_slice(key).map_err(bad_key)?,
            )),
        })
    }

    /// Seals `out[start..]` (the piece's plaintext) in place and appends the tag.
    fn seal(&self, piece: &GcmPiece<'_>, out: &mut Vec<u8>, start: usize) -> Result<()> {
        use aes_gcm::AeadInPlace;
        let nonce = aes_gcm::Nonce::from_slice(&piece.nonce);
        let buffer = out.get_mut(start..).unwrap_or_default();
        let tag = match self {
            Self::Aes128(gcm) => gcm.encrypt_in_place_detached(nonce, piece.associated, buffer),
            Self::Aes256(gcm) => gcm.encrypt_in_place_detached(nonce, piece.associated, buffer),
        }
        .map_err(|_| OpenPgpError::Internal("AES-GCM refused the piece".into()))?;
        out.extend_from_slice(&tag);
        Ok(())
    }

    /// Checks the piece's tag and appends its plaintext.
    fn open(&self, piece: &GcmPiece<'_>, out: &mut Vec<u8>) -> Result<()> {
        use aes_gcm::AeadInPlace;
        let split = piece
            .data
            .len()
            .checked_sub(16)
            .ok_or(OpenPgpError::Tampered)?;
        let (ciphertext, tag) = piece.data.split_at(split);
        let start = out.len();
        out.extend_from_slice(ciphertext);
        let nonce = aes_gcm::Nonce::from_slice(&piece.nonce);
        let tag = aes_gcm::Tag::from_slice(tag);
        let buffer = out.get_mut(start..).unwrap_or_default();
        let checked = match self {
            Self::Aes128(gcm) => {
                gcm.decrypt_in_place_detached(nonce, piece.associated, buffer, tag)
            }
            Self::Aes256(gcm) => {
                gcm.decrypt_in_place_detached(nonce, piece.associated, buffer, tag)
            }
        };
        checked.map_err(|_| {
            out.truncate(start);
            OpenPgpError::Tampered
        })
    }
}

/// Packet 18 (the container) in the new format, its length stated whole:
/// the header, then `body_len` octets follow.
fn write_container_header(out: &mut Vec<u8>, body_len: usize) -> Result<()> {
    let length = u32::try_from(body_len).map_err(|_| OpenPgpError::TooLarge {
        size: body_len,
        limit: u32::MAX as usize,
    })?;
    out.push(0xC0 | 18);
    match length {
        0..=191 => out.push(length as u8),
        192..=8383 => {
            let rest = length - 192;
            out.extend_from_slice(&[(rest >> 8) as u8 + 192, rest as u8]);
        }
        _ => {
            out.push(0xFF);
            out.extend_from_slice(&length.to_be_bytes());
        }
    }
    Ok(())
}

/// The PKESKs and the container, if that is all the message holds.
fn container(
    input: &[u8],
) -> Option<(Vec<PublicKeyEncryptedSessionKey>, SymEncryptedProtectedData)> {
    let mut packets = PacketParser::new(input);
    let mut esks = Vec::new();
    let body = loop {
        match packets.next()?.ok()? {
            Packet::PublicKeyEncryptedSessionKey(esk) => esks.push(esk),
            Packet::Marker(_) | Packet::Padding(_) => {}
            Packet::SymEncryptedProtectedData(body) => break body,
            _ => return None,
        }
    };
    // Anything after the container is for rPGP to judge.
    packets.next().is_none().then_some((esks, body))
}

/// A session key, with the cipher when the PKESK names it (v3 does, v6
/// leaves it to the container).
struct SessionKey {
    cipher: Option<SymmetricKeyAlgorithm>,
    key: Zeroizing<Vec<u8>>,
}

/// The session key from the first PKESK of `version` that one of the
/// (unlocked) keys opens.
fn session_key(
    esks: &[PublicKeyEncryptedSessionKey],
    keys: &[SignedSecretKey],
    version: PkeskVersion,
) -> Option<SessionKey> {
    let esk_type = match version {
        PkeskVersion::V3 => EskType::V3_4,
        PkeskVersion::V6 => EskType::V6,
        _ => return None,
    };
    let open = |esk: &PublicKeyEncryptedSessionKey, packet: &dyn DecryptionKey| {
        let values = esk.values().ok()?;
        match &packet.decrypt(&Password::empty(), values, esk_type) {
            Ok(Ok(PlainSessionKey::V3_4 { sym_alg, key })) => Some(SessionKey {
                cipher: Some(*sym_alg),
                key: Zeroizing::new(key.as_ref().to_vec()),
            }),
            Ok(Ok(PlainSessionKey::V6 { key })) => Some(SessionKey {
                cipher: None,
                key: Zeroizing::new(key.as_ref().to_vec()),
            }),
            _ => None,
        }
    };
    for esk in esks.iter().filter(|e| e.version() == version) {
        for key in keys {
            if esk.match_identity(key.primary_key.public_key())
                && let Some(found) = open(esk, &key.primary_key)
            {
                return Some(found);
            }
            for subkey in &key.secret_subkeys {
                if esk.match_identity(subkey.key.public_key())
                    && let Some(found) = open(esk, &subkey.key)
                {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// The packets inside the container (literal data, signatures,
/// compression), or `None` when the message is not one read here — then
/// rPGP reads it. Keys must already be unlocked.
pub(crate) async fn decrypt(
    input: &[u8],
    keys: &[SignedSecretKey],
    aes: &impl BulkAes,
) -> Option<Result<Vec<u8>>> {
    let (esks, body) = container(input)?;
    match body.config() {
        SymEncryptedProtectedDataConfig::V1 => {
            let session = session_key(&esks, keys, PkeskVersion::V3)?;
            Some(v1::open(body.data(), session.cipher?, &session.key))
        }
        SymEncryptedProtectedDataConfig::V2 {
            sym_alg,
            aead,
            chunk_size,
            salt,
        } => {
            let header = v2::Header::read(*sym_alg, *aead, *chunk_size, *salt)?;
            let session = session_key(&esks, keys, PkeskVersion::V6)?;
            Some(v2::open(body.data(), &header, &session.key, aes).await)
        }
    }
}

/// What the tests of both container versions share.
#[cfg(test)]
mod test_support {
    use super::*;
    use crate::openpgp::keys::{self, GenerateOptions, Profile};
    use crate::openpgp::message::{self, EncryptOptions, UnlockKey};

    /// [`decrypt`] with the software cipher.
    pub(super) fn decrypt_soft(input: &[u8], keys: &[SignedSecretKey]) -> Option<Result<Vec<u8>>> {
        crate::openpgp::run_now(async { Ok(decrypt(input, keys, &SoftAes).await) })
            .ok()
            .flatten()
    }

    /// A new unprotected key of `profile`.
    pub(super) fn key(profile: Profile) -> SignedSecretKey {
        keys::generate(&GenerateOptions {
            user_ids: vec!["S <s@example.org>".into()],
            profile,
            ..Default::default()
        })
        .expect("key")
    }

    /// `data` encrypted to `key` as the core does it, signed by it if asked.
    pub(super) fn sealed(key: &SignedSecretKey, data: &[u8], sign: bool) -> Vec<u8> {
        let signers = [UnlockKey {
            key,
            passphrase: None,
        }];
        message::encrypt(
            data,
            &EncryptOptions {
                recipients: &[key.to_public_key()],
                signers: if sign { &signers } else { &[] },
                ..Default::default()
            },
        )
        .expect("encrypt")
    }

    /// Every octet of the container's body, changed, is TAMPERED.
    pub(super) fn assert_every_changed_octet_is_tampering(message: &[u8], key: &SignedSecretKey) {
        let (_, body) = container(message).expect("container");
        let start = message.len() - body.data().len();
        for index in start..message.len() {
            let mut changed = message.to_vec();
            changed[index] ^= 0x01;
            assert!(
                matches!(
                    decrypt_soft(&changed, std::slice::from_ref(key)),
                    Some(Err(OpenPgpError::Tampered))
                ),
                "octet {index}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces<'a>(data: &'a [u8], associated: &'a [u8]) -> Vec<GcmPiece<'a>> {
        data.chunks(100)
            .enumerate()
            .map(|(index, data)| GcmPiece {
                nonce: [index as u8; 12],
                associated,
                data,
            })
            .collect()
    }

    /// Sealed pieces open to what went in, for both key sizes; a changed
    /// octet anywhere makes the whole call fail and leaves `out` alone.
    #[test]
    fn gcm_pieces_round_trip_and_any_change_is_tampering() {
        let data: Vec<u8> = (0..250u32).map(|i| i as u8).collect();
        for key in [[3u8; 16].as_slice(), [4u8; 32].as_slice()] {
            let mut sealed = Vec::new();
            super::super::run_now(SoftAes.gcm_seal(key, &pieces(&data, b"ad"), &mut sealed))
                .expect("sealed");
            assert_eq!(sealed.len(), data.len() + 3 * 16);
            let sealed_pieces: Vec<&[u8]> = vec![&sealed[..116], &sealed[116..232], &sealed[232..]];
            let open = |parts: &[&[u8]], associated: &[u8]| {
                let pieces: Vec<GcmPiece<'_>> = parts
                    .iter()
                    .enumerate()
                    .map(|(index, data)| GcmPiece {
                        nonce: [index as u8; 12],
                        associated,
                        data,
                    })
                    .collect();
                let mut out = b"kept".to_vec();
                let result = super::super::run_now(SoftAes.gcm_open(key, &pieces, &mut out));
                (result, out)
            };
            let (result, out) = open(&sealed_pieces, b"ad");
            assert_eq!(result, Ok(()));
            assert_eq!(&out[4..], &data[..]);
            let (result, out) = open(&sealed_pieces, b"other");
            assert_eq!(result, Err(OpenPgpError::Tampered));
            assert_eq!(out, b"kept");
            for index in 0..sealed.len() {
                let mut changed = sealed.clone();
                changed[index] ^= 0x80;
                let parts: Vec<&[u8]> = vec![&changed[..116], &changed[116..232], &changed[232..]];
                assert_eq!(
                    open(&parts, b"ad").0,
                    Err(OpenPgpError::Tampered),
                    "octet {index}"
                );
            }
        }
    }
}
