//! A hop: one Received field read as a step of the message's route — who
//! sent, who received, how, with which TLS, and whether the step stayed
//! inside one system.

use std::net::IpAddr;

use serde::Serialize;

use super::received::{Clause, ReceivedField};
use super::tls::{self, Tls};
use super::why::{Reason, Why};
use crate::header::date::{self, Timestamp};

/// The sending side of a hop.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Endpoint {
    /// Host name (reverse DNS when recorded, else the name given in HELO).
    pub host: Option<String>,
    /// The HELO/EHLO name.
    pub helo: Option<String>,
    /// The IP address the receiver saw.
    pub ip: Option<String>,
    /// The name the receiver found by reverse DNS, when it recorded one apart
    /// from the HELO and did not mark it unverified; `null` otherwise. Only
    /// this name, never the HELO, lets a line vouch for an older one.
    pub reverse_dns: Option<String>,
}

/// Why a hop stayed inside one system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InternalKind {
    /// No `from` clause: a program on the receiving system wrote the line.
    NoClient,
    /// The client was the receiving machine itself (loopback address or name).
    Loopback,
    /// The client's verified name is the receiving host's.
    SameHost,
    /// Delivery into a mailbox (LMTP, local).
    Delivery,
    /// Submission or storage through web, MAPI or IMAP.
    Client,
    /// Authenticated submission: the client is a person's mail program.
    Authenticated,
}

/// What kind of remark a [`Note`] makes, serialised as its stable snake_case code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// The line is dated before the one below it.
    NegativeDelay,
    /// The line's sender is not who wrote the line below it.
    ContinuityBreak,
    /// A sender-side line that borrows a name it does not fit.
    PossiblyInjected,
    /// The line's date cannot be read.
    UnreadableDate,
}

/// A remark on a hop that a person should see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Note {
    /// What kind of remark it is.
    pub code: NoteKind,
    /// The remark as a code and what it names, to be said in the reader's language.
    pub why: Why,
    /// The remark in English.
    pub message: String,
}

/// One step of the route, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Hop {
    /// 0 is the oldest hop (the last Received field in the header).
    pub index: usize,
    /// Who sent.
    pub from: Endpoint,
    /// Who received and wrote the field.
    pub by: Option<String>,
    /// `via` clause.
    pub via: Option<String>,
    /// The protocol as written (`ESMTPS`, `Microsoft SMTP Server`, `esmtps`).
    pub protocol: Option<String>,
    /// `SMTP`, `ESMTP`, `LMTP`, `HTTP`, `IMAP`, `MAPI`, `UUCP`, `local` or `other`.
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(
            type = "'SMTP' | 'ESMTP' | 'LMTP' | 'HTTP' | 'IMAP' | 'MAPI' | 'UUCP' | 'local' | 'other' | null"
        )
    )]
    pub protocol_family: Option<&'static str>,
    /// The receiver's queue id.
    pub id: Option<String>,
    /// The recipient named by the `for` clause.
    #[serde(rename = "for")]
    pub recipient: Option<String>,
    /// TLS on this hop.
    pub tls: Tls,
    /// The hop stayed inside one system (same host, loopback, local delivery,
    /// or submission from the sender's own client).
    pub internal: bool,
    /// Why the hop is internal, in English.
    pub internal_reason: Option<String>,
    /// Why the hop is internal, as a code.
    pub internal_why: Option<Why>,
    /// Written by the receiving side (true) or supplied by the sending side and forgeable (false).
    pub trusted: bool,
    /// Why the hop is trusted or only claimed, in English.
    pub trust_reason: String,
    /// Why the hop is trusted or only claimed, as a code.
    pub trust_why: Why,
    /// The date of the field, RFC 3339 in UTC.
    pub date: Option<String>,
    /// Seconds since the previous dated hop; negative values are flagged in `notes`.
    pub delay_seconds: Option<i64>,
    /// The receiving server's software, when the field states it.
    pub software: Option<String>,
    /// Remarks: time order, continuity, suspected injection.
    pub notes: Vec<Note>,
    /// The field as written, unfolded.
    pub raw: String,
    #[serde(skip)]
    pub(crate) internal_kind: Option<InternalKind>,
    #[serde(skip)]
    pub(crate) timestamp: Option<Timestamp>,
    #[serde(skip)]
    pub(crate) by_ip: Option<IpAddr>,
    #[serde(skip)]
    pub(crate) sender_ip: Option<IpAddr>,
}

