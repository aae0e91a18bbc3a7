//! The labelled corpus of received messages (tests/corpus/transport): every
//! hop's TLS, internal and trust judgement, the verdict, and spot checks of
//! the JSON report, against labels written by hand from the formats' documentation.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

use sealmark::transport::{Options, analyze};
use serde_json::Value;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/transport");

fn label_of(hop: &Value) -> String {
    let tls = match hop.pointer("/tls/encrypted") {
        Some(Value::Bool(true)) => {
            let version = hop
                .pointer("/tls/version")
                .and_then(Value::as_str)
                .unwrap_or("");
            format!("+{}", version.trim_start_matches("TLSv"))
        }
        Some(Value::Bool(false)) => "-".to_owned(),
        _ => "?".to_owned(),
    };
    let place = if hop["internal"] == Value::Bool(true) {
        "i"
    } else {
        "e"
    };
    let trust = if hop["trusted"] == Value::Bool(true) {
        "t"
    } else {
        "c"
    };
    format!("{tls} {place} {trust}")
}

#[test]
fn corpus_matches_its_labels() {
    let labels: Value = serde_json::from_str(
        &fs::read_to_string(Path::new(CORPUS).join("labels.json")).unwrap_or_default(),
    )
    .unwrap_or(Value::Null);
    let labels = labels.as_object().cloned().unwrap_or_default();
    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in fs::read_dir(CORPUS).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".eml") {
            continue;
        }
        let Some(label) = labels.get(&name) else {
            failures.push(format!("{name}: no label"));
            continue;
        };
        let trusted_domains = label["trusted_domains"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let raw = fs::read(entry.path()).unwrap_or_default();
        let report = match analyze(
            &raw,
            &Options {
                trusted_domains,
                ..Options::default()
            },
        ) {
            Ok(report) => serde_json::to_value(&report).unwrap_or(Value::Null),
            Err(error) => {
                failures.push(format!("{name}: {error}"));
                continue;
            }
        };
        let hops: Vec<String> = report["hops"]
            .as_array()
            .map(|h| h.iter().map(label_of).collect())
            .unwrap_or_default();
        let expected: Vec<String> = label["hops"]
            .as_array()
            .map(|h| {
                h.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        if hops != expected {
            failures.push(format!("{name}: hops {hops:?}, expected {expected:?}"));
        }
        if report.pointer("/verdict/status") != Some(&label["status"]) {
            failures.push(format!(
                "{name}: status {:?}, expected {}",
                report.pointer("/verdict/status"),
                label["status"]
            ));
        }
        for (pointer, value) in label["expect"].as_object().into_iter().flatten() {
            let actual = report.pointer(pointer).unwrap_or(&Value::Null);
            if actual != value {
                failures.push(format!("{name}: {pointer} is {actual}, expected {value}"));
            }
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "{} corpus failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        checked >= 60,
        "the corpus must hold at least 60 labelled messages, it holds {checked}"
    );
}
