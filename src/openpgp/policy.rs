//! What Sealmark refuses to trust, and when: weak hash algorithms, small
//! keys, weak key-wrap ciphers, signatures from the future and signatures
//! whose critical parts we do not understand. Modelled on Sequoia's standard
//! policy and RFC 9580; written here so every judgement in [`super::validity`]
//! and [`super::message`] asks the same questions.
//!
//! Each check answers `Err(reason)` with a sentence a person can act on; the
//! callers put it in a [`super::verify::SignatureCheck`] or an error.

use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::public_key::PublicKeyAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::{Signature, SubpacketData};
use pgp::types::{KeyDetails, PublicParams};

/// Seconds a signature's creation time may lie ahead of our clock: clocks
/// differ between the signer and us by about that much.
pub const CLOCK_SKEW: u32 = 60;

/// The smallest RSA, DSA or ElGamal modulus used, in bits. 1024-bit keys were
/// retired by NIST in 2013 and are within reach of a well-funded attacker.
pub const MIN_MODULUS_BITS: u16 = 2048;

/// After this time (2023-02-01) a SHA-1 self-signature is no longer made by
/// anyone who means well: GnuPG switched in 2.2.x, and SHA-1 chosen-prefix
/// collisions ("SHA-1 is a Shambles") cost well under a million dollars.
const SHA1_SELF_SIGNATURE_CUTOFF: u32 = 1_675_209_600;

/// RIPEMD-160 self-signatures made before 2013-02-01 are still read, as
/// Sequoia does.
const RIPEMD160_SELF_SIGNATURE_CUTOFF: u32 = 1_359_676_800;

/// What a signature vouches for, which decides how strong its hash must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Data (documents, mail) or anything an attacker may have chosen: the
    /// hash must resist collisions (two documents, one signature).
    Data,
    /// A key's own binding of its user IDs, subkeys and itself: the signed
    /// packets are the key owner's, so second-preimage resistance suffices,
    /// and old SHA-1 self-signatures of long-lived keys stay readable.
    SelfSignature,
    /// A revocation by the key itself: honouring it can only stop a key
    /// being used, so weak hashes are accepted here as well (but not MD5).
    Revocation,
}

fn hash_name(hash: HashAlgorithm) -> String {
    match hash {
        HashAlgorithm::Md5 => "MD5".into(),
        HashAlgorithm::Sha1 => "SHA-1".into(),
        HashAlgorithm::Ripemd160 => "RIPEMD-160".into(),
        other => other.to_string(),
    }
}

/// Whether a signature made at `created` with `hash` is trusted for `purpose`.
pub fn hash(hash: HashAlgorithm, purpose: Purpose, created: u32) -> Result<(), String> {
    let name = hash_name(hash);
    match hash {
        HashAlgorithm::Sha256
        | HashAlgorithm::Sha384
        | HashAlgorithm::Sha512
        | HashAlgorithm::Sha224
        | HashAlgorithm::Sha3_256
        | HashAlgorithm::Sha3_512 => Ok(()),
        HashAlgorithm::Md5 => Err(
            "it is made over MD5, which is broken (collisions in seconds); it is not trusted"
                .to_owned(),
        ),
        HashAlgorithm::Sha1 | HashAlgorithm::Ripemd160 => {
            let cutoff = if hash == HashAlgorithm::Sha1 {
                SHA1_SELF_SIGNATURE_CUTOFF
            } else {
                RIPEMD160_SELF_SIGNATURE_CUTOFF
            };
            match purpose {
                Purpose::Revocation => Ok(()),
                Purpose::SelfSignature if created < cutoff => Ok(()),
                Purpose::SelfSignature => Err(format!(
                    "it is a self-signature made over {name} after {}, when {name} was no longer \
                     safe to sign with; the key owner should update the key",
                    crate::header::date::to_rfc3339(i64::from(cutoff))
                        .get(..10)
                        .unwrap_or_default()
                )),
                Purpose::Data => Err(format!(
                    "it is made over {name}, which is collision-prone (SHA-1 collisions such as the \
                     SHAttered PDFs let one signature cover two documents); data signatures need \
                     SHA-256 or stronger"
                )),
            }
        }
        _ => Err(format!(
            "it is made over an unknown or reserved hash algorithm ({name})"
        )),
    }
}

