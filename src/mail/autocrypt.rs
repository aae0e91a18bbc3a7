//! Autocrypt Level 1 (<https://autocrypt.org/level1.html>): the `Autocrypt`
//! header of a received message, the per-peer state it updates, and the
//! recommendation that state gives the compose editor.

use pgp::composed::SignedSecretKey;
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::header::{address, date, fields};
use crate::openpgp::message::{self, DecryptOptions, EncryptOptions};
use crate::openpgp::{OpenPgpError, armor, keys};

/// Headers larger than this are ignored (a Level 1 key is a few hundred bytes).
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Level 1: a key not seen with the last 35 days of mail only discourages encryption.
const STALE_SECONDS: i64 = 35 * 24 * 3600;

/// The valid `Autocrypt` header of a message, with the message's sender and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
// Named in TypeScript as the Wasm face has always named it.
#[cfg_attr(target_arch = "wasm32", tsify(rename = "AutocryptHeader"))]
pub struct Header {
    /// The `addr` attribute, equal to the From address (lower-cased).
    pub addr: String,
    /// `prefer-encrypt=mutual` was given.
    pub prefer_mutual: bool,
    /// The key, armored (the certificate reduced to what `keydata` held).
    pub key: String,
    /// Its fingerprint.
    pub fingerprint: String,
}

/// What a received message says about its sender, for [`update`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
// Named in TypeScript as the Wasm face has always named it.
#[cfg_attr(target_arch = "wasm32", tsify(rename = "AutocryptObservation"))]
pub struct Observation {
    /// The From address (lower-cased), if there is exactly one.
    pub from: Option<String>,
    /// The effective date: the Date header, or `now` when it is missing or in the future.
    pub effective_date: i64,
    /// The one valid Autocrypt header, if any.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "AutocryptHeader | null"))]
    pub header: Option<Header>,
    /// Why a present Autocrypt header was not used.
    pub ignored: Option<String>,
}

/// Per-peer state (Level 1 §2.3), kept by the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
// Named in TypeScript as the Wasm face has always named it.
#[cfg_attr(target_arch = "wasm32", tsify(rename = "AutocryptPeer"))]
pub struct PeerState {
    /// The newest effective date of any message from the peer.
    pub last_seen: i64,
    /// The effective date of the message the key came from.
    pub autocrypt_timestamp: i64,
    /// The key, armored.
    pub public_key: Option<String>,
    /// `mutual` or `nopreference`.
    pub prefer_encrypt: String,
    /// A key another sender gossiped for this peer, armored (Level 1 §2.3.1).
    #[serde(default)]
    pub gossip_key: Option<String>,
    /// The effective date of the message it was gossiped in.
    #[serde(default)]
    pub gossip_timestamp: i64,
}

/// The UI recommendation for one recipient (Level 1 §2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Recommendation {
    /// No key: encryption is not possible.
    Disable,
    /// A key, but old or unsure: encryption possible, not suggested.
    Discourage,
    /// Encryption possible; off by default.
    Available,
    /// Encrypt by default.
    Encrypt,
}

/// Reads the Autocrypt-relevant headers of a raw message.
pub fn observe(raw: &[u8], now: i64) -> Observation {
    let section = fields::header_section(raw);
    let mut froms = Vec::new();
    let mut dates = Vec::new();
    let mut autocrypt = Vec::new();
    for field in fields::split(section) {
        let value = String::from_utf8_lossy(field.value).into_owned();
        if field.name.eq_ignore_ascii_case("from") {
            froms.push(value);
        } else if field.name.eq_ignore_ascii_case("date") {
            dates.push(value);
        } else if field.name.eq_ignore_ascii_case("autocrypt") {
            autocrypt.push(value);
        }
    }
    let from = address::single_address(&froms);
    let effective_date = dates
        .first()
        .and_then(|d| date::parse(d))
        .filter(|&d| d <= now)
        .unwrap_or(now);
    let (header, ignored) = match (&from, autocrypt.is_empty()) {
        (_, true) => (None, None),
        (None, false) => (
            None,
            Some("the message has no single From address".to_string()),
        ),
        (Some(from), false) => pick_header(&autocrypt, from),
    };
    Observation {
        from,
        effective_date,
        header,
        ignored,
    }
}

