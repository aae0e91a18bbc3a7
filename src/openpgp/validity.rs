//! OpenPGP semantics that rPGP leaves to the application: which
//! self-signatures are genuine, whether a key or subkey is expired or
//! revoked at a given time, and which components may encrypt or sign.
//! Everything is judged from cryptographically verified signatures only,
//! and only from those [`super::policy`] accepts.
//!
//! A certificate is judged at one time `at` — now for encryption, the
//! signature's creation time for verification — from the self-signatures
//! made by then: a key that was valid, expired and was extended later is
//! judged by the self-signature in force at `at` (RFC 9580 §5.2.3.10).

use pgp::composed::{SignedPublicKey, SignedPublicSubKey};
use pgp::crypto::aead::AeadAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::{KeyFlags, RevocationCode, Signature, SignatureType};
use pgp::types::{KeyDetails, KeyVersion, Tag, Timestamp};

use serde::Serialize;

use super::error::{OpenPgpError, Result};
use super::fingerprint::{fingerprint, hex_upper};
use super::policy::{self, CLOCK_SKEW, Purpose};
use super::signature_memo::{Check, verified};

/// What a key can be used for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Capabilities {
    /// Certify other keys and its own components.
    pub certify: bool,
    /// Sign data.
    pub sign: bool,
    /// Encrypt (communications or storage).
    pub encrypt: bool,
    /// Authenticate.
    pub authenticate: bool,
}

/// A primary key or subkey as a person needs to see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ComponentInfo {
    /// Fingerprint, upper-case hex.
    pub fingerprint: String,
    /// Key ID, upper-case hex.
    pub key_id: String,
    /// Algorithm name, e.g. `Ed25519`, `RSA 3072`.
    pub algorithm: String,
    /// Creation time, RFC 3339.
    pub created: String,
    /// Expiry, RFC 3339, when the key expires.
    pub expires: Option<String>,
    /// Revoked by its owner.
    pub revoked: bool,
    /// What the binding allows.
    pub capabilities: Capabilities,
    /// Valid now: bound, not expired, not revoked, not refused by policy.
    pub valid: bool,
    /// Why Sealmark does not use this component although it may be bound:
    /// a refused algorithm or size, an algorithm it does not implement.
    pub problem: Option<String>,
}

/// The current time in seconds since the epoch (works in the browser too).
pub fn now() -> u32 {
    Timestamp::now().as_secs()
}

fn created(signature: &Signature) -> u32 {
    policy::created(signature).unwrap_or(0)
}

fn rfc3339(seconds: u32) -> String {
    crate::header::date::to_rfc3339(i64::from(seconds))
}

/// The state of one component (primary key or subkey) at a time.
#[derive(Debug, Clone, Default)]
struct ComponentState {
    bound: bool,
    seipd_v2: bool,
    aead_suites: Vec<(SymmetricKeyAlgorithm, AeadAlgorithm)>,
    symmetric: Vec<SymmetricKeyAlgorithm>,
    revoked: Option<String>,
    expires: Option<u32>,
    flags: Option<KeyFlags>,
    /// Why the key material itself is not trusted (too small, unknown).
    weak: Option<String>,
    /// A signing subkey's back signature holds at this time.
    back_signed: bool,
}

/// A certificate judged at one point in time.
pub struct CertView<'a> {
    cert: &'a SignedPublicKey,
    at: u32,
    now: u32,
    primary: ComponentState,
}

impl<'a> CertView<'a> {
    /// Judges `cert` at `at` (seconds since the epoch).
    pub fn new(cert: &'a SignedPublicKey, at: u32) -> Self {
        let now = now();
        let primary = primary_state(cert, at, now);
        CertView {
            cert,
            at,
            now,
            primary,
        }
    }

