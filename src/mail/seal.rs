//! Zero-access sealing of delivered mail: a delivery filter encrypts each
//! incoming message to its recipient's certificates before it is stored, so
//! that the server keeps only ciphertext.
//!
//! The sealed message is PGP/MIME (RFC 3156). Inside is the original message:
//! its MIME entity byte for byte (a signed message keeps its signature), with
//! the header fields its sender wrote protected beside it as RFC 9788 lays
//! out header protection — `hp="cipher"` on the payload's Content-Type, and
//! one `HP-Outer` line per field the outside still shows, so a reader can tell
//! what was exposed. Thunderbird's and K-9's older convention,
//! `protected-headers="v1"`, is given too.
//!
//! Outside stays what delivery and the reader of the route still need: the
//! fields the servers wrote in transit (Received, Authentication-Results, ARC,
//! DKIM, spam verdicts), and the addressing and threading fields a mailbox
//! lists (Date, From, Sender, To, Cc, Message-ID, In-Reply-To, References).
//! The Subject becomes RFC 9788's obscured `[...]` unless the administrator
//! keeps it for server-side search. Everything else — Reply-To, List-*,
//! X-Mailer, Autocrypt and the rest — is inside only.
//!
//! A message already encrypted (PGP/MIME, inline PGP, S/MIME enveloped data)
//! passes unchanged: its content is already out of the server's reach.

use pgp::composed::SignedPublicKey;

use crate::openpgp::OpenPgpError;
use crate::openpgp::message::{self, EncryptOptions};
use crate::openpgp::mime;
use crate::transport::fields::{self, Field};

/// The Subject outside a sealed message: RFC 9788's obscured value.
pub const OBSCURED_SUBJECT: &str = "[...]";

/// Fields written for delivery and its checks, by the servers on the way
/// rather than in the message's content: kept outside exactly, not copied
/// inside (nothing there is the sender's to protect).
const TRANSPORT: &[&str] = &[
    "received",
    "return-path",
    "delivered-to",
    "x-original-to",
    "authentication-results",
    "arc-seal",
    "arc-message-signature",
    "arc-authentication-results",
    "dkim-signature",
    "received-spf",
    "x-spam-status",
    "x-spam-flag",
    "x-spam-level",
    "x-spam-score",
];

/// Fields the sender wrote that a mailbox needs to list and thread messages:
/// shown outside as well as inside, each recorded in an `HP-Outer` line.
const EXPOSED: &[&str] = &[
    "date",
    "from",
    "sender",
    "to",
    "cc",
    "message-id",
    "in-reply-to",
    "references",
];

/// How to seal.
pub struct SealOptions<'a> {
    /// The certificates of the mailbox's owner (several during a key rotation).
    pub recipients: &'a [SignedPublicKey],
    /// Keep the real Subject outside too (for server-side search), rather than [`OBSCURED_SUBJECT`].
    pub keep_subject: bool,
}

/// What became of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sealed {
    /// The message encrypted: store this instead of it.
    Encrypted(Vec<u8>),
    /// Already encrypted: store it as it came.
    Unchanged(AlreadyEncrypted),
}

/// How a message that passes unchanged was already encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlreadyEncrypted {
    /// `multipart/encrypted` (RFC 3156 and kin).
    PgpMime,
    /// A text body that is one armored OpenPGP message.
    InlinePgp,
    /// S/MIME enveloped data.
    Smime,
}

/// Why a message could not be sealed. A delivery filter must then not store
/// it at all (the mail server retries later), never store it half-written.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    /// No certificate was given.
    #[error("no certificate to encrypt to")]
    NoRecipients,
    /// The input has no header fields.
    #[error("the input is not a mail message: it has no header fields")]
    NotAMessage,
    /// Encryption failed, e.g. a certificate that cannot encrypt.
    #[error(transparent)]
    OpenPgp(#[from] OpenPgpError),
}

