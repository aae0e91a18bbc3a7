//! The Stateless OpenPGP subcommands (draft-dkg-openpgp-stateless-cli):
//! argument handling, indirect inputs (files, `@ENV:`, `@FD:`) and output
//! formats. Every OpenPGP decision is the core's.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use sealmark::openpgp::keys::{self, GenerateOptions, Profile};
use sealmark::openpgp::message::{self, DecryptOptions, EncryptOptions};
use sealmark::openpgp::unlock::{self, UnlockKey};
use sealmark::openpgp::verify::SignatureCheck;
use sealmark::openpgp::{OpenPgpError, sign};

use crate::exit;

/// The SOP subcommands.
#[derive(Subcommand)]
pub enum Sop {
    /// List the profiles a subcommand supports.
    ListProfiles {
        /// `generate-key` or `encrypt`.
        subcommand: String,
    },
    /// Generate a secret key (on standard output).
    GenerateKey {
        #[command(flatten)]
        armor: NoArmor,
        /// Protect the key with the password in this file.
        #[arg(long = "with-key-password", value_name = "PASSWORD")]
        password: Option<String>,
        /// Key profile (see `list-profiles generate-key`).
        #[arg(long)]
        profile: Option<String>,
        /// Make a key that can only sign (not supported: Sealmark keys always encrypt too).
        #[arg(long)]
        signing_only: bool,
        /// User IDs, the first primary.
        userids: Vec<String>,
    },
    /// Change the password of secret keys.
    ChangeKeyPassword {
        #[command(flatten)]
        armor: NoArmor,
        /// The new password (file); none removes the protection.
        #[arg(long = "new-key-password", value_name = "PASSWORD")]
        new: Option<String>,
        /// Current passwords (files) to try.
        #[arg(long = "old-key-password", value_name = "PASSWORD")]
        old: Vec<String>,
    },
    /// Revoke secret keys; prints the revoked certificates.
    RevokeKey {
        #[command(flatten)]
        armor: NoArmor,
        /// Passwords (files) for the keys.
        #[arg(long = "with-key-password", value_name = "PASSWORD")]
        passwords: Vec<String>,
    },
    /// Bring secret keys up to date: adds a post-quantum encryption subkey
    /// (ML-KEM-768+X25519, RFC 9980) to each key that has none, keeping its
    /// other subkeys for correspondents without post-quantum support.
    UpdateKey {
        #[command(flatten)]
        armor: NoArmor,
        /// Passwords (files) for the keys.
        #[arg(long = "with-key-password", value_name = "PASSWORD")]
        passwords: Vec<String>,
        /// Add no new capability (no post-quantum subkey).
        #[arg(long = "no-added-capabilities")]
        no_added_capabilities: bool,
        /// Only signing capabilities (not supported: Sealmark keys always encrypt too).
        #[arg(long)]
        signing_only: bool,
        /// Certificates to merge (not supported; use `sealmark` key merging in the extension).
        #[arg(long = "merge-certs", value_name = "CERTS")]
        merge_certs: Vec<String>,
    },
    /// Print the certificates of secret keys.
    ExtractCert {
        #[command(flatten)]
        armor: NoArmor,
    },
    /// Make detached signatures of standard input.
    Sign {
        #[command(flatten)]
        armor: NoArmor,
        /// Sign as binary or text.
        #[arg(long = "as", value_enum, default_value = "binary")]
        mode: SignAs,
        /// Passwords (files) for the keys.
        #[arg(long = "with-key-password", value_name = "PASSWORD")]
        passwords: Vec<String>,
        /// Write the hash algorithm used, as PGP/MIME's micalg (always pgp-sha512).
        #[arg(long = "micalg-out", value_name = "MICALG")]
        micalg_out: Option<String>,
        /// Secret key files.
        keys: Vec<String>,
    },
    /// Verify detached signatures of standard input.
    Verify {
        #[command(flatten)]
        window: Window,
        /// The signatures file.
        signatures: String,
        /// Certificate files.
        certs: Vec<String>,
    },
    /// Encrypt standard input.
    Encrypt {
        #[command(flatten)]
        armor: NoArmor,
        /// Data is binary or text.
        #[arg(long = "as", value_enum, default_value = "binary")]
        mode: EncryptAs,
        /// Passwords (files) that can also decrypt.
        #[arg(long = "with-password", value_name = "PASSWORD")]
        passwords: Vec<String>,
        /// Secret keys (files) to sign with.
        #[arg(long = "sign-with", value_name = "KEYS")]
        sign_with: Vec<String>,
        /// Passwords (files) for the signing keys.
        #[arg(long = "with-key-password", value_name = "PASSWORD")]
        key_passwords: Vec<String>,
        /// Encryption profile (only `default`).
        #[arg(long)]
        profile: Option<String>,
        /// Certificate files of the recipients.
        certs: Vec<String>,
    },
    /// Decrypt standard input.
    Decrypt {
        /// Passwords (files) to try.
        #[arg(long = "with-password", value_name = "PASSWORD")]
        passwords: Vec<String>,
        /// Passwords (files) for the secret keys.
        #[arg(long = "with-key-password", value_name = "PASSWORD")]
        key_passwords: Vec<String>,
        /// Write signature verifications here.
        #[arg(
            long = "verifications-out",
            alias = "verify-out",
            value_name = "VERIFICATIONS"
        )]
        verifications_out: Option<String>,
        /// Certificates (files) to verify signatures with.
        #[arg(long = "verify-with", value_name = "CERTS")]
        verify_with: Vec<String>,
        /// Only count signatures made at or after this date.
        #[arg(long = "verify-not-before", value_name = "DATE")]
        not_before: Option<String>,
        /// Only count signatures made at or before this date.
        #[arg(long = "verify-not-after", value_name = "DATE")]
        not_after: Option<String>,
        /// Session keys are not supported.
        #[arg(long = "session-key-out", value_name = "SESSIONKEY")]
        session_key_out: Option<String>,
        /// Session keys are not supported.
        #[arg(long = "with-session-key", value_name = "SESSIONKEY")]
        with_session_key: Vec<String>,
        /// Secret key files.
        keys: Vec<String>,
    },
    /// Split an inline-signed message into data (standard output) and signatures.
    InlineDetach {
        #[command(flatten)]
        armor: NoArmor,
        /// Where to write the signatures.
        #[arg(long = "signatures-out", value_name = "SIGNATURES")]
        signatures_out: String,
    },
    /// Verify an inline-signed message and print its data.
    InlineVerify {
        #[command(flatten)]
        window: Window,
        /// Write signature verifications here.
        #[arg(long = "verifications-out", value_name = "VERIFICATIONS")]
        verifications_out: Option<String>,
        /// Certificate files.
        certs: Vec<String>,
    },
    /// Make an inline-signed message of standard input.
    InlineSign {
        #[command(flatten)]
        armor: NoArmor,
        /// binary, text or clearsigned.
        #[arg(long = "as", value_enum, default_value = "binary")]
        mode: InlineAs,
        /// Passwords (files) for the keys.
        #[arg(long = "with-key-password", value_name = "PASSWORD")]
        passwords: Vec<String>,
        /// Secret key files.
        keys: Vec<String>,
    },
    /// ASCII-armor standard input.
    Armor,
    /// Remove ASCII armor from standard input.
    Dearmor,
}