    /// The certificate's fingerprint.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.cert.primary_key)
    }

    /// Fails with the reason the certificate as a whole cannot be used now.
    pub fn check_usable(&self) -> Result<()> {
        let fingerprint = self.fingerprint();
        if let Some(reason) = &self.primary.revoked {
            return Err(OpenPgpError::KeyRevoked {
                fingerprint,
                reason: reason.clone(),
            });
        }
        if let Some(reason) = &self.primary.weak {
            return Err(OpenPgpError::WeakKey {
                fingerprint,
                reason: reason.clone(),
            });
        }
        if !self.primary.bound {
            return Err(OpenPgpError::BadKey(format!(
                "{fingerprint} has no valid self-signature"
            )));
        }
        if let Some(expires) = self.primary.expires
            && expires <= self.at
        {
            return Err(OpenPgpError::KeyExpired {
                fingerprint,
                date: rfc3339(expires),
            });
        }
        Ok(())
    }

    /// Whether the key holder announces support for SEIPDv2 (AEAD) messages.
    pub fn supports_seipd_v2(&self) -> bool {
        self.primary.seipd_v2
    }

    /// The cipher and AEAD mode pairs the key holder reads in SEIPDv2, most
    /// preferred first (empty: only the mandatory AES-128 with OCB).
    pub fn aead_suites(&self) -> &[(SymmetricKeyAlgorithm, AeadAlgorithm)] {
        &self.primary.aead_suites
    }

    /// The symmetric ciphers the key holder reads, most preferred first
    /// (empty: the key states no preference).
    pub fn preferred_symmetric(&self) -> &[SymmetricKeyAlgorithm] {
        &self.primary.symmetric
    }

    /// The subkeys (or the primary key) valid for encryption now.
    pub fn encryption_keys(&self) -> Vec<EncryptionTarget<'a>> {
        self.encryption_keys_or_weakness().0
    }

    /// [`Self::encryption_keys`], and why a subkey that would otherwise
    /// encrypt was refused by policy (the first such reason), so that an
    /// error can say it.
    pub fn encryption_keys_or_weakness(&self) -> (Vec<EncryptionTarget<'a>>, Option<String>) {
        if self.check_usable().is_err() {
            return (Vec::new(), None);
        }
        let mut refused = None;
        let mut targets: Vec<EncryptionTarget<'a>> = Vec::new();
        for subkey in &self.cert.public_subkeys {
            let state = subkey_state(self.cert, subkey, self.at, self.now);
            let may = usable(&state, self.at)
                && subkey.key.algorithm().can_encrypt()
                && state
                    .flags
                    .as_ref()
                    .is_none_or(|f| f.encrypt_comms() || f.encrypt_storage());
            if !may {
                continue;
            }
            match policy::encryption_key(&subkey.key) {
                Ok(()) => targets.push(EncryptionTarget::Subkey(subkey)),
                Err(reason) => {
                    refused.get_or_insert(format!(
                        "its subkey {}: {reason}",
                        fingerprint(&subkey.key)
                    ));
                }
            }
        }
        // A post-quantum subkey next to classic ones (a v4 key upgraded
        // under RFC 9980) is there for the senders who can use it: a message
        // also encrypted to the classic subkey would be only as safe as
        // X25519 or RSA against a future quantum computer.
        if targets.iter().any(EncryptionTarget::post_quantum) {
            targets.retain(EncryptionTarget::post_quantum);
        }
        let primary_may_encrypt = self
            .primary
            .flags
            .as_ref()
            .is_some_and(|f| f.encrypt_comms() || f.encrypt_storage());
        if targets.is_empty()
            && primary_may_encrypt
            && self.cert.primary_key.algorithm().can_encrypt()
        {
            match policy::encryption_key(&self.cert.primary_key) {
                Ok(()) => targets.push(EncryptionTarget::Primary(&self.cert.primary_key)),
                Err(reason) => {
                    refused.get_or_insert(reason);
                }
            }
        }
        (targets, refused)
    }

    /// Fingerprints of the components allowed to sign now, primary first.
    pub fn signing_key_fingerprints(&self) -> Option<Vec<String>> {
        if self.check_usable().is_err() {
            return None;
        }
        let mut fingerprints = Vec::new();
        if self.primary.flags.as_ref().is_none_or(KeyFlags::sign)
            && self.cert.primary_key.algorithm().can_sign()
        {
            fingerprints.push(fingerprint(&self.cert.primary_key));
        }
        for subkey in &self.cert.public_subkeys {
            let state = subkey_state(self.cert, subkey, self.at, self.now);
            if usable(&state, self.at)
                && state.weak.is_none()
                && state.flags.as_ref().is_some_and(KeyFlags::sign)
                && subkey.key.algorithm().can_sign()
                && state.back_signed
            {
                fingerprints.push(fingerprint(&subkey.key));
            }
        }
        (!fingerprints.is_empty()).then_some(fingerprints)
    }

    /// Whether the component with this fingerprint (upper-case hex) may
    /// have made a data signature at `self.at`; the reason when not.
    pub fn may_sign(&self, component: &str) -> std::result::Result<String, String> {
        if let Err(error) = self.check_usable() {
            return Err(error.to_string());
        }
        if fingerprint(&self.cert.primary_key) == component {
            return if self.primary.flags.as_ref().is_none_or(KeyFlags::sign) {
                Ok(fingerprint(&self.cert.primary_key))
            } else {
                Err("the primary key is not allowed to sign data".into())
            };
        }
        for subkey in &self.cert.public_subkeys {
            if fingerprint(&subkey.key) != component {
                continue;
            }
            let state = subkey_state(self.cert, subkey, self.at, self.now);
            if let Some(reason) = state.revoked {
                return Err(format!("the signing subkey was revoked{reason}"));
            }
            if let Some(reason) = state.weak {
                return Err(format!("the signing subkey is not used: {reason}"));
            }
            if !usable(&state, self.at) {
                return Err("the signing subkey was expired or not bound at signing time".into());
            }
            if !state.flags.as_ref().is_some_and(KeyFlags::sign) {
                return Err("the subkey is not allowed to sign".into());
            }
            if !state.back_signed {
                return Err(
                    "the subkey has no valid back signature (primary key binding) at signing \
                     time, so it cannot be shown to belong to this key"
                        .into(),
                );
            }
            return Ok(fingerprint(&subkey.key));
        }
        Err("no such key in the certificate".into())
    }

    /// Information about the primary key.
    pub fn primary_info(&self) -> ComponentInfo {
        component_info(
            &self.cert.primary_key,
            &self.primary,
            self.at,
            self.primary.bound,
        )
    }

    /// Information about every subkey.
    pub fn subkey_infos(&self) -> Vec<ComponentInfo> {
        let primary_usable = self.check_usable().is_ok();
        self.cert
            .public_subkeys
            .iter()
            .map(|subkey| {
                let mut state = subkey_state(self.cert, subkey, self.at, self.now);
                if state.weak.is_none()
                    && subkey.key.algorithm().can_encrypt()
                    && let Err(reason) = policy::encryption_key(&subkey.key)
                {
                    state.weak = Some(reason);
                }
                let valid = usable(&state, self.at) && primary_usable;
                component_info(&subkey.key, &state, self.at, valid)
            })
            .collect()
    }
}

