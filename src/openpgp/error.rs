//! Errors of the OpenPGP layer, each with a stable code for the JavaScript
//! face and the CLI, and a message a person can act on.

use thiserror::Error;

/// Why an OpenPGP operation failed.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum OpenPgpError {
    /// Armored text that cannot be read even after repair.
    #[error("the ASCII armor is damaged and could not be read: {0}")]
    BadArmor(String),
    /// Bytes that are not an OpenPGP key.
    #[error("this is not a readable OpenPGP key: {0}")]
    BadKey(String),
    /// A certificate was needed where only secret keys make sense, or the reverse.
    #[error("{0}")]
    WrongKeyKind(String),
    /// Bytes that are not an OpenPGP message or signature.
    #[error("this is not a readable OpenPGP message: {0}")]
    BadMessage(String),
    /// The key has expired.
    #[error("key {fingerprint} expired on {date}; ask its owner for an updated key")]
    KeyExpired {
        /// The key.
        fingerprint: String,
        /// When it expired, RFC 3339.
        date: String,
    },
    /// The key has been revoked.
    #[error("key {fingerprint} was revoked by its owner{reason}; do not use it")]
    KeyRevoked {
        /// The key.
        fingerprint: String,
        /// `: <reason>` or empty.
        reason: String,
    },
    /// The key's algorithm or size is refused by policy (`super::policy`).
    #[error("key {fingerprint} is not used: {reason}")]
    WeakKey {
        /// The key.
        fingerprint: String,
        /// Which algorithm or size, and why it is refused.
        reason: String,
    },
    /// No valid subkey may encrypt.
    #[error("key {0} has no valid subkey that may encrypt")]
    NoEncryptionKey(String),
    /// No valid key may sign.
    #[error("key {0} has no valid key that may sign")]
    NoSigningKey(String),
    /// A secret key is passphrase-locked and no passphrase was given.
    #[error("the secret key {0} is protected by a passphrase; give the passphrase to use it")]
    KeyIsProtected(String),
    /// The passphrase does not unlock the key.
    #[error("the passphrase does not unlock key {0}")]
    BadPassphrase(String),
    /// None of the keys or passwords fits the message.
    #[error("none of the given keys or passwords can decrypt this message")]
    CannotDecrypt,
    /// Ciphertext without MDC or AEAD.
    #[error(
        "this message has no integrity protection (no MDC or AEAD), so tampering could not be detected; it was refused"
    )]
    NoIntegrityProtection,
    /// Integrity check failed.
    #[error(
        "this message was modified after it was encrypted (integrity check failed); it was refused"
    )]
    Tampered,
    /// No signature could be verified.
    #[error("no valid signature from the given keys")]
    NoSignature,
    /// Decrypted data past the limit the caller set. Reading in place stops
    /// there, so how much more there was may not be known.
    #[error("the decrypted data is more than the {limit} bytes Sealmark accepts here")]
    PlaintextTooLarge {
        /// The limit.
        limit: usize,
    },
    /// Input outside the limits.
    #[error("the input is {size} bytes, more than the {limit} bytes Sealmark accepts here")]
    TooLarge {
        /// The size given.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A parameter the caller can fix.
    #[error("{0}")]
    BadInput(String),
    /// Something the engine does not support.
    #[error("not supported: {0}")]
    Unsupported(String),
    /// An engine failure that is not the caller's fault.
    #[error("internal OpenPGP error: {0}")]
    Internal(String),
}

/// An error's message as a code and the names it mentions, for a face that
/// says it in the person's language (the extension's locale key
/// `coreDetail_<code>`, `$1`… where the arguments go, reads as the
/// message does in English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    /// Which message.
    pub code: &'static str,
    /// The names and numbers it mentions, in order.
    pub args: Vec<String>,
}

impl Detail {
    fn new<const N: usize>(code: &'static str, args: [&dyn std::fmt::Display; N]) -> Self {
        Self {
            code,
            args: args.iter().map(ToString::to_string).collect(),
        }
    }
}

impl OpenPgpError {
    /// The message as a [`Detail`]; `None` where it is free text (what rPGP
    /// found wrong in a packet, a policy's reason), which is said as it is.
    pub fn detail(&self) -> Option<Detail> {
        Some(match self {
            Self::KeyExpired { fingerprint, date } => {
                Detail::new("key_expired", [fingerprint, date])
            }
            // The owner's reason (after ": ") is an argument of its own, so
            // each language writes the punctuation around it.
            Self::KeyRevoked {
                fingerprint,
                reason,
            } => match reason.strip_prefix(": ") {
                Some(because) => Detail::new("key_revoked_because", [fingerprint, &because]),
                None => Detail::new("key_revoked", [fingerprint]),
            },
            Self::NoEncryptionKey(fingerprint) => Detail::new("no_encryption_key", [fingerprint]),
            Self::NoSigningKey(fingerprint) => Detail::new("no_signing_key", [fingerprint]),
            Self::TooLarge { size, limit } => Detail::new("too_large", [size, limit]),
            Self::PlaintextTooLarge { limit } => Detail::new("plaintext_too_large", [limit]),
            _ => return None,
        })
    }

    /// A stable identifier, the same in every face (`KEY_EXPIRED`, `CANNOT_DECRYPT`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadArmor(_) => "BAD_ARMOR",
            Self::BadKey(_) => "BAD_KEY",
            Self::WrongKeyKind(_) => "WRONG_KEY_KIND",
            Self::BadMessage(_) => "BAD_MESSAGE",
            Self::KeyExpired { .. } => "KEY_EXPIRED",
            Self::KeyRevoked { .. } => "KEY_REVOKED",
            Self::WeakKey { .. } => "WEAK_KEY",
            Self::NoEncryptionKey(_) => "KEY_CANNOT_ENCRYPT",
            Self::NoSigningKey(_) => "KEY_CANNOT_SIGN",
            Self::KeyIsProtected(_) => "KEY_IS_PROTECTED",
            Self::BadPassphrase(_) => "BAD_PASSPHRASE",
            Self::CannotDecrypt => "CANNOT_DECRYPT",
            Self::NoIntegrityProtection => "NO_INTEGRITY_PROTECTION",
            Self::Tampered => "TAMPERED",
            Self::NoSignature => "NO_SIGNATURE",
            Self::TooLarge { .. } | Self::PlaintextTooLarge { .. } => "TOO_LARGE",
            Self::BadInput(_) => "BAD_INPUT",
            Self::Unsupported(_) => "UNSUPPORTED",
            Self::Internal(_) => "INTERNAL",
        }
    }
}

/// Result of the OpenPGP layer.
pub type Result<T> = std::result::Result<T, OpenPgpError>;
