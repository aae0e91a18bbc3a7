//! Finding a correspondent's certificate: Web Key Directory
//! (draft-koch-openpgp-webkey-service) and keys.openpgp.org (VKS API). This
//! module builds the addresses and judges what comes back; fetching is the
//! caller's (the browser's `fetch`, with its time-out and size cap).

use serde::Serialize;
use sha1::{Digest, Sha1};

use crate::openpgp::keys;
use crate::openpgp::{OpenPgpError, Result};

/// The largest answer read from a key server.
pub const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// Where to look for the certificate of one address, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
// Named in TypeScript as the Wasm face has always named it.
#[cfg_attr(target_arch = "wasm32", tsify(rename = "KeyLookup"))]
pub struct Lookup {
    /// WKD, advanced method: `https://openpgpkey.<domain>/.well-known/openpgpkey/<domain>/hu/<hash>?l=<local>`.
    pub wkd_advanced: String,
    /// WKD, direct method: `https://<domain>/.well-known/openpgpkey/hu/<hash>?l=<local>`.
    pub wkd_direct: String,
    /// keys.openpgp.org by e-mail.
    pub vks: String,
    /// The file name a domain owner serves the key under (`hu/<hash>`).
    pub wkd_hash: String,
}

/// The look-up addresses for an e-mail address, or BAD_INPUT.
pub fn lookup(address: &str) -> Result<Lookup> {
    let address = address.trim();
    let (local, domain) = address
        .rsplit_once('@')
        .filter(|(l, d)| {
            !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
        })
        .ok_or_else(|| OpenPgpError::BadInput(format!("{address:?} is not an e-mail address")))?;
    if !domain
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(OpenPgpError::BadInput(format!(
            "{domain:?} is not a domain Sealmark can look keys up at"
        )));
    }
    let domain = domain.to_ascii_lowercase();
    let hash = zbase32(&Sha1::digest(local.to_ascii_lowercase().as_bytes()));
    let l = percent_encode(local);
    Ok(Lookup {
        wkd_advanced: format!(
            "https://openpgpkey.{domain}/.well-known/openpgpkey/{domain}/hu/{hash}?l={l}"
        ),
        wkd_direct: format!("https://{domain}/.well-known/openpgpkey/hu/{hash}?l={l}"),
        vks: format!(
            "https://keys.openpgp.org/vks/v1/by-email/{}",
            percent_encode(&format!("{local}@{domain}"))
        ),
        wkd_hash: hash,
    })
}

/// keys.openpgp.org by fingerprint (40 or 64 hex digits), or BAD_INPUT.
pub fn vks_by_fingerprint(fingerprint: &str) -> Result<String> {
    let hex: String = fingerprint
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if !matches!(hex.len(), 40 | 64) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(OpenPgpError::BadInput(format!(
            "{fingerprint:?} is not a fingerprint"
        )));
    }
    Ok(format!(
        "https://keys.openpgp.org/vks/v1/by-fingerprint/{hex}"
    ))
}

/// z-base-32 (the encoding WKD uses for the hashed local part).
pub fn zbase32(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ybndrfg8ejkmcpqxot1uwisza345h769";
    let mut out = String::with_capacity(data.len() * 8 / 5 + 1);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in data {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The certificates in a key server's answer that belong to `address`, each
/// reduced to the user IDs with that address (a directory may not vouch
/// for other names), armored. Secret keys in the answer are refused.
pub fn certificates_for(answer: &[u8], address: &str) -> Result<Vec<String>> {
    if answer.len() > MAX_ANSWER_BYTES {
        return Err(OpenPgpError::TooLarge {
            size: answer.len(),
            limit: MAX_ANSWER_BYTES,
        });
    }
    if keys::read_secret_keys(answer).is_ok() {
        return Err(OpenPgpError::WrongKeyKind(
            "the key server sent a secret key; it was not used".into(),
        ));
    }
    let wanted = address.trim().to_ascii_lowercase();
    let mut found = Vec::new();
    for mut cert in keys::read_certs(answer)? {
        cert.details.users.retain(|user| {
            crate::header::address::address_of(&String::from_utf8_lossy(user.id.id()))
                == Some(wanted.clone())
        });
        if !cert.details.users.is_empty() {
            found.push(keys::armor_cert(&cert)?);
        }
    }
    Ok(found)
}

/// Guards an upload: the armored certificate of `input`, refusing anything
/// that holds secret key material.
pub fn public_only(input: &[u8]) -> Result<String> {
    if keys::read_secret_keys(input).is_ok() {
        return Err(OpenPgpError::WrongKeyKind(
            "this holds a secret key; only public keys may be uploaded".into(),
        ));
    }
    let certs = keys::read_certs(input)?;
    let [cert] = certs.as_slice() else {
        return Err(OpenPgpError::BadInput(
            "upload one certificate at a time".into(),
        ));
    };
    keys::armor_cert(cert)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wkd_addresses_follow_the_draft_example() {
        // draft-koch-openpgp-webkey-service §3.1: Joe.Doe@Example.ORG
        let found = lookup("Joe.Doe@Example.ORG").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(found.wkd_hash, "iy9q119eutrkn8s1mk4r39qejnbu3n5q");
        assert_eq!(
            found.wkd_advanced,
            "https://openpgpkey.example.org/.well-known/openpgpkey/example.org/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe"
        );
        assert_eq!(
            found.wkd_direct,
            "https://example.org/.well-known/openpgpkey/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe"
        );
        assert_eq!(
            found.vks,
            "https://keys.openpgp.org/vks/v1/by-email/Joe.Doe%40example.org"
        );
    }

    #[test]
    fn vks_by_fingerprint_takes_only_fingerprints() {
        assert_eq!(
            vks_by_fingerprint("6f5d 2b1c 8a5e 0e4a 9f6c 1d2e 3f4a 5b6c 7d8e 9f0a").ok(),
            Some(
                "https://keys.openpgp.org/vks/v1/by-fingerprint/6F5D2B1C8A5E0E4A9F6C1D2E3F4A5B6C7D8E9F0A"
                    .into()
            )
        );
        assert!(vks_by_fingerprint("../../etc").is_err());
        assert!(vks_by_fingerprint("ABCD").is_err());
    }

    #[test]
    fn bad_addresses_and_domains_are_refused() {
        for bad in [
            "",
            "joe",
            "joe@",
            "@example.org",
            "joe@localhost",
            "joe@exa mple.org",
            "joe@example.org/x",
        ] {
            assert!(lookup(bad).is_err(), "{bad:?}");
        }
    }
}
