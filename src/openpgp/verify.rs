//! The one judgement of a data signature: which key made it, whether that
//! key was allowed to sign when the signature was made, and whether the
//! cryptographic check over the data accepts it. Decryption (`message`),
//! detached and cleartext verification (`sign`) all ask here.

use pgp::composed::SignedPublicKey;
use pgp::types::KeyDetails;
use serde::Serialize;

use super::fingerprint::{fingerprint, hex_upper};
use super::validity::{CertView, now};

/// One signature found in a message, as the user should see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct SignatureCheck {
    /// Fingerprint of the signing (sub)key when known, otherwise the issuer as stated.
    pub fingerprint: String,
    /// Fingerprint of the certificate (primary key) the signer belongs to, when known.
    pub signer: Option<String>,
    /// The signer's certificate was among the verification keys.
    pub known: bool,
    /// The signature is cryptographically valid and was made by a key allowed to sign at that time.
    pub valid: bool,
    /// Why the signature is not valid, in English.
    pub reason: Option<String>,
    /// Why the signature is not valid, as a code an interface says in its
    /// own language: `bad_signature` (it does not match the data),
    /// `signature_policy` (the signature itself breaks a rule: its time,
    /// hash, expiry or a critical part), `signer_not_allowed` (the key could
    /// not sign then: revoked, expired, not a signing key) or
    /// `unknown_signer` (no key at hand made it).
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(
            type = "'bad_signature' | 'signature_policy' | 'signer_not_allowed' | 'unknown_signer' | null"
        )
    )]
    pub reason_code: Option<&'static str>,
    /// When the signature was made, RFC 3339.
    pub created: Option<String>,
}