/// A key to encrypt to.
pub enum EncryptionTarget<'a> {
    /// An encryption subkey (the usual case).
    Subkey(&'a SignedPublicSubKey),
    /// A primary key allowed to encrypt (old RSA keys).
    Primary(&'a pgp::packet::PublicKey),
}

impl EncryptionTarget<'_> {
    /// The key packet.
    pub fn key(&self) -> &dyn KeyDetails {
        match self {
            Self::Subkey(subkey) => &subkey.key,
            Self::Primary(primary) => *primary,
        }
    }

    /// Whether the key is a post-quantum (RFC 9980) encryption key.
    pub fn post_quantum(&self) -> bool {
        policy::post_quantum(self.key())
    }
}

fn usable(state: &ComponentState, at: u32) -> bool {
    state.bound && state.revoked.is_none() && state.expires.is_none_or(|e| e > at)
}

fn component_info(
    key: &dyn KeyDetails,
    state: &ComponentState,
    at: u32,
    valid: bool,
) -> ComponentInfo {
    let flags = state.flags.clone().unwrap_or_default();
    let algorithm = key.algorithm();
    let known = !matches!(
        key.public_params(),
        pgp::types::PublicParams::Unknown { .. }
    );
    ComponentInfo {
        fingerprint: hex_upper(key.fingerprint().as_bytes()),
        key_id: hex_upper(key.legacy_key_id().as_ref()),
        algorithm: policy::algorithm_name(key),
        created: rfc3339(key.created_at().as_secs()),
        expires: state.expires.map(rfc3339),
        revoked: state.revoked.is_some(),
        capabilities: Capabilities {
            certify: flags.certify(),
            sign: flags.sign() && algorithm.can_sign() && known,
            encrypt: (flags.encrypt_comms() || flags.encrypt_storage())
                && algorithm.can_encrypt()
                && known,
            authenticate: flags.authentication(),
        },
        valid: valid && state.weak.is_none() && state.expires.is_none_or(|e| e > at),
        problem: state.weak.clone(),
    }
}