/// Seals one message (see the module's description).
pub fn seal(raw: &[u8], options: &SealOptions<'_>) -> Result<Sealed, SealError> {
    if options.recipients.is_empty() {
        return Err(SealError::NoRecipients);
    }
    let header = fields::header_section(raw);
    let body = raw.get(header.len()..).unwrap_or_default();
    let fields = fields::split(header);
    if fields.is_empty() {
        return Err(SealError::NotAMessage);
    }
    if let Some(already) = already_encrypted(&fields, body) {
        return Ok(Sealed::Unchanged(already));
    }
    // The message's own line ending, so the stored message is consistent whatever the server hands over.
    let eol: &[u8] = if header.windows(2).any(|w| w == b"\r\n") {
        b"\r\n"
    } else {
        b"\n"
    };
    let subject = fields.iter().find(|f| is(f, "subject"));
    let outer_subject: Vec<u8> = match subject {
        Some(field) if options.keep_subject => field.value.to_vec(),
        _ => format!(" {OBSCURED_SUBJECT}").into_bytes(),
    };

    let payload = payload(
        &fields,
        body,
        subject.map(|_| outer_subject.as_slice()),
        eol,
    );
    let armored = message::encrypt_owned(
        payload,
        &EncryptOptions {
            recipients: options.recipients,
            armor: true,
            ..EncryptOptions::default()
        },
    )?;
    let armored = String::from_utf8_lossy(&armored);

    let mut out = Vec::with_capacity(header.len() + armored.len() + 512);
    let mut subject_written = false;
    for field in &fields {
        if is(field, "subject") {
            if !subject_written {
                push_field(&mut out, b"Subject", &outer_subject, eol);
                subject_written = true;
            }
        } else if is_transport(field) || is_exposed(field) {
            push_field(&mut out, field.name.as_bytes(), field.value, eol);
        }
    }
    push_field(&mut out, b"MIME-Version", b" 1.0", eol);
    let (content_type, encrypted_body) = mime::build_encrypted(&armored, &boundary());
    push_field(
        &mut out,
        b"Content-Type",
        format!(" {content_type}").as_bytes(),
        eol,
    );
    out.extend_from_slice(eol);
    if eol == b"\r\n" {
        out.extend_from_slice(encrypted_body.as_bytes());
    } else {
        out.extend_from_slice(encrypted_body.replace("\r\n", "\n").as_bytes());
    }
    Ok(Sealed::Encrypted(out))
}

