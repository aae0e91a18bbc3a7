//! Unlocking passphrase-protected secret key packets in memory, once per
//! operation and only the packets the operation needs.
//!
//! rPGP re-derives the S2K key every time a locked packet is used, and hashes
//! the iterated-and-salted S2K input a few bytes per call. A GnuPG key is
//! unlocked many times a day, so the common case — CFB protection with an
//! iterated-and-salted SHA-1/SHA-2 S2K (S2K usage 254) — is derived here,
//! its hashing done by [`Primitives`] (in a browser WebCrypto's SHA, with SHA
//! instructions); every other protection goes through rPGP unchanged.

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
use super::fingerprint::fingerprint;
use super::primitives::SoftPrimitives;
use super::primitives::{Primitives, RepeatedInput};
use super::validity::{CertView, now};

/// A secret key with the passphrase to unlock it, if it needs one.
#[derive(Clone, Copy)]
pub struct UnlockKey<'a> {
    /// The key.
    pub key: &'a SignedSecretKey,
    /// Its passphrase (`None` for an unprotected key).
    pub passphrase: Option<&'a str>,
}

/// A copy of `key` whose secret packets selected by `wanted` (given each
/// packet's fingerprint) are unlocked; the others stay as they were.
///
/// A wanted packet that is locked needs the passphrase: without one the error
/// is [`OpenPgpError::KeyIsProtected`], with a wrong one
/// [`OpenPgpError::BadPassphrase`].
pub(crate) async fn unlocked(
    key: &UnlockKey<'_>,
    wanted: impl Fn(&str) -> bool,
    primitives: &impl Primitives,
) -> Result<SignedSecretKey> {
    let primary_fpr = fingerprint(&key.key.primary_key);
    let mut copy = key.key.clone();
    let take_primary = wanted(&primary_fpr);
    let take_subkeys: Vec<bool> = copy
        .secret_subkeys
        .iter()
        .map(|subkey| wanted(&fingerprint(&subkey.key)))
        .collect();
    // Every wanted packet's derivation in one call, so the platform can
    // hash them concurrently.
    let mut derived = {
        let mut chosen = Vec::new();
        if take_primary {
            chosen.push(copy.primary_key.secret_params());
        }
        for (subkey, take) in copy.secret_subkeys.iter().zip(&take_subkeys) {
            if *take {
                chosen.push(subkey.key.secret_params());
            }
        }
        derived_keys(&chosen, key.passphrase, primitives)
            .await
            .into_iter()
    };
    if take_primary {
        copy.primary_key = primary_with(
            &copy.primary_key,
            key.passphrase,
            &primary_fpr,
            derived.next().flatten(),
        )?;
    }
    for (subkey, take) in copy.secret_subkeys.iter_mut().zip(take_subkeys) {
        if take {
            subkey.key = subkey_with(
                &subkey.key,
                key.passphrase,
                &primary_fpr,
                derived.next().flatten(),
            )?;
        }
    }
    Ok(copy)
}

/// The key's primary packet, unlocked.
pub(crate) async fn unlocked_primary(
    packet: &SecretKey,
    passphrase: Option<&str>,
    primary_fpr: &str,
    primitives: &impl Primitives,
) -> Result<SecretKey> {
    let derived = derived_keys(&[packet.secret_params()], passphrase, primitives).await;
    primary_with(
        packet,
        passphrase,
        primary_fpr,
        derived.into_iter().next().flatten(),
    )
}

/// A subkey packet, unlocked.
pub(crate) async fn unlocked_subkey(
    packet: &SecretSubkey,
    passphrase: Option<&str>,
    primary_fpr: &str,
    primitives: &impl Primitives,
) -> Result<SecretSubkey> {
    let derived = derived_keys(&[packet.secret_params()], passphrase, primitives).await;
    subkey_with(
        packet,
        passphrase,
        primary_fpr,
        derived.into_iter().next().flatten(),
    )
}

/// A primary packet unlocked with its passphrase, `derived` its S2K key
/// when that was derived here.
fn primary_with(
    packet: &SecretKey,
    passphrase: Option<&str>,
    primary_fpr: &str,
    derived: Option<Zeroizing<Vec<u8>>>,
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
        derived.as_deref().map(Vec::as_slice),
    )?;
    SecretKey::new(packet.public_key().clone(), SecretParams::Plain(plain)).map_err(internal)
}

