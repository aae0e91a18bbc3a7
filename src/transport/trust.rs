//! The trust boundary. Every server prepends its Received field, so the lines
//! on top were written by the recipient's own provider and can be believed;
//! everything below the first line from another administrative domain was
//! supplied by the sending side, which could have written anything there.
//! This module finds the boundary and flags lines that look injected.

use serde::Serialize;

use super::domain;
use super::hop::Hop;

/// Large providers whose names forgers like to borrow.
const WELL_KNOWN_PROVIDERS: [&str; 12] = [
    "google.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "apple.com",
    "protonmail.ch",
    "messagingengine.com",
    "gmx.net",
    "web.de",
    "zoho.com",
    "yandex.ru",
    "mail.ru",
];

/// Where the trusted part of the route ends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TrustBoundary {
    /// Domains whose lines are believed: the receiving provider's, as found
    /// from the topmost lines, plus those the caller declared.
    pub domains: Vec<String>,
    /// Index of the oldest trusted hop; hops below it are sender-supplied.
    pub oldest_trusted_index: Option<usize>,
    /// The boundary in one sentence.
    pub reason: String,
}

/// Marks every hop trusted or claimed and returns the boundary. `hops` is oldest first.
pub fn mark(hops: &mut [Hop], declared: &[String]) -> TrustBoundary {
    let mut domains: Vec<String> = declared
        .iter()
        .filter_map(|d| domain::normalize(d))
        .collect();
    let receiving = hops
        .iter()
        .rev()
        .find_map(|h| h.by.as_deref().and_then(domain::organizational));
    if let Some(receiving) = &receiving
        && !domains.contains(receiving)
    {
        domains.insert(0, receiving.clone());
    }

    let mut oldest_trusted = None;
    let mut newer: Option<Hop> = None;
    for hop in hops.iter_mut().rev() {
        let vouched = newer
            .as_ref()
            .is_none_or(|n| n.trusted && vouches_for(n, hop, &domains));
        let by_domain = hop
            .by
            .as_deref()
            .and_then(|by| domains.iter().find(|d| domain::within(by, d)).cloned());
        let nameless = hop.by.as_deref().and_then(domain::normalize).is_none();
        let private_by = hop.by_ip.is_some_and(|ip| !super::verdict::is_public(ip));
        if vouched && let Some(owner) = by_domain {
            hop.trusted = true;
            hop.trust_reason = if declared
                .iter()
                .any(|d| domain::normalize(d).as_deref() == Some(&owner))
            {
                format!("written by {owner}, which you declared trusted")
            } else {
                format!("written by {owner}, the receiving provider")
            };
        } else if vouched && nameless && (hop.internal || private_by) {
            hop.trusted = true;
            hop.trust_reason = "written inside the receiving system".to_owned();
        } else {
            hop.trusted = false;
            hop.trust_reason = "supplied by the sending side: it could be forged".to_owned();
            newer = Some(hop.clone());
            continue;
        }
        oldest_trusted = Some(hop.index);
        // A trusted local-delivery hop names the provider's own relay as its sender.
        if hop.internal {
            for name in [&hop.from.host, &hop.from.helo].into_iter().flatten() {
                if let Some(from_domain) = domain::organizational(name)
                    && !domains.contains(&from_domain)
                {
                    domains.push(from_domain);
                }
            }
        }
        newer = Some(hop.clone());
    }

    flag_continuity(hops);
    flag_injection(hops, &domains);

    let reason = match (oldest_trusted, &receiving) {
        (None, _) => "No line could be attributed to the receiving provider.".to_owned(),
        (Some(0), Some(domain)) => format!("Every line was written by {domain} or its systems."),
        (Some(index), Some(domain)) => format!(
            "Lines from hop {} on were written by {domain}; the {} older line(s) came from the sending side.",
            index + 1,
            index
        ),
        (Some(_), None) => "Only lines inside the receiving system are trusted.".to_owned(),
    };
    TrustBoundary {
        domains,
        oldest_trusted_index: oldest_trusted,
        reason,
    }
}