/// Level 1: exactly one valid header whose `addr` is the From address.
fn pick_header(values: &[String], from: &str) -> (Option<Header>, Option<String>) {
    let mut valid = Vec::new();
    let mut last_problem = None;
    for value in values {
        match parse_header(value, from) {
            Ok(header) => valid.push(header),
            Err(problem) => last_problem = Some(problem),
        }
    }
    match valid.len() {
        1 => (valid.pop(), None),
        0 => (None, last_problem),
        _ => (None, Some("more than one valid Autocrypt header".into())),
    }
}

/// One header value: `addr=…; [prefer-encrypt=mutual;] keydata=…`.
pub fn parse_header(value: &str, from: &str) -> Result<Header, String> {
    if value.len() > MAX_HEADER_BYTES {
        return Err("the Autocrypt header is too large".into());
    }
    let mut addr = None;
    let mut prefer_mutual = false;
    let mut keydata = None;
    for attribute in value.split(';') {
        let attribute = attribute.trim();
        if attribute.is_empty() {
            continue;
        }
        let (name, data) = attribute
            .split_once('=')
            .ok_or_else(|| format!("attribute {attribute:?} has no value"))?;
        match name.trim().to_ascii_lowercase().as_str() {
            "addr" => addr = Some(data.trim().to_ascii_lowercase()),
            "prefer-encrypt" => prefer_mutual = data.trim().eq_ignore_ascii_case("mutual"),
            "keydata" => keydata = Some(data),
            other if other.starts_with('_') => {} // non-critical, ignored
            other => return Err(format!("unknown critical attribute {other:?}")),
        }
    }
    let addr = addr.ok_or("the addr attribute is missing")?;
    if addr != from {
        return Err(format!("addr {addr} is not the sender {from}"));
    }
    let keydata: String = keydata
        .ok_or("the keydata attribute is missing")?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let bytes = armor::decode_base64(&keydata).ok_or("keydata is not base64")?;
    let certs = keys::read_certs(&bytes).map_err(|e| e.to_string())?;
    let [cert] = certs.as_slice() else {
        return Err("keydata must hold exactly one key".into());
    };
    let info = keys::info(cert, None);
    if !info.can_encrypt {
        return Err("the key in keydata cannot encrypt".into());
    }
    Ok(Header {
        addr,
        prefer_mutual,
        key: keys::armor_cert(cert).map_err(|e| e.to_string())?,
        fingerprint: info.fingerprint,
    })
}

/// Level 1 §2.3: updates a peer's state with one received message.
pub fn update(state: &mut PeerState, observation: &Observation) {
    let date = observation.effective_date;
    if date <= state.last_seen && state.public_key.is_some() {
        return; // an older message never rolls the state back
    }
    state.last_seen = state.last_seen.max(date);
    if let Some(header) = &observation.header
        && date >= state.autocrypt_timestamp
    {
        state.autocrypt_timestamp = date;
        state.public_key = Some(header.key.clone());
        state.prefer_encrypt = if header.prefer_mutual {
            "mutual".into()
        } else {
            "nopreference".into()
        };
    }
}

/// The `Autocrypt-Gossip` headers of a decrypted message's header section
/// (Level 1 §2.7): keys the sender knew for the other recipients. Invalid
/// ones are skipped.
pub fn gossip(entity: &[u8]) -> Vec<Header> {
    fields::split(fields::header_section(entity))
        .into_iter()
        .filter(|field| field.name.eq_ignore_ascii_case("autocrypt-gossip"))
        .filter_map(|field| {
            let value = String::from_utf8_lossy(field.value);
            let addr = value.split(';').find_map(|a| {
                let (name, data) = a.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("addr")
                    .then(|| data.trim().to_ascii_lowercase())
            })?;
            parse_header(&value, &addr).ok()
        })
        .collect()
}

