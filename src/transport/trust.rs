//! The trust boundary. Every server prepends its Received field, so the lines
//! on top were written by the recipient's own provider and can be believed;
//! everything below the first line from another administrative domain was
//! supplied by the sending side, which could have written anything there.
//! This module finds the boundary and flags lines that look injected.

use serde::Serialize;

use std::net::IpAddr;

use super::domain;
use super::hop::{Hop, InternalKind, NoteKind};
use super::why::{Reason, Why};

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
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct TrustBoundary {
    /// Domains whose lines are believed: the receiving provider's, as found
    /// from the topmost lines, plus those the caller declared.
    pub domains: Vec<String>,
    /// Index of the oldest trusted hop; hops below it are sender-supplied.
    pub oldest_trusted_index: Option<usize>,
    /// The boundary in one sentence, in English.
    pub reason: String,
    /// The boundary as a code.
    pub why: Why,
}

impl TrustBoundary {
    /// A boundary at `oldest_trusted_index`, believing `domains`, for the reason `why`.
    pub(crate) fn new(domains: Vec<String>, oldest_trusted_index: Option<usize>, why: Why) -> Self {
        Self {
            domains,
            oldest_trusted_index,
            reason: why.english(),
            why,
        }
    }
}

/// Marks every hop trusted or claimed and returns the boundary. `hops` is oldest first.
pub fn mark(hops: &mut [Hop], declared: &[String]) -> TrustBoundary {
    let declared: Vec<String> = declared
        .iter()
        .filter_map(|d| domain::normalize(d))
        .collect();
    let mut domains = declared.clone();
    let receiving = hops
        .iter()
        .rev()
        .find_map(|h| h.by.as_deref().and_then(domain::organizational));
    if let Some(receiving) = &receiving
        && !domains.contains(receiving)
    {
        domains.insert(0, receiving.clone());
    }

    // Trust runs down from the newest line and stops at the first line no
    // trusted line vouches for: everything older came from the sending side.
    let mut oldest_trusted = None;
    for index in (0..hops.len()).rev() {
        let (older, newer) = hops.split_at_mut(index + 1);
        let Some(hop) = older.last_mut() else {
            continue;
        };
        let newer = newer.first();
        let vouched = newer.is_none_or(|n| n.trusted && vouches_for(n, hop, &domains));
        let by_domain = hop
            .by
            .as_deref()
            .and_then(|by| domains.iter().find(|d| domain::within(by, d)).cloned());
        let nameless = hop.by.as_deref().and_then(domain::normalize).is_none();
        let private_by = hop.by_ip.is_some_and(|ip| !domain::is_public(ip));
        if vouched && let Some(owner) = by_domain {
            let code = if declared.contains(&owner) {
                Reason::TrustedDeclared
            } else {
                Reason::TrustedProvider
            };
            hop.judge(true, Why::naming(code, [owner]));
        } else if vouched && nameless && (hop.internal || private_by) {
            hop.judge(true, Why::plain(Reason::TrustedInside));
        } else {
            break;
        }
        oldest_trusted = Some(hop.index);
        // A trusted hop whose client was the receiving system itself names
        // one of the provider's own hosts as its sender.
        for name in own_client_names(hop) {
            if let Some(from_domain) = domain::organizational(name)
                && !domains.contains(&from_domain)
            {
                domains.push(from_domain);
            }
        }
    }
    for hop in hops.iter_mut().filter(|h| !h.trusted) {
        hop.judge(false, Why::plain(Reason::Claimed));
    }

    flag_continuity(hops);
    flag_injection(hops, &domains);

    let why = match (oldest_trusted, receiving) {
        (None, _) => Why::plain(Reason::BoundaryNone),
        (Some(0), Some(domain)) => Why::naming(Reason::BoundaryAll, [domain]),
        (Some(index), Some(domain)) => Why::naming(
            Reason::BoundaryFrom,
            [(index + 1).to_string(), domain, index.to_string()],
        ),
        (Some(_), None) => Why::plain(Reason::BoundaryInside),
    };
    TrustBoundary::new(domains, oldest_trusted, why)
}