/// Whether a trusted hop confirms that the older line was written by the
/// host it received the message from: same organisational domain or address;
/// for a hop inside one system, the system itself; for an older line written
/// by a nameless host, a sender that belongs to the trusted side.
fn vouches_for(newer: &Hop, older: &Hop, trusted_domains: &[String]) -> bool {
    if newer.internal && newer.from.host.is_none() && newer.from.ip.is_none() {
        return true;
    }
    if older.by_ip.is_some() && older.by_ip == newer.sender_ip {
        return true;
    }
    let sender_domains: Vec<String> = [&newer.from.host, &newer.from.helo]
        .into_iter()
        .flatten()
        .filter_map(|h| domain::organizational(h))
        .collect();
    let Some(older_by) = older.by.as_deref().and_then(domain::organizational) else {
        return newer.internal || sender_domains.iter().any(|d| trusted_domains.contains(d));
    };
    // A loopback or same-host hop's sender is the machine that wrote it.
    let newer_by = newer.by.as_deref().and_then(domain::organizational);
    sender_domains.contains(&older_by) || (newer.internal && newer_by.as_ref() == Some(&older_by))
}

/// Each hop should have been received from the host that wrote the previous line.
fn flag_continuity(hops: &mut [Hop]) {
    for index in 1..hops.len() {
        let (older, newer) = hops.split_at_mut(index);
        let (Some(previous), Some(hop)) = (older.last(), newer.first_mut()) else {
            continue;
        };
        if hop.internal || previous.by.is_none() {
            continue;
        }
        let Some(previous_by) = previous.by.as_deref().and_then(domain::organizational) else {
            continue;
        };
        let names: Vec<String> = [&hop.from.host, &hop.from.helo]
            .into_iter()
            .flatten()
            .filter_map(|h| domain::organizational(h))
            .collect();
        let address_matches = previous.by_ip.is_some() && previous.by_ip == hop.sender_ip;
        if names.is_empty() || address_matches || names.contains(&previous_by) {
            continue;
        }
        let by = previous.by.clone().unwrap_or_default();
        let sender = hop.sender_name();
        hop.note(
            "continuity_break",
            format!("Received from {sender}, but the previous line says it was written by {by}."),
        );
    }
}

/// Sender-side lines that borrow a provider's name, or the receiving side's,
/// below a hop that does not fit them.
fn flag_injection(hops: &mut [Hop], trusted_domains: &[String]) {
    let newest_plaintext_claimed = hops
        .iter()
        .rposition(|h| !h.trusted && !h.internal && h.tls.encrypted == Some(false));
    for hop in hops.iter_mut().filter(|h| !h.trusted) {
        let Some(by) = hop.by.clone() else { continue };
        if let Some(owner) = trusted_domains.iter().find(|d| domain::within(&by, d)) {
            hop.note(
                "possibly_injected",
                format!("Claims to be written by {owner}, the trusted side, but sits below the trust boundary."),
            );
            continue;
        }
        let big = WELL_KNOWN_PROVIDERS.iter().find(|p| domain::within(&by, p));
        if let (Some(provider), Some(plaintext)) = (big, newest_plaintext_claimed)
            && hop.index < plaintext
            && hop.tls.encrypted == Some(true)
        {
            hop.note(
                "possibly_injected",
                format!(
                    "An encrypted {provider} hop below the plaintext sender-side hop {}: a forger's typical addition.",
                    plaintext + 1
                ),
            );
        }
    }
}

/// Marks authentication fields trusted when they were written by the trusted
/// side: their authserv-id (when they have one) belongs to a trusted domain,
/// and they sit above the newest sender-supplied Received line, since every
/// receiver prepends its fields. `first_claimed_received` is that line's
/// header position, or the position just below the oldest Received line when
/// every line is trusted.
pub fn mark_authentication(
    authentication: &mut super::auth::Authentication,
    domains: &[String],
    first_claimed_received: usize,
) {
    // Fields below every trusted Received line came with the message as the
    // sender submitted it; a sender can write any results there.
    let above_boundary = |position: usize| position < first_claimed_received;
    let trusted_host = |host: &str| domains.iter().any(|d| domain::within(host, d));
    for results in &mut authentication.results {
        let (trusted, reason) = match (&results.authserv_id, above_boundary(results.position)) {
            (_, false) => (
                false,
                "below the trust boundary: the sending side could have written it".to_owned(),
            ),
            (Some(id), true) if trusted_host(id) => {
                (true, format!("written by {id} on the receiving side"))
            }
            (Some(id), true) => (false, format!("{id} is not part of the receiving side")),
            (None, true) => (true, "above the trust boundary (no authserv-id)".to_owned()),
        };
        results.trusted = trusted;
        results.trust_reason = reason;
    }
    for spf in &mut authentication.received_spf {
        let receiver_ok = spf
            .properties
            .get("receiver")
            .is_none_or(|r| trusted_host(r));
        spf.trusted = above_boundary(spf.position) && receiver_ok;
    }
    authentication.summarize();
}