/// The size in bits of the first MPI of a key's public parameters (the RSA
/// modulus, the DSA or ElGamal prime): its two-octet header is that size.
fn first_mpi_bits(params: &PublicParams) -> Option<u16> {
    let mut bytes = Vec::new();
    pgp::ser::Serialize::to_writer(params, &mut bytes).ok()?;
    Some(u16::from_be_bytes([*bytes.first()?, *bytes.get(1)?]))
}

/// The algorithm as people know it, with its size for RSA, DSA and ElGamal.
pub fn algorithm_name(key: &dyn KeyDetails) -> String {
    use PublicKeyAlgorithm as A;
    let params = key.public_params();
    match (key.algorithm(), params) {
        (A::RSA | A::RSAEncrypt | A::RSASign, PublicParams::RSA(_)) => {
            first_mpi_bits(params).map_or_else(|| "RSA".to_owned(), |b| format!("RSA {b}"))
        }
        (A::DSA, PublicParams::DSA(_)) => {
            first_mpi_bits(params).map_or_else(|| "DSA".to_owned(), |b| format!("DSA {b}"))
        }
        (A::Elgamal | A::ElgamalEncrypt, PublicParams::Elgamal(_)) => {
            first_mpi_bits(params).map_or_else(|| "ElGamal".to_owned(), |b| format!("ElGamal {b}"))
        }
        (A::EdDSALegacy, _) => "Ed25519 (legacy)".to_owned(),
        (A::ECDH, PublicParams::ECDH(params)) => format!("ECDH {}", params.curve().name()),
        (A::ECDSA, PublicParams::ECDSA(params)) => format!("ECDSA {}", params.curve().name()),
        (_, PublicParams::MlKem768X25519(_)) => "ML-KEM-768+X25519".to_owned(),
        (_, PublicParams::MlKem1024X448(_)) => "ML-KEM-1024+X448".to_owned(),
        (_, PublicParams::MlDsa65Ed25519(_)) => "ML-DSA-65+Ed25519".to_owned(),
        (_, PublicParams::MlDsa87Ed448(_)) => "ML-DSA-87+Ed448".to_owned(),
        (_, PublicParams::SlhDsaShake128s(_)) => "SLH-DSA-SHAKE-128s".to_owned(),
        (_, PublicParams::SlhDsaShake128f(_)) => "SLH-DSA-SHAKE-128f".to_owned(),
        (_, PublicParams::SlhDsaShake256s(_)) => "SLH-DSA-SHAKE-256s".to_owned(),
        (_, PublicParams::Unknown { .. }) => {
            format!("unknown algorithm {}", u8::from(key.algorithm()))
        }
        (algorithm, _) => format!("{algorithm:?}"),
    }
}

/// Whether a key is strong enough to be trusted at all: to verify what it
/// signed or to encrypt to it. Your own weak keys still decrypt (old mail).
pub fn key(key: &dyn KeyDetails) -> Result<(), String> {
    let params = key.public_params();
    if let PublicParams::RSA(_) | PublicParams::DSA(_) | PublicParams::Elgamal(_) = params {
        let bits = first_mpi_bits(params).unwrap_or(0);
        if bits < MIN_MODULUS_BITS {
            return Err(format!(
                "it is {}, and keys below {MIN_MODULUS_BITS} bits can be broken by a well-funded \
                 attacker; it is not used",
                algorithm_name(key)
            ));
        }
    }
    Ok(())
}

/// Whether a key is post-quantum (RFC 9980): an ML-KEM composite encryption
/// key or an ML-DSA composite or SLH-DSA signing key.
pub fn post_quantum(key: &dyn KeyDetails) -> bool {
    matches!(
        key.public_params(),
        PublicParams::MlKem768X25519(_)
            | PublicParams::MlKem1024X448(_)
            | PublicParams::MlDsa65Ed25519(_)
            | PublicParams::MlDsa87Ed448(_)
            | PublicParams::SlhDsaShake128s(_)
            | PublicParams::SlhDsaShake128f(_)
            | PublicParams::SlhDsaShake256s(_)
    )
}

