//! Unlocking passphrase-protected secret key packets in memory, once per
//! operation and only the packets the operation needs.
//!
//! rPGP re-derives the S2K key every time a locked packet is used, and hashes
//! the iterated-and-salted S2K input a few bytes per call. A GnuPG key is
//! unlocked many times a day, so the common case — CFB protection with an
//! iterated-and-salted SHA-1/SHA-2 S2K (S2K usage 254) — is derived here in
//! large blocks; every other protection goes through rPGP unchanged.

use pgp::composed::SignedSecretKey;
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{SecretKey, SecretSubkey};
use pgp::ser::Serialize;
use pgp::types::{
    KeyDetails, Password, PlainSecretParams, S2kParams, SecretParams, SigningKey, StringToKey, Tag,
};
use sha1::Digest;
use zeroize::Zeroizing;

use super::error::{OpenPgpError, Result};
use super::keys::fingerprint;
use super::message::UnlockKey;

/// A copy of `key` whose secret packets selected by `wanted` (given each
/// packet's fingerprint) are unlocked; the others stay as they were.
///
/// A wanted packet that is locked needs the passphrase: without one the error
/// is [`OpenPgpError::KeyIsProtected`], with a wrong one
/// [`OpenPgpError::BadPassphrase`].
pub(crate) fn unlocked(
    key: &UnlockKey<'_>,
    wanted: impl Fn(&str) -> bool,
) -> Result<SignedSecretKey> {
    let primary_fpr = fingerprint(&key.key.primary_key);
    let mut copy = key.key.clone();
    if wanted(&primary_fpr) {
        copy.primary_key = unlocked_primary(&copy.primary_key, key.passphrase, &primary_fpr)?;
    }
    for subkey in &mut copy.secret_subkeys {
        if wanted(&fingerprint(&subkey.key)) {
            subkey.key = unlocked_subkey(&subkey.key, key.passphrase, &primary_fpr)?;
        }
    }
    Ok(copy)
}

/// The key's primary packet, unlocked.
pub(crate) fn unlocked_primary(
    packet: &SecretKey,
    passphrase: Option<&str>,
    primary_fpr: &str,
) -> Result<SecretKey> {
    let SecretParams::Encrypted(_) = packet.secret_params() else {
        return Ok(packet.clone());
    };
    let plain = plain_params(
        packet.public_key(),
        packet.secret_params(),
        Tag::SecretKey,
        passphrase,
        primary_fpr,
    )?;
    SecretKey::new(packet.public_key().clone(), SecretParams::Plain(plain)).map_err(internal)
}

/// A subkey packet, unlocked.
pub(crate) fn unlocked_subkey(
    packet: &SecretSubkey,
    passphrase: Option<&str>,
    primary_fpr: &str,
) -> Result<SecretSubkey> {
    let SecretParams::Encrypted(_) = packet.secret_params() else {
        return Ok(packet.clone());
    };
    let plain = plain_params(
        packet.public_key(),
        packet.secret_params(),
        Tag::SecretSubkey,
        passphrase,
        primary_fpr,
    )?;
    SecretSubkey::new(packet.public_key().clone(), SecretParams::Plain(plain)).map_err(internal)
}

/// One unlocked packet that can sign.
pub(crate) enum SigningPacket {
    /// The primary key.
    Primary(SecretKey),
    /// A signing subkey.
    Subkey(SecretSubkey),
}

impl SigningPacket {
    /// The packet as rPGP's signer (already unlocked: sign with [`Password::empty`]).
    pub(crate) fn key(&self) -> &dyn SigningKey {
        match self {
            Self::Primary(key) => key,
            Self::Subkey(key) => key,
        }
    }
}

/// The password to give rPGP for packets unlocked here.
pub(crate) fn no_password() -> Password {
    Password::empty()
}

