//! OpenPGP semantics that rPGP leaves to the application: which
//! self-signatures are genuine, whether a key or subkey is expired or
//! revoked at a given time, and which components may encrypt or sign.
//! Everything is judged from cryptographically verified signatures only.

use pgp::composed::{SignedPublicKey, SignedPublicSubKey};
use pgp::crypto::aead::AeadAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::{KeyFlags, Signature, SignatureType};
use pgp::types::{KeyDetails, Tag, Timestamp};

use super::error::{OpenPgpError, Result};
use super::keys::{Capabilities, ComponentInfo, fingerprint, hex_upper};
use super::signature_memo::{Check, verified};

/// The current time in seconds since the epoch (works in the browser too).
pub fn now() -> u32 {
    Timestamp::now().as_secs()
}

fn created(signature: &Signature) -> u32 {
    signature.created().map(Timestamp::as_secs).unwrap_or(0)
}

fn rfc3339(seconds: u32) -> String {
    crate::transport::date::to_rfc3339(i64::from(seconds))
}

/// The state of one component (primary key or subkey) at a time.
#[derive(Debug, Clone, Default)]
struct ComponentState {
    bound: bool,
    seipd_v2: bool,
    aead_suites: Vec<(SymmetricKeyAlgorithm, AeadAlgorithm)>,
    revoked: Option<String>,
    expires: Option<u32>,
    flags: Option<KeyFlags>,
}

/// A certificate judged at one point in time.
pub struct CertView<'a> {
    cert: &'a SignedPublicKey,
    at: u32,
    primary: ComponentState,
}

