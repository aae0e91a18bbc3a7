//! Keys: generation in Sealmark's profiles, reading certificates and secret
//! keys (armored or binary, several per block), export, key information and
//! passphrase changes.

use pgp::composed::{
    ArmorOptions, EncryptionCaps, KeyType, SecretKeyParamsBuilder, SignedPublicKey,
    SignedSecretKey, SubkeyParamsBuilder,
};
use pgp::crypto::aead::AeadAlgorithm;
use pgp::crypto::ecc_curve::ECCCurve;
use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::{SignatureConfig, Subpacket, SubpacketData};
use pgp::types::{CompressionAlgorithm, Duration, KeyDetails, KeyVersion, Password, Tag};
use serde::Serialize;
use smallvec::{SmallVec, smallvec};

use super::error::{OpenPgpError, Result};
/// The fingerprint as upper-case hex (from [`super::fingerprint`], where keys are named).
pub use super::fingerprint::fingerprint;
use super::fingerprint::hex_upper;
pub use super::validity::{Capabilities, ComponentInfo};
use super::{rng, validity};

/// The kinds of key Sealmark generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// v4 Ed25519 primary with an X25519 (ECDH) encryption subkey: what
    /// GnuPG 2.2 and every webmail correspondent can read.
    #[default]
    Curve25519,
    /// v6 (RFC 9580) Ed25519 + X25519 keys, SEIPDv2/AEAD, Argon2 passphrase protection.
    Rfc9580,
    /// v6 Ed25519 primary with an ML-KEM-768+X25519 encryption subkey
    /// (RFC 9980, post-quantum): what is encrypted to it stays secret even
    /// from a future quantum computer, as long as either ML-KEM or X25519
    /// holds. Read by implementations of RFC 9980 (Sequoia's `rfc9980`
    /// profile, rPGP); not by GnuPG 2.2 or 2.4.
    Rfc9980,
    /// v4 RSA 3072 primary and encryption subkey.
    Rsa3072,
    /// v4 RSA 4096 primary and encryption subkey.
    Rsa4096,
}

impl Profile {
    /// Reads a profile name as the CLI and JS faces spell it.
    pub fn from_name(name: &str) -> Result<Self> {
        match name.to_ascii_lowercase().as_str() {
            "curve25519" | "default" | "rfc4880" | "compatibility" => Ok(Self::Curve25519),
            "rfc9580" | "performance" | "security" => Ok(Self::Rfc9580),
            "rfc9980" | "post-quantum" | "pqc" => Ok(Self::Rfc9980),
            "rsa3072" => Ok(Self::Rsa3072),
            "rsa4096" => Ok(Self::Rsa4096),
            other => Err(OpenPgpError::BadInput(format!(
                "unknown key profile {other:?}; use curve25519, rfc9580, rfc9980, rsa3072 or rsa4096"
            ))),
        }
    }

    /// Reads OpenPGP.js-style options: `type` (`curve25519`, `rsa3072`,
    /// `rsa4096`) and `profile` (`rfc4880`, `rfc9580`, `rfc9980`: Curve25519
    /// with an ML-KEM-768+X25519 subkey).
    pub fn from_type_and_profile(key_type: Option<&str>, profile: Option<&str>) -> Result<Self> {
        match (
            key_type.unwrap_or("curve25519"),
            profile.unwrap_or("rfc4880"),
        ) {
            ("curve25519" | "ecc", "rfc4880") => Ok(Self::Curve25519),
            ("curve25519" | "ecc", "rfc9580") => Ok(Self::Rfc9580),
            ("curve25519" | "ecc", "rfc9980") => Ok(Self::Rfc9980),
            ("rsa3072", "rfc4880") => Ok(Self::Rsa3072),
            ("rsa4096", "rfc4880") => Ok(Self::Rsa4096),
            (key_type, profile) => Err(OpenPgpError::BadInput(format!(
                "no key of type {key_type:?} in profile {profile:?}; use curve25519 (rfc4880, rfc9580 or rfc9980), rsa3072 or rsa4096"
            ))),
        }
    }

    /// The modulus size of an RSA profile.
    pub fn rsa_bits(self) -> Option<usize> {
        match self {
            Self::Rsa3072 => Some(3072),
            Self::Rsa4096 => Some(4096),
            Self::Curve25519 | Self::Rfc9580 | Self::Rfc9980 => None,
        }
    }

    /// The profiles with their names and one-line descriptions, default first.
    pub fn all() -> [(&'static str, &'static str); 5] {
        [
            (
                "curve25519",
                "v4 Ed25519 + X25519, readable by GnuPG 2.2 and all current software (default)",
            ),
            (
                "rfc9580",
                "v6 Ed25519 + X25519 with AEAD (SEIPDv2) and Argon2, RFC 9580",
            ),
            (
                "rfc9980",
                "v6 Ed25519 + ML-KEM-768+X25519 (post-quantum encryption, RFC 9980); not readable by GnuPG",
            ),
            (
                "rsa3072",
                "v4 RSA 3072, for correspondents whose software lacks Curve25519",
            ),
            ("rsa4096", "v4 RSA 4096"),
        ]
    }
}

/// What to generate.
#[derive(Debug, Clone, Default)]
pub struct GenerateOptions {
    /// User IDs, the first being primary, e.g. `Alice <alice@example.org>`.
    pub user_ids: Vec<String>,
    /// Passphrase protecting the secret key material; `None` leaves it unprotected.
    pub passphrase: Option<String>,
    /// Key profile.
    pub profile: Profile,
    /// Seconds after creation when the key expires.
    pub expires_in: Option<u32>,
}

/// How a passphrase protects secret key packets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lock {
    /// What every program reads: v4 packets with the iterated-and-salted S2K
    /// (GnuPG 2.2 reads nothing else), v6 packets with Argon2 and AEAD.
    #[default]
    Compatible,
    /// Argon2 (64 MiB, memory-hard) and AEAD for every version, as RFC 9580
    /// allows for v4 keys too: the iterated S2K is a few million SHA-256
    /// blocks, cheap to try in bulk on a GPU, which is how a stolen profile
    /// would be attacked. Sequoia and OpenPGP.js read it; GnuPG 2.2 does not.
    Argon2,
}

/// Generates a secret key with its self-signatures.
pub fn generate(options: &GenerateOptions) -> Result<SignedSecretKey> {
    super::run_now(generate_with(options, &SoftRsa, Lock::Compatible))
}

/// Where RSA key material comes from: made here, or by the platform (the
/// browser's WebCrypto makes primes ~10× faster than Wasm can).
pub(crate) trait RsaSource {
    /// A primary key and an encryption subkey of `bits` bits.
    async fn pair(&self, bits: usize) -> Result<(RsaMaterial, RsaMaterial)>;
}

/// RSA material made here, by the `rsa` crate.
pub(crate) struct SoftRsa;

impl RsaSource for SoftRsa {
    async fn pair(&self, bits: usize) -> Result<(RsaMaterial, RsaMaterial)> {
        Ok((RsaMaterial::generate(bits)?, RsaMaterial::generate(bits)?))
    }
}