fn plain_params(
    public: &(impl KeyDetails + Serialize),
    params: &SecretParams,
    tag: Tag,
    passphrase: Option<&str>,
    primary_fpr: &str,
) -> Result<PlainSecretParams> {
    let encrypted = match params {
        SecretParams::Plain(plain) => return Ok(plain.clone()),
        SecretParams::Encrypted(encrypted) => encrypted,
    };
    let Some(passphrase) = passphrase else {
        return Err(OpenPgpError::KeyIsProtected(primary_fpr.to_string()));
    };
    let bad = || OpenPgpError::BadPassphrase(primary_fpr.to_string());
    if let S2kParams::Cfb { sym_alg, s2k, iv } = encrypted.string_to_key_params()
        && let Some(derived) = derive_iterated(s2k, passphrase.as_bytes(), sym_alg.key_size())
    {
        let mut data = Zeroizing::new(encrypted.data().to_vec());
        sym_alg
            .decrypt_with_iv_regular(&derived, iv, &mut data)
            .map_err(|_| bad())?;
        // S2K usage 254: the key material is followed by its SHA-1, which is
        // what tells a wrong passphrase from a right one.
        let split = data.len().checked_sub(20).ok_or_else(bad)?;
        let (material, checksum) = data.split_at(split);
        if sha1::Sha1::digest(material).as_slice() != checksum {
            return Err(bad());
        }
        return PlainSecretParams::try_from_reader_no_checksum(
            material,
            public.version(),
            public.algorithm(),
            public.public_params(),
        )
        .map_err(|_| bad());
    }
    encrypted
        .unlock(&Password::from(passphrase), public, Some(tag))
        .map_err(|_| bad())
}

/// How many bytes of salt and passphrase to hash per call: large enough that
/// per-call overhead vanishes, small enough to stay in cache.
const ITERATION_BLOCK: usize = 64 * 1024;

/// The iterated-and-salted S2K key (RFC 9580 §3.7.1.3), for the hashes worth
/// a fast path; `None` for any other S2K (rPGP derives those).
fn derive_iterated(
    s2k: &StringToKey,
    passphrase: &[u8],
    key_size: usize,
) -> Option<Zeroizing<Vec<u8>>> {
    let StringToKey::IteratedAndSalted {
        hash_alg,
        salt,
        count,
    } = s2k
    else {
        return None;
    };
    match hash_alg {
        HashAlgorithm::Sha1 => iterated::<sha1::Sha1>(salt, passphrase, *count, key_size),
        HashAlgorithm::Sha256 => iterated::<sha2::Sha256>(salt, passphrase, *count, key_size),
        HashAlgorithm::Sha384 => iterated::<sha2::Sha384>(salt, passphrase, *count, key_size),
        HashAlgorithm::Sha512 => iterated::<sha2::Sha512>(salt, passphrase, *count, key_size),
        HashAlgorithm::Sha224 => iterated::<sha2::Sha224>(salt, passphrase, *count, key_size),
        _ => None,
    }
}

fn iterated<D: Digest>(
    salt: &[u8; 8],
    passphrase: &[u8],
    coded_count: u8,
    key_size: usize,
) -> Option<Zeroizing<Vec<u8>>> {
    let digest_size = <D as Digest>::output_size();
    let unit = salt.len() + passphrase.len();
    let decoded = (16usize + usize::from(coded_count & 15)) << (u32::from(coded_count >> 4) + 6);
    // At least one whole salt+passphrase is hashed, whatever the count says.
    let total = decoded.max(unit);
    let repeats = ITERATION_BLOCK.div_ceil(unit).max(1);
    let mut pattern = Zeroizing::new(Vec::with_capacity(repeats * unit));
    for _ in 0..repeats {
        pattern.extend_from_slice(salt);
        pattern.extend_from_slice(passphrase);
    }
    let mut key = Zeroizing::new(Vec::with_capacity(key_size.next_multiple_of(digest_size)));
    // Each further hash context is preloaded with one more zero octet.
    let mut preload = 0usize;
    while key.len() < key_size {
        let mut hasher = D::new();
        hasher.update(vec![0u8; preload]);
        let mut left = total;
        while left > 0 {
            let take = left.min(pattern.len());
            hasher.update(pattern.get(..take)?);
            left -= take;
        }
        key.extend_from_slice(&hasher.finalize());
        preload += 1;
    }
    key.truncate(key_size);
    Some(key)
}