/// `--no-armor`.
#[derive(Args)]
pub struct NoArmor {
    /// Binary output instead of ASCII armor.
    #[arg(long = "no-armor")]
    no_armor: bool,
}

/// `--not-before` / `--not-after` of verify and inline-verify.
#[derive(Args)]
pub struct Window {
    /// Only count signatures made at or after this date.
    #[arg(long = "not-before", value_name = "DATE")]
    not_before: Option<String>,
    /// Only count signatures made at or before this date.
    #[arg(long = "not-after", value_name = "DATE")]
    not_after: Option<String>,
}

/// `sign --as`.
#[derive(Clone, Copy, ValueEnum)]
pub enum SignAs {
    /// Binary signature.
    Binary,
    /// Text signature (line endings canonicalised).
    Text,
}

/// `encrypt --as`.
#[derive(Clone, Copy, ValueEnum)]
pub enum EncryptAs {
    /// Binary data.
    Binary,
    /// UTF-8 text.
    Text,
}

/// `inline-sign --as`.
#[derive(Clone, Copy, ValueEnum)]
pub enum InlineAs {
    /// A signed binary message.
    Binary,
    /// A signed text message.
    Text,
    /// A cleartext-signed message.
    Clearsigned,
}

/// A failure with its SOP exit code.
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn new(code: u8, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }

    /// Prints the message and returns the exit code.
    pub fn report(self) -> ExitCode {
        eprintln!("sealmark: {}", self.message);
        ExitCode::from(self.code)
    }
}

