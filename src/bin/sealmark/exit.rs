//! Exit codes of the Stateless OpenPGP command line, so scripts and test
//! suites written for any SOP implementation understand ours.

use std::process::ExitCode;

use clap::error::ErrorKind;

/// A required argument was missing.
pub const MISSING_ARG: u8 = 19;
/// An option the implementation does not support.
pub const UNSUPPORTED_OPTION: u8 = 37;
/// A subcommand the implementation does not support.
pub const UNSUPPORTED_SUBCOMMAND: u8 = 69;

/// Prints a command-line parsing error and maps it to SOP's exit code.
pub fn usage_error(error: &clap::Error) -> ExitCode {
    let _ = error.print();
    let code = match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return ExitCode::SUCCESS,
        ErrorKind::InvalidSubcommand => UNSUPPORTED_SUBCOMMAND,
        ErrorKind::MissingRequiredArgument
        | ErrorKind::MissingSubcommand
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => MISSING_ARG,
        _ => UNSUPPORTED_OPTION,
    };
    ExitCode::from(code)
}
