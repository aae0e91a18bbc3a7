//! `sealmark hops`: the route of a message as a table for people or JSON for programs.

use std::fmt::Write as _;
use std::io::{IsTerminal, Read};

use sealmark::transport::{self, Report, hop::Hop};

/// Reads the message from `path` (`-` for standard input).
pub fn read_input(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        let mut buffer = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buffer)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(buffer)
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
    }
}

/// Analyses and prints; returns the text to write.
pub fn run(raw: &[u8], trusted_domains: Vec<String>, json: bool) -> Result<String, String> {
    let report = transport::analyze(raw, &transport::Options { trusted_domains })
        .map_err(|e| e.to_string())?;
    if json {
        serde_json::to_string_pretty(&report)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| e.to_string())
    } else {
        Ok(table(&report, std::io::stdout().is_terminal()))
    }
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
