//! The bodies of the fuzz targets, one function per area. The `cargo fuzz`
//! targets in `fuzz_targets/` and the replay test `tests/fuzz_corpus.rs` both
//! include this file, so the committed corpora and regression inputs are
//! replayed through exactly the code that was fuzzed. A target must never
//! panic, whatever its input; where an invariant is cheap to state it is
//! asserted too, so a wrong answer is found as well as a crash.

use std::sync::LazyLock;

use pgp::composed::{SignedPublicKey, SignedSecretKey};
use sealmark::header::{date, fields};
use sealmark::mail::{autocrypt, discovery, pgp_mime as mime};
use sealmark::openpgp::message::{self, DecryptOptions};
use sealmark::openpgp::unlock::UnlockKey;
use sealmark::openpgp::verify::SignatureCheck;
use sealmark::openpgp::{armor, keys, sign};
use sealmark::transport::{self, auth, hop::Hop, received};

/// One target's body.
pub type Target = fn(&[u8]);

/// Every target by the name of its folder under `corpus/` and `regressions/`.
pub const ALL: &[(&str, Target)] = &[
    ("armor", armor),
    ("keys", keys),
    ("decrypt", decrypt),
    ("verify", verify),
    ("mime", mime),
    ("autocrypt", autocrypt),
    ("transport", transport),
];

/// What the detached-signature seeds of `verify` sign: the fuzzer mutates a
/// signature over these bytes and so reaches the code that checks it.
pub const SIGNED_DATA: &[u8] = include_bytes!("fixtures/signed-data.txt");

/// The password of the password-encrypted seeds of `decrypt`.
pub const PASSWORD: &str = "fuzz password";

/// The setup code of the Autocrypt Setup Message seeds of `autocrypt`.
pub const SETUP_CODE: &str = "1234-5678-9012-3456-7890-1234-5678-9012-3456";

/// A fixed "now" for Autocrypt (2027-01-15): the same input must give the
/// same answer on every run, whatever the clock says.
const NOW: i64 = 1_800_000_000;

/// The most plaintext `decrypt` produces: the limit is a parameter, and a
/// compression bomb stopped at 4 MiB takes the same path as one stopped at the
/// shipped 256 MiB, without spending seconds of the campaign on each.
const MAX_PLAINTEXT: usize = 4 * 1024 * 1024;

/// The fixture keys: ours (v4 Curve25519 and v6, made once by `seeds.sh` with
/// the crate, unprotected) and the real peers' of `tests/corpus/openpgp/`.
struct Fixtures {
    secrets: Vec<SignedSecretKey>,
    certs: Vec<SignedPublicKey>,
}

static FIXTURES: LazyLock<Fixtures> = LazyLock::new(|| {
    let inputs: [(&str, &[u8]); 5] = [
        ("v4.key", include_bytes!("fixtures/v4.key")),
        ("v6.key", include_bytes!("fixtures/v6.key")),
        (
            "gnupg-key.asc",
            include_bytes!("../corpus/openpgp/gnupg-key.asc"),
        ),
        (
            "sequoia-key.asc",
            include_bytes!("../corpus/openpgp/sequoia-key.asc"),
        ),
        (
            "openpgpjs-v6-key.asc",
            include_bytes!("../corpus/openpgp/openpgpjs-v6-key.asc"),
        ),
    ];
    let mut secrets = Vec::new();
    for (name, bytes) in inputs {
        match keys::read_secret_keys(bytes) {
            Ok(found) => secrets.extend(found),
            Err(error) => panic!("fixture {name} is unreadable: {error}"),
        }
    }
    let certs = secrets.iter().map(SignedSecretKey::to_public_key).collect();
    Fixtures { secrets, certs }
});

/// The claims every signature report must keep: a signature by an unknown key
/// is never valid, and a valid one names its signer and no reason against it.
fn check_reports(checks: &[SignatureCheck]) {
    for check in checks.iter().filter(|c| c.valid) {
        assert!(check.known, "valid signature by an unknown key: {check:?}");
        assert!(
            check.signer.is_some(),
            "valid signature without signer: {check:?}"
        );
        assert!(
            check.reason.is_none(),
            "valid signature with a reason against it: {check:?}"
        );
    }
}