/// [`generate`] with RSA material from `rsa`.
pub(crate) async fn generate_with(
    options: &GenerateOptions,
    rsa: &impl RsaSource,
    kind: Lock,
) -> Result<SignedSecretKey> {
    let (version, primary, subkey) = match options.profile {
        Profile::Curve25519 => (
            KeyVersion::V4,
            KeyType::Ed25519Legacy,
            KeyType::ECDH(ECCCurve::Curve25519Legacy),
        ),
        Profile::Rfc9580 => (KeyVersion::V6, KeyType::Ed25519, KeyType::X25519),
        Profile::Rfc9980 => (KeyVersion::V6, KeyType::Ed25519, KeyType::MlKem768X25519),
        Profile::Rsa3072 | Profile::Rsa4096 => {
            let bits = options.profile.rsa_bits().unwrap_or(3072);
            let (primary, subkey) = rsa.pair(bits).await?;
            return finish(generate_rsa_clear(options, primary, subkey)?, options, kind);
        }
    };
    let (primary_user_id, user_ids) = user_ids(options, version)?;

    let mut encryption = SubkeyParamsBuilder::default();
    encryption
        .version(version)
        .key_type(subkey)
        .can_encrypt(EncryptionCaps::All);
    let encryption = encryption
        .build()
        .map_err(|e| OpenPgpError::Internal(e.to_string()))?;

    let mut params = SecretKeyParamsBuilder::default();
    params
        .version(version)
        .key_type(primary)
        .can_certify(true)
        .can_sign(true)
        .feature_seipd_v2(version == KeyVersion::V6)
        .preferred_symmetric_algorithms(preferred_symmetric())
        .preferred_hash_algorithms(preferred_hashes())
        .preferred_compression_algorithms(preferred_compression())
        .preferred_aead_algorithms(if version == KeyVersion::V6 {
            // GCM first: browsers (OpenPGP.js's WebCrypto, our own) do it
            // with AES instructions; OCB is what every RFC 9580 peer reads.
            smallvec![
                (SymmetricKeyAlgorithm::AES256, AeadAlgorithm::Gcm),
                (SymmetricKeyAlgorithm::AES256, AeadAlgorithm::Ocb),
                (SymmetricKeyAlgorithm::AES128, AeadAlgorithm::Ocb)
            ]
        } else {
            smallvec![]
        })
        .user_ids(user_ids)
        .subkeys(vec![encryption]);
    if let Some(primary_user_id) = primary_user_id {
        params.primary_user_id(primary_user_id.to_owned());
    }
    let params = params
        .build()
        .map_err(|e| OpenPgpError::BadInput(e.to_string()))?;
    let key = params
        .generate(rng())
        .map_err(|e| OpenPgpError::Internal(e.to_string()))?;
    finish(key, options, kind)
}

/// The user ID a v4 key without one is generated with, and loses before
/// anyone sees it.
const STAND_IN_USER_ID: &str = "sealmark: no user ID";

/// A v4 key generated with [`STAND_IN_USER_ID`] turned into a key without
/// user IDs (SOP's `generate-key` without one; RFC 9580 §10.1.1 allows it):
/// the stand-in's self-signature is made again as a direct-key signature,
/// which carries the flags, preferences and features, and the stand-in goes.
/// GnuPG 2.2 does not import keys without a user ID.
fn direct_key_only(mut key: SignedSecretKey) -> Result<SignedSecretKey> {
    let Some(stand_in) = key
        .details
        .users
        .iter()
        .position(|u| u.id.id() == STAND_IN_USER_ID.as_bytes())
    else {
        return Ok(key);
    };
    let internal = |e: pgp::errors::Error| OpenPgpError::Internal(e.to_string());
    let public = key.primary_key.public_key().clone();
    let mut direct = Vec::new();
    for signature in key
        .details
        .users
        .get(stand_in)
        .map(|u| u.signatures.as_slice())
        .unwrap_or_default()
    {
        let old = signature
            .config()
            .ok_or_else(|| OpenPgpError::Internal("self-signature without configuration".into()))?;
        let mut config =
            SignatureConfig::v4(pgp::packet::SignatureType::Key, old.pub_alg, old.hash_alg);
        config.hashed_subpackets = old
            .hashed_subpackets
            .iter()
            .filter(|p| !matches!(p.data, SubpacketData::IsPrimary(_)))
            .cloned()
            .collect();
        config.unhashed_subpackets = old.unhashed_subpackets.clone();
        direct.push(
            config
                .sign_key(&key.primary_key, &Password::empty(), &public)
                .map_err(internal)?,
        );
    }
    key.details.users.remove(stand_in);
    key.details.direct_signatures.extend(direct);
    Ok(key)
}

/// Adds the expiry and locks the new key. Every self-signature is made while
/// the key is still clear and each packet is locked once, at the end: rPGP's
/// builder locked first and unlocked again for every signature, and a v6
/// key's Argon2 derivation (64 MiB, about 0.35 s) then ran five to seven
/// times instead of twice (issue 19).
fn finish(key: SignedSecretKey, options: &GenerateOptions, kind: Lock) -> Result<SignedSecretKey> {
    let key = direct_key_only(key)?;
    let mut key = match options.expires_in {
        Some(seconds) => with_expiry(key, seconds)?,
        None => key,
    };
    if let Some(passphrase) = options.passphrase.as_deref() {
        lock(&mut key, passphrase, kind)?;
    }
    Ok(key)
}

/// Protects every secret packet of a clear key with `passphrase`, each with
/// its own salt.
fn lock(key: &mut SignedSecretKey, passphrase: &str, kind: Lock) -> Result<()> {
    let password = Password::from(passphrase);
    // rPGP's v6 default is Argon2 (RFC 9106's second parameter choice) with OCB.
    let version = match kind {
        Lock::Compatible => key.primary_key.version(),
        Lock::Argon2 => KeyVersion::V6,
    };
    let s2k = || pgp::types::S2kParams::new_default(rng(), version);
    let internal = |e: pgp::errors::Error| OpenPgpError::Internal(e.to_string());
    key.primary_key
        .set_password_with_s2k(&password, s2k())
        .map_err(internal)?;
    for subkey in &mut key.secret_subkeys {
        subkey
            .key
            .set_password_with_s2k(&password, s2k())
            .map_err(internal)?;
    }
    Ok(())
}

/// The primary user ID and the others, trimmed; v4 keys need one.
fn user_ids(
    options: &GenerateOptions,
    version: KeyVersion,
) -> Result<(Option<String>, Vec<String>)> {
    let mut user_ids = options
        .user_ids
        .iter()
        .map(|u| u.trim())
        .filter(|u| !u.is_empty())
        .map(str::to_owned);
    let primary = user_ids.next();
    // rPGP signs a v4 key's preferences on its primary user ID only; a key
    // without one is made with a stand-in that [`direct_key_only`] then
    // replaces by a direct-key signature.
    if version == KeyVersion::V4 && primary.is_none() {
        return Ok((Some(STAND_IN_USER_ID.to_owned()), Vec::new()));
    }
    Ok((primary, user_ids.collect()))
}

fn preferred_symmetric() -> SmallVec<[SymmetricKeyAlgorithm; 8]> {
    smallvec![SymmetricKeyAlgorithm::AES256, SymmetricKeyAlgorithm::AES128]
}

