//! The order of the Received fields. Every server prepends its field
//! (RFC 5321 §4.4), so as delivered they stand newest first; some archives
//! and mail programs write the header out again oldest first. Read in the
//! wrong order, every hop's delay, continuity and trust would be wrong.
//!
//! The order is read from the fields themselves, each adjacent pair voting:
//! - dates: a field dated after the one below it stands newest first, one
//!   dated before it oldest first;
//! - continuity: newest first, the upper field was received from the host
//!   that wrote the lower one (`from` above matches `by` below); oldest
//!   first, the other way round.
//!
//! The fields are taken as oldest first only when at least two votes say
//! so and none says otherwise. A sender can make its own lines vote either
//! way, but not the receiving side's: where the provider wrote two or more
//! lines, their dates and addresses vote for the delivered order. Where it
//! wrote one, the final delivery's stamp decides: `analyze` keeps the
//! delivered order whenever a Return-Path or Delivered-To field, which only
//! the receiving side writes on top, stands before the first Received
//! field, and callers that know the order (the extension reads the raw
//! source from the mailbox) say so and are never second-guessed.

use super::domain;
use super::received::{ReceivedField, Sender};

/// Whether the fields, in header order, stand oldest first.
pub fn oldest_first<'a>(fields: impl Iterator<Item = &'a ReceivedField>) -> bool {
    let mut newest_first_votes = 0_usize;
    let mut oldest_first_votes = 0_usize;
    let mut previous: Option<(&ReceivedField, Sender)> = None;
    for field in fields {
        let sender = field.sender();
        if let Some((upper, upper_sender)) = &previous {
            match (upper.date, field.date) {
                (Some(a), Some(b)) if a > b => newest_first_votes += 1,
                (Some(a), Some(b)) if a < b => oldest_first_votes += 1,
                _ => {}
            }
            if received_from(upper_sender, field) {
                newest_first_votes += 1;
            }
            if received_from(&sender, upper) {
                oldest_first_votes += 1;
            }
        }
        previous = Some((field, sender));
    }
    oldest_first_votes >= 2 && newest_first_votes == 0
}

/// Whether `sender` names the host that wrote `writer`: the same address,
/// or a name in the same organisational domain. Never by the HELO, which the
/// client chose: the order decides which lines count as the receiving
/// side's, so a sender's greeting must not turn the route round.
fn received_from(sender: &Sender, writer: &ReceivedField) -> bool {
    let Some(by) = writer.by_host() else {
        return false;
    };
    if let (Some(ip), Some(by_ip)) = (sender.ip, super::received::parse_ip(by)) {
        return ip == by_ip;
    }
    let Some(by_org) = domain::organizational(by) else {
        return false;
    };
    [&sender.verified, &sender.host]
        .into_iter()
        .flatten()
        .any(|name| domain::organizational(name).as_ref() == Some(&by_org))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::received::parse;

    const SUBMISSION: &str = "from [192.168.1.40] (unknown [203.0.113.9]) (Authenticated sender: alice@example.org) by mail.example.org (Postfix) with ESMTPSA id 1; Tue, 3 Jan 2023 10:00:01 +0000";
    const RELAY: &str = "from mail.example.org (mail.example.org [192.0.2.27]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) by mx.example.net (Postfix) with ESMTPS id 2; Tue, 3 Jan 2023 10:00:02 +0000";
    const DELIVERY: &str = "from mx.example.net (mx.example.net [10.0.0.5]) by store.example.net (Dovecot) with LMTP id 3; Tue, 3 Jan 2023 10:00:03 +0000";

    #[test]
    fn delivered_order_is_kept() {
        let fields = [parse(DELIVERY), parse(RELAY), parse(SUBMISSION)];
        assert!(!oldest_first(fields.iter()));
    }

    #[test]
    fn reserialised_order_is_recognised() {
        let fields = [parse(SUBMISSION), parse(RELAY), parse(DELIVERY)];
        assert!(oldest_first(fields.iter()));
    }

    #[test]
    fn one_contrary_vote_keeps_the_delivered_order() {
        // Dates say oldest first, but the relay was received from the
        // submission server below it: a forger's future-dated lines under a
        // real one are not enough to turn the route round.
        let late = SUBMISSION.replace("10:00:01", "11:00:00");
        let fields = [parse(RELAY), parse(&late)];
        assert!(!oldest_first(fields.iter()));
    }

    #[test]
    fn a_single_field_has_no_order() {
        assert!(!oldest_first([parse(RELAY)].iter()));
        assert!(!oldest_first(std::iter::empty()));
    }
}
