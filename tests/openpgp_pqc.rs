//! Post-quantum OpenPGP (RFC 9980): the `rfc9980` key profile, ML-KEM-768+X25519
//! subkeys added to v4 and v6 keys, encryption to them alone and among
//! classic recipients, the RFC's own test vectors (`tests/corpus/openpgp/pqc/`),
//! rPGP's reader on what Sealmark writes, and the `sealmark` command line.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::sealmark_with as sealmark;

use pgp::composed::{Deserializable, SignedPublicKey, SignedSecretKey};
use pgp::types::KeyDetails;
use sealmark::openpgp::OpenPgpError;
use sealmark::openpgp::keys::{self, GenerateOptions, Profile};
use sealmark::openpgp::message::{self, DecryptOptions, EncryptOptions};
use sealmark::openpgp::unlock::UnlockKey;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/openpgp/pqc/");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{CORPUS}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn key(profile: Profile, uid: &str, passphrase: Option<&str>) -> SignedSecretKey {
    keys::generate(&GenerateOptions {
        user_ids: vec![uid.to_owned()],
        passphrase: passphrase.map(str::to_owned),
        profile,
        expires_in: None,
    })
    .unwrap_or_else(|e| panic!("generate {profile:?}: {e}"))
}

fn secret(name: &str) -> SignedSecretKey {
    keys::read_secret_keys(&fixture(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .remove(0)
}

fn cert(name: &str) -> SignedPublicKey {
    keys::read_certs(&fixture(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .remove(0)
}

fn encrypt_to(recipients: &[SignedPublicKey], data: &[u8]) -> Vec<u8> {
    message::encrypt(
        data,
        &EncryptOptions {
            recipients,
            armor: false,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("encrypt: {e}"))
}

fn decrypt(ciphertext: &[u8], key: &SignedSecretKey, passphrase: Option<&str>) -> Vec<u8> {
    try_decrypt(ciphertext, key, passphrase).unwrap_or_else(|e| panic!("decrypt: {e}"))
}

fn try_decrypt(
    ciphertext: &[u8],
    key: &SignedSecretKey,
    passphrase: Option<&str>,
) -> Result<Vec<u8>, OpenPgpError> {
    let keys = [UnlockKey { key, passphrase }];
    message::decrypt(
        ciphertext,
        &DecryptOptions {
            keys: &keys,
            ..Default::default()
        },
    )
    .map(|d| d.data)
}

/// The PKESKs at the start of a binary message: (version, public-key
/// algorithm, and for v3 the cleartext symmetric algorithm of an algorithm
/// 35 packet).
fn pkesks(message: &[u8]) -> Vec<(u8, u8, Option<u8>)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(&ctb) = message.get(at) {
        // New-format headers only (what rPGP and Sealmark write).
        assert_eq!(ctb & 0xC0, 0xC0, "new-format packet at {at}");
        let tag = ctb & 0x3F;
        let (len, header) = match message[at + 1] {
            first @ 0..=191 => (usize::from(first), 2),
            first @ 192..=223 => (
                (usize::from(first) - 192) * 256 + usize::from(message[at + 2]) + 192,
                3,
            ),
            255 => (
                u32::from_be_bytes([
                    message[at + 2],
                    message[at + 3],
                    message[at + 4],
                    message[at + 5],
                ]) as usize,
                6,
            ),
            _ => break,
        };
        if tag != 1 {
            break;
        }
        let body = &message[at + header..at + header + len];
        let entry = match body[0] {
            // version, key ID (8), algorithm; for algorithm 35: 32 + 1088
            // octets of ciphertexts, the length octet, the cipher.
            3 => (
                3,
                body[9],
                (body[9] == 35).then(|| body[10 + 32 + 1088 + 1]),
            ),
            // version, length, key version, fingerprint, algorithm.
            6 => (6, body[2 + usize::from(body[1])], None),
            other => (other, 0, None),
        };
        found.push(entry);
        at += header + len;
    }
    found
}

#[test]
fn the_rfc_sample_keys_are_read_with_their_post_quantum_subkeys() {
    for (name, fingerprint, subkey) in [
        (
            "v6-eddsa-sample-pk.asc",
            "C789E17D9DBDCA7B3C833A3C063FEB0353F80AD911FE27868FB0645DF803E947",
            "DAFE0EEBB2675ECFCDC20A23FE89CA5D12E83F527DFA354B6DCF662131A48B9D",
        ),
        (
            "v4-eddsa-sample-pk.asc",
            "342E5DB2DE345215CB2C944F7102FFED3B9CF12D",
            "E51DBFEA51936988B5428FFFA4F95F985ED61A51",
        ),
    ] {
        let info = keys::describe(&fixture(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .remove(0);
        assert_eq!(info.fingerprint, fingerprint, "{name}");
        assert_eq!(info.subkeys.len(), 1, "{name}");
        let sub = &info.subkeys[0];
        assert_eq!(sub.fingerprint, subkey, "{name}");
        assert_eq!(sub.algorithm, "ML-KEM-768+X25519", "{name}");
        assert!(sub.valid && sub.capabilities.encrypt, "{name}: {sub:?}");
        assert_eq!(sub.problem, None, "{name}");
        assert!(info.can_encrypt && info.can_sign, "{name}");
        assert!(info.skipped.is_empty(), "{name}: {:?}", info.skipped);
    }
    // A.3: an ML-DSA-65+Ed25519 primary key, the shape of Sequoia's keys.
    let info = keys::describe(&fixture("v6-mldsa-65-sample-pk.asc"))
        .unwrap_or_else(|e| panic!("{e}"))
        .remove(0);
    assert_eq!(info.primary.algorithm, "ML-DSA-65+Ed25519");
    assert!(info.primary.valid && info.can_sign && info.can_encrypt);
    // A.4 and A.5: ML-DSA-87+Ed448 with ML-KEM-1024+X448, SLH-DSA-SHAKE-128s.
    for (name, fingerprint, primary, subkey) in [
        (
            "v6-mldsa-87-sample-pk.asc",
            "0D7A8BE1410CD68EED4845AB487B4B4CFAECD8EBAD1A1166A84230499200EE20",
            "ML-DSA-87+Ed448",
            "ML-KEM-1024+X448",
        ),
        (
            "v6-slhdsa-128s-sample-pk.asc",
            "EED4D13FC36C78E48276A93233339C4DD230FD5F6F5C5B82C63D5C0B5E361D92",
            "SLH-DSA-SHAKE-128s",
            "ML-KEM-768+X25519",
        ),
    ] {
        let info = keys::describe(&fixture(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .remove(0);
        assert_eq!(info.fingerprint, fingerprint, "{name}");
        assert_eq!(info.primary.algorithm, primary, "{name}");
        assert_eq!(info.subkeys[0].algorithm, subkey, "{name}");
        assert!(
            info.primary.valid && info.can_sign && info.can_encrypt,
            "{name}"
        );
    }
    // Secret keys read too, with their certificates.
    for name in [
        "v6-eddsa-sample-sk.asc",
        "v4-eddsa-sample-sk.asc",
        "v6-mldsa-65-sample-sk.asc",
    ] {
        let entries = keys::split(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(entries[0].secret.is_some(), "{name}");
        assert!(entries[0].info.can_encrypt, "{name}");
    }
}

#[test]
fn the_rfc_sample_messages_decrypt_and_their_signatures_verify() {
    for (key, cert_name, message_name) in [
        (
            "v6-eddsa-sample-sk.asc",
            "v6-eddsa-sample-pk.asc",
            "v6-eddsa-sample-message.asc",
        ),
        (
            "v4-eddsa-sample-sk.asc",
            "v4-eddsa-sample-pk.asc",
            "v4-eddsa-sample-message-v1.asc",
        ),
        (
            "v4-eddsa-sample-sk.asc",
            "v4-eddsa-sample-pk.asc",
            "v4-eddsa-sample-message-v2.asc",
        ),
        (
            "v6-mldsa-65-sample-sk.asc",
            "v6-mldsa-65-sample-pk.asc",
            "v6-mldsa-65-sample-message.asc",
        ),
        (
            "v6-mldsa-87-sample-sk.asc",
            "v6-mldsa-87-sample-pk.asc",
            "v6-mldsa-87-sample-message.asc",
        ),
        (
            "v6-slhdsa-128s-sample-sk.asc",
            "v6-slhdsa-128s-sample-pk.asc",
            "v6-slhdsa-128s-sample-message.asc",
        ),
    ] {
        let secret = secret(key);
        let keys = [UnlockKey {
            key: &secret,
            passphrase: None,
        }];
        let verification = [cert(cert_name)];
        let decrypted = message::decrypt(
            &fixture(message_name),
            &DecryptOptions {
                keys: &keys,
                verification: &verification,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{message_name}: {e}"));
        assert_eq!(decrypted.data, b"Testing\n", "{message_name}");
        assert_eq!(decrypted.signatures.len(), 1, "{message_name}");
        let signature = &decrypted.signatures[0];
        assert!(
            signature.valid && signature.known,
            "{message_name}: {signature:?}"
        );
    }
}

#[test]
fn messages_to_the_rfc_sample_certificates_open_with_their_keys() {
    for (key, cert_name) in [
        ("v6-eddsa-sample-sk.asc", "v6-eddsa-sample-pk.asc"),
        ("v4-eddsa-sample-sk.asc", "v4-eddsa-sample-pk.asc"),
        ("v6-mldsa-65-sample-sk.asc", "v6-mldsa-65-sample-pk.asc"),
        ("v6-mldsa-87-sample-sk.asc", "v6-mldsa-87-sample-pk.asc"),
    ] {
        let ciphertext = encrypt_to(&[cert(cert_name)], b"to the RFC's key");
        assert!(
            pkesks(&ciphertext)
                .iter()
                .all(|(_, alg, _)| *alg == 35 || *alg == 36),
            "{cert_name}: {:?}",
            pkesks(&ciphertext)
        );
        assert_eq!(
            decrypt(&ciphertext, &secret(key), None),
            b"to the RFC's key",
            "{cert_name}"
        );
        // rPGP's own reader opens it too.
        let (sk, _) = SignedSecretKey::from_armor_single(std::io::Cursor::new(fixture(key)))
            .unwrap_or_else(|e| panic!("{key}: {e}"));
        let read =
            pgp::composed::Message::from_bytes(&ciphertext[..]).unwrap_or_else(|e| panic!("{e}"));
        let mut opened = read
            .decrypt(&pgp::types::Password::empty(), &sk)
            .unwrap_or_else(|e| panic!("rPGP decrypt {cert_name}: {e}"));
        assert_eq!(
            opened.as_data_vec().unwrap_or_default(),
            b"to the RFC's key"
        );
    }
}

#[test]
fn the_rfc9980_profile_makes_a_v6_key_with_an_ml_kem_subkey() {
    let alice = key(
        Profile::Rfc9980,
        "Alice <alice@example.org>",
        Some("pq pass"),
    );
    assert_eq!(alice.primary_key.version(), pgp::types::KeyVersion::V6);
    let info = keys::info(&alice.to_public_key(), Some(&alice));
    assert_eq!(info.version, 6);
    assert_eq!(info.primary.algorithm, "Ed25519");
    assert_eq!(info.subkeys.len(), 1);
    assert_eq!(info.subkeys[0].algorithm, "ML-KEM-768+X25519");
    assert!(info.subkeys[0].valid && info.subkeys[0].capabilities.encrypt);
    assert_eq!(info.protection, Some(keys::Protection::Argon2));
    assert!(keys::has_post_quantum_encryption(&alice.to_public_key()));

    // Armored and read back, by Sealmark and by rPGP.
    let armored = keys::armor_secret(&alice).unwrap_or_else(|e| panic!("{e}"));
    let (read, _) = SignedSecretKey::from_armor_single(armored.as_bytes())
        .unwrap_or_else(|e| panic!("rPGP reads the key: {e}"));
    read.verify_bindings()
        .unwrap_or_else(|e| panic!("rPGP verifies the bindings: {e}"));
    let alice = keys::read_secret_keys(armored.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"))
        .remove(0);

    // Signed and encrypted to itself: a v6 PKESK of algorithm 35, SEIPDv2.
    let signers = [UnlockKey {
        key: &alice,
        passphrase: Some("pq pass"),
    }];
    let ciphertext = message::encrypt(
        b"harvest now, decrypt never",
        &EncryptOptions {
            recipients: &[alice.to_public_key()],
            signers: &signers,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("encrypt: {e}"));
    assert_eq!(pkesks(&ciphertext), vec![(6, 35, None)]);
    let verification = [alice.to_public_key()];
    let keys_ = [UnlockKey {
        key: &alice,
        passphrase: Some("pq pass"),
    }];
    let decrypted = message::decrypt(
        &ciphertext,
        &DecryptOptions {
            keys: &keys_,
            verification: &verification,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("decrypt: {e}"));
    assert_eq!(decrypted.data, b"harvest now, decrypt never");
    assert!(decrypted.signatures.iter().all(|s| s.valid));
    assert!(matches!(
        try_decrypt(&ciphertext, &alice, Some("wrong")),
        Err(OpenPgpError::BadPassphrase(_))
    ));
    assert!(matches!(
        try_decrypt(&ciphertext, &alice, None),
        Err(OpenPgpError::KeyIsProtected(_))
    ));
}

#[test]
fn mixed_recipients_each_decrypt_and_the_pq_one_gets_an_ml_kem_pkesk() {
    let pq = key(Profile::Rfc9980, "PQ <pq@example.org>", None);
    let classic_v4 = key(Profile::Curve25519, "V4 <v4@example.org>", None);
    let classic_v6 = key(Profile::Rfc9580, "V6 <v6@example.org>", None);
    let rsa = key(Profile::Rsa3072, "RSA <rsa@example.org>", None);
    let data = b"one message, four kinds of key";

    // With a v4 recipient: SEIPDv1, v3 PKESKs, AES-256 named in the clear.
    let everyone = [
        pq.to_public_key(),
        classic_v4.to_public_key(),
        classic_v6.to_public_key(),
        rsa.to_public_key(),
    ];
    let ciphertext = encrypt_to(&everyone, data);
    let packets = pkesks(&ciphertext);
    assert_eq!(packets.len(), 4, "{packets:?}");
    assert!(packets.iter().all(|(version, _, _)| *version == 3));
    assert!(packets.contains(&(3, 35, Some(9))), "{packets:?}");
    for key in [&pq, &classic_v4, &classic_v6, &rsa] {
        assert_eq!(decrypt(&ciphertext, key, None), data);
    }

    // Only v6 recipients: SEIPDv2 and v6 PKESKs.
    let v6 = [classic_v6.to_public_key(), pq.to_public_key()];
    let ciphertext = encrypt_to(&v6, data);
    let packets = pkesks(&ciphertext);
    assert!(packets.contains(&(6, 35, None)) && packets.contains(&(6, 25, None)));
    for key in [&pq, &classic_v6] {
        assert_eq!(decrypt(&ciphertext, key, None), data);
    }
    // A key that was not a recipient cannot.
    assert!(try_decrypt(&ciphertext, &classic_v4, None).is_err());
}

#[test]
fn a_v4_key_gains_a_post_quantum_subkey_and_keeps_its_classic_one() {
    let old = key(
        Profile::Curve25519,
        "Veteran <veteran@example.org>",
        Some("v4 pass"),
    );
    let before = old.to_public_key();
    assert!(!keys::has_post_quantum_encryption(&before));
    assert!(matches!(
        keys::add_post_quantum_subkey(&old, None),
        Err(OpenPgpError::KeyIsProtected(_))
    ));
    assert!(matches!(
        keys::add_post_quantum_subkey(&old, Some("wrong")),
        Err(OpenPgpError::BadPassphrase(_))
    ));
    let updated = keys::add_post_quantum_subkey(&old, Some("v4 pass"))
        .unwrap_or_else(|e| panic!("add subkey: {e}"));
    assert_eq!(
        keys::fingerprint(&updated.primary_key),
        keys::fingerprint(&old.primary_key)
    );
    assert_eq!(updated.secret_subkeys.len(), 2);
    let new = &updated.secret_subkeys[1].key;
    assert_eq!(new.version(), pgp::types::KeyVersion::V4);
    let after = updated.to_public_key();
    let info = keys::info(&after, Some(&updated));
    assert_eq!(info.subkeys[1].algorithm, "ML-KEM-768+X25519");
    assert!(info.subkeys.iter().all(|s| s.valid), "{:?}", info.subkeys);
    // Locked like the rest: the iterated S2K of a v4 key, so GnuPG-style
    // tools still see one passphrase for the whole key.
    assert_eq!(info.protection, Some(keys::Protection::Iterated));
    assert!(keys::has_post_quantum_encryption(&after));

    // The certificate, armored, reads back (rPGP verifies its bindings too).
    let armored = keys::armor_cert(&after).unwrap_or_else(|e| panic!("{e}"));
    let (read, _) = SignedPublicKey::from_armor_single(armored.as_bytes())
        .unwrap_or_else(|e| panic!("rPGP reads the certificate: {e}"));
    read.verify_bindings()
        .unwrap_or_else(|e| panic!("rPGP verifies the bindings: {e}"));

    // Senders with the new certificate encrypt to the post-quantum subkey
    // only (v3 PKESK, algorithm 35, AES-256 — the key announces no SEIPDv2).
    let ciphertext = encrypt_to(std::slice::from_ref(&after), b"upgraded");
    assert_eq!(pkesks(&ciphertext), vec![(3, 35, Some(9))]);
    assert_eq!(decrypt(&ciphertext, &updated, Some("v4 pass")), b"upgraded");
    // The old key (without the new subkey) cannot open it.
    assert!(try_decrypt(&ciphertext, &old, Some("v4 pass")).is_err());
    // Senders with the old certificate (GnuPG 2.2, say) still reach the key.
    let classic = encrypt_to(&[before], b"from an old copy");
    assert_eq!(pkesks(&classic), vec![(3, 18, None)]);
    assert_eq!(
        decrypt(&classic, &updated, Some("v4 pass")),
        b"from an old copy"
    );
    // Merged into the old copy, the new subkey arrives.
    let merged = keys::merge(&old.to_public_key(), &after).unwrap_or_else(|e| panic!("{e}"));
    assert!(keys::has_post_quantum_encryption(&merged));
}

#[test]
fn a_v6_key_gains_a_post_quantum_subkey_locked_with_argon2() {
    let old = key(Profile::Rfc9580, "Six <six@example.org>", Some("six pass"));
    let updated = keys::add_post_quantum_subkey(&old, Some("six pass"))
        .unwrap_or_else(|e| panic!("add subkey: {e}"));
    let info = keys::info(&updated.to_public_key(), Some(&updated));
    assert_eq!(info.protection, Some(keys::Protection::Argon2));
    assert_eq!(
        updated.secret_subkeys[1].key.version(),
        pgp::types::KeyVersion::V6
    );
    let ciphertext = encrypt_to(&[updated.to_public_key()], b"v6 upgraded");
    assert_eq!(pkesks(&ciphertext), vec![(6, 35, None)]);
    assert_eq!(
        decrypt(&ciphertext, &updated, Some("six pass")),
        b"v6 upgraded"
    );
}

/// An RSA key with an ML-KEM-768+X25519 subkey and an X25519 (ECDH)
/// subkey, both made and bound in 2022 with SHA-1 bindings: old enough that the
/// classic one's SHA-1 binding is still believed, while RFC 9980 makes
/// every SHA-1 binding of a post-quantum subkey invalid.
fn sha1_bound_subkeys() -> SignedSecretKey {
    use pgp::composed::{KeyType, SignedSecretSubKey};
    use pgp::crypto::ecc_curve::ECCCurve;
    use pgp::crypto::hash::HashAlgorithm;
    use pgp::crypto::public_key::PublicKeyAlgorithm;
    use pgp::packet::{
        KeyFlags, PubKeyInner, PublicSubkey, SecretSubkey, SignatureConfig, SignatureType,
        Subpacket, SubpacketData,
    };
    use pgp::types::{Password, Timestamp};
    // RSA: rPGP does not make SHA-1 EdDSA signatures at all.
    let mut key = key(Profile::Rsa3072, "Old <old@example.org>", None);
    key.secret_subkeys.clear();
    let in_2022 = Timestamp::from_secs(1_650_000_000);
    let rng = rand::rngs::OsRng;
    for (key_type, algorithm) in [
        (KeyType::MlKem768X25519, PublicKeyAlgorithm::MlKem768X25519),
        (
            KeyType::ECDH(ECCCurve::Curve25519Legacy),
            PublicKeyAlgorithm::ECDH,
        ),
    ] {
        let (public, secret) = key_type.generate(rng).unwrap_or_else(|e| panic!("{e}"));
        let public = PubKeyInner::new(pgp::types::KeyVersion::V4, algorithm, in_2022, None, public)
            .and_then(PublicSubkey::from_inner)
            .unwrap_or_else(|e| panic!("{e}"));
        let subkey = SecretSubkey::new(public, secret).unwrap_or_else(|e| panic!("{e}"));
        let mut flags = KeyFlags::default();
        flags.set_encrypt_comms(true);
        flags.set_encrypt_storage(true);
        let mut config = SignatureConfig::v4(
            SignatureType::SubkeyBinding,
            PublicKeyAlgorithm::RSA,
            HashAlgorithm::Sha1,
        );
        config.hashed_subpackets = vec![
            Subpacket::regular(SubpacketData::SignatureCreationTime(in_2022))
                .unwrap_or_else(|e| panic!("{e}")),
            Subpacket::regular(SubpacketData::KeyFlags(flags)).unwrap_or_else(|e| panic!("{e}")),
            Subpacket::regular(SubpacketData::IssuerFingerprint(
                key.primary_key.fingerprint(),
            ))
            .unwrap_or_else(|e| panic!("{e}")),
        ];
        let binding = config
            .sign_subkey_binding(
                &key.primary_key,
                key.primary_key.public_key(),
                &Password::empty(),
                subkey.public_key(),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        key.secret_subkeys
            .push(SignedSecretSubKey::new(subkey, vec![binding]));
    }
    key
}

#[test]
fn a_post_quantum_subkey_bound_with_sha1_is_not_used() {
    let key = sha1_bound_subkeys();
    let cert = key.to_public_key();
    let info = keys::info(&cert, Some(&key));
    assert_eq!(info.subkeys[0].algorithm, "ML-KEM-768+X25519");
    assert!(!info.subkeys[0].valid, "{:?}", info.subkeys[0]);
    let problem = info.subkeys[0].problem.clone().unwrap_or_default();
    assert!(
        problem.contains("RFC 9980") && problem.contains("SHA-1"),
        "{problem}"
    );
    assert!(info.subkeys[1].valid, "{:?}", info.subkeys[1]);
    assert!(!keys::has_post_quantum_encryption(&cert));
    // Messages go to the classic subkey, the only one bound as RFC 9980 allows.
    let ciphertext = encrypt_to(&[cert], b"sha-1 binding");
    assert_eq!(pkesks(&ciphertext), vec![(3, 18, None)]);
}

#[test]
fn the_command_line_lists_generates_updates_and_uses_post_quantum_keys() {
    let listed = sealmark(&["list-profiles", "generate-key"], b"");
    assert!(listed.status.success());
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.lines().any(|l| l.starts_with("rfc9980: ")),
        "{listed}"
    );

    let generated = sealmark(
        &[
            "generate-key",
            "--profile",
            "rfc9980",
            "PQ <pq@example.org>",
        ],
        b"",
    );
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let info = keys::describe(&generated.stdout)
        .unwrap_or_else(|e| panic!("{e}"))
        .remove(0);
    assert_eq!(info.version, 6);
    assert_eq!(info.subkeys[0].algorithm, "ML-KEM-768+X25519");

    // update-key adds the subkey to a Curve25519 key, once.
    let classic = sealmark(&["generate-key", "Old <old@example.org>"], b"");
    assert!(classic.status.success());
    let updated = sealmark(&["update-key"], &classic.stdout);
    assert!(
        updated.status.success(),
        "{}",
        String::from_utf8_lossy(&updated.stderr)
    );
    let info = keys::describe(&updated.stdout)
        .unwrap_or_else(|e| panic!("{e}"))
        .remove(0);
    assert_eq!(info.version, 4);
    assert_eq!(info.subkeys.len(), 2);
    assert_eq!(info.subkeys[1].algorithm, "ML-KEM-768+X25519");
    let again = sealmark(&["update-key"], &updated.stdout);
    assert_eq!(
        keys::describe(&again.stdout)
            .unwrap_or_else(|e| panic!("{e}"))
            .remove(0)
            .subkeys
            .len(),
        2
    );
    let unchanged = sealmark(&["update-key", "--no-added-capabilities"], &classic.stdout);
    assert_eq!(
        keys::describe(&unchanged.stdout)
            .unwrap_or_else(|e| panic!("{e}"))
            .remove(0)
            .subkeys
            .len(),
        1
    );

    // Encrypt to both certificates and decrypt with each key, by file.
    let dir = std::env::temp_dir().join(format!("sealmark-pqc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    std::fs::write(path("pq.key"), &generated.stdout).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(path("old.key"), &updated.stdout).unwrap_or_else(|e| panic!("{e}"));
    for name in ["pq", "old"] {
        let cert = sealmark(
            &["extract-cert"],
            &std::fs::read(path(&format!("{name}.key"))).unwrap_or_default(),
        );
        std::fs::write(path(&format!("{name}.cert")), &cert.stdout)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let ciphertext = sealmark(
        &["encrypt", &path("pq.cert"), &path("old.cert")],
        b"both of you",
    );
    assert!(
        ciphertext.status.success(),
        "{}",
        String::from_utf8_lossy(&ciphertext.stderr)
    );
    for name in ["pq", "old"] {
        let plain = sealmark(
            &["decrypt", &path(&format!("{name}.key"))],
            &ciphertext.stdout,
        );
        assert!(
            plain.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&plain.stderr)
        );
        assert_eq!(plain.stdout, b"both of you");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Damaged post-quantum packets — every truncation of the sample
/// certificate and message, and single changed octets across the
/// ML-KEM key material, ciphertexts and wrapped session key — are refused
/// or skipped, never a panic, and never a decryption.
#[test]
fn damaged_post_quantum_packets_are_refused_without_panicking() {
    use sealmark::openpgp::armor::dearmor;
    let cert = dearmor(&fixture("v6-eddsa-sample-pk.asc")).unwrap_or_else(|e| panic!("{e}"));
    let message =
        dearmor(&fixture("v6-eddsa-sample-message.asc")).unwrap_or_else(|e| panic!("{e}"));
    let key = secret("v6-eddsa-sample-sk.asc");
    for end in (0..cert.len()).step_by(7) {
        let _ = keys::describe(&cert[..end]);
    }
    for at in (0..cert.len()).step_by(13) {
        let mut changed = cert.clone();
        changed[at] ^= 0x41;
        let _ = keys::describe(&changed);
        if let Ok(certs) = keys::read_certs(&changed) {
            let _ = message::encrypt(
                b"x",
                &EncryptOptions {
                    recipients: &certs,
                    ..Default::default()
                },
            );
        }
    }
    for end in (0..message.len()).step_by(5) {
        assert!(try_decrypt(&message[..end], &key, None).is_err(), "{end}");
    }
    // The v6 PKESK runs to about octet 1200: its header, the recipient, the
    // X25519 ciphertext, the ML-KEM ciphertext, the wrapped key.
    for at in (0..1_210.min(message.len())).step_by(3) {
        let mut changed = message.clone();
        changed[at] ^= 0x01;
        assert!(
            try_decrypt(&changed, &key, None).is_err(),
            "a changed octet {at} still decrypted"
        );
    }
}