impl From<OpenPgpError> for Failure {
    fn from(error: OpenPgpError) -> Self {
        let code = match &error {
            OpenPgpError::BadArmor(_)
            | OpenPgpError::BadKey(_)
            | OpenPgpError::BadMessage(_)
            | OpenPgpError::WrongKeyKind(_)
            | OpenPgpError::TooLarge { .. }
            | OpenPgpError::PlaintextTooLarge { .. } => exit::BAD_DATA,
            OpenPgpError::KeyExpired { .. }
            | OpenPgpError::KeyRevoked { .. }
            | OpenPgpError::WeakKey { .. }
            | OpenPgpError::NoEncryptionKey(_) => exit::CERT_CANNOT_ENCRYPT,
            OpenPgpError::NoSigningKey(_) => exit::KEY_CANNOT_SIGN,
            OpenPgpError::KeyIsProtected(_) | OpenPgpError::BadPassphrase(_) => {
                exit::KEY_IS_PROTECTED
            }
            OpenPgpError::CannotDecrypt
            | OpenPgpError::NoIntegrityProtection
            | OpenPgpError::Tampered => exit::CANNOT_DECRYPT,
            OpenPgpError::NoSignature => exit::NO_SIGNATURE,
            OpenPgpError::BadInput(_) => exit::MISSING_ARG,
            OpenPgpError::Unsupported(_) => exit::UNSUPPORTED_OPTION,
            OpenPgpError::Internal(_) => 1,
        };
        Failure::new(code, error.to_string())
    }
}

type Outcome = Result<Vec<u8>, Failure>;

/// Runs one SOP subcommand: standard input in, the returned bytes out.
pub fn run(command: Sop) -> ExitCode {
    let result = match command {
        Sop::ListProfiles { subcommand } => list_profiles(&subcommand),
        Sop::GenerateKey {
            armor,
            password,
            profile,
            signing_only,
            userids,
        } => generate_key(armor.no_armor, password, profile, signing_only, userids),
        Sop::ChangeKeyPassword { armor, new, old } => {
            change_key_password(armor.no_armor, new, &old)
        }
        Sop::RevokeKey { armor, passwords } => revoke_key(armor.no_armor, &passwords),
        Sop::UpdateKey {
            armor,
            passwords,
            no_added_capabilities,
            signing_only,
            merge_certs,
        } => {
            if signing_only || !merge_certs.is_empty() {
                Err(Failure::new(
                    exit::UNSUPPORTED_OPTION,
                    "--signing-only and --merge-certs are not supported by update-key",
                ))
            } else {
                update_key(armor.no_armor, &passwords, no_added_capabilities)
            }
        }
        Sop::ExtractCert { armor } => extract_cert(armor.no_armor),
        Sop::Sign {
            armor,
            mode,
            passwords,
            micalg_out,
            keys,
        } => sign_detached(armor.no_armor, mode, &passwords, micalg_out, &keys),
        Sop::Verify {
            window,
            signatures,
            certs,
        } => verify(&window, &signatures, &certs),
        Sop::Encrypt {
            armor,
            mode,
            passwords,
            sign_with,
            key_passwords,
            profile,
            certs,
        } => encrypt(
            armor.no_armor,
            mode,
            &passwords,
            &sign_with,
            &key_passwords,
            profile,
            &certs,
        ),
        Sop::Decrypt {
            passwords,
            key_passwords,
            verifications_out,
            verify_with,
            not_before,
            not_after,
            session_key_out,
            with_session_key,
            keys,
        } => {
            if session_key_out.is_some() || !with_session_key.is_empty() {
                Err(Failure::new(
                    exit::UNSUPPORTED_OPTION,
                    "session keys are not supported",
                ))
            } else {
                let window = Window {
                    not_before,
                    not_after,
                };
                decrypt(
                    &passwords,
                    &key_passwords,
                    verifications_out,
                    &verify_with,
                    &window,
                    &keys,
                )
            }
        }
        Sop::InlineDetach {
            armor,
            signatures_out,
        } => inline_detach(armor.no_armor, &signatures_out),
        Sop::InlineVerify {
            window,
            verifications_out,
            certs,
        } => inline_verify(&window, verifications_out, &certs),
        Sop::InlineSign {
            armor,
            mode,
            passwords,
            keys,
        } => inline_sign(armor.no_armor, mode, &passwords, &keys),
        Sop::Armor => armor(),
        Sop::Dearmor => dearmor(),
    };
    match result.and_then(|bytes| {
        std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| Failure::new(1, e.to_string()))
    }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

fn stdin() -> Result<Vec<u8>, Failure> {
    let mut buffer = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buffer)
        .map_err(|e| Failure::new(exit::MISSING_INPUT, e.to_string()))?;
    Ok(buffer)
}