fn internal(error: pgp::errors::Error) -> OpenPgpError {
    OpenPgpError::Internal(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Our derivation must equal rPGP's for every hash, count and key size,
    /// including counts below one salt+passphrase and keys longer than a hash.
    #[test]
    fn iterated_derivation_matches_rpgp() {
        let hashes = [
            HashAlgorithm::Sha1,
            HashAlgorithm::Sha224,
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha384,
            HashAlgorithm::Sha512,
        ];
        let passphrases: [&[u8]; 4] = [b"", b"x", b"correct horse battery staple", &[0xff; 300]];
        for hash_alg in hashes {
            for passphrase in passphrases {
                for count in [0u8, 1, 17, 96, 150] {
                    for key_size in [16, 24, 32] {
                        let s2k = StringToKey::IteratedAndSalted {
                            hash_alg,
                            salt: [1, 2, 3, 4, 5, 6, 7, count],
                            count,
                        };
                        let ours = derive_iterated(&s2k, passphrase, key_size);
                        let theirs = s2k
                            .derive_key(passphrase, key_size)
                            .map(|k| k.as_ref().to_vec());
                        assert_eq!(
                            ours.as_deref().map(Vec::as_slice),
                            theirs.as_deref().ok(),
                            "{hash_alg:?} count {count} key {key_size} passphrase {}",
                            passphrase.len()
                        );
                    }
                }
            }
        }
    }

    fn locked(profile: super::super::keys::Profile) -> SignedSecretKey {
        super::super::keys::generate(&super::super::keys::GenerateOptions {
            user_ids: vec!["U <u@example.org>".into()],
            passphrase: Some("sesame".into()),
            profile,
            expires_in: None,
        })
        .expect("key generation")
    }

    /// Unlocking here yields exactly what rPGP's own unlocking yields, on the
    /// fast path (v4: CFB, iterated S2K) and through rPGP (v6: AEAD, Argon2).
    #[test]
    fn unlocked_packets_equal_rpgps() {
        use super::super::keys::Profile;
        for profile in [Profile::Curve25519, Profile::Rfc9580] {
            let key = locked(profile);
            let unlock = UnlockKey {
                key: &key,
                passphrase: Some("sesame"),
            };
            let ours = unlocked(&unlock, |_| true).expect("unlocks");
            let mut theirs = key.clone();
            let password = Password::from("sesame");
            theirs
                .primary_key
                .remove_password(&password)
                .expect("rPGP unlocks");
            for subkey in &mut theirs.secret_subkeys {
                subkey.key.remove_password(&password).expect("rPGP unlocks");
            }
            assert_eq!(ours.primary_key, theirs.primary_key, "{profile:?}");
            assert_eq!(ours.secret_subkeys, theirs.secret_subkeys, "{profile:?}");
        }
    }

    #[test]
    fn a_wrong_or_missing_passphrase_is_named() {
        let key = locked(super::super::keys::Profile::Curve25519);
        let wrong = UnlockKey {
            key: &key,
            passphrase: Some("sesamE"),
        };
        assert!(matches!(
            unlocked(&wrong, |_| true),
            Err(OpenPgpError::BadPassphrase(_))
        ));
        let missing = UnlockKey {
            key: &key,
            passphrase: None,
        };
        assert!(matches!(
            unlocked(&missing, |_| true),
            Err(OpenPgpError::KeyIsProtected(_))
        ));
        // Packets nobody asked for stay locked and need no passphrase.
        let untouched = unlocked(&missing, |_| false).expect("nothing to unlock");
        assert!(untouched.primary_key.secret_params().is_encrypted());
    }

    #[test]
    fn other_s2k_types_are_left_to_rpgp() {
        let salted = StringToKey::Salted {
            hash_alg: HashAlgorithm::Sha256,
            salt: [0; 8],
        };
        assert!(derive_iterated(&salted, b"p", 32).is_none());
        let ripemd = StringToKey::IteratedAndSalted {
            hash_alg: HashAlgorithm::Ripemd160,
            salt: [0; 8],
            count: 96,
        };
        assert!(derive_iterated(&ripemd, b"p", 32).is_none());
    }
}
