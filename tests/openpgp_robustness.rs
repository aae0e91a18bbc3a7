//! Hostile and broken input for the OpenPGP layer: typed errors, no panics,
//! bounded memory; and the negative cases where competitors went wrong.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::cases;
use proptest::prelude::*;
use sealmark::openpgp::armor::find_blocks;
use sealmark::openpgp::keys::{self, GenerateOptions, Profile};
use sealmark::openpgp::message::{self, DecryptOptions, EncryptOptions};
use sealmark::openpgp::unlock::UnlockKey;
use sealmark::openpgp::{OpenPgpError, sign};

fn generated(profile: Profile) -> pgp::composed::SignedSecretKey {
    keys::generate(&GenerateOptions {
        user_ids: vec!["T <t@example.org>".into()],
        profile,
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn every_parser(input: &[u8]) {
    let _ = keys::read_certs(input);
    let _ = keys::read_secret_keys(input);
    let _ = message::decrypt(
        input,
        &DecryptOptions {
            passwords: &["x".to_owned()],
            ..Default::default()
        },
    );
    let _ = message::read_signed(input, &[]);
    let _ = sign::verify_detached(b"data", input, &[]);
    let _ = sign::verify_cleartext(input, &[]);
    let _ = sign::inline_detach(input);
    let _ = sealmark::openpgp::armor::dearmor(input);
    let _ = find_blocks(&String::from_utf8_lossy(input));
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..2048)) {
        every_parser(&input);
    }

    #[test]
    fn packet_headers_with_any_length_never_panic(tag in 0u8..64, length in any::<u32>(), body in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut input = vec![0xC0 | tag, 0xFF];
        input.extend_from_slice(&length.to_be_bytes());
        input.extend_from_slice(&body);
        every_parser(&input);
    }

    #[test]
    fn mangled_armor_never_panics(cut in 0usize..600, flip in 0usize..600, byte in any::<u8>()) {
        let armored = MESSAGE.with(|m| m.clone());
        let mut bytes = armored.into_bytes();
        if let Some(b) = bytes.get_mut(flip) { *b = byte; }
        bytes.truncate(bytes.len().saturating_sub(cut));
        every_parser(&bytes);
    }

    #[test]
    fn armor_text_soup_never_panics(lines in proptest::collection::vec(prop_oneof![
        Just("-----BEGIN PGP MESSAGE-----".to_owned()), Just("-----END PGP MESSAGE-----".to_owned()),
        Just("-----BEGIN PGP SIGNED MESSAGE-----".to_owned()), Just("-----BEGIN PGP SIGNATURE-----".to_owned()),
        Just("-----END PGP SIGNATURE-----".to_owned()), Just("Hash: SHA512".to_owned()), Just("=AbCd".to_owned()),
        Just("> ".to_owned()), Just(String::new()), "[A-Za-z0-9+/=]{0,80}", "[ -~\u{a0}]{0,40}",
    ], 0..30)) {
        every_parser(lines.join("\n").as_bytes());
    }
}

const KEYED_TEXT: &[u8] = &[b'k'; 3000];

/// A key and a binary message to it, its container in partial lengths of 512
/// octets (how GnuPG streams): SEIPDv1 for the v4 key, SEIPDv2-GCM for v6.
fn keyed_message(profile: Profile) -> (pgp::composed::SignedSecretKey, Vec<u8>) {
    use pgp::crypto::{aead::AeadAlgorithm, aead::ChunkSize, sym::SymmetricKeyAlgorithm};
    let key = generated(profile);
    let recipient = key.secret_subkeys[0].key.public_key();
    let mut rng = rand::thread_rng();
    let source =
        pgp::composed::MessageBuilder::from_reader("", std::io::Cursor::new(KEYED_TEXT.to_vec()));
    // The two container versions are different builder types with the same steps.
    macro_rules! streamed {
        ($builder:expr) => {{
            let mut builder = $builder;
            builder
                .partial_chunk_size(512)
                .unwrap_or_else(|e| panic!("{e}"));
            builder
                .encrypt_to_key(&mut rng, &recipient)
                .unwrap_or_else(|e| panic!("{e}"));
            builder.to_vec(&mut rng)
        }};
    }
    let message = if profile == Profile::Rfc9580 {
        streamed!(source.seipd_v2(
            &mut rng,
            SymmetricKeyAlgorithm::AES256,
            AeadAlgorithm::Gcm,
            ChunkSize::C256KiB
        ))
    } else {
        streamed!(source.seipd_v1(&mut rng, SymmetricKeyAlgorithm::AES256))
    };
    (key, message.unwrap_or_else(|e| panic!("{e}")))
}

proptest! {
    #![proptest_config(cases(256))]

    /// Decrypted where it lies, a damaged message to our own key never
    /// panics and never yields anything but what was sent.
    #[test]
    fn damaged_messages_to_our_key_never_panic_nor_lie(v6 in any::<bool>(), cut in 0usize..400, flip in 0usize..4000, byte in any::<u8>()) {
        let (key, mut message) = KEYED.with(|keyed| keyed[usize::from(v6)].clone());
        if let Some(b) = message.get_mut(flip) { *b = byte; }
        message.truncate(message.len().saturating_sub(cut));
        let unlock = [UnlockKey { key: &key, passphrase: None }];
        if let Ok(decrypted) = message::decrypt(&message, &DecryptOptions { keys: &unlock, ..Default::default() }) {
            prop_assert_eq!(decrypted.data, KEYED_TEXT.to_vec());
        }
    }
}

#[test]
fn keyed_messages_decrypt_when_whole() {
    KEYED.with(|keyed| {
        for (key, message) in keyed {
            let unlock = [UnlockKey {
                key,
                passphrase: None,
            }];
            let decrypted = message::decrypt(
                message,
                &DecryptOptions {
                    keys: &unlock,
                    ..Default::default()
                },
            );
            assert_eq!(decrypted.map(|d| d.data), Ok(KEYED_TEXT.to_vec()));
        }
    });
}

/// Every octet of the packet headers (PKESK or SKESK, container header with
/// its cipher, AEAD and chunk-size octets) set to values no writer uses: an
/// error or the message sent, never a panic. rPGP panicked on an unknown AEAD
/// algorithm in an SEIPDv2 header, which the random cases above found once.
fn damage_every_header_octet(message: &[u8], options: &DecryptOptions<'_>) {
    for at in 0..message.len().min(200) {
        for value in [0u8, 1, 2, 3, 4, 7, 0x20, 0x7f, 0xfe, 0xff] {
            let mut damaged = message.to_vec();
            damaged[at] = value;
            if let Ok(decrypted) = message::decrypt(&damaged, options) {
                assert_eq!(decrypted.data, KEYED_TEXT, "octet {at} set to {value}");
            }
        }
    }
}

#[test]
fn every_header_octet_damaged_is_an_error_not_a_panic() {
    KEYED.with(|keyed| {
        for (key, message) in keyed {
            let unlock = [UnlockKey {
                key,
                passphrase: None,
            }];
            let options = DecryptOptions {
                keys: &unlock,
                ..Default::default()
            };
            damage_every_header_octet(message, &options);
        }
    });
}

/// The same for a password message in both containers (SKESK v4 and v6; an
/// inexpensive S2K, so that two thousand attempts stay quick).
#[test]
fn every_header_octet_of_a_password_message_damaged_is_an_error_not_a_panic() {
    use pgp::composed::MessageBuilder;
    use pgp::crypto::aead::{AeadAlgorithm, ChunkSize};
    use pgp::crypto::hash::HashAlgorithm;
    use pgp::crypto::sym::SymmetricKeyAlgorithm;
    use pgp::types::{Password, StringToKey};

    let mut rng = rand::thread_rng();
    let password = Password::from("pw");
    let s2k =
        |rng: &mut rand::rngs::ThreadRng| StringToKey::new_iterated(rng, HashAlgorithm::Sha256, 1);
    let source = || MessageBuilder::from_bytes("", KEYED_TEXT.to_vec());
    let mut v2 = source().seipd_v2(
        &mut rng,
        SymmetricKeyAlgorithm::AES128,
        AeadAlgorithm::Ocb,
        ChunkSize::default(),
    );
    let key_s2k = s2k(&mut rng);
    v2.encrypt_with_password(&mut rng, key_s2k, &password)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut v1 = source().seipd_v1(&mut rng, SymmetricKeyAlgorithm::AES128);
    v1.encrypt_with_password(s2k(&mut rng), &password)
        .unwrap_or_else(|e| panic!("{e}"));
    let passwords = ["pw".to_owned()];
    let options = DecryptOptions {
        passwords: &passwords,
        ..Default::default()
    };
    for message in [v2.to_vec(&mut rng), v1.to_vec(&mut rng)] {
        let message = message.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            message::decrypt(&message, &options).map(|d| d.data),
            Ok(KEYED_TEXT.to_vec())
        );
        damage_every_header_octet(&message, &options);
    }
}

