//! `sealmark seal-inbound`: the zero-access delivery filter. One message in
//! on standard input, the sealed (or unchanged) message out on standard
//! output — all of it or nothing: on any failure the exit code is
//! EX_TEMPFAIL, which tells Postfix's pipe and Dovecot's Sieve filter to
//! keep the original and try again later, so no message is ever lost or
//! stored half-written.

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use sealmark::mail::seal::{self, SealOptions, Sealed};
use sealmark::openpgp::keys;

/// sysexits.h: a temporary failure, to be retried.
const TEMPFAIL: u8 = 75;

/// What the filter was asked to do.
pub struct Request {
    /// Certificate files of the mailbox's owner.
    pub certs: Vec<String>,
    /// Keep the real Subject outside.
    pub keep_subject: bool,
    /// When none of the certificate files exists, deliver unchanged rather than fail.
    pub pass_without_cert: bool,
}

/// Runs the filter; the exit code is the mail server's instruction.
pub fn run(request: &Request) -> ExitCode {
    match filter(request) {
        Ok(note) => {
            if let Some(note) = note {
                eprintln!("sealmark seal-inbound: {note}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!(
                "sealmark seal-inbound: {message}; the message is left to the mail server to retry"
            );
            ExitCode::from(TEMPFAIL)
        }
    }
}

fn filter(request: &Request) -> Result<Option<String>, String> {
    let mut raw = Vec::new();
    io::stdin()
        .read_to_end(&mut raw)
        .map_err(|e| format!("cannot read the message: {e}"))?;
    let present: Vec<&String> = request
        .certs
        .iter()
        .filter(|f| Path::new(f).exists())
        .collect();
    if present.is_empty() && request.pass_without_cert {
        write_all(&raw)?;
        return Ok(Some(
            "no certificate for this mailbox: delivered unchanged, as configured".into(),
        ));
    }
    // Without the flag a missing file is an error: mail must not be stored readable by a typo.
    let files = if request.pass_without_cert {
        present
    } else {
        request.certs.iter().collect()
    };
    let mut recipients = Vec::new();
    for file in files {
        let bytes =
            std::fs::read(file).map_err(|e| format!("cannot read the certificate {file}: {e}"))?;
        recipients.extend(keys::read_certs(&bytes).map_err(|e| format!("{file}: {e}"))?);
    }
    let options = SealOptions {
        recipients: &recipients,
        keep_subject: request.keep_subject,
    };
    match seal::seal(&raw, &options).map_err(|e| e.to_string())? {
        Sealed::Encrypted(sealed) => {
            write_all(&sealed)?;
            Ok(None)
        }
        Sealed::Unchanged(how) => {
            write_all(&raw)?;
            Ok(Some(format!(
                "already encrypted ({how:?}): delivered unchanged"
            )))
        }
    }
}

fn write_all(bytes: &[u8]) -> Result<(), String> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the message: {e}"))
}