impl Hop {
    /// Reads one parsed Received field as a hop.
    pub fn from_field(index: usize, field: ReceivedField) -> Hop {
        let sender = field.sender();
        let protocol = field.protocol().map(str::to_owned);
        let protocol_family = protocol.as_deref().map(family);
        let tls = tls::detect(&field);
        let by = field
            .by_host()
            .map(|h| h.trim_end_matches('.').to_ascii_lowercase());
        let by_ip = field.by.as_ref().and_then(by_address);
        let mut hop = Hop {
            index,
            from: Endpoint {
                host: sender.host,
                helo: sender.helo,
                ip: sender.ip.map(|ip| ip.to_string()),
                reverse_dns: sender.verified,
            },
            by,
            via: field.via.as_ref().map(|c| c.value.clone()),
            protocol,
            protocol_family,
            id: field.id.as_ref().map(|c| c.first_word().to_owned()),
            recipient: field
                .recipient
                .as_ref()
                .map(|c| c.first_word().trim_matches(['<', '>']).to_owned()),
            tls,
            date: field.date.map(date::to_rfc3339),
            software: software(&field),
            timestamp: field.date,
            by_ip,
            sender_ip: sender.ip,
            ..Hop::default()
        };
        hop.internal_kind = internal_kind(&field, &hop);
        hop.internal_why = hop
            .internal_kind
            .map(|kind| describe(kind, hop.protocol_family));
        hop.internal_reason = hop.internal_why.as_ref().map(Why::english);
        hop.internal = hop.internal_kind.is_some();
        if hop.date.is_none() {
            hop.note(NoteKind::UnreadableDate, Why::plain(Reason::UnreadableDate));
        }
        hop.raw = super::bounded(field.raw, super::MAX_TEXT);
        hop
    }

    /// Adds a remark of kind `code`, said as `why`.
    pub(crate) fn note(&mut self, code: NoteKind, why: Why) {
        let message = why.english();
        self.notes.push(Note { code, why, message });
    }

    /// Settles whether the hop is trusted, and why.
    pub(crate) fn judge(&mut self, trusted: bool, why: Why) {
        self.trusted = trusted;
        self.trust_reason = why.english();
        self.trust_why = why;
    }

    /// A short name for the hop's sender in sentences.
    pub fn sender_name(&self) -> String {
        self.from
            .host
            .clone()
            .or_else(|| self.from.helo.clone())
            .or_else(|| self.from.ip.clone())
            .unwrap_or_else(|| "an unnamed host".to_owned())
    }
}

/// The protocol family of a `with` value.
pub fn family(protocol: &str) -> &'static str {
    let upper = protocol.to_ascii_uppercase();
    let core = upper.strip_prefix("UTF8").unwrap_or(&upper);
    if core.starts_with("LMTP") {
        "LMTP"
    } else if core.starts_with("ESMTP") || core.starts_with("MICROSOFT SMTP") {
        "ESMTP"
    } else if core.starts_with("SMTP") || core.starts_with("ASMTP") {
        "SMTP"
    } else if core.starts_with("HTTP") {
        "HTTP"
    } else if core.starts_with("IMAP") {
        "IMAP"
    } else if core.starts_with("MAPI") {
        "MAPI"
    } else if core.starts_with("UUCP") {
        "UUCP"
    } else if core.starts_with("LOCAL") {
        "local"
    } else {
        "other"
    }
}

fn internal_kind(field: &ReceivedField, hop: &Hop) -> Option<InternalKind> {
    if field.from.is_none() {
        return Some(InternalKind::NoClient);
    }
    // The address the server saw decides; a HELO of `localhost` from an
    // Internet address is just a word the client chose.
    let loopback = match hop.sender_ip {
        Some(ip) => ip.is_loopback(),
        None => [&hop.from.reverse_dns, &hop.from.host]
            .into_iter()
            .flatten()
            .any(|h| h.starts_with("localhost")),
    };
    if loopback {
        return Some(InternalKind::Loopback);
    }
    // Only the receiver-recorded name counts: a client can say any HELO,
    // including the receiver's own name.
    if let Some(by) = &hop.by
        && hop.from.reverse_dns.as_ref() == Some(by)
    {
        return Some(InternalKind::SameHost);
    }
    match hop.protocol_family {
        Some("LMTP" | "local") => return Some(InternalKind::Delivery),
        Some("HTTP" | "MAPI" | "IMAP") => return Some(InternalKind::Client),
        _ => {}
    }
    let authenticated = hop.protocol.as_deref().is_some_and(|p| {
        let upper = p.to_ascii_uppercase();
        upper.ends_with("SMTPA") || upper.ends_with("SMTPSA")
    }) || field.comments.iter().any(|c| {
        let lower = c.to_ascii_lowercase();
        lower.starts_with("authenticated")
            || lower.contains("authenticated sender:")
            || lower.contains("auth: ")
    });
    authenticated.then_some(InternalKind::Authenticated)
}

fn describe(kind: InternalKind, family: Option<&str>) -> Why {
    Why::plain(match (kind, family) {
        (InternalKind::NoClient, _) => Reason::InternalNoClient,
        (InternalKind::Loopback, _) => Reason::InternalLoopback,
        (InternalKind::SameHost, _) => Reason::InternalSameHost,
        (InternalKind::Delivery, Some("LMTP")) => Reason::InternalLmtp,
        (InternalKind::Delivery, _) => Reason::InternalDelivery,
        (InternalKind::Client, Some("HTTP")) => Reason::InternalWebmail,
        (InternalKind::Client, Some("MAPI")) => Reason::InternalMapi,
        (InternalKind::Client, _) => Reason::InternalImap,
        (InternalKind::Authenticated, _) => Reason::InternalAuthenticated,
    })
}