/// The cryptographic payload: the message's MIME entity as it came, its
/// header fields protected beside it, and what the outside shows of them.
fn payload(fields: &[Field<'_>], body: &[u8], outer_subject: Option<&[u8]>, eol: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 4096);
    let mut typed = false;
    for field in fields.iter().filter(|f| is_mime(f)) {
        if is(field, "content-type") && !typed {
            let mut value = without_protection_parameters(trim_end(field.value));
            value.extend_from_slice(b"; protected-headers=\"v1\"; hp=\"cipher\"");
            push_field(&mut out, b"Content-Type", &value, eol);
            typed = true;
        } else if !is(field, "content-type") {
            push_field(&mut out, field.name.as_bytes(), field.value, eol);
        }
    }
    if !typed {
        // RFC 2045's default, said explicitly to carry the parameters.
        let value = b" text/plain; charset=us-ascii; protected-headers=\"v1\"; hp=\"cipher\"";
        push_field(&mut out, b"Content-Type", value, eol);
    }
    for field in fields {
        if !is_mime(field) && !is(field, "mime-version") && !is_transport(field) {
            push_field(&mut out, field.name.as_bytes(), field.value, eol);
        }
    }
    for field in fields.iter().filter(|f| is_exposed(f)) {
        let mut line = field.name.as_bytes().to_vec();
        line.push(b':');
        line.extend_from_slice(field.value);
        out.extend_from_slice(b"HP-Outer: ");
        out.extend_from_slice(&line);
        out.extend_from_slice(eol);
    }
    if let Some(subject) = outer_subject {
        out.extend_from_slice(b"HP-Outer: Subject:");
        out.extend_from_slice(subject);
        out.extend_from_slice(eol);
    }
    out.extend_from_slice(eol);
    out.extend_from_slice(body);
    out
}

/// How the message is already encrypted, if it is.
fn already_encrypted(fields: &[Field<'_>], body: &[u8]) -> Option<AlreadyEncrypted> {
    let content_type = fields
        .iter()
        .find(|f| is(f, "content-type"))
        .map(|f| String::from_utf8_lossy(f.value).to_ascii_lowercase());
    let media_type = content_type
        .as_deref()
        .map(|value| value.split(';').next().unwrap_or("").trim().to_owned());
    match media_type.as_deref() {
        Some("multipart/encrypted") => return Some(AlreadyEncrypted::PgpMime),
        Some("application/pkcs7-mime" | "application/x-pkcs7-mime")
            if content_type
                .as_deref()
                .is_some_and(|v| v.contains("enveloped-data")) =>
        {
            return Some(AlreadyEncrypted::Smime);
        }
        None | Some("text/plain") => {}
        Some(_) => return None,
    }
    // Inline PGP: a text body that begins with an armored message (Mailvelope, FlowCrypt, `gpg -a`).
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    body.get(start..)
        .is_some_and(|rest| rest.starts_with(b"-----BEGIN PGP MESSAGE-----"))
        .then_some(AlreadyEncrypted::InlinePgp)
}

fn is(field: &Field<'_>, name: &str) -> bool {
    field.name.eq_ignore_ascii_case(name)
}

fn is_mime(field: &Field<'_>) -> bool {
    field
        .name
        .get(..8)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("content-"))
}

fn is_transport(field: &Field<'_>) -> bool {
    TRANSPORT.iter().any(|name| is(field, name))
}

fn is_exposed(field: &Field<'_>) -> bool {
    EXPOSED.iter().any(|name| is(field, name))
}

fn push_field(out: &mut Vec<u8>, name: &[u8], value: &[u8], eol: &[u8]) {
    out.extend_from_slice(name);
    out.push(b':');
    out.extend_from_slice(value);
    out.extend_from_slice(eol);
}

/// A Content-Type value without its `hp` and `protected-headers`
/// parameters: the sender's own (a signed message's `hp="clear"`) would
/// otherwise stand beside ours and make the protection ambiguous.
fn without_protection_parameters(value: &[u8]) -> Vec<u8> {
    let mut pieces: Vec<&[u8]> = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (at, &byte) in value.iter().enumerate() {
        match byte {
            _ if escaped => escaped = false,
            b'\\' if quoted => escaped = true,
            b'"' => quoted = !quoted,
            b';' if !quoted => {
                pieces.push(value.get(start..at).unwrap_or_default());
                start = at + 1;
            }
            _ => {}
        }
    }
    pieces.push(value.get(start..).unwrap_or_default());
    let mut out = Vec::with_capacity(value.len());
    for (index, piece) in pieces.iter().enumerate() {
        let name: Vec<u8> = piece
            .split(|&b| b == b'=')
            .next()
            .unwrap_or_default()
            .iter()
            .filter(|b| !b.is_ascii_whitespace())
            .map(u8::to_ascii_lowercase)
            .collect();
        if index > 0 && (name == b"hp" || name == b"protected-headers") {
            continue;
        }
        if index > 0 {
            out.push(b';');
        }
        out.extend_from_slice(piece);
    }
    out
}

fn trim_end(value: &[u8]) -> &[u8] {
    let end = value
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |at| at + 1);
    value.get(..end).unwrap_or(value)
}

