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
        let decrypted = sealmark::wasm::decrypt(request)
            .await
            .unwrap_or(JsValue::NULL);
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
            .await
            .err()
            .unwrap_or(JsValue::NULL);
        assert_eq!(text(&error, &["code"]), "BAD_PASSPHRASE");

        // Signing unlocks the key too (its derivation hashed by WebCrypto).
        let request = with(
            with(options(r#"{"passphrase":"pw"}"#), "data", &"signed".into()),
            "signingKeys",
            &signers,
        );
        let signature = sealmark::wasm::sign(request).await.unwrap_or(JsValue::NULL);
        let request = with(
            with(
                with(options("{}"), "data", &"signed".into()),
                "signature",
                &signature,
            ),
            "verificationKeys",
            &keys,
        );
        let verified = sealmark::wasm::verify(request).unwrap_or(JsValue::NULL);
        assert_eq!(
            get(&verified, &["signatures", "0", "valid"]).as_bool(),
            Some(true),
            "{profile}: {verified:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn messages_from_gnupg_sequoia_and_openpgpjs_decrypt_in_wasm() {
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
        let decrypted = sealmark::wasm::decrypt(request).await.unwrap_or_else(|e| {
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
async fn armored_blocks_are_found_in_quoted_webmail_text() {
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
    let decrypted = sealmark::wasm::decrypt(request)
        .await
        .unwrap_or(JsValue::NULL);
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
    let error = relock("wrong", "new").await.err().unwrap_or(JsValue::NULL);
    assert_eq!(text(&error, &["code"]), "BAD_PASSPHRASE");
    let relocked = relock("old", "new")
        .await
        .ok()
        .and_then(|key| key.as_string())
        .unwrap_or_default();
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
    let decrypted = sealmark::wasm::decrypt(request)
        .await
        .unwrap_or(JsValue::NULL);
    assert_eq!(text(&decrypted, &["data"]), "RSA from WebCrypto");
    assert_eq!(
        get(&decrypted, &["signatures", "0", "valid"]).as_bool(),
        Some(true),
        "{decrypted:?}"
    );
}

/// WebCrypto's AES-CBC, shifted by a block, gives exactly AES-256-CFB with a
/// zero IV (what SEIPDv1 uses) for every length, partial last block included.
/// Data to encrypt is read from JavaScript memory and decrypted data is
/// written there, in pieces: several megabytes of binary data and of text
/// (a byte-order mark and multi-octet characters included) come
/// back whole; bytes that are not UTF-8 are NOT_TEXT unless asked for as
/// binary; other inputs and formats get clear errors.
#[wasm_bindgen_test]
async fn large_data_crosses_to_and_from_javascript_memory() {
    let generated =
        sealmark::wasm::generate_key(options(r#"{"userIds":["Hal <hal@example.org>"]}"#))
            .await
            .unwrap_or(JsValue::NULL);
    let keys = js_sys::Array::of1(&get(&generated, &["publicKey"]));
    let secrets = js_sys::Array::of1(&get(&generated, &["privateKey"]));
    let round_trip = |data: JsValue, format: &'static str| {
        let keys = keys.clone();
        let secrets = secrets.clone();
        async move {
            let request = with(
                with(options(r#"{"armor":false}"#), "data", &data),
                "encryptionKeys",
                &keys,
            );
            let ciphertext = sealmark::wasm::encrypt(request).await?;
            let request = with(
                with(
                    options(&format!(r#"{{"format":"{format}"}}"#)),
                    "message",
                    &ciphertext,
                ),
                "decryptionKeys",
                &secrets,
            );
            sealmark::wasm::decrypt(request).await
        }
    };

    let binary: Vec<u8> = (0..3 * 1024 * 1024 + 5)
        .map(|i| (i * 31 % 256) as u8)
        .collect();
    let decrypted = round_trip(js_sys::Uint8Array::from(&binary[..]).into(), "binary")
        .await
        .unwrap_or(JsValue::NULL);
    let data = get(&decrypted, &["data"]).dyn_into::<js_sys::Uint8Array>();
    assert_eq!(data.map(|d| d.to_vec()).ok(), Some(binary));

    let text = format!(
        "\u{feff}{}{}",
        "a".repeat(1024 * 1024 - 4),
        "Grüße, ".repeat(300_000)
    );
    let decrypted = round_trip(text.as_str().into(), "utf8")
        .await
        .unwrap_or(JsValue::NULL);
    assert_eq!(get(&decrypted, &["data"]).as_string(), Some(text));

    let not_text = js_sys::Uint8Array::from(&[0x66, 0xff, 0xfe, 0x6f][..]);
    let refused = round_trip(not_text.clone().into(), "utf8")
        .await
        .err()
        .unwrap_or(JsValue::NULL);
    assert_eq!(
        get(&refused, &["code"]).as_string().as_deref(),
        Some("NOT_TEXT")
    );
    let refused = round_trip(not_text.into(), "xml")
        .await
        .err()
        .unwrap_or(JsValue::NULL);
    assert_eq!(
        get(&refused, &["code"]).as_string().as_deref(),
        Some("BAD_OPTIONS")
    );
    let refused = round_trip(JsValue::from_f64(7.0), "utf8")
        .await
        .err()
        .unwrap_or(JsValue::NULL);
    assert_eq!(
        get(&refused, &["code"]).as_string().as_deref(),
        Some("BAD_INPUT")
    );
}

/// Armored text (a JavaScript string) is decoded as it is read: a large
/// message, the same quoted in a CRLF reply, and a cut-off one that the
/// repairing reader then refuses with a code.
#[wasm_bindgen_test]
async fn armored_strings_decrypt_as_they_are_read() {
    let generated =
        sealmark::wasm::generate_key(options(r#"{"userIds":["Ida <ida@example.org>"]}"#))
            .await
            .unwrap_or(JsValue::NULL);
    let keys = js_sys::Array::of1(&get(&generated, &["publicKey"]));
    let secrets = js_sys::Array::of1(&get(&generated, &["privateKey"]));
    let data: Vec<u8> = (0..2 * 1024 * 1024 + 11)
        .map(|i| (i * 7 % 251) as u8)
        .collect();
    let request = with(
        with(
            options("{}"),
            "data",
            &js_sys::Uint8Array::from(&data[..]).into(),
        ),
        "encryptionKeys",
        &keys,
    );
    let armored = sealmark::wasm::encrypt(request)
        .await
        .ok()
        .and_then(|a| a.as_string())
        .unwrap_or_default();
    assert!(armored.starts_with("-----BEGIN PGP MESSAGE-----"));
    let decrypt = |message: String| {
        let request = with(
            with(
                options(r#"{"format":"binary"}"#),
                "message",
                &message.into(),
            ),
            "decryptionKeys",
            &secrets,
        );
        sealmark::wasm::decrypt(request)
    };
    let quoted: String = armored.lines().map(|l| format!("> {l}\r\n")).collect();
    for message in [armored.clone(), format!("On Monday Ida wrote:\r\n{quoted}")] {
        let decrypted = decrypt(message).await.unwrap_or(JsValue::NULL);
        let plain = get(&decrypted, &["data"]).dyn_into::<js_sys::Uint8Array>();
        assert_eq!(plain.map(|d| d.to_vec()).ok().as_ref(), Some(&data));
    }
    let cut = armored
        .get(..armored.len() / 2)
        .unwrap_or_default()
        .to_owned();
    let refused = decrypt(cut).await.err().unwrap_or(JsValue::NULL);
    assert_eq!(
        get(&refused, &["code"]).as_string().as_deref(),
        Some("BAD_ARMOR")
    );
}

#[wasm_bindgen_test]
async fn cfb_through_webcrypto_equals_cfb() {
    let key: Vec<u8> = (0..32u8).collect();
    for length in [0usize, 1, 15, 16, 17, 100, 65_541, 600_007] {
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

/// WebCrypto's AES-GCM (what SEIPDv2 chunks go through in a browser), in
/// place after a head that stays, gives the same ciphertext and tags as the
/// aes-gcm crate, opens what it sealed, and refuses a changed octet without
/// touching the buffer.
#[wasm_bindgen_test]
async fn gcm_through_webcrypto_equals_aes_gcm() {
    use aes_gcm::{AeadInPlace, KeyInit};
    use sealmark::webcrypto::{
        GCM_TAG, GcmPiece, gcm_open_with_webcrypto, gcm_seal_with_webcrypto,
    };
    let key: Vec<u8> = (100..132u8).collect();
    let data: Vec<u8> = (0..70_000u32).map(|i| (i * 13 % 256) as u8).collect();
    let lens = [65_536, data.len() - 65_536, 0];
    let pieces: Vec<GcmPiece<'_>> = lens
        .iter()
        .enumerate()
        .map(|(index, &len)| GcmPiece {
            nonce: [index as u8 + 1; 12],
            associated: if index == 2 { b"final" } else { b"info" },
            len,
        })
        .collect();
    let mut expected = b"head".to_vec();
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(&key).expect("key");
    let mut from = 0;
    for piece in &pieces {
        let mut sealed = data[from..from + piece.len].to_vec();
        from += piece.len;
        let tag = cipher
            .encrypt_in_place_detached(
                aes_gcm::Nonce::from_slice(&piece.nonce),
                piece.associated,
                &mut sealed,
            )
            .expect("sealed");
        expected.extend_from_slice(&sealed);
        expected.extend_from_slice(&tag);
    }
    let mut ours = [&b"head"[..], &data].concat();
    assert!(
        gcm_seal_with_webcrypto(&key, &pieces, &mut ours, 4).await,
        "WebCrypto did not run"
    );
    assert_eq!(ours, expected);

    let sealed_pieces: Vec<GcmPiece<'_>> = pieces
        .iter()
        .map(|piece| GcmPiece {
            nonce: piece.nonce,
            associated: piece.associated,
            len: piece.len + GCM_TAG,
        })
        .collect();
    let opened = gcm_open_with_webcrypto(&key, &sealed_pieces, &ours[4..])
        .await
        .and_then(|opened| opened.joined(std::slice::from_ref(&(0..data.len()))))
        .map(|joined| joined.to_vec());
    assert_eq!(opened.as_deref(), Some(&data[..]));

    let mut changed = ours[4..].to_vec();
    changed[65_536 + GCM_TAG + 3] ^= 1;
    let before = changed.clone();
    assert!(
        gcm_open_with_webcrypto(&key, &sealed_pieces, &changed)
            .await
            .is_none()
    );
    assert_eq!(changed, before);
}

/// A large v6 message sealed with WebCrypto's AES-GCM is read by the core's
/// software path and the other way round; a changed octet is TAMPERED.
#[wasm_bindgen_test]
async fn v6_gcm_messages_cross_between_webcrypto_and_the_core() {
    use sealmark::openpgp::unlock::UnlockKey;
    use sealmark::openpgp::{keys, message};
    let generated = sealmark::wasm::generate_key(options(
        r#"{"userIds":["Gina <gina@example.org>"],"profile":"rfc9580"}"#,
    ))
    .await
    .unwrap_or(JsValue::NULL);
    let public_key = get(&generated, &["publicKey"]);
    let private_key = get(&generated, &["privateKey"]);
    let secret = keys::read_secret_keys(text(&generated, &["privateKey"]).as_bytes())
        .expect("key")
        .remove(0);
    let data: Vec<u8> = (0..300_000u32).map(|i| (i % 241) as u8).collect();

    let request = with(
        with(
            options(r#"{"armor":false}"#),
            "data",
            &js_sys::Uint8Array::from(&data[..]).into(),
        ),
        "encryptionKeys",
        &js_sys::Array::of1(&public_key),
    );
    let sealed = js_sys::Uint8Array::new(
        &sealmark::wasm::encrypt(request)
            .await
            .unwrap_or(JsValue::NULL),
    )
    .to_vec();
    let container = pgp::packet::PacketParser::new(&sealed[..])
        .filter_map(|packet| packet.ok())
        .find_map(|packet| match packet {
            pgp::packet::Packet::SymEncryptedProtectedData(body) => Some(body.config().clone()),
            _ => None,
        });
    assert!(
        matches!(
            container,
            Some(pgp::packet::SymEncryptedProtectedDataConfig::V2 {
                aead: pgp::crypto::aead::AeadAlgorithm::Gcm,
                ..
            })
        ),
        "{container:?}"
    );
    let unlock = [UnlockKey {
        key: &secret,
        passphrase: None,
    }];
    let soft = message::decrypt(
        &sealed,
        &message::DecryptOptions {
            keys: &unlock,
            ..Default::default()
        },
    );
    assert_eq!(soft.map(|d| d.data), Ok(data.clone()));

    let by_core = message::encrypt(
        &data,
        &message::EncryptOptions {
            recipients: &[secret.to_public_key()],
            ..Default::default()
        },
    )
    .expect("encrypted");
    let decrypt = |ciphertext: &[u8]| {
        with(
            with(
                options(r#"{"format":"binary"}"#),
                "message",
                &js_sys::Uint8Array::from(ciphertext).into(),
            ),
            "decryptionKeys",
            &js_sys::Array::of1(&private_key),
        )
    };
    let opened = sealmark::wasm::decrypt(decrypt(&by_core))
        .await
        .unwrap_or(JsValue::NULL);
    assert_eq!(
        js_sys::Uint8Array::new(&get(&opened, &["data"])).to_vec(),
        data
    );

    let mut changed = by_core.clone();
    let middle = changed.len() / 2;
    changed[middle] ^= 0x20;
    let error = sealmark::wasm::decrypt(decrypt(&changed))
        .await
        .err()
        .unwrap_or(JsValue::NULL);
    assert_eq!(text(&error, &["code"]), "TAMPERED");
}

/// A v6 message that is only literal data is handed on from the arrays
/// WebCrypto opened it into: as text or as bytes, with its file name (none
/// is written), and bounded by `maxPlaintext`. A signed one goes through the core, which
/// checks its signature; both read alike.
#[wasm_bindgen_test]
async fn literal_data_alone_is_handed_on_from_webcrypto() {
    let generated = sealmark::wasm::generate_key(options(
        r#"{"userIds":["Hana <hana@example.org>"],"profile":"rfc9580"}"#,
    ))
    .await
    .unwrap_or(JsValue::NULL);
    let public_keys = js_sys::Array::of1(&get(&generated, &["publicKey"]));
    let private_keys = js_sys::Array::of1(&get(&generated, &["privateKey"]));
    // Several GCM chunks of multi-octet characters (text is sent with CRLF line ends).
    let text_data = "Grüße aus Köln\r\nzweite Zeile\r\n".repeat(20_000);
    let mut names = Vec::new();
    for signed in [false, true] {
        let mut request = with(
            with(
                options(r#"{"armor":false}"#),
                "data",
                &text_data.as_str().into(),
            ),
            "encryptionKeys",
            &public_keys,
        );
        if signed {
            request = with(request, "signingKeys", &private_keys);
        }
        let sealed = sealmark::wasm::encrypt(request)
            .await
            .unwrap_or(JsValue::NULL);
        let decrypt = |format: &str, max: usize| {
            let request = with(
                with(
                    with(
                        options(&format!(r#"{{"format":"{format}","maxPlaintext":{max}}}"#)),
                        "message",
                        &sealed,
                    ),
                    "decryptionKeys",
                    &private_keys,
                ),
                "verificationKeys",
                &public_keys,
            );
            sealmark::wasm::decrypt(request)
        };
        let as_text = decrypt("utf8", 1 << 24).await.unwrap_or(JsValue::NULL);
        assert_eq!(text(&as_text, &["data"]), text_data, "signed: {signed}");
        names.push(get(&as_text, &["filename"]).as_string());
        let signatures = js_sys::Array::from(&get(&as_text, &["signatures"]));
        assert_eq!(signatures.length(), u32::from(signed));
        if signed {
            assert_eq!(
                get(&as_text, &["signatures", "0", "valid"]).as_bool(),
                Some(true)
            );
        }
        let as_bytes = decrypt("binary", 1 << 24).await.unwrap_or(JsValue::NULL);
        assert_eq!(
            js_sys::Uint8Array::new(&get(&as_bytes, &["data"])).to_vec(),
            text_data.as_bytes()
        );
        let refused = decrypt("binary", text_data.len() - 1)
            .await
            .err()
            .unwrap_or(JsValue::NULL);
        assert_eq!(text(&refused, &["code"]), "TOO_LARGE", "signed: {signed}");
        // Said from the locale files by the extension (the core's Detail).
        assert_eq!(
            text(&refused, &["detail", "key"]),
            "coreDetail_plaintext_too_large"
        );
        assert_eq!(
            text(&refused, &["detail", "args", "0"]),
            (text_data.len() - 1).to_string()
        );
    }
    // The file name as the core reads it: none was written.
    assert_eq!(names, [None, None]);
}

/// WebCrypto's digests of an iterated passphrase derivation's input (zero
/// octets, then salt and passphrase repeated, the last repetition cut short)
/// equal the sha1/sha2 crates' over the same octets.
#[wasm_bindgen_test]
async fn repeated_digests_through_webcrypto_equal_the_hash_crates() {
    use pgp::crypto::hash::HashAlgorithm;
    use sealmark::webcrypto::{RepeatedInput, digests_with_webcrypto};
    use sha2::Digest;
    fn expected<D: Digest>(zeros: usize, unit: &[u8], total: usize) -> Vec<u8> {
        let mut input = vec![0u8; zeros];
        input.extend(unit.iter().cycle().take(total));
        D::digest(&input).to_vec()
    }
    let unit = b"\x01\x02\x03\x04\x05\x06\x07\x08correct horse";
    for total in [unit.len(), unit.len() * 2 + 5, 1_000_003] {
        for hash in [
            HashAlgorithm::Sha1,
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha384,
            HashAlgorithm::Sha512,
        ] {
            let inputs: Vec<RepeatedInput<'_>> = (0..3)
                .map(|zeros| RepeatedInput {
                    hash,
                    zeros,
                    unit,
                    total,
                })
                .collect();
            let ours = digests_with_webcrypto(&inputs).await;
            assert_eq!(ours.len(), 3);
            for (zeros, digest) in ours.iter().enumerate() {
                let want = match hash {
                    HashAlgorithm::Sha1 => expected::<sha1::Sha1>(zeros, unit, total),
                    HashAlgorithm::Sha256 => expected::<sha2::Sha256>(zeros, unit, total),
                    HashAlgorithm::Sha384 => expected::<sha2::Sha384>(zeros, unit, total),
                    _ => expected::<sha2::Sha512>(zeros, unit, total),
                };
                assert_eq!(
                    digest.as_ref().map(|d| d.to_vec()),
                    Some(want),
                    "{hash:?} zeros {zeros} total {total}"
                );
            }
        }
    }
    let sha224 = RepeatedInput {
        hash: HashAlgorithm::Sha224,
        zeros: 0,
        unit,
        total: 100,
    };
    assert!(matches!(
        digests_with_webcrypto(&[sha224]).await.as_slice(),
        [None]
    ));
}

/// A compressed message opens to more than its own size: the plaintext
/// outgrows the destination `decrypt` prepared in JavaScript memory from the
/// message's length, and goes on in pieces (GnuPG compresses by default).
#[wasm_bindgen_test]
async fn a_compressed_message_larger_than_its_container_decrypts_whole() {
    use pgp::composed::MessageBuilder;
    use pgp::crypto::sym::SymmetricKeyAlgorithm;
    use pgp::types::CompressionAlgorithm;

    let generated =
        sealmark::wasm::generate_key(options(r#"{"userIds":["Kim <kim@example.org>"]}"#))
            .await
            .unwrap_or(JsValue::NULL);
    let public = get(&generated, &["publicKey"])
        .as_string()
        .unwrap_or_default();
    let cert = sealmark::openpgp::keys::read_certs(public.as_bytes())
        .ok()
        .and_then(|certs| certs.into_iter().next());
    let Some(cert) = cert else {
        panic!("the generated certificate reads back");
    };
    let encryption = cert.public_subkeys.first().map(|subkey| subkey.key.clone());
    let Some(encryption) = encryption else {
        panic!("the generated key has an encryption subkey");
    };
    // 2 MiB that do not compress, then 2 MiB that do: the container is about
    // 2 MiB (more than one piece), the plaintext 4 MiB.
    let mut state = 0x2545_f491_u32;
    let mut data: Vec<u8> = (0..2 * 1024 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect();
    data.resize(4 * 1024 * 1024, 0);
    let mut rng = rand::rngs::OsRng;
    let mut builder = MessageBuilder::from_bytes("", data.clone())
        .seipd_v1(&mut rng, SymmetricKeyAlgorithm::AES256);
    builder.compression(CompressionAlgorithm::ZLIB);
    if builder.encrypt_to_key(&mut rng, &encryption).is_err() {
        panic!("rPGP encrypts to the generated key");
    }
    let Ok(encrypted) = builder.to_vec(rng) else {
        panic!("rPGP encrypts the compressed message");
    };
    assert!(encrypted.len() > 1024 * 1024 && encrypted.len() < data.len());
    let request = with(
        with(
            options(r#"{"format":"binary"}"#),
            "message",
            &js_sys::Uint8Array::from(&encrypted[..]),
        ),
        "decryptionKeys",
        &js_sys::Array::of1(&get(&generated, &["privateKey"])),
    );
    let decrypted = sealmark::wasm::decrypt(request)
        .await
        .unwrap_or(JsValue::NULL);
    let opened = get(&decrypted, &["data"]).dyn_into::<js_sys::Uint8Array>();
    assert_eq!(opened.map(|d| d.to_vec()).ok(), Some(data));
}
