//! The `sealmark` command line: a thin face over the core, following the
//! Stateless OpenPGP command line conventions (subcommands, stdin/stdout,
//! exit codes).

mod exit;

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
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return exit::usage_error(&error),
    };
    match cli.command {
        Command::Version { backend, extended } => {
            let info = version::build_info();
            let text = if backend {
                info.backend()
            } else if extended {
                info.extended()
            } else {
                info.short()
            };
            println!("{text}");
            ExitCode::SUCCESS
        }
    }
}
