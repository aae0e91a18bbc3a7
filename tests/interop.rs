//! Interoperability with real peers: GnuPG (`gpg`) and Sequoia (`sq`) from
//! Debian, each in an isolated home, against the `sealmark` SOP command line.
//! Both directions: their output read by us, ours read by them.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use common::output_with;

struct Lab {
    dir: PathBuf,
}

impl Lab {
    fn new(name: &str) -> Lab {
        let dir =
            std::env::temp_dir().join(format!("sealmark-interop-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("gnupg")).unwrap_or_else(|e| panic!("temp dir: {e}"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(dir.join("gnupg"), fs::Permissions::from_mode(0o700));
        }
        Lab { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {name}: {e}"));
        path
    }

    fn read(&self, name: &str) -> Vec<u8> {
        fs::read(self.path(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
    }

    fn run(&self, program: &str, args: &[&str], stdin: &[u8]) -> Output {
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(&self.dir)
            .env("GNUPGHOME", self.dir.join("gnupg"));
        output_with(command, stdin)
    }

    /// Runs and insists on success; returns standard output.
    fn ok(&self, program: &str, args: &[&str], stdin: &[u8]) -> Vec<u8> {
        let out = self.run(program, args, stdin);
        assert!(
            out.status.success(),
            "{program} {args:?} failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    fn sealmark(&self, args: &[&str], stdin: &[u8]) -> Vec<u8> {
        self.ok(env!("CARGO_BIN_EXE_sealmark"), args, stdin)
    }

    fn gpg(&self, args: &[&str], stdin: &[u8]) -> Vec<u8> {
        let mut all = vec![
            "--batch",
            "--no-tty",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--trust-model",
            "always",
        ];
        all.extend_from_slice(args);
        self.ok("gpg", &all, stdin)
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf")
            .arg("--kill")
            .arg("all")
            .env("GNUPGHOME", self.dir.join("gnupg"))
            .status();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Fails the test when `program` is missing: interop is tested, never skipped.
fn need(program: &str) {
    assert!(
        exists(program),
        "{program} is not installed; ./build.sh installs it"
    );
}

fn exists(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

const TEXT: &[u8] = b"Meet at the usual place.\nBring the documents.\n";

/// Our key, imported into gpg; gpg's key, imported by us.
fn gpg_pair(lab: &Lab, algo: &str) -> (PathBuf, PathBuf, PathBuf) {
    let ours = lab.sealmark(&["generate-key", "Sealmark User <ours@example.org>"], b"");
    let ours_key = lab.write("ours.key", &ours);
    let ours_cert = lab.write("ours.cert", &lab.sealmark(&["extract-cert"], &ours));
    lab.gpg(
        &[
            "--quick-gen-key",
            "GnuPG User <theirs@example.net>",
            algo,
            "default",
            "never",
        ],
        b"",
    );
    if algo.starts_with("rsa") {
        lab.gpg(
            &[
                "--quick-add-key",
                &fingerprint_of(lab),
                algo,
                "encr",
                "never",
            ],
            b"",
        );
    }
    lab.write(
        "theirs.cert",
        &lab.gpg(&["--armor", "--export", "theirs@example.net"], b""),
    );
    lab.write(
        "theirs.key",
        &lab.gpg(
            &["--armor", "--export-secret-keys", "theirs@example.net"],
            b"",
        ),
    );
    lab.gpg(&["--import", "ours.key"], b"");
    (ours_key, ours_cert, lab.path("theirs.cert"))
}

/// gpg opens `file` (decrypting it if it is encrypted): it must yield TEXT
/// and report a good signature.
fn gpg_reads_signed(lab: &Lab, file: &str) {
    let out = lab.run(
        "gpg",
        &[
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--status-fd",
            "2",
            "--decrypt",
            file,
        ],
        b"",
    );
    let status = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "gpg could not read {file}: {status}");
    assert_eq!(out.stdout, TEXT);
    assert!(status.contains("[GNUPG:] GOODSIG"), "{status}");
}

fn fingerprint_of(lab: &Lab) -> String {
    let listing = String::from_utf8_lossy(
        &lab.gpg(&["--with-colons", "--list-keys", "theirs@example.net"], b""),
    )
    .into_owned();
    listing
        .lines()
        .find(|l| l.starts_with("fpr:"))
        .and_then(|l| l.split(':').nth(9))
        .unwrap_or_default()
        .to_owned()
}

fn gnupg_both_ways(algo: &str) {
    if !exists("gpg") {
        panic!("gpg is not installed; ./build.sh installs gnupg");
    }
    let lab = Lab::new(&format!("gpg-{algo}"));
    gpg_pair(&lab, algo);

    // Ours → theirs: encrypted and signed by us, decrypted and verified by gpg.
    let ciphertext = lab.sealmark(
        &[
            "encrypt",
            "--sign-with",
            "ours.key",
            "theirs.cert",
            "ours.cert",
        ],
        TEXT,
    );
    lab.write("to-gpg.asc", &ciphertext);
    gpg_reads_signed(&lab, "to-gpg.asc");

    // Theirs → ours: encrypted and signed by gpg, decrypted and verified by us.
    let from_gpg = lab.gpg(
        &[
            "--armor",
            "--encrypt",
            "--sign",
            "-r",
            "ours@example.org",
            "-u",
            "theirs@example.net",
        ],
        TEXT,
    );
    lab.write("from-gpg.asc", &from_gpg);
    let plaintext = lab.sealmark(
        &[
            "decrypt",
            "--verify-with",
            "theirs.cert",
            "--verifications-out",
            "verifications",
            "ours.key",
        ],
        &from_gpg,
    );
    assert_eq!(plaintext, TEXT);
    let verifications = String::from_utf8_lossy(&lab.read("verifications")).into_owned();
    assert_eq!(verifications.lines().count(), 1, "{verifications}");
    assert!(
        verifications.contains(&fingerprint_of(&lab)),
        "{verifications}"
    );

    // Their key decrypts with us too (their secret key imported by us).
    let to_theirs = lab.sealmark(&["encrypt", "theirs.cert"], TEXT);
    assert_eq!(lab.sealmark(&["decrypt", "theirs.key"], &to_theirs), TEXT);

    // Several megabytes both ways: GnuPG sends its container in partial
    // lengths (joined and decrypted here where it lies), ours carries the
    // literal data in partial lengths.
    let large: Vec<u8> = (0..3 * 1024 * 1024 + 7u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let to_gpg = lab.sealmark(
        &["encrypt", "--sign-with", "ours.key", "theirs.cert"],
        &large,
    );
    lab.write("large-to-gpg.asc", &to_gpg);
    assert!(lab.gpg(&["--decrypt", "large-to-gpg.asc"], b"") == large);
    let from_gpg = lab.gpg(
        &[
            "--encrypt",
            "--sign",
            "-r",
            "ours@example.org",
            "-u",
            "theirs@example.net",
        ],
        &large,
    );
    let decrypted = lab.sealmark(
        &["decrypt", "--verify-with", "theirs.cert", "ours.key"],
        &from_gpg,
    );
    assert!(decrypted == large, "GnuPG's large message");

    // Detached signatures, both ways.
    lab.write("data.txt", TEXT);
    let our_signature = lab.sealmark(&["sign", "ours.key"], TEXT);
    lab.write("data.txt.sig", &our_signature);
    lab.gpg(&["--verify", "data.txt.sig", "data.txt"], b"");
    let their_signature = lab.gpg(
        &["--armor", "--detach-sign", "-u", "theirs@example.net"],
        TEXT,
    );
    lab.write("their.sig", &their_signature);
    let verified = lab.sealmark(&["verify", "their.sig", "theirs.cert"], TEXT);
    assert!(!verified.is_empty());

    // Cleartext signatures, both ways.
    let our_clearsigned = lab.sealmark(&["inline-sign", "--as", "clearsigned", "ours.key"], TEXT);
    lab.gpg(&["--verify"], &our_clearsigned);
    let their_clearsigned = lab.gpg(&["--clearsign", "-u", "theirs@example.net"], TEXT);
    let text = lab.sealmark(&["inline-verify", "theirs.cert"], &their_clearsigned);
    assert_eq!(
        text,
        TEXT.trim_ascii_end(),
        "the signed text with LF line endings"
    );

    // A signature by gpg checked against the wrong certificate is not good.
    let wrong = lab.run(
        env!("CARGO_BIN_EXE_sealmark"),
        &["verify", "their.sig", "ours.cert"],
        TEXT,
    );
    assert_eq!(
        wrong.status.code(),
        Some(3),
        "no valid signature must exit 3"
    );
}

#[test]
fn gnupg_curve25519_both_ways() {
    gnupg_both_ways("future-default");
}

#[test]
fn gnupg_rsa_both_ways() {
    gnupg_both_ways("rsa3072");
}

#[test]
fn gnupg_ciphertext_without_integrity_protection_is_refused() {
    let lab = Lab::new("nomdc");
    lab.write("password", b"swordfish\n");
    lab.write("m.txt", TEXT);
    lab.gpg(
        &[
            "--passphrase",
            "swordfish",
            "--symmetric",
            "--rfc2440",
            "--cipher-algo",
            "AES256",
            "-o",
            "nomdc.gpg",
            "m.txt",
        ],
        b"",
    );
    let out = lab.run(
        env!("CARGO_BIN_EXE_sealmark"),
        &["decrypt", "--with-password", "password"],
        &lab.read("nomdc.gpg"),
    );
    assert_eq!(out.status.code(), Some(29));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no integrity protection"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "no plaintext may be released");
    // The same message with an MDC decrypts.
    lab.gpg(
        &[
            "--passphrase",
            "swordfish",
            "--symmetric",
            "--cipher-algo",
            "AES256",
            "-o",
            "mdc.gpg",
            "m.txt",
        ],
        b"",
    );
    assert_eq!(
        lab.sealmark(
            &["decrypt", "--with-password", "password"],
            &lab.read("mdc.gpg")
        ),
        TEXT
    );
}

#[test]
fn sequoia_both_ways() {
    need("sq");
    let lab = Lab::new("sq");
    lab.ok(
        "sq",
        &[
            "key",
            "generate",
            "--userid",
            "Sequoia User <sq@example.com>",
            "--export",
            "sq.key",
        ],
        b"",
    );
    lab.write(
        "sq.cert",
        &lab.ok("sq", &["key", "extract-cert", "sq.key"], b""),
    );
    let ours = lab.sealmark(&["generate-key", "Sealmark User <ours@example.org>"], b"");
    lab.write("ours.key", &ours);
    lab.write("ours.cert", &lab.sealmark(&["extract-cert"], &ours));

    let to_sq = lab.sealmark(&["encrypt", "--sign-with", "ours.key", "sq.cert"], TEXT);
    let out = lab.ok(
        "sq",
        &[
            "decrypt",
            "--recipient-key",
            "sq.key",
            "--signer-cert",
            "ours.cert",
        ],
        &to_sq,
    );
    assert_eq!(out, TEXT);

    let from_sq = lab.ok(
        "sq",
        &[
            "encrypt",
            "--recipient-cert",
            "ours.cert",
            "--signer-key",
            "sq.key",
        ],
        TEXT,
    );
    let plaintext = lab.sealmark(
        &[
            "decrypt",
            "--verify-with",
            "sq.cert",
            "--verifications-out",
            "v",
            "ours.key",
        ],
        &from_sq,
    );
    assert_eq!(plaintext, TEXT);
    assert_eq!(String::from_utf8_lossy(&lab.read("v")).lines().count(), 1);

    lab.write("data.txt", TEXT);
    lab.write("ours.sig", &lab.sealmark(&["sign", "ours.key"], TEXT));
    lab.ok(
        "sq",
        &[
            "verify",
            "--signer-cert",
            "ours.cert",
            "--detached",
            "ours.sig",
            "data.txt",
        ],
        b"",
    );
    lab.write(
        "sq.sig",
        &lab.ok(
            "sq",
            &["sign", "--detached", "--signer-key", "sq.key", "data.txt"],
            b"",
        ),
    );
    assert!(
        !lab.sealmark(&["verify", "sq.sig", "sq.cert"], TEXT)
            .is_empty()
    );

    let clearsigned = lab.ok(
        "sq",
        &[
            "sign",
            "--cleartext-signature",
            "--signer-key",
            "sq.key",
            "data.txt",
        ],
        b"",
    );
    assert_eq!(
        lab.sealmark(&["inline-verify", "sq.cert"], &clearsigned),
        TEXT.trim_ascii_end()
    );
    // Their generated key is usable by us: sign with it, verify with sq.
    lab.write("by-sq-key.sig", &lab.sealmark(&["sign", "sq.key"], TEXT));
    lab.ok(
        "sq",
        &[
            "verify",
            "--signer-cert",
            "sq.cert",
            "--detached",
            "by-sq-key.sig",
            "data.txt",
        ],
        b"",
    );
}

#[test]
fn sop_exit_codes() {
    let lab = Lab::new("sop");
    let key = lab.sealmark(
        &[
            "generate-key",
            "--with-key-password",
            "@ENV:HOME",
            "P <p@example.org>",
        ],
        b"",
    );
    lab.write("locked.key", &key);
    let cert = lab.sealmark(&["extract-cert"], &key);
    lab.write("locked.cert", &cert);
    let ciphertext = lab.sealmark(&["encrypt", "locked.cert"], TEXT);
    let code = |args: &[&str], stdin: &[u8]| {
        lab.run(env!("CARGO_BIN_EXE_sealmark"), args, stdin)
            .status
            .code()
    };
    assert_eq!(
        code(&["decrypt", "locked.key"], &ciphertext),
        Some(67),
        "locked key without password"
    );
    lab.write("wrong", b"wrong");
    assert_eq!(
        code(
            &["decrypt", "--with-key-password", "wrong", "locked.key"],
            &ciphertext
        ),
        Some(67)
    );
    let other = lab.sealmark(&["generate-key", "O <o@example.org>"], b"");
    lab.write("other.key", &other);
    assert_eq!(
        code(&["decrypt", "other.key"], &ciphertext),
        Some(29),
        "cannot decrypt"
    );
    assert_eq!(
        code(&["decrypt", "locked.cert"], &ciphertext),
        Some(41),
        "a certificate is not a key"
    );
    assert_eq!(
        code(&["generate-key", "--profile", "nonsense", "x"], b""),
        Some(89)
    );
    assert_eq!(code(&["encrypt"], TEXT), Some(19));
    assert_eq!(
        code(
            &["decrypt", "--with-password", "/nonexistent/password"],
            &ciphertext
        ),
        Some(61)
    );
    let out = lab.run(
        env!("CARGO_BIN_EXE_sealmark"),
        &["list-profiles", "generate-key"],
        b"",
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("curve25519: "));
    // change-key-password, revoke-key, inline-sign/-detach through the command line.
    lab.write("home", std::env::var("HOME").unwrap_or_default().as_bytes());
    lab.write("new", b"a new passphrase");
    let rekeyed = lab.sealmark(
        &[
            "change-key-password",
            "--old-key-password",
            "home",
            "--new-key-password",
            "new",
        ],
        &key,
    );
    lab.write("rekeyed.key", &rekeyed);
    assert_eq!(
        lab.sealmark(
            &["decrypt", "--with-key-password", "new", "rekeyed.key"],
            &ciphertext
        ),
        TEXT
    );
    assert_eq!(
        code(
            &["decrypt", "--with-key-password", "home", "rekeyed.key"],
            &ciphertext
        ),
        Some(67)
    );
    let revoked = lab.sealmark(&["revoke-key", "--with-key-password", "new"], &rekeyed);
    lab.write("revoked.cert", &revoked);
    assert_eq!(
        code(&["encrypt", "revoked.cert"], TEXT),
        Some(17),
        "a revoked certificate cannot encrypt"
    );
    lab.write("other.cert", &lab.sealmark(&["extract-cert"], &other));
    let signed = lab.sealmark(&["inline-sign", "other.key"], TEXT);
    assert_eq!(
        lab.sealmark(&["inline-verify", "other.cert"], &signed),
        TEXT
    );
    let data = lab.sealmark(
        &["inline-detach", "--signatures-out", "detached.sig"],
        &signed,
    );
    assert_eq!(data, TEXT);
    assert!(
        !lab.sealmark(&["verify", "detached.sig", "other.cert"], &data)
            .is_empty()
    );
    assert_eq!(
        code(
            &["inline-detach", "--signatures-out", "detached.sig"],
            &signed
        ),
        Some(59),
        "outputs are never overwritten"
    );
    // armor and dearmor are inverses.
    let binary = lab.sealmark(&["dearmor"], &cert);
    assert_eq!(binary.first().map(|b| b & 0x80), Some(0x80));
    let rearmored = lab.sealmark(&["armor"], &binary);
    assert!(rearmored.starts_with(b"-----BEGIN PGP PUBLIC KEY BLOCK-----"));
    assert_eq!(lab.sealmark(&["dearmor"], &rearmored), binary);
}

fn openpgpjs(lab: &Lab, args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/interop/openpgpjs-sop.mjs"
    );
    let mut all = vec![script];
    all.extend_from_slice(args);
    lab.ok("node", &all, stdin)
}

/// The first octets of the first SEIPD packet (tag 18) in binary OpenPGP
/// data: its version, and for v2 the cipher, AEAD mode and chunk size.
fn seipd_header(data: &[u8]) -> Option<&[u8]> {
    let mut position = 0;
    while let Some(&header) = data.get(position) {
        let tag = header & 0x3f;
        let first = *data.get(position + 1)?;
        let (length, header_len) = match first {
            0..=191 => (usize::from(first), 2),
            192..=223 => (
                (usize::from(first) - 192) * 256 + usize::from(*data.get(position + 2)?) + 192,
                3,
            ),
            255 => (
                u32::from_be_bytes(data.get(position + 2..position + 6)?.try_into().ok()?) as usize,
                6,
            ),
            _ => (usize::MAX, 2), // partial length: the body starts right after
        };
        if tag == 18 {
            let start = position + header_len;
            return data.get(start..(start + 4).min(data.len()));
        }
        position = position.checked_add(header_len)?.checked_add(length)?;
    }
    None
}

fn openpgpjs_both_ways(profile: &str) {
    let lab = Lab::new(&format!("openpgpjs-{profile}"));
    let theirs = openpgpjs(
        &lab,
        &[
            "generate-key",
            "--profile",
            profile,
            "OpenPGP.js User <js@example.com>",
        ],
        b"",
    );
    lab.write("js.key", &theirs);
    lab.write("js.cert", &openpgpjs(&lab, &["extract-cert"], &theirs));
    let ours = lab.sealmark(
        &[
            "generate-key",
            "--profile",
            profile,
            "Sealmark User <ours@example.org>",
        ],
        b"",
    );
    lab.write("ours.key", &ours);
    lab.write("ours.cert", &lab.sealmark(&["extract-cert"], &ours));

    // Ours → theirs, signed.
    let to_js = lab.sealmark(&["encrypt", "--sign-with", "ours.key", "js.cert"], TEXT);
    // v6 keys on both sides list AES-256 with GCM (9, 3) first; the
    // chunk size octet (12 is 256 KiB) is ours, OpenPGP.js's default too.
    let v6 = profile == "rfc9580";
    let container = |message: &[u8]| {
        let binary = lab.sealmark(&["dearmor"], message);
        let header = seipd_header(&binary).map(<[u8]>::to_vec);
        if v6 {
            header
        } else {
            header.map(|h| h[..1].to_vec())
        }
    };
    let expected: &[u8] = if v6 { &[2, 9, 3, 12] } else { &[1] };
    assert_eq!(container(&to_js).as_deref(), Some(expected));
    let out = lab.run(
        "node",
        &[
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/interop/openpgpjs-sop.mjs"
            ),
            "decrypt",
            "--verify-with",
            "ours.cert",
            "js.key",
        ],
        &to_js,
    );
    assert!(
        out.status.success(),
        "OpenPGP.js could not decrypt: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, TEXT);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("VERIFIED "),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Theirs → ours, signed.
    let from_js = openpgpjs(
        &lab,
        &["encrypt", "--sign-with", "js.key", "ours.cert"],
        TEXT,
    );
    assert_eq!(container(&from_js).as_deref(), Some(expected));
    let plaintext = lab.sealmark(
        &[
            "decrypt",
            "--verify-with",
            "js.cert",
            "--verifications-out",
            "v",
            "ours.key",
        ],
        &from_js,
    );
    assert_eq!(plaintext, TEXT);
    assert_eq!(String::from_utf8_lossy(&lab.read("v")).lines().count(), 1);

    // Detached signatures both ways.
    lab.write("ours.sig", &lab.sealmark(&["sign", "ours.key"], TEXT));
    assert!(
        String::from_utf8_lossy(&openpgpjs(&lab, &["verify", "ours.sig", "ours.cert"], TEXT))
            .starts_with("VERIFIED")
    );
    lab.write("js.sig", &openpgpjs(&lab, &["sign", "js.key"], TEXT));
    assert!(
        !lab.sealmark(&["verify", "js.sig", "js.cert"], TEXT)
            .is_empty()
    );
}

#[test]
fn openpgpjs_v4_both_ways() {
    openpgpjs_both_ways("curve25519");
}

#[test]
fn openpgpjs_v6_seipdv2_both_ways() {
    openpgpjs_both_ways("rfc9580");
}

#[test]
fn gnupg_and_sequoia_accept_our_revocations() {
    let lab = Lab::new("revocation");
    let key = lab.sealmark(&["generate-key", "Rita <rita@example.org>"], b"");
    let revoked = lab.sealmark(&["revoke-key"], &key);
    lab.write("revoked.cert", &revoked);
    lab.gpg(
        &["--import", &lab.path("revoked.cert").to_string_lossy()],
        b"",
    );
    let listed =
        String::from_utf8_lossy(&lab.gpg(&["--list-keys", "rita@example.org"], b"")).into_owned();
    assert!(
        listed.contains("[revoked: "),
        "GnuPG sees the revocation:\n{listed}"
    );
    let inspected = String::from_utf8_lossy(&lab.ok(
        "sq",
        &["inspect", &lab.path("revoked.cert").to_string_lossy()],
        b"",
    ))
    .into_owned();
    assert!(
        inspected.contains("Revoked"),
        "Sequoia sees the revocation:\n{inspected}"
    );
}

#[test]
fn gnupg_opens_our_autocrypt_setup_message_with_the_code() {
    use sealmark::mail::autocrypt;
    use sealmark::openpgp::keys;
    let lab = Lab::new("setup-message");
    let key = keys::generate(&keys::GenerateOptions {
        user_ids: vec!["Setup <setup@example.org>".into()],
        passphrase: None,
        profile: keys::Profile::Curve25519,
        expires_in: None,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let made = autocrypt::setup_message(&key, None, "setup@example.org", true)
        .unwrap_or_else(|e| panic!("{e}"));
    let message = lab.write("setup.asc", made.armored.as_bytes());
    let mut args = vec![
        "--batch",
        "--no-tty",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
    ];
    args.push(&made.code);
    args.extend(["--decrypt", message.to_str().unwrap_or_default()]);
    let opened = String::from_utf8_lossy(&lab.ok("gpg", &args, b"")).into_owned();
    assert!(
        opened.contains("-----BEGIN PGP PRIVATE KEY BLOCK-----"),
        "{opened}"
    );
    assert!(opened.contains("Autocrypt-Prefer-Encrypt: mutual"));
}

/// A passphrase-protected key exported by GnuPG (CFB, iterated-and-salted
/// S2K — what Sealmark unlocks on its fast path) decrypts and signs with the
/// right passphrase and is refused with a wrong one.
#[test]
fn gnupg_protected_key_unlocks_with_its_passphrase() {
    let lab = Lab::new("gpg-protected");
    let locked = |args: &[&str], stdin: &[u8]| {
        let mut all = vec![
            "--batch",
            "--no-tty",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "gpg secret",
            "--trust-model",
            "always",
        ];
        all.extend_from_slice(args);
        lab.ok("gpg", &all, stdin)
    };
    locked(
        &[
            "--quick-gen-key",
            "Locked <theirs@example.net>",
            "ed25519",
            "default",
            "never",
        ],
        b"",
    );
    let fpr = fingerprint_of(&lab);
    locked(&["--quick-add-key", &fpr, "cv25519", "encr", "never"], b"");
    let key = locked(
        &["--armor", "--export-secret-keys", "theirs@example.net"],
        b"",
    );
    let listing = lab.ok("gpg", &["--list-packets"], &key);
    assert!(
        String::from_utf8_lossy(&listing).contains("iter+salt S2K"),
        "GnuPG exported the key with another protection:\n{}",
        String::from_utf8_lossy(&listing)
    );
    lab.write("locked.key", &key);
    lab.write(
        "locked.cert",
        &locked(&["--armor", "--export", "theirs@example.net"], b""),
    );
    lab.write("right", b"gpg secret");
    lab.write("wrong", b"gpg secreT");

    let ciphertext = locked(&["--armor", "--encrypt", "-r", "theirs@example.net"], TEXT);
    assert_eq!(
        lab.sealmark(
            &["decrypt", "--with-key-password", "right", "locked.key"],
            &ciphertext
        ),
        TEXT
    );
    let refused = lab.run(
        env!("CARGO_BIN_EXE_sealmark"),
        &["decrypt", "--with-key-password", "wrong", "locked.key"],
        &ciphertext,
    );
    assert_eq!(refused.status.code(), Some(67), "wrong passphrase");

    let signed = lab.sealmark(
        &["inline-sign", "--with-key-password", "right", "locked.key"],
        TEXT,
    );
    lab.write("signed.asc", &signed);
    gpg_reads_signed(&lab, "signed.asc");
}

/// Our RSA keys (assembled around material from the `rsa` crate here and
/// from WebCrypto in browsers) are accepted by GnuPG both ways.
#[test]
fn gnupg_uses_our_rsa_key() {
    let lab = Lab::new("gpg-our-rsa");
    let key = lab.sealmark(
        &[
            "generate-key",
            "--profile",
            "rsa3072",
            "Ours <ours@example.org>",
        ],
        b"",
    );
    lab.write("ours.key", &key);
    lab.write("ours.cert", &lab.sealmark(&["extract-cert"], &key));
    lab.gpg(&["--import", "ours.key"], b"");
    let listing = String::from_utf8_lossy(&lab.gpg(&["--with-colons", "--list-secret-keys"], b""))
        .into_owned();
    assert!(listing.contains(":3072:1:"), "{listing}");

    let from_gpg = lab.gpg(&["--armor", "--encrypt", "-r", "ours@example.org"], TEXT);
    assert_eq!(lab.sealmark(&["decrypt", "ours.key"], &from_gpg), TEXT);

    let signed = lab.sealmark(&["encrypt", "--sign-with", "ours.key", "ours.cert"], TEXT);
    lab.write("signed.asc", &signed);
    gpg_reads_signed(&lab, "signed.asc");
}

/// Sequoia's SOP (`sqop` from the `sequoia-sop` crate, 0.38 or newer, with
/// its `rfc9980` profile: ML-DSA-65+Ed25519 primary and signing subkey,
/// ML-KEM-768+X25519 encryption subkey), when there is one: `$SEALMARK_SQOP`,
/// else `sqop` on the path (`cargo install sequoia-sop --no-default-features
/// --features cli,crypto-rust,sequoia-openpgp/allow-experimental-crypto,
/// sequoia-openpgp/allow-variable-time-crypto`). Debian's `sq` is too old
/// for RFC 9980.
/// `./build.sh test` installs it and names it in `$SEALMARK_SQOP`: a named
/// program that is not a usable `sqop` fails the test rather than skip it.
fn sqop() -> Option<String> {
    let named = std::env::var("SEALMARK_SQOP")
        .ok()
        .filter(|p| !p.is_empty());
    let program = named.clone().unwrap_or_else(|| "sqop".to_owned());
    let profiles = Command::new(&program)
        .args(["list-profiles", "generate-key"])
        .output()
        .ok();
    let usable = profiles.is_some_and(|p| String::from_utf8_lossy(&p.stdout).contains("rfc9980"));
    match (usable, named) {
        (true, _) => Some(program),
        (false, Some(named)) => {
            panic!("SEALMARK_SQOP={named} is not a sqop with the rfc9980 profile")
        }
        (false, None) => None,
    }
}

/// Post-quantum keys both ways with Sequoia: its `rfc9980` keys read,
/// encrypted to and their ML-DSA signatures verified here; our `rfc9980`
/// keys and v4 keys given an ML-KEM subkey (`update-key`) encrypted to by
/// Sequoia, and our messages to its keys opened by it.
#[test]
fn sequoia_rfc9980_post_quantum_keys_both_ways() {
    let Some(program) = sqop() else {
        eprintln!("skipped: no sqop with the rfc9980 profile (set SEALMARK_SQOP)");
        return;
    };
    let lab = Lab::new("sqop-rfc9980");
    let sqop = |args: &[&str], stdin: &[u8]| lab.ok(&program, args, stdin);
    lab.write(
        "sq.key",
        &sqop(
            &[
                "generate-key",
                "--profile",
                "rfc9980",
                "Sq <sq@example.org>",
            ],
            b"",
        ),
    );
    lab.write("sq.cert", &sqop(&["extract-cert"], &lab.read("sq.key")));
    lab.write(
        "pq.key",
        &lab.sealmark(
            &[
                "generate-key",
                "--profile",
                "rfc9980",
                "Pq <pq@example.org>",
            ],
            b"",
        ),
    );
    lab.write(
        "pq.cert",
        &lab.sealmark(&["extract-cert"], &lab.read("pq.key")),
    );
    let v4 = lab.sealmark(&["generate-key", "Old <old@example.org>"], b"");
    lab.write("v4.key", &lab.sealmark(&["update-key"], &v4));
    lab.write(
        "v4.cert",
        &lab.sealmark(&["extract-cert"], &lab.read("v4.key")),
    );

    // Theirs to ours: signed with ML-DSA-65+Ed25519, to both our keys.
    let theirs = sqop(
        &["encrypt", "--sign-with", "sq.key", "pq.cert", "v4.cert"],
        TEXT,
    );
    for key in ["pq.key", "v4.key"] {
        let _ = fs::remove_file(lab.path("verified"));
        let plain = lab.sealmark(
            &[
                "decrypt",
                "--verify-with",
                "sq.cert",
                "--verifications-out",
                "verified",
                key,
            ],
            &theirs,
        );
        assert_eq!(plain, TEXT, "{key}");
        assert_eq!(
            String::from_utf8_lossy(&lab.read("verified"))
                .lines()
                .count(),
            1,
            "{key}: the ML-DSA signature verifies"
        );
    }

    // Ours to theirs, signed with our v6 Ed25519 key; and to our v4 key
    // with its ML-KEM subkey, opened by Sequoia with that key.
    let ours = lab.sealmark(&["encrypt", "--sign-with", "pq.key", "sq.cert"], TEXT);
    let _ = fs::remove_file(lab.path("verified"));
    assert_eq!(
        sqop(
            &[
                "decrypt",
                "--verify-with",
                "pq.cert",
                "--verifications-out",
                "verified",
                "sq.key"
            ],
            &ours
        ),
        TEXT
    );
    assert_eq!(
        String::from_utf8_lossy(&lab.read("verified"))
            .lines()
            .count(),
        1
    );
    let to_v4 = lab.sealmark(&["encrypt", "v4.cert"], TEXT);
    assert_eq!(sqop(&["decrypt", "v4.key"], &to_v4), TEXT);

    // Their detached ML-DSA signature verifies here.
    lab.write("sq.sig", &sqop(&["sign", "sq.key"], TEXT));
    assert!(
        !lab.sealmark(&["verify", "sq.sig", "sq.cert"], TEXT)
            .is_empty()
    );
}

/// The armored message inside a message `seal-inbound` wrote.
fn sealed_part(sealed: &str) -> &str {
    sealed
        .find("-----BEGIN PGP MESSAGE-----")
        .zip(sealed.find("-----END PGP MESSAGE-----"))
        .and_then(|(start, end)| sealed.get(start..end + 25))
        .unwrap_or_else(|| panic!("no armored message in {sealed}"))
}

/// The zero-access filter's output, read by GnuPG: a message signed by its
/// sender with GnuPG, sealed for a GnuPG user, decrypts there to the original
/// entity with its headers protected, and the sender's signature inside
/// still verifies.
#[test]
fn gnupg_opens_a_sealed_inbound_message_and_verifies_the_signature_inside() {
    let lab = Lab::new("seal-inbound");
    let (_, _, theirs) = gpg_pair(&lab, "future-default");
    let signed_part =
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nThe contract, signed.\t\r\nSecond line.";
    let signature = lab.gpg(
        &["--armor", "--detach-sign", "-u", "theirs@example.net"],
        signed_part,
    );
    let mut raw = b"Received: from mx.example.net by mail.example.org with ESMTPS\r\nFrom: theirs@example.net\r\nTo: owner@example.org\r\nSubject: Contract\r\nMIME-Version: 1.0\r\nContent-Type: multipart/signed; micalg=pgp-sha512; protocol=\"application/pgp-signature\"; boundary=\"b1\"\r\n\r\n--b1\r\n".to_vec();
    raw.extend_from_slice(signed_part);
    raw.extend_from_slice(b"\r\n--b1\r\nContent-Type: application/pgp-signature\r\n\r\n");
    raw.extend_from_slice(&signature);
    raw.extend_from_slice(b"\r\n--b1--\r\n");

    let sealed = lab.sealmark(&["seal-inbound", "--to", &theirs.to_string_lossy()], &raw);
    let text = String::from_utf8_lossy(&sealed).into_owned();
    assert!(
        text.contains("\r\nSubject: [...]\r\n") && !text.contains("Contract\r\n"),
        "{text}"
    );
    lab.write("sealed.asc", sealed_part(&text).as_bytes());
    let inner = lab.gpg(&["--decrypt", "sealed.asc"], b"");
    let inner = String::from_utf8_lossy(&inner).into_owned();
    assert!(
        inner.contains("hp=\"cipher\"")
            && inner.contains("\r\nSubject: Contract\r\n")
            && inner.contains("\r\nHP-Outer: Subject: [...]\r\n"),
        "{inner}"
    );

    // The signed part inside, exactly: from after the first boundary to the CRLF before the next.
    let first = inner
        .find("--b1\r\n")
        .map(|at| at + 6)
        .unwrap_or_else(|| panic!("{inner}"));
    let last = inner
        .find("\r\n--b1\r\nContent-Type: application/pgp-signature")
        .unwrap_or_else(|| panic!("{inner}"));
    lab.write(
        "signed.txt",
        inner.get(first..last).unwrap_or_default().as_bytes(),
    );
    lab.write("signed.sig", &signature);
    let verified = lab.run(
        "gpg",
        &[
            "--batch",
            "--status-fd",
            "2",
            "--verify",
            "signed.sig",
            "signed.txt",
        ],
        b"",
    );
    let status = String::from_utf8_lossy(&verified.stderr);
    assert!(
        verified.status.success() && status.contains("[GNUPG:] GOODSIG"),
        "{status}"
    );
}

/// The zero-access filter's output, read by RNP, the OpenPGP library
/// Thunderbird is built on: the sealed part of a message sealed for an
/// RNP user decrypts there to the entity with its headers protected inside
/// (`protected-headers="v1"`, Thunderbird's convention, beside RFC 9788's
/// `hp`) and the body.
#[test]
fn rnp_opens_a_sealed_inbound_message_with_its_headers_protected_inside() {
    let lab = Lab::new("seal-rnp");
    let key = lab.sealmark(&["generate-key", "Owner <owner@example.org>"], b"");
    lab.write("owner.key", &key);
    let cert = lab.write("owner.cert", &lab.sealmark(&["extract-cert"], &key));
    let raw = b"Received: from mx.example.net by mail.example.org with ESMTPS\r\nFrom: sender@example.net\r\nTo: owner@example.org\r\nSubject: For Thunderbird\r\nMessage-ID: <rnp@example.net>\r\n\r\nThe body, read by RNP.\r\n";
    let sealed = lab.sealmark(&["seal-inbound", "--to", &cert.to_string_lossy()], raw);
    let text = String::from_utf8_lossy(&sealed).into_owned();
    lab.write("sealed.asc", sealed_part(&text).as_bytes());
    fs::create_dir_all(lab.path("rnp")).unwrap_or_else(|e| panic!("rnp home: {e}"));
    lab.ok(
        "rnpkeys",
        &["--homedir", "rnp", "--import", "owner.key"],
        b"",
    );
    lab.ok(
        "rnp",
        &[
            "--homedir",
            "rnp",
            "--decrypt",
            "sealed.asc",
            "--output",
            "inner.eml",
        ],
        b"",
    );
    let inner = String::from_utf8_lossy(&lab.read("inner.eml")).into_owned();
    assert!(
        inner.contains("protected-headers=\"v1\"")
            && inner.contains("\r\nSubject: For Thunderbird\r\n")
            && inner.contains("The body, read by RNP."),
        "{inner}"
    );
}

/// Key rotation: one certificate file holding the old key (GnuPG's) and the
/// new one (Sequoia's); the sealed message opens with either, in the other
/// implementation than ours, and carries the protected Subject inside.
#[test]
fn a_message_sealed_to_two_certificates_opens_in_gnupg_and_in_sequoia() {
    need("sq");
    let lab = Lab::new("seal-rotation");
    let (_, _, gnupg_cert) = gpg_pair(&lab, "future-default");
    lab.ok(
        "sq",
        &[
            "key",
            "generate",
            "--userid",
            "New Key <owner@example.org>",
            "--export",
            "sq.key",
        ],
        b"",
    );
    let mut both = std::fs::read(&gnupg_cert).unwrap_or_default();
    both.extend_from_slice(&lab.ok("sq", &["key", "extract-cert", "sq.key"], b""));
    let both = lab.write("inbound.asc", &both);
    let raw = b"Received: from mx.example.net by mail.example.org with ESMTPS\r\nFrom: someone@example.net\r\nTo: owner@example.org\r\nSubject: Rotation day\r\n\r\nReadable with the old key and the new.\r\n";
    let sealed = lab.sealmark(&["seal-inbound", "--to", &both.to_string_lossy()], raw);
    let text = String::from_utf8_lossy(&sealed).into_owned();
    let armored = sealed_part(&text);
    lab.write("sealed.asc", armored.as_bytes());
    for inner in [
        lab.gpg(&["--decrypt", "sealed.asc"], b""),
        lab.ok(
            "sq",
            &["decrypt", "--recipient-key", "sq.key"],
            armored.as_bytes(),
        ),
    ] {
        let inner = String::from_utf8_lossy(&inner).into_owned();
        assert!(
            inner.contains("\r\nSubject: Rotation day\r\n")
                && inner.ends_with("\r\n\r\nReadable with the old key and the new.\r\n"),
            "{inner}"
        );
    }
}

/// The files of a MIME entity as Python's `email` package reads them: name, type and bytes (hex).
fn files_in_mime(lab: &Lab, entity: &[u8]) -> Vec<(String, String, String)> {
    let script = "import email, email.policy, sys\n\
        message = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)\n\
        for part in message.iter_attachments():\n\
        \x20   print(part.get_filename(), part.get_content_type(), part.get_payload(decode=True).hex(), sep='\\t')\n";
    let listed = lab.ok("python3", &["-c", script], entity);
    String::from_utf8_lossy(&listed)
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t').map(str::to_owned);
            Some((fields.next()?, fields.next()?, fields.next()?))
        })
        .collect()
}

/// A message with files, as the editor builds it: RNP (Thunderbird's OpenPGP library), GnuPG and
/// Sequoia decrypt it, and a mail parser other than ours finds every file byte for byte.
#[test]
fn rnp_gnupg_and_sequoia_find_the_files_of_a_message_with_attachments() {
    use sealmark::mail::pgp_mime::{OutgoingFile, build_payload};
    need("sq");
    let lab = Lab::new("files");
    // Our key, known to GnuPG too.
    let (key, cert, _) = gpg_pair(&lab, "future-default");
    let files = [
        OutgoingFile {
            name: "report.pdf".into(),
            content_type: "application/pdf".into(),
            data: b"%PDF-1.7\n\x00\xff binary".to_vec(),
        },
        OutgoingFile {
            name: "Übersicht März.bin".into(),
            content_type: "application/octet-stream".into(),
            data: (0..=255u8).cycle().take(70_000).collect(),
        },
    ];
    let payload = build_payload("Both files attached.\n", Some("Files"), &[], &files);
    let armored = lab.sealmark(&["encrypt", &cert.to_string_lossy()], payload.as_bytes());
    lab.write("message.asc", &armored);
    fs::create_dir_all(lab.path("rnp")).unwrap_or_else(|e| panic!("rnp home: {e}"));
    lab.ok(
        "rnpkeys",
        &["--homedir", "rnp", "--import", &key.to_string_lossy()],
        b"",
    );
    lab.ok(
        "rnp",
        &[
            "--homedir",
            "rnp",
            "--decrypt",
            "message.asc",
            "--output",
            "rnp.eml",
        ],
        b"",
    );
    let expected: Vec<_> = files
        .iter()
        .map(|f| {
            let hex: String = f.data.iter().map(|b| format!("{b:02x}")).collect();
            (f.name.clone(), f.content_type.clone(), hex)
        })
        .collect();
    for entity in [
        lab.read("rnp.eml"),
        lab.gpg(&["--decrypt", "message.asc"], b""),
        lab.ok(
            "sq",
            &[
                "decrypt",
                "--recipient-key",
                &key.to_string_lossy(),
                "message.asc",
            ],
            b"",
        ),
    ] {
        assert!(String::from_utf8_lossy(&entity).contains("Both files attached."));
        assert_eq!(files_in_mime(&lab, &entity), expected);
    }
}
