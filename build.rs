//! Records the exact versions of the engines Sealmark is built on, so that
//! `sealmark version --extended` and the Wasm package can report them.
//! The lock file is the only place that knows which patch release was chosen.

use std::{env, fs, path::Path};

fn main() {
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let lock_path = Path::new(&manifest_dir).join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock_path.display());
    let lock = fs::read_to_string(&lock_path).unwrap_or_default();
    for (crate_name, var) in [
        ("pgp", "SEALMARK_PGP_VERSION"),
        ("mail-parser", "SEALMARK_MAIL_PARSER_VERSION"),
    ] {
        let version = locked_version(&lock, crate_name).unwrap_or_else(|| "unknown".to_owned());
        println!("cargo:rustc-env={var}={version}");
    }
    let target = env::var("TARGET").unwrap_or_default();
    println!("cargo:rustc-env=SEALMARK_TARGET={target}");
}

/// Finds `version = "…"` of the `[[package]]` entry named `crate_name`.
fn locked_version(lock: &str, crate_name: &str) -> Option<String> {
    let wanted = format!("name = \"{crate_name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let version_line = lines.next()?;
            let version = version_line
                .trim()
                .strip_prefix("version = \"")?
                .strip_suffix('"')?;
            return Some(version.to_owned());
        }
    }
    None
}
