//! Helpers shared by the integration tests.

use proptest::test_runner::{Config, FileFailurePersistence};

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
