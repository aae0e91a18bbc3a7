//! SEIPDv2 with AES-GCM (RFC 9580 §5.13.2): the plaintext in chunks, each
//! sealed with its index in the nonce, then a final tag over the total
//! length so a cut-off message is caught. The chunks are independent, so the
//! whole message goes to [`Primitives`] at once — WebCrypto runs them
//! concurrently with AES instructions. Other AEAD modes (OCB, EAX) are rPGP's.

use pgp::crypto::aead::{AeadAlgorithm, ChunkSize};
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::types::PkeskVersion;
use rand::RngCore;
use zeroize::Zeroizing;

use super::Inside;
use crate::openpgp::error::{OpenPgpError, Result};
use crate::openpgp::primitives::{GCM_TAG, GcmPiece, OpenedApart, Primitives};
use crate::openpgp::validity::EncryptionTarget;

/// Chunks of 256 KiB, as OpenPGP.js writes them: few enough pieces for a
/// 25 MiB message, small enough for a streaming reader.
const CHUNK_SIZE: ChunkSize = ChunkSize::C256KiB;

/// [`CHUNK_SIZE`] in octets.
pub(super) const CHUNK_LEN: usize = 256 * 1024;

const TAG: usize = GCM_TAG;

/// The container's parameters, as its header states them.
pub(super) struct Header {
    cipher: SymmetricKeyAlgorithm,
    chunk_size: ChunkSize,
    salt: [u8; 32],
}

impl Header {
    /// The header of a container read here: AES-128 or AES-256 with GCM.
    pub(super) fn read(
        cipher: SymmetricKeyAlgorithm,
        aead: AeadAlgorithm,
        chunk_size: ChunkSize,
        salt: [u8; 32],
    ) -> Option<Self> {
        let aes = matches!(
            cipher,
            SymmetricKeyAlgorithm::AES128 | SymmetricKeyAlgorithm::AES256
        );
        (aes && aead == AeadAlgorithm::Gcm).then_some(Self {
            cipher,
            chunk_size,
            salt,
        })
    }

    /// Packet tag, version, cipher, AEAD mode, chunk size: the HKDF info and
    /// every chunk's associated data.
    fn info(&self) -> [u8; 5] {
        [
            0xC0 | 18,
            2,
            self.cipher.into(),
            AeadAlgorithm::Gcm.into(),
            self.chunk_size.into(),
        ]
    }

    /// The message key and the nonce's fixed part, from the session key.
    fn message_key(&self, session_key: &[u8]) -> Result<(Zeroizing<Vec<u8>>, [u8; 4])> {
        let key_size = self.cipher.key_size();
        if session_key.len() != key_size {
            return Err(OpenPgpError::BadMessage(format!(
                "the session key does not fit the cipher {:?}",
                self.cipher
            )));
        }
        let mut derived = Zeroizing::new(vec![0u8; key_size + 4]);
        hkdf::Hkdf::<sha2::Sha256>::new(Some(&self.salt), session_key)
            .expand(&self.info(), &mut derived)
            .map_err(|_| OpenPgpError::Internal("HKDF output too long".into()))?;
        let mut iv = [0u8; 4];
        iv.copy_from_slice(derived.get(key_size..).unwrap_or_default());
        derived.truncate(key_size);
        Ok((derived, iv))
    }

    fn chunk_len(&self) -> usize {
        self.chunk_size.as_byte_size() as usize
    }
}

fn nonce(iv: &[u8; 4], index: usize) -> [u8; 12] {
    let mut nonce = [0u8; 12];
    nonce[..4].copy_from_slice(iv);
    nonce[4..].copy_from_slice(&(index as u64).to_be_bytes());
    nonce
}

/// The final piece's associated data: the info and the plaintext's length.
fn final_associated(info: &[u8; 5], total: usize) -> [u8; 13] {
    let mut associated = [0u8; 13];
    associated[..5].copy_from_slice(info);
    associated[5..].copy_from_slice(&(total as u64).to_be_bytes());
    associated
}

