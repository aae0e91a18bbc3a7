//! Exit codes of the Stateless OpenPGP command line, so scripts and test
//! suites written for any SOP implementation understand ours.

use std::process::ExitCode;

use clap::error::ErrorKind;

/// No acceptable signature was found.
pub const NO_SIGNATURE: u8 = 3;
/// A certificate cannot be encrypted to (expired, revoked, no encryption subkey).
pub const CERT_CANNOT_ENCRYPT: u8 = 17;
/// A required argument was missing.
pub const MISSING_ARG: u8 = 19;
/// The message could not be decrypted.
pub const CANNOT_DECRYPT: u8 = 29;
/// A password is not human-readable text.
pub const PASSWORD_NOT_HUMAN_READABLE: u8 = 31;
/// An option the implementation does not support.
pub const UNSUPPORTED_OPTION: u8 = 37;
/// Input that is not valid OpenPGP.
pub const BAD_DATA: u8 = 41;
/// Text was expected.
pub const EXPECTED_TEXT: u8 = 53;
/// An output file already exists.
pub const OUTPUT_EXISTS: u8 = 59;
/// An input file could not be read.
pub const MISSING_INPUT: u8 = 61;
/// A secret key is locked and no (right) password was given.
pub const KEY_IS_PROTECTED: u8 = 67;
/// A subcommand the implementation does not support.
pub const UNSUPPORTED_SUBCOMMAND: u8 = 69;
/// An `@PREFIX:` the implementation does not know.
pub const UNSUPPORTED_SPECIAL_PREFIX: u8 = 71;
/// A key that may not sign.
pub const KEY_CANNOT_SIGN: u8 = 79;
/// Options that cannot be combined.
pub const INCOMPATIBLE_OPTIONS: u8 = 83;
/// A profile the implementation does not know.
pub const UNSUPPORTED_PROFILE: u8 = 89;

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