fn preferred_hashes() -> SmallVec<[HashAlgorithm; 8]> {
    smallvec![HashAlgorithm::Sha512, HashAlgorithm::Sha256]
}

fn preferred_compression() -> SmallVec<[CompressionAlgorithm; 8]> {
    smallvec![CompressionAlgorithm::ZLIB, CompressionAlgorithm::ZIP]
}

/// An RSA private key made for a new OpenPGP key, here or by the platform.
pub struct RsaMaterial(rsa::RsaPrivateKey);

impl RsaMaterial {
    /// Makes a key of `bits` bits here.
    pub fn generate(bits: usize) -> Result<Self> {
        rsa::RsaPrivateKey::new(&mut rng(), bits)
            .map(Self)
            .map_err(|e| OpenPgpError::Internal(format!("RSA key generation failed: {e}")))
    }

    /// Takes a key made elsewhere from its big-endian modulus, public and
    /// private exponents and two primes, after checking they belong together.
    pub fn from_components(n: &[u8], e: &[u8], d: &[u8], p: &[u8], q: &[u8]) -> Result<Self> {
        let int = rsa::BigUint::from_bytes_be;
        let key = rsa::RsaPrivateKey::from_components(int(n), int(e), int(d), vec![int(p), int(q)])
            .map_err(|e| OpenPgpError::BadInput(format!("unusable RSA key: {e}")))?;
        key.validate()
            .map_err(|e| OpenPgpError::BadInput(format!("inconsistent RSA key: {e}")))?;
        Ok(Self(key))
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        use rsa::traits::PublicKeyParts;
        self.0.n().bits()
    }
}

/// `key` with its primes in the order OpenPGP writes them: p < q, so that
/// u, the inverse of p mod q, is the coefficient GnuPG's CRT step needs
/// (RFC 9580 §5.5.5.1 requires p < q).
///
/// A workaround for rPGP 0.21 (`src/crypto/rsa.rs`, `SecretKey::to_mpi`),
/// which writes the primes in the order the `rsa` key holds them: p > q in
/// about half the keys `rsa::RsaPrivateKey::new` (0.9) makes, and in every
/// JWK that Chromium's WebCrypto exports.
/// libgcrypt (`secret_core_crt` in `cipher/rsa.c`) adds q once to a
/// negative (m mod q) − (m mod p); with p > q that is not always enough, and
/// GnuPG then decrypts (or signs) wrongly and says "Wrong secret key used".
/// It blinds each operation, so this strikes at random: with probability
/// (p/q − 1)² / (2p/q) per operation, up to 4 % for an unlucky key, about 1
/// in 300 averaged over the keys `rsa` makes. The `rsa` crate and Sequoia
/// compute their own CRT values and read such keys fine.
/// Remove once rPGP writes p < q itself (check `to_mpi` when upgrading).
fn primes_in_openpgp_order(key: rsa::RsaPrivateKey) -> Result<rsa::RsaPrivateKey> {
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    match key.primes() {
        [p, q] if p > q => rsa::RsaPrivateKey::from_components(
            key.n().clone(),
            key.e().clone(),
            key.d().clone(),
            vec![q.clone(), p.clone()],
        )
        .map_err(|e| OpenPgpError::Internal(format!("RSA key with reordered primes: {e}"))),
        _ => Ok(key),
    }
}

/// Builds a key of an RSA profile around the given primary and encryption
/// subkey material: the same packets and self-signatures [`generate`] makes.
pub fn generate_rsa(
    options: &GenerateOptions,
    primary: RsaMaterial,
    subkey: RsaMaterial,
) -> Result<SignedSecretKey> {
    finish(
        generate_rsa_clear(options, primary, subkey)?,
        options,
        Lock::Compatible,
    )
}

/// [`generate_rsa`] before the expiry and the lock.
fn generate_rsa_clear(
    options: &GenerateOptions,
    primary: RsaMaterial,
    subkey: RsaMaterial,
) -> Result<SignedSecretKey> {
    use pgp::composed::SignedSecretSubKey;
    use pgp::packet::{
        Features, KeyFlags, PubKeyInner, PublicKey, PublicSubkey, SecretKey, SecretSubkey, UserId,
    };
    use pgp::types::{PlainSecretParams, PublicParams, SecretParams, Timestamp};
    let bits = options
        .profile
        .rsa_bits()
        .ok_or_else(|| OpenPgpError::BadInput("the key profile is not an RSA one".into()))?;
    for material in [&primary, &subkey] {
        if material.bits() != bits {
            return Err(OpenPgpError::BadInput(format!(
                "the RSA key has {} bits; the profile needs {bits}",
                material.bits()
            )));
        }
    }
    let internal = |e: pgp::errors::Error| OpenPgpError::Internal(e.to_string());
    let version = KeyVersion::V4;
    let (primary_user_id, other_user_ids) = user_ids(options, version)?;
    let password = Password::empty();
    let created = Timestamp::now();
    let alg = pgp::crypto::public_key::PublicKeyAlgorithm::RSA;
    let split = |material: RsaMaterial| {
        let secret = pgp::crypto::rsa::SecretKey::from(primes_in_openpgp_order(material.0)?);
        let public = PublicParams::RSA((&secret).into());
        Ok::<_, OpenPgpError>((public, SecretParams::Plain(PlainSecretParams::RSA(secret))))
    };

    let (public, secret) = split(primary)?;
    let public = PubKeyInner::new(version, alg, created, None, public)
        .and_then(PublicKey::from_inner)
        .map_err(internal)?;
    let primary_key = SecretKey::new(public, secret).map_err(internal)?;
    let (public, secret) = split(subkey)?;
    let public = PubKeyInner::new(version, alg, created, None, public)
        .and_then(PublicSubkey::from_inner)
        .map_err(internal)?;
    let encryption_key = SecretSubkey::new(public, secret).map_err(internal)?;

    let mut primary_flags = KeyFlags::default();
    primary_flags.set_certify(true);
    primary_flags.set_sign(true);
    let mut features = Features::default();
    features.set_seipd_v1(true);
    let user_id = |id: &str| UserId::from_str(Default::default(), id).map_err(internal);
    let details = pgp::composed::KeyDetails::new(
        primary_user_id.as_deref().map(user_id).transpose()?,
        other_user_ids
            .iter()
            .map(|id| user_id(id))
            .collect::<Result<Vec<_>>>()?,
        Vec::new(),
        primary_flags,
        features,
        preferred_symmetric(),
        preferred_hashes(),
        preferred_compression(),
        SmallVec::new(),
    )
    .sign(rng(), &primary_key, primary_key.public_key(), &password)
    .map_err(internal)?;

    let mut encryption_flags = KeyFlags::default();
    encryption_flags.set_encrypt_comms(true);
    encryption_flags.set_encrypt_storage(true);
    let binding = encryption_key
        .sign(
            rng(),
            &primary_key,
            primary_key.public_key(),
            &password,
            encryption_flags,
            None,
        )
        .map_err(internal)?;
    let key = SignedSecretKey::new(
        primary_key,
        details,
        Vec::new(),
        vec![SignedSecretSubKey::new(encryption_key, vec![binding])],
    );
    Ok(key)
}