impl<'a> CertView<'a> {
    /// Judges `cert` at `at` (seconds since the epoch).
    pub fn new(cert: &'a SignedPublicKey, at: u32) -> Self {
        let primary = primary_state(cert, at);
        CertView { cert, at, primary }
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

    /// The subkeys (or the primary key) valid for encryption now.
    pub fn encryption_keys(&self) -> Vec<EncryptionTarget<'a>> {
        if self.check_usable().is_err() {
            return Vec::new();
        }
        let mut targets: Vec<EncryptionTarget<'a>> = self
            .cert
            .public_subkeys
            .iter()
            .filter(|subkey| {
                let state = subkey_state(self.cert, subkey, self.at);
                usable(&state, self.at)
                    && subkey.key.algorithm().can_encrypt()
                    && state
                        .flags
                        .as_ref()
                        .is_none_or(|f| f.encrypt_comms() || f.encrypt_storage())
            })
            .map(EncryptionTarget::Subkey)
            .collect();
        let primary_may_encrypt = self
            .primary
            .flags
            .as_ref()
            .is_some_and(|f| f.encrypt_comms() || f.encrypt_storage());
        if targets.is_empty()
            && primary_may_encrypt
            && self.cert.primary_key.algorithm().can_encrypt()
        {
            targets.push(EncryptionTarget::Primary(&self.cert.primary_key));
        }
        targets
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
            let state = subkey_state(self.cert, subkey, self.at);
            if usable(&state, self.at)
                && state.flags.as_ref().is_some_and(KeyFlags::sign)
                && has_back_signature(self.cert, subkey)
            {
                fingerprints.push(fingerprint(&subkey.key));
            }
        }
        (!fingerprints.is_empty()).then_some(fingerprints)
    }

    /// Whether the component with this key ID or fingerprint (hex) may have
    /// made a data signature at `self.at`; the reason when not.
    pub fn may_sign(&self, issuer: &str) -> std::result::Result<String, String> {
        if let Err(error) = self.check_usable() {
            return Err(error.to_string());
        }
        let matches = |key: &dyn KeyDetails| {
            let fpr = hex_upper(key.fingerprint().as_bytes());
            fpr == issuer || hex_upper(key.legacy_key_id().as_ref()) == issuer
        };
        if matches(&self.cert.primary_key) {
            return if self.primary.flags.as_ref().is_none_or(KeyFlags::sign) {
                Ok(fingerprint(&self.cert.primary_key))
            } else {
                Err("the primary key is not allowed to sign data".into())
            };
        }
        for subkey in &self.cert.public_subkeys {
            if !matches(&subkey.key) {
                continue;
            }
            let state = subkey_state(self.cert, subkey, self.at);
            if let Some(reason) = state.revoked {
                return Err(format!("the signing subkey was revoked{reason}"));
            }
            if !usable(&state, self.at) {
                return Err("the signing subkey was expired or not bound at signing time".into());
            }
            if !state.flags.as_ref().is_some_and(KeyFlags::sign)
                || !has_back_signature(self.cert, subkey)
            {
                return Err("the subkey is not allowed to sign".into());
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
        self.cert
            .public_subkeys
            .iter()
            .map(|subkey| {
                let state = subkey_state(self.cert, subkey, self.at);
                let valid = usable(&state, self.at) && self.check_usable().is_ok();
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
    ComponentInfo {
        fingerprint: hex_upper(key.fingerprint().as_bytes()),
        key_id: hex_upper(key.legacy_key_id().as_ref()),
        algorithm: algorithm_name(key),
        created: rfc3339(key.created_at().as_secs()),
        expires: state.expires.map(rfc3339),
        revoked: state.revoked.is_some(),
        capabilities: Capabilities {
            certify: flags.certify(),
            sign: flags.sign() && algorithm.can_sign(),
            encrypt: (flags.encrypt_comms() || flags.encrypt_storage()) && algorithm.can_encrypt(),
            authenticate: flags.authentication(),
        },
        valid: valid && state.expires.is_none_or(|e| e > at),
    }
}

fn algorithm_name(key: &dyn KeyDetails) -> String {
    use pgp::crypto::public_key::PublicKeyAlgorithm as A;
    use pgp::types::PublicParams;
    match (key.algorithm(), key.public_params()) {
        (A::RSA | A::RSAEncrypt | A::RSASign, params @ PublicParams::RSA(_)) => {
            // The modulus is the first MPI; its two-byte header is its bit length.
            let mut bytes = Vec::new();
            let bits = pgp::ser::Serialize::to_writer(params, &mut bytes)
                .ok()
                .and_then(|()| Some(u16::from_be_bytes([*bytes.first()?, *bytes.get(1)?])));
            bits.map_or_else(|| "RSA".to_owned(), |b| format!("RSA {b}"))
        }
        (A::EdDSALegacy, _) => "Ed25519 (legacy)".to_owned(),
        (A::ECDH, PublicParams::ECDH(params)) => format!("ECDH {}", params.curve().name()),
        (algorithm, _) => format!("{algorithm:?}"),
    }
}

/// The newest valid self-signature of the primary key decides its flags and
/// expiry; a valid key revocation signature revokes it.
fn primary_state(cert: &SignedPublicKey, at: u32) -> ComponentState {
    let primary = &cert.primary_key;
    let mut candidates: Vec<&Signature> = Vec::new();
    for signature in &cert.details.direct_signatures {
        if signature.typ() == Some(SignatureType::Key)
            && verified(Check::PrimaryKey, &[primary, signature], || {
                signature.verify_key(primary).is_ok()
            })
        {
            candidates.push(signature);
        }
    }
    for user in &cert.details.users {
        for signature in &user.signatures {
            if signature.is_certification()
                && verified(
                    Check::Certification,
                    &[primary, &user.id, signature],
                    || {
                        signature
                            .verify_certification(primary, Tag::UserId, &user.id)
                            .is_ok()
                    },
                )
            {
                candidates.push(signature);
            }
        }
    }
    // A minute of grace for clocks that differ between the signer and us.
    let newest = candidates
        .iter()
        .copied()
        .filter(|s| created(s) <= at.saturating_add(60))
        .max_by_key(|s| created(s));
    let revoked = cert
        .details
        .revocation_signatures
        .iter()
        .find(|s| {
            s.typ() == Some(SignatureType::KeyRevocation)
                && verified(Check::PrimaryKey, &[primary, *s], || {
                    s.verify_key(primary).is_ok()
                })
        })
        .map(revocation_reason);
    let Some(newest) = newest else {
        return ComponentState {
            bound: false,
            revoked,
            ..ComponentState::default()
        };
    };
    // The primary key's expiry may be stated on any self-signature; the newest that states one counts.
    let expiry_signature = candidates
        .iter()
        .filter(|s| s.key_expiration_time().is_some())
        .max_by_key(|s| created(s));
    ComponentState {
        bound: true,
        revoked,
        expires: expiry_signature
            .and_then(|s| s.key_expiration_time())
            .filter(|d| d.as_secs() > 0)
            .map(|d| primary.created_at().as_secs().saturating_add(d.as_secs())),
        // v6 keys state flags and features on the direct-key signature, v4
        // keys on user ID certifications: take the newest that states them.
        flags: newest_with(&candidates, |s| s.key_flags().into_option())
            .or_else(|| newest.key_flags().into_option()),
        seipd_v2: newest_with(&candidates, |s| s.features().map(|f| f.seipd_v2())).unwrap_or(false),
        aead_suites: newest_with(&candidates, |s| {
            let suites = s.preferred_aead_algs();
            (!suites.is_empty()).then(|| suites.to_vec())
        })
        .unwrap_or_default(),
    }
}

fn newest_with<T>(signatures: &[&Signature], get: impl Fn(&Signature) -> Option<T>) -> Option<T> {
    let mut sorted: Vec<&&Signature> = signatures.iter().collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(created(s)));
    sorted.into_iter().find_map(|s| get(s))
}

fn subkey_state(cert: &SignedPublicKey, subkey: &SignedPublicSubKey, at: u32) -> ComponentState {
    let primary = &cert.primary_key;
    let mut newest: Option<&Signature> = None;
    let mut revoked = None;
    for signature in &subkey.signatures {
        if !verified(
            Check::SubkeyBinding,
            &[primary, &subkey.key, signature],
            || {
                signature
                    .verify_subkey_binding(primary, &subkey.key)
                    .is_ok()
            },
        ) {
            continue;
        }
        match signature.typ() {
            Some(SignatureType::SubkeyRevocation) => revoked = Some(revocation_reason(signature)),
            Some(SignatureType::SubkeyBinding)
                if created(signature) <= at.saturating_add(60)
                    && newest.is_none_or(|n| created(n) <= created(signature)) =>
            {
                newest = Some(signature);
            }
            _ => {}
        }
    }
    let Some(binding) = newest else {
        return ComponentState {
            bound: false,
            revoked,
            ..ComponentState::default()
        };
    };
    ComponentState {
        bound: true,
        revoked,
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
        ..ComponentState::default()
    }
}

/// A signing subkey must carry the primary key binding signature made by the subkey itself.
fn has_back_signature(cert: &SignedPublicKey, subkey: &SignedPublicSubKey) -> bool {
    subkey.signatures.iter().any(|binding| {
        binding.typ() == Some(SignatureType::SubkeyBinding)
            && binding.embedded_signature().is_some_and(|back| {
                verified(
                    Check::BackSignature,
                    &[&subkey.key, &cert.primary_key, back],
                    || {
                        back.verify_primary_key_binding(&subkey.key, &cert.primary_key)
                            .is_ok()
                    },
                )
            })
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