/// Armor found in arbitrary text, repaired, decoded, and binary data armored.
pub fn armor(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let blocks = armor::find_blocks(&text);
    for block in &blocks {
        assert!(block.start <= block.end && block.end <= text.len());
        assert!(text.is_char_boundary(block.start) && text.is_char_boundary(block.end));
        // A repaired block is canonical: read again, it is found whole and
        // unchanged, with nothing left to repair.
        let again = armor::find_blocks(&block.armored);
        let [same] = again.as_slice() else {
            panic!("repaired block read again as {} blocks", again.len());
        };
        assert_eq!(same.kind, block.kind);
        assert_eq!(same.armored, block.armored, "repair is not idempotent");
        assert!(
            same.warnings.is_empty(),
            "canonical block warned: {:?}",
            same.warnings
        );
    }
    let _ = armor::dearmor(data);
    let _ = armor::repaired_if_armored(data);
    let _ = armor::pieces(data);
    let message_data = armor::message_data(data);
    // The one-pass reader of large messages and the repairing reader agree on
    // the data of a text holding one message block.
    if let (Ok(_), Ok(Some(fast)), [block]) =
        (std::str::from_utf8(data), &message_data, &blocks[..])
        && block.kind == armor::BlockKind::Message
    {
        let repaired = armor::dearmor(block.armored.as_bytes());
        assert_eq!(
            repaired.as_deref().ok(),
            Some(&fast[..]),
            "message_data differs from the repaired block"
        );
    }
    if let Ok(armored) = armor::armor_bytes(data) {
        assert!(armor::is_armored(armored.as_bytes()));
        assert_eq!(
            armor::dearmor(armored.as_bytes()).as_deref().ok(),
            Some(data),
            "armor round trip"
        );
    }
}

/// Certificates and secret keys read, described, armored and read back, and
/// the key directory's readers.
pub fn keys(data: &[u8]) {
    // `split` tries the secret-key reader and then the certificate reader:
    // where it fails, every reader below fails the same way, and most inputs
    // end here without being parsed four times over.
    let Ok(entries) = keys::split(data) else {
        return;
    };
    for entry in &entries {
        let fingerprint = keys::fingerprint(&entry.cert);
        assert_eq!(entry.info.fingerprint, fingerprint);
        let armored = keys::armor_cert(&entry.cert)
            .unwrap_or_else(|e| panic!("a certificate read in cannot be armored: {e}"));
        let again = keys::read_certs(armored.as_bytes())
            .unwrap_or_else(|e| panic!("an armored certificate cannot be read back: {e}"));
        let [same] = again.as_slice() else {
            panic!("one certificate armored was read back as {}", again.len());
        };
        assert_eq!(
            keys::fingerprint(same),
            fingerprint,
            "armor round trip of a certificate"
        );
        if let Ok(merged) = keys::merge(&entry.cert, &entry.cert) {
            assert_eq!(keys::fingerprint(&merged), fingerprint);
        }
    }
    let _ = keys::read_certs(data);
    let _ = discovery::public_only(data);
    let _ = discovery::certificates_for(data, "fuzz-v4@example.org");
}

/// A message decrypted with the fixture keys (and a password), its
/// signatures checked against their certificates.
pub fn decrypt(data: &[u8]) {
    let fixtures = &*FIXTURES;
    let keys: Vec<UnlockKey<'_>> = fixtures
        .secrets
        .iter()
        .map(|key| UnlockKey {
            key,
            passphrase: None,
        })
        .collect();
    let options = DecryptOptions {
        keys: &keys,
        passwords: &[PASSWORD.to_owned()],
        verification: &fixtures.certs,
        max_plaintext: Some(MAX_PLAINTEXT),
    };
    match message::decrypt(data, &options) {
        Ok(decrypted) => {
            assert!(decrypted.data.len() <= MAX_PLAINTEXT);
            check_reports(&decrypted.signatures);
        }
        Err(error) => {
            let _ = (error.code(), error.to_string());
        }
    }
}