/// Adds a post-quantum encryption subkey — ML-KEM-768+X25519, RFC 9980 — to
/// a v4 or v6 key, bound by the primary key and locked like the primary
/// packet (same passphrase; Argon2 if the primary uses it). RFC 9980 allows
/// this algorithm in v4 keys so that a long-lived v4 key can keep its
/// classic subkey for correspondents without post-quantum support, while
/// those with it (Sealmark among them) encrypt to the new subkey only
/// ([`super::validity::CertView::encryption_keys`]).
///
/// `passphrase` unlocks the primary key when it is protected (a missing one
/// is [`OpenPgpError::KeyIsProtected`], a wrong one
/// [`OpenPgpError::BadPassphrase`]).
pub fn add_post_quantum_subkey(
    key: &SignedSecretKey,
    passphrase: Option<&str>,
) -> Result<SignedSecretKey> {
    use pgp::composed::SignedSecretSubKey;
    use pgp::crypto::public_key::PublicKeyAlgorithm;
    use pgp::packet::{KeyFlags, PubKeyInner, PublicSubkey, SecretSubkey};
    use pgp::types::{SecretParams, Timestamp};
    let version = key.primary_key.version();
    if !matches!(version, KeyVersion::V4 | KeyVersion::V6) {
        return Err(OpenPgpError::Unsupported(format!(
            "key {} is a version {} key; post-quantum subkeys (RFC 9980) belong to v4 and v6 keys",
            fingerprint(&key.primary_key),
            u8::from(version)
        )));
    }
    let internal = |e: pgp::errors::Error| OpenPgpError::Internal(e.to_string());
    let primary = super::run_now(super::unlock::unlocked_primary(
        &key.primary_key,
        passphrase,
        &fingerprint(&key.primary_key),
        &super::primitives::SoftPrimitives,
    ))?;
    let (public, secret) = KeyType::MlKem768X25519.generate(rng()).map_err(internal)?;
    let public = PubKeyInner::new(
        version,
        PublicKeyAlgorithm::MlKem768X25519,
        Timestamp::now(),
        None,
        public,
    )
    .and_then(PublicSubkey::from_inner)
    .map_err(internal)?;
    let mut subkey = SecretSubkey::new(public, secret).map_err(internal)?;
    let mut flags = KeyFlags::default();
    flags.set_encrypt_comms(true);
    flags.set_encrypt_storage(true);
    let binding = subkey
        .sign(
            rng(),
            &primary,
            key.primary_key.public_key(),
            &super::unlock::no_password(),
            flags,
            None,
        )
        .map_err(internal)?;
    if let (SecretParams::Encrypted(encrypted), Some(passphrase)) =
        (key.primary_key.secret_params(), passphrase)
    {
        let argon2 = matches!(
            encrypted.string_to_key_params(),
            pgp::types::S2kParams::Aead {
                s2k: pgp::types::StringToKey::Argon2 { .. },
                ..
            }
        );
        let s2k_version = if argon2 { KeyVersion::V6 } else { version };
        subkey
            .set_password_with_s2k(
                &Password::from(passphrase),
                pgp::types::S2kParams::new_default(rng(), s2k_version),
            )
            .map_err(internal)?;
    }
    let mut updated = key.clone();
    updated
        .secret_subkeys
        .push(SignedSecretSubKey::new(subkey, vec![binding]));
    Ok(updated)
}

/// Whether the certificate has a post-quantum encryption subkey that is
/// valid now (see [`add_post_quantum_subkey`]).
pub fn has_post_quantum_encryption(cert: &SignedPublicKey) -> bool {
    validity::CertView::new(cert, validity::now())
        .encryption_keys()
        .iter()
        .any(validity::EncryptionTarget::post_quantum)
}

/// Re-issues the primary key's self-signatures with a key expiration time.
fn with_expiry(mut key: SignedSecretKey, seconds: u32) -> Result<SignedSecretKey> {
    let password = Password::empty();
    let public = key.primary_key.public_key().clone();
    let expiry = Subpacket::regular(SubpacketData::KeyExpirationTime(Duration::from_secs(
        seconds,
    )))
    .map_err(|e| OpenPgpError::Internal(e.to_string()))?;
    let reissue = |old: &pgp::packet::Signature| -> Result<SignatureConfig> {
        let old = old
            .config()
            .ok_or_else(|| OpenPgpError::Internal("self-signature without configuration".into()))?;
        let mut config = match key.primary_key.version() {
            KeyVersion::V6 => SignatureConfig::v6(rng(), old.typ, old.pub_alg, old.hash_alg)
                .map_err(|e| OpenPgpError::Internal(e.to_string()))?,
            _ => SignatureConfig::v4(old.typ, old.pub_alg, old.hash_alg),
        };
        config.hashed_subpackets = old.hashed_subpackets.clone();
        config.hashed_subpackets.push(expiry.clone());
        config.unhashed_subpackets = old.unhashed_subpackets.clone();
        Ok(config)
    };
    let mut direct = Vec::new();
    for signature in &key.details.direct_signatures {
        direct.push(
            reissue(signature)?
                .sign_key(&key.primary_key, &password, &public)
                .map_err(|e| OpenPgpError::Internal(e.to_string()))?,
        );
    }
    let mut users = Vec::new();
    for user in &key.details.users {
        let mut signatures = Vec::new();
        for signature in &user.signatures {
            signatures.push(
                reissue(signature)?
                    .sign_certification(&key.primary_key, &public, &password, Tag::UserId, &user.id)
                    .map_err(|e| OpenPgpError::Internal(e.to_string()))?,
            );
        }
        users.push(signatures);
    }
    key.details.direct_signatures = direct;
    for (user, signatures) in key.details.users.iter_mut().zip(users) {
        user.signatures = signatures;
    }
    Ok(key)
}

/// Reads every certificate in `input` (armored or binary). Secret keys are
/// accepted and reduced to their public part.
pub fn read_certs(input: &[u8]) -> Result<Vec<SignedPublicKey>> {
    super::cert_memo::parsed(input, parse_certs)
}

fn parse_certs(input: &[u8]) -> Result<Vec<SignedPublicKey>> {
    Ok(read_all(input)?
        .into_iter()
        .map(|(key, _)| match key {
            Key::Public(cert) => *cert,
            Key::Secret(secret) => secret.to_public_key(),
        })
        .collect())
}

/// A key read from a block.
enum Key {
    Public(Box<SignedPublicKey>),
    Secret(Box<SignedSecretKey>),
}

