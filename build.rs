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
    public_suffix_rules(&manifest_dir);
}

/// Writes the Public Suffix List's rules, one per line, to
/// `$OUT_DIR/public_suffix_rules.txt` for `src/transport/domain.rs` to embed.
/// Comments and blank lines are dropped (338 kB → 148 kB in the Wasm), and
/// each rule with non-ASCII labels is added again in its ASCII (punycode,
/// RFC 3492) form, since host names in Received fields are written that way.
fn public_suffix_rules(manifest_dir: &str) {
    let list_path = Path::new(manifest_dir).join("src/transport/public_suffix_list.dat");
    println!("cargo:rerun-if-changed={}", list_path.display());
    let list = fs::read_to_string(&list_path).unwrap_or_default();
    let mut rules = String::with_capacity(list.len() / 2);
    for line in list.lines() {
        // A rule is the line up to its first white space (publicsuffix.org/list).
        let Some(rule) = line.split_whitespace().next() else {
            continue;
        };
        if rule.starts_with("//") {
            // The section markers tell the reader which rules are ICANN's
            // and which private (publicsuffix reads no rule before them).
            if line.contains("===BEGIN ") {
                rules.push_str(line);
                rules.push('\n');
            }
            continue;
        }
        rules.push_str(rule);
        rules.push('\n');
        if !rule.is_ascii() {
            let ascii: Vec<String> = rule.split('.').map(punycode_label).collect();
            rules.push_str(&ascii.join("."));
            rules.push('\n');
        }
    }
    let out_dir = env::var("OUT_DIR").unwrap_or_default();
    let out = Path::new(&out_dir).join("public_suffix_rules.txt");
    if let Err(error) = fs::write(&out, rules) {
        println!("cargo:warning=cannot write {}: {error}", out.display());
    }
}

/// One label in its IDNA A-label form (`xn--` + RFC 3492 Punycode); ASCII
/// labels (and the `*` and `!` of wildcard and exception rules) unchanged.
fn punycode_label(label: &str) -> String {
    if label.is_ascii() {
        return label.to_owned();
    }
    let (prefix, label) = match label.strip_prefix('!') {
        Some(rest) => ("!", rest),
        None => ("", label),
    };
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    let digit = |d: u32| -> char {
        let byte = if d < 26 {
            b'a' + d as u8
        } else {
            b'0' + (d - 26) as u8
        };
        char::from(byte)
    };
    let adapt = |mut delta: u32, points: u32, first: bool| -> u32 {
        delta /= if first { 700 } else { 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + 38)
    };
    let code_points: Vec<u32> = label.chars().map(u32::from).collect();
    let mut output: String = label.chars().filter(char::is_ascii).collect();
    let basic = output.chars().count() as u32;
    let mut handled = basic;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias) = (128_u32, 0_u32, 72_u32);
    let total = code_points.len() as u32;
    while handled < total {
        let Some(&next) = code_points.iter().filter(|&&c| c >= n).min() else {
            break;
        };
        delta += (next - n) * (handled + 1);
        n = next;
        for &c in &code_points {
            if c < n {
                delta += 1;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    format!("{prefix}xn--{output}")
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
