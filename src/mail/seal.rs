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
//!
//! [`seal_stream`] reads the header section, then streams the body through
//! the encryption, so a message of any size is sealed in bounded memory.

use std::io::{self, BufRead, Read, Write};

use pgp::composed::SignedPublicKey;

use super::pgp_mime::EncryptedFrame;
use crate::header::fields::{self, Field};
use crate::openpgp::OpenPgpError;
use crate::openpgp::message::{self, EncryptOptions};

/// The Subject outside a sealed message: RFC 9788's obscured value.
pub const OBSCURED_SUBJECT: &str = "[...]";

/// The longest header section read: far beyond any real message's, and
/// little enough to hold (the body is streamed, the header is not).
pub const MAX_HEADER: usize = 4 * 1024 * 1024;

/// How much of the body is looked at to tell an armored message in it.
const BODY_START: usize = 64 * 1024;

const ARMOR_BEGIN: &[u8] = b"-----BEGIN PGP MESSAGE-----";

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

/// What became of a streamed message; either way the output holds what to store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The output is the message sealed.
    Encrypted,
    /// The output is the message as it came: it was already encrypted.
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
    /// The header section is longer than [`MAX_HEADER`].
    #[error("the message's header section is longer than {} MiB", MAX_HEADER / 1024 / 1024)]
    HeaderTooLarge,
    /// Reading the message or writing the sealed one failed.
    #[error("cannot read the message or write the sealed one: {0}")]
    Io(#[from] io::Error),
    /// Encryption failed, e.g. a certificate that cannot encrypt.
    #[error(transparent)]
    OpenPgp(#[from] OpenPgpError),
}

/// Seals one message held in memory (see the module's description).
pub fn seal(raw: &[u8], options: &SealOptions<'_>) -> Result<Sealed, SealError> {
    let mut out = Vec::with_capacity(raw.len().saturating_mul(4) / 3 + 8192);
    let mut input = raw;
    match seal_stream(&mut input, &mut out, options)? {
        Outcome::Encrypted => Ok(Sealed::Encrypted(out)),
        Outcome::Unchanged(how) => Ok(Sealed::Unchanged(how)),
    }
}

/// Seals the message `input` yields into `output`, holding only its header
/// section and the encryption's buffers. Nothing is written before the
/// header is read and the certificates are accepted; an error after that
/// (reading or writing failed) leaves part of a message in `output`, which a
/// delivery filter's caller discards on its failure exit.
pub fn seal_stream(
    input: &mut impl BufRead,
    output: &mut impl Write,
    options: &SealOptions<'_>,
) -> Result<Outcome, SealError> {
    if options.recipients.is_empty() {
        return Err(SealError::NoRecipients);
    }
    let header = read_header(input)?;
    let fields = fields::split(&header);
    if fields.is_empty() {
        return Err(SealError::NotAMessage);
    }
    let body_start = read_body_start(input)?;
    if let Some(already) = already_encrypted(&fields, &body_start) {
        output.write_all(&header)?;
        output.write_all(&body_start)?;
        io::copy(input, output)?;
        output.flush()?;
        return Ok(Outcome::Unchanged(already));
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

    let frame = EncryptedFrame::new(&boundary());
    let mut outside = Vec::with_capacity(header.len() + frame.head.len() + 256);
    let mut subject_written = false;
    for field in &fields {
        if is(field, "subject") {
            if !subject_written {
                push_field(&mut outside, b"Subject", &outer_subject, eol);
                subject_written = true;
            }
        } else if is_transport(field) || is_exposed(field) {
            push_field(&mut outside, field.name.as_bytes(), field.value, eol);
        }
    }
    push_field(&mut outside, b"MIME-Version", b" 1.0", eol);
    let content_type = format!(" {}", frame.content_type);
    push_field(&mut outside, b"Content-Type", content_type.as_bytes(), eol);
    outside.extend_from_slice(eol);
    outside.extend_from_slice(&with_eol(&frame.head, eol));

    let protected = protected_header(&fields, subject.map(|_| outer_subject.as_slice()), eol);
    let payload = protected
        .as_slice()
        .chain(body_start.as_slice())
        .chain(input);
    let mut framed = Framed {
        out: output,
        head: Some(outside),
        crlf: eol == b"\r\n",
        last: 0,
    };
    message::encrypt_stream(
        payload,
        &mut framed,
        &EncryptOptions {
            recipients: options.recipients,
            armor: true,
            ..EncryptOptions::default()
        },
    )?;
    framed.start()?;
    if framed.last != b'\n' {
        framed.out.write_all(eol)?;
    }
    framed.out.write_all(&with_eol(&frame.tail, eol))?;
    framed.out.flush()?;
    Ok(Outcome::Encrypted)
}

/// The header section, up to and with the empty line that ends it (all of
/// the input when it has no body).
fn read_header(input: &mut impl BufRead) -> Result<Vec<u8>, SealError> {
    let mut header = Vec::new();
    loop {
        let start = header.len();
        let room = (MAX_HEADER + 1).saturating_sub(start) as u64;
        if input.take(room).read_until(b'\n', &mut header)? == 0 {
            return Ok(header);
        }
        if header.len() > MAX_HEADER {
            return Err(SealError::HeaderTooLarge);
        }
        if matches!(header.get(start..), Some(b"\n" | b"\r\n")) {
            return Ok(header);
        }
    }
}

/// The first octets of the body: enough to see whether, after any blank
/// lines, it begins as an armored message. One with more than 64 KiB of
/// blank space before its armor is sealed again, the safe way to be wrong.
fn read_body_start(input: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut start = Vec::new();
    while start.len() < BODY_START {
        let available = input.fill_buf()?;
        if available.is_empty() {
            break;
        }
        let take = available.len().min(BODY_START - start.len());
        start.extend_from_slice(available.get(..take).unwrap_or_default());
        input.consume(take);
        let text = start.iter().position(|b| !b.is_ascii_whitespace());
        if text.is_some_and(|at| start.len() - at >= ARMOR_BEGIN.len()) {
            break;
        }
    }
    Ok(start)
}

/// Text written with CRLF, in the message's own line ending.
fn with_eol(text: &str, eol: &[u8]) -> Vec<u8> {
    if eol == b"\r\n" {
        text.as_bytes().to_vec()
    } else {
        text.replace("\r\n", "\n").into_bytes()
    }
}

/// Where the armored message goes: the outside (header and the frame's head)
/// is written before its first octet, so certificates refused before
/// encryption starts leave the output empty, and the armor's line breaks
/// become the message's own.
struct Framed<'w, W: Write> {
    out: &'w mut W,
    head: Option<Vec<u8>>,
    crlf: bool,
    /// The last octet written, to tell an LF from the end of a CRLF across writes.
    last: u8,
}

impl<W: Write> Framed<'_, W> {
    fn start(&mut self) -> io::Result<()> {
        if let Some(head) = self.head.take() {
            self.out.write_all(&head)?;
        }
        Ok(())
    }
}