/// Every key in `input` (armored or binary), public or secret, each with
/// what was skipped in it as unreadable or unknown
/// ([`super::keyblock`]). A block must be what its armor label says; each
/// key needs one genuine self-signature.
fn read_all(input: &[u8]) -> Result<Vec<(Key, Vec<String>)>> {
    use super::keyblock::Assembled;
    let mut keys = Vec::new();
    for (label, piece) in super::armor::labelled_pieces(input)? {
        let found = super::keyblock::read(&piece)?;
        let secret = found.iter().any(|k| matches!(k, Assembled::Secret(..)));
        if !found.is_empty() {
            as_labelled(label, secret)?;
        }
        for key in found {
            keys.push(match key {
                Assembled::Public(cert, skipped) => (Key::Public(cert), skipped),
                Assembled::Secret(secret, skipped) => {
                    refuse_empty_material(&secret)?;
                    (Key::Secret(secret), skipped)
                }
            });
        }
    }
    if keys.is_empty() {
        return Err(OpenPgpError::BadKey("no key found".into()));
    }
    for (key, _) in &keys {
        let cert = match key {
            Key::Public(cert) => std::borrow::Cow::Borrowed(&**cert),
            Key::Secret(secret) => std::borrow::Cow::Owned(secret.to_public_key()),
        };
        if !validity::has_genuine_self_signature(&cert) {
            return Err(OpenPgpError::BadKey(format!(
                "{}: no self-signature of the key verifies, so nothing in it can be believed",
                fingerprint(&cert.primary_key)
            )));
        }
    }
    Ok(keys)
}

/// Reads every secret key in `input` (armored or binary).
pub fn read_secret_keys(input: &[u8]) -> Result<Vec<SignedSecretKey>> {
    Ok(read_secrets_noted(input)?
        .into_iter()
        .map(|(k, _)| k)
        .collect())
}

fn read_secrets_noted(input: &[u8]) -> Result<Vec<(SignedSecretKey, Vec<String>)>> {
    let keys = read_all(input).map_err(|error| match error {
        OpenPgpError::BadKey(reason) if reason == "no key found" => {
            OpenPgpError::BadKey("no secret key found".into())
        }
        other => other,
    })?;
    if keys.iter().all(|(k, _)| matches!(k, Key::Public(_))) {
        return Err(OpenPgpError::WrongKeyKind(
            "this is a public key (certificate), not a secret key".into(),
        ));
    }
    Ok(keys
        .into_iter()
        .filter_map(|(key, skipped)| match key {
            Key::Secret(secret) => Some((*secret, skipped)),
            Key::Public(_) => None,
        })
        .collect())
}

/// Refuses key data that contradicts its armor label. A `PUBLIC KEY BLOCK`
/// holding secret key packets is how a page could slip a key it knows into
/// the keyring as the user's own (FlowCrypt's 2019 key-kind confusion); a
/// `PRIVATE KEY BLOCK` with only public keys is no safer to guess about.
fn as_labelled(label: Option<super::armor::BlockKind>, secret: bool) -> Result<()> {
    use super::armor::BlockKind;
    match (label, secret) {
        (Some(BlockKind::PublicKey), true) => Err(OpenPgpError::WrongKeyKind(
            "this block is labelled PUBLIC KEY BLOCK but holds secret key material; a public key \
             never does, so it was not read (secret keys are imported only in Sealmark's options)"
                .into(),
        )),
        (Some(BlockKind::PrivateKey), false) => Err(OpenPgpError::WrongKeyKind(
            "this block is labelled PRIVATE KEY BLOCK but holds only a public key; it was not read"
                .into(),
        )),
        _ => Ok(()),
    }
}

/// A secret key whose packets have no key material is refused (see
/// [`has_empty_v6_material`]).
fn refuse_empty_material(key: &SignedSecretKey) -> Result<()> {
    let mut packets = std::iter::once(&key.primary_key as &dyn KeyDetails)
        .chain(key.secret_subkeys.iter().map(|s| &s.key as &dyn KeyDetails));
    match packets.find(|p| has_empty_v6_material(*p)) {
        Some(empty) => Err(OpenPgpError::BadKey(format!(
            "key {} is damaged: it holds no key material",
            hex_upper(empty.fingerprint().as_bytes())
        ))),
        None => Ok(()),
    }
}

/// rPGP 0.21 reads a v6 secret key whose public key material is empty (an
/// unknown algorithm with length 0): its secret-key reader
/// (`packet/secret_key_parser.rs`) does not check the length that its
/// public-key reader (`packet/public_key_parser.rs`) refuses as "key length
/// must not be 0". Such a key was imported, and its certificate, once
/// written, could never be read again (found by the `keys` fuzz target).
/// Remove when rPGP's secret-key reader refuses it too.
fn has_empty_v6_material(key: &dyn KeyDetails) -> bool {
    key.version() == KeyVersion::V6
        && matches!(key.public_params(), pgp::types::PublicParams::Unknown { data } if data.is_empty())
}

/// The armored certificate.
pub fn armor_cert(cert: &SignedPublicKey) -> Result<String> {
    cert.to_armored_string(ArmorOptions::default())
        .map_err(|e| OpenPgpError::Internal(e.to_string()))
}

/// The armored secret key.
pub fn armor_secret(key: &SignedSecretKey) -> Result<String> {
    key.to_armored_string(ArmorOptions::default())
        .map_err(|e| OpenPgpError::Internal(e.to_string()))
}

/// Replaces the passphrase of every secret key packet. `old` is `None` for
/// an unprotected key, `new` `None` removes the protection.
pub fn change_passphrase(
    key: &SignedSecretKey,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<SignedSecretKey> {
    super::run_now(change_passphrase_with(
        key,
        old,
        new,
        Lock::Compatible,
        &super::primitives::SoftPrimitives,
    ))
}

/// [`change_passphrase`] with the old passphrase's derivation hashed by
/// `primitives` (WebCrypto in a browser).
pub(crate) async fn change_passphrase_with(
    key: &SignedSecretKey,
    old: Option<&str>,
    new: Option<&str>,
    kind: Lock,
    primitives: &impl super::primitives::Primitives,
) -> Result<SignedSecretKey> {
    let unlock = super::unlock::UnlockKey {
        key,
        passphrase: old,
    };
    let mut key = super::unlock::unlocked(&unlock, |_| true, primitives).await?;
    if let Some(new) = new {
        lock(&mut key, new, kind)?;
    }
    Ok(key)
}

/// Everything a key manager shows about a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct KeyInfo {
    /// Fingerprint of the primary key.
    pub fingerprint: String,
    /// Key ID of the primary key.
    pub key_id: String,
    /// OpenPGP key version (4 or 6).
    pub version: u8,
    /// User IDs as written.
    pub user_ids: Vec<String>,
    /// The primary key.
    pub primary: ComponentInfo,
    /// The subkeys.
    pub subkeys: Vec<ComponentInfo>,
    /// A secret key (rather than a certificate).
    pub secret: bool,
    /// Every secret key packet is protected by a passphrase (a key with one
    /// clear packet is not locked: its clear part needs no passphrase).
    pub locked: bool,
    /// How the secret packets are protected; `None` for a certificate.
    pub protection: Option<Protection>,
    /// The key may encrypt now.
    pub can_encrypt: bool,
    /// The key may sign now.
    pub can_sign: bool,
    /// Parts of the key that were skipped as unreadable or unknown (a
    /// subkey of a newer version, a packet type OpenPGP does not define, a
    /// damaged signature); the rest of the key is used as usual.
    pub skipped: Vec<String>,
}

/// One key read from a block: its certificate, the secret key when the block
/// held one, and the information shown before import.
pub struct KeyEntry {
    /// The public part.
    pub cert: SignedPublicKey,
    /// The secret key, when `input` held secret keys.
    pub secret: Option<SignedSecretKey>,
    /// What the key is, as shown to a person.
    pub info: KeyInfo,
}