/// Reads an indirect input: a file name, `@ENV:NAME` or `@FD:N`.
fn indirect(name: &str) -> Result<Vec<u8>, Failure> {
    if let Some(variable) = name.strip_prefix("@ENV:") {
        return std::env::var(variable)
            .map(String::into_bytes)
            .map_err(|_| {
                Failure::new(
                    exit::MISSING_INPUT,
                    format!("environment variable {variable} is not set"),
                )
            });
    }
    if let Some(fd) = name.strip_prefix("@FD:") {
        return std::fs::read(format!("/dev/fd/{fd}"))
            .map_err(|e| Failure::new(exit::MISSING_INPUT, format!("{name}: {e}")));
    }
    if name.starts_with('@') {
        return Err(Failure::new(
            exit::UNSUPPORTED_SPECIAL_PREFIX,
            format!("unsupported special prefix in {name}"),
        ));
    }
    std::fs::read(name)
        .map_err(|e| Failure::new(exit::MISSING_INPUT, format!("cannot read {name}: {e}")))
}

/// A password from an indirect input; trailing white space is not part of it.
fn password(name: &str) -> Result<String, Failure> {
    let bytes = indirect(name)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::new(
            exit::PASSWORD_NOT_HUMAN_READABLE,
            format!("the password in {name} is not UTF-8"),
        )
    })?;
    Ok(text.trim_end().to_owned())
}

/// Writes an indirect output that must not exist yet.
fn write_out(name: &str, bytes: &[u8]) -> Result<(), Failure> {
    if let Some(fd) = name.strip_prefix("@FD:") {
        return std::fs::write(format!("/dev/fd/{fd}"), bytes)
            .map_err(|e| Failure::new(1, e.to_string()));
    }
    if name.starts_with('@') {
        return Err(Failure::new(
            exit::UNSUPPORTED_SPECIAL_PREFIX,
            format!("unsupported special prefix in {name}"),
        ));
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(name)
        .map_err(|e| Failure::new(exit::OUTPUT_EXISTS, format!("{name}: {e}")))?;
    file.write_all(bytes)
        .map_err(|e| Failure::new(1, e.to_string()))
}

/// SOP's MISSING_ARG when a list of required arguments is empty.
fn require(files: &[String], what: &str) -> Result<(), Failure> {
    if files.is_empty() {
        return Err(Failure::new(exit::MISSING_ARG, format!("give {what}")));
    }
    Ok(())
}

fn secret_keys(files: &[String]) -> Result<Vec<pgp::composed::SignedSecretKey>, Failure> {
    let mut keys = Vec::new();
    for file in files {
        keys.extend(keys::read_secret_keys(&indirect(file)?)?);
    }
    Ok(keys)
}

fn certs(files: &[String]) -> Result<Vec<pgp::composed::SignedPublicKey>, Failure> {
    let mut certs = Vec::new();
    for file in files {
        certs.extend(keys::read_certs(&indirect(file)?)?);
    }
    Ok(certs)
}

fn read_passwords(files: &[String]) -> Result<Vec<String>, Failure> {
    files.iter().map(|f| password(f)).collect()
}

/// Pairs each key with the first of the passwords that unlocks it (SOP tries all).
fn unlock<'a>(
    keys: &'a [pgp::composed::SignedSecretKey],
    passwords: &'a [String],
) -> Vec<UnlockKey<'a>> {
    keys.iter()
        .map(|key| {
            let fitting = passwords.iter().find(|p| {
                unlock::check_passphrase(&UnlockKey {
                    key,
                    passphrase: Some(p.as_str()),
                })
                .is_ok()
            });
            UnlockKey {
                key,
                passphrase: fitting.map(String::as_str),
            }
        })
        .collect()
}