impl<W: Write> Write for Framed<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.start()?;
        if !self.crlf {
            self.out.write_all(buf)?;
            if let Some(&last) = buf.last() {
                self.last = last;
            }
        } else {
            let mut from = 0;
            for (at, &byte) in buf.iter().enumerate() {
                if byte == b'\n' && self.last != b'\r' {
                    self.out.write_all(buf.get(from..at).unwrap_or_default())?;
                    self.out.write_all(b"\r\n")?;
                    from = at + 1;
                }
                self.last = byte;
            }
            self.out.write_all(buf.get(from..).unwrap_or_default())?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The header of the cryptographic payload, up to the body: the message's
/// MIME fields as they came, its other header fields protected beside them,
/// and what the outside shows of them.
fn protected_header(fields: &[Field<'_>], outer_subject: Option<&[u8]>, eol: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    let mut typed = false;
    for field in fields.iter().filter(|f| is_mime(f)) {
        if is(field, "content-type") && !typed {
            let mut value = without_protection_parameters(field.value.trim_ascii_end());
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
        out.extend_from_slice(b"HP-Outer: ");
        push_field(&mut out, field.name.as_bytes(), field.value, eol);
    }
    if let Some(subject) = outer_subject {
        out.extend_from_slice(b"HP-Outer: ");
        push_field(&mut out, b"Subject", subject, eol);
    }
    out.extend_from_slice(eol);
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
        .is_some_and(|rest| rest.starts_with(ARMOR_BEGIN))
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
/// parameters (also in RFC 2231's `hp*=` and `hp*0*=` forms): the sender's
/// own (a signed message's `hp="clear"`) would otherwise stand beside ours
/// and make the protection ambiguous. A quote left open is closed, so that
/// the parameters added after it are parameters, not part of its value.
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
    let mut last_kept = false;
    for (index, piece) in pieces.iter().enumerate() {
        last_kept = false;
        let name: Vec<u8> = piece
            .split(|&b| b == b'=' || b == b'*')
            .next()
            .unwrap_or_default()
            .iter()
            .filter(|b| !b.is_ascii_whitespace())
            .map(u8::to_ascii_lowercase)
            .collect();
        let empty = piece.iter().all(u8::is_ascii_whitespace);
        if index > 0 && (empty || name == b"hp" || name == b"protected-headers") {
            continue;
        }
        if index > 0 {
            out.push(b';');
        }
        out.extend_from_slice(piece);
        last_kept = true;
    }
    // The open quote is in the last piece: closed only if that piece stayed.
    if quoted && last_kept {
        // A final backslash would escape the closing quote: it is escaped itself.
        if escaped {
            out.push(b'\\');
        }
        out.push(b'"');
    }
    out
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
    use crate::mail::pgp_mime as mime;
    use crate::openpgp::keys::{self, GenerateOptions, Profile};
    use crate::openpgp::message::DecryptOptions;
    use crate::openpgp::unlock::UnlockKey;
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

    /// Sealing to `recipients` with the Subject obscured.
    fn obscuring(recipients: &[SignedPublicKey]) -> SealOptions<'_> {
        SealOptions {
            recipients,
            keep_subject: false,
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
            mime::read_content(&inner)
                .protected
                .and_then(|p| p.subject)
                .as_deref(),
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
        let options = obscuring(&recipients);
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
        assert_eq!(
            without_protection_parameters(
                b" text/plain; hp*=us-ascii''clear; hp*0*=x; charset=utf-8;"
            ),
            b" text/plain; charset=utf-8".to_vec()
        );
        // An open quote would swallow the parameters added after it.
        assert_eq!(
            without_protection_parameters(b" multipart/mixed; boundary=\"x; hp=clear"),
            b" multipart/mixed; boundary=\"x; hp=clear\"".to_vec()
        );
        // ...unless the piece it opened in is the one dropped.
        assert_eq!(
            without_protection_parameters(b" text/plain; hp=\"clear"),
            b" text/plain".to_vec()
        );
        assert_eq!(
            without_protection_parameters(b" text/plain; a=\"b\\"),
            b" text/plain; a=\"b\\\\\"".to_vec()
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
        let options = obscuring(&recipients);
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

    /// Yields its bytes a few at a time, then fails if told to: a pipe that breaks midway.
    struct Trickle<'a> {
        rest: &'a [u8],
        fail_after: Option<usize>,
        given: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.fail_after.is_some_and(|at| self.given >= at) {
                return Err(io::Error::other("the pipe broke"));
            }
            let n = out.len().min(self.rest.len()).min(7);
            let (now, later) = self.rest.split_at(n);
            out.get_mut(..n).unwrap_or_default().copy_from_slice(now);
            self.rest = later;
            self.given += n;
            Ok(n)
        }
    }

    #[test]
    fn streamed_in_small_pieces_it_seals_the_same_and_a_broken_input_is_an_error() {
        let key = key();
        let recipients = [key.to_public_key()];
        let options = obscuring(&recipients);
        let mut input = io::BufReader::with_capacity(
            16,
            Trickle {
                rest: PLAIN,
                fail_after: None,
                given: 0,
            },
        );
        let mut out = Vec::new();
        assert!(matches!(
            seal_stream(&mut input, &mut out, &options),
            Ok(Outcome::Encrypted)
        ));
        let whole = sealed(PLAIN, &key, false);
        assert_eq!(
            header_of(&out).lines().count(),
            header_of(&whole).lines().count()
        );
        assert_eq!(opened(&out, &key), opened(&whole, &key));

        let mut broken = io::BufReader::with_capacity(
            16,
            Trickle {
                rest: PLAIN,
                fail_after: Some(PLAIN.len() - 3),
                given: 0,
            },
        );
        let mut out = Vec::new();
        assert!(matches!(
            seal_stream(&mut broken, &mut out, &options),
            Err(SealError::Io(_)) | Err(SealError::OpenPgp(_))
        ));
    }

    #[test]
    fn a_refused_certificate_leaves_the_output_empty() {
        let key = key();
        // A certificate whose only encryption subkey is gone cannot be encrypted to.
        let mut signing_only = key.to_public_key();
        signing_only.public_subkeys.clear();
        let recipients = [signing_only];
        let options = obscuring(&recipients);
        let mut out = Vec::new();
        let mut input = PLAIN;
        assert!(seal_stream(&mut input, &mut out, &options).is_err());
        assert!(out.is_empty(), "{}", String::from_utf8_lossy(&out));
    }
}
