//! Transport inspection: what the Received trace of a message says about how
//! it travelled — per-hop TLS, which lines the recipient's provider wrote and
//! which the sender could have forged — and its authentication results.
//!
//! [`analyze`] is the whole pipeline: mail-parser splits the header, each
//! Received field is tokenized and read as a [`hop::Hop`], the trust boundary
//! is drawn, authentication results are believed only from the trusted side,
//! and the route is judged in a [`verdict::Verdict`].

pub mod auth;
pub mod date;
pub mod domain;
pub mod fields;
pub mod hop;
pub mod received;
pub mod tls;
pub mod tokens;
pub mod trust;
pub mod verdict;

use serde::Serialize;
use thiserror::Error;

use auth::Authentication;
use hop::Hop;
use verdict::Verdict;

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
}

/// The analysis of one message: the JSON of `sealmark hops --json` and of the
/// Wasm `analyzeMessage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The route, oldest hop first.
    pub hops: Vec<Hop>,
    /// Authentication results, trusted and claimed.
    pub authentication: Authentication,
    /// The judgement.
    pub verdict: Verdict,
}

/// Analyses a raw message, or just its header section.
pub fn analyze(raw: &[u8], options: &Options) -> Result<Report, TransportError> {
    let header = fields::header_section(raw);
    if header.len() > MAX_HEADER_BYTES {
        return Err(TransportError::HeaderTooLarge { size: header.len() });
    }
    let mut received_positions = Vec::new();
    let mut received = Vec::new();
    let mut authentication = Authentication::default();
    let mut tls_required_no = false;
    for (position, field) in fields::split(header).into_iter().enumerate() {
        let name = field.name;
        let is = |wanted: &str| name.eq_ignore_ascii_case(wanted);
        // Only the fields analysed are turned into text.
        let body = || String::from_utf8_lossy(field.value);
        if is("received") {
            received_positions.push(position);
            received.push(received::parse(&body()));
        } else if is("authentication-results") || is("x-me-authentication-results") {
            let canonical = canonical_name(&name.to_ascii_lowercase());
            authentication
                .results
                .push(auth::parse_results(canonical, &body(), false, position));
        } else if is("arc-authentication-results") {
            authentication.results.push(auth::parse_results(
                "ARC-Authentication-Results",
                &body(),
                true,
                position,
            ));
        } else if is("arc-seal") {
            authentication.arc_seals.push(auth::parse_arc_seal(&body()));
        } else if is("received-spf") {
            authentication
                .received_spf
                .push(auth::parse_received_spf(&body(), position));
        } else if is("tls-required") {
            tls_required_no |= body().trim().eq_ignore_ascii_case("no");
        }
    }

    // Header order is newest first; the route reads oldest first.
    let count = received.len();
    let mut hops: Vec<Hop> = received
        .into_iter()
        .rev()
        .enumerate()
        .map(|(index, field)| Hop::from_field(index, field))
        .collect();
    set_delays(&mut hops);
    let boundary = trust::mark(&mut hops, &options.trusted_domains);
    let newest_claimed = hops.iter().rev().find(|h| !h.trusted).map(|h| h.index);
    let oldest_received_position = received_positions.last().map_or(usize::MAX, |p| p + 1);
    let first_claimed_position = newest_claimed
        .and_then(|index| received_positions.get(count - 1 - index).copied())
        .unwrap_or(oldest_received_position);
    trust::mark_authentication(
        &mut authentication,
        &boundary.domains,
        first_claimed_position,
    );
    enrich_from_provider_tls_fields(&mut hops, &authentication);
    let verdict = verdict::judge(&hops, boundary, tls_required_no);
    Ok(Report {
        hops,
        authentication,
        verdict,
    })
}

fn canonical_name(lower: &str) -> &'static str {
    if lower.starts_with("x-me-") {
        "X-ME-Authentication-Results"
    } else {
        "Authentication-Results"
    }
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
                    "negative_delay",
                    format!("Dated {} s before the previous line: a clock is wrong, or a line was made up.", -delay),
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
            .find(|h| !h.internal && h.by.as_deref() == Some(writer))
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