fn list_profiles(subcommand: &str) -> Outcome {
    match subcommand {
        "generate-key" => {
            let lines: Vec<String> = Profile::all()
                .iter()
                .map(|(name, about)| format!("{name}: {about}\n"))
                .collect();
            Ok(lines.concat().into_bytes())
        }
        "encrypt" => Ok(
            b"default: SEIPDv2 (AEAD) when every recipient supports it, SEIPDv1 otherwise\n"
                .to_vec(),
        ),
        other => Err(Failure::new(
            exit::UNSUPPORTED_PROFILE,
            format!("{other} has no profiles"),
        )),
    }
}

fn generate_key(
    no_armor: bool,
    password_file: Option<String>,
    profile: Option<String>,
    signing_only: bool,
    user_ids: Vec<String>,
) -> Outcome {
    if signing_only {
        return Err(Failure::new(
            exit::UNSUPPORTED_OPTION,
            "--signing-only is not supported",
        ));
    }
    let profile = match profile {
        Some(name) => Profile::from_name(&name)
            .map_err(|e| Failure::new(exit::UNSUPPORTED_PROFILE, e.to_string()))?,
        None => Profile::default(),
    };
    let passphrase = password_file.as_deref().map(password).transpose()?;
    let key = keys::generate(&GenerateOptions {
        user_ids,
        passphrase,
        profile,
        expires_in: None,
    })?;
    secret_out(&key, no_armor)
}

fn secret_out(key: &pgp::composed::SignedSecretKey, no_armor: bool) -> Outcome {
    if no_armor {
        pgp::ser::Serialize::to_bytes(key).map_err(|e| Failure::new(1, e.to_string()))
    } else {
        Ok(keys::armor_secret(key)?.into_bytes())
    }
}

fn cert_out(cert: &pgp::composed::SignedPublicKey, no_armor: bool) -> Outcome {
    if no_armor {
        pgp::ser::Serialize::to_bytes(cert).map_err(|e| Failure::new(1, e.to_string()))
    } else {
        Ok(keys::armor_cert(cert)?.into_bytes())
    }
}

fn change_key_password(no_armor: bool, new: Option<String>, old: &[String]) -> Outcome {
    let keys = keys::read_secret_keys(&stdin()?)?;
    let old = read_passwords(old)?;
    let new = new.as_deref().map(password).transpose()?;
    let mut out = Vec::new();
    for key in &keys {
        let unlocked = unlock(std::slice::from_ref(key), &old);
        let current = unlocked.first().and_then(|u| u.passphrase);
        out.extend(secret_out(
            &keys::change_passphrase(key, current, new.as_deref())?,
            no_armor,
        )?);
    }
    Ok(out)
}

fn revoke_key(no_armor: bool, password_files: &[String]) -> Outcome {
    let keys = keys::read_secret_keys(&stdin()?)?;
    let passwords = read_passwords(password_files)?;
    let mut out = Vec::new();
    for unlock in unlock(&keys, &passwords) {
        let revocation = keys::revoke(
            unlock.key,
            unlock.passphrase,
            "revoked with sealmark revoke-key",
        )?;
        out.extend(cert_out(&revocation.revoked, no_armor)?);
    }
    Ok(out)
}