/// Every octet of a certificate and of a secret key (both profiles) set to
/// values no writer uses, then the keys read and used as the extension would:
/// described, encrypted to, signed with. An error or a working key, never a
/// panic (rPGP decodes points, MPIs and subpackets from these octets).
#[test]
fn every_key_octet_damaged_is_an_error_not_a_panic() {
    use pgp::ser::Serialize;
    for profile in [Profile::Curve25519, Profile::Rfc9580] {
        let key = generated(profile);
        let secret = key.to_bytes().unwrap_or_else(|e| panic!("{e}"));
        let cert = key
            .to_public_key()
            .to_bytes()
            .unwrap_or_else(|e| panic!("{e}"));
        for (bytes, is_secret) in [(cert, false), (secret, true)] {
            // Damage that leaves a readable key (unsigned octets) must happen,
            // or the use below is never tried.
            let mut still_read = 0;
            for at in 0..bytes.len() {
                let original = bytes[at];
                for value in [0u8, 0xff, original.wrapping_add(1)] {
                    let mut damaged = bytes.clone();
                    damaged[at] = value;
                    if is_secret {
                        for key in keys::read_secret_keys(&damaged).unwrap_or_default() {
                            still_read += 1;
                            let _ = keys::info(&key.to_public_key(), Some(&key));
                            let unlock = [UnlockKey {
                                key: &key,
                                passphrase: None,
                            }];
                            let _ = sign::sign_detached(b"data", &unlock, false, false);
                        }
                    } else if let Ok(certs) = keys::read_certs(&damaged) {
                        still_read += 1;
                        for cert in &certs {
                            let _ = keys::info(cert, None);
                        }
                        let _ = message::encrypt(
                            b"data",
                            &EncryptOptions {
                                recipients: &certs,
                                ..Default::default()
                            },
                        );
                    }
                }
            }
            assert!(still_read > 0, "{profile:?}: no damaged key was still read");
        }
    }
}

