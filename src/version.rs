//! What this build of Sealmark is: its own version and the engines inside it.

use serde::Serialize;

/// The name every face reports, as SOP's `version` expects it before the number.
pub const NAME: &str = "sealmark";

/// Version and build information of the core.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct BuildInfo {
    /// Sealmark's own version (from Cargo.toml).
    pub version: &'static str,
    /// Version of rPGP (`pgp` crate), the OpenPGP engine; `none` in the
    /// transport module, which is built without it.
    pub pgp: &'static str,
    /// Version of `mail-parser`, the message parser; `none` in the transport module.
    pub mail_parser: &'static str,
    /// The Rust target triple this core was compiled for.
    pub target: &'static str,
}

/// Returns the build information of this core.
pub fn build_info() -> BuildInfo {
    BuildInfo {
        version: env!("CARGO_PKG_VERSION"),
        pgp: if cfg!(feature = "openpgp") {
            env!("SEALMARK_PGP_VERSION")
        } else {
            "none"
        },
        mail_parser: if cfg!(feature = "openpgp") {
            env!("SEALMARK_MAIL_PARSER_VERSION")
        } else {
            "none"
        },
        target: env!("SEALMARK_TARGET"),
    }
}

impl BuildInfo {
    /// The one-line version, SOP style: `sealmark 0.1.0`.
    pub fn short(&self) -> String {
        format!("{NAME} {}", self.version)
    }

    /// The OpenPGP backend, as SOP's `version --backend` prints it.
    pub fn backend(&self) -> String {
        format!("rPGP {}", self.pgp)
    }

    /// Several lines; the first is identical to [`BuildInfo::short`], as SOP requires.
    pub fn extended(&self) -> String {
        format!(
            "{}\npgp {}\nmail-parser {}\ntarget {}",
            self.short(),
            self.pgp,
            self.mail_parser,
            self.target
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_come_from_the_lock_file() {
        let info = build_info();
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert!(
            info.pgp.starts_with("0.21."),
            "pgp version was {}",
            info.pgp
        );
        assert!(
            info.mail_parser.starts_with("0.11."),
            "mail-parser version was {}",
            info.mail_parser
        );
    }

    #[test]
    fn extended_starts_with_the_short_line() {
        let info = build_info();
        let extended = info.extended();
        assert_eq!(extended.lines().next(), Some(info.short().as_str()));
        assert!(extended.contains("mail-parser 0.11."));
    }
}
