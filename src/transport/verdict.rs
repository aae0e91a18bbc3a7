//! The route judged in one sentence, and the facts behind it.

use serde::Serialize;

use super::domain;
use super::hop::{Hop, NoteKind};
use super::trust::TrustBoundary;

/// What the route says about encryption in transit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum Status {
    /// Every external hop shows evidence of TLS.
    AllEncrypted,
    /// At least one external hop says it was plaintext.
    Plaintext,
    /// No hop was plaintext, but for some the header does not say.
    Unknown,
    /// There are no external hops to judge.
    NoHops,
}

/// The sender's address as recorded by the first hop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ClientIp {
    /// The address.
    pub ip: String,
    /// The hop that recorded it.
    pub hop: usize,
    /// The exposure in one sentence.
    pub message: String,
}

/// The overall judgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Verdict {
    /// The judgement.
    pub status: Status,
    /// The judgement in one sentence, e.g. "All 4 external hops encrypted (TLS 1.3)".
    pub sentence: String,
    /// Further sentences: trust, exposure, the sender's TLS wishes.
    pub notes: Vec<String>,
    /// Number of hops that left a system.
    pub external_hops: usize,
    /// External hops with evidence of TLS.
    pub encrypted_hops: usize,
    /// Indexes of external plaintext hops.
    pub plaintext_hops: Vec<usize>,
    /// Indexes of plaintext hops between encrypted ones: possible STARTTLS downgrades.
    pub downgrade_suspected: Vec<usize>,
    /// Indexes of external hops whose TLS the header does not state.
    pub unknown_hops: Vec<usize>,
    /// Indexes of lines that look injected.
    pub injection_suspected: Vec<usize>,
    /// Lowest TLS version among encrypted hops, when stated.
    pub weakest_tls: Option<String>,
    /// The sender's public address, when the first hop exposes it.
    pub client_ip: Option<ClientIp>,
    /// The message carries `TLS-Required: No` (RFC 8689).
    pub tls_required_no: bool,
    /// Where the trusted lines end.
    pub trust_boundary: TrustBoundary,
    /// The Received fields stood oldest first in the header (re-serialised by
    /// a program) and were read in reverse.
    pub oldest_first: bool,
    /// Received fields beyond the newest [`super::MAX_HOPS`], not analysed.
    pub omitted_received: usize,
}

/// Judges the route. `hops` is oldest first, already marked for trust.
pub fn judge(hops: &[Hop], trust_boundary: TrustBoundary, tls_required_no: bool) -> Verdict {
    let external: Vec<&Hop> = hops.iter().filter(|h| !h.internal).collect();
    let encrypted: Vec<&Hop> = external
        .iter()
        .copied()
        .filter(|h| h.tls.encrypted == Some(true))
        .collect();
    let plaintext_hops: Vec<usize> = external
        .iter()
        .filter(|h| h.tls.encrypted == Some(false))
        .map(|h| h.index)
        .collect();
    let unknown_hops: Vec<usize> = external
        .iter()
        .filter(|h| h.tls.encrypted.is_none())
        .map(|h| h.index)
        .collect();
    // TLS on any hop before and after, internal ones included: an encrypted
    // submission shows the sending server speaks TLS, so plaintext on its
    // next hop is the pattern a stripped STARTTLS leaves.
    // One pass for the first and last encrypted hop keeps this linear.
    let with_tls = |h: &&Hop| h.tls.encrypted == Some(true);
    let first_tls = hops.iter().filter(with_tls).map(|h| h.index).min();
    let last_tls = hops.iter().filter(with_tls).map(|h| h.index).max();
    let downgrade_suspected: Vec<usize> = plaintext_hops
        .iter()
        .copied()
        .filter(|&p| first_tls.is_some_and(|f| f < p) && last_tls.is_some_and(|l| l > p))
        .collect();
    let injection_suspected: Vec<usize> = hops
        .iter()
        .filter(|h| h.notes.iter().any(|n| n.code == NoteKind::PossiblyInjected))
        .map(|h| h.index)
        .collect();
    let weakest_tls = encrypted
        .iter()
        .filter_map(|h| h.tls.version.clone())
        .min_by_key(|v| version_rank(v));

    let (status, sentence) = if external.is_empty() {
        (
            Status::NoHops,
            "No hop left a single system: nothing travelled over a network.".to_owned(),
        )
    } else if !plaintext_hops.is_empty() {
        (
            Status::Plaintext,
            plaintext_sentence(&plaintext_hops, &downgrade_suspected),
        )
    } else if !unknown_hops.is_empty() {
        (
            Status::Unknown,
            format!(
                "{} of {} external hops encrypted; for {} the header does not say.",
                encrypted.len(),
                external.len(),
                hop_list(&unknown_hops)
            ),
        )
    } else {
        (Status::AllEncrypted, all_encrypted_sentence(&encrypted))
    };

    let mut notes = Vec::new();
    let claimed = external.iter().filter(|h| !h.trusted).count();
    if claimed > 0 {
        notes.push(format!(
            "Sender-side hops can't be verified: {claimed} of {} external hops were reported by the sending side.",
            external.len()
        ));
    }
    if !injection_suspected.is_empty() {
        notes.push(format!(
            "{} may have been injected by the sender.",
            capitalize(&hop_list(&injection_suspected))
        ));
    }
    let client_ip = client_ip(hops);
    if let Some(exposure) = &client_ip {
        notes.push(exposure.message.clone());
    }
    if tls_required_no {
        notes.push("The sender asked relays not to insist on TLS (TLS-Required: No).".to_owned());
    }

    Verdict {
        status,
        sentence,
        notes,
        external_hops: external.len(),
        encrypted_hops: encrypted.len(),
        plaintext_hops,
        downgrade_suspected,
        unknown_hops,
        injection_suspected,
        weakest_tls,
        client_ip,
        tls_required_no,
        trust_boundary,
        oldest_first: false,
        omitted_received: 0,
    }
}

