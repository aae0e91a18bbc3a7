//! The header outline (`sealmark::header::outline`) decides whether the
//! extension loads the OpenPGP module for a message at all, so it must never
//! say "no OpenPGP work" where the OpenPGP module's own readers find some:
//! every message PGP/MIME's parser reads as encrypted or signed has
//! `pgp_mime`, every message with an Autocrypt field has `autocrypt`, and the
//! sender is the one Autocrypt observes. Checked over the corpora (the fuzz
//! corpora hold thousands of odd headers) and generated messages.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use proptest::prelude::*;
use sealmark::header::outline::outline;
use sealmark::mail::autocrypt;
use sealmark::mail::pgp_mime::{self, PgpMime};

/// What the outline promises about `raw`, as a failure message.
fn broken_promise(raw: &[u8]) -> Option<String> {
    let found = outline(raw);
    let observed = autocrypt::observe(raw, 1_700_000_000);
    if found.from != observed.from {
        return Some(format!(
            "sender {:?}, Autocrypt reads {:?}",
            found.from, observed.from
        ));
    }
    if (observed.header.is_some() || observed.ignored.is_some()) && !found.autocrypt {
        return Some("an Autocrypt field the outline missed".into());
    }
    match pgp_mime::parse(raw) {
        Ok(PgpMime::Encrypted { .. } | PgpMime::Signed { .. }) if !found.pgp_mime => {
            Some("PGP/MIME the outline missed".into())
        }
        _ => None,
    }
}

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn the_outline_never_misses_openpgp_work_in_the_corpora() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut checked = 0;
    let mut pgp_mime_seen = 0;
    for dir in [
        "corpus/transport",
        "fuzz/corpus/mime",
        "fuzz/corpus/autocrypt",
        "fuzz/corpus/transport",
    ] {
        for path in files(&root.join(dir)) {
            let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if let Some(problem) = broken_promise(&raw) {
                panic!("{}: {problem}", path.display());
            }
            checked += 1;
            pgp_mime_seen += usize::from(matches!(
                pgp_mime::parse(&raw),
                Ok(PgpMime::Encrypted { .. } | PgpMime::Signed { .. })
            ));
        }
    }
    // The corpora must hold the cases the promise is about, or this proves nothing.
    assert!(checked > 3000, "only {checked} messages checked");
    assert!(
        pgp_mime_seen >= 5,
        "only {pgp_mime_seen} PGP/MIME messages in the corpora"
    );
}

/// Header lines as mail software writes them, in odd cases, foldings and orders.
fn header_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("From: Alice <alice@example.org>".to_string()),
        Just("from: bob@example.org".to_string()),
        Just("From: a@example.org, b@example.org".to_string()),
        Just("Autocrypt: addr=alice@example.org; keydata=AAAA".to_string()),
        Just("AUTOCRYPT:\r\n addr=x@example.org".to_string()),
        Just("Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=b".to_string()),
        Just("Content-Type: Multipart/Signed;\r\n\tprotocol=\"application/pgp-signature\"; micalg=pgp-sha256; boundary=b".to_string()),
        Just("Content-Type: multipart/(comment)encrypted; protocol=\"application/pgp-encrypted\"; boundary=b".to_string()),
        Just("Content-Type: multipart / encrypted; protocol=\"application/pgp-encrypted\"; boundary=b".to_string()),
        Just("Content-Type: multipart\r\n /encrypted; protocol=\"application/pgp-encrypted\"; boundary=b".to_string()),
        Just("Content-Type: (x) multipart/signed; protocol=\"application/pgp-signature\"; boundary=b".to_string()),
        Just("Content-Type: text/plain".to_string()),
        Just("MIME-Version: 1.0".to_string()),
        "[A-Za-z-]{1,12}: [ -~]{0,40}",
        "[ -~]{0,30}",
    ]
}

const BODY: &str = "--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--b\r\nContent-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n\r\nwV4D\r\n-----END PGP MESSAGE-----\r\n--b--\r\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn the_outline_never_misses_openpgp_work_in_generated_messages(
        lines in proptest::collection::vec(header_line(), 0..8),
        crlf in any::<bool>(),
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let raw = format!("{}{end}{end}{BODY}", lines.join(end));
        prop_assert_eq!(broken_promise(raw.as_bytes()), None);
    }

    #[test]
    fn the_outline_never_misses_openpgp_work_in_arbitrary_bytes(raw in proptest::collection::vec(any::<u8>(), 0..600)) {
        prop_assert_eq!(broken_promise(&raw), None);
    }
}