thread_local! {
    static KEYED: [(pgp::composed::SignedSecretKey, Vec<u8>); 2] =
        [keyed_message(Profile::Curve25519), keyed_message(Profile::Rfc9580)];
    static MESSAGE: String = {
        let passwords = ["pw".to_owned()];
        String::from_utf8(message::encrypt(b"hello", &EncryptOptions { passwords: &passwords, armor: true, ..Default::default() }).unwrap_or_default()).unwrap_or_default()
    };
}

#[test]
fn a_compression_bomb_stays_within_the_limit() {
    use pgp::composed::MessageBuilder;
    use pgp::crypto::sym::SymmetricKeyAlgorithm;
    use pgp::types::{CompressionAlgorithm, Password, StringToKey};
    let mut builder = MessageBuilder::from_bytes("", vec![0u8; 16 * 1024 * 1024])
        .seipd_v1(rand::rngs::OsRng, SymmetricKeyAlgorithm::AES256);
    builder.compression(CompressionAlgorithm::ZLIB);
    let s2k = StringToKey::new_iterated(
        rand::rngs::OsRng,
        pgp::crypto::hash::HashAlgorithm::Sha256,
        96,
    );
    builder
        .encrypt_with_password(s2k, &Password::from("pw"))
        .unwrap_or_else(|e| panic!("{e}"));
    let bomb = builder.to_vec(rand::rngs::OsRng).unwrap_or_default();
    assert!(
        bomb.len() < 100_000,
        "the bomb is small: {} bytes",
        bomb.len()
    );
    let passwords = ["pw".to_owned()];
    let result = message::decrypt(
        &bomb,
        &DecryptOptions {
            passwords: &passwords,
            max_plaintext: Some(1024 * 1024),
            ..Default::default()
        },
    );
    assert!(
        matches!(
            result,
            Err(OpenPgpError::PlaintextTooLarge { limit: 1_048_576 })
        ),
        "{result:?}"
    );
}

