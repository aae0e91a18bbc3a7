//! `sealmark inspect`: what a key or certificate is, for people or as JSON.

use std::fmt::Write as _;

use sealmark::openpgp::OpenPgpError;
use sealmark::openpgp::keys::{self, ComponentInfo, KeyInfo, Protection};

/// Describes every key in `input`; secret keys are recognised as such.
pub fn run(input: &[u8], json: bool) -> Result<String, OpenPgpError> {
    let infos: Vec<KeyInfo> = keys::describe(input)?;
    if json {
        let mut text = serde_json::to_string_pretty(&infos)
            .map_err(|e| OpenPgpError::Internal(e.to_string()))?;
        text.push('\n');
        return Ok(text);
    }
    let mut out = String::new();
    for info in &infos {
        let kind = if info.secret { "sec" } else { "pub" };
        let lock = match info.protection {
            None => "",
            Some(Protection::Argon2) => "  (passphrase-protected, Argon2)",
            Some(Protection::Iterated) => "  (passphrase-protected)",
            Some(Protection::Partial) => "  (only PARTLY protected by a passphrase)",
            Some(Protection::None) => "  (NOT protected by a passphrase)",
        };
        let _ = writeln!(
            out,
            "{kind}  v{}  {}{lock}",
            info.version,
            component(&info.primary)
        );
        let _ = writeln!(out, "     {}", grouped(&info.fingerprint));
        for user_id in &info.user_ids {
            let _ = writeln!(out, "uid  {user_id}");
        }
        for subkey in &info.subkeys {
            let _ = writeln!(out, "sub  {}", component(subkey));
            let _ = writeln!(out, "     {}", grouped(&subkey.fingerprint));
        }
        let _ = writeln!(out);
    }
    Ok(out)
}

fn component(info: &ComponentInfo) -> String {
    let mut uses = Vec::new();
    if info.capabilities.certify {
        uses.push("certify");
    }
    if info.capabilities.sign {
        uses.push("sign");
    }
    if info.capabilities.encrypt {
        uses.push("encrypt");
    }
    if info.capabilities.authenticate {
        uses.push("authenticate");
    }
    let state = if info.revoked {
        "REVOKED".to_owned()
    } else if !info.valid {
        match &info.expires {
            Some(date) => format!("EXPIRED {}", date.get(..10).unwrap_or(date)),
            None => "INVALID".to_owned(),
        }
    } else {
        match &info.expires {
            Some(date) => format!("valid until {}", date.get(..10).unwrap_or(date)),
            None => "valid".to_owned(),
        }
    };
    format!(
        "{}  created {}  [{}]  {state}",
        info.algorithm,
        info.created.get(..10).unwrap_or(&info.created),
        uses.join(", ")
    )
}

/// `ABCD 1234 …` as people compare fingerprints.
fn grouped(fingerprint: &str) -> String {
    let groups: Vec<&str> = fingerprint
        .as_bytes()
        .chunks(4)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    groups.join(" ")
}