/// `text` (ASCII) cut into runs of `width` characters joined by `separator`.
fn grouped(text: &str, width: usize, separator: &str) -> String {
    text.as_bytes()
        .chunks(width)
        .map(String::from_utf8_lossy)
        .collect::<Vec<_>>()
        .join(separator)
}

/// `Autocrypt-Gossip` header lines (Level 1 §2.7) for the recipients of a
/// message sent to several people: each recipient's address and key, so
/// that they can reply to all encrypted. Keys are folded at 76 columns.
pub fn gossip_headers(recipients: &[(String, String)]) -> Result<Vec<String>, OpenPgpError> {
    let mut lines = Vec::new();
    for (address, armored) in recipients {
        let binary = armor::dearmor(armored.as_bytes())?;
        let keydata = armor::encode_base64(&binary);
        let folded = grouped(&keydata, 76, "\r\n ");
        lines.push(format!(
            "Autocrypt-Gossip: addr={}; keydata=\r\n {folded}",
            address.trim().to_ascii_lowercase()
        ));
    }
    Ok(lines)
}

/// Level 1 §2.3.1: a gossiped key is kept when it is newer than the last one.
pub fn update_gossip(state: &mut PeerState, header: &Header, effective_date: i64) {
    if effective_date >= state.gossip_timestamp {
        state.gossip_timestamp = effective_date;
        state.gossip_key = Some(header.key.clone());
    }
}

/// Level 1 §2.4 for one recipient: `own_mutual` is the user's own
/// prefer-encrypt setting, `reply_to_encrypted` whether this is a reply to
/// an encrypted message.
pub fn recommend(
    state: Option<&PeerState>,
    own_mutual: bool,
    reply_to_encrypted: bool,
) -> Recommendation {
    let Some(state) = state.filter(|s| s.public_key.is_some() || s.gossip_key.is_some()) else {
        return Recommendation::Disable;
    };
    if state.public_key.is_none() {
        // Only a gossiped key: usable, but nobody heard it from the peer.
        return if reply_to_encrypted {
            Recommendation::Encrypt
        } else {
            Recommendation::Discourage
        };
    }
    let preliminary = if state.autocrypt_timestamp < state.last_seen - STALE_SECONDS {
        Recommendation::Discourage
    } else {
        Recommendation::Available
    };
    if reply_to_encrypted
        || (preliminary == Recommendation::Available
            && own_mutual
            && state.prefer_encrypt == "mutual")
    {
        Recommendation::Encrypt
    } else {
        preliminary
    }
}

/// An Autocrypt Setup Message (Level 1 §4.4): the secret key, encrypted
/// with a 36-digit setup code, for moving it to another mail program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
// Named in TypeScript as the Wasm face has always named it.
#[cfg_attr(target_arch = "wasm32", tsify(rename = "AutocryptSetupMessage"))]
pub struct SetupMessage {
    /// The setup code as shown to the user: nine blocks of four digits.
    pub code: String,
    /// The armored, encrypted key (with the `Passphrase-Format` headers).
    pub armored: String,
    /// The whole message, to send to oneself or save as `.eml`.
    pub message: String,
}