#[test]
fn a_modified_aead_chunk_is_refused() {
    let bob = generated(Profile::Rfc9580);
    let recipients = [bob.to_public_key()];
    let mut ciphertext = message::encrypt(
        &[42u8; 10_000],
        &EncryptOptions {
            recipients: &recipients,
            ..Default::default()
        },
    )
    .unwrap_or_default();
    let index = ciphertext.len() - 500;
    if let Some(byte) = ciphertext.get_mut(index) {
        *byte ^= 0x80;
    }
    let keys = [UnlockKey {
        key: &bob,
        passphrase: None,
    }];
    let result = message::decrypt(
        &ciphertext,
        &DecryptOptions {
            keys: &keys,
            ..Default::default()
        },
    );
    assert_eq!(result.map(|d| d.data.len()), Err(OpenPgpError::Tampered));
}

#[test]
fn truncated_armor_is_a_clear_error() {
    let armored = MESSAGE.with(|m| m.clone());
    let truncated = armored.get(..armored.len() / 2).unwrap_or_default();
    let result = message::decrypt(
        truncated.as_bytes(),
        &DecryptOptions {
            passwords: &["pw".to_owned()],
            ..Default::default()
        },
    );
    assert!(
        matches!(result, Err(OpenPgpError::BadArmor(_))),
        "{result:?}"
    );
}

#[test]
fn a_signed_message_with_altered_data_is_not_valid() {
    let alice = generated(Profile::Curve25519);
    let certs = [alice.to_public_key()];
    let signers = [UnlockKey {
        key: &alice,
        passphrase: None,
    }];
    let mut signed =
        sign::sign_inline(b"pay 100 EUR to Bob", &signers, false, false).unwrap_or_default();
    let position = signed.windows(3).position(|w| w == b"100").unwrap_or(0);
    if let Some(byte) = signed.get_mut(position) {
        *byte = b'9';
    }
    let read = message::read_signed(&signed, &certs).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read.data, b"pay 900 EUR to Bob");
    assert!(
        read.signatures.iter().all(|s| !s.valid),
        "{:?}",
        read.signatures
    );
}

#[test]
fn signatures_by_revoked_keys_are_not_valid() {
    let alice = generated(Profile::Curve25519);
    let signers = [UnlockKey {
        key: &alice,
        passphrase: None,
    }];
    let signature = sign::sign_detached(b"statement", &signers, false, true).unwrap_or_default();
    let revoked = keys::revoke(&alice, None, "key compromised")
        .map(|r| r.revoked)
        .unwrap_or_else(|e| panic!("{e}"));
    let checks = sign::verify_detached(b"statement", &signature, &[revoked]).unwrap_or_default();
    assert!(!checks[0].valid && checks[0].known);
    assert!(
        checks[0]
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("revoked"),
        "{checks:?}"
    );
}

#[test]
fn expired_recipients_are_refused_by_name() {
    let secret = keys::generate(&GenerateOptions {
        user_ids: vec!["Short <short@example.org>".into()],
        expires_in: Some(1),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let recipients = [secret.to_public_key()];
    match message::encrypt(
        b"x",
        &EncryptOptions {
            recipients: &recipients,
            ..Default::default()
        },
    ) {
        Err(OpenPgpError::KeyExpired { fingerprint, .. }) => {
            assert_eq!(fingerprint, keys::fingerprint(&secret.primary_key))
        }
        other => panic!("expected KeyExpired, got {other:?}"),
    }
    let signers = [UnlockKey {
        key: &secret,
        passphrase: None,
    }];
    assert!(matches!(
        sign::sign_detached(b"x", &signers, false, true),
        Err(OpenPgpError::KeyExpired { .. })
    ));
}

/// rPGP's secret-key reader accepts a v6 key whose public key material is
/// empty, which its public-key reader refuses: the key was imported, and its
/// certificate could never be read back (found by the `keys` fuzz target;
/// the input it found is `tests/fuzz/regressions/keys/`).
#[test]
fn a_v6_secret_key_without_key_material_is_refused() {
    // Secret-Key packet: v6, a creation time, algorithm 0, key material
    // length 0, S2K usage 0 (unprotected).
    let packet = [0xc5, 0x0b, 6, 0x6b, 0x11, 0, 0, 0, 0, 0, 0, 0, 0];
    let armored = sealmark::openpgp::armor::armor_bytes(&packet).unwrap_or_default();
    for input in [&packet[..], armored.as_bytes()] {
        for result in [
            keys::read_secret_keys(input).map(|_| ()),
            keys::read_certs(input).map(|_| ()),
            keys::split(input).map(|_| ()),
        ] {
            match result {
                Err(OpenPgpError::BadKey(message)) => {
                    assert!(message.contains("holds no key material"), "{message}")
                }
                other => panic!("expected BadKey, got {other:?}"),
            }
        }
    }
}
