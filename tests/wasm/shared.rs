//! The Wasm face's tests, shared by the browser suite (`web.rs`) and the
//! Node.js suite (`node.rs`); each suite decides where they run.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn version_names_the_crate_and_its_version() {
    assert_eq!(
        sealmark::wasm::version(),
        format!("sealmark {}", env!("CARGO_PKG_VERSION"))
    );
}

#[wasm_bindgen_test]
fn build_info_is_a_plain_object_with_engine_versions() {
    let info = sealmark::wasm::build_info().unwrap_or(JsValue::NULL);
    let pgp = js_sys::Reflect::get(&info, &JsValue::from_str("pgp")).unwrap_or(JsValue::NULL);
    let pgp = pgp.as_string().unwrap_or_default();
    assert!(
        pgp.starts_with("0.21."),
        "pgp version in the browser was {pgp:?}"
    );
    let target = js_sys::Reflect::get(&info, &JsValue::from_str("target")).unwrap_or(JsValue::NULL);
    assert_eq!(
        target.as_string().as_deref(),
        Some("wasm32-unknown-unknown")
    );
}

const GMAIL: &str = include_str!("../corpus/transport/gmail-inbound.eml");
const STRIPPED: &str = include_str!("../corpus/transport/starttls-stripped.eml");

fn get(value: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(value.clone(), |v, key| {
        let key = match key.parse::<u32>() {
            Ok(index) => JsValue::from(index),
            Err(_) => JsValue::from_str(key),
        };
        js_sys::Reflect::get(&v, &key).unwrap_or(JsValue::UNDEFINED)
    })
}

#[wasm_bindgen_test]
fn analyze_message_in_wasm_matches_the_native_report() {
    let report =
        sealmark::wasm::analyze_message(JsValue::from_str(GMAIL), None).unwrap_or(JsValue::NULL);
    let json = js_sys::JSON::stringify(&report)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    let native = sealmark::transport::analyze(GMAIL.as_bytes(), &Default::default())
        .map(|r| serde_json::to_value(r).unwrap_or_default())
        .unwrap_or_default();
    let from_browser: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(from_browser, native);
    assert_eq!(
        get(&report, &["hops", "1", "tls", "version"])
            .as_string()
            .as_deref(),
        Some("TLSv1.3")
    );
    assert!(
        get(&report, &["hops", "0", "tls", "version"]).is_null(),
        "absent values are null, not undefined"
    );
}

#[wasm_bindgen_test]
fn analyze_message_takes_bytes_and_trusted_domains() {
    let bytes = js_sys::Uint8Array::from(STRIPPED.as_bytes());
    let options =
        js_sys::JSON::parse(r#"{"trustedDomains":["isp.example.com"]}"#).unwrap_or(JsValue::NULL);
    let report =
        sealmark::wasm::analyze_message(bytes.into(), Some(options)).unwrap_or(JsValue::NULL);
    assert_eq!(
        get(&report, &["verdict", "sentence"])
            .as_string()
            .as_deref(),
        Some("Hop 3 was plaintext — possible STARTTLS downgrade")
    );
    assert_eq!(
        get(&report, &["hops", "1", "trusted"]).as_bool(),
        Some(true)
    );
}

#[wasm_bindgen_test]
fn analyze_message_errors_carry_a_code() {
    let error = sealmark::wasm::analyze_message(JsValue::from(42), None)
        .err()
        .unwrap_or(JsValue::NULL);
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get(&error, &["code"]).as_string().as_deref(),
        Some("BAD_INPUT")
    );
}

fn options(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap_or(JsValue::NULL)
}

fn with(object: JsValue, name: &str, value: &JsValue) -> JsValue {
    let _ = js_sys::Reflect::set(&object, &JsValue::from_str(name), value);
    object
}

