//! Hostile and broken input for the transport analysis: it must answer, never
//! panic, and stay bounded.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::cases;
use proptest::prelude::*;
use sealmark::transport::{
    MAX_AUTHENTICATION_FIELDS, MAX_HEADER_BYTES, MAX_HOPS, Options, TransportError, analyze,
};

fn analyze_default(raw: &[u8]) -> Result<sealmark::transport::Report, TransportError> {
    analyze(raw, &Options::default())
}

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = analyze_default(&raw);
    }

    #[test]
    fn arbitrary_received_bodies_never_panic(body in "[ -~\t\r\n()\\[\\];=<>\"\\\\]{0,600}") {
        let raw = format!("Received: {body}\r\nAuthentication-Results: {body}\r\nReceived-SPF: {body}\r\nARC-Seal: {body}\r\n\r\n");
        let report = analyze_default(raw.as_bytes());
        prop_assert!(report.is_ok());
    }

    #[test]
    fn clause_soup_keeps_hop_count(words in proptest::collection::vec(
        prop_oneof![
            Just("from"), Just("by"), Just("with"), Just("id"), Just("for"), Just("via"), Just("tls"),
            Just("(comment (nested))"), Just("[IPv6:2001:db8::1]"), Just(";"), Just("ESMTPS"), Just("x.example.org"),
            Just("Tue, 3 Jan 2023 10:00:00 +0000"), Just("(using TLSv1.3 with cipher"), Just("\""),
        ], 0..40)) {
        let line = words.join(" ");
        let raw = format!("Received: {line}\r\nReceived: {line}\r\n\r\n");
        let report = analyze_default(raw.as_bytes());
        prop_assert!(report.is_ok());
        prop_assert_eq!(report.map(|r| r.hops.len()).unwrap_or(0), 2);
    }
}

/// Issue 22: 20,000 fields (half Received, half Authentication-Results) are
/// analysed in a bounded time into a bounded report; the fields past the
/// newest 100 Received and 50 results are counted, not read.
#[test]
fn twenty_thousand_fields_take_neither_seconds_nor_megabytes() {
    let received = "Received: from a.example.org (a.example.org [192.0.2.1]) by b.example.org (Postfix) with ESMTP id 1; Tue, 3 Jan 2023 10:00:00 +0000\r\n";
    let results = "Authentication-Results: b.example.org; spf=pass smtp.mailfrom=a.example.org; dkim=pass header.d=a.example.org\r\n";
    let raw = (received.to_owned() + results).repeat(10_000) + "\r\nbody\r\n";
    let start = std::time::Instant::now();
    let report = analyze_default(raw.as_bytes());
    let elapsed = start.elapsed();
    let Ok(report) = report else {
        panic!("not analysed: {report:?}");
    };
    let json = serde_json::to_string(&report).unwrap_or_default();
    assert_eq!(report.hops.len(), MAX_HOPS);
    assert_eq!(report.verdict.omitted_received, 10_000 - MAX_HOPS);
    assert_eq!(
        report.authentication.results.len(),
        MAX_AUTHENTICATION_FIELDS
    );
    assert_eq!(
        report.authentication.omitted,
        10_000 - MAX_AUTHENTICATION_FIELDS
    );
    // Measured: the whole `sealmark hops --json` of this message takes 0.1 s
    // and prints 135 kB in a debug build; the bounds leave room for
    // a busy machine, and fail by orders of magnitude if anything goes
    // quadratic or copies every field into the report.
    assert!(json.len() < 400_000, "report of {} bytes", json.len());
    assert!(elapsed.as_millis() < 1_500, "took {elapsed:?}");
}

#[test]
fn a_twenty_thousand_field_header_of_other_fields_is_skipped_quickly() {
    let raw = "X-Filler: some text that is not analysed\r\n".repeat(20_000)
        + "Received: from a.example.org (a.example.org [192.0.2.1]) by b.example.org with ESMTPS id 1; Tue, 3 Jan 2023 10:00:00 +0000\r\n\r\n";
    let start = std::time::Instant::now();
    let report = analyze_default(raw.as_bytes()).map_err(|e| e.to_string());
    assert!(start.elapsed().as_millis() < 1_500);
    assert_eq!(report.map(|r| r.hops.len()), Ok(1));
}

/// What a hop says: sender, receiver, TLS, delay.
type RouteStep = (Option<String>, Option<String>, Option<bool>, Option<i64>);

/// One Received line of a generated route: `from` host `i` to `by` host `i + 1`.
fn route_line(hop: usize, hosts: &[String], tls: bool) -> String {
    let from = hosts.get(hop).cloned().unwrap_or_default();
    let by = hosts.get(hop + 1).cloned().unwrap_or_default();
    let protocol = if tls { "ESMTPS" } else { "ESMTP" };
    format!(
        "Received: from {from} ({from} [10.0.{hop}.1]) by {by} (Postfix) with {protocol} id {hop}; Tue, 3 Jan 2023 10:{:02}:00 +0000\r\n",
        hop + 1
    )
}