/// Makes a setup message for `key`, unlocked with `passphrase` (`None` for an
/// unprotected key): inside, the key travels protected by the setup code only,
/// as other Autocrypt programs expect.
pub fn setup_message(
    key: &SignedSecretKey,
    passphrase: Option<&str>,
    address: &str,
    prefer_mutual: bool,
) -> Result<SetupMessage, OpenPgpError> {
    let key = &keys::change_passphrase(key, passphrase, None)?;
    let mut rng = crate::openpgp::rng();
    let digits: String = (0..36)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect();
    let code = grouped(&digits, 4, "-");
    let preference = if prefer_mutual {
        "mutual"
    } else {
        "nopreference"
    };
    let payload = with_armor_headers(
        &keys::armor_secret(key)?,
        &[("Autocrypt-Prefer-Encrypt", preference)],
    );
    let ciphertext = message::encrypt(
        payload.as_bytes(),
        &EncryptOptions {
            recipients: &[],
            signers: &[],
            passwords: std::slice::from_ref(&code),
            armor: false,
            text: false,
        },
    )?;
    let begin = digits.get(..2).unwrap_or("00");
    let armored = with_armor_headers(
        &armor::armor_bytes(&ciphertext)?,
        &[
            ("Passphrase-Format", "numeric9x4"),
            ("Passphrase-Begin", begin),
        ],
    );
    let html = format!(
        "<html><body><p>This is the Autocrypt Setup Message used to transfer your end-to-end setup between clients. To decrypt and use your setup, open the message in an Autocrypt-compliant client and enter the setup code presented on the generating device.</p>\r\n<pre>\r\n{}</pre></body></html>\r\n",
        armored.replace('\n', "\r\n")
    );
    let message = [
        format!("From: <{address}>"),
        format!("To: <{address}>"),
        "Subject: Autocrypt Setup Message".to_string(),
        "Autocrypt-Setup-Message: v1".to_string(),
        "MIME-Version: 1.0".to_string(),
        "Content-Type: multipart/mixed; boundary=\"sealmark-setup\"".to_string(),
        String::new(),
        "--sealmark-setup".to_string(),
        "Content-Type: text/plain; charset=utf-8".to_string(),
        String::new(),
        "This message contains your Autocrypt setup. Open it in your other mail program and enter the setup code shown by Sealmark.".to_string(),
        "--sealmark-setup".to_string(),
        "Content-Type: application/autocrypt-setup".to_string(),
        "Content-Disposition: attachment; filename=\"autocrypt-setup-message.html\"".to_string(),
        String::new(),
        html,
        "--sealmark-setup--".to_string(),
        String::new(),
    ]
    .join("\r\n");
    Ok(SetupMessage {
        code,
        armored,
        message,
    })
}

/// Opens a setup message (or the armored block from one) with its setup
/// code (dashes and spaces optional): the armored secret key inside.
pub fn open_setup_message(text: &[u8], code: &str) -> Result<String, OpenPgpError> {
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 36 {
        return Err(OpenPgpError::BadInput(
            "a setup code has 36 digits (nine blocks of four)".into(),
        ));
    }
    let dashed = digits
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-");
    let text = String::from_utf8_lossy(text);
    let block = armor::find_blocks(&text)
        .into_iter()
        .find(|b| b.kind == armor::BlockKind::Message)
        .ok_or_else(|| OpenPgpError::BadArmor("no setup message block found".into()))?;
    let opened = message::decrypt(
        block.armored.as_bytes(),
        &DecryptOptions {
            keys: &[],
            passwords: std::slice::from_ref(&dashed),
            verification: &[],
            max_plaintext: Some(1024 * 1024),
        },
    )
    .map_err(|e| match e {
        OpenPgpError::CannotDecrypt | OpenPgpError::Tampered => {
            OpenPgpError::BadPassphrase("the setup code".into())
        }
        other => other,
    })?;
    let payload = String::from_utf8(opened.data)
        .map_err(|_| OpenPgpError::BadMessage("the setup message holds no key".into()))?;
    keys::read_secret_keys(payload.as_bytes())?;
    Ok(payload)
}