/// Every key in `input`, one entry each: secret keys (with their lock state)
/// when it holds secret keys, certificates otherwise. What was skipped in a
/// key as unreadable or unknown is listed in its information.
pub fn split(input: &[u8]) -> Result<Vec<KeyEntry>> {
    Ok(read_all(input)?
        .into_iter()
        .map(|(key, skipped)| match key {
            Key::Secret(secret) => {
                let cert = secret.to_public_key();
                let mut info = info(&cert, Some(&secret));
                info.skipped = skipped;
                KeyEntry {
                    cert,
                    secret: Some(*secret),
                    info,
                }
            }
            Key::Public(cert) => {
                let mut info = info(&cert, None);
                info.skipped = skipped;
                KeyEntry {
                    info,
                    cert: *cert,
                    secret: None,
                }
            }
        })
        .collect())
}

/// Information about every key in `input` (see [`split`]).
pub fn describe(input: &[u8]) -> Result<Vec<KeyInfo>> {
    Ok(split(input)?.into_iter().map(|entry| entry.info).collect())
}

/// Key information for a certificate; `secret` gives the lock state of a secret key.
pub fn info(cert: &SignedPublicKey, secret: Option<&SignedSecretKey>) -> KeyInfo {
    let now = validity::now();
    let view = validity::CertView::new(cert, now);
    let primary = view.primary_info();
    let subkeys = view.subkey_infos();
    let protection = secret.map(protection_of);
    let locked = matches!(protection, Some(Protection::Iterated | Protection::Argon2));
    KeyInfo {
        fingerprint: primary.fingerprint.clone(),
        key_id: primary.key_id.clone(),
        version: match cert.primary_key.version() {
            KeyVersion::V6 => 6,
            KeyVersion::V4 => 4,
            _ => 3,
        },
        user_ids: cert
            .details
            .users
            .iter()
            .map(|u| String::from_utf8_lossy(u.id.id()).into_owned())
            .collect(),
        can_encrypt: !view.encryption_keys().is_empty(),
        can_sign: view.signing_key_fingerprints().is_some(),
        primary,
        subkeys,
        secret: secret.is_some(),
        locked,
        protection,
        skipped: Vec::new(),
    }
}

/// How the secret packets of a key are protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum Protection {
    /// No secret packet is protected.
    None,
    /// Some packets are protected, others are clear.
    Partial,
    /// Every packet is protected; at least one with a derivation that is
    /// cheap to try in bulk (the iterated-and-salted S2K, or older ones).
    Iterated,
    /// Every packet is protected with Argon2, which is memory-hard.
    Argon2,
}

fn protection_of(key: &SignedSecretKey) -> Protection {
    use pgp::types::{S2kParams, SecretParams, StringToKey};
    let packets = std::iter::once(key.primary_key.secret_params())
        .chain(key.secret_subkeys.iter().map(|k| k.key.secret_params()));
    let (mut clear, mut cheap, mut hard) = (0, 0, 0);
    for params in packets {
        match params {
            SecretParams::Plain(_) => clear += 1,
            SecretParams::Encrypted(encrypted) => match encrypted.string_to_key_params() {
                S2kParams::Aead {
                    s2k: StringToKey::Argon2 { .. },
                    ..
                } => hard += 1,
                _ => cheap += 1,
            },
        }
    }
    match (clear, cheap, hard) {
        (_, 0, 0) => Protection::None,
        (0, 0, _) => Protection::Argon2,
        (0, _, _) => Protection::Iterated,
        _ => Protection::Partial,
    }
}

/// A revoked certificate and the stand-alone revocation certificate (the
/// revocation signature alone, armored, to publish if the key is lost).
pub struct Revocation {
    /// The certificate with the revocation signature added.
    pub revoked: SignedPublicKey,
    /// The revocation signature armored as a public key block, as GnuPG keeps it.
    pub certificate: String,
}

/// Revokes a key. `reason` is shown to everyone who receives the revocation.
pub fn revoke(key: &SignedSecretKey, passphrase: Option<&str>, reason: &str) -> Result<Revocation> {
    use pgp::packet::{PacketTrait, RevocationCode, SignatureType};
    use pgp::types::Timestamp;
    let primary = super::run_now(super::unlock::unlocked_primary(
        &key.primary_key,
        passphrase,
        &fingerprint(&key.primary_key),
        &super::primitives::SoftPrimitives,
    ))?;
    let internal = |e: pgp::errors::Error| OpenPgpError::Internal(e.to_string());
    let mut config =
        SignatureConfig::from_key(rng(), &key.primary_key, SignatureType::KeyRevocation)
            .map_err(internal)?;
    config.hashed_subpackets = vec![
        Subpacket::regular(SubpacketData::SignatureCreationTime(Timestamp::now()))
            .map_err(internal)?,
        Subpacket::regular(SubpacketData::IssuerFingerprint(
            key.primary_key.fingerprint(),
        ))
        .map_err(internal)?,
        Subpacket::regular(SubpacketData::RevocationReason(
            RevocationCode::NoReason,
            reason.as_bytes().to_vec().into(),
        ))
        .map_err(internal)?,
    ];
    // GnuPG 2.2 finds the signing key only through the Issuer Key ID of a v4
    // signature; RFC 9580 leaves it out of v6 signatures.
    if key.primary_key.version() == KeyVersion::V4 {
        config.unhashed_subpackets = vec![
            Subpacket::regular(SubpacketData::IssuerKeyId(key.primary_key.legacy_key_id()))
                .map_err(internal)?,
        ];
    }
    let public_primary = key.primary_key.public_key().clone();
    let signature = config
        .sign_key(&primary, &super::unlock::no_password(), &public_primary)
        .map_err(internal)?;
    let mut revoked = key.to_public_key();
    revoked
        .details
        .revocation_signatures
        .push(signature.clone());

    struct Packets(pgp::packet::PublicKey, pgp::packet::Signature);
    impl pgp::ser::Serialize for Packets {
        fn to_writer<W: std::io::Write>(&self, writer: &mut W) -> pgp::errors::Result<()> {
            self.0.to_writer_with_header(writer)?;
            self.1.to_writer_with_header(writer)
        }
        fn write_len(&self) -> usize {
            self.0.write_len_with_header() + self.1.write_len_with_header()
        }
    }
    let mut certificate = Vec::new();
    pgp::armor::write(
        &Packets(public_primary, signature),
        pgp::armor::BlockType::PublicKey,
        &mut certificate,
        None,
        true,
    )
    .map_err(internal)?;
    Ok(Revocation {
        revoked,
        certificate: String::from_utf8_lossy(&certificate).into_owned(),
    })
}

