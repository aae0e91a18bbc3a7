//! The OpenPGP core end to end: keys, semantics, encryption, signatures.
#![cfg(not(target_arch = "wasm32"))]

use sealmark::openpgp::OpenPgpError;
use sealmark::openpgp::keys::{self, GenerateOptions, Profile};
use sealmark::openpgp::message::{self, DecryptOptions, EncryptOptions};
use sealmark::openpgp::sign;
use sealmark::openpgp::unlock::UnlockKey;
use sealmark::openpgp::validity::{CertView, now};

fn key(profile: Profile, uid: &str, passphrase: Option<&str>) -> pgp::composed::SignedSecretKey {
    keys::generate(&GenerateOptions {
        user_ids: vec![uid.to_owned()],
        passphrase: passphrase.map(str::to_owned),
        profile,
        expires_in: None,
    })
    .unwrap_or_else(|e| panic!("generate {profile:?}: {e}"))
}

#[test]
fn generated_keys_describe_themselves() {
    for (profile, version) in [
        (Profile::Curve25519, 4),
        (Profile::Rfc9580, 6),
        (Profile::Rsa3072, 4),
    ] {
        let secret = key(profile, "Alice <alice@example.org>", Some("correct horse"));
        secret
            .verify_bindings()
            .unwrap_or_else(|e| panic!("{profile:?} self-signatures: {e}"));
        let cert = secret.to_public_key();
        let info = keys::info(&cert, Some(&secret));
        assert_eq!(info.version, version);
        assert_eq!(info.user_ids, ["Alice <alice@example.org>"]);
        assert!(
            info.locked && info.secret && info.can_encrypt && info.can_sign,
            "{info:?}"
        );
        assert_eq!(info.subkeys.len(), 1);
        assert!(info.subkeys[0].capabilities.encrypt);
        assert!(info.primary.capabilities.sign && info.primary.capabilities.certify);
        assert_eq!(info.fingerprint.len(), if version == 6 { 64 } else { 40 });
    }
}

