//! The `sealmark` binary, run as a user would run it.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::process::Command;

use common::sealmark_with;

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
    let out = sealmark_with(&["hops", "-"], &std::fs::read(GMAIL).unwrap_or_default());
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

/// A folder of its own under the system's temporary folder, removed first.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sealmark-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot make {}: {e}", dir.display()));
    dir
}

fn corpus(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/corpus/transport/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// An mbox (mboxrd: body lines starting with `From ` are quoted) of the
/// named corpus messages, as mail clients write one.
fn mbox_of(names: &[&str]) -> Vec<u8> {
    let mut mbox = Vec::new();
    for name in names {
        mbox.extend_from_slice(b"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n");
        for line in corpus(name).split_inclusive(|&b| b == b'\n') {
            if line.starts_with(b"From ") {
                mbox.push(b'>');
            }
            mbox.extend_from_slice(line);
        }
        mbox.extend_from_slice(b"\n");
    }
    mbox
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn hops_report_summarises_an_mbox_and_a_maildir() {
    let dir = scratch("report");
    let mbox = dir.join("inbox.mbox");
    let names = [
        "gmail-inbound.eml",
        "lab-postfix-stripped.eml",
        "exim-openssl-tls13.eml",
    ];
    std::fs::write(&mbox, mbox_of(&names)).unwrap_or_else(|e| panic!("{e}"));
    let maildir = dir.join("Maildir");
    for folder in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(folder)).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(
        maildir.join("cur/1700000000.1.host:2,S"),
        corpus("mimecast.eml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        maildir.join("new/1700000001.2.host"),
        corpus("no-received.eml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // A delivery still being written is not a message yet.
    std::fs::write(maildir.join("tmp/1700000002.3.host"), b"Received: half")
        .unwrap_or_else(|e| panic!("{e}"));
    let (mbox, maildir) = (mbox.to_string_lossy(), maildir.to_string_lossy());

    let out = sealmark(&["hops", "--report", "--json", &mbox, &maildir]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = json_of(&out);
    assert_eq!(summary["messages"], 5);
    assert_eq!(summary["analysed"], 5);
    assert_eq!(summary["status"]["no_hops"], 1);
    assert!(
        summary["status"]["plaintext"].as_u64() >= Some(1),
        "{summary}"
    );
    assert!(
        summary["tls_versions"]["TLSv1.3"].as_u64() >= Some(2),
        "{summary}"
    );
    assert_eq!(
        summary["downgrade_suspected"], 1,
        "the stripped STARTTLS is seen: {summary}"
    );
    assert!(
        summary["plaintext_senders"]
            .as_array()
            .is_some_and(|s| !s.is_empty()),
        "{summary}"
    );

    let text = sealmark(&["hops", "--report", &mbox, &maildir]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.starts_with("Messages: 5 · analysed: 5"), "{text}");
    assert!(text.contains("Every external hop encrypted:"), "{text}");
    assert!(text.contains("TLSv1.3"), "{text}");
    assert!(text.contains("Possible STARTTLS downgrade: 1"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hops_on_many_messages_prints_each_under_its_source() {
    let dir = scratch("many");
    let mbox = dir.join("two.mbox");
    std::fs::write(&mbox, mbox_of(&["gmail-inbound.eml", "mimecast.eml"]))
        .unwrap_or_else(|e| panic!("{e}"));
    let mbox = mbox.to_string_lossy();
    let out = sealmark(&["hops", "--json", &mbox, GMAIL]);
    assert!(out.status.success());
    let all = json_of(&out);
    let sources: Vec<&str> = all
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["source"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        sources,
        [format!("{mbox} #1").as_str(), &format!("{mbox} #2"), GMAIL]
    );
    // Each report is the one the message alone gets.
    let alone = json_of(&sealmark(&["hops", "--json", GMAIL]));
    assert_eq!(all[0]["report"], alone);
    assert_eq!(all[2]["report"], alone);

    let text = sealmark(&["hops", &mbox]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.starts_with(&format!("==> {mbox} #1 <==\n")), "{text}");
    assert!(text.contains(&format!("==> {mbox} #2 <==\n")), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hops_reads_only_the_header_of_a_large_message_and_names_bad_inputs() {
    let dir = scratch("inputs");
    // A 30 MiB attachment behind a small header is never read.
    let mut large = corpus("gmail-inbound.eml");
    large.extend(std::iter::repeat_n(b'A', 30 << 20));
    let large_path = dir.join("large.eml");
    std::fs::write(&large_path, &large).unwrap_or_else(|e| panic!("{e}"));
    let out = sealmark(&["hops", "--json", &large_path.to_string_lossy()]);
    assert!(out.status.success());
    assert_eq!(
        json_of(&out),
        json_of(&sealmark(&["hops", "--json", GMAIL]))
    );

    let folder = dir.to_string_lossy();
    let out = sealmark(&["hops", "--report", &folder, GMAIL]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an input that is not mail fails the run"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a Maildir"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The readable message is still reported.
    assert!(String::from_utf8_lossy(&out.stdout).contains("analysed: 1"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn inspect_describes_secret_keys_and_certificates() {
    let run = |args: &[&str], input: &[u8]| sealmark_with(args, input).stdout;
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

/// A fresh certificate of the mailbox owner, in a directory of its own.
fn owner_cert(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sealmark-cli-{name}-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let key = sealmark_with(&["generate-key", "<owner@example.org>"], b"").stdout;
    let cert = sealmark_with(&["extract-cert"], &key).stdout;
    let path = dir.join("owner.asc");
    std::fs::write(&path, cert).unwrap_or_else(|e| panic!("{e}"));
    path
}

const INBOUND: &[u8] = b"Received: from mx.example.net by mail.example.org\r\nFrom: b@example.net\r\nTo: owner@example.org\r\nSubject: private\r\n\r\nBody text.\r\n";

#[test]
fn seal_inbound_writes_pgp_mime_with_the_subject_obscured() {
    let cert = owner_cert("seal");
    let out = sealmark_with(&["seal-inbound", "--to", &cert.to_string_lossy()], INBOUND);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Received: from mx.example.net"), "{text}");
    assert!(
        text.contains("\r\nSubject: [...]\r\n") && text.contains("multipart/encrypted"),
        "{text}"
    );
    assert!(
        !text.contains("private") && !text.contains("Body text"),
        "{text}"
    );
}

#[test]
fn seal_inbound_fails_temporarily_and_writes_nothing_on_any_error() {
    let cert = owner_cert("seal-errors");
    let cert = cert.to_string_lossy();
    // Not a message; a certificate file that is missing; one that is not a certificate.
    let not_a_cert =
        std::env::temp_dir().join(format!("sealmark-cli-not-a-cert-{}", std::process::id()));
    std::fs::write(&not_a_cert, b"hello").unwrap_or_else(|e| panic!("{e}"));
    for (args, input) in [
        (vec!["seal-inbound", "--to", &cert], &b""[..]),
        (
            vec!["seal-inbound", "--to", "/nonexistent/owner.asc"],
            INBOUND,
        ),
        (
            vec!["seal-inbound", "--to", &not_a_cert.to_string_lossy()],
            INBOUND,
        ),
        // A mail server configured with a typo: the mail stays queued.
        (vec!["seal-inbound", "--too", &cert], INBOUND),
        (vec!["seal-inbound"], INBOUND),
    ] {
        let out = sealmark_with(&args, input);
        assert_eq!(
            out.status.code(),
            Some(75),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{args:?} wrote part of a message");
    }
}

#[test]
fn seal_inbound_delivers_unchanged_to_a_mailbox_without_a_certificate_when_told_to() {
    let out = sealmark_with(
        &[
            "seal-inbound",
            "--pass-without-cert",
            "--to",
            "/nonexistent/owner.asc",
        ],
        INBOUND,
    );
    assert!(out.status.success());
    assert_eq!(out.stdout, INBOUND);
}