/// Whether a verified self-signature may be believed: [`policy::signature`]
/// (no future creation time, not expired at `at`, no critical part we do
/// not understand) and a hash strong enough for what it binds.
fn acceptable(signature: &Signature, purpose: Purpose, at: u32, now: u32) -> bool {
    policy::signature(signature, now, at).is_ok()
        && signature
            .hash_alg()
            .is_some_and(|hash| policy::hash(hash, purpose, created(signature)).is_ok())
}

/// Whether a verified revocation signature revokes at `at`. RFC 9580
/// §5.2.3.31: a key that was superseded or retired, or a user ID no longer
/// valid, says nothing against what was signed before the revocation ("soft");
/// a compromised key — or one revoked without a reason, or for a reason we do
/// not know — may have been misused at any time ("hard").
fn revokes(revocation: &Signature, at: u32) -> bool {
    match revocation.revocation_reason_code() {
        Some(
            RevocationCode::KeySuperseded
            | RevocationCode::KeyRetired
            | RevocationCode::CertUserIdInvalid,
        ) => created(revocation) <= at,
        _ => true,
    }
}

/// A self-signature's time is at or before `at` (with the clock skew allowed).
fn made_by(signature: &Signature, at: u32) -> bool {
    created(signature) <= at.saturating_add(CLOCK_SKEW)
}

fn newest<'s>(signatures: impl Iterator<Item = &'s Signature>) -> Option<&'s Signature> {
    // The later of two equally old signatures in the certificate wins, as
    // a re-issued self-signature is appended.
    signatures.fold(None, |best: Option<&Signature>, s| match best {
        Some(b) if created(b) > created(s) => Some(b),
        _ => Some(s),
    })
}

