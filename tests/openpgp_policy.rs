//! OpenPGP semantics to the reference standard (issue 21): weak algorithms,
//! signature subpackets, revocation reasons, certificate validity over time,
//! forward compatibility, limits and older keys. Every class has a case that
//! must hold and one that must not.
//!
//! Fixtures in `tests/corpus/openpgp/policy/`: what GnuPG can make is made
//! by `make-gpg.sh` there; the rest is built packet by packet by
//! `make_hand_built_fixtures` below (`cargo test --test openpgp_policy --
//! --ignored`), and both are committed so every run reads the same bytes.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use pgp::composed::{KeyType, SignedPublicKey};
use pgp::crypto::ecc_curve::ECCCurve;
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{
    KeyFlags, Notation, PacketTrait, PubKeyInner, PublicKey, PublicSubkey, RevocationCode,
    SecretKey, SecretSubkey, Signature, SignatureConfig, SignatureType, Subpacket, SubpacketData,
    UserId,
};
use pgp::ser::Serialize;
use pgp::types::{
    Duration, Fingerprint, KeyDetails, KeyVersion, Password, PublicParams, Tag, Timestamp,
};
use sealmark::openpgp::OpenPgpError;
use sealmark::openpgp::keys;
use sealmark::openpgp::message::{self, EncryptOptions};
use sealmark::openpgp::sign;
use sealmark::openpgp::unlock::UnlockKey;
use sealmark::openpgp::verify::SignatureCheck;

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/openpgp/policy")
        .join(name)
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(corpus(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn cert(name: &str) -> SignedPublicKey {
    let mut certs = keys::read_certs(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(certs.len(), 1, "{name}");
    certs.remove(0)
}

/// The one check of the detached signature `sig` over `data.txt`.
fn verify(sig: &str, certs: &[SignedPublicKey]) -> SignatureCheck {
    let mut checks = sign::verify_detached(&read("data.txt"), &read(sig), certs)
        .unwrap_or_else(|e| panic!("{sig}: {e}"));
    assert_eq!(checks.len(), 1, "{sig}");
    checks.remove(0)
}

fn valid(sig: &str, certs: &[SignedPublicKey]) -> SignatureCheck {
    let check = verify(sig, certs);
    assert!(check.valid, "{sig} should be valid: {check:?}");
    check
}

/// Asserts `sig` is not valid and its reason mentions every word.
fn invalid(sig: &str, certs: &[SignedPublicKey], words: &[&str]) -> SignatureCheck {
    let check = verify(sig, certs);
    assert!(!check.valid, "{sig} should not be valid: {check:?}");
    let reason = check.reason.clone().unwrap_or_default();
    for word in words {
        assert!(reason.contains(word), "{sig}: {word:?} not in {reason:?}");
    }
    check
}

fn encrypt_to(cert: &SignedPublicKey) -> sealmark::openpgp::Result<Vec<u8>> {
    message::encrypt(
        b"hello",
        &EncryptOptions {
            recipients: std::slice::from_ref(cert),
            armor: true,
            ..Default::default()
        },
    )
}

// ----- 1. Weak algorithms -------------------------------------------------

#[test]
fn data_signatures_need_a_collision_resistant_hash() {
    let hashes = [cert("hashes.cert")];
    valid("hashes-sha256.sig", &hashes);
    let sha1 = invalid("hashes-sha1.sig", &hashes, &["SHA-1", "collision"]);
    assert!(sha1.known, "the signer is still named: {sha1:?}");
    invalid("hashes-ripemd160.sig", &hashes, &["RIPEMD-160"]);
    invalid("hashes-md5.sig", &hashes, &["MD5"]);
}

#[test]
fn rsa_below_2048_bits_neither_verifies_nor_encrypts() {
    let small = cert("rsa1024.cert");
    invalid(
        "rsa1024.sig",
        std::slice::from_ref(&small),
        &["RSA 1024", "2048"],
    );
    let refused = encrypt_to(&small);
    assert!(
        matches!(&refused, Err(OpenPgpError::WeakKey { reason, .. }) if reason.contains("RSA 1024")),
        "{refused:?}"
    );
    assert_eq!(refused.err().map(|e| e.code()), Some("WEAK_KEY"));
    // The key is still read and shown, with the reason.
    let info = keys::info(&small, None);
    assert!(!info.can_encrypt && !info.can_sign, "{info:?}");
    assert!(
        info.primary
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("RSA 1024"))
    );
    // Control: DSA 2048 (the same size rule) verifies.
    valid("dsa.sig", &[cert("dsa-elgamal.cert")]);
}

#[test]
fn ecdh_keys_with_a_weak_key_wrap_cipher_are_not_encrypted_to() {
    let weak = cert("ecdh-cast5.cert");
    let refused = encrypt_to(&weak);
    assert!(
        matches!(&refused, Err(OpenPgpError::WeakKey { reason, .. }) if reason.contains("CAST5")),
        "{refused:?}"
    );
    let info = keys::info(&weak, None);
    assert!(!info.can_encrypt);
    assert!(
        info.subkeys[0]
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("key-wrap"))
    );
    // Control: the same construction with AES-128 key wrap.
    assert!(encrypt_to(&cert("ecdh-aes128.cert")).is_ok());
}

// ----- 2. Signature subpackets --------------------------------------------

fn signer() -> Vec<SignedPublicKey> {
    vec![cert("subpackets.cert"), cert("bystander.cert")]
}

#[test]
fn signatures_from_the_future_are_not_valid() {
    invalid("hashes-future.sig", &[cert("hashes.cert")], &["future"]);
    let certs = signer();
    invalid("future-twice.sig", &certs, &["future"]);
    invalid("future-backdated-unhashed.sig", &certs, &["future"]);
    valid("plain.sig", &certs);
}

#[test]
fn unknown_critical_subpackets_and_notations_invalidate_signatures() {
    let certs = signer();
    invalid("critical-subpacket.sig", &certs, &["critical", "type 41"]);
    invalid("critical-notation.sig", &certs, &["critical", "notation"]);
    valid("noncritical-subpacket.sig", &certs);
    valid("noncritical-notation.sig", &certs);
    valid("unhashed-subpacket.sig", &certs);
    valid("unhashed-critical-subpacket.sig", &certs);
}

#[test]
fn a_wrong_issuer_does_not_hide_the_signer() {
    let certs = signer();
    let real = keys::fingerprint(&certs[0].primary_key);
    for sig in [
        "issuer-fingerprint-and-wrong-key-id.sig",
        "only-wrong-unhashed-issuer.sig",
        "v6-issuer-fingerprint.sig",
        "no-issuer.sig",
    ] {
        let check = valid(sig, &certs);
        assert_eq!(check.signer.as_deref(), Some(real.as_str()), "{sig}");
    }
    // RFC 9580 §5.2.3.35: a signed issuer fingerprint of another version
    // makes the signature malformed; unsigned, it is only a wrong hint.
    let malformed = invalid("v6-issuer-fingerprint-hashed.sig", &certs, &["version 6"]);
    assert!(malformed.known, "{malformed:?}");
    // A signature by neither key that names one of them is a bad signature by it.
    let check = verify("only-wrong-unhashed-issuer.sig", &certs[1..]);
    assert!(!check.valid && check.known, "{check:?}");
    // Naming nobody, a stranger's signature is tried with every key, but a key
    // merely tried is not blamed: "bad signature by <a contact>" would be a lie.
    let check = verify("no-issuer.sig", &certs[1..]);
    assert!(
        !check.valid && !check.known && check.signer.is_none(),
        "{check:?}"
    );
}

#[test]
fn an_expired_back_signature_makes_the_signing_subkey_unusable() {
    let certs = [cert("back-signature-expires.cert")];
    valid("back-signature-in-force.sig", &certs);
    invalid("back-signature-expired.sig", &certs, &["back signature"]);
}

// ----- 3. Revocation by reason --------------------------------------------

#[test]
fn soft_revocations_invalidate_only_later_signatures() {
    let soft = [cert("revoked-superseded.cert")];
    valid("revoked-superseded-before.sig", &soft);
    invalid("revoked-superseded-after.sig", &soft, &["revoked"]);
    let retired = [cert("revoked-retired.cert")];
    valid("revoked-retired-before.sig", &retired);
    invalid("revoked-retired-after.sig", &retired, &["revoked"]);
    // Hard: compromised, and no reason at all.
    for name in ["revoked-compromised", "revoked-no-reason"] {
        let hard = [cert(&format!("{name}.cert"))];
        invalid(&format!("{name}-before.sig"), &hard, &["revoked"]);
        invalid(&format!("{name}-after.sig"), &hard, &["revoked"]);
    }
    // No revocation lets anyone encrypt to the key now.
    for name in ["revoked-superseded", "revoked-compromised"] {
        assert!(matches!(
            encrypt_to(&cert(&format!("{name}.cert"))),
            Err(OpenPgpError::KeyRevoked { .. })
        ));
    }
}

// ----- 4. Certificate validity --------------------------------------------

#[test]
fn key_flags_on_a_direct_key_signature_apply_to_the_primary_key() {
    invalid(
        "direct-key-certify-only.sig",
        &[cert("direct-key-certify-only.cert")],
        &["not allowed to sign"],
    );
    valid("direct-key-sign.sig", &[cert("direct-key-sign.cert")]);
}

#[test]
fn only_the_primary_user_id_decides_the_expiry() {
    let expired = cert("non-primary-user-id-extends.cert");
    assert!(matches!(
        encrypt_to(&expired),
        Err(OpenPgpError::KeyExpired { .. })
    ));
    // Control: the same key whose primary user ID was extended.
    assert!(encrypt_to(&cert("primary-user-id-extends.cert")).is_ok());
}

#[test]
fn temporary_validity_is_judged_at_the_signature_time() {
    let certs = [cert("temporary.cert")];
    valid("temporary-first-year.sig", &certs);
    invalid("temporary-gap.sig", &certs, &["expired"]);
    valid("temporary-renewed.sig", &certs);
}

// ----- 5. Forward compatibility -------------------------------------------

#[test]
fn unknown_parts_of_a_certificate_are_skipped_not_fatal() {
    for (name, skipped) in [
        ("unknown-subkey-version.pgp", Some("cannot be read")),
        ("unknown-packet.pgp", Some("unknown type 40")),
        ("bad-signature-among-good.pgp", None),
        ("third-party-certification.pgp", None),
        ("unknown-subkey-algorithm.pgp", None),
    ] {
        let entries = keys::split(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(entries.len(), 1, "{name}");
        let info = &entries[0].info;
        assert!(info.can_encrypt && info.can_sign, "{name}: {info:?}");
        if let Some(word) = skipped {
            assert!(
                info.skipped.iter().any(|s| s.contains(word)),
                "{name}: {:?}",
                info.skipped
            );
        }
        let cert = &entries[0].cert;
        assert!(encrypt_to(cert).is_ok(), "{name}");
    }
    // The unknown algorithm is listed, not used.
    let info = keys::describe(&read("unknown-subkey-algorithm.pgp")).unwrap_or_default();
    let unknown = info[0]
        .subkeys
        .iter()
        .find(|s| s.algorithm.contains("unknown algorithm 99"));
    assert!(
        unknown.is_some_and(|s| !s.valid && !s.capabilities.encrypt && s.problem.is_some()),
        "{info:?}"
    );
}

#[test]
fn an_unknown_critical_packet_refuses_the_key_with_a_reason() {
    let refused = keys::read_certs(&read("critical-unknown-packet.pgp"));
    assert!(
        matches!(&refused, Err(OpenPgpError::BadKey(m)) if m.contains("critical")),
        "{refused:?}"
    );
}

// ----- The hand-built fixtures ---------------------------------------------

const T0: u32 = 1_577_836_800; // 2020-01-01
const YEAR: u32 = 365 * 24 * 3600;

fn rng() -> rand::rngs::OsRng {
    rand::rngs::OsRng
}

/// A v4 key of `kind` created at `at`, as primary key packet.
fn primary(kind: KeyType, at: u32) -> SecretKey {
    let (public, secret) = kind.generate(rng()).unwrap_or_else(|e| panic!("{e}"));
    let inner = PubKeyInner::new(
        KeyVersion::V4,
        kind.to_alg(),
        Timestamp::from_secs(at),
        None,
        public,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    SecretKey::new(
        PublicKey::from_inner(inner).unwrap_or_else(|e| panic!("{e}")),
        secret,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn subkey_from(
    public: PublicParams,
    secret: pgp::types::SecretParams,
    alg: pgp::crypto::public_key::PublicKeyAlgorithm,
    at: u32,
) -> SecretSubkey {
    let inner = PubKeyInner::new(KeyVersion::V4, alg, Timestamp::from_secs(at), None, public)
        .unwrap_or_else(|e| panic!("{e}"));
    SecretSubkey::new(
        PublicSubkey::from_inner(inner).unwrap_or_else(|e| panic!("{e}")),
        secret,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn subkey(kind: KeyType, at: u32) -> SecretSubkey {
    let (public, secret) = kind.generate(rng()).unwrap_or_else(|e| panic!("{e}"));
    subkey_from(public, secret, kind.to_alg(), at)
}

fn sp(data: SubpacketData) -> Subpacket {
    Subpacket::regular(data).unwrap_or_else(|e| panic!("{e}"))
}

fn critical(data: SubpacketData) -> Subpacket {
    Subpacket::critical(data).unwrap_or_else(|e| panic!("{e}"))
}

/// A v4 signature configuration by `key` made at `at` naming its issuer
/// the usual way, with `extra` hashed subpackets.
fn config(
    key: &dyn KeyDetails,
    typ: SignatureType,
    at: u32,
    extra: Vec<Subpacket>,
) -> SignatureConfig {
    let mut config = SignatureConfig::v4(typ, key.algorithm(), HashAlgorithm::Sha256);
    config.hashed_subpackets = vec![
        sp(SubpacketData::SignatureCreationTime(Timestamp::from_secs(
            at,
        ))),
        sp(SubpacketData::IssuerFingerprint(key.fingerprint())),
    ];
    config.hashed_subpackets.extend(extra);
    config.unhashed_subpackets = vec![sp(SubpacketData::IssuerKeyId(key.legacy_key_id()))];
    config
}

fn flags(set: impl Fn(&mut KeyFlags)) -> Subpacket {
    let mut flags = KeyFlags::default();
    set(&mut flags);
    sp(SubpacketData::KeyFlags(flags))
}

/// A certificate being built: packets in order.
struct Cert {
    key: SecretKey,
    packets: Vec<u8>,
}

impl Cert {
    fn new(key: SecretKey) -> Self {
        let mut packets = Vec::new();
        key.public_key()
            .to_writer_with_header(&mut packets)
            .unwrap_or_else(|e| panic!("{e}"));
        Cert { key, packets }
    }

    fn raw(&mut self, packet: &impl PacketTrait) -> &mut Self {
        packet
            .to_writer_with_header(&mut self.packets)
            .unwrap_or_else(|e| panic!("{e}"));
        self
    }

    fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.packets.extend_from_slice(bytes);
        self
    }

    fn direct(&mut self, at: u32, extra: Vec<Subpacket>) -> &mut Self {
        let signature = config(&self.key, SignatureType::Key, at, extra)
            .sign_key(&self.key, &Password::empty(), self.key.public_key())
            .unwrap_or_else(|e| panic!("{e}"));
        self.raw(&signature)
    }

    fn revoke(&mut self, at: u32, reason: Option<RevocationCode>) -> &mut Self {
        let extra = reason
            .map(|code| sp(SubpacketData::RevocationReason(code, "test".into())))
            .into_iter()
            .collect();
        let signature = config(&self.key, SignatureType::KeyRevocation, at, extra)
            .sign_key(&self.key, &Password::empty(), self.key.public_key())
            .unwrap_or_else(|e| panic!("{e}"));
        self.raw(&signature)
    }

    fn user(&mut self, id: &str) -> &mut Self {
        let id = UserId::from_str(Default::default(), id).unwrap_or_else(|e| panic!("{e}"));
        self.raw(&id)
    }

    fn certify(&mut self, id: &str, at: u32, extra: Vec<Subpacket>) -> &mut Self {
        let user = UserId::from_str(Default::default(), id).unwrap_or_else(|e| panic!("{e}"));
        let signature = config(&self.key, SignatureType::CertPositive, at, extra)
            .sign_certification(
                &self.key,
                self.key.public_key(),
                &Password::empty(),
                Tag::UserId,
                &user,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        self.raw(&signature)
    }

    fn binding(&self, subkey: &SecretSubkey, at: u32, extra: Vec<Subpacket>) -> Signature {
        config(&self.key, SignatureType::SubkeyBinding, at, extra)
            .sign_subkey_binding(
                &self.key,
                self.key.public_key(),
                &Password::empty(),
                subkey.public_key(),
            )
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn encryption_subkey(&mut self, subkey: &SecretSubkey, at: u32) -> &mut Self {
        let binding = self.binding(
            subkey,
            at,
            vec![flags(|f| {
                f.set_encrypt_comms(true);
                f.set_encrypt_storage(true);
            })],
        );
        self.raw(subkey.public_key()).raw(&binding)
    }

    /// The usual start: a primary user ID bound at `at` with sign and
    /// certify flags, and an encryption subkey.
    fn usual(key: SecretKey, at: u32, extra: Vec<Subpacket>) -> Self {
        let mut cert = Cert::new(key);
        cert.usual_parts(at, extra);
        cert
    }

    fn usual_parts(&mut self, at: u32, extra: Vec<Subpacket>) {
        let cert = self;
        let mut subpackets = vec![
            flags(|f| {
                f.set_certify(true);
                f.set_sign(true);
            }),
            sp(SubpacketData::IsPrimary(true)),
        ];
        subpackets.extend(extra);
        cert.user("Test <test@example.org>")
            .certify("Test <test@example.org>", at, subpackets);
        let encryption = subkey(KeyType::ECDH(ECCCurve::Curve25519Legacy), at);
        cert.encryption_subkey(&encryption, at);
    }

    fn write(&self, name: &str) {
        std::fs::write(corpus(name), &self.packets).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

fn data_signature(key: &impl pgp::types::SigningKey, config: SignatureConfig) -> Signature {
    config
        .sign(key, &Password::empty(), &read("data.txt")[..])
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A v4 data signature hashed here rather than by rPGP, which refuses to
/// make signatures with parts it would not accept (an unknown critical
/// subpacket, a v6 issuer fingerprint in a v4 signature).
fn data_signature_by_hand(key: &impl pgp::types::SigningKey, config: SignatureConfig) -> Signature {
    use sha2::Digest;
    let mut hashed = Vec::new();
    for subpacket in &config.hashed_subpackets {
        subpacket
            .to_writer(&mut hashed)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let mut header = vec![
        4,
        u8::from(config.typ),
        u8::from(config.pub_alg),
        u8::from(config.hash_alg),
    ];
    header.extend_from_slice(&u16::try_from(hashed.len()).unwrap_or(0).to_be_bytes());
    header.extend_from_slice(&hashed);
    let mut hasher = sha2::Sha256::new();
    hasher.update(read("data.txt"));
    hasher.update(&header);
    hasher.update([4, 0xFF]);
    hasher.update(u32::try_from(header.len()).unwrap_or(0).to_be_bytes());
    let digest = hasher.finalize();
    let bytes = key
        .sign(&Password::empty(), HashAlgorithm::Sha256, &digest)
        .unwrap_or_else(|e| panic!("{e}"));
    Signature::from_config(config, [digest[0], digest[1]], bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn write_signature(name: &str, signature: &Signature) {
    // Binary: the armored ones are GnuPG's.
    let mut out = Vec::new();
    signature
        .to_writer_with_header(&mut out)
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(corpus(name), out).unwrap_or_else(|e| panic!("{name}: {e}"));
}

fn write_armored_cert(name: &str, cert: &Cert) {
    let parsed = keys::read_certs(&cert.packets).unwrap_or_else(|e| panic!("{name}: {e}"));
    let armored = keys::armor_cert(&parsed[0]).unwrap_or_else(|e| panic!("{name}: {e}"));
    std::fs::write(corpus(name), armored).unwrap_or_else(|e| panic!("{name}: {e}"));
}

fn ed25519(at: u32) -> SecretKey {
    primary(KeyType::Ed25519Legacy, at)
}

#[test]
#[ignore = "writes the hand-built fixtures; run once and commit them"]
fn make_hand_built_fixtures() {
    let now = sealmark::openpgp::validity::now();
    let binary = |key: &SecretKey, at: u32, extra: Vec<Subpacket>| {
        config(key, SignatureType::Binary, at, extra)
    };

    // 1. ECDH subkeys whose key-wrap cipher is CAST5, and AES-128 as control.
    for (name, wrap) in [
        (
            "ecdh-cast5.cert",
            pgp::crypto::sym::SymmetricKeyAlgorithm::CAST5,
        ),
        (
            "ecdh-aes128.cert",
            pgp::crypto::sym::SymmetricKeyAlgorithm::AES128,
        ),
    ] {
        let mut cert = Cert::new(ed25519(T0));
        cert.user("Wrap <wrap@example.org>").certify(
            "Wrap <wrap@example.org>",
            T0,
            vec![flags(|f| f.set_sign(true))],
        );
        let kind = KeyType::ECDH(ECCCurve::Curve25519Legacy);
        let (public, secret) = kind.generate(rng()).unwrap_or_else(|e| panic!("{e}"));
        let public = match public {
            PublicParams::ECDH(pgp::types::EcdhPublicParams::Curve25519Legacy {
                p,
                hash,
                ecdh_kdf_type,
                ..
            }) => PublicParams::ECDH(pgp::types::EcdhPublicParams::Curve25519Legacy {
                p,
                hash,
                alg_sym: wrap,
                ecdh_kdf_type,
            }),
            other => other,
        };
        let weak = subkey_from(public, secret, kind.to_alg(), T0);
        cert.encryption_subkey(&weak, T0);
        write_armored_cert(name, &cert);
    }

    // 2. Subpackets: one signer, one bystander whose key ID is misused.
    let key = ed25519(T0);
    let cert = Cert::usual(key.clone(), T0, vec![]);
    write_armored_cert("subpackets.cert", &cert);
    let bystander = ed25519(T0);
    write_armored_cert(
        "bystander.cert",
        &Cert::usual(bystander.clone(), T0, vec![]),
    );
    let at = T0 + YEAR;
    let sign = |name: &str, config: SignatureConfig| {
        write_signature(name, &data_signature_by_hand(&key, config));
    };
    sign("plain.sig", binary(&key, at, vec![]));
    let future = Timestamp::from_secs(now + 10 * YEAR);
    sign(
        "future-twice.sig",
        binary(
            &key,
            at,
            vec![sp(SubpacketData::SignatureCreationTime(future))],
        ),
    );
    let mut backdated = binary(&key, now + 10 * YEAR, vec![]);
    backdated
        .unhashed_subpackets
        .push(sp(SubpacketData::SignatureCreationTime(
            Timestamp::from_secs(at),
        )));
    sign("future-backdated-unhashed.sig", backdated);
    let unknown = || SubpacketData::Other(41, vec![1, 2, 3].into());
    sign(
        "critical-subpacket.sig",
        binary(&key, at, vec![critical(unknown())]),
    );
    sign(
        "noncritical-subpacket.sig",
        binary(&key, at, vec![sp(unknown())]),
    );
    let notation = || {
        SubpacketData::Notation(Notation {
            readable: true,
            name: "unknown-meaning@example.org".into(),
            value: "yes".into(),
        })
    };
    sign(
        "critical-notation.sig",
        binary(&key, at, vec![critical(notation())]),
    );
    sign(
        "noncritical-notation.sig",
        binary(&key, at, vec![sp(notation())]),
    );
    let mut unhashed = binary(&key, at, vec![]);
    unhashed.unhashed_subpackets.push(sp(unknown()));
    sign("unhashed-subpacket.sig", unhashed);
    let mut unhashed = binary(&key, at, vec![]);
    unhashed.unhashed_subpackets.push(critical(unknown()));
    sign("unhashed-critical-subpacket.sig", unhashed);
    let mut wrong_id = binary(&key, at, vec![]);
    wrong_id.unhashed_subpackets = vec![sp(SubpacketData::IssuerKeyId(bystander.legacy_key_id()))];
    sign("issuer-fingerprint-and-wrong-key-id.sig", wrong_id);
    let mut only_wrong = SignatureConfig::v4(
        SignatureType::Binary,
        key.algorithm(),
        HashAlgorithm::Sha256,
    );
    only_wrong.hashed_subpackets = vec![sp(SubpacketData::SignatureCreationTime(
        Timestamp::from_secs(at),
    ))];
    only_wrong.unhashed_subpackets =
        vec![sp(SubpacketData::IssuerKeyId(bystander.legacy_key_id()))];
    sign("only-wrong-unhashed-issuer.sig", only_wrong.clone());
    only_wrong.unhashed_subpackets.clear();
    sign("no-issuer.sig", only_wrong);
    let mut v6_issuer = SignatureConfig::v4(
        SignatureType::Binary,
        key.algorithm(),
        HashAlgorithm::Sha256,
    );
    v6_issuer.hashed_subpackets = vec![
        sp(SubpacketData::SignatureCreationTime(Timestamp::from_secs(
            at,
        ))),
        sp(SubpacketData::IssuerFingerprint(Fingerprint::V6(
            [0x6a; 32],
        ))),
    ];
    v6_issuer.unhashed_subpackets = vec![sp(SubpacketData::IssuerKeyId(key.legacy_key_id()))];
    write_signature(
        "v6-issuer-fingerprint-hashed.sig",
        &data_signature_by_hand(&key, v6_issuer.clone()),
    );
    v6_issuer.hashed_subpackets.truncate(1);
    v6_issuer.unhashed_subpackets = vec![
        sp(SubpacketData::IssuerFingerprint(Fingerprint::V6(
            [0x6a; 32],
        ))),
        sp(SubpacketData::IssuerKeyId(key.legacy_key_id())),
    ];
    sign("v6-issuer-fingerprint.sig", v6_issuer);

    // 2. A signing subkey whose back signature expires after a year.
    let key = ed25519(T0);
    let mut cert = Cert::usual(key.clone(), T0, vec![]);
    let signing = subkey(KeyType::Ed25519Legacy, T0);
    let mut back = config(
        &signing,
        SignatureType::KeyBinding,
        T0,
        vec![sp(SubpacketData::SignatureExpirationTime(
            Duration::from_secs(YEAR),
        ))],
    );
    back.unhashed_subpackets.clear();
    let back = back
        .sign_primary_key_binding(
            &signing,
            signing.public_key(),
            &Password::empty(),
            key.public_key(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let binding = cert.binding(
        &signing,
        T0,
        vec![
            flags(|f| f.set_sign(true)),
            sp(SubpacketData::EmbeddedSignature(Box::new(back))),
        ],
    );
    cert.raw(signing.public_key()).raw(&binding);
    write_armored_cert("back-signature-expires.cert", &cert);
    let by_subkey = |name: &str, at: u32| {
        let signature = data_signature(
            &signing,
            config(&signing, SignatureType::Binary, at, vec![]),
        );
        write_signature(name, &signature);
    };
    by_subkey("back-signature-in-force.sig", T0 + YEAR / 2);
    by_subkey("back-signature-expired.sig", T0 + 2 * YEAR);

    // 3. Revocations two years in, signatures one and three years in.
    for (name, reason) in [
        ("revoked-superseded", Some(RevocationCode::KeySuperseded)),
        ("revoked-retired", Some(RevocationCode::KeyRetired)),
        ("revoked-compromised", Some(RevocationCode::KeyCompromised)),
        ("revoked-no-reason", None),
    ] {
        let key = ed25519(T0);
        let mut cert = Cert::new(key.clone());
        cert.revoke(T0 + 2 * YEAR, reason).usual_parts(T0, vec![]);
        write_armored_cert(&format!("{name}.cert"), &cert);
        for (when, at) in [("before", T0 + YEAR), ("after", T0 + 3 * YEAR)] {
            write_signature(
                &format!("{name}-{when}.sig"),
                &data_signature(&key, binary(&key, at, vec![])),
            );
        }
    }

    // 4. Key flags on a direct-key signature; the user ID states none.
    for (name, sign_flag) in [
        ("direct-key-certify-only", false),
        ("direct-key-sign", true),
    ] {
        let key = ed25519(T0);
        let mut cert = Cert::new(key.clone());
        cert.direct(
            T0,
            vec![flags(|f| {
                f.set_certify(true);
                f.set_sign(sign_flag);
            })],
        );
        cert.user("Direct <direct@example.org>")
            .certify("Direct <direct@example.org>", T0, vec![]);
        write_armored_cert(&format!("{name}.cert"), &cert);
        write_signature(
            &format!("{name}.sig"),
            &data_signature(&key, binary(&key, T0 + YEAR, vec![])),
        );
    }

    // 4. The primary user ID expires a year in; a later self-signature of a
    // second user ID says ten years; and the control where it is the
    // primary user ID that says ten years.
    for (name, extended) in [
        ("non-primary-user-id-extends", "Second <second@example.org>"),
        ("primary-user-id-extends", "Primary <primary@example.org>"),
    ] {
        let key = ed25519(T0);
        let mut cert = Cert::new(key.clone());
        let expiry = |years: u32| {
            sp(SubpacketData::KeyExpirationTime(Duration::from_secs(
                years * YEAR,
            )))
        };
        let signs = || {
            flags(|f| {
                f.set_certify(true);
                f.set_sign(true);
            })
        };
        let primary_flag = || sp(SubpacketData::IsPrimary(true));
        cert.user("Primary <primary@example.org>").certify(
            "Primary <primary@example.org>",
            T0,
            vec![signs(), primary_flag(), expiry(1)],
        );
        if extended.starts_with("Primary") {
            cert.certify(
                extended,
                T0 + 1000,
                vec![signs(), primary_flag(), expiry(10)],
            );
        }
        cert.user("Second <second@example.org>").certify(
            "Second <second@example.org>",
            T0,
            vec![signs(), expiry(1)],
        );
        if extended.starts_with("Second") {
            cert.certify(extended, T0 + 1000, vec![signs(), expiry(10)]);
        }
        let encryption = subkey(KeyType::ECDH(ECCCurve::Curve25519Legacy), T0);
        cert.encryption_subkey(&encryption, T0);
        write_armored_cert(&format!("{name}.cert"), &cert);
    }

    // 4. Valid for a year, expired for a year, then extended for good.
    let key = ed25519(T0);
    let mut cert = Cert::new(key.clone());
    let signs = || {
        flags(|f| {
            f.set_certify(true);
            f.set_sign(true);
        })
    };
    cert.user("Temporary <temporary@example.org>")
        .certify(
            "Temporary <temporary@example.org>",
            T0,
            vec![
                signs(),
                sp(SubpacketData::KeyExpirationTime(Duration::from_secs(YEAR))),
            ],
        )
        .certify(
            "Temporary <temporary@example.org>",
            T0 + 2 * YEAR,
            vec![signs()],
        );
    write_armored_cert("temporary.cert", &cert);
    for (name, at) in [
        ("temporary-first-year.sig", T0 + YEAR / 2),
        ("temporary-gap.sig", T0 + YEAR + YEAR / 2),
        ("temporary-renewed.sig", T0 + 2 * YEAR + YEAR / 2),
    ] {
        write_signature(name, &data_signature(&key, binary(&key, at, vec![])));
    }

    // 5. Forward compatibility, binary certificates.
    let key = ed25519(T0);
    let usual = Cert::usual(key.clone(), T0, vec![]);
    // A subkey packet of version 7 (unknown), with a binding signature after it.
    let copied_binding = usual.binding(&subkey(KeyType::Ed25519Legacy, T0), T0, vec![]);
    let mut future = Cert {
        key: key.clone(),
        packets: usual.packets.clone(),
    };
    future.bytes(&[
        0xC0 | 14,
        12,
        7,
        0x5f,
        0x5e,
        0x10,
        0x00,
        99,
        0,
        0,
        0,
        3,
        1,
        2,
    ]);
    future.raw(&copied_binding);
    future.write("unknown-subkey-version.pgp");
    // A non-critical packet of unknown type 40 between the user ID and the subkey.
    let mut odd = Cert::new(key.clone());
    odd.user("Test <test@example.org>").certify(
        "Test <test@example.org>",
        T0,
        vec![flags(|f| {
            f.set_certify(true);
            f.set_sign(true);
        })],
    );
    odd.bytes(&[0xC0 | 40, 3, 1, 2, 3]);
    let encryption = subkey(KeyType::ECDH(ECCCurve::Curve25519Legacy), T0);
    odd.encryption_subkey(&encryption, T0);
    odd.write("unknown-packet.pgp");
    let mut refused = Cert {
        key: key.clone(),
        packets: usual.packets.clone(),
    };
    refused.bytes(&[0xC0 | 30, 3, 1, 2, 3]);
    refused.write("critical-unknown-packet.pgp");
    // A second user ID whose only self-signature is damaged.
    let mut damaged = Cert {
        key: key.clone(),
        packets: usual.packets.clone(),
    };
    let user = UserId::from_str(Default::default(), "Damaged <damaged@example.org>")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut bad = config(&key, SignatureType::CertPositive, T0, vec![])
        .sign_certification(
            &key,
            key.public_key(),
            &Password::empty(),
            Tag::UserId,
            &user,
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .to_bytes()
        .unwrap_or_default();
    if let Some(last) = bad.last_mut() {
        *last ^= 0x55;
    }
    damaged.raw(&user);
    damaged.bytes(&packet(2, &bad));
    damaged.write("bad-signature-among-good.pgp");
    // A certification by another key.
    let mut certified = Cert::new(key.clone());
    let id = "Test <test@example.org>";
    certified.user(id).certify(
        id,
        T0,
        vec![flags(|f| {
            f.set_certify(true);
            f.set_sign(true);
        })],
    );
    let other = ed25519(T0);
    let user = UserId::from_str(Default::default(), id).unwrap_or_else(|e| panic!("{e}"));
    let third = config(&other, SignatureType::CertGeneric, T0 + 10, vec![])
        .sign_certification_third_party(
            &other,
            &Password::empty(),
            key.public_key(),
            Tag::UserId,
            &user,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    certified.raw(&third);
    let encryption = subkey(KeyType::ECDH(ECCCurve::Curve25519Legacy), T0);
    certified.encryption_subkey(&encryption, T0);
    certified.write("third-party-certification.pgp");
    // A bound subkey of algorithm 99, which no one implements.
    let mut unknown = Cert {
        key: key.clone(),
        packets: usual.packets.clone(),
    };
    let strange = PublicParams::Unknown {
        data: vec![0x42; 40].into(),
    };
    let inner = PubKeyInner::new(
        KeyVersion::V4,
        pgp::crypto::public_key::PublicKeyAlgorithm::from(99),
        Timestamp::from_secs(T0),
        None,
        strange,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let strange = PublicSubkey::from_inner(inner).unwrap_or_else(|e| panic!("{e}"));
    let binding = config(
        &key,
        SignatureType::SubkeyBinding,
        T0,
        vec![flags(|f| {
            f.set_encrypt_comms(true);
        })],
    )
    .sign_subkey_binding(&key, key.public_key(), &Password::empty(), &strange)
    .unwrap_or_else(|e| panic!("{e}"));
    unknown.raw(&strange).raw(&binding);
    unknown.write("unknown-subkey-algorithm.pgp");
}

/// A packet of `tag` around `body`, in the new format with a two-octet length.
fn packet(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![0xC0 | tag];
    let len = body.len();
    if len < 192 {
        out.push(len as u8);
    } else {
        let rest = len - 192;
        out.extend_from_slice(&[(rest >> 8) as u8 + 192, rest as u8]);
    }
    out.extend_from_slice(body);
    out
}

// ----- 6. Limits -----------------------------------------------------------

/// A literal data packet holding `hi`, inside `depth` compressed data
/// packets (algorithm 0, uncompressed: the nesting is what is tested).
fn nested(depth: usize) -> Vec<u8> {
    let mut message = packet(11, b"b\x00\x00\x00\x00\x00hi");
    for _ in 0..depth {
        let mut body = vec![0u8];
        body.extend_from_slice(&message);
        message = packet(8, &body);
    }
    message
}

#[test]
fn nesting_deeper_than_the_limit_is_refused() {
    for depth in [0, 1, 3, 15] {
        let read = message::read_signed(&nested(depth), &[]);
        assert_eq!(read.map(|m| m.data), Ok(b"hi".to_vec()), "depth {depth}");
    }
    for depth in [17, 40] {
        let read = message::read_signed(&nested(depth), &[]);
        assert!(
            matches!(&read, Err(OpenPgpError::BadMessage(m)) if m.contains("nested")),
            "depth {depth}: {read:?}"
        );
    }
}

#[test]
fn an_armor_header_without_a_value_is_tolerated() {
    let hashes = [cert("hashes.cert")];
    let armored = String::from_utf8(read("hashes-sha256.sig")).unwrap_or_default();
    for header in ["Comment:", "Comment: ", "Version:", "Hash:"] {
        let with = armored.replacen(
            "-----BEGIN PGP SIGNATURE-----\n",
            &format!("-----BEGIN PGP SIGNATURE-----\n{header}\n"),
            1,
        );
        let checks = sign::verify_detached(&read("data.txt"), with.as_bytes(), &hashes);
        assert!(
            checks.as_ref().is_ok_and(|c| c.len() == 1 && c[0].valid),
            "{header:?}: {checks:?}"
        );
    }
    let key = String::from_utf8(read("hashes.cert")).unwrap_or_default();
    let with = key.replacen(
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n",
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment:\n",
        1,
    );
    assert!(keys::read_certs(with.as_bytes()).is_ok_and(|c| c.len() == 1));
    let message = String::from_utf8(read("dsa-elgamal-message.asc")).unwrap_or_default();
    let with = message.replacen(
        "-----BEGIN PGP MESSAGE-----\n",
        "-----BEGIN PGP MESSAGE-----\nComment:\n",
        1,
    );
    assert!(sealmark::openpgp::armor::dearmor(with.as_bytes()).is_ok());
}

// ----- 7. Older keys still in use ------------------------------------------

#[test]
fn elgamal_subkeys_decrypt_what_gnupg_sent_and_receive_what_we_send() {
    let secret = keys::read_secret_keys(&read("dsa-elgamal.key"))
        .unwrap_or_else(|e| panic!("{e}"))
        .remove(0);
    let cert = cert("dsa-elgamal.cert");
    let unlock = [UnlockKey {
        key: &secret,
        passphrase: None,
    }];
    let from_gnupg = message::decrypt(
        &read("dsa-elgamal-message.asc"),
        &message::DecryptOptions {
            keys: &unlock,
            verification: std::slice::from_ref(&cert),
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(from_gnupg.data, read("data.txt"));
    assert!(
        from_gnupg.signatures.len() == 1 && from_gnupg.signatures[0].valid,
        "{:?}",
        from_gnupg.signatures
    );
    let ours = encrypt_to(&cert).unwrap_or_else(|e| panic!("{e}"));
    let back = message::decrypt(
        &ours,
        &message::DecryptOptions {
            keys: &unlock,
            ..Default::default()
        },
    );
    assert_eq!(back.map(|d| d.data), Ok(b"hello".to_vec()));
    // Another key cannot open it.
    let other = keys::generate(&keys::GenerateOptions {
        user_ids: vec!["Other <other@example.org>".into()],
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let wrong = [UnlockKey {
        key: &other,
        passphrase: None,
    }];
    let refused = message::decrypt(
        &ours,
        &message::DecryptOptions {
            keys: &wrong,
            ..Default::default()
        },
    );
    assert_eq!(refused.err(), Some(OpenPgpError::CannotDecrypt));
}

#[test]
fn keys_can_be_generated_without_a_user_id() {
    for profile in [keys::Profile::Curve25519, keys::Profile::Rfc9580] {
        let key = keys::generate(&keys::GenerateOptions {
            profile,
            expires_in: Some(YEAR),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{profile:?}: {e}"));
        let cert = key.to_public_key();
        let info = keys::info(&cert, Some(&key));
        assert!(info.user_ids.is_empty(), "{profile:?}: {info:?}");
        assert!(info.can_encrypt && info.can_sign, "{profile:?}: {info:?}");
        assert!(info.primary.expires.is_some(), "{profile:?}: {info:?}");
        // It reads back, and it signs and encrypts.
        let armored = keys::armor_secret(&key).unwrap_or_default();
        assert!(keys::read_secret_keys(armored.as_bytes()).is_ok());
        let signers = [UnlockKey {
            key: &key,
            passphrase: None,
        }];
        let signature =
            sign::sign_detached(b"data", &signers, false, true).unwrap_or_else(|e| panic!("{e}"));
        let checks = sign::verify_detached(b"data", &signature, std::slice::from_ref(&cert));
        assert!(checks.is_ok_and(|c| c[0].valid), "{profile:?}");
        assert!(encrypt_to(&cert).is_ok());
    }
    // The command line too (SOP allows generate-key without a user ID).
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sealmark"))
        .arg("generate-key")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(keys::read_secret_keys(&out.stdout).is_ok_and(|k| k[0].details.users.is_empty()));
}

/// The cipher GnuPG reports for a message, after importing `key`.
fn gnupg_cipher(key: &[u8], ciphertext: &[u8]) -> Option<String> {
    // A home of its own per call: tests run in parallel threads, and a home
    // removed while the previous call's gpg-agent still holds it makes GnuPG fail.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let home = std::env::temp_dir().join(format!("sealmark-policy-{}-{call}", std::process::id()));
    let _ = std::fs::create_dir_all(&home);
    let run = |args: &[&str], input: &[u8]| {
        use std::io::Write;
        let mut child = std::process::Command::new("gpg")
            .arg("--homedir")
            .arg(&home)
            .args([
                "--batch",
                "--yes",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
            ])
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .ok()?;
        child.stdin.take()?.write_all(input).ok()?;
        child.wait_with_output().ok()
    };
    run(&["--import"], key)?;
    let out = run(&["--status-fd", "1", "--decrypt"], ciphertext)?;
    let _ = std::process::Command::new("gpgconf")
        .arg("--homedir")
        .arg(&home)
        .args(["--kill", "gpg-agent"])
        .status();
    let _ = std::fs::remove_dir_all(&home);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("[GNUPG:] DECRYPTION_INFO "))
        .and_then(|info| info.split(' ').nth(1).map(str::to_owned))
}

#[test]
fn the_recipients_preferred_strong_cipher_is_used() {
    // GnuPG's key prefers AES-128 only; OpenPGP numbers it 7 (AES-256 is 9).
    let key = read("prefers-aes128.key");
    let aes128 = cert("prefers-aes128.cert");
    let sent = encrypt_to(&aes128).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(gnupg_cipher(&key, &sent).as_deref(), Some("7"));
    // A key preferring only weak ciphers gets AES-256, never CAST5.
    let weak = cert("prefers-cast5.cert");
    let sent = encrypt_to(&weak).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        gnupg_cipher(&read("prefers-cast5.key"), &sent).as_deref(),
        Some("9")
    );
}

// ----- Why, as a code an interface says in its own language -----------------

#[test]
fn every_refusal_names_its_kind_as_a_code() {
    let hashes = [cert("hashes.cert")];
    assert_eq!(valid("hashes-sha256.sig", &hashes).reason_code, None);
    // The signature itself breaks a rule: its hash, its time, a critical part.
    for (sig, certs) in [
        ("hashes-sha1.sig", hashes.to_vec()),
        ("hashes-future.sig", hashes.to_vec()),
        ("critical-subpacket.sig", signer()),
    ] {
        assert_eq!(
            verify(sig, &certs).reason_code,
            Some("signature_policy"),
            "{sig}"
        );
    }
    // The key could not sign then: revoked, or its back signature expired.
    let revoked = [cert("revoked-compromised.cert")];
    assert_eq!(
        verify("revoked-compromised-after.sig", &revoked).reason_code,
        Some("signer_not_allowed")
    );
    let expired = [cert("back-signature-expires.cert")];
    assert_eq!(
        verify("back-signature-expired.sig", &expired).reason_code,
        Some("signer_not_allowed")
    );
    // Changed data, and a signer not at hand.
    let mut data = read("data.txt");
    data.push(b'!');
    let changed =
        sign::verify_detached(&data, &read("hashes-sha256.sig"), &hashes).unwrap_or_default();
    assert_eq!(
        changed.first().and_then(|c| c.reason_code),
        Some("bad_signature")
    );
    let stranger = sign::verify_detached(&read("data.txt"), &read("hashes-sha256.sig"), &[])
        .unwrap_or_default();
    assert_eq!(
        stranger.first().and_then(|c| c.reason_code),
        Some("unknown_signer")
    );
}