fn plaintext_sentence(plaintext: &[usize], downgrades: &[usize]) -> String {
    let verb = if plaintext.len() == 1 { "was" } else { "were" };
    let mut sentence = format!("{} {verb} plaintext", capitalize(&hop_list(plaintext)));
    if !downgrades.is_empty() {
        if downgrades.len() == plaintext.len() {
            sentence.push_str(" — possible STARTTLS downgrade");
        } else {
            sentence.push_str(&format!(
                " — possible STARTTLS downgrade at {}",
                hop_list(downgrades)
            ));
        }
    }
    sentence
}

fn all_encrypted_sentence(encrypted: &[&Hop]) -> String {
    let count = encrypted.len();
    let noun = if count == 1 { "hop" } else { "hops" };
    let mut versions: Vec<&str> = encrypted
        .iter()
        .filter_map(|h| h.tls.version.as_deref())
        .collect();
    versions.sort_by_key(|v| version_rank(v));
    versions.dedup();
    let range = match (versions.first(), versions.last()) {
        (Some(low), Some(high)) if low == high => format!(" ({})", display_version(low)),
        (Some(low), Some(high)) => format!(
            " ({}–{})",
            display_version(low),
            display_version(high).replace("TLS ", "")
        ),
        _ => String::new(),
    };
    if count == 1 {
        format!("The external hop was encrypted{range}")
    } else {
        format!("All {count} external {noun} encrypted{range}")
    }
}

/// `TLSv1.3` → `TLS 1.3`.
fn display_version(version: &str) -> String {
    version.replace("TLSv", "TLS ").replace("SSLv", "SSL ")
}

fn version_rank(version: &str) -> u8 {
    match version {
        "SSLv3" => 0,
        "TLSv1.0" => 1,
        "TLSv1.1" => 2,
        "TLSv1.2" => 3,
        _ => 4,
    }
}

/// "hop 3", "hops 2 and 3", "hops 1, 2 and 4" (1-based, as people count).
fn hop_list(indexes: &[usize]) -> String {
    let numbers: Vec<String> = indexes.iter().map(|i| (i + 1).to_string()).collect();
    match numbers.as_slice() {
        [] => "no hop".to_owned(),
        [one] => format!("hop {one}"),
        [init @ .., last] => format!("hops {} and {last}", init.join(", ")),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The first hop's sender address, when it is a public one: that is where the
/// sender was when writing, unless the sender's provider removed it.
fn client_ip(hops: &[Hop]) -> Option<ClientIp> {
    let first = hops.iter().find(|h| h.sender_ip.is_some())?;
    // Only a submission hop names a client; a first hop between servers names the sender's server.
    if !first.internal {
        return None;
    }
    let ip = first.sender_ip?;
    domain::is_public(ip).then(|| ClientIp {
        ip: ip.to_string(),
        hop: first.index,
        message: format!(
            "The first hop records the sender's address {ip}: it can reveal where the sender was."
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hop_lists_read_naturally() {
        assert_eq!(hop_list(&[2]), "hop 3");
        assert_eq!(hop_list(&[1, 2]), "hops 2 and 3");
        assert_eq!(hop_list(&[0, 1, 3]), "hops 1, 2 and 4");
    }
}
