//! Helpers shared by the integration tests.
// Each test crate includes this module and uses some of it.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use proptest::test_runner::{Config, FileFailurePersistence};

/// Runs the `sealmark` binary with `stdin` as its standard input, as a user
/// or a mail server would.
pub fn sealmark_with(args: &[&str], stdin: &[u8]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sealmark"));
    command.args(args);
    output_with(command, stdin)
}

/// Runs `command` with `stdin` as its standard input and collects its
/// output; a program that stops reading early is no error.
pub fn output_with(mut command: Command, stdin: &[u8]) -> Output {
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("could not run {program}: {e}"));
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin);
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("{program} failed: {e}"))
}

/// `count` random cases, plus the failures found before: they are kept beside
/// the test's source (proptest's default place needs a `lib.rs` above the
/// test, which integration tests do not have, and then silently keeps nothing).
pub fn cases(count: u32) -> Config {
    Config {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::with_cases(count)
    }
}
