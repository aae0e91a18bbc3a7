//! Transport inspection: what the Received trace of a message says about how
//! it travelled — per-hop TLS, which lines the recipient's provider wrote and
//! which the sender could have forged — and its authentication results.
//!
//! [`analyze`] is the whole pipeline: the header is split into fields, the
//! order of the Received fields is settled ([`order`]: newest first as
//! delivered, or re-serialised oldest first), each of the newest
//! [`MAX_HOPS`] is tokenized and read as a [`hop::Hop`], the trust boundary
//! is drawn, authentication results are believed only when the receiving
//! side wrote them, and the route is judged in a [`verdict::Verdict`].
//! Time and report size grow at most linearly with the header.

pub mod auth;
pub mod domain;
pub mod hop;
pub mod mailbox;
pub mod order;
pub mod received;
pub mod tls;
pub mod tokens;
pub mod trust;
pub mod verdict;
pub mod why;

use crate::header::fields;
use serde::Serialize;
use thiserror::Error;

use auth::Authentication;
use hop::{Hop, NoteKind};
use verdict::Verdict;
use why::{Reason, Why};

/// The largest header section analysed. Real headers are a few kilobytes;
/// this bound keeps hostile input from exhausting Wasm memory.
pub const MAX_HEADER_BYTES: usize = 8 * 1024 * 1024;

/// Why a message could not be analysed.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum TransportError {
    /// The header section exceeds [`MAX_HEADER_BYTES`].
    #[error(
        "the message header is {size} bytes, more than the {MAX_HEADER_BYTES} Sealmark analyses; is this really a message header?"
    )]
    HeaderTooLarge {
        /// The size found.
        size: usize,
    },
}

/// What the caller knows beyond the message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Domains whose Received lines are to be believed in addition to the
    /// receiving provider's, e.g. the user's own mail server's domain.
    pub trusted_domains: Vec<String>,
    /// The header is known to stand as delivered, newest field first: a raw
    /// source fetched from the mailbox (the extension's route strip). Its
    /// order is then never read from the fields, which a sender could word
    /// so that its own lines would pass for the receiving side's.
    pub delivered_order: bool,
}

/// The analysis of one message: the JSON of `sealmark hops --json` and of the
/// Wasm `analyzeMessage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Report {
    /// The route, oldest hop first.
    pub hops: Vec<Hop>,
    /// Authentication results, trusted and claimed.
    pub authentication: Authentication,
    /// The judgement.
    pub verdict: Verdict,
}

/// The most Received fields analysed: the newest ones. RFC 5321 §6.3 has
/// servers treat 100 Received fields as a mail loop, so a longer trace is
/// broken or hostile; the rest are counted, not read, which keeps time and
/// report size flat however many fields a message has.
pub const MAX_HOPS: usize = 100;

/// The most Authentication-Results, Received-SPF and ARC-Seal fields kept,
/// each, the newest first (real messages carry a handful).
pub const MAX_AUTHENTICATION_FIELDS: usize = 50;

/// The longest text quoted from a field (a hop's `raw`, TLS evidence); longer
/// text is cut at a character boundary and ends in `…`.
pub const MAX_TEXT: usize = 2048;

