//! `sealmark seal-inbound` seals a message far larger than the memory it
//! uses: the body is streamed through the encryption. Alone in its test
//! binary, so the peak memory `wait4` reports is this one child's.
#![cfg(target_os = "linux")]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use common::sealmark_with;

const BIN: &str = env!("CARGO_BIN_EXE_sealmark");
/// The body's size: a sealer holding the message whole would need several times this.
const BODY: usize = 64 * 1024 * 1024;
/// The most the sealer may use, everything included (the program itself, rPGP's buffers).
const LIMIT_KIB: i64 = 40 * 1024;

/// What `sealmark` writes, when it succeeds.
fn sealmark(args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let out = sealmark_with(args, stdin);
    assert!(out.status.success(), "sealmark {args:?} failed");
    out.stdout
}

#[test]
#[expect(
    clippy::zombie_processes,
    reason = "reaped by wait4, which also gives its peak memory"
)]
fn a_message_larger_than_the_memory_allowed_is_sealed_within_it() {
    let dir = std::env::temp_dir().join(format!("sealmark-seal-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let key = sealmark(&["generate-key", "Owner <owner@example.org>"], b"");
    let cert = dir.join("owner.asc");
    std::fs::write(&cert, sealmark(&["extract-cert"], &key)).unwrap_or_else(|e| panic!("{e}"));

    let mut child = Command::new(BIN)
        .args(["seal-inbound", "--to", &cert.to_string_lossy()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
    let mut input = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
    // Written while the output is read: neither side is ever held whole.
    let writer = std::thread::spawn(move || {
        let line = [
            b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/0123456789ab"
                .as_slice(),
            b"\r\n",
        ]
        .concat();
        input.write_all(b"From: someone@example.net\r\nTo: owner@example.org\r\nSubject: A large attachment\r\n\r\n")?;
        let mut written = 0;
        while written < BODY {
            input.write_all(&line)?;
            written += line.len();
        }
        Ok::<_, std::io::Error>(())
    });
    let mut output = BufReader::new(child.stdout.take().unwrap_or_else(|| panic!("no stdout")));
    let (mut total, mut armor_lines, mut last) = (0usize, 0usize, String::new());
    let mut line = String::new();
    while output
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("{e}"))
        > 0
    {
        total += line.len();
        armor_lines += usize::from(line.len() == 66 && !line.contains(' '));
        last = std::mem::take(&mut line);
    }
    writer
        .join()
        .unwrap_or_else(|_| panic!("writer panicked"))
        .unwrap_or_else(|e| panic!("{e}"));

    let pid = i32::try_from(child.id()).unwrap_or_else(|e| panic!("{e}"));
    let mut status = 0;
    // SAFETY: rusage is plain data, filled by the kernel; the child is ours and not yet waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "seal-inbound failed: {status}"
    );
    std::fs::remove_dir_all(&dir).ok();

    assert!(
        total > BODY * 4 / 3,
        "the whole message came out sealed: {total} octets"
    );
    assert!(
        armor_lines > BODY / 64,
        "armored ciphertext: {armor_lines} full lines"
    );
    assert!(
        last.starts_with("--sealmark-") && last.ends_with("--\r\n"),
        "the closing boundary ends it: {last:?}"
    );
    let peak_kib = usage.ru_maxrss;
    assert!(
        peak_kib < LIMIT_KIB,
        "peak memory {peak_kib} KiB for a {} MiB message",
        BODY >> 20
    );
}