/// A SEIPDv2 (AES-256-GCM) message holding `inner` (literal data and
/// signatures), its session key encrypted to each target in a v6 PKESK.
/// Built in `inner`'s own buffer (see [`super::overhead`]), so a large
/// message is held once.
pub(crate) async fn seal(
    mut inner: Vec<u8>,
    targets: &[EncryptionTarget<'_>],
    primitives: &impl Primitives,
) -> Result<Vec<u8>> {
    let mut rng = crate::openpgp::rng();
    let header = Header {
        cipher: SymmetricKeyAlgorithm::AES256,
        chunk_size: CHUNK_SIZE,
        salt: {
            let mut salt = [0u8; 32];
            rng.fill_bytes(&mut salt);
            salt
        },
    };
    let data_len = inner.len();
    let chunks = data_len.div_ceil(header.chunk_len());
    let body_len = (4 + 32 + TAG)
        .saturating_add(data_len)
        .saturating_add(chunks.saturating_mul(TAG));
    let mut head = Vec::with_capacity(super::overhead(0, targets.len()));
    let session_key = super::new_session(targets, header.cipher, PkeskVersion::V6, &mut head)?;
    let info = header.info();
    super::write_container_header(&mut head, body_len)?;
    head.extend_from_slice(&info[1..]);
    head.extend_from_slice(&header.salt);

    let (key, iv) = header.message_key(&session_key)?;
    let end = final_associated(&info, data_len);
    let mut pieces: Vec<GcmPiece<'_>> = (0..chunks)
        .map(|index| GcmPiece {
            nonce: nonce(&iv, index),
            associated: &info,
            len: (data_len - index * header.chunk_len()).min(header.chunk_len()),
        })
        .collect();
    pieces.push(GcmPiece {
        nonce: nonce(&iv, chunks),
        associated: &end,
        len: 0,
    });
    let start = head.len();
    inner.reserve_exact(start + (chunks + 1) * TAG);
    inner.splice(0..0, head);
    primitives
        .gcm_seal(&key, &pieces, &mut inner, start)
        .await?;
    Ok(inner)
}

/// Checks every chunk's tag and the final one, decrypting `body` in place
/// or, where the primitives can, leaving the plaintext where they made it;
/// where the packets inside now lie comes back. Nothing is to be read
/// unless everything was authentic.
pub(super) async fn open<P: Primitives>(
    body: &mut [u8],
    header: &Header,
    session_key: &[u8],
    primitives: &P,
) -> Result<Inside<P::Apart>> {
    let (key, iv) = header.message_key(session_key)?;
    let info = header.info();
    let chunks_len = body.len().checked_sub(TAG).ok_or(OpenPgpError::Tampered)?;
    let sealed_chunk = header.chunk_len() + TAG;
    let mut pieces = Vec::with_capacity(chunks_len / sealed_chunk + 2);
    let mut total = 0usize;
    let mut left = chunks_len;
    while left > 0 {
        let len = left.min(sealed_chunk);
        // A chunk shorter than its tag was cut.
        total += len.checked_sub(TAG).ok_or(OpenPgpError::Tampered)?;
        pieces.push(GcmPiece {
            nonce: nonce(&iv, pieces.len()),
            associated: &info,
            len,
        });
        left -= len;
    }
    let end = final_associated(&info, total);
    pieces.push(GcmPiece {
        nonce: nonce(&iv, pieces.len()),
        associated: &end,
        len: TAG,
    });
    let opened = match primitives.gcm_open_apart(&key, &pieces, body).await {
        OpenedApart::Opened(apart) => return Ok(Inside::Apart(apart, 0..body.len())),
        OpenedApart::NotTried | OpenedApart::Refused => {
            primitives.gcm_open(&key, &pieces, body).await?
        }
    };
    Ok(Inside::Here(0..opened))
}

#[cfg(test)]
mod tests {
    use super::*;

    use pgp::composed::{Message, MessageBuilder, SignedSecretKey};
    use pgp::packet::SymEncryptedProtectedDataConfig;
    use pgp::types::{Password, PkeskVersion};

    use crate::openpgp::keys::Profile;
    use crate::openpgp::message::{self, DecryptOptions};
    use crate::openpgp::primitives::SoftPrimitives;
    use crate::openpgp::run_now;
    use crate::openpgp::seipd::session_key;
    use crate::openpgp::seipd::test_support::{
        assert_every_changed_octet_is_tampering, body, decrypt_soft, key, sealed,
    };
    use crate::openpgp::unlock::UnlockKey;

    fn v6_key() -> SignedSecretKey {
        key(Profile::Rfc9580)
    }

    fn data(length: usize) -> Vec<u8> {
        (0..length).map(|i| (i % 239) as u8).collect()
    }

    /// Our v6 keys ask for GCM, so that is what is written — in chunks of
    /// 256 KiB — and what is read here, with rPGP's own reading as the check.
    #[test]
    fn gcm_messages_are_written_and_read_here_as_rpgp_reads_them() {
        let key = v6_key();
        let data = data(600_000);
        let message = sealed(&key, &data, true);
        let (esks, config, _) = body(&message);
        assert!(esks.iter().all(|e| e.version() == PkeskVersion::V6));
        assert!(matches!(
            config,
            SymEncryptedProtectedDataConfig::V2 {
                sym_alg: SymmetricKeyAlgorithm::AES256,
                aead: AeadAlgorithm::Gcm,
                chunk_size: ChunkSize::C256KiB,
                ..
            }
        ));
        let inner = decrypt_soft(&message, std::slice::from_ref(&key))
            .expect("taken")
            .expect("decrypted");
        let mut literal = Vec::new();
        std::io::Read::read_to_end(
            &mut Message::from_bytes(&inner[..]).expect("packets"),
            &mut literal,
        )
        .expect("literal");
        assert_eq!(literal, data);

        let mut by_rpgp = Message::from_bytes(&message[..])
            .expect("parsed")
            .decrypt(&Password::empty(), &key)
            .expect("rPGP decrypts");
        let mut read = Vec::new();
        std::io::Read::read_to_end(&mut by_rpgp, &mut read).expect("rPGP reads");
        assert_eq!(read, data);
        by_rpgp.verify(&key.to_public_key()).expect("rPGP verifies");
    }

    /// Lengths around the chunk boundaries, including none at all.
    #[test]
    fn every_length_round_trips() {
        let key = v6_key();
        let unlock = [UnlockKey {
            key: &key,
            passphrase: None,
        }];
        let chunk = CHUNK_SIZE.as_byte_size() as usize;
        for length in [0, 1, chunk - 40, chunk, chunk + 1, 2 * chunk + 17] {
            let data = data(length);
            let decrypted = message::decrypt(
                &sealed(&key, &data, false),
                &DecryptOptions {
                    keys: &unlock,
                    ..Default::default()
                },
            );
            assert_eq!(decrypted.map(|d| d.data), Ok(data), "length {length}");
        }
    }

    /// Every changed octet of the body, a chunk cut out, chunks swapped or
    /// the end cut off: TAMPERED, and nothing of the plaintext comes out.
    #[test]
    fn changed_reordered_or_cut_bodies_are_tampering() {
        let key = v6_key();
        assert_every_changed_octet_is_tampering(&sealed(&key, b"do not change me", false), &key);

        let chunk = CHUNK_SIZE.as_byte_size() as usize + TAG;
        let large = sealed(&key, &data(3 * chunk), false);
        let (esks, config, whole) = body(&large);
        let session =
            session_key(&esks, std::slice::from_ref(&key), PkeskVersion::V6).expect("session key");
        let SymEncryptedProtectedDataConfig::V2 {
            sym_alg,
            aead,
            chunk_size,
            salt,
        } = config
        else {
            panic!("not SEIPDv2");
        };
        let header = Header::read(sym_alg, aead, chunk_size, salt).expect("GCM");
        let open = |body: &[u8]| {
            let mut body = body.to_vec();
            run_now(open(&mut body, &header, &session.key, &SoftPrimitives))
        };
        assert!(open(&whole).is_ok());
        let without_second = [&whole[..chunk], &whole[2 * chunk..]].concat();
        let swapped = [
            &whole[chunk..2 * chunk],
            &whole[..chunk],
            &whole[2 * chunk..],
        ]
        .concat();
        let without_end = &whole[..whole.len() - TAG];
        let without_last_chunk = [&whole[..3 * chunk], &whole[whole.len() - TAG..]].concat();
        for (what, body) in [
            ("a chunk cut out", &without_second[..]),
            ("chunks swapped", &swapped[..]),
            ("the final tag cut off", without_end),
            ("the last chunk cut off", &without_last_chunk[..]),
            ("less than a tag", &whole[..7]),
        ] {
            assert_eq!(open(body), Err(OpenPgpError::Tampered), "{what}");
        }
    }

    /// OCB (what keys that do not list GCM get) and foreign keys are rPGP's.
    #[test]
    fn other_modes_and_keys_are_left_to_rpgp() {
        let key = v6_key();
        let mut builder = MessageBuilder::from_bytes("", b"ocb".to_vec()).seipd_v2(
            crate::openpgp::rng(),
            SymmetricKeyAlgorithm::AES256,
            AeadAlgorithm::Ocb,
            ChunkSize::default(),
        );
        builder
            .encrypt_to_key(
                crate::openpgp::rng(),
                &key.secret_subkeys[0].key.public_key(),
            )
            .expect("recipient");
        let ocb = builder.to_vec(crate::openpgp::rng()).expect("OCB message");
        assert!(decrypt_soft(&ocb, std::slice::from_ref(&key)).is_none());
        let unlock = [UnlockKey {
            key: &key,
            passphrase: None,
        }];
        let options = DecryptOptions {
            keys: &unlock,
            ..Default::default()
        };
        assert_eq!(
            message::decrypt(&ocb, &options).map(|d| d.data),
            Ok(b"ocb".to_vec())
        );

        let other = v6_key();
        assert!(decrypt_soft(&sealed(&key, b"not yours", false), &[other]).is_none());
    }
}
