//! The encrypted container of public-key messages — SEIPDv1 (CFB with a
//! modification detection code, what GnuPG reads and writes) and SEIPDv2
//! with AES-GCM — written and read here instead of by rPGP's stream, so the
//! AES can be done by whatever does it fastest ([`Primitives`]): in a browser
//! WebCrypto (AES instructions, the browser's own threads), elsewhere the
//! software cipher.
//! Only the common shapes are taken (public-key session keys, one container);
//! everything else is rPGP's.

pub(crate) mod v1;
pub(crate) mod v2;

use pgp::composed::{PlainSessionKey, SignedSecretKey};
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::{
    Packet, PacketParser, PacketTrait, PublicKeyEncryptedSessionKey, SymEncryptedProtectedData,
    SymEncryptedProtectedDataConfig,
};
use pgp::types::{DecryptionKey, EskType, Password, PkeskVersion};
use zeroize::Zeroizing;

use super::error::{OpenPgpError, Result};
use super::primitives::Primitives;
use super::validity::EncryptionTarget;

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

/// A fresh session key for `cipher`, and written to `out` a PKESK of
/// `version` holding it for each target.
fn new_session(
    targets: &[EncryptionTarget<'_>],
    cipher: SymmetricKeyAlgorithm,
    version: PkeskVersion,
    out: &mut Vec<u8>,
) -> Result<Zeroizing<Vec<u8>>> {
    let mut session_key = Zeroizing::new(vec![0u8; cipher.key_size()]);
    rand::RngCore::fill_bytes(&mut super::rng(), &mut session_key);
    let raw = pgp::composed::RawSessionKey::from(session_key.to_vec());
    for target in targets {
        let esk = match target {
            EncryptionTarget::Subkey(subkey) => pkesk(&raw, cipher, version, &subkey.key),
            EncryptionTarget::Primary(primary) => pkesk(&raw, cipher, version, *primary),
        };
        esk.and_then(|esk| esk.to_writer_with_header(out))
            .map_err(|e| OpenPgpError::Internal(e.to_string()))?;
    }
    Ok(session_key)
}

fn pkesk(
    raw: &pgp::composed::RawSessionKey,
    cipher: SymmetricKeyAlgorithm,
    version: PkeskVersion,
    key: &impl pgp::types::EncryptionKey,
) -> pgp::errors::Result<PublicKeyEncryptedSessionKey> {
    match version {
        PkeskVersion::V6 => {
            PublicKeyEncryptedSessionKey::from_session_key_v6(super::rng(), raw, key)
        }
        _ => PublicKeyEncryptedSessionKey::from_session_key_v3(super::rng(), raw, cipher, key),
    }
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
    primitives: &impl Primitives,
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
            Some(v2::open(body.data(), &header, &session.key, primitives).await)
        }
    }
}

/// What the tests of both container versions share.
#[cfg(test)]
mod test_support {
    use super::*;
    use crate::openpgp::keys::{self, GenerateOptions, Profile};
    use crate::openpgp::message::{self, EncryptOptions, UnlockKey};
    use crate::openpgp::primitives::SoftPrimitives;

    /// [`decrypt`] with the software cipher.
    pub(super) fn decrypt_soft(input: &[u8], keys: &[SignedSecretKey]) -> Option<Result<Vec<u8>>> {
        crate::openpgp::run_now(async { Ok(decrypt(input, keys, &SoftPrimitives).await) })
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