/// Merges a newer copy of a certificate into the one we have: new user IDs,
/// subkeys and signatures (new expiry, revocations) are added, nothing is
/// removed. Both must have the same primary key.
pub fn merge(ours: &SignedPublicKey, theirs: &SignedPublicKey) -> Result<SignedPublicKey> {
    if fingerprint(ours) != fingerprint(theirs) {
        return Err(OpenPgpError::BadInput(format!(
            "these are different keys ({} and {}); only copies of the same key can be merged",
            fingerprint(ours),
            fingerprint(theirs)
        )));
    }
    fn add(into: &mut Vec<pgp::packet::Signature>, from: &[pgp::packet::Signature]) {
        for signature in from {
            if !into.contains(signature) {
                into.push(signature.clone());
            }
        }
    }
    let mut merged = ours.clone();
    add(
        &mut merged.details.revocation_signatures,
        &theirs.details.revocation_signatures,
    );
    add(
        &mut merged.details.direct_signatures,
        &theirs.details.direct_signatures,
    );
    for user in &theirs.details.users {
        match merged.details.users.iter_mut().find(|u| u.id == user.id) {
            Some(existing) => add(&mut existing.signatures, &user.signatures),
            None => merged.details.users.push(user.clone()),
        }
    }
    for subkey in &theirs.public_subkeys {
        match merged
            .public_subkeys
            .iter_mut()
            .find(|s| fingerprint(&s.key) == fingerprint(&subkey.key))
        {
            Some(existing) => add(&mut existing.signatures, &subkey.signatures),
            None => merged.public_subkeys.push(subkey.clone()),
        }
    }
    if !validity::has_genuine_self_signature(&merged) {
        return Err(OpenPgpError::BadKey(format!(
            "{}: no self-signature of the key verifies",
            fingerprint(&merged.primary_key)
        )));
    }
    Ok(merged)
}

/// A fixed RSA-3072 key, for tests that must not depend on chance.
#[cfg(test)]
pub(crate) mod test_rsa {
    use super::*;

    /// The primes of a throw-away key that `rsa` made with p > q (p/q ≈
    /// 1.26: GnuPG failed 27 of 1,000 decryptions with it).
    const LARGER_PRIME: &str = "fe27b7358876ce075345695ed250266f0d1f817ff04163f88e681cd3ac20953f242dafe9fa24c547326cf9d5f473709b2c3a9093099536d513f36c728b09a58063c35ce0fe15e469a69d10c8ab75556fbb391decb813b1400adf971cae877d1b187ffa4480833d114b61c13f93f9f9b3e52df17de3f7b93493f18bf9abafc17ae91edabde12a2c9f27a9dc4cab6b1648bd0891f477423d001261240e9ac5600a959e28bbff1baefa54e22bfe533fa0028b40f15998bf3a532f9fff2525aee7a5";
    const SMALLER_PRIME: &str = "c920cc83d01ff2d16411dc30a5a08c161598ec5b9841879f6e9e03e347ef6486e671afc0903ca28ad37523f0dd46099513de7330e907f34026881f146f1fe495a2d2b4056703cd3ac1a297fabf387a7ae5db161ed114e33aa4c9323a74a4fb2b2c303b036fd1291f88a9530839ba89975b8a73cba6c8b1cc2552935449839eaecb87f7a8e0a99e3b2499430473eef6a149c066f23eb88d43d88315870e9d4ad21cb134c96d56897564bea81afb3970474b917776fcec5762421983612c9cef27";

    /// The larger prime and the smaller one.
    pub(crate) fn primes() -> (rsa::BigUint, rsa::BigUint) {
        let prime = |hex: &str| rsa::BigUint::parse_bytes(hex.as_bytes(), 16).expect("hex prime");
        (prime(LARGER_PRIME), prime(SMALLER_PRIME))
    }

    /// The material with the larger prime first: the order GnuPG cannot use.
    pub(crate) fn material() -> RsaMaterial {
        let (larger, smaller) = primes();
        RsaMaterial(
            rsa::RsaPrivateKey::from_p_q(larger, smaller, 65537u32.into())
                .expect("RSA key from its primes"),
        )
    }