/// The primary key at `at`: its binding self-signature — the newest
/// direct-key signature, and the newest binding of the primary user ID
/// (the one flagged primary, else the newest bound) — decides its flags,
/// expiry and preferences; user IDs that are not primary decide nothing
/// about the key. v6 keys state them on the direct-key signature first
/// (RFC 9580 §10.1.1), v4 keys on the primary user ID.
fn primary_state(cert: &SignedPublicKey, at: u32, now: u32) -> ComponentState {
    let primary = &cert.primary_key;
    let weak = policy::key(primary).err();
    let direct = newest(cert.details.direct_signatures.iter().filter(|signature| {
        signature.typ() == Some(SignatureType::Key)
            && made_by(signature, at)
            && acceptable(signature, Purpose::SelfSignature, at, now)
            && verified(Check::PrimaryKey, &[primary, *signature], || {
                signature.verify_key(primary).is_ok()
            })
    }));
    // Each user ID's newest binding at `at`, unless the user ID is revoked.
    let mut bindings: Vec<&Signature> = Vec::new();
    for user in &cert.details.users {
        let genuine = |signature: &&Signature| {
            verified(
                Check::Certification,
                &[primary, &user.id, *signature],
                || {
                    signature
                        .verify_certification(primary, Tag::UserId, &user.id)
                        .is_ok()
                },
            )
        };
        let revoked = user.signatures.iter().any(|s| {
            s.typ() == Some(SignatureType::CertRevocation)
                && acceptable(s, Purpose::Revocation, at, now)
                && revokes(s, at)
                && genuine(&s)
        });
        if revoked {
            continue;
        }
        let binding = newest(user.signatures.iter().filter(|s| {
            s.is_certification()
                && s.typ() != Some(SignatureType::CertRevocation)
                && made_by(s, at)
                && acceptable(s, Purpose::SelfSignature, at, now)
                && genuine(s)
        }));
        bindings.extend(binding);
    }
    let primary_user = newest(bindings.iter().copied().filter(|s| s.is_primary()))
        .or_else(|| newest(bindings.iter().copied()));
    let revoked = cert
        .details
        .revocation_signatures
        .iter()
        .find(|s| {
            s.typ() == Some(SignatureType::KeyRevocation)
                && acceptable(s, Purpose::Revocation, at, now)
                && revokes(s, at)
                && verified(Check::PrimaryKey, &[primary, *s], || {
                    s.verify_key(primary).is_ok()
                })
        })
        .map(revocation_reason);
    if direct.is_none() && primary_user.is_none() {
        return ComponentState {
            bound: false,
            revoked,
            weak,
            ..ComponentState::default()
        };
    }
    let order: Vec<&Signature> = if primary.version() == KeyVersion::V6 {
        direct.into_iter().chain(primary_user).collect()
    } else {
        primary_user.into_iter().chain(direct).collect()
    };
    ComponentState {
        bound: true,
        revoked,
        weak,
        // A key expiration time of zero states "never" and ends the search.
        expires: order
            .iter()
            .find_map(|s| s.key_expiration_time())
            .filter(|d| d.as_secs() > 0)
            .map(|d| primary.created_at().as_secs().saturating_add(d.as_secs())),
        flags: order.iter().find_map(|s| s.key_flags().into_option()),
        seipd_v2: order
            .iter()
            .find_map(|s| s.features().map(|f| f.seipd_v2()))
            .unwrap_or(false),
        aead_suites: order
            .iter()
            .map(|s| s.preferred_aead_algs())
            .find(|suites| !suites.is_empty())
            .map(<[_]>::to_vec)
            .unwrap_or_default(),
        symmetric: order
            .iter()
            .map(|s| s.preferred_symmetric_algs())
            .find(|algorithms| !algorithms.is_empty())
            .map(<[_]>::to_vec)
            .unwrap_or_default(),
        back_signed: true,
    }
}