/// The purpose whose hash rules a binding of `key` (a subkey binding, or a
/// back signature it made) must meet. RFC 9980 ("Hash Algorithms for Key
/// Binding Signatures"): bindings of post-quantum keys over MD5, SHA-1 or
/// RIPEMD-160 are invalid whenever they were made, so they are judged like
/// data signatures; other keys' bindings as self-signatures.
pub fn binding_purpose(key: &dyn KeyDetails) -> Purpose {
    if post_quantum(key) {
        Purpose::Data
    } else {
        Purpose::SelfSignature
    }
}

/// Whether a key may be encrypted to: [`key`], and for ECDH a key-wrap
/// cipher that is still sound. IDEA, TripleDES, CAST5 and Blowfish have
/// 64-bit blocks or are no longer trusted to wrap a session key.
pub fn encryption_key(key: &dyn KeyDetails) -> Result<(), String> {
    self::key(key)?;
    if let PublicParams::ECDH(params) = key.public_params() {
        use pgp::types::EcdhPublicParams as E;
        let wrap = match params {
            E::Curve25519Legacy { alg_sym, .. }
            | E::P256 { alg_sym, .. }
            | E::P384 { alg_sym, .. }
            | E::P521 { alg_sym, .. }
            | E::Brainpool256 { alg_sym, .. }
            | E::Brainpool384 { alg_sym, .. }
            | E::Brainpool512 { alg_sym, .. }
            | E::Unsupported { alg_sym, .. } => *alg_sym,
        };
        if !matches!(
            wrap,
            SymmetricKeyAlgorithm::AES128
                | SymmetricKeyAlgorithm::AES192
                | SymmetricKeyAlgorithm::AES256
        ) {
            return Err(format!(
                "its ECDH parameters name {wrap:?} as the key-wrap cipher, which is too weak to \
                 protect a session key (only AES key wrap is used)"
            ));
        }
    }
    Ok(())
}

/// Whether a symmetric cipher is strong enough to encrypt a message with
/// (for the recipients' preferences).
pub fn strong_cipher(cipher: SymmetricKeyAlgorithm) -> bool {
    matches!(
        cipher,
        SymmetricKeyAlgorithm::AES128
            | SymmetricKeyAlgorithm::AES192
            | SymmetricKeyAlgorithm::AES256
    )
}

/// Every creation time a signature states where it is signed (the hashed
/// area); a creation time in the unhashed area is anyone's to change and
/// is ignored.
fn creation_times(signature: &Signature) -> Vec<u32> {
    let Some(config) = signature.config() else {
        return Vec::new();
    };
    let mut times: Vec<u32> = config
        .hashed_subpackets()
        .filter_map(|p| match p.data {
            SubpacketData::SignatureCreationTime(t) => Some(t.as_secs()),
            _ => None,
        })
        .collect();
    if times.is_empty()
        && let Some(t) = signature.created()
    {
        // v3 signatures state their time outside the subpackets.
        times.push(t.as_secs());
    }
    times
}

/// When the signature says it was made: its latest hashed creation time,
/// so that a second, earlier time ("backdated") cannot make it look older.
pub fn created(signature: &Signature) -> Option<u32> {
    creation_times(signature).into_iter().max()
}

