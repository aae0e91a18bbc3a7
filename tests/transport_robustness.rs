//! Hostile and broken input for the transport analysis: it must answer, never
//! panic, and stay bounded.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::cases;
use proptest::prelude::*;
use sealmark::transport::{MAX_HEADER_BYTES, Options, TransportError, analyze};

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

#[test]
fn ten_thousand_received_lines_are_all_read() {
    let line = "Received: from a.example.org (a.example.org [192.0.2.1]) by b.example.org (Postfix) with ESMTPS id 1; Tue, 3 Jan 2023 10:00:00 +0000\r\n";
    let raw = line.repeat(10_000) + "\r\nbody\r\n";
    let report = analyze_default(raw.as_bytes()).map_err(|e| e.to_string());
    assert_eq!(report.map(|r| r.hops.len()), Ok(10_000));
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