/// The names a trusted hop's client is known by when that client was the
/// receiving system itself: its verified name, and for a loopback client,
/// which is the receiving machine, also the name it gave itself.
fn own_client_names(hop: &Hop) -> Vec<&str> {
    match hop.internal_kind {
        Some(InternalKind::Loopback) => [&hop.from.reverse_dns, &hop.from.host, &hop.from.helo]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect(),
        Some(InternalKind::NoClient | InternalKind::SameHost | InternalKind::Delivery) => {
            hop.from.reverse_dns.as_deref().into_iter().collect()
        }
        _ => Vec::new(),
    }
}

/// Whether a trusted hop confirms that the older line was written by the
/// host it received the message from. Only what the newer hop's server
/// established counts — never the HELO name, which the client chooses and a
/// forger sets to the receiver's own name:
/// - the newer hop had no client, or its client was the same machine or
///   system (loopback, the same verified name, mailbox delivery, web or
///   MAPI access), and the older line was written inside the same domain;
/// - by address: the client's address is the one the older line gives for
///   its writer and is not an Internet address (a forger can write its own
///   public address there, but cannot connect from the provider's private
///   network); or it is a private address and the older line was written
///   in the newer server's own domain; or the client sits on the newer
///   server's own IPv6 /64 link (Microsoft 365 relays between `…:cafe::`
///   neighbours); or the newer server recorded no address at all, which it
///   does only for its own relays, and named one in the older line's domain;
/// - by verified reverse name: the name the newer server found by reverse
///   DNS for its client is in the older line's organisational domain.
fn vouches_for(newer: &Hop, older: &Hop, trusted_domains: &[String]) -> bool {
    let older_org = older.by.as_deref().and_then(domain::organizational);
    match newer.internal_kind {
        Some(InternalKind::NoClient) => return true,
        Some(
            InternalKind::Loopback
            | InternalKind::SameHost
            | InternalKind::Delivery
            | InternalKind::Client,
        ) => {
            let newer_org = newer.by.as_deref().and_then(domain::organizational);
            let own_names = own_client_names(newer);
            let named_alike = |org: &String| {
                newer_org.as_ref() == Some(org)
                    || own_names
                        .iter()
                        .any(|n| domain::organizational(n).as_ref() == Some(org))
            };
            if older_org.as_ref().is_none_or(named_alike) {
                return true;
            }
        }
        Some(InternalKind::Authenticated) | None => {}
    }
    if let (Some(client), Some(writer)) = (newer.sender_ip, older.by_ip)
        && client == writer
        && !domain::is_public(client)
    {
        return true;
    }
    // A client on the provider's private network, handing on a line written
    // in the newer server's own domain (Exchange between its servers). Only
    // a receiver behind a proxy that hides client addresses would see an
    // outside sender so, and its own SPF checks would be as blind.
    let newer_org = newer.by.as_deref().and_then(domain::organizational);
    if newer.sender_ip.is_some_and(|ip| !domain::is_public(ip))
        && older_org.is_some()
        && older_org == newer_org
    {
        return true;
    }
    // No address at all: a server records the address of every connection
    // from outside (RFC 5321 §4.4), so a client it names without one was
    // handed over inside the provider (iCloud's relays).
    if newer.sender_ip.is_none()
        && let Some(older_org) = &older_org
        && [&newer.from.host, &newer.from.helo]
            .into_iter()
            .flatten()
            .any(|name| domain::organizational(name).as_ref() == Some(older_org))
    {
        return true;
    }
    if same_link(newer.sender_ip, newer.by_ip) {
        return true;
    }
    let Some(verified) = newer.from.reverse_dns.as_deref() else {
        return false;
    };
    match older_org {
        Some(older_org) => domain::organizational(verified).as_ref() == Some(&older_org),
        // An older line whose writer has no name: the verified client must be ours.
        None => trusted_domains.iter().any(|d| domain::within(verified, d)),
    }
}