/// `text` cut to at most `max` bytes at a character boundary, marked with `…`.
pub(crate) fn bounded(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut cut = max;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// Fields that the final delivery writes on top of the header (RFC 5321
/// §4.4 Return-Path, and the Delivered-To family): where one comes first, the
/// header stands in the order it was delivered in.
const DELIVERY_STAMPS: [&str; 5] = [
    "return-path",
    "delivered-to",
    "x-original-to",
    "envelope-to",
    "x-envelope-to",
];

/// Analyses a raw message, or just its header section.
pub fn analyze(raw: &[u8], options: &Options) -> Result<Report, TransportError> {
    let header = fields::header_section(raw);
    if header.len() > MAX_HEADER_BYTES {
        return Err(TransportError::HeaderTooLarge { size: header.len() });
    }
    let fields = fields::split(header);
    let is = |index: usize, wanted: &str| {
        fields
            .get(index)
            .is_some_and(|f| f.name.eq_ignore_ascii_case(wanted))
    };
    let body = |index: usize| {
        fields
            .get(index)
            .map(|f| String::from_utf8_lossy(f.value))
            .unwrap_or_default()
    };
    // One pass records where the analysed fields are; only those kept are
    // turned into text and parsed.
    let mut received_at = Vec::new();
    let mut results_at = Vec::new();
    let mut spf_at = Vec::new();
    let mut seals_at = Vec::new();
    let mut tls_required_no = false;
    for (position, field) in fields.iter().enumerate() {
        let name = field.name;
        let named = |wanted: &str| name.eq_ignore_ascii_case(wanted);
        if named("received") {
            received_at.push(position);
        } else if named("authentication-results")
            || named("x-me-authentication-results")
            || named("arc-authentication-results")
        {
            results_at.push(position);
        } else if named("received-spf") {
            spf_at.push(position);
        } else if named("arc-seal") {
            seals_at.push(position);
        } else if named("tls-required") {
            tls_required_no |= body(position).trim().eq_ignore_ascii_case("no");
        }
    }

    // Header order is newest first, unless a program wrote the fields out
    // oldest first; the order is read from the newest lines' own dates and
    // addresses (see `order`). A delivery stamp before the first Received
    // field (mail programs put their own fields, such as X-Mozilla-Status,
    // on top of it) shows the delivered order.
    let first_received = received_at.first().copied().unwrap_or(fields.len());
    let stamped = fields.iter().take(first_received).any(|f| {
        DELIVERY_STAMPS
            .iter()
            .any(|s| f.name.eq_ignore_ascii_case(s))
    });
    let window: Vec<(usize, received::ReceivedField)> = received_at
        .iter()
        .take(MAX_HOPS)
        .map(|&p| (p, received::parse(&body(p))))
        .collect();
    let oldest_first =
        !options.delivered_order && !stamped && order::oldest_first(window.iter().map(|(_, f)| f));
    let total_fields = fields.len();
    // Positions in delivery order: 0 is the field written last.
    let delivered = |position: usize| {
        if oldest_first {
            total_fields.saturating_sub(position + 1)
        } else {
            position
        }
    };
    let omitted_received = received_at.len().saturating_sub(MAX_HOPS);
    // Newest first, each with its delivery-order position.
    let newest_first: Vec<(usize, received::ReceivedField)> = if oldest_first {
        received_at
            .iter()
            .rev()
            .take(MAX_HOPS)
            .map(|&p| (delivered(p), received::parse(&body(p))))
            .collect()
    } else {
        window
    };

    let mut authentication = Authentication::default();
    let newest = |positions: &[usize]| -> Vec<usize> {
        let mut chosen: Vec<usize> = if oldest_first {
            positions
                .iter()
                .rev()
                .take(MAX_AUTHENTICATION_FIELDS)
                .copied()
                .collect()
        } else {
            positions
                .iter()
                .take(MAX_AUTHENTICATION_FIELDS)
                .copied()
                .collect()
        };
        chosen.shrink_to_fit();
        chosen
    };
    authentication.omitted = [&results_at, &spf_at, &seals_at]
        .iter()
        .map(|p| p.len().saturating_sub(MAX_AUTHENTICATION_FIELDS))
        .sum();
    for position in newest(&results_at) {
        let arc = is(position, "arc-authentication-results");
        let field_name = if arc {
            "ARC-Authentication-Results"
        } else if is(position, "x-me-authentication-results") {
            "X-ME-Authentication-Results"
        } else {
            "Authentication-Results"
        };
        authentication.results.push(auth::parse_results(
            field_name,
            &body(position),
            arc,
            delivered(position),
        ));
    }
    for position in newest(&spf_at) {
        authentication.received_spf.push(auth::parse_received_spf(
            &body(position),
            delivered(position),
        ));
    }
    for position in newest(&seals_at) {
        authentication
            .arc_seals
            .push(auth::parse_arc_seal(&body(position)));
    }

    // The route reads oldest first.
    let count = newest_first.len();
    let positions: Vec<usize> = newest_first.iter().map(|(p, _)| *p).collect();
    let mut hops: Vec<Hop> = newest_first
        .into_iter()
        .rev()
        .enumerate()
        .map(|(index, (_, field))| Hop::from_field(index, field))
        .collect();
    set_delays(&mut hops);
    let boundary = if oldest_first {
        // Turned round, the newest line is the one at the bottom of the
        // header, and a sender can word its own lines so that they vote for
        // turning (a date after delivery, a `from` naming the receiving
        // host): none is believed, nor any result field. Analysed in their
        // real order, they still show the route and its TLS as claimed.
        for hop in &mut hops {
            hop.judge(false, Why::plain(Reason::Reordered));
        }
        trust::TrustBoundary::new(Vec::new(), None, Why::plain(Reason::Reordered))
    } else {
        trust::mark(&mut hops, &options.trusted_domains)
    };
    // Every receiver prepends its fields, so only fields above the oldest
    // line the receiving side wrote can be its own.
    let oldest_trusted_position = boundary
        .oldest_trusted_index
        .and_then(|index| positions.get(count.checked_sub(index + 1)?).copied());
    trust::mark_authentication(
        &mut authentication,
        &boundary.domains,
        oldest_trusted_position,
    );
    enrich_from_provider_tls_fields(&mut hops, &authentication);
    let mut verdict = verdict::judge(&hops, boundary, tls_required_no);
    verdict.oldest_first = oldest_first;
    verdict.omitted_received = omitted_received;
    if oldest_first {
        verdict.notes.push(
            "The Received fields stand oldest first (a program re-ordered the header); they were read in their real order, but none of them, nor any authentication result, can be taken as written by the receiving side."
                .to_owned(),
        );
    }
    if omitted_received > 0 {
        verdict.notes.push(format!(
            "Only the newest {MAX_HOPS} of {} Received fields were analysed.",
            received_at.len()
        ));
    }
    Ok(Report {
        hops,
        authentication,
        verdict,
    })
}

/// Seconds between each dated hop and the previous dated one; a line dated
/// before its predecessor is flagged.
fn set_delays(hops: &mut [Hop]) {
    let mut previous: Option<i64> = None;
    for hop in hops.iter_mut() {
        let Some(timestamp) = hop.timestamp else {
            continue;
        };
        if let Some(before) = previous {
            let delay = timestamp - before;
            hop.delay_seconds = Some(delay);
            if delay < 0 {
                hop.note(
                    NoteKind::NegativeDelay,
                    Why::naming(Reason::NegativeDelay, [(-delay).to_string()]),
                );
            }
        }
        previous = Some(timestamp);
    }
}

/// Fastmail records the TLS of the incoming connection in
/// `X-ME-Authentication-Results: … x-tls=pass smtp.version=… smtp.cipher=…`.
/// When trusted, it completes the hop its MX wrote if that line says less.
fn enrich_from_provider_tls_fields(hops: &mut [Hop], authentication: &Authentication) {
    // Only a field the receiving side wrote, about a line it wrote: a sender
    // can write `x-tls=pass` too.
    for results in authentication.results.iter().filter(|r| r.trusted) {
        let Some(x_tls) = results.results.iter().find(|m| m.method == "x-tls") else {
            continue;
        };
        let Some(writer) = results.authserv_id.as_deref() else {
            continue;
        };
        let Some(hop) = hops
            .iter_mut()
            .rev()
            .find(|h| h.trusted && !h.internal && h.by.as_deref() == Some(writer))
        else {
            continue;
        };
        let version = x_tls
            .properties
            .get("smtp.version")
            .and_then(|v| tls::normalize_version(v));
        if x_tls.result == "pass" && hop.tls.encrypted != Some(false) {
            hop.tls.encrypted = Some(true);
            if hop.tls.version.is_none() {
                hop.tls.version = version.map(str::to_owned);
            }
            if hop.tls.cipher.is_none()
                && let Some(cipher) = x_tls.properties.get("smtp.cipher")
            {
                hop.tls.cipher = Some(cipher.clone());
                hop.tls.cipher_iana = tls::iana_cipher(cipher, hop.tls.version.as_deref());
            }
            hop.tls
                .evidence
                .get_or_insert_with(|| format!("{}: x-tls=pass", results.field));
        }
    }
}