    /// An unprotected key of the RSA-3072 profile: [`material`] as its
    /// primary key and as its encryption subkey.
    pub(crate) fn key() -> SignedSecretKey {
        let options = GenerateOptions {
            user_ids: vec!["Fixed <fixed@example.org>".into()],
            profile: Profile::Rsa3072,
            ..Default::default()
        };
        generate_rsa(&options, material(), material()).expect("key")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_post_quantum_profile_has_its_names() {
        for name in ["rfc9980", "RFC9980", "post-quantum"] {
            assert_eq!(
                Profile::from_name(name).ok(),
                Some(Profile::Rfc9980),
                "{name}"
            );
        }
        assert_eq!(
            Profile::from_type_and_profile(Some("curve25519"), Some("rfc9980")).ok(),
            Some(Profile::Rfc9980)
        );
        assert!(Profile::from_type_and_profile(Some("rsa3072"), Some("rfc9980")).is_err());
        assert!(Profile::all().iter().any(|(name, _)| *name == "rfc9980"));
        assert_eq!(Profile::Rfc9980.rsa_bits(), None);
    }

    #[test]
    fn a_post_quantum_subkey_added_to_a_clear_key_stays_clear() {
        let key = alice(None, Lock::Compatible);
        let updated = add_post_quantum_subkey(&key, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(protection(&updated), Some(Protection::None));
        let cert = updated.to_public_key();
        assert!(has_post_quantum_encryption(&cert));
        assert!(!has_post_quantum_encryption(&key.to_public_key()));
        let subkeys = info(&cert, Some(&updated)).subkeys;
        assert_eq!(subkeys.len(), 2);
        assert_eq!(subkeys[1].algorithm, "ML-KEM-768+X25519");
        assert!(subkeys[1].valid, "{:?}", subkeys[1]);
    }

    #[test]
    fn hex_is_two_upper_case_digits_per_byte() {
        assert_eq!(super::hex_upper(&[0x00, 0x0f, 0xa5, 0xff]), "000FA5FF");
        assert_eq!(super::hex_upper(&[]), "");
    }

    fn alice(passphrase: Option<&str>, kind: Lock) -> SignedSecretKey {
        let options = GenerateOptions {
            user_ids: vec!["Alice <alice@example.org>".into()],
            passphrase: passphrase.map(str::to_owned),
            profile: Profile::Curve25519,
            expires_in: None,
        };
        super::super::run_now(generate_with(&options, &SoftRsa, kind))
            .unwrap_or_else(|e| panic!("generate: {e}"))
    }

    /// The MPIs of a clear v4 RSA secret key packet's body, as written:
    /// n, e, d, p, q, u. Each MPI's bit count must be its value's (no
    /// leading zero octets, RFC 9580 §3.2).
    fn written_rsa_mpis(body: &[u8]) -> Vec<rsa::BigUint> {
        assert_eq!((body[0], body[5]), (4, 1), "a v4 RSA key packet");
        let mut at = 6;
        let mut mpis = Vec::new();
        for index in 0..6 {
            if index == 2 {
                assert_eq!(body[at], 0, "the secret part is clear");
                at += 1;
            }
            let bits = usize::from(u16::from_be_bytes([body[at], body[at + 1]]));
            let octets = &body[at + 2..at + 2 + bits.div_ceil(8)];
            let value = rsa::BigUint::from_bytes_be(octets);
            assert_eq!(value.bits(), bits, "MPI {index}: its bit count");
            mpis.push(value);
            at += 2 + octets.len();
        }
        mpis
    }

    /// RSA decryption of `c` the way libgcrypt 1.10 does it for GnuPG
    /// (`secret_core_crt` in `cipher/rsa.c`), from the p, q and u the key
    /// packet holds: m1 = c^d mod p, m2 = c^d mod q, h = u·(m2 − m1) mod q
    /// after adding q to a negative difference once, m = m1 + h·p. `None`
    /// where the difference is still negative: libgcrypt's answer is wrong
    /// there ("Wrong secret key used").
    fn gnupg_crt_decrypt(
        c: &rsa::BigUint,
        d: &rsa::BigUint,
        p: &rsa::BigUint,
        q: &rsa::BigUint,
        u: &rsa::BigUint,
    ) -> Option<rsa::BigUint> {
        let one = rsa::BigUint::from(1u8);
        let m1 = c.modpow(&(d % (p - &one)), p);
        let m2 = c.modpow(&(d % (q - &one)), q);
        let difference = if m2 >= m1 {
            m2 - &m1
        } else if q + &m2 >= m1 {
            q + m2 - &m1
        } else {
            return None;
        };
        Some(&m1 + (u * difference % q) * p)
    }

    /// RSA material whose primes come in the order GnuPG cannot use (p > q)
    /// is written with p < q and u = p⁻¹ mod q, in the primary key and the
    /// encryption subkey. Checked on the one value per key that GnuPG's CRT
    /// step gets wrong with the primes the other way round — m ≡ −1 mod the
    /// larger prime, m ≡ 0 mod the smaller — decrypted as GnuPG does it.
    #[test]
    fn rsa_keys_are_written_with_p_below_q_as_gnupg_needs() {
        let (larger, smaller) = test_rsa::primes();
        assert!(larger > smaller);
        let material = test_rsa::material();
        assert_eq!(material.bits(), 3072);
        use rsa::traits::PrivateKeyParts;
        assert!(material.0.primes().first() == Some(&larger));
        let key = test_rsa::key();

        // m ≡ 0 (mod smaller), m ≡ −1 (mod larger): smaller · k with
        // k = (larger − 1) · smaller⁻¹ mod larger (Fermat's inverse).
        let one = rsa::BigUint::from(1u8);
        let two = rsa::BigUint::from(2u8);
        let inverse = smaller.modpow(&(&larger - &two), &larger);
        let m = &smaller * ((&larger - &one) * inverse % &larger);
        assert_eq!(&m % &larger, &larger - &one);

        let packets = [
            pgp::ser::Serialize::to_bytes(&key.primary_key).expect("primary"),
            pgp::ser::Serialize::to_bytes(&key.secret_subkeys[0].key).expect("subkey"),
        ];
        for body in packets {
            let [n, e, d, p, q, u] = <[rsa::BigUint; 6]>::try_from(written_rsa_mpis(&body))
                .unwrap_or_else(|_| panic!("six MPIs"));
            assert_eq!(&p * &q, n);
            assert!(p < q, "p must be the smaller prime");
            assert_eq!(&p * &u % &q, one, "u = p⁻¹ mod q");
            let c = m.modpow(&e, &n);
            assert!(
                gnupg_crt_decrypt(&c, &d, &p, &q, &u) == Some(m.clone()),
                "GnuPG's CRT step gets the value wrong"
            );
        }

        // And the key works here: a message to it opens.
        let message = crate::openpgp::message::encrypt(
            b"ordered",
            &crate::openpgp::message::EncryptOptions {
                recipients: &[key.to_public_key()],
                ..Default::default()
            },
        )
        .expect("encrypt");
        let opened = crate::openpgp::message::decrypt(
            &message,
            &crate::openpgp::message::DecryptOptions {
                keys: &[crate::openpgp::unlock::UnlockKey {
                    key: &key,
                    passphrase: None,
                }],
                ..Default::default()
            },
        )
        .expect("decrypt");
        assert_eq!(opened.data, b"ordered");
    }

    fn protection(key: &SignedSecretKey) -> Option<Protection> {
        info(&key.to_public_key(), Some(key)).protection
    }

    #[test]
    fn a_public_key_block_holding_secret_packets_is_refused() {
        let secret = armor_secret(&alice(None, Lock::Compatible)).unwrap_or_default();
        let disguised = secret.replace("PRIVATE KEY BLOCK", "PUBLIC KEY BLOCK");
        for read in [
            split(disguised.as_bytes()).map(|_| ()),
            read_certs(disguised.as_bytes()).map(|_| ()),
            read_secret_keys(disguised.as_bytes()).map(|_| ()),
        ] {
            assert!(
                matches!(&read, Err(OpenPgpError::WrongKeyKind(m)) if m.contains("PUBLIC KEY BLOCK")),
                "{read:?}"
            );
        }
        // The same packets under their own label read as they always did.
        assert!(split(secret.as_bytes()).is_ok_and(|e| e.len() == 1 && e[0].secret.is_some()));
    }

    #[test]
    fn a_private_key_block_holding_only_a_certificate_is_refused() {
        let cert = armor_cert(&alice(None, Lock::Compatible).to_public_key()).unwrap_or_default();
        let disguised = cert.replace("PUBLIC KEY BLOCK", "PRIVATE KEY BLOCK");
        assert!(matches!(
            split(disguised.as_bytes()),
            Err(OpenPgpError::WrongKeyKind(_))
        ));
        assert!(split(cert.as_bytes()).is_ok());
    }

    #[test]
    fn a_key_counts_as_locked_only_when_every_packet_is() {
        let clear = alice(None, Lock::Compatible);
        assert_eq!(protection(&clear), Some(Protection::None));
        let mut partial = clear.clone();
        partial
            .primary_key
            .set_password_with_s2k(
                &Password::from("only the primary"),
                pgp::types::S2kParams::new_default(rng(), KeyVersion::V4),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(protection(&partial), Some(Protection::Partial));
        assert!(!info(&partial.to_public_key(), Some(&partial)).locked);
        // Locking it all needs the passphrase of the part that is locked.
        let relock = |old| {
            super::super::run_now(change_passphrase_with(
                &partial,
                old,
                Some("everything now"),
                Lock::Argon2,
                &super::super::primitives::SoftPrimitives,
            ))
        };
        assert!(matches!(relock(None), Err(OpenPgpError::KeyIsProtected(_))));
        let whole = relock(Some("only the primary")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(protection(&whole), Some(Protection::Argon2));
        assert!(info(&whole.to_public_key(), Some(&whole)).locked);
    }

    #[test]
    fn argon2_protects_a_v4_key_and_compatible_protection_gives_it_back() {
        let key = alice(Some("memory hard please"), Lock::Argon2);
        assert_eq!(key.primary_key.version(), KeyVersion::V4);
        assert_eq!(protection(&key), Some(Protection::Argon2));
        assert_eq!(
            protection(&alice(Some("memory hard please"), Lock::Compatible)),
            Some(Protection::Iterated)
        );
        // What GnuPG 2.2 can import: the same passphrase, the iterated S2K.
        let exported = super::super::run_now(change_passphrase_with(
            &key,
            Some("memory hard please"),
            Some("memory hard please"),
            Lock::Compatible,
            &super::super::primitives::SoftPrimitives,
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(protection(&exported), Some(Protection::Iterated));
        assert!(matches!(
            change_passphrase(&key, Some("wrong"), Some("x")),
            Err(OpenPgpError::BadPassphrase(_))
        ));
    }
}