#[test]
fn armored_keys_read_back_and_secret_keys_give_certificates() {
    let secret = key(Profile::Curve25519, "Bob <bob@example.net>", None);
    let armored_secret = keys::armor_secret(&secret).unwrap_or_default();
    let armored_cert = keys::armor_cert(&secret.to_public_key()).unwrap_or_default();
    assert!(armored_cert.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
    let both = format!(
        "{armored_cert}\n{}",
        keys::armor_cert(&key(Profile::Curve25519, "C <c@example.org>", None).to_public_key())
            .unwrap_or_default()
    );
    assert_eq!(keys::read_certs(both.as_bytes()).map(|c| c.len()), Ok(2));
    assert_eq!(
        keys::read_secret_keys(armored_secret.as_bytes()).map(|k| k.len()),
        Ok(1)
    );
    assert_eq!(
        keys::read_certs(armored_secret.as_bytes()).map(|c| c.len()),
        Ok(1)
    );
    assert!(matches!(
        keys::read_secret_keys(armored_cert.as_bytes()),
        Err(OpenPgpError::WrongKeyKind(_))
    ));
    assert!(matches!(
        keys::read_certs(b"not a key"),
        Err(OpenPgpError::BadKey(_))
    ));
}

#[test]
fn encrypt_sign_decrypt_verify_v4_and_v6() {
    for profile in [Profile::Curve25519, Profile::Rfc9580, Profile::Rsa3072] {
        let alice = key(profile, "Alice <alice@example.org>", Some("alice pass"));
        let bob = key(profile, "Bob <bob@example.net>", Some("bob pass"));
        let recipients = [bob.to_public_key(), alice.to_public_key()];
        let signers = [UnlockKey {
            key: &alice,
            passphrase: Some("alice pass"),
        }];
        let ciphertext = message::encrypt(
            "Grüße, Bob".as_bytes(),
            &EncryptOptions {
                recipients: &recipients,
                signers: &signers,
                armor: true,
                text: true,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("encrypt {profile:?}: {e}"));
        assert!(ciphertext.starts_with(b"-----BEGIN PGP MESSAGE-----"));

        let keys = [UnlockKey {
            key: &bob,
            passphrase: Some("bob pass"),
        }];
        let verification = [alice.to_public_key()];
        let decrypted = message::decrypt(
            &ciphertext,
            &DecryptOptions {
                keys: &keys,
                verification: &verification,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("decrypt {profile:?}: {e}"));
        assert_eq!(decrypted.data, "Grüße, Bob".as_bytes());
        assert_eq!(decrypted.signatures.len(), 1);
        let signature = &decrypted.signatures[0];
        assert!(signature.valid && signature.known, "{signature:?}");
        assert_eq!(
            signature.signer.as_deref(),
            Some(keys::fingerprint(&alice.primary_key).as_str())
        );

        // The sender's own copy decrypts with the sender's key.
        let own = [UnlockKey {
            key: &alice,
            passphrase: Some("alice pass"),
        }];
        assert!(
            message::decrypt(
                &ciphertext,
                &DecryptOptions {
                    keys: &own,
                    ..Default::default()
                }
            )
            .is_ok()
        );
    }
}

#[test]
fn passphrase_errors_say_what_is_wrong() {
    let bob = key(Profile::Curve25519, "Bob <bob@example.net>", Some("right"));
    let recipients = [bob.to_public_key()];
    let ciphertext = message::encrypt(
        b"x",
        &EncryptOptions {
            recipients: &recipients,
            armor: true,
            ..Default::default()
        },
    )
    .unwrap_or_default();
    let wrong = [UnlockKey {
        key: &bob,
        passphrase: Some("wrong"),
    }];
    assert!(matches!(
        message::decrypt(
            &ciphertext,
            &DecryptOptions {
                keys: &wrong,
                ..Default::default()
            }
        ),
        Err(OpenPgpError::BadPassphrase(_))
    ));
    let missing = [UnlockKey {
        key: &bob,
        passphrase: None,
    }];
    assert!(matches!(
        message::decrypt(
            &ciphertext,
            &DecryptOptions {
                keys: &missing,
                ..Default::default()
            }
        ),
        Err(OpenPgpError::KeyIsProtected(_))
    ));
    let stranger = key(Profile::Curve25519, "Eve <eve@example.com>", None);
    let other = [UnlockKey {
        key: &stranger,
        passphrase: None,
    }];
    assert_eq!(
        message::decrypt(
            &ciphertext,
            &DecryptOptions {
                keys: &other,
                ..Default::default()
            }
        ),
        Err(OpenPgpError::CannotDecrypt)
    );
}

#[test]
fn signatures_by_unknown_keys_are_never_valid() {
    let alice = key(Profile::Curve25519, "Alice <alice@example.org>", None);
    let bob = key(Profile::Curve25519, "Bob <bob@example.net>", None);
    let recipients = [bob.to_public_key()];
    let signers = [UnlockKey {
        key: &alice,
        passphrase: None,
    }];
    let ciphertext = message::encrypt(
        b"hello",
        &EncryptOptions {
            recipients: &recipients,
            signers: &signers,
            ..Default::default()
        },
    )
    .unwrap_or_default();
    let keys = [UnlockKey {
        key: &bob,
        passphrase: None,
    }];
    let decrypted = message::decrypt(
        &ciphertext,
        &DecryptOptions {
            keys: &keys,
            ..Default::default()
        },
    )
    .map_err(|e| e.to_string());
    let signatures = decrypted.map(|d| d.signatures).unwrap_or_default();
    assert_eq!(signatures.len(), 1);
    assert!(!signatures[0].valid && !signatures[0].known);
    assert_eq!(
        signatures[0].reason.as_deref(),
        Some("signed by a key you do not have")
    );
}

#[test]
fn password_encryption() {
    let passwords = ["hunter2".to_owned()];
    let ciphertext = message::encrypt(
        b"by password",
        &EncryptOptions {
            passwords: &passwords,
            armor: true,
            ..Default::default()
        },
    )
    .unwrap_or_default();
    let decrypted = message::decrypt(
        &ciphertext,
        &DecryptOptions {
            passwords: &passwords,
            ..Default::default()
        },
    );
    assert_eq!(decrypted.map(|d| d.data), Ok(b"by password".to_vec()));
    let wrong = ["hunter3".to_owned()];
    assert!(
        message::decrypt(
            &ciphertext,
            &DecryptOptions {
                passwords: &wrong,
                ..Default::default()
            }
        )
        .is_err()
    );
}

/// Text typed in a browser or read from a Unix file has bare LFs; as a text
/// literal it is stored with CRLF (RFC 9580 §5.9). rPGP refused such text, so
/// encrypting any multi-line string failed with an internal error.
#[test]
fn text_with_unix_line_endings_is_encrypted_and_signed() {
    let text = "Dear Bob,\nline two \n\nbye\n";
    let stored = b"Dear Bob,\r\nline two \r\n\r\nbye\r\n".to_vec();
    for profile in [Profile::Curve25519, Profile::Rfc9580] {
        let bob = key(profile, "Bob <bob@example.net>", None);
        let recipients = [bob.to_public_key()];
        let signers = [UnlockKey {
            key: &bob,
            passphrase: None,
        }];
        let passwords = ["pw".to_owned()];
        // SEIPDv1 or SEIPDv2-GCM sealed by the core; with a password, rPGP's whole.
        for passwords in [&[][..], &passwords[..]] {
            let ciphertext = message::encrypt(
                text.as_bytes(),
                &EncryptOptions {
                    recipients: &recipients,
                    signers: &signers,
                    passwords,
                    text: true,
                    ..Default::default()
                },
            )
            .map_err(|e| e.to_string());
            let decrypted = ciphertext.and_then(|c| {
                message::decrypt(
                    &c,
                    &DecryptOptions {
                        keys: &signers,
                        verification: &recipients,
                        ..Default::default()
                    },
                )
                .map_err(|e| e.to_string())
            });
            assert_eq!(
                decrypted.map(|d| (d.data, d.signatures.iter().all(|s| s.valid))),
                Ok((stored.clone(), true)),
                "{profile:?}, {} password(s)",
                passwords.len()
            );
        }
        let signed = sign::sign_inline(text.as_bytes(), &signers, true, false)
            .and_then(|m| message::read_signed(&m, &recipients));
        assert_eq!(
            signed.map(|d| (d.data, d.signatures.iter().all(|s| s.valid))),
            Ok((stored.clone(), true)),
            "{profile:?} inline-signed"
        );
    }
}

#[test]
fn tampered_ciphertext_is_refused() {
    let bob = key(Profile::Curve25519, "Bob <bob@example.net>", None);
    let recipients = [bob.to_public_key()];
    let mut binary = message::encrypt(
        &[7u8; 4000],
        &EncryptOptions {
            recipients: &recipients,
            ..Default::default()
        },
    )
    .unwrap_or_default();
    let middle = binary.len() - 100;
    binary[middle] ^= 0x01;
    let keys = [UnlockKey {
        key: &bob,
        passphrase: None,
    }];
    let result = message::decrypt(
        &binary,
        &DecryptOptions {
            keys: &keys,
            ..Default::default()
        },
    );
    assert!(
        matches!(
            result,
            Err(OpenPgpError::Tampered | OpenPgpError::BadMessage(_))
        ),
        "{result:?}"
    );
}

#[test]
fn expiry_and_revocation_semantics() {
    let secret = keys::generate(&GenerateOptions {
        user_ids: vec!["Old <old@example.org>".into()],
        expires_in: Some(3600),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let cert = secret.to_public_key();
    assert!(CertView::new(&cert, now()).check_usable().is_ok());
    let later = CertView::new(&cert, now() + 7200);
    assert!(matches!(
        later.check_usable(),
        Err(OpenPgpError::KeyExpired { .. })
    ));
    assert!(later.encryption_keys().is_empty());
    let info = keys::info(&cert, None);
    assert!(info.primary.expires.is_some());
}

#[test]
fn detached_and_cleartext_signatures() {
    let alice = key(Profile::Curve25519, "Alice <alice@example.org>", None);
    let certs = [alice.to_public_key()];
    let signers = [UnlockKey {
        key: &alice,
        passphrase: None,
    }];
    let signature =
        sign::sign_detached(b"line one\nline two\n", &signers, true, true).unwrap_or_default();
    let checks =
        sign::verify_detached(b"line one\r\nline two\r\n", &signature, &certs).unwrap_or_default();
    assert!(
        checks.iter().all(|c| c.valid) && checks.len() == 1,
        "{checks:?}"
    );
    let tampered =
        sign::verify_detached(b"line one\nline 2\n", &signature, &certs).unwrap_or_default();
    assert!(!tampered[0].valid);

    let signed = sign::sign_cleartext("Hello\n- dashed\nBye", &signers).unwrap_or_default();
    assert!(signed.starts_with("-----BEGIN PGP SIGNED MESSAGE-----"));
    let verified = sign::verify_cleartext(signed.as_bytes(), &certs).map_err(|e| e.to_string());
    let verified = verified.unwrap_or_else(|e| panic!("{e}"));
    assert!(verified.signatures[0].valid);
    assert!(verified.text.contains("- dashed"));

    let smuggled = signed.replacen("Hash: ", "Malicious: text\nHash: ", 1);
    assert!(matches!(
        sign::verify_cleartext(smuggled.as_bytes(), &certs),
        Err(OpenPgpError::BadArmor(_))
    ));
    let altered = signed.replace("Hello", "Hallo");
    let checks = sign::verify_cleartext(altered.as_bytes(), &certs)
        .map(|v| v.signatures)
        .unwrap_or_default();
    assert!(!checks[0].valid);

    let (text, signatures) = sign::inline_detach(signed.as_bytes()).unwrap_or_default();
    let checks = sign::verify_detached(&text, &signatures, &certs).unwrap_or_default();
    assert!(checks[0].valid, "{checks:?}");
}

#[test]
fn passphrase_change() {
    let secret = key(Profile::Curve25519, "A <a@example.org>", Some("old"));
    let changed = keys::change_passphrase(&secret, Some("old"), Some("new"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        keys::change_passphrase(&secret, Some("bad"), Some("x")),
        Err(OpenPgpError::BadPassphrase(_))
    ));
    let signers = [UnlockKey {
        key: &changed,
        passphrase: Some("new"),
    }];
    assert!(sign::sign_detached(b"x", &signers, false, true).is_ok());
    let stale = [UnlockKey {
        key: &changed,
        passphrase: Some("old"),
    }];
    assert!(matches!(
        sign::sign_detached(b"x", &stale, false, true),
        Err(OpenPgpError::BadPassphrase(_))
    ));
}

#[test]
fn revocation_makes_a_key_unusable_and_merges_into_old_copies() {
    let secret = key(Profile::Curve25519, "Gone <gone@example.org>", Some("pw"));
    let old_copy = secret.to_public_key();
    let revocation =
        keys::revoke(&secret, Some("pw"), "moved to a new key").unwrap_or_else(|e| panic!("{e}"));
    assert!(
        revocation
            .certificate
            .starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----")
    );
    let merged = keys::merge(&old_copy, &revocation.revoked).unwrap_or_else(|e| panic!("{e}"));
    match CertView::new(&merged, now()).check_usable() {
        Err(OpenPgpError::KeyRevoked { reason, .. }) => assert_eq!(reason, ": moved to a new key"),
        other => panic!("expected a revoked key, got {other:?}"),
    }
    // The stand-alone revocation certificate read and merged also revokes.
    let from_certificate = keys::read_certs(revocation.certificate.as_bytes()).unwrap_or_default();
    assert_eq!(from_certificate.len(), 1);
    let recipients = [merged];
    let refused = message::encrypt(
        b"x",
        &EncryptOptions {
            recipients: &recipients,
            ..Default::default()
        },
    );
    assert!(matches!(refused, Err(OpenPgpError::KeyRevoked { .. })));
    assert!(keys::info(&recipients[0], None).primary.revoked);
    let other = key(Profile::Curve25519, "Other <o@example.org>", None).to_public_key();
    assert!(matches!(
        keys::merge(&old_copy, &other),
        Err(OpenPgpError::BadInput(_))
    ));
}

#[test]
fn pgp_mime_encrypted_with_protected_subject_and_signed() {
    use sealmark::mail::pgp_mime::{self as mime, PgpMime};
    let alice = key(Profile::Curve25519, "Alice <alice@example.org>", None);
    let bob = key(Profile::Curve25519, "Bob <bob@example.net>", None);
    let recipients = [bob.to_public_key()];
    let payload = mime::build_payload("The plan is on.\n", Some("Secret meeting"), &[], &[]);
    let ciphertext = message::encrypt(
        payload.as_bytes(),
        &EncryptOptions {
            recipients: &recipients,
            armor: true,
            ..Default::default()
        },
    )
    .unwrap_or_default();
    let (content_type, body) =
        mime::build_encrypted(&String::from_utf8_lossy(&ciphertext), "sealmark-b0undary");
    let raw = format!(
        "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: {}\r\nMIME-Version: 1.0\r\nContent-Type: {content_type}\r\n\r\n{body}",
        mime::PLACEHOLDER_SUBJECT
    );

    let PgpMime::Encrypted { ciphertext, .. } =
        mime::parse(raw.as_bytes()).unwrap_or(PgpMime::None)
    else {
        panic!("not recognised as PGP/MIME")
    };
    let keys = [UnlockKey {
        key: &bob,
        passphrase: None,
    }];
    let decrypted = message::decrypt(
        &ciphertext,
        &DecryptOptions {
            keys: &keys,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let content = mime::read_content(&decrypted.data);
    assert_eq!(
        content.protected.and_then(|p| p.subject).as_deref(),
        Some("Secret meeting")
    );
    assert_eq!(content.text.as_deref(), Some("The plan is on.\n"));

    // multipart/signed: the signature covers the first part exactly.
    let part = "Content-Type: text/plain; charset=utf-8\r\n\r\nSigned words.\r\n";
    let signers = [UnlockKey {
        key: &alice,
        passphrase: None,
    }];
    let signature = sign::sign_detached(part.as_bytes(), &signers, false, true).unwrap_or_default();
    let signed_raw = format!(
        "From: alice@example.org\nContent-Type: multipart/signed; micalg=pgp-sha512; protocol=\"application/pgp-signature\"; boundary=\"s\"\n\n--s\n{}\n--s\nContent-Type: application/pgp-signature\n\n{}\n--s--\n",
        part.replace("\r\n", "\n"),
        String::from_utf8_lossy(&signature)
    );
    let PgpMime::Signed { signed, signature } =
        mime::parse(signed_raw.as_bytes()).unwrap_or(PgpMime::None)
    else {
        panic!("not multipart/signed")
    };
    let certs = [alice.to_public_key()];
    let checks = sign::verify_detached(&signed, &signature, &certs).unwrap_or_default();
    assert!(checks.len() == 1 && checks[0].valid, "{checks:?}");
    let tampered = signed_raw.replace("Signed words.", "Signed wordz.");
    let PgpMime::Signed { signed, signature } =
        mime::parse(tampered.as_bytes()).unwrap_or(PgpMime::None)
    else {
        panic!()
    };
    assert!(!sign::verify_detached(&signed, &signature, &certs).unwrap_or_default()[0].valid);
}

/// RSA material made elsewhere (the browser's WebCrypto) is checked before
/// it becomes a key: parts that do not belong together and a size the
/// profile does not ask for are refused.
#[test]
fn rsa_material_from_elsewhere_is_checked() {
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    let made = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).expect("rsa");
    let parts = |key: &rsa::RsaPrivateKey| {
        (
            key.n().to_bytes_be(),
            key.e().to_bytes_be(),
            key.d().to_bytes_be(),
            key.primes()[0].to_bytes_be(),
            key.primes()[1].to_bytes_be(),
        )
    };
    let (n, e, d, p, q) = parts(&made);
    let good = keys::RsaMaterial::from_components(&n, &e, &d, &p, &q).expect("consistent");
    assert_eq!(good.bits(), 2048);
    let mut wrong_d = d.clone();
    if let Some(last) = wrong_d.last_mut() {
        *last ^= 2;
    }
    assert!(matches!(
        keys::RsaMaterial::from_components(&n, &e, &wrong_d, &p, &q),
        Err(OpenPgpError::BadInput(_))
    ));
    let other = keys::RsaMaterial::from_components(&n, &e, &d, &p, &q).expect("consistent");
    let options = GenerateOptions {
        user_ids: vec!["R <r@example.org>".into()],
        profile: Profile::Rsa3072,
        ..Default::default()
    };
    assert!(matches!(
        keys::generate_rsa(&options, good, other),
        Err(OpenPgpError::BadInput(message)) if message.contains("2048")
    ));
}
