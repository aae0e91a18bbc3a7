//! SEIPDv1: CFB with a modification detection code.
//!
//! Reading: rPGP decrypts it as a stream, one cipher block per call. CFB
//! decryption of a block needs only the ciphertext before it, so the whole
//! body is decrypted at once and the bitsliced AES works on several blocks
//! per call: about 1.5× faster in Wasm, and the body is held once instead of
//! twice.
//!
//! Writing is the other way round: CFB encryption is sequential, so the
//! cipher step is left to a [`Primitives`] — in a browser WebCrypto, whose
//! AES-CBC computes exactly the blocks CFB needs.

use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::types::PkeskVersion;
use std::ops::Range;

use rand::RngCore;
use sha1::Digest;

use crate::openpgp::error::{OpenPgpError, Result};
use crate::openpgp::primitives::Primitives;
use crate::openpgp::rng;
use crate::openpgp::validity::EncryptionTarget;

/// A SEIPDv1 message holding `inner` (literal data and signatures), its
/// session key encrypted to each target: PKESK packets, then the container.
/// Built in `inner`'s own buffer (see [`super::overhead`]), so a large
/// message is held once.
pub(crate) async fn seal(
    mut inner: Vec<u8>,
    targets: &[EncryptionTarget<'_>],
    alg: SymmetricKeyAlgorithm,
    primitives: &impl Primitives,
) -> Result<Vec<u8>> {
    let mut head = Vec::with_capacity(super::overhead(0, targets.len()));
    let session_key = super::new_session(targets, alg, PkeskVersion::V3, &mut head)?;

    // Version 1, then the body: a random prefix with its last two octets
    // repeated, the packets, the MDC packet's header and the SHA-1 over all
    // of it — enciphered.
    let block = alg.block_size();
    let body_len = 1 + block + 2 + inner.len() + MDC;
    super::write_container_header(&mut head, body_len)?;
    head.push(1);
    let body_start = head.len();
    head.resize(body_start + block, 0);
    rng().fill_bytes(head.get_mut(body_start..).unwrap_or_default());
    head.extend_from_within(body_start + block - 2..body_start + block);

    inner.reserve_exact(head.len() + MDC);
    inner.splice(0..0, head);
    inner.extend_from_slice(&[0xD3, 0x14]);
    let mdc = sha1::Sha1::digest(inner.get(body_start..).unwrap_or_default());
    inner.extend_from_slice(&mdc);
    primitives
        .cfb_encrypt(
            &session_key,
            inner.get_mut(body_start..).unwrap_or_default(),
        )
        .await?;
    Ok(inner)
}

/// The MDC packet: its header and a SHA-1.
const MDC: usize = 22;

/// Decrypts `body` in place and checks its MDC; where the packets inside
/// now lie comes back.
pub(super) fn open(
    body: &mut [u8],
    sym_alg: SymmetricKeyAlgorithm,
    key: &[u8],
) -> Result<Range<usize>> {
    let block = sym_alg.block_size();
    if block == 0 || key.len() != sym_alg.key_size() {
        return Err(OpenPgpError::BadMessage(format!(
            "the session key does not fit the cipher {sym_alg:?}"
        )));
    }
    // The random prefix (a block and two repeated octets) comes first, the
    // MDC packet (0xD3 0x14 and a SHA-1) last.
    let prefix = block + 2;
    if body.len() < prefix + MDC {
        return Err(OpenPgpError::Tampered);
    }
    sym_alg
        .decrypt_with_iv_regular(key, &vec![0u8; block], body)
        .map_err(|e| OpenPgpError::BadMessage(e.to_string()))?;
    let hashed = body.len() - 20;
    let (covered, mdc) = body.split_at(hashed);
    let digest = sha1::Sha1::digest(covered);
    // Compared without an early exit, and before anything is parsed.
    let differs = digest
        .iter()
        .zip(mdc)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if differs != 0 || covered.get(hashed - 2..) != Some(&[0xD3, 0x14][..]) {
        return Err(OpenPgpError::Tampered);
    }
    Ok(prefix..hashed - 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openpgp::unlock::UnlockKey;

    use crate::openpgp::keys::Profile;
    use crate::openpgp::message::{self, EncryptOptions};
    use crate::openpgp::seipd::test_support::{
        assert_every_changed_octet_is_tampering, decrypt_soft, key, sealed,
    };
    use pgp::types::Password;

    /// A v4 message is read here, and what comes out is rPGP's reading of it.
    #[test]
    fn v4_messages_are_read_in_one_pass_with_rpgps_result() {
        let key = key(Profile::Curve25519);
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let message = sealed(&key, &data, false);
        let inner = decrypt_soft(&message, std::slice::from_ref(&key))
            .expect("taken")
            .expect("decrypted");
        let mut literal = Vec::new();
        std::io::Read::read_to_end(
            &mut pgp::composed::Message::from_bytes(&inner[..]).expect("packets"),
            &mut literal,
        )
        .expect("literal");
        assert_eq!(literal, data);
        let unlock = [UnlockKey {
            key: &key,
            passphrase: None,
        }];
        let options = message::DecryptOptions {
            keys: &unlock,
            ..Default::default()
        };
        assert_eq!(
            message::decrypt(&message, &options).map(|d| d.data),
            Ok(data)
        );
    }

    /// Every flipped byte of the container is caught before anything inside is read.
    #[test]
    fn any_changed_byte_is_tampering() {
        let key = key(Profile::Curve25519);
        assert_every_changed_octet_is_tampering(&sealed(&key, b"do not change me", false), &key);
    }

    /// What `seal` writes, signed or not and of any length, rPGP itself
    /// decrypts (its own reader, not ours) and verifies.
    #[test]
    fn sealed_messages_are_read_by_rpgp() {
        let key = key(Profile::Curve25519);
        let recipients = [key.to_public_key()];
        let signers = [UnlockKey {
            key: &key,
            passphrase: None,
        }];
        for (length, signed, armor) in [(0, false, false), (5, true, true), (70_000, true, false)] {
            let data: Vec<u8> = (0..length).map(|i| (i % 253) as u8).collect();
            let options = EncryptOptions {
                recipients: &recipients,
                signers: if signed { &signers } else { &[] },
                armor,
                ..Default::default()
            };
            // encrypt_owned seals v4 messages with the soft cipher.
            let sealed = message::encrypt_owned(data.clone(), &options).expect("sealed");
            let parsed = if armor {
                pgp::composed::Message::from_armor(&sealed[..]).map(|(m, _)| m)
            } else {
                pgp::composed::Message::from_bytes(&sealed[..])
            }
            .expect("parsed");
            let mut opened = parsed
                .decrypt(&Password::empty(), &key)
                .expect("rPGP decrypts");
            let mut read = Vec::new();
            std::io::Read::read_to_end(&mut opened, &mut read).expect("rPGP reads");
            assert_eq!(read, data, "length {length}");
            if signed {
                opened
                    .verify(&key.to_public_key())
                    .expect("rPGP verifies the signature");
            }
        }
    }

    #[test]
    fn a_body_too_short_for_prefix_and_mdc_is_tampered() {
        let key = [7u8; 32];
        let alg = pgp::crypto::sym::SymmetricKeyAlgorithm::AES256;
        assert!(matches!(
            open(&mut [0u8; 39], alg, &key),
            Err(OpenPgpError::Tampered)
        ));
        assert!(matches!(
            open(&mut [0u8; 64], alg, &key),
            Err(OpenPgpError::Tampered)
        ));
        assert!(matches!(
            open(&mut [0u8; 64], alg, &key[..16]),
            Err(OpenPgpError::BadMessage(_))
        ));
    }
}