fn update_key(no_armor: bool, password_files: &[String], no_added_capabilities: bool) -> Outcome {
    let keys = keys::read_secret_keys(&stdin()?)?;
    let passwords = read_passwords(password_files)?;
    let mut out = Vec::new();
    for unlock in unlock(&keys, &passwords) {
        let updated = if no_added_capabilities
            || keys::has_post_quantum_encryption(&unlock.key.to_public_key())
        {
            unlock.key.clone()
        } else {
            keys::add_post_quantum_subkey(unlock.key, unlock.passphrase)?
        };
        out.extend(secret_out(&updated, no_armor)?);
    }
    Ok(out)
}

fn extract_cert(no_armor: bool) -> Outcome {
    let mut out = Vec::new();
    for key in keys::read_secret_keys(&stdin()?)? {
        out.extend(cert_out(&key.to_public_key(), no_armor)?);
    }
    Ok(out)
}

fn sign_detached(
    no_armor: bool,
    mode: SignAs,
    password_files: &[String],
    micalg_out: Option<String>,
    key_files: &[String],
) -> Outcome {
    require(key_files, "the secret key files to sign with")?;
    let keys = secret_keys(key_files)?;
    let passwords = read_passwords(password_files)?;
    let data = stdin()?;
    let signature = sign::sign_detached(
        &data,
        &unlock(&keys, &passwords),
        matches!(mode, SignAs::Text),
        !no_armor,
    )?;
    if let Some(name) = micalg_out {
        write_out(&name, b"pgp-sha512")?;
    }
    Ok(signature)
}

/// SOP's VERIFICATIONS lines for the valid signatures inside the window.
fn verifications(checks: &[SignatureCheck], window: &Window) -> Result<Vec<u8>, Failure> {
    let not_before = window.not_before.as_deref().map(parse_date).transpose()?;
    let not_after = window.not_after.as_deref().map(parse_date).transpose()?;
    let mut out = String::new();
    for check in checks.iter().filter(|c| c.valid) {
        let created = check
            .created
            .as_deref()
            .and_then(sealmark::header::date::parse);
        if not_before.is_some_and(|limit| created.is_some_and(|c| c < limit))
            || not_after.is_some_and(|limit| created.is_some_and(|c| c > limit))
        {
            continue;
        }
        out.push_str(&format!(
            "{} {} {} mode:binary\n",
            check.created.as_deref().unwrap_or("-"),
            check.fingerprint,
            check.signer.as_deref().unwrap_or(&check.fingerprint)
        ));
    }
    Ok(out.into_bytes())
}

fn parse_date(text: &str) -> Result<i64, Failure> {
    if text == "-" || text == "now" {
        return Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0));
    }
    sealmark::header::date::parse(text)
        .ok_or_else(|| Failure::new(exit::BAD_DATA, format!("cannot read the date {text:?}")))
}

fn verify(window: &Window, signatures: &str, cert_files: &[String]) -> Outcome {
    require(cert_files, "the certificates to verify with")?;
    let certs = certs(cert_files)?;
    let signatures = indirect(signatures)?;
    let data = stdin()?;
    let checks = sign::verify_detached(&data, &signatures, &certs)?;
    let lines = verifications(&checks, window)?;
    if lines.is_empty() {
        return Err(OpenPgpError::NoSignature.into());
    }
    Ok(lines)
}

fn encrypt(
    no_armor: bool,
    mode: EncryptAs,
    password_files: &[String],
    sign_with: &[String],
    key_password_files: &[String],
    profile: Option<String>,
    cert_files: &[String],
) -> Outcome {
    if profile.as_deref().is_some_and(|p| p != "default") {
        return Err(Failure::new(
            exit::UNSUPPORTED_PROFILE,
            "the only encryption profile is default",
        ));
    }
    let recipients = certs(cert_files)?;
    let passwords = read_passwords(password_files)?;
    let signing_keys = secret_keys(sign_with)?;
    let key_passwords = read_passwords(key_password_files)?;
    let signers = unlock(&signing_keys, &key_passwords);
    let data = stdin()?;
    if matches!(mode, EncryptAs::Text) && std::str::from_utf8(&data).is_err() {
        return Err(Failure::new(
            exit::EXPECTED_TEXT,
            "--as=text needs UTF-8 input",
        ));
    }
    Ok(message::encrypt(
        &data,
        &EncryptOptions {
            recipients: &recipients,
            signers: &signers,
            passwords: &passwords,
            armor: !no_armor,
            text: matches!(mode, EncryptAs::Text),
        },
    )?)
}

