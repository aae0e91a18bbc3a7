//! `sealmark hops`: the route of one message as a table for people or JSON
//! for programs, or with `--report` what the routes of many messages (files,
//! mboxes, Maildirs) say together.
//!
//! Only the header section of each message is read, so a mailbox is analysed
//! in one pass in constant memory, whatever its attachments weigh.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::iter;
use std::path::Path;

use sealmark::transport::mailbox::{self, MailboxSummary, Mbox};
use sealmark::transport::{self, Report, hop::Hop};
use serde::Serialize;

/// Reads the message from `path` (`-` for standard input).
pub fn read_input(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        let mut buffer = Vec::new();
        io::stdin()
            .read_to_end(&mut buffer)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(buffer)
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
    }
}

/// One message to analyse: where it came from and its header section, or
/// why it could not be read.
struct Message {
    source: String,
    header: Result<Vec<u8>, String>,
}

type Messages = Box<dyn Iterator<Item = Message>>;

fn failed(source: String, error: String) -> Messages {
    Box::new(iter::once(Message {
        source,
        header: Err(error),
    }))
}

/// The messages of one input: standard input (`-`), a Maildir (a directory
/// with `cur/` or `new/`), an mbox (a file starting with a `From ` line), or
/// one message.
fn messages_of(path: &str) -> Messages {
    if path == "-" {
        return stream(
            BufReader::new(io::stdin().lock()),
            "standard input".to_owned(),
        );
    }
    if Path::new(path).is_dir() {
        return maildir(path);
    }
    match File::open(path) {
        Ok(file) => stream(BufReader::new(file), path.to_owned()),
        Err(e) => failed(path.to_owned(), format!("cannot read {path}: {e}")),
    }
}

fn stream<R: BufRead + 'static>(mut reader: R, source: String) -> Messages {
    let is_mbox = match reader.fill_buf() {
        Ok(start) => start.starts_with(b"From "),
        Err(e) => return failed(source.clone(), format!("cannot read {source}: {e}")),
    };
    if is_mbox {
        Box::new(
            Mbox::new(reader)
                .enumerate()
                .map(move |(index, header)| Message {
                    source: format!("{source} #{}", index + 1),
                    header: header.map_err(|e| format!("cannot read {source}: {e}")),
                }),
        )
    } else {
        let header = mailbox::read_header(reader).map_err(|e| format!("cannot read {source}: {e}"));
        Box::new(iter::once(Message { source, header }))
    }
}

/// The messages of a Maildir: its `cur/` and `new/` files in name order
/// (`tmp/` holds deliveries still being written).
fn maildir(path: &str) -> Messages {
    let mut files = Vec::new();
    let mut found = false;
    for folder in ["cur", "new"] {
        let Ok(entries) = std::fs::read_dir(Path::new(path).join(folder)) else {
            continue;
        };
        found = true;
        files.extend(
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.path()),
        );
    }
    if !found {
        return failed(
            path.to_owned(),
            format!("{path} is a directory but not a Maildir (it has no cur/ or new/ folder)"),
        );
    }
    files.sort();
    Box::new(files.into_iter().map(|file| {
        let source = file.display().to_string();
        let header = File::open(&file)
            .and_then(mailbox::read_header)
            .map_err(|e| format!("cannot read {source}: {e}"));
        Message { source, header }
    }))
}

/// What `sealmark hops` was asked to do.
pub struct Request {
    /// The inputs: files, mboxes, Maildirs, `-` for standard input.
    pub inputs: Vec<String>,
    /// Domains whose Received lines are believed too.
    pub trusted_domains: Vec<String>,
    /// JSON instead of text.
    pub json: bool,
    /// One summary of all messages instead of one report each.
    pub report: bool,
    /// The headers stand as delivered (straight from a mail store).
    pub delivered_order: bool,
}

/// Messages whose errors are printed before the rest are only counted.
const ERRORS_SHOWN: usize = 10;