/// Detached signatures over [`SIGNED_DATA`], cleartext-signed and inline-signed
/// messages, checked against the fixture certificates.
pub fn verify(data: &[u8]) {
    let certs = &FIXTURES.certs;
    if let Ok(checks) = sign::verify_detached(SIGNED_DATA, data, certs) {
        check_reports(&checks);
    }
    if let Ok(verified) = sign::verify_cleartext(data, certs) {
        check_reports(&verified.signatures);
    }
    if let Ok(read) = message::read_signed(data, certs) {
        check_reports(&read.signatures);
    }
    let _ = sign::inline_detach(data);
}

/// PGP/MIME structure of a raw message, and the content of a MIME entity.
pub fn mime(data: &[u8]) {
    if let Ok(mime::PgpMime::Signed { signed, .. }) = mime::parse(data) {
        // What a multipart/signed signature covers is in canonical form.
        let bare_lf = signed
            .iter()
            .enumerate()
            .any(|(i, &b)| b == b'\n' && (i == 0 || signed.get(i - 1) != Some(&b'\r')));
        assert!(!bare_lf, "signed part with a bare LF");
    }
    let content = mime::read_content(data);
    for attachment in &content.attachments {
        assert_eq!(attachment.size, attachment.data.len());
    }
}

/// Autocrypt headers of a received message, the peer state they update,
/// gossip inside a decrypted entity, and a setup message opened with its code.
pub fn autocrypt(data: &[u8]) {
    let observation = autocrypt::observe(data, NOW);
    assert!(
        observation.effective_date <= NOW,
        "a date in the future was believed"
    );
    if let Some(header) = &observation.header {
        assert_eq!(
            Some(&header.addr),
            observation.from.as_ref(),
            "addr is not the sender"
        );
    }
    let mut state = autocrypt::PeerState::default();
    autocrypt::update(&mut state, &observation);
    for header in autocrypt::gossip(data) {
        autocrypt::update_gossip(&mut state, &header, observation.effective_date);
    }
    let _ = autocrypt::recommend(Some(&state), true, false);
    let _ = autocrypt::open_setup_message(data, SETUP_CODE);
}

/// The transport analysis of an arbitrary header, and its Received and
/// Authentication-Results readers on the input as one field's value.
pub fn transport(data: &[u8]) {
    let options = transport::Options {
        trusted_domains: vec!["example.org".to_owned()],
        ..Default::default()
    };
    if let Ok(report) = transport::analyze(data, &options) {
        let received = fields::split(fields::header_section(data))
            .iter()
            .filter(|field| field.name.eq_ignore_ascii_case("received"))
            .count();
        assert_eq!(report.hops.len(), received, "one hop per Received field");
        for (index, hop) in report.hops.iter().enumerate() {
            assert_eq!(hop.index, index);
            // Never a false green: a hop is encrypted only on evidence.
            if hop.tls.encrypted == Some(true) {
                assert!(
                    hop.tls.evidence.is_some(),
                    "encrypted without evidence: {hop:?}"
                );
            }
        }
        let verdict = &report.verdict;
        assert!(verdict.encrypted_hops <= verdict.external_hops);
        for index in verdict
            .plaintext_hops
            .iter()
            .chain(&verdict.downgrade_suspected)
            .chain(&verdict.unknown_hops)
            .chain(&verdict.injection_suspected)
        {
            assert!(*index < report.hops.len(), "verdict names hop {index}");
        }
        if let Err(error) = serde_json::to_string(&report) {
            panic!("the report cannot be written as JSON: {error}");
        }
    }
    let text = String::from_utf8_lossy(data);
    let _ = Hop::from_field(0, received::parse(&text));
    let _ = auth::parse_results("Authentication-Results", &text, false, 0);
    let _ = auth::parse_received_spf(&text, 0);
    let _ = auth::parse_arc_seal(&text);
    let _ = date::parse(&text);
}
