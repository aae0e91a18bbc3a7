//! The zero-access filter (`sealmark::mail::seal`) under hostile and odd
//! input: it answers (sealed, unchanged, or a clear error) and never panics,
//! and whatever it seals opens to the message it was given.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::sync::OnceLock;

use common::cases;
use pgp::composed::SignedSecretKey;
use proptest::prelude::*;
use sealmark::mail::pgp_mime::{self as mime, PgpMime};
use sealmark::mail::seal::{SealOptions, Sealed, seal};
use sealmark::openpgp::keys::{self, GenerateOptions, Profile};
use sealmark::openpgp::message::{self, DecryptOptions};
use sealmark::openpgp::unlock::UnlockKey;

fn key() -> &'static SignedSecretKey {
    static KEY: OnceLock<SignedSecretKey> = OnceLock::new();
    KEY.get_or_init(|| {
        keys::generate(&GenerateOptions {
            user_ids: vec!["<owner@example.org>".into()],
            passphrase: None,
            profile: Profile::Curve25519,
            expires_in: None,
        })
        .unwrap_or_else(|e| panic!("{e}"))
    })
}

fn seal_for_owner(raw: &[u8]) -> Result<Sealed, sealmark::mail::seal::SealError> {
    let recipients = [key().to_public_key()];
    seal(
        raw,
        &SealOptions {
            recipients: &recipients,
            keep_subject: false,
        },
    )
}

fn open(sealed: &[u8]) -> Vec<u8> {
    let Ok(PgpMime::Encrypted { ciphertext, .. }) = mime::parse(sealed) else {
        panic!("not PGP/MIME: {}", String::from_utf8_lossy(sealed));
    };
    let keys = [UnlockKey {
        key: key(),
        passphrase: None,
    }];
    message::decrypt(
        &ciphertext,
        &DecryptOptions {
            keys: &keys,
            ..DecryptOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"))
    .data
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = seal_for_owner(&raw);
    }

    #[test]
    fn malformed_mime_is_carried_inside_byte_for_byte(
        content_type in prop_oneof![
            Just("multipart/mixed; boundary=\"never-closed\""), Just("multipart/mixed"), Just("text/html; charset=\"unterminated"),
            Just("application/octet-stream"), Just("message/rfc822"), Just(";;;"), Just(""),
        ],
        subject in proptest::collection::vec(any::<u8>().prop_filter("no line breaks", |b| *b != b'\r' && *b != b'\n'), 0..80),
        body in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let mut raw = b"Received: by mx.example.org\r\nFrom: sender@example.net\r\nSubject: ".to_vec();
        raw.extend_from_slice(&subject);
        raw.extend_from_slice(format!("\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
        raw.extend_from_slice(&body);
        match seal_for_owner(&raw) {
            Ok(Sealed::Encrypted(sealed)) => {
                let inner = open(&sealed);
                prop_assert!(inner.ends_with(&body), "the body travels inside unchanged");
                let outer = String::from_utf8_lossy(sealmark::header::fields::header_section(&sealed)).into_owned();
                prop_assert!(outer.contains("Subject: [...]"));
                prop_assert!(outer.contains("Received: by mx.example.org"));
            }
            Ok(Sealed::Unchanged(_)) => prop_assert!(false, "nothing here is encrypted already"),
            Err(error) => prop_assert!(false, "{error}"),
        }
    }
}

#[test]
fn a_large_attachment_is_sealed_whole() {
    let attachment: Vec<u8> = (0..8 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let mut raw = b"From: sender@example.net\r\nSubject: the archive\r\nContent-Type: application/octet-stream\r\n\r\n".to_vec();
    raw.extend_from_slice(&attachment);
    let Ok(Sealed::Encrypted(sealed)) = seal_for_owner(&raw) else {
        panic!("not sealed");
    };
    assert!(open(&sealed).ends_with(&attachment));
}