/// Whether a signature's own statements allow it to count at `at`: it has a
/// creation time, none of them later than `now` (our clock, whatever time
/// the signature is judged at), it has not expired by `at`, and it has no
/// critical subpacket or notation we do not understand (RFC 9580 §5.2.3.7:
/// such a signature is in error).
pub fn signature(signature: &Signature, now: u32, at: u32) -> Result<(), String> {
    let Some(config) = signature.config() else {
        return Err(format!(
            "it is a version {:?} signature, which OpenPGP does not define",
            signature.version()
        ));
    };
    let times = creation_times(signature);
    let Some(&created) = times.iter().max() else {
        return Err("it states no creation time".into());
    };
    if created > now.saturating_add(CLOCK_SKEW) {
        return Err(format!(
            "it claims to be made in the future ({}); it is not valid",
            crate::header::date::to_rfc3339(i64::from(created))
        ));
    }
    if let Some(expires) = signature.signature_expiration_time()
        && expires.as_secs() > 0
        && created.saturating_add(expires.as_secs()) <= at
    {
        return Err(format!(
            "the signature expired on {}",
            crate::header::date::to_rfc3339(i64::from(created.saturating_add(expires.as_secs())))
        ));
    }
    // RFC 9580 §5.2.3.35: a signed issuer fingerprint of another key
    // version than the signature's makes the signature malformed.
    let version = match signature.version() {
        pgp::packet::SignatureVersion::V6 => Some(6),
        pgp::packet::SignatureVersion::V4 => Some(4),
        _ => None,
    };
    for subpacket in config.hashed_subpackets() {
        if let SubpacketData::IssuerFingerprint(fingerprint) = &subpacket.data {
            let stated = match fingerprint.version() {
                Some(pgp::types::KeyVersion::V6) => Some(6),
                Some(pgp::types::KeyVersion::V4) => Some(4),
                _ => None,
            };
            if stated != version {
                return Err(format!(
                    "it is malformed: a version {} signature names its issuer by a version {} \
                     fingerprint",
                    version.unwrap_or(0),
                    stated.unwrap_or(0)
                ));
            }
        }
    }
    // Only the hashed area speaks for the signer; a critical bit in the
    // unhashed area is anyone's to set.
    for subpacket in config.hashed_subpackets().filter(|p| p.is_critical) {
        if let Some(what) = not_understood(&subpacket.data) {
            return Err(format!(
                "it carries a critical {what} that Sealmark does not understand, so its meaning \
                 cannot be honoured"
            ));
        }
    }
    Ok(())
}

/// A description of a subpacket whose meaning we do not honour, if it is one.
fn not_understood(data: &SubpacketData) -> Option<String> {
    match data {
        SubpacketData::Notation(notation) => Some(format!(
            "notation {:?}",
            String::from_utf8_lossy(&notation.name)
        )),
        SubpacketData::Experimental(tag, _) | SubpacketData::Other(tag, _) => {
            Some(format!("subpacket (type {tag})"))
        }
        SubpacketData::SignatureTarget(..) => Some("signature target subpacket".into()),
        SubpacketData::PreferredEncryptionModes(_) => {
            Some("preferred encryption modes subpacket (reserved)".into())
        }
        // Trust signatures and regular expressions scope third-party
        // certifications, which Sealmark never uses to decide anything.
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_is_refused_for_data_and_for_new_self_signatures() {
        let before = SHA1_SELF_SIGNATURE_CUTOFF - 1;
        assert!(hash(HashAlgorithm::Sha256, Purpose::Data, before).is_ok());
        assert!(hash(HashAlgorithm::Sha1, Purpose::Data, before).is_err());
        assert!(hash(HashAlgorithm::Sha1, Purpose::SelfSignature, before).is_ok());
        assert!(hash(HashAlgorithm::Sha1, Purpose::SelfSignature, before + 2).is_err());
        assert!(hash(HashAlgorithm::Sha1, Purpose::Revocation, u32::MAX).is_ok());
        assert!(hash(HashAlgorithm::Ripemd160, Purpose::Data, 0).is_err());
        for purpose in [Purpose::Data, Purpose::SelfSignature, Purpose::Revocation] {
            assert!(hash(HashAlgorithm::Md5, purpose, 0).is_err());
            assert!(hash(HashAlgorithm::Other(200), purpose, 0).is_err());
        }
        let reason = hash(HashAlgorithm::Sha1, Purpose::Data, 0)
            .err()
            .unwrap_or_default();
        assert!(
            reason.contains("SHA-1") && reason.contains("collision"),
            "{reason}"
        );
    }

    #[test]
    fn only_aes_counts_as_a_strong_cipher() {
        assert!(strong_cipher(SymmetricKeyAlgorithm::AES128));
        assert!(!strong_cipher(SymmetricKeyAlgorithm::CAST5));
        assert!(!strong_cipher(SymmetricKeyAlgorithm::TripleDES));
    }
}