/// [`primary_with`] for a subkey packet.
fn subkey_with(
    packet: &SecretSubkey,
    passphrase: Option<&str>,
    primary_fpr: &str,
    derived: Option<Zeroizing<Vec<u8>>>,
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
        derived.as_deref().map(Vec::as_slice),
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

/// The packet's secret material: decrypted here with `derived` (its
/// iterated-and-salted S2K key, when that was derived here), otherwise by
/// rPGP.
fn plain_params(
    public: &(impl KeyDetails + Serialize),
    params: &SecretParams,
    tag: Tag,
    passphrase: Option<&str>,
    primary_fpr: &str,
    derived: Option<&[u8]>,
) -> Result<PlainSecretParams> {
    let encrypted = match params {
        SecretParams::Plain(plain) => return Ok(plain.clone()),
        SecretParams::Encrypted(encrypted) => encrypted,
    };
    let Some(passphrase) = passphrase else {
        return Err(OpenPgpError::KeyIsProtected(primary_fpr.to_string()));
    };
    let bad = || OpenPgpError::BadPassphrase(primary_fpr.to_string());
    if let S2kParams::Cfb { sym_alg, iv, .. } = encrypted.string_to_key_params()
        && let Some(derived) = derived
    {
        let mut data = Zeroizing::new(encrypted.data().to_vec());
        sym_alg
            .decrypt_with_iv_regular(derived, iv, &mut data)
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

/// One iterated-and-salted S2K derivation (RFC 9580 §3.7.1.3): salt and
/// passphrase repeated up to the count, hashed in as many contexts as the
/// key needs, each further one preloaded with one more zero octet.
struct Derivation {
    hash: HashAlgorithm,
    unit: Zeroizing<Vec<u8>>,
    total: usize,
    key_size: usize,
    digest_size: usize,
}

impl Derivation {
    /// The derivation of a packet protected with CFB and an iterated-and-salted S2K.
    fn of(params: &SecretParams, passphrase: &[u8]) -> Option<Self> {
        let SecretParams::Encrypted(encrypted) = params else {
            return None;
        };
        let S2kParams::Cfb { sym_alg, s2k, .. } = encrypted.string_to_key_params() else {
            return None;
        };
        Self::new(s2k, passphrase, sym_alg.key_size())
    }

    fn new(s2k: &StringToKey, passphrase: &[u8], key_size: usize) -> Option<Self> {
        let StringToKey::IteratedAndSalted {
            hash_alg,
            salt,
            count,
        } = s2k
        else {
            return None;
        };
        let digest_size = hash_alg.digest_size().filter(|size| *size > 0)?;
        let mut unit = Zeroizing::new(Vec::with_capacity(salt.len() + passphrase.len()));
        unit.extend_from_slice(salt);
        unit.extend_from_slice(passphrase);
        let decoded = (16usize + usize::from(count & 15)) << (u32::from(count >> 4) + 6);
        Some(Self {
            hash: *hash_alg,
            // At least one whole salt+passphrase is hashed, whatever the count says.
            total: decoded.max(unit.len()),
            unit,
            key_size,
            digest_size,
        })
    }

    fn contexts(&self) -> usize {
        self.key_size.div_ceil(self.digest_size)
    }

    fn inputs(&self) -> impl Iterator<Item = RepeatedInput<'_>> {
        (0..self.contexts()).map(|zeros| RepeatedInput {
            hash: self.hash,
            zeros,
            unit: &self.unit,
            total: self.total,
        })
    }
}

/// The S2K key of each packet that is derived here (`None` for the others,
/// and where `primitives` lacks the hash: rPGP derives those).
async fn derived_keys(
    params: &[&SecretParams],
    passphrase: Option<&str>,
    primitives: &impl Primitives,
) -> Vec<Option<Zeroizing<Vec<u8>>>> {
    let derivations: Vec<Option<Derivation>> = params
        .iter()
        .map(|params| Derivation::of(params, passphrase?.as_bytes()))
        .collect();
    derive(&derivations, primitives).await
}

/// All the derivations' keys from one call to `primitives`.
async fn derive(
    derivations: &[Option<Derivation>],
    primitives: &impl Primitives,
) -> Vec<Option<Zeroizing<Vec<u8>>>> {
    let inputs: Vec<RepeatedInput<'_>> = derivations
        .iter()
        .flatten()
        .flat_map(Derivation::inputs)
        .collect();
    let mut digests = primitives.repeated_digests(&inputs).await.into_iter();
    derivations
        .iter()
        .map(|derivation| {
            let derivation = derivation.as_ref()?;
            let mut key = Zeroizing::new(Vec::with_capacity(
                derivation.contexts() * derivation.digest_size,
            ));
            let mut complete = true;
            for _ in 0..derivation.contexts() {
                match digests.next().flatten() {
                    Some(digest) => key.extend_from_slice(&digest),
                    None => complete = false,
                }
            }
            key.truncate(derivation.key_size);
            complete.then_some(key)
        })
        .collect()
}

fn internal(error: pgp::errors::Error) -> OpenPgpError {
    OpenPgpError::Internal(error.to_string())
}

/// The signing packets of the given keys, unlocked: a wrong or missing
/// passphrase is reported before any work is done, and each key is unlocked
/// once however much it then signs.
pub(crate) async fn unlock_signers(
    signers: &[UnlockKey<'_>],
    primitives: &impl Primitives,
) -> Result<Vec<SigningPacket>> {
    let at = now();
    let mut out = Vec::new();
    for signer in signers {
        let public = signer.key.to_public_key();
        let view = CertView::new(&public, at);
        view.check_usable()?;
        let allowed = view
            .signing_key_fingerprints()
            .ok_or_else(|| OpenPgpError::NoSigningKey(view.fingerprint()))?;
        let primary_fpr = fingerprint(&signer.key.primary_key);
        if allowed.first() == Some(&primary_fpr) {
            let packet = unlocked_primary(
                &signer.key.primary_key,
                signer.passphrase,
                &primary_fpr,
                primitives,
            )
            .await?;
            out.push(SigningPacket::Primary(packet));
            continue;
        }
        let subkey = signer
            .key
            .secret_subkeys
            .iter()
            .find(|s| allowed.contains(&fingerprint(&s.key)))
            .ok_or_else(|| OpenPgpError::NoSigningKey(primary_fpr.clone()))?;
        let packet =
            unlocked_subkey(&subkey.key, signer.passphrase, &primary_fpr, primitives).await?;
        out.push(SigningPacket::Subkey(packet));
    }
    Ok(out)
}

/// Checks the passphrase against the key's locked material, so errors name
/// the problem (missing or wrong) before any work is done.
pub fn check_passphrase(key: &UnlockKey<'_>) -> Result<()> {
    super::run_now(check_passphrase_with(key, &SoftPrimitives))
}

/// [`check_passphrase`] with the S2K hashing done by `primitives` (WebCrypto
/// in a browser): the extension's "is this the passphrase?", without locking
/// the key anew.
pub(crate) async fn check_passphrase_with(
    key: &UnlockKey<'_>,
    primitives: &impl Primitives,
) -> Result<()> {
    let primary_fpr = fingerprint(&key.key.primary_key);
    if key.key.primary_key.secret_params().is_encrypted() {
        unlocked_primary(
            &key.key.primary_key,
            key.passphrase,
            &primary_fpr,
            primitives,
        )
        .await?;
        return Ok(());
    }
    for subkey in &key.key.secret_subkeys {
        unlocked_subkey(&subkey.key, key.passphrase, &primary_fpr, primitives).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openpgp::primitives::SoftPrimitives;
    use crate::openpgp::run_now;

    fn derive_soft(s2k: &StringToKey, passphrase: &[u8], key_size: usize) -> Option<Vec<u8>> {
        let derivation = Derivation::new(s2k, passphrase, key_size);
        run_now(async { Ok(derive(&[derivation], &SoftPrimitives).await) })
            .ok()?
            .pop()
            .flatten()
            .map(|key| key.to_vec())
    }

    fn unlocked_soft(
        key: &UnlockKey<'_>,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<SignedSecretKey> {
        run_now(unlocked(key, wanted, &SoftPrimitives))
    }

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
                        let ours = derive_soft(&s2k, passphrase, key_size);
                        let theirs = s2k
                            .derive_key(passphrase, key_size)
                            .map(|k| k.as_ref().to_vec());
                        assert_eq!(
                            ours.as_deref(),
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
            let ours = unlocked_soft(&unlock, |_| true).expect("unlocks");
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
            unlocked_soft(&wrong, |_| true),
            Err(OpenPgpError::BadPassphrase(_))
        ));
        let missing = UnlockKey {
            key: &key,
            passphrase: None,
        };
        assert!(matches!(
            unlocked_soft(&missing, |_| true),
            Err(OpenPgpError::KeyIsProtected(_))
        ));
        // Packets nobody asked for stay locked and need no passphrase.
        let untouched = unlocked_soft(&missing, |_| false).expect("nothing to unlock");
        assert!(untouched.primary_key.secret_params().is_encrypted());
    }

    #[test]
    fn other_s2k_types_are_left_to_rpgp() {
        let salted = StringToKey::Salted {
            hash_alg: HashAlgorithm::Sha256,
            salt: [0; 8],
        };
        assert!(derive_soft(&salted, b"p", 32).is_none());
        let ripemd = StringToKey::IteratedAndSalted {
            hash_alg: HashAlgorithm::Ripemd160,
            salt: [0; 8],
            count: 96,
        };
        assert!(derive_soft(&ripemd, b"p", 32).is_none());
    }
}