/// Analyses every message and writes the result to standard output; `Ok`
/// with whether every message was read and analysed, `Err` when standard
/// output itself failed.
pub fn run(request: &Request) -> io::Result<bool> {
    let options = transport::Options {
        trusted_domains: request.trusted_domains.clone(),
        delivered_order: request.delivered_order,
    };
    let mut messages = request
        .inputs
        .iter()
        .flat_map(|input| messages_of(input))
        .peekable();
    let stdout = io::stdout();
    let colour = stdout.is_terminal();
    let mut out = BufWriter::new(stdout.lock());
    let mut errors = 0usize;
    let mut complain = |source: &str, error: &str| {
        errors += 1;
        if errors <= ERRORS_SHOWN {
            eprintln!("sealmark hops: {source}: {error}");
        } else if errors == ERRORS_SHOWN + 1 {
            eprintln!("sealmark hops: further errors are only counted");
        }
    };
    let analyse = |message: &Message| -> Result<Report, String> {
        let header = message.header.as_deref().map_err(Clone::clone)?;
        transport::analyze(header, &options).map_err(|e| e.to_string())
    };

    if request.report {
        let mut summary = MailboxSummary::default();
        for message in messages {
            match analyse(&message) {
                Ok(report) => summary.add(&report),
                Err(error) => {
                    // An input that cannot be opened is a failure; a message
                    // that is not one is part of the report.
                    if message.header.is_err() {
                        complain(&message.source, &error);
                    }
                    summary.add_error();
                }
            }
        }
        summary.finish();
        if request.json {
            serde_json::to_writer_pretty(&mut out, &summary)?;
            writeln!(out)?;
        } else {
            out.write_all(summary_table(&summary).as_bytes())?;
        }
        out.flush()?;
        return Ok(errors == 0);
    }

    let Some(first) = messages.next() else {
        return Ok(true);
    };
    if messages.peek().is_none() {
        // One message: the report itself, as it always was.
        match analyse(&first) {
            Ok(report) if request.json => {
                serde_json::to_writer_pretty(&mut out, &report)?;
                writeln!(out)?;
            }
            Ok(report) => out.write_all(table(&report, colour).as_bytes())?,
            Err(error) => {
                eprintln!("sealmark hops: {error}");
                return Ok(false);
            }
        }
        out.flush()?;
        return Ok(true);
    }

    // Many messages: each under its source; JSON as one array, an element a
    // line, so that it can be read as a stream too.
    if request.json {
        writeln!(out, "[")?;
    }
    for (index, message) in iter::once(first).chain(messages).enumerate() {
        let analysed = analyse(&message);
        if let Err(error) = &analysed {
            complain(&message.source, error);
        }
        if request.json {
            let element = Element {
                source: &message.source,
                report: analysed.as_ref().ok(),
                error: analysed.as_ref().err(),
            };
            if index > 0 {
                writeln!(out, ",")?;
            }
            serde_json::to_writer(&mut out, &element)?;
        } else if let Ok(report) = &analysed {
            writeln!(out, "==> {} <==", message.source)?;
            out.write_all(table(report, colour).as_bytes())?;
            writeln!(out)?;
        }
    }
    if request.json {
        writeln!(out, "\n]")?;
    }
    out.flush()?;
    Ok(errors == 0)
}

/// One message of many in `--json` output.
#[derive(Serialize)]
struct Element<'a> {
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a Report>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a String>,
}

/// A count with thousands separated, for people to read.
fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "—".to_owned()
    } else {
        format!("{:.1} %", part as f64 * 100.0 / whole as f64)
    }
}

/// Plaintext senders listed in the text report; `--json` lists them all.
const SENDERS_SHOWN: usize = 20;

