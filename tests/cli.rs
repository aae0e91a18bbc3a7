//! The `sealmark` binary, run as a user would run it.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

fn sealmark(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sealmark"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("could not run sealmark: {e}"))
}

#[test]
fn version_prints_name_and_number_sop_style() {
    let out = sealmark(&["version"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("sealmark {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn extended_version_names_the_engines() {
    let out = sealmark(&["version", "--extended"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(format!("sealmark {}", env!("CARGO_PKG_VERSION")).as_str())
    );
    assert!(text.contains("\npgp 0.21."), "{text}");
    assert!(text.contains("\nmail-parser 0.11."), "{text}");
}

#[test]
fn backend_version_names_rpgp() {
    let out = sealmark(&["version", "--backend"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("rPGP 0.21."));
}

#[test]
fn unknown_subcommand_exits_69_as_sop_requires() {
    assert_eq!(sealmark(&["frobnicate"]).status.code(), Some(69));
}

#[test]
fn unknown_option_exits_37_as_sop_requires() {
    assert_eq!(
        sealmark(&["version", "--no-such-option"]).status.code(),
        Some(37)
    );
}
