//! Every reason of the transport analysis (src/transport/why.rs) has words
//! in the extension's English locale file that read exactly as the core's
//! English words, `$1`… standing where its arguments go in both; so the
//! route view says in English what the CLI says, and the other languages
//! (checked in tests/unit/why-words.test.mjs) translate the same sentence.
#![cfg(not(target_arch = "wasm32"))]

use sealmark::transport::why::Reason;
use serde_json::Value;

const ENGLISH: &str = include_str!("../extension/_locales/en/messages.json");

/// `trusted_provider` → `whyTrustedProvider`, as www/components/why-words.js keys it.
fn locale_key(code: &str) -> String {
    let mut key = String::from("why");
    for word in code.split('_') {
        let mut letters = word.chars();
        if let Some(first) = letters.next() {
            key.extend(first.to_uppercase());
            key.push_str(letters.as_str());
        }
    }
    key
}

#[test]
fn every_code_reads_in_the_english_locale_as_the_core_says_it() {
    let table: Value = serde_json::from_str(ENGLISH).unwrap_or(Value::Null);
    assert!(table.is_object(), "the English locale file is JSON");
    for reason in Reason::ALL {
        let key = locale_key(reason.code());
        let words = table
            .pointer(&format!("/{key}/message"))
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("the English locale has no {key} for {}", reason.code()));
        assert_eq!(words, reason.english_words(), "{key}");
    }
}

#[test]
fn the_locale_file_has_no_reason_the_core_does_not_give() {
    let table: Value = serde_json::from_str(ENGLISH).unwrap_or(Value::Null);
    let known: Vec<String> = Reason::ALL
        .iter()
        .map(|reason| locale_key(reason.code()))
        .collect();
    let keys = table
        .as_object()
        .map(|o| o.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    for key in keys.iter().filter(|key| key.starts_with("why")) {
        assert!(known.contains(key), "{key} names no code of the core");
    }
}
