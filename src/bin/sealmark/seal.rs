//! `sealmark seal-inbound`: the zero-access delivery filter. One message in
//! on standard input, the sealed (or unchanged) message out on standard
//! output, streamed in bounded memory. On any failure the exit code is
//! EX_TEMPFAIL: Postfix keeps the message queued and retries, and whatever
//! was written is not to be stored (nothing is, when the input is not a
//! message or a certificate is refused; part of a message, when reading or
//! writing fails midway).

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use sealmark::mail::seal::{self, Outcome, SealOptions};
use sealmark::openpgp::keys;

/// sysexits.h: a temporary failure, to be retried.
pub const TEMPFAIL: u8 = 75;

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
    // A bug must not make the mail server take a half-written message as
    // delivered: a panic, too, exits with the temporary failure.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "sealmark seal-inbound: internal error ({info}); the message is left to the mail server to retry"
        );
        std::process::exit(i32::from(TEMPFAIL));
    }));
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
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let stdout = io::stdout();
    let mut output = BufWriter::with_capacity(64 * 1024, stdout.lock());
    // A file that cannot be looked at (a directory without permission) is an
    // error, never "no certificate": that would store the message readable.
    let mut present = Vec::new();
    for file in &request.certs {
        if Path::new(file)
            .try_exists()
            .map_err(|e| format!("cannot look for the certificate {file}: {e}"))?
        {
            present.push(file);
        }
    }
    if present.is_empty() && request.pass_without_cert {
        io::copy(&mut input, &mut output)
            .and_then(|_| output.flush())
            .map_err(|e| format!("cannot pass the message on: {e}"))?;
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
    match seal::seal_stream(&mut input, &mut output, &options).map_err(|e| e.to_string())? {
        Outcome::Encrypted => Ok(None),
        Outcome::Unchanged(how) => Ok(Some(format!(
            "already encrypted ({how:?}): delivered unchanged"
        ))),
    }
}