proptest! {
    #![proptest_config(cases(256))]

    /// Whatever the client says in HELO, a line below the MX's is the
    /// sender's: it is never trusted, and results written between them
    /// never reach the summary.
    #[test]
    fn helo_never_vouches(
        helo in prop_oneof![
            Just("mx.example.net".to_owned()), Just("example.net".to_owned()),
            Just("localhost".to_owned()), Just("[10.0.0.5]".to_owned()),
            Just("relay.example.net".to_owned()), "[a-z]{1,8}\\.example\\.net",
        ],
        reverse in prop_oneof![Just("unknown"), Just("evil.example.com"), Just("mx.example.net.evil.example.com")],
        forged_by_ip in prop_oneof![Just(""), Just(" ([203.0.113.5])"), Just(" ([10.0.0.5])")],
    ) {
        let raw = format!(
            "Received: from {helo} ({reverse} [203.0.113.5]) by mx.example.net (Postfix) with ESMTPS id 1; Tue, 3 Jan 2023 10:00:02 +0000\r\n\
             Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.net; dkim=pass header.d=example.net; dmarc=pass header.from=example.net\r\n\
             Received: from ceo.example.net (ceo.example.net [10.0.0.9]) by relay.example.net{forged_by_ip} (Postfix) with ESMTPS id 2; Tue, 3 Jan 2023 10:00:01 +0000\r\n\r\n"
        );
        let report = analyze_default(raw.as_bytes());
        prop_assert!(report.is_ok());
        let Ok(report) = report else { return Ok(()) };
        prop_assert!(!report.hops[0].trusted, "{:?}", report.hops[0].trust_reason);
        prop_assert_eq!(report.verdict.trust_boundary.oldest_trusted_index, Some(1));
        prop_assert!(report.authentication.results.iter().all(|r| !r.trusted));
        prop_assert_eq!(report.authentication.summary.dmarc, None);
    }

    /// A route written out oldest first is read as the same route, though
    /// none of its lines is then believed.
    #[test]
    fn oldest_first_reads_the_same_route(
        names in proptest::collection::vec("[a-z]{2,6}", 3..7),
        tls in proptest::collection::vec(any::<bool>(), 6),
    ) {
        let hosts: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, n)| format!("mx{i}.{n}{i}.example"))
            .collect();
        let lines: Vec<String> = (0..hosts.len() - 1)
            .map(|hop| route_line(hop, &hosts, tls.get(hop).copied().unwrap_or(true)))
            .collect();
        let newest_first: String = lines.iter().rev().cloned().collect::<String>() + "\r\n";
        let oldest_first: String = lines.concat() + "\r\n";
        let delivered = analyze_default(newest_first.as_bytes());
        let reordered = analyze_default(oldest_first.as_bytes());
        prop_assert!(delivered.is_ok() && reordered.is_ok());
        let (Ok(delivered), Ok(reordered)) = (delivered, reordered) else { return Ok(()) };
        prop_assert!(!delivered.verdict.oldest_first);
        prop_assert!(reordered.verdict.oldest_first);
        let route = |r: &sealmark::transport::Report| -> Vec<RouteStep> {
            r.hops
                .iter()
                .map(|h| (h.from.host.clone(), h.by.clone(), h.tls.encrypted, h.delay_seconds))
                .collect()
        };
        prop_assert_eq!(route(&delivered), route(&reordered));
        prop_assert!(reordered.hops.iter().all(|h| !h.trusted));
    }

    /// Results are believed exactly when they stand above the oldest line
    /// the receiving side wrote and name it (or nobody).
    #[test]
    fn results_are_believed_only_above_the_receiving_side(at in 0_usize..4, id in prop_oneof![Just("mx.example.net"), Just("mx.evil.example")]) {
        let lines = [
            "Received: from mx.example.net (mx.example.net [10.0.0.5]) by store.example.net with LMTP id 3; Tue, 3 Jan 2023 10:00:03 +0000\r\n",
            "Received: from mail.example.org (mail.example.org [192.0.2.27]) by mx.example.net (Postfix) with ESMTPS id 2; Tue, 3 Jan 2023 10:00:02 +0000\r\n",
            "Received: from pc.example.org (pc.example.org [192.0.2.28]) by mail.example.org (Postfix) with ESMTPS id 1; Tue, 3 Jan 2023 10:00:01 +0000\r\n",
        ];
        let mut raw = String::new();
        for (index, line) in lines.iter().enumerate() {
            if index == at {
                raw.push_str(&format!("Authentication-Results: {id}; dmarc=pass header.from=example.org\r\n"));
            }
            raw.push_str(line);
        }
        if at == lines.len() {
            raw.push_str(&format!("Authentication-Results: {id}; dmarc=pass header.from=example.org\r\n"));
        }
        raw.push_str("\r\n");
        let report = analyze_default(raw.as_bytes());
        prop_assert!(report.is_ok());
        let Ok(report) = report else { return Ok(()) };
        // The MX's line is the second; the oldest trusted one.
        prop_assert_eq!(report.verdict.trust_boundary.oldest_trusted_index, Some(1));
        let believed = report.authentication.results.iter().any(|r| r.trusted);
        prop_assert_eq!(believed, at <= 1 && id == "mx.example.net");
        prop_assert_eq!(report.authentication.summary.dmarc.is_some(), believed);
    }
}