fn by_address(clause: &Clause) -> Option<IpAddr> {
    super::received::parse_ip(clause.first_word()).or_else(|| {
        clause
            .comments
            .iter()
            .flat_map(|c| c.split_whitespace())
            .find_map(super::received::parse_ip)
    })
}

/// The receiving server's software, when the field names it.
fn software(field: &ReceivedField) -> Option<String> {
    if let Some(protocol) = field.protocol() {
        let upper = protocol.to_ascii_uppercase();
        if upper.starts_with("MICROSOFT SMTP SERVER") {
            return Some("Microsoft Exchange".to_owned());
        }
        if upper.starts_with("MICROSOFT SMTPSVC") {
            return Some("Microsoft IIS SMTP".to_owned());
        }
    }
    if field
        .leading_comments
        .iter()
        .any(|c| c.starts_with("qmail "))
    {
        return Some("qmail".to_owned());
    }
    // Servers put their name after `by`, after the protocol or after the
    // cipher (Exim); the `from` clause's comments describe the sender instead.
    let clauses = [
        &field.by,
        &field.with,
        &field.tls,
        &field.id,
        &field.recipient,
        &field.over,
    ];
    clauses
        .into_iter()
        .flatten()
        .chain(&field.more_with)
        .flat_map(|clause| clause.comments.iter())
        .find_map(|comment| software_name(comment))
}

fn software_name(comment: &str) -> Option<String> {
    let text = comment.split(',').next().unwrap_or("").trim();
    let lower = text.to_ascii_lowercase();
    let not_software = text.is_empty()
        || super::received::parse_ip(text).is_some()
        || text.contains(['[', '<', '=', ':'])
        || super::domain::normalize(text).is_some()
        || lower.starts_with("using ")
        || lower.starts_with("tls")
        || lower.contains("encrypted")
        || lower == "google transport security"
        || lower.starts_with("envelope-")
        || lower.starts_with("no client certificate")
        || lower.starts_with("client ");
    if not_software {
        return None;
    }
    // sendmail writes only its version pair: (8.17.1/8.17.1)
    if let Some((version, _)) = text.split_once('/')
        && version.chars().next().is_some_and(|c| c.is_ascii_digit())
        && version.chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        return Some(format!("sendmail {version}"));
    }
    Some(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::received;

    fn hop(body: &str) -> Hop {
        Hop::from_field(0, received::parse(body))
    }

    #[test]
    fn families() {
        assert_eq!(family("ESMTPSA"), "ESMTP");
        assert_eq!(family("esmtps"), "ESMTP");
        assert_eq!(family("UTF8SMTPS"), "SMTP");
        assert_eq!(family("LMTP"), "LMTP");
        assert_eq!(family("Microsoft SMTP Server"), "ESMTP");
        assert_eq!(family("HTTPS"), "HTTP");
        assert_eq!(family("mapi"), "MAPI");
        assert_eq!(family("NNFMP"), "other");
    }

    #[test]
    fn internal_hops() {
        assert!(
            hop(
                "by mail.example.org (Postfix, from userid 0) id 1; Tue, 3 Jan 2023 10:00:00 +0000"
            )
            .internal
        );
        assert!(hop("from localhost (localhost [127.0.0.1]) by mail.example.org (Postfix) with ESMTP id 1; Tue, 3 Jan 2023 10:00:00 +0000").internal);
        assert!(hop("from mx.example.net by mail.example.net with LMTP id 1; Tue, 3 Jan 2023 10:00:00 +0000").internal);
        let submission = hop(
            "from [192.168.1.10] (dsl.example.com [198.51.100.7]) (Authenticated sender: alice@example.org) by mail.example.org (Postfix) with ESMTPSA id 1; Tue, 3 Jan 2023 10:00:00 +0000",
        );
        assert!(submission.internal);
        assert!(!hop("from a.example.org (a.example.org [192.0.2.1]) by mx.example.net (Postfix) with ESMTPS id 1; Tue, 3 Jan 2023 10:00:00 +0000").internal);
    }

    #[test]
    fn software_names() {
        assert_eq!(hop("from a by mx.example.net (Postfix) with ESMTPS id 1; Tue, 3 Jan 2023 10:00:00 +0000").software.as_deref(), Some("Postfix"));
        assert_eq!(hop("from a by mx.example.net (8.17.1/8.17.1) with ESMTPS id 1; Tue, 3 Jan 2023 10:00:00 +0000").software.as_deref(), Some("sendmail 8.17.1"));
        assert_eq!(hop("from a by mx.example.net with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.96) id 1; Tue, 3 Jan 2023 10:00:00 +0000").software.as_deref(), Some("Exim 4.96"));
        assert_eq!(hop("from a by mx.example.net (mx01 [192.0.2.9]) with ESMTPS (Nemesis) id 1; Tue, 3 Jan 2023 10:00:00 +0000").software.as_deref(), Some("Nemesis"));
        assert_eq!(hop("from a by x.prod.outlook.com (2603:10b6::1) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.1; Tue, 3 Jan 2023 10:00:00 +0000").software.as_deref(), Some("Microsoft Exchange"));
    }
}
