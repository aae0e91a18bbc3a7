//! Many messages at once: the header sections of an mbox file, read as a
//! stream, and a [`MailboxSummary`] of their routes — what `sealmark hops
//! --report` prints for a whole mailbox.
//!
//! Only header sections are kept: a mailbox of 100,000 messages with their
//! attachments is read once, line by line (a long line in pieces), in
//! constant memory.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read};

use serde::Serialize;

use super::verdict::Status;
use super::{MAX_HEADER_BYTES, Report, domain};

/// Reads the header sections of the messages of an mbox (mboxo, mboxrd: a
/// message starts at a `From ` line at the start of the file or after an
/// empty line, RFC 4155; mboxcl's Content-Length is not read, so a body line
/// starting with an unquoted `From ` after an empty line starts a message). Each item is one header section with its
/// closing empty line; a header longer than [`MAX_HEADER_BYTES`] is cut just
/// past that size, so that the analysis refuses it with its usual error.
pub struct Mbox<R> {
    reader: R,
    /// The piece of a line read last.
    line: Vec<u8>,
    /// Whether that piece starts a line (the one before ended with one).
    at_line_start: bool,
}

/// The most of one line read at once: a line without end (a file of zeros,
/// a huge attachment without line breaks) is read in pieces, never whole.
const PIECE: u64 = 64 * 1024;

impl<R: BufRead> Mbox<R> {
    /// An mbox read from `reader`.
    pub fn new(reader: R) -> Self {
        Mbox {
            reader,
            line: Vec::new(),
            at_line_start: true,
        }
    }

    /// Reads the next piece of a line into `self.line`; `false` at the end
    /// of the input.
    fn next_line(&mut self) -> io::Result<bool> {
        self.at_line_start = self.line.last().is_none_or(|&b| b == b'\n');
        self.line.clear();
        Ok((&mut self.reader)
            .take(PIECE)
            .read_until(b'\n', &mut self.line)?
            > 0)
    }
}

fn is_empty_line(line: &[u8]) -> bool {
    matches!(line, b"\n" | b"\r\n")
}

impl<R: BufRead> Iterator for Mbox<R> {
    type Item = io::Result<Vec<u8>>;

    fn next(&mut self) -> Option<io::Result<Vec<u8>>> {
        // Find the `From ` line that starts the next message; we stand at
        // the start of the input or just after a header's empty line.
        let mut previous_empty = true;
        loop {
            match self.next_line() {
                Ok(true) => {}
                Ok(false) => return None,
                Err(error) => return Some(Err(error)),
            }
            if previous_empty && self.at_line_start && self.line.starts_with(b"From ") {
                break;
            }
            previous_empty = self.at_line_start && is_empty_line(&self.line);
        }
        let mut header = Vec::new();
        loop {
            match self.next_line() {
                Ok(true) => {}
                Ok(false) => return Some(Ok(header)),
                Err(error) => return Some(Err(error)),
            }
            if header.len() <= MAX_HEADER_BYTES {
                header.extend_from_slice(&self.line);
            }
            if self.at_line_start && is_empty_line(&self.line) {
                return Some(Ok(header));
            }
        }
    }
}

/// Reads the header section of one message from `reader`: up to and
/// including the first empty line, or the whole input if it has none. At
/// most a little more than [`MAX_HEADER_BYTES`] is read, so a large message
/// costs no more than its header.
pub fn read_header(reader: impl Read) -> io::Result<Vec<u8>> {
    let mut reader = io::BufReader::new(reader);
    let mut header = Vec::new();
    loop {
        // Never more than just past the limit, even in one endless line.
        let room = (MAX_HEADER_BYTES + 1).saturating_sub(header.len()) as u64;
        let read = (&mut reader).take(room).read_until(b'\n', &mut header)?;
        let line_start = header.len() - read;
        let line = header.get(line_start..).unwrap_or_default();
        if read == 0 || is_empty_line(line) || header.len() > MAX_HEADER_BYTES {
            return Ok(header);
        }
    }
}