fn subkey_state(
    cert: &SignedPublicKey,
    subkey: &SignedPublicSubKey,
    at: u32,
    now: u32,
) -> ComponentState {
    let primary = &cert.primary_key;
    let genuine = |signature: &Signature| {
        verified(
            Check::SubkeyBinding,
            &[primary, &subkey.key, signature],
            || {
                signature
                    .verify_subkey_binding(primary, &subkey.key)
                    .is_ok()
            },
        )
    };
    let revoked = subkey
        .signatures
        .iter()
        .find(|s| {
            s.typ() == Some(SignatureType::SubkeyRevocation)
                && acceptable(s, Purpose::Revocation, at, now)
                && revokes(s, at)
                && genuine(s)
        })
        .map(revocation_reason);
    let weak = policy::key(&subkey.key).err().or_else(|| {
        matches!(
            subkey.key.public_params(),
            pgp::types::PublicParams::Unknown { .. }
        )
        .then(|| {
            format!(
                "it uses {}, which Sealmark does not implement",
                policy::algorithm_name(&subkey.key)
            )
        })
    });
    let binding = newest(subkey.signatures.iter().filter(|s| {
        s.typ() == Some(SignatureType::SubkeyBinding)
            && made_by(s, at)
            && acceptable(s, policy::binding_purpose(&subkey.key), at, now)
            && genuine(s)
    }));
    let Some(binding) = binding else {
        // Say why a post-quantum subkey whose binding would do for a classic
        // one is not used: its hash.
        let weak = weak.or_else(|| {
            if !policy::post_quantum(&subkey.key) {
                return None;
            }
            subkey.signatures.iter().find_map(|s| {
                let refused = s.typ() == Some(SignatureType::SubkeyBinding)
                    && made_by(s, at)
                    && acceptable(s, Purpose::SelfSignature, at, now)
                    && genuine(s);
                refused.then(|| {
                    let hash = s.hash_alg()?;
                    let reason = policy::hash(hash, Purpose::Data, created(s)).err()?;
                    Some(format!(
                        "its binding signature does not count for a post-quantum key (RFC 9980): \
                         {reason}"
                    ))
                })?
            })
        });
        return ComponentState {
            bound: false,
            revoked,
            weak,
            ..ComponentState::default()
        };
    };
    ComponentState {
        bound: true,
        revoked,
        weak,
        expires: binding
            .key_expiration_time()
            .filter(|d| d.as_secs() > 0)
            .map(|d| {
                subkey
                    .key
                    .created_at()
                    .as_secs()
                    .saturating_add(d.as_secs())
            }),
        flags: binding.key_flags().into_option(),
        back_signed: back_signed(cert, subkey, binding, at, now),
        ..ComponentState::default()
    }
}

/// A signing subkey must carry, in its binding in force, the primary key
/// binding signature made by the subkey itself, still valid at `at`: an
/// expired back signature no longer shows the subkey consents to belong.
fn back_signed(
    cert: &SignedPublicKey,
    subkey: &SignedPublicSubKey,
    binding: &Signature,
    at: u32,
    now: u32,
) -> bool {
    binding.embedded_signature().is_some_and(|back| {
        back.typ() == Some(SignatureType::KeyBinding)
            && acceptable(back, policy::binding_purpose(&subkey.key), at, now)
            && verified(
                Check::BackSignature,
                &[&subkey.key, &cert.primary_key, back],
                || {
                    back.verify_primary_key_binding(&subkey.key, &cert.primary_key)
                        .is_ok()
                },
            )
    })
}

fn revocation_reason(signature: &Signature) -> String {
    signature
        .revocation_reason_string()
        .map(|r| String::from_utf8_lossy(r).trim().to_owned())
        .filter(|r| !r.is_empty())
        .map(|r| format!(": {r}"))
        .unwrap_or_default()
}

trait IntoOption {
    fn into_option(self) -> Option<KeyFlags>;
}

impl IntoOption for KeyFlags {
    /// An empty flags subpacket (or none at all) leaves the decision to the algorithm.
    fn into_option(self) -> Option<KeyFlags> {
        (self != KeyFlags::default()).then_some(self)
    }
}

/// Whether any self-signature over the primary key or a user ID verifies,
/// whatever it states: what a key must have to be read at all (a key without
/// one is anybody's invention). Whether it may be used is judged later.
pub(crate) fn has_genuine_self_signature(cert: &SignedPublicKey) -> bool {
    let primary = &cert.primary_key;
    let over_key = cert
        .details
        .direct_signatures
        .iter()
        .chain(&cert.details.revocation_signatures)
        .any(|s| {
            verified(Check::PrimaryKey, &[primary, s], || {
                s.verify_key(primary).is_ok()
            })
        });
    over_key
        || cert.details.users.iter().any(|user| {
            user.signatures.iter().any(|s| {
                s.is_certification()
                    && verified(Check::Certification, &[primary, &user.id, s], || {
                        s.verify_certification(primary, Tag::UserId, &user.id)
                            .is_ok()
                    })
            })
        })
}