fn decrypt(
    password_files: &[String],
    key_password_files: &[String],
    verifications_out: Option<String>,
    verify_with: &[String],
    window: &Window,
    key_files: &[String],
) -> Outcome {
    let keys = secret_keys(key_files)?;
    let key_passwords = read_passwords(key_password_files)?;
    let unlocked = unlock(&keys, &key_passwords);
    let passwords = read_passwords(password_files)?;
    let verification = certs(verify_with)?;
    if keys.is_empty() && passwords.is_empty() {
        return Err(Failure::new(
            exit::MISSING_ARG,
            "give secret keys or --with-password",
        ));
    }
    let decrypted = message::decrypt_owned(
        stdin()?,
        &DecryptOptions {
            keys: &unlocked,
            passwords: &passwords,
            verification: &verification,
            max_plaintext: None,
        },
    )?;
    if let Some(name) = verifications_out {
        write_out(&name, &verifications(&decrypted.signatures, window)?)?;
    }
    Ok(decrypted.data)
}

fn inline_detach(no_armor: bool, signatures_out: &str) -> Outcome {
    let (data, signatures) = sign::inline_detach(&stdin()?)?;
    let signatures = if no_armor {
        dearmor_bytes(&signatures)?
    } else {
        signatures
    };
    write_out(signatures_out, &signatures)?;
    Ok(data)
}

fn inline_verify(
    window: &Window,
    verifications_out: Option<String>,
    cert_files: &[String],
) -> Outcome {
    require(cert_files, "the certificates to verify with")?;
    let certs = certs(cert_files)?;
    let input = stdin()?;
    let (data, checks) =
        if String::from_utf8_lossy(&input).contains("-----BEGIN PGP SIGNED MESSAGE-----") {
            let verified = sign::verify_cleartext(&input, &certs)?;
            (verified.text.into_bytes(), verified.signatures)
        } else {
            let read = message::read_signed(&input, &certs)?;
            (read.data, read.signatures)
        };
    let lines = verifications(&checks, window)?;
    if lines.is_empty() {
        return Err(OpenPgpError::NoSignature.into());
    }
    if let Some(name) = verifications_out {
        write_out(&name, &lines)?;
    }
    Ok(data)
}

fn inline_sign(
    no_armor: bool,
    mode: InlineAs,
    password_files: &[String],
    key_files: &[String],
) -> Outcome {
    require(key_files, "the secret key files to sign with")?;
    let keys = secret_keys(key_files)?;
    let passwords = read_passwords(password_files)?;
    let signers = unlock(&keys, &passwords);
    let data = stdin()?;
    match mode {
        InlineAs::Clearsigned => {
            if no_armor {
                return Err(Failure::new(
                    exit::INCOMPATIBLE_OPTIONS,
                    "--as=clearsigned is always armored",
                ));
            }
            let text = std::str::from_utf8(&data).map_err(|_| {
                Failure::new(exit::EXPECTED_TEXT, "clearsigned input must be UTF-8 text")
            })?;
            Ok(sign::sign_cleartext(text, &signers)?.into_bytes())
        }
        InlineAs::Binary | InlineAs::Text => Ok(sign::sign_inline(
            &data,
            &signers,
            matches!(mode, InlineAs::Text),
            !no_armor,
        )?),
    }
}

fn armor() -> Outcome {
    let input = stdin()?;
    if sealmark::openpgp::armor::is_armored(&input) {
        return Ok(input); // SOP: armoring armored data is idempotent
    }
    Ok(sealmark::openpgp::armor::armor_bytes(&input)?.into_bytes())
}

fn dearmor() -> Outcome {
    dearmor_bytes(&stdin()?)
}

fn dearmor_bytes(input: &[u8]) -> Outcome {
    if !sealmark::openpgp::armor::is_armored(input) {
        return Ok(input.to_vec());
    }
    Ok(sealmark::openpgp::armor::dearmor(input)?)
}