/// What the routes of many messages say together.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MailboxSummary {
    /// Messages found.
    pub messages: usize,
    /// Messages analysed.
    pub analysed: usize,
    /// Messages that could not be read or analysed.
    pub errors: usize,
    /// Analysed messages by verdict: `all_encrypted`, `plaintext`, `unknown`, `no_hops`.
    pub status: BTreeMap<&'static str, usize>,
    /// The share of analysed messages whose every external hop was encrypted (0–1).
    pub all_encrypted_share: f64,
    /// Messages with a possible STARTTLS downgrade.
    pub downgrade_suspected: usize,
    /// Messages with lines that look injected.
    pub injection_suspected: usize,
    /// Messages whose Received fields stood oldest first.
    pub oldest_first: usize,
    /// External encrypted hops by TLS version (`TLSv1.3`, …, `unstated`).
    pub tls_versions: BTreeMap<String, usize>,
    /// Messages by the weakest TLS version among their encrypted hops.
    pub weakest_tls: BTreeMap<String, usize>,
    /// The domains that sent over plaintext, with the number of messages
    /// each did so for, most first (an address where the sender has no name).
    pub plaintext_senders: Vec<DomainCount>,
    #[serde(skip)]
    plaintext_counts: BTreeMap<String, usize>,
}

/// A domain and a count of messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainCount {
    /// The sending host's organisational domain, or its address.
    pub domain: String,
    /// Messages.
    pub messages: usize,
}

impl MailboxSummary {
    /// Counts one analysed message.
    pub fn add(&mut self, report: &Report) {
        self.messages += 1;
        self.analysed += 1;
        let verdict = &report.verdict;
        let status = match verdict.status {
            Status::AllEncrypted => "all_encrypted",
            Status::Plaintext => "plaintext",
            Status::Unknown => "unknown",
            Status::NoHops => "no_hops",
        };
        *self.status.entry(status).or_default() += 1;
        self.downgrade_suspected += usize::from(!verdict.downgrade_suspected.is_empty());
        self.injection_suspected += usize::from(!verdict.injection_suspected.is_empty());
        self.oldest_first += usize::from(verdict.oldest_first);
        if let Some(weakest) = &verdict.weakest_tls {
            *self.weakest_tls.entry(weakest.clone()).or_default() += 1;
        }
        let mut senders: Vec<String> = Vec::new();
        for hop in report.hops.iter().filter(|h| !h.internal) {
            match hop.tls.encrypted {
                Some(true) => {
                    let version = hop.tls.version.as_deref().unwrap_or("unstated");
                    match self.tls_versions.get_mut(version) {
                        Some(count) => *count += 1,
                        None => {
                            self.tls_versions.insert(version.to_owned(), 1);
                        }
                    }
                }
                Some(false) => {
                    // Never the HELO: the client chose it.
                    let name = [&hop.from.reverse_dns, &hop.from.host]
                        .into_iter()
                        .flatten()
                        .find_map(|h| domain::organizational(h))
                        .or_else(|| hop.from.ip.clone())
                        .unwrap_or_else(|| "unnamed".to_owned());
                    if !senders.contains(&name) {
                        senders.push(name);
                    }
                }
                None => {}
            }
        }
        for name in senders {
            *self.plaintext_counts.entry(name).or_default() += 1;
        }
    }

    /// Counts one message that could not be read or analysed.
    pub fn add_error(&mut self) {
        self.messages += 1;
        self.errors += 1;
    }