/// Adds armor header lines after the BEGIN line.
fn with_armor_headers(armored: &str, headers: &[(&str, &str)]) -> String {
    let Some((begin, rest)) = armored.split_once('\n') else {
        return armored.to_string();
    };
    let lines: String = headers.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
    // The armor already has a blank line after BEGIN (or its own headers); ours go first.
    format!(
        "{begin}\n{lines}{}",
        rest.strip_prefix('\n')
            .map_or_else(|| rest.to_string(), |r| format!("\n{r}"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openpgp::keys::{GenerateOptions, Profile};

    fn keydata(address: &str) -> String {
        let key = keys::generate(&GenerateOptions {
            user_ids: vec![format!("<{address}>")],
            passphrase: None,
            profile: Profile::Curve25519,
            expires_in: None,
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let armored = keys::armor_cert(&key.to_public_key()).unwrap_or_else(|e| panic!("{e}"));
        let body: String = armored
            .lines()
            .skip_while(|l| !l.is_empty())
            .skip(1)
            .take_while(|l| !l.starts_with('=') && !l.starts_with("-----"))
            .collect();
        // folded the way MUAs fold long headers
        body.as_bytes()
            .chunks(70)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("\r\n ")
    }

    fn message(headers: &str) -> Vec<u8> {
        format!("{headers}\r\nSubject: hi\r\n\r\nbody\r\n").into_bytes()
    }

    const NOW: i64 = 1_700_000_000;

    #[test]
    fn one_valid_header_from_the_sender_is_taken() {
        let data = keydata("alice@example.org");
        let raw = message(&format!(
            "From: Alice <Alice@Example.org>\r\nDate: Tue, 14 Nov 2023 22:13:20 +0000\r\nAutocrypt: addr=alice@example.org; prefer-encrypt=mutual; keydata=\r\n {data}"
        ));
        let seen = observe(&raw, NOW);
        let header = seen
            .header
            .clone()
            .unwrap_or_else(|| panic!("{:?}", seen.ignored));
        assert!(header.prefer_mutual);
        assert_eq!(seen.effective_date, NOW);
        let mut state = PeerState::default();
        update(&mut state, &seen);
        assert_eq!(
            recommend(Some(&state), true, false),
            Recommendation::Encrypt
        );
        assert_eq!(
            recommend(Some(&state), false, false),
            Recommendation::Available
        );
        assert_eq!(recommend(None, true, false), Recommendation::Disable);
    }

    #[test]
    fn headers_that_break_the_rules_are_ignored() {
        let data = keydata("alice@example.org");
        for (headers, why) in [
            (
                format!(
                    "From: bob@example.org\r\nAutocrypt: addr=alice@example.org; keydata={data}"
                ),
                "is not the sender",
            ),
            (
                format!(
                    "From: alice@example.org\r\nAutocrypt: addr=alice@example.org; color=red; keydata={data}"
                ),
                "critical",
            ),
            (
                format!(
                    "From: alice@example.org\r\nAutocrypt: addr=alice@example.org; keydata={data}\r\nAutocrypt: addr=alice@example.org; keydata={data}"
                ),
                "more than one",
            ),
            (
                "From: alice@example.org\r\nAutocrypt: addr=alice@example.org; keydata=!!!"
                    .to_string(),
                "base64",
            ),
        ] {
            let seen = observe(&message(&headers), NOW);
            assert!(seen.header.is_none(), "{headers}");
            assert!(
                seen.ignored.as_deref().unwrap_or_default().contains(why),
                "{:?} for {why}",
                seen.ignored
            );
        }
        let non_critical = format!(
            "From: alice@example.org\r\nAutocrypt: addr=alice@example.org; _extra=1; keydata={data}"
        );
        assert!(observe(&message(&non_critical), NOW).header.is_some());
    }

    #[test]
    fn a_locked_key_needs_its_passphrase_for_a_setup_message() {
        let key = keys::generate(&GenerateOptions {
            user_ids: vec!["<alice@example.org>".into()],
            passphrase: Some("correct horse".into()),
            profile: Profile::Curve25519,
            expires_in: None,
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(setup_message(&key, Some("wrong"), "alice@example.org", false).is_err());
        let made = setup_message(&key, Some("correct horse"), "alice@example.org", false)
            .unwrap_or_else(|e| panic!("{e}"));
        let opened = open_setup_message(made.message.as_bytes(), &made.code)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(opened.contains("Autocrypt-Prefer-Encrypt: nopreference"));
    }

    #[test]
    fn setup_messages_round_trip_with_their_code_only() {
        let key = keys::generate(&GenerateOptions {
            user_ids: vec!["<alice@example.org>".into()],
            passphrase: None,
            profile: Profile::Curve25519,
            expires_in: None,
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let made =
            setup_message(&key, None, "alice@example.org", true).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(made.code.len(), 44);
        assert!(made.armored.contains("\nPassphrase-Format: numeric9x4\n"));
        assert!(
            made.armored
                .contains(&format!("Passphrase-Begin: {}", &made.code[..2]))
        );
        assert!(made.message.contains("Autocrypt-Setup-Message: v1"));
        let opened = open_setup_message(made.message.as_bytes(), &made.code.replace('-', " "))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(opened.contains("Autocrypt-Prefer-Encrypt: mutual"));
        let back = keys::read_secret_keys(opened.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            keys::fingerprint(&back[0].primary_key),
            keys::fingerprint(&key.primary_key)
        );
        let wrong = "1".repeat(36);
        assert_eq!(
            open_setup_message(made.armored.as_bytes(), &wrong)
                .err()
                .map(|e| e.code()),
            Some("BAD_PASSPHRASE")
        );
    }

    #[test]
    fn gossip_we_write_is_gossip_we_read() {
        let data = keydata("dan@example.org");
        let armored = format!(
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n{}\n-----END PGP PUBLIC KEY BLOCK-----\n",
            data.replace("\r\n ", "\n")
        );
        let lines = gossip_headers(&[("Dan@Example.org".into(), armored)])
            .unwrap_or_else(|e| panic!("{e}"));
        let payload = crate::mail::pgp_mime::build_payload("hi", None, &lines, &[]);
        let read = gossip(payload.as_bytes());
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].addr, "dan@example.org");
    }

    #[test]
    fn gossip_headers_give_a_discouraged_key() {
        let data = keydata("carol@example.org");
        let entity = format!(
            "Content-Type: text/plain\r\nAutocrypt-Gossip: addr=carol@example.org; keydata={data}\r\nAutocrypt-Gossip: addr=broken@example.org; keydata=xx\r\n\r\nHello"
        );
        let found = gossip(entity.as_bytes());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].addr, "carol@example.org");
        let mut state = PeerState::default();
        update_gossip(&mut state, &found[0], NOW);
        assert_eq!(
            recommend(Some(&state), true, false),
            Recommendation::Discourage
        );
        assert_eq!(recommend(Some(&state), true, true), Recommendation::Encrypt);
    }

    #[test]
    fn state_follows_effective_dates_and_goes_stale() {
        let data = keydata("alice@example.org");
        let with_key = observe(
            &message(&format!(
                "From: alice@example.org\r\nDate: Mon, 1 May 2023 10:00:00 +0000\r\nAutocrypt: addr=alice@example.org; keydata={data}"
            )),
            NOW,
        );
        let later_without = observe(
            &message("From: alice@example.org\r\nDate: Mon, 1 Sep 2023 10:00:00 +0000"),
            NOW,
        );
        let older_without = observe(
            &message("From: alice@example.org\r\nDate: Mon, 1 Jan 2023 10:00:00 +0000"),
            NOW,
        );
        let mut state = PeerState::default();
        update(&mut state, &with_key);
        assert_eq!(
            recommend(Some(&state), false, false),
            Recommendation::Available
        );
        update(&mut state, &older_without);
        assert_eq!(
            state.last_seen, with_key.effective_date,
            "an older message changes nothing"
        );
        update(&mut state, &later_without);
        assert_eq!(
            recommend(Some(&state), true, false),
            Recommendation::Discourage
        );
        assert_eq!(
            recommend(Some(&state), false, true),
            Recommendation::Encrypt,
            "a reply to encrypted mail"
        );
    }
}