fn text(value: &JsValue, path: &[&str]) -> String {
    get(value, path).as_string().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn generate_encrypt_decrypt_in_wasm() {
    for profile in ["rfc4880", "rfc9580"] {
        let generated = sealmark::wasm::generate_key(options(&format!(
            r#"{{"userIds":["Alice <alice@example.org>"],"passphrase":"pw","profile":"{profile}"}}"#
        )))
        .await
        .unwrap_or(JsValue::NULL);
        let public_key = get(&generated, &["publicKey"]);
        let private_key = get(&generated, &["privateKey"]);
        let info = sealmark::wasm::read_key(private_key.clone()).unwrap_or(JsValue::NULL);
        assert_eq!(get(&info, &["locked"]).as_bool(), Some(true));
        assert_eq!(
            text(&info, &["fingerprint"]),
            text(&generated, &["fingerprint"])
        );

        let keys = js_sys::Array::of1(&public_key);
        let signers = js_sys::Array::of1(&private_key);
        let request = with(
            with(
                with(options(r#"{"passphrase":"pw"}"#), "data", &"Grüße".into()),
                "encryptionKeys",
                &keys,
            ),
            "signingKeys",
            &signers,
        );
        let ciphertext = sealmark::wasm::encrypt(request)
            .await
            .unwrap_or(JsValue::NULL);
        assert!(text(&ciphertext, &[]).starts_with("-----BEGIN PGP MESSAGE-----"));

        let request = with(
            with(
                with(options(r#"{"passphrase":"pw"}"#), "message", &ciphertext),
                "decryptionKeys",
                &signers,
            ),
            "verificationKeys",
            &keys,
        );
        let decrypted = sealmark::wasm::decrypt(request).unwrap_or(JsValue::NULL);
        assert_eq!(text(&decrypted, &["data"]), "Grüße");
        assert_eq!(
            get(&decrypted, &["signatures", "0", "valid"]).as_bool(),
            Some(true)
        );

        let request = with(
            with(options(r#"{"passphrase":"wrong"}"#), "message", &ciphertext),
            "decryptionKeys",
            &signers,
        );
        let error = sealmark::wasm::decrypt(request)
            .err()
            .unwrap_or(JsValue::NULL);
        assert_eq!(text(&error, &["code"]), "BAD_PASSPHRASE");
    }
}

#[wasm_bindgen_test]
fn messages_from_gnupg_sequoia_and_openpgpjs_decrypt_in_wasm() {
    let fixtures = [
        (
            include_str!("../corpus/openpgp/gnupg-key.asc"),
            include_str!("../corpus/openpgp/gnupg-message.asc"),
            "Hello from GnuPG.\n",
        ),
        (
            include_str!("../corpus/openpgp/sequoia-key.asc"),
            include_str!("../corpus/openpgp/sequoia-message.asc"),
            "Hello from Sequoia.\n",
        ),
        (
            include_str!("../corpus/openpgp/openpgpjs-v6-key.asc"),
            include_str!("../corpus/openpgp/openpgpjs-v6-message.asc"),
            "Hello from OpenPGP.js.\n",
        ),
    ];
    for (key, message, expected) in fixtures {
        let keys = js_sys::Array::of1(&key.into());
        let request = with(
            with(
                with(options("{}"), "message", &message.into()),
                "decryptionKeys",
                &keys,
            ),
            "verificationKeys",
            &keys,
        );
        let decrypted = sealmark::wasm::decrypt(request).unwrap_or_else(|e| {
            panic!(
                "{expected}: {:?}",
                e.as_string()
                    .or(js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string()))
            )
        });
        assert_eq!(text(&decrypted, &["data"]), expected);
        assert_eq!(
            get(&decrypted, &["signatures", "0", "valid"]).as_bool(),
            Some(true),
            "{expected}"
        );
    }
}

#[wasm_bindgen_test]
fn armored_blocks_are_found_in_quoted_webmail_text() {
    let message = include_str!("../corpus/openpgp/gnupg-message.asc");
    let quoted: String = message.lines().map(|l| format!("> {l}\r\n")).collect();
    let page_text = format!("Bob wrote:\r\n{quoted}\r\nThanks!");
    let blocks = sealmark::wasm::find_armored_blocks(&page_text).unwrap_or(JsValue::NULL);
    assert_eq!(text(&blocks, &["0", "kind"]), "message");
    let keys = js_sys::Array::of1(&include_str!("../corpus/openpgp/gnupg-key.asc").into());
    let request = with(
        with(options("{}"), "message", &get(&blocks, &["0", "armored"])),
        "decryptionKeys",
        &keys,
    );
    let decrypted = sealmark::wasm::decrypt(request).unwrap_or(JsValue::NULL);
    assert_eq!(text(&decrypted, &["data"]), "Hello from GnuPG.\n");
}

#[wasm_bindgen_test]
async fn key_management_in_wasm_reads_relocks_revokes_and_merges() {
    let generated = sealmark::wasm::generate_key(options(
        r#"{"userIds":["Bob <bob@example.org>"],"passphrase":"old"}"#,
    ))
    .await
    .unwrap_or(JsValue::NULL);
    let private_key = text(&generated, &["privateKey"]);
    let public_key = text(&generated, &["publicKey"]);

    let both = format!("{public_key}\n{}", text(&generated, &["publicKey"]));
    let entries = sealmark::wasm::read_keys(private_key.clone().into()).unwrap_or(JsValue::NULL);
    assert_eq!(
        get(&entries, &["0", "info", "secret"]).as_bool(),
        Some(true)
    );
    assert!(text(&entries, &["0", "privateKey"]).contains("PRIVATE KEY BLOCK"));
    assert!(text(&entries, &["0", "publicKey"]).contains("PUBLIC KEY BLOCK"));
    let entries = sealmark::wasm::read_keys(both.into()).unwrap_or(JsValue::NULL);
    assert_eq!(js_sys::Array::from(&entries).length(), 2);
    assert!(get(&entries, &["0", "privateKey"]).is_null());

    let relock = |passphrase: &str, new: &str| {
        let request = options(&format!(
            r#"{{"passphrase":"{passphrase}","newPassphrase":"{new}"}}"#
        ));
        sealmark::wasm::change_passphrase(with(request, "privateKey", &private_key.clone().into()))
    };
    let error = relock("wrong", "new").err().unwrap_or(JsValue::NULL);
    assert_eq!(text(&error, &["code"]), "BAD_PASSPHRASE");
    let relocked = relock("old", "new").unwrap_or_default();
    let info = sealmark::wasm::read_key(relocked.clone().into()).unwrap_or(JsValue::NULL);
    assert_eq!(get(&info, &["locked"]).as_bool(), Some(true));

    let request = with(
        options(r#"{"passphrase":"new","reason":"lost laptop"}"#),
        "privateKey",
        &relocked.into(),
    );
    let revoked = sealmark::wasm::revoke_key(request).unwrap_or(JsValue::NULL);
    assert!(text(&revoked, &["revocationCertificate"]).contains("PUBLIC KEY BLOCK"));
    let merged = sealmark::wasm::merge_keys(&public_key, &text(&revoked, &["publicKey"]))
        .unwrap_or_default();
    let info = sealmark::wasm::read_key(merged.into()).unwrap_or(JsValue::NULL);
    assert_eq!(get(&info, &["primary", "revoked"]).as_bool(), Some(true));
    assert_eq!(get(&info, &["can_encrypt"]).as_bool(), Some(false));

    let other = sealmark::wasm::generate_key(options(r#"{"userIds":["C <c@example.org>"]}"#))
        .await
        .unwrap_or(JsValue::NULL);
    let error = sealmark::wasm::merge_keys(&public_key, &text(&other, &["publicKey"]))
        .err()
        .unwrap_or(JsValue::NULL);
    assert_eq!(text(&error, &["code"]), "BAD_INPUT");
}

#[wasm_bindgen_test]
async fn key_discovery_in_wasm_builds_addresses_and_keeps_only_the_address() {
    let lookup = sealmark::wasm::key_lookup("Joe.Doe@Example.ORG").unwrap_or(JsValue::NULL);
    assert_eq!(
        text(&lookup, &["wkd_hash"]),
        "iy9q119eutrkn8s1mk4r39qejnbu3n5q"
    );
    let generated = sealmark::wasm::generate_key(options(
        r#"{"userIds":["Joe <joe.doe@example.org>","Other <other@example.net>"]}"#,
    ))
    .await
    .unwrap_or(JsValue::NULL);
    let found =
        sealmark::wasm::certificates_for(get(&generated, &["publicKey"]), "Joe.Doe@example.org")
            .unwrap_or(JsValue::NULL);
    let certs = js_sys::Array::from(&found);
    assert_eq!(certs.length(), 1);
    let info = sealmark::wasm::read_key(certs.get(0)).unwrap_or(JsValue::NULL);
    assert_eq!(js_sys::Array::from(&get(&info, &["user_ids"])).length(), 1);
    let refused = sealmark::wasm::public_only(get(&generated, &["privateKey"]))
        .err()
        .unwrap_or(JsValue::NULL);
    assert_eq!(text(&refused, &["code"]), "WRONG_KEY_KIND");
    let secret_answer =
        sealmark::wasm::certificates_for(get(&generated, &["privateKey"]), "joe.doe@example.org")
            .err()
            .unwrap_or(JsValue::NULL);
    assert_eq!(text(&secret_answer, &["code"]), "WRONG_KEY_KIND");
}

/// RSA keys are made from WebCrypto's primes where there is WebCrypto (every
/// browser and Node), and work: the key reads back as RSA 3072 and a message
/// encrypted and signed with it decrypts with a valid signature.
#[wasm_bindgen_test]
async fn rsa_keys_from_webcrypto_encrypt_sign_decrypt_verify() {
    let made = sealmark::webcrypto::rsa_from_webcrypto(3072).await;
    assert!(
        matches!(&made, Some(Ok(material)) if material.bits() == 3072),
        "WebCrypto made no usable RSA key: {:?}",
        made.map(|m| m.map(|m| m.bits()))
    );
    let generated = sealmark::wasm::generate_key(options(
        r#"{"userIds":["Rosa <rosa@example.org>"],"type":"rsa3072","passphrase":"pw"}"#,
    ))
    .await
    .unwrap_or(JsValue::NULL);
    let private_key = get(&generated, &["privateKey"]);
    let public_key = get(&generated, &["publicKey"]);
    let info = sealmark::wasm::read_key(private_key.clone()).unwrap_or(JsValue::NULL);
    assert!(
        text(&info, &["primary", "algorithm"]).contains("3072"),
        "{info:?}"
    );
    assert_eq!(get(&info, &["locked"]).as_bool(), Some(true));
    let request = with(
        with(
            with(
                options(r#"{"passphrase":"pw"}"#),
                "data",
                &"RSA from WebCrypto".into(),
            ),
            "encryptionKeys",
            &js_sys::Array::of1(&public_key),
        ),
        "signingKeys",
        &js_sys::Array::of1(&private_key),
    );
    let ciphertext = sealmark::wasm::encrypt(request)
        .await
        .unwrap_or(JsValue::NULL);
    let request = with(
        with(
            with(options(r#"{"passphrase":"pw"}"#), "message", &ciphertext),
            "decryptionKeys",
            &js_sys::Array::of1(&private_key),
        ),
        "verificationKeys",
        &js_sys::Array::of1(&public_key),
    );
    let decrypted = sealmark::wasm::decrypt(request).unwrap_or(JsValue::NULL);
    assert_eq!(text(&decrypted, &["data"]), "RSA from WebCrypto");
    assert_eq!(
        get(&decrypted, &["signatures", "0", "valid"]).as_bool(),
        Some(true),
        "{decrypted:?}"
    );
}

/// WebCrypto's AES-CBC, shifted by a block, gives exactly AES-256-CFB with a
/// zero IV (what SEIPDv1 uses) for every length, partial last block included.
#[wasm_bindgen_test]
async fn cfb_through_webcrypto_equals_cfb() {
    let key: Vec<u8> = (0..32u8).collect();
    for length in [0usize, 1, 15, 16, 17, 100, 65_541] {
        let plain: Vec<u8> = (0..length).map(|i| (i * 7 % 256) as u8).collect();
        let mut expected = plain.clone();
        pgp::crypto::sym::SymmetricKeyAlgorithm::AES256
            .encrypt_with_iv_regular(&key, &[0u8; 16], &mut expected)
            .unwrap_or_default();
        let mut ours = plain.clone();
        assert!(
            sealmark::webcrypto::cfb_with_webcrypto(&key, &mut ours).await,
            "WebCrypto did not run"
        );
        assert_eq!(ours, expected, "length {length}");
    }
}
