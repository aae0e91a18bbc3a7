//! Every error detail the core gives as a code (src/openpgp/error.rs,
//! `OpenPgpError::detail`) has words in the extension's English locale file
//! that read exactly as the core's message, `$1`… standing where its
//! arguments go: the extension says in English what the CLI says, and the
//! other languages translate the same sentence (every locale has every key:
//! tests/unit/locales.test.mjs).
#![cfg(all(not(target_arch = "wasm32"), feature = "openpgp"))]

use sealmark::openpgp::OpenPgpError;
use serde_json::Value;

const ENGLISH: &str = include_str!("../extension/_locales/en/messages.json");

/// One error of each kind that has a detail, with names that cannot be confused.
fn errors() -> Vec<OpenPgpError> {
    vec![
        OpenPgpError::KeyExpired {
            fingerprint: "AAAA1111".into(),
            date: "2026-01-02T03:04:05Z".into(),
        },
        OpenPgpError::KeyRevoked {
            fingerprint: "BBBB2222".into(),
            reason: ": key compromised".into(),
        },
        OpenPgpError::KeyRevoked {
            fingerprint: "BBBB2222".into(),
            reason: String::new(),
        },
        OpenPgpError::NoEncryptionKey("CCCC3333".into()),
        OpenPgpError::NoSigningKey("DDDD4444".into()),
        OpenPgpError::TooLarge {
            size: 5000,
            limit: 4999,
        },
        OpenPgpError::PlaintextTooLarge { limit: 4999 },
    ]
}

#[test]
fn every_detail_reads_in_the_english_locale_as_the_core_says_it() {
    let table: Value = serde_json::from_str(ENGLISH).unwrap_or(Value::Null);
    assert!(table.is_object(), "the English locale file is JSON");
    for error in errors() {
        let detail = error
            .detail()
            .unwrap_or_else(|| panic!("{error:?} has a detail"));
        let key = format!("coreDetail_{}", detail.code);
        let mut words = table
            .pointer(&format!("/{key}/message"))
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("the English locale has no {key}"))
            .to_owned();
        // From the last, so $1 does not eat $10.
        for (index, arg) in detail.args.iter().enumerate().rev() {
            words = words.replace(&format!("${}", index + 1), arg);
        }
        assert_eq!(words, error.to_string(), "{key}");
    }
}

#[test]
fn free_text_errors_have_no_detail() {
    for error in [
        OpenPgpError::BadMessage("unexpected packet".into()),
        OpenPgpError::Unsupported("OCB".into()),
        OpenPgpError::Tampered,
    ] {
        assert_eq!(error.detail(), None, "{error:?}");
    }
}