/// A MIME boundary no message text contains by chance.
fn boundary() -> String {
    format!(
        "sealmark-{:016x}{:016x}",
        rand::random::<u64>(),
        rand::random::<u64>()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openpgp::keys::{self, GenerateOptions, Profile};
    use crate::openpgp::message::{DecryptOptions, UnlockKey};
    use pgp::composed::SignedSecretKey;

    fn key() -> SignedSecretKey {
        keys::generate(&GenerateOptions {
            user_ids: vec!["<alice@example.org>".into()],
            passphrase: None,
            profile: Profile::Curve25519,
            expires_in: None,
        })
        .unwrap_or_else(|e| panic!("{e}"))
    }

    const PLAIN: &[u8] = b"Received: from mx.example.net by mail.example.org with ESMTPS id 1\r\n\
Authentication-Results: mail.example.org; dkim=pass header.d=example.net\r\n\
From: Bob <bob@example.net>\r\n\
To: alice@example.org\r\n\
Subject: The figures,\r\n for the board\r\n\
Date: Fri, 04 Dec 2026 10:00:00 +0000\r\n\
Message-ID: <1@example.net>\r\n\
Reply-To: private@example.net\r\n\
X-Mailer: Example\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: 8bit\r\n\
\r\n\
Quarterly figures: \xe2\x82\xac 12m.\r\n";

    fn sealed(raw: &[u8], key: &SignedSecretKey, keep_subject: bool) -> Vec<u8> {
        let recipients = [key.to_public_key()];
        match seal(
            raw,
            &SealOptions {
                recipients: &recipients,
                keep_subject,
            },
        ) {
            Ok(Sealed::Encrypted(out)) => out,
            other => panic!("{other:?}"),
        }
    }

    fn opened(sealed: &[u8], key: &SignedSecretKey) -> Vec<u8> {
        let Ok(mime::PgpMime::Encrypted { ciphertext, .. }) = mime::parse(sealed) else {
            panic!("not PGP/MIME: {}", String::from_utf8_lossy(sealed));
        };
        let keys = [UnlockKey {
            key,
            passphrase: None,
        }];
        message::decrypt(
            &ciphertext,
            &DecryptOptions {
                keys: &keys,
                ..DecryptOptions::default()
            },
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .data
    }

    fn header_of(message: &[u8]) -> String {
        String::from_utf8_lossy(fields::header_section(message)).into_owned()
    }

    #[test]
    fn outside_keeps_transport_and_addressing_and_obscures_the_subject() {
        let key = key();
        let out = sealed(PLAIN, &key, false);
        let outer = header_of(&out);
        assert!(
            outer.starts_with("Received: from mx.example.net"),
            "{outer}"
        );
        for kept in [
            "Authentication-Results: mail.example.org",
            "From: Bob <bob@example.net>",
            "To: alice@example.org",
            "Subject: [...]\r\n",
            "Date: Fri, 04 Dec 2026",
            "Message-ID: <1@example.net>",
            "MIME-Version: 1.0",
            "multipart/encrypted",
        ] {
            assert!(outer.contains(kept), "{kept} missing in {outer}");
        }
        for hidden in ["figures", "Reply-To", "private@", "X-Mailer"] {
            assert!(!outer.contains(hidden), "{hidden} outside: {outer}");
        }
        let text = String::from_utf8_lossy(&out).into_owned();
        assert!(!text.contains("Quarterly"), "no plaintext body outside");
    }

    #[test]
    fn inside_is_the_message_with_its_headers_protected() {
        let key = key();
        let inner = opened(&sealed(PLAIN, &key, false), &key);
        let text = String::from_utf8_lossy(&inner).into_owned();
        let (head, body) = text
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("{text}"));
        assert!(head.starts_with("Content-Type: text/plain; charset=utf-8; protected-headers=\"v1\"; hp=\"cipher\"\r\n"), "{head}");
        for inside in [
            "Content-Transfer-Encoding: 8bit",
            "Subject: The figures,\r\n for the board",
            "Reply-To: private@example.net",
            "X-Mailer: Example",
            "HP-Outer: From: Bob <bob@example.net>",
            "HP-Outer: Subject: [...]",
        ] {
            assert!(head.contains(inside), "{inside} missing in {head}");
        }
        assert!(
            !head.contains("Received:"),
            "transport fields stay outside only"
        );
        assert!(
            !head.contains("HP-Outer: Reply-To"),
            "a field not shown outside has no HP-Outer line"
        );
        assert_eq!(body.as_bytes(), "Quarterly figures: € 12m.\r\n".as_bytes());
        // The extension's reader finds the real Subject.
        assert_eq!(
            mime::read_content(&inner).subject.as_deref(),
            Some("The figures, for the board")
        );
    }

    #[test]
    fn the_subject_may_stay_outside_for_search() {
        let key = key();
        let out = sealed(PLAIN, &key, true);
        assert!(header_of(&out).contains("Subject: The figures,\r\n for the board\r\n"));
        let inner = String::from_utf8_lossy(&opened(&out, &key)).into_owned();
        assert!(
            inner.contains("HP-Outer: Subject: The figures,\r\n for the board\r\n"),
            "{inner}"
        );
    }

    #[test]
    fn already_encrypted_messages_pass_unchanged() {
        let key = key();
        let recipients = [key.to_public_key()];
        let options = SealOptions {
            recipients: &recipients,
            keep_subject: false,
        };
        let once = sealed(PLAIN, &key, false);
        assert_eq!(
            seal(&once, &options).ok(),
            Some(Sealed::Unchanged(AlreadyEncrypted::PgpMime))
        );
        let inline = b"From: a@example.org\nSubject: hi\n\n\n-----BEGIN PGP MESSAGE-----\n\nwcBMA\n-----END PGP MESSAGE-----\n";
        assert_eq!(
            seal(inline, &options).ok(),
            Some(Sealed::Unchanged(AlreadyEncrypted::InlinePgp))
        );
        let smime = b"From: a@example.org\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\n\nMIAGCSqGSIb3DQEHA6CAMIACAQAx\n";
        assert_eq!(
            seal(smime, &options).ok(),
            Some(Sealed::Unchanged(AlreadyEncrypted::Smime))
        );
        // A quoted block further down is no reason to store the message readable.
        let quoting = b"From: a@example.org\n\nSee below.\n-----BEGIN PGP MESSAGE-----\n";
        assert!(matches!(seal(quoting, &options), Ok(Sealed::Encrypted(_))));
    }

    #[test]
    fn a_signed_message_keeps_its_signed_part_byte_for_byte() {
        let key = key();
        let signed_part = b"Content-Type: text/plain\r\n\r\nSigned text.\t\r\n";
        let mut raw = b"From: b@example.net\r\nContent-Type: multipart/signed; boundary=\"s\"; protocol=\"application/pgp-signature\"; micalg=pgp-sha256\r\n\r\n--s\r\n".to_vec();
        raw.extend_from_slice(signed_part);
        raw.extend_from_slice(
            b"--s\r\nContent-Type: application/pgp-signature\r\n\r\nSIG\r\n--s--\r\n",
        );
        let inner = opened(&sealed(&raw, &key, false), &key);
        match mime::parse(&inner) {
            Ok(mime::PgpMime::Signed { signed, signature }) => {
                assert_eq!(signed, b"Content-Type: text/plain\r\n\r\nSigned text.\t");
                assert_eq!(signature, b"SIG");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bare_line_feeds_and_eight_bit_headers_are_kept() {
        let key = key();
        let raw = b"Received: by mx\nFrom: J\xc3\xbcrgen <j@example.de>\nSubject: Gr\xc3\xbc\xc3\x9fe\n\nHallo\n";
        let out = sealed(raw, &key, false);
        assert!(
            !out.windows(2).any(|w| w == b"\r\n"),
            "one line ending throughout"
        );
        let inner = opened(&out, &key);
        assert!(inner.starts_with(b"Content-Type: text/plain; charset=us-ascii; protected-headers=\"v1\"; hp=\"cipher\"\n"));
        let text = String::from_utf8_lossy(&inner);
        assert!(
            text.contains("From: Jürgen <j@example.de>\nSubject: Grüße\n"),
            "{text}"
        );
        assert!(text.ends_with("\n\nHallo\n"), "{text}");
    }

    #[test]
    fn the_senders_own_protection_parameters_give_way_to_ours() {
        assert_eq!(
            without_protection_parameters(b" multipart/signed; hp=\"clear\"; boundary=\"a;hp=x\";\r\n PROTECTED-HEADERS=v1; micalg=pgp-sha256"),
            b" multipart/signed; boundary=\"a;hp=x\"; micalg=pgp-sha256".to_vec()
        );
        assert_eq!(
            without_protection_parameters(b" text/plain"),
            b" text/plain".to_vec()
        );
        let key = key();
        let raw = b"From: a@example.org\r\nSubject: S\r\nContent-Type: text/plain; hp=\"clear\"\r\n\r\nBody\r\n";
        let inner = opened(&sealed(raw, &key, false), &key);
        let head = header_of(&inner);
        assert!(
            head.starts_with(
                "Content-Type: text/plain; protected-headers=\"v1\"; hp=\"cipher\"\r\n"
            ),
            "{head}"
        );
    }

    #[test]
    fn bad_input_is_an_error_never_a_half_message() {
        let key = key();
        let recipients = [key.to_public_key()];
        let options = SealOptions {
            recipients: &recipients,
            keep_subject: false,
        };
        assert!(matches!(seal(b"", &options), Err(SealError::NotAMessage)));
        assert!(matches!(
            seal(b"\r\n\r\nbody only", &options),
            Err(SealError::NotAMessage)
        ));
        let none = SealOptions {
            recipients: &[],
            keep_subject: false,
        };
        assert!(matches!(seal(PLAIN, &none), Err(SealError::NoRecipients)));
    }
}