fn summary_table(summary: &MailboxSummary) -> String {
    let mut out = String::new();
    let all = summary.status.get("all_encrypted").copied().unwrap_or(0);
    let _ = writeln!(
        out,
        "Messages: {} · analysed: {} · could not be read or analysed: {}",
        count(summary.messages),
        count(summary.analysed),
        count(summary.errors)
    );
    let _ = writeln!(
        out,
        "Every external hop encrypted: {} of {} ({})",
        count(all),
        count(summary.analysed),
        percent(all, summary.analysed)
    );
    for (status, label) in [
        ("plaintext", "At least one plaintext hop"),
        ("unknown", "Encryption not stated for a hop"),
        ("no_hops", "No Received lines"),
    ] {
        let n = summary.status.get(status).copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "{label}: {} ({})",
            count(n),
            percent(n, summary.analysed)
        );
    }
    let _ = writeln!(
        out,
        "Possible STARTTLS downgrade: {} · lines that look injected: {} · oldest-first headers: {}",
        count(summary.downgrade_suspected),
        count(summary.injection_suspected),
        count(summary.oldest_first)
    );
    let hops: usize = summary.tls_versions.values().sum();
    if hops > 0 {
        let _ = writeln!(out, "\nTLS versions of encrypted external hops:");
        for (version, &n) in &summary.tls_versions {
            let bar = "█".repeat((n * 30).div_ceil(hops));
            let _ = writeln!(
                out,
                "  {version:<10} {bar:<30} {} ({})",
                count(n),
                percent(n, hops)
            );
        }
    }
    if !summary.plaintext_senders.is_empty() {
        let _ = writeln!(out, "\nSent over plaintext (messages):");
        for sender in summary.plaintext_senders.iter().take(SENDERS_SHOWN) {
            let _ = writeln!(out, "  {:<40} {}", sender.domain, count(sender.messages));
        }
        let more = summary
            .plaintext_senders
            .len()
            .saturating_sub(SENDERS_SHOWN);
        if more > 0 {
            let _ = writeln!(out, "  … and {} more (`--json` lists all)", count(more));
        }
    }
    out
}

struct Style {
    colour: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

fn table(report: &Report, colour: bool) -> String {
    let style = Style { colour };
    let mut out = String::new();
    let verdict = &report.verdict;
    let _ = writeln!(out, "{}", style.paint("1", &verdict.sentence));
    for note in &verdict.notes {
        let _ = writeln!(out, "  {note}");
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        " #  {:<14} {:<56} {:<22} {:>7}  trust",
        "TLS", "from → by", "protocol", "delay"
    );
    for hop in &report.hops {
        if verdict.trust_boundary.oldest_trusted_index == Some(hop.index) && hop.index > 0 {
            let _ = writeln!(
                out,
                "    {}",
                style.paint(
                    "2",
                    "──── trust boundary: lines above were written by the sending side ────"
                )
            );
        }
        let _ = writeln!(
            out,
            "{:>2}  {} {:<56} {:<22} {:>7}  {}",
            hop.index + 1,
            tls_cell(hop, &style),
            truncate(&route(hop), 56),
            truncate(hop.protocol.as_deref().unwrap_or("—"), 22),
            hop.delay_seconds
                .map_or_else(|| "—".to_owned(), |d| format!("{d}s")),
            if hop.internal {
                "internal"
            } else if hop.trusted {
                "trusted"
            } else {
                "claimed"
            },
        );
        for note in &hop.notes {
            let _ = writeln!(
                out,
                "      {}",
                style.paint("33", &format!("! {}", note.message))
            );
        }
    }
    let summary = &report.authentication.summary;
    let show = |r: &Option<String>| r.clone().unwrap_or_else(|| "—".to_owned());
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Authentication{}: SPF {} · DKIM {} · DMARC {} · ARC {}",
        summary
            .authserv_id
            .as_ref()
            .map(|id| format!(" ({id})"))
            .unwrap_or_default(),
        show(&summary.spf),
        show(&summary.dkim),
        show(&summary.dmarc),
        show(&summary.arc)
    );
    out
}

fn tls_cell(hop: &Hop, style: &Style) -> String {
    let version = hop
        .tls
        .version
        .as_deref()
        .map(|v| v.replace("TLSv", "TLS "))
        .unwrap_or_default();
    let (code, text) = match hop.tls.encrypted {
        Some(true) if version.is_empty() => ("32", "TLS".to_owned()),
        Some(true) => ("32", version),
        Some(false) => ("31", "PLAINTEXT".to_owned()),
        None => ("90", "unknown".to_owned()),
    };
    let code = if hop.internal { "2" } else { code };
    style.paint(code, &format!("{:<14}", truncate(text.trim(), 14)))
}

fn route(hop: &Hop) -> String {
    let from = match (&hop.from.host, &hop.from.ip) {
        (Some(host), Some(ip)) => format!("{host} [{ip}]"),
        (Some(host), None) => host.clone(),
        (None, Some(ip)) => format!("[{ip}]"),
        (None, None) => "(local)".to_owned(),
    };
    format!("{from} → {}", hop.by.as_deref().unwrap_or("?"))
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}
