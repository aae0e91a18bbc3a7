//! The `sealmark` command line: a thin face over the core, following the
//! Stateless OpenPGP command line conventions (subcommands, stdin/stdout,
//! exit codes).

mod exit;
mod hops;
mod inspect;
mod seal;
mod sop;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sealmark::version;

/// Sealmark: OpenPGP and transport inspection for e-mail.
#[derive(Parser)]
#[command(name = "sealmark", disable_version_flag = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the version of this implementation.
    Version {
        /// Print the OpenPGP backend in use.
        #[arg(long, group = "kind")]
        backend: bool,
        /// Print several lines of detail; the first is the plain version.
        #[arg(long, group = "kind")]
        extended: bool,
        /// Print the version of the SOP specification implemented.
        #[arg(long, group = "kind")]
        sop_spec: bool,
    },
    #[command(flatten)]
    Sop(sop::Sop),
    /// Describe keys or certificates: fingerprints, user IDs, algorithms, validity.
    Inspect {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// The key file (`-` for standard input).
        #[arg(default_value = "-")]
        file: String,
    },
    /// Show the route of a message: TLS per hop, trust boundary, authentication.
    Hops {
        /// Print stable JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Summarise all messages: share encrypted, TLS versions, plaintext senders.
        #[arg(long)]
        report: bool,
        /// A domain whose Received lines are to be believed, e.g. your own mail server's.
        #[arg(long = "trusted-domain", value_name = "DOMAIN")]
        trusted_domains: Vec<String>,
        /// The headers stand as delivered (straight from a mail store): never take them as re-ordered oldest first.
        #[arg(long)]
        delivered_order: bool,
        /// Messages, mbox files or Maildir folders (`-` for standard input).
        #[arg(default_value = "-")]
        inputs: Vec<String>,
    },
    /// Zero-access delivery filter: encrypt one incoming message (standard input) to the mailbox
    /// owner's certificates as PGP/MIME with its headers protected (RFC 9788); exit 75 on any failure.
    SealInbound {
        /// The mailbox owner's certificate files (several during a key rotation).
        #[arg(long = "to", value_name = "CERT", required = true, num_args = 1..)]
        certs: Vec<String>,
        /// Keep the real Subject outside too, for server-side search (default: "[...]").
        #[arg(long)]
        keep_subject: bool,
        /// Deliver unchanged when none of the certificate files exists (a user without zero-access).
        #[arg(long)]
        pass_without_cert: bool,
    },
}

/// Whether the command line asks for `seal-inbound`, the delivery filter
/// (read before the arguments are understood, to choose the exit code).
fn invoked_as_delivery_filter() -> bool {
    std::env::args_os()
        .nth(1)
        .is_some_and(|first| first == "seal-inbound")
}

/// `--help` and `--version` are answers, not errors.
fn shows_help(error: &clap::Error) -> bool {
    matches!(
        error.kind(),
        clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
    )
}

/// The SOP draft followed; `~` marks a partial implementation, as the draft asks.
const SOP_SPEC: &str = "~draft-dkg-openpgp-stateless-cli-14";

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // A delivery filter's wrong arguments (a typo in the mail server's
        // configuration) must leave the mail queued, not bounce or lose it.
        Err(error) if invoked_as_delivery_filter() && !shows_help(&error) => {
            let _ = error.print();
            return ExitCode::from(seal::TEMPFAIL);
        }
        Err(error) => return exit::usage_error(&error),
    };
    match cli.command {
        Command::Version {
            backend,
            extended,
            sop_spec,
        } => {
            let info = version::build_info();
            let text = if sop_spec {
                SOP_SPEC.to_owned()
            } else if backend {
                info.backend()
            } else if extended {
                info.extended()
            } else {
                info.short()
            };
            println!("{text}");
            ExitCode::SUCCESS
        }
        Command::Sop(command) => sop::run(command),
        Command::SealInbound {
            certs,
            keep_subject,
            pass_without_cert,
        } => seal::run(&seal::Request {
            certs,
            keep_subject,
            pass_without_cert,
        }),
        Command::Inspect { json, file } => {
            match hops::read_input(&file)
                .and_then(|raw| inspect::run(&raw, json).map_err(|e| e.to_string()))
            {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("sealmark inspect: {message}");
                    ExitCode::from(exit::BAD_DATA)
                }
            }
        }
        Command::Hops {
            json,
            report,
            trusted_domains,
            delivered_order,
            inputs,
        } => {
            let request = hops::Request {
                inputs,
                trusted_domains,
                json,
                report,
                delivered_order,
            };
            match hops::run(&request) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::FAILURE,
                // Output closed early (`| head`) is not worth a message.
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::FAILURE,
                Err(error) => {
                    eprintln!("sealmark hops: cannot write the output: {error}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