/// The issuer a signature names: its fingerprint when present, else its key ID.
pub(crate) fn issuer_of(signature: &pgp::packet::Signature) -> String {
    signature
        .issuer_fingerprint()
        .first()
        .map(|f| hex_upper(f.as_bytes()))
        .or_else(|| {
            signature
                .issuer_key_id()
                .first()
                .map(|id| hex_upper(id.as_ref()))
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

pub(crate) const BAD_SIGNATURE: &str = "the signature does not match the data (bad signature)";

/// The one judgement of a data signature: which key among `certs` made it,
/// was that key allowed to sign when the signature was made, and does
/// `verify` (the cryptographic check over the data at hand) accept it.
///
/// The issuer subpackets are hints, and the unhashed ones anyone can change:
/// the keys named by an issuer fingerprint are tried first, then those named
/// by a key ID (a v4 signature may carry a v6-style fingerprint that names
/// nothing here), and when the signer named itself nowhere in the signed
/// part, every key — so a wrong issuer cannot hide the real signer.
pub(crate) fn judge_signature(
    signature: &pgp::packet::Signature,
    certs: &[SignedPublicKey],
    verify: impl Fn(Component<'_>) -> std::result::Result<(), String>,
) -> SignatureCheck {
    let now = now();
    let created_at = super::policy::created(signature);
    let created = created_at.map(|t| crate::header::date::to_rfc3339(i64::from(t)));
    let check = |fingerprint: String, signer: Option<String>, outcome: Outcome| {
        let (reason_code, reason) = outcome.err().unzip();
        SignatureCheck {
            fingerprint,
            known: signer.is_some(),
            signer,
            valid: reason.is_none(),
            reason,
            reason_code,
            created: created.clone(),
        }
    };
    let mut first_failure = None;
    for (cert, component, named) in candidates(signature, certs) {
        let component_fpr = component.fingerprint();
        let signer = Some(fingerprint(&cert.primary_key));
        if let Err(reason) = verify(component) {
            // A key tried only because the signature named nobody is not
            // blamed for it: that would call a stranger's signature a bad
            // one by somebody the user knows.
            if named {
                first_failure.get_or_insert((component_fpr, signer, reason));
            }
            continue;
        }
        // The key made this signature: now whether it may be believed.
        let outcome = data_signature_policy(signature, now)
            .map_err(|reason| ("signature_policy", reason))
            .and_then(|()| {
                CertView::new(cert, created_at.unwrap_or(0))
                    .may_sign(&component_fpr)
                    .map(|_| ())
                    .map_err(|reason| ("signer_not_allowed", reason))
            });
        return check(component_fpr, signer, outcome);
    }
    // rPGP refuses to even hash some signatures our policy explains better
    // (an unknown critical subpacket, a mismatched issuer fingerprint).
    let policy = data_signature_policy(signature, now);
    match first_failure {
        Some((component, signer, reason)) => {
            let outcome = match policy {
                Err(policy) => ("signature_policy", policy),
                Ok(()) => ("bad_signature", reason),
            };
            check(component, signer, Err(outcome))
        }
        None => check(
            issuer_of(signature),
            None,
            Err(("unknown_signer", "signed by a key you do not have".into())),
        ),
    }
}

/// A signature's judgement: believed, or why not (a code and the English sentence).
type Outcome = std::result::Result<(), (&'static str, String)>;

/// What a data signature itself must satisfy (`super::policy`): a sound
/// creation time, no critical part we do not understand, not expired, and a
/// collision-resistant hash.
fn data_signature_policy(
    signature: &pgp::packet::Signature,
    now: u32,
) -> std::result::Result<(), String> {
    let not_valid = |reason: String| format!("the signature is not valid: {reason}");
    super::policy::signature(signature, now, now).map_err(not_valid)?;
    let hash = signature
        .hash_alg()
        .unwrap_or(pgp::crypto::hash::HashAlgorithm::None);
    super::policy::hash(
        hash,
        super::policy::Purpose::Data,
        super::policy::created(signature).unwrap_or(0),
    )
    .map_err(not_valid)
}

/// The components of `certs` that may have made `signature`, the most
/// likely first (see [`judge_signature`]), each with whether the signature
/// names it (by fingerprint or key ID) or it is only tried.
fn candidates<'c>(
    signature: &pgp::packet::Signature,
    certs: &'c [SignedPublicKey],
) -> Vec<(&'c SignedPublicKey, Component<'c>, bool)> {
    let fingerprints: Vec<String> = signature
        .issuer_fingerprint()
        .iter()
        .map(|f| hex_upper(f.as_bytes()))
        .collect();
    let key_ids: Vec<String> = signature
        .issuer_key_id()
        .iter()
        .map(|id| hex_upper(id.as_ref()))
        .collect();
    let all: Vec<(&SignedPublicKey, Component<'c>)> = certs
        .iter()
        .flat_map(|cert| {
            std::iter::once(Component::Primary(&cert.primary_key))
                .chain(
                    cert.public_subkeys
                        .iter()
                        .map(|s| Component::Subkey(&s.key)),
                )
                .map(move |component| (cert, component))
        })
        .collect();
    let mut out: Vec<(&SignedPublicKey, Component<'c>, bool)> = Vec::new();
    let mut take = |wanted: &dyn Fn(&Component<'c>) -> bool, named: bool| {
        for (cert, component) in &all {
            if wanted(component) && !out.iter().any(|(_, c, _)| c.same(component)) {
                out.push((cert, *component, named));
            }
        }
    };
    take(&|c| fingerprints.contains(&c.fingerprint()), true);
    take(&|c| key_ids.contains(&c.key_id()), true);
    if !names_itself(signature) {
        take(&|_| true, false);
    }
    out
}

/// Whether the signer named itself where it signed: an issuer subpacket in
/// the hashed area, or a v3 signature's issuer field.
fn names_itself(signature: &pgp::packet::Signature) -> bool {
    use pgp::packet::{SignatureVersionSpecific, SubpacketData};
    signature.config().is_some_and(|config| {
        matches!(
            config.version_specific,
            SignatureVersionSpecific::V2 { .. } | SignatureVersionSpecific::V3 { .. }
        ) || config.hashed_subpackets().any(|p| {
            matches!(
                p.data,
                SubpacketData::IssuerKeyId(_) | SubpacketData::IssuerFingerprint(_)
            )
        })
    })
}

/// A component key of a certificate, with its concrete type (rPGP's
/// verification wants a sized key).
#[derive(Clone, Copy)]
pub(crate) enum Component<'c> {
    /// The primary key.
    Primary(&'c pgp::packet::PublicKey),
    /// A subkey.
    Subkey(&'c pgp::packet::PublicSubkey),
}

impl<'c> Component<'c> {
    fn details(self) -> &'c dyn KeyDetails {
        match self {
            Component::Primary(key) => key,
            Component::Subkey(key) => key,
        }
    }

    fn fingerprint(self) -> String {
        hex_upper(self.details().fingerprint().as_bytes())
    }

    fn key_id(self) -> String {
        hex_upper(self.details().legacy_key_id().as_ref())
    }

    fn same(self, other: &Self) -> bool {
        std::ptr::addr_eq(self.details(), other.details())
    }

    pub(crate) fn as_verifying_key(self) -> &'c dyn pgp::types::VerifyingKey {
        match self {
            Component::Primary(key) => key,
            Component::Subkey(key) => key,
        }
    }

    /// Whether `signature` verifies over `data` with this key. rPGP checks
    /// the issuer subpackets name the key; the unhashed ones are anyone's to
    /// change, so they are left out of that check.
    pub(crate) fn verifies(self, signature: &pgp::packet::Signature, data: &[u8]) -> bool {
        let signature = without_unhashed_issuers(signature);
        match self {
            Component::Primary(key) => signature.verify(key, data).is_ok(),
            Component::Subkey(key) => signature.verify(key, data).is_ok(),
        }
    }
}

/// A copy of `signature` without issuer subpackets in its unhashed area.
fn without_unhashed_issuers(signature: &pgp::packet::Signature) -> pgp::packet::Signature {
    use pgp::packet::SubpacketData;
    let mut copy = signature.clone();
    let count = copy
        .config()
        .map_or(0, |config| config.unhashed_subpackets.len());
    for index in (0..count).rev() {
        let issuer = copy
            .config()
            .and_then(|config| config.unhashed_subpackets.get(index))
            .is_some_and(|p| {
                matches!(
                    p.data,
                    SubpacketData::IssuerKeyId(_) | SubpacketData::IssuerFingerprint(_)
                )
            });
        if issuer {
            let _ = copy.unhashed_subpacket_remove(index);
        }
    }
    copy
}
