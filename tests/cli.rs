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

const GMAIL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/corpus/transport/gmail-inbound.eml"
);

#[test]
fn hops_json_is_the_library_report() {
    let out = sealmark(&["hops", "--json", GMAIL]);
    assert!(out.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let raw = std::fs::read(GMAIL).unwrap_or_default();
    let report = sealmark::transport::analyze(&raw, &Default::default()).map_err(|e| e.to_string());
    let expected = report.map(|r| serde_json::to_value(r).unwrap_or_default());
    assert_eq!(Ok(printed), expected);
}

#[test]
fn hops_table_reads_stdin_and_shows_the_verdict_and_boundary() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_sealmark"))
        .args(["hops", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("could not run sealmark: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(&std::fs::read(GMAIL).unwrap_or_default());
    }
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("sealmark failed: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("The external hop was encrypted (TLS 1.3)"),
        "{text}"
    );
    assert!(text.contains("trust boundary"), "{text}");
    assert!(text.contains("TLS 1.3"), "{text}");
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn hops_trusted_domain_changes_the_boundary() {
    let mimecast = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/corpus/transport/mimecast.eml"
    );
    let trusted_of = |args: &[&str]| {
        let out = sealmark(args);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        report["hops"][0]["trusted"].clone()
    };
    assert_eq!(
        trusted_of(&["hops", "--json", mimecast]),
        serde_json::Value::Bool(false)
    );
    assert_eq!(
        trusted_of(&[
            "hops",
            "--json",
            "--trusted-domain",
            "mimecast.com",
            mimecast
        ]),
        serde_json::Value::Bool(true)
    );
}

#[test]
fn hops_on_a_missing_file_fails_with_a_message() {
    let out = sealmark(&["hops", "/nonexistent/message.eml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/message.eml"));
}

#[test]
fn inspect_describes_secret_keys_and_certificates() {
    use std::io::Write;
    let run = |args: &[&str], input: &[u8]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sealmark"))
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("could not run sealmark: {e}"));
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(input);
        }
        child
            .wait_with_output()
            .map(|o| o.stdout)
            .unwrap_or_default()
    };
    let key = run(&["generate-key", "Ines <ines@example.org>"], b"");
    let described: serde_json::Value =
        serde_json::from_slice(&run(&["inspect", "--json"], &key)).unwrap_or_default();
    assert_eq!(described[0]["secret"], serde_json::Value::Bool(true));
    assert_eq!(described[0]["user_ids"][0], "Ines <ines@example.org>");
    let cert = run(&["extract-cert"], &key);
    let text = String::from_utf8_lossy(&run(&["inspect"], &cert)).into_owned();
    assert!(text.starts_with("pub  v4  Ed25519 (legacy)"), "{text}");
    assert!(text.contains("[encrypt]  valid"), "{text}");
}