/// Both addresses are IPv6 in one /64, the size of a single link (RFC 4291
/// §2.5.4): the client is the server's neighbour, not a host on the Internet.
fn same_link(client: Option<IpAddr>, server: Option<IpAddr>) -> bool {
    match (client, server) {
        (Some(IpAddr::V6(client)), Some(IpAddr::V6(server))) => {
            client != server && client.segments().get(..4) == server.segments().get(..4)
        }
        _ => false,
    }
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
            NoteKind::ContinuityBreak,
            Why::naming(Reason::ContinuityBreak, [sender, by]),
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
                NoteKind::PossiblyInjected,
                Why::naming(Reason::InjectedTrustedName, [owner.clone()]),
            );
            continue;
        }
        let big = WELL_KNOWN_PROVIDERS.iter().find(|p| domain::within(&by, p));
        if let (Some(provider), Some(plaintext)) = (big, newest_plaintext_claimed)
            && hop.index < plaintext
            && hop.tls.encrypted == Some(true)
        {
            hop.note(
                NoteKind::PossiblyInjected,
                Why::naming(
                    Reason::InjectedProvider,
                    [(*provider).to_owned(), (plaintext + 1).to_string()],
                ),
            );
        }
    }
}

/// Marks authentication fields trusted when the receiving side wrote them:
/// they stand above the oldest Received line it wrote — every receiver
/// prepends its fields, so below that line a sender can write anything,
/// however near the top — and the host they name is on the receiving side
/// (`domains`: the provider's and those the user declared). RFC 8601 §5 has
/// receivers delete fields that claim their authserv-id, but few do.
/// Authentication-Results name their writer in the authserv-id (Microsoft
/// 365 writes none: then position alone decides), Received-SPF in
/// `receiver=` or the comment's `host:` (RFC 7208 §9.1).
/// `oldest_trusted` is the header position of the oldest trusted Received
/// line, `None` when the receiving side wrote none.
pub fn mark_authentication(
    authentication: &mut super::auth::Authentication,
    domains: &[String],
    oldest_trusted: Option<usize>,
) {
    let above = |position: usize| oldest_trusted.is_some_and(|line| position < line);
    let receiving_side = |host: &str| domains.iter().any(|d| domain::within(host, d));
    let below = if oldest_trusted.is_some() {
        Reason::AuthBelow
    } else {
        Reason::AuthNoReceiving
    };
    for results in &mut authentication.results {
        let (trusted, why) = match (&results.authserv_id, above(results.position)) {
            (_, false) => (false, Why::plain(below)),
            (Some(id), true) if receiving_side(id) => {
                (true, Why::naming(Reason::AuthWrittenBy, [id.clone()]))
            }
            (Some(id), true) => (false, Why::naming(Reason::AuthNotReceiving, [id.clone()])),
            (None, true) => (true, Why::plain(Reason::AuthUnnamedResults)),
        };
        results.trusted = trusted;
        results.trust_reason = why.english();
        results.trust_why = why;
    }
    for spf in &mut authentication.received_spf {
        let (trusted, why) = match (spf.receiver(), above(spf.position)) {
            (_, false) => (false, Why::plain(below)),
            (Some(receiver), true) if receiving_side(&receiver) => {
                (true, Why::naming(Reason::AuthWrittenBy, [receiver]))
            }
            (Some(receiver), true) => (false, Why::naming(Reason::AuthNotReceiving, [receiver])),
            (None, true) => (true, Why::plain(Reason::AuthUnnamedSpf)),
        };
        spf.trusted = trusted;
        spf.trust_reason = why.english();
        spf.trust_why = why;
    }
    authentication.summarize();
}