    /// Completes the derived figures; call once after the last message.
    pub fn finish(&mut self) {
        let all = self.status.get("all_encrypted").copied().unwrap_or(0);
        self.all_encrypted_share = if self.analysed == 0 {
            0.0
        } else {
            all as f64 / self.analysed as f64
        };
        let mut senders: Vec<DomainCount> = self
            .plaintext_counts
            .iter()
            .map(|(domain, &messages)| DomainCount {
                domain: domain.clone(),
                messages,
            })
            .collect();
        senders.sort_by(|a, b| b.messages.cmp(&a.messages).then(a.domain.cmp(&b.domain)));
        self.plaintext_senders = senders;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::{Options, analyze};

    const MBOX: &[u8] = b"From alice@example.org Tue Jan  3 10:00:00 2023\n\
Received: from mail.example.org (mail.example.org [192.0.2.1]) by mx.example.net (Postfix) with ESMTP id 1; Tue, 3 Jan 2023 10:00:00 +0000\n\
Subject: one\n\
\n\
first line of the body\n\
From the middle of a paragraph: not a separator\n\
\n\
>From an escaped line\n\
\n\
From carol@example.com Tue Jan  3 11:00:00 2023\n\
Received: from mail.example.com (mail.example.com [192.0.2.2]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) by mx.example.net (Postfix) with ESMTPS id 2; Tue, 3 Jan 2023 11:00:00 +0000\n\
Subject: two\n\
\n\
body\n";

    #[test]
    fn mbox_headers_are_read_one_by_one() {
        let headers: Vec<Vec<u8>> = Mbox::new(MBOX).filter_map(Result::ok).collect();
        assert_eq!(headers.len(), 2);
        assert!(headers[0].starts_with(b"Received: from mail.example.org"));
        assert!(headers[0].ends_with(b"Subject: one\n\n"));
        assert!(headers[1].ends_with(b"Subject: two\n\n"));
    }

    #[test]
    fn an_endless_line_is_read_in_pieces() {
        // Zeros without a line break: no message, and never read whole.
        let zeros = std::io::Read::take(std::io::repeat(0), 3 * PIECE + 5);
        assert_eq!(Mbox::new(std::io::BufReader::new(zeros)).count(), 0);
        let header = read_header(std::io::repeat(b'x')).unwrap_or_default();
        assert_eq!(header.len(), MAX_HEADER_BYTES + 1);
        // A header line longer than a piece is read whole, pieces joined.
        let long = format!(
            "From a\nSubject: {}\n\nFrom b\nSubject: short\n\n",
            "y".repeat(3 * PIECE as usize)
        );
        let headers: Vec<Vec<u8>> = Mbox::new(long.as_bytes()).filter_map(Result::ok).collect();
        assert_eq!(headers.len(), 2);
        assert_eq!(headers[0].len(), "Subject: \n\n".len() + 3 * PIECE as usize);
    }

    #[test]
    fn mbox_without_from_lines_has_no_messages() {
        assert_eq!(Mbox::new(&b"Subject: x\n\nbody\n"[..]).count(), 0);
        assert_eq!(Mbox::new(&b""[..]).count(), 0);
    }

    #[test]
    fn a_header_is_read_without_its_body() {
        let message = b"Subject: x\r\n\r\nbody that is never read";
        assert_eq!(
            read_header(&message[..]).ok().as_deref(),
            Some(&b"Subject: x\r\n\r\n"[..])
        );
    }

    #[test]
    fn the_summary_counts_versions_and_plaintext_senders() {
        let mut summary = MailboxSummary::default();
        for header in Mbox::new(MBOX).filter_map(Result::ok) {
            match analyze(&header, &Options::default()) {
                Ok(report) => summary.add(&report),
                Err(_) => summary.add_error(),
            }
        }
        summary.add_error();
        summary.finish();
        assert_eq!(
            (summary.messages, summary.analysed, summary.errors),
            (3, 2, 1)
        );
        assert_eq!(summary.all_encrypted_share, 0.5);
        assert_eq!(summary.tls_versions.get("TLSv1.3"), Some(&1));
        assert_eq!(
            summary.plaintext_senders,
            [DomainCount {
                domain: "example.org".into(),
                messages: 1
            }]
        );
    }
}