#[test]
fn a_one_megabyte_header_field_is_handled() {
    let comment = "(".repeat(200_000) + &")".repeat(200_000);
    let raw = format!(
        "Received: from a {comment} by b with ESMTP; Tue, 3 Jan 2023 10:00:00 +0000\r\nX-Long: {}\r\n\r\n",
        "a".repeat(600_000)
    );
    assert!(raw.len() > 1_000_000);
    let report = analyze_default(raw.as_bytes()).map_err(|e| e.to_string());
    assert_eq!(report.map(|r| r.hops.len()), Ok(1));
}

#[test]
fn oversized_headers_get_a_clear_error() {
    let raw = "X-Filler: ".to_owned() + &"a".repeat(MAX_HEADER_BYTES) + "\r\n\r\n";
    match analyze_default(raw.as_bytes()) {
        Err(TransportError::HeaderTooLarge { size }) => assert!(size > MAX_HEADER_BYTES),
        other => panic!("expected HeaderTooLarge, got {other:?}"),
    }
}

#[test]
fn a_huge_body_is_not_read() {
    let raw = "Received: from a.example.org by b.example.org with ESMTP; Tue, 3 Jan 2023 10:00:00 +0000\r\n\r\n".to_owned()
        + &"x".repeat(30 * 1024 * 1024);
    let report = analyze_default(raw.as_bytes()).map_err(|e| e.to_string());
    assert_eq!(report.map(|r| r.hops.len()), Ok(1));
}

#[test]
fn empty_and_headerless_input() {
    for raw in [
        &b""[..],
        b"\r\n\r\n",
        b"just some text without a colon",
        b"\xff\xfe\x00\x01",
    ] {
        let report = analyze_default(raw).map_err(|e| e.to_string());
        assert_eq!(report.map(|r| r.hops.len()), Ok(0), "{raw:?}");
    }
}

/// The attack on reading the order (found in review): under the receiving
/// side's one real line, a sender adds a line dated a day after delivery whose
/// `from` names the receiving host, and passing results below it. Read as
/// oldest first, that line would be the newest, written "by the receiving
/// side", and its results believed. Turned round, nothing is believed; told
/// the order is as delivered (the extension's raw source), the real line and
/// its failing results stand.
#[test]
fn a_sender_cannot_turn_the_order_round_to_have_its_results_believed() {
    let raw = "X-Spam-Status: No\r\n\
Authentication-Results: mx.victim.net; spf=fail smtp.mailfrom=bank.example; dkim=none; dmarc=fail header.from=bank.example\r\n\
Received: from mail.attacker.example (mail.attacker.example [198.51.100.7]) by mx.victim.net (Postfix) with ESMTP id A; Tue, 3 Jan 2023 10:00:00 +0000\r\n\
Received: from mx.victim.net (mx.victim.net [10.0.0.5]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) by mx2.victim.net (Postfix) with ESMTPS id B; Wed, 4 Jan 2023 10:00:00 +0000\r\n\
Authentication-Results: mx2.victim.net; spf=pass smtp.mailfrom=bank.example; dkim=pass header.d=bank.example; dmarc=pass header.from=bank.example\r\n\
From: Bank <ceo@bank.example>\r\n\r\n";
    let guessed = analyze(raw.as_bytes(), &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        guessed.hops.iter().all(|h| !h.trusted),
        "{:?}",
        guessed.hops
    );
    assert!(guessed.authentication.results.iter().all(|r| !r.trusted));
    assert_eq!(guessed.authentication.summary.dmarc, None);

    let delivered = Options {
        delivered_order: true,
        ..Options::default()
    };
    let known = analyze(raw.as_bytes(), &delivered).unwrap_or_else(|e| panic!("{e}"));
    assert!(!known.verdict.oldest_first);
    assert_eq!(known.authentication.summary.dmarc.as_deref(), Some("fail"));
    assert!(
        known
            .hops
            .iter()
            .any(|h| h.trusted && h.by.as_deref() == Some("mx.victim.net"))
    );
    assert!(
        !known
            .hops
            .iter()
            .any(|h| h.trusted && h.by.as_deref() == Some("mx2.victim.net"))
    );
}

/// A mail program's own fields on top (Thunderbird's X-Mozilla-Status) do
/// not hide the delivery stamp below them: the order stays as delivered.
#[test]
fn a_delivery_stamp_below_a_mail_programs_fields_keeps_the_delivered_order() {
    let raw = "X-Mozilla-Status: 0001\r\n\
Return-Path: <ceo@bank.example>\r\n\
Received: from mail.attacker.example (mail.attacker.example [198.51.100.7]) by mx.victim.net (Postfix) with ESMTP id A; Tue, 3 Jan 2023 10:00:00 +0000\r\n\
Received: from mx.victim.net (mx.victim.net [10.0.0.5]) by mx2.victim.net (Postfix) with ESMTPS id B; Wed, 4 Jan 2023 10:00:00 +0000\r\n\r\n";
    let report = analyze(raw.as_bytes(), &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(!report.verdict.oldest_first);
}
