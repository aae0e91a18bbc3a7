//! PGP/MIME (RFC 3156) and header protection: reading `multipart/encrypted`
//! and `multipart/signed` messages from their raw source, reading the MIME
//! entity inside a decrypted message (text, HTML, attachments, the protected
//! header fields, RFC 9788), and building the bodies Sealmark sends.

use mail_parser::decoders::{base64::base64_decode, quoted_printable::quoted_printable_decode};
use mail_parser::{Address, Encoding, Message, MessageParser, MessagePart, MimeHeaders, PartType};
use serde::{Deserialize, Serialize};

use crate::openpgp::canonical_crlf;
use crate::openpgp::{OpenPgpError, Result};

/// The Subject shown outside an encrypted message whose real Subject is
/// protected inside it (the convention of the header-protection draft).
pub const PLACEHOLDER_SUBJECT: &str = "...";

/// What PGP/MIME structure a raw message has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PgpMime {
    /// `multipart/encrypted`: the armored ciphertext of its second part.
    Encrypted {
        /// The `application/octet-stream` part: an armored PGP message.
        ciphertext: Vec<u8>,
        /// What the outside of the message shows, to compare with the
        /// header fields protected inside.
        outer: Headers,
    },
    /// `multipart/signed`: the signed entity and its detached signature.
    Signed {
        /// The first part, headers included, with CRLF line endings: exactly the signed bytes.
        signed: Vec<u8>,
        /// The `application/pgp-signature` part.
        signature: Vec<u8>,
    },
    /// Neither.
    None,
}

/// Finds the PGP/MIME structure of a raw message.
pub fn parse(raw: &[u8]) -> Result<PgpMime> {
    let message = MessageParser::default()
        .parse(raw)
        .ok_or_else(|| OpenPgpError::BadMessage("not a MIME message".into()))?;
    let root = message.root_part();
    let Some(content_type) = root.content_type() else {
        return Ok(PgpMime::None);
    };
    let subtype = content_type.subtype().unwrap_or("").to_ascii_lowercase();
    let protocol = content_type
        .attribute("protocol")
        .unwrap_or("")
        .to_ascii_lowercase();
    let PartType::Multipart(children) = &root.body else {
        return Ok(PgpMime::None);
    };
    let child = |index: usize| {
        children
            .get(index)
            .and_then(|&id| message.parts.get(id as usize))
    };
    match (subtype.as_str(), protocol.as_str()) {
        ("encrypted", "application/pgp-encrypted") => {
            let payload = child(1).ok_or_else(|| {
                OpenPgpError::BadMessage("multipart/encrypted without its second part".into())
            })?;
            Ok(PgpMime::Encrypted {
                ciphertext: payload.contents().to_vec(),
                outer: headers_of(&message),
            })
        }
        ("signed", "application/pgp-signature") => {
            let (Some(signed), Some(signature)) = (child(0), child(1)) else {
                return Err(OpenPgpError::BadMessage(
                    "multipart/signed needs two parts".into(),
                ));
            };
            let start = signed.offset_header as usize;
            let end = (signed.offset_end as usize).max(start);
            let bytes = raw
                .get(start..end)
                .ok_or_else(|| OpenPgpError::BadMessage("damaged MIME structure".into()))?;
            Ok(PgpMime::Signed {
                signed: canonical_crlf(bytes),
                signature: signature.contents().to_vec(),
            })
        }
        _ => Ok(PgpMime::None),
    }
}

/// An attachment of a decrypted message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    /// The file name, when given.
    pub name: Option<String>,
    /// `type/subtype`.
    pub content_type: String,
    /// The decoded bytes.
    #[serde(skip)]
    pub data: Vec<u8>,
    /// Size in bytes.
    pub size: usize,
}

/// The content of a decrypted MIME entity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Content {
    /// The plain-text body.
    pub text: Option<String>,
    /// The HTML body, unsanitised: display only after sanitising.
    pub html: Option<String>,
    /// The protected header fields, when the sender protected them
    /// (`protected-headers` or `hp` on the entity's Content-Type).
    pub protected: Option<Headers>,
    /// Attachments.
    pub attachments: Vec<Attachment>,
}

/// The header fields a reader compares between a message's outside and
/// the copy protected inside it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
// Named in TypeScript as the Wasm face has always named it.
#[cfg_attr(target_arch = "wasm32", tsify(rename = "HeaderFields"))]
pub struct Headers {
    /// The Subject, decoded.
    pub subject: Option<String>,
    /// The From mailboxes.
    pub from: Vec<Mailbox>,
    /// The To mailboxes.
    pub to: Vec<Mailbox>,
    /// The Cc mailboxes.
    pub cc: Vec<Mailbox>,
}

/// One mailbox of an address field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Mailbox {
    /// The display name, decoded, when given.
    pub name: Option<String>,
    /// The address, when given.
    pub address: Option<String>,
}

/// A field whose protected value differs from what the outside shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(rename = "ProtectedField"))]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// The Subject; a placeholder outside is the point of protecting it.
    Subject,
    /// From: the outside names another sender than the inside (neither is
    /// proof of the writer; a signature is).
    From,
    /// To.
    To,
    /// Cc.
    Cc,
}

impl Headers {
    /// The fields whose protected value (`self`) differs from `outer`; a
    /// field the sender did not protect is not compared. Address fields are
    /// compared by their addresses, ignoring case and order; names are the
    /// sender's to choose and differ harmlessly.
    pub fn differences(&self, outer: &Headers) -> Vec<Field> {
        let addresses = |list: &[Mailbox]| {
            let mut all: Vec<String> = list
                .iter()
                .filter_map(|m| m.address.as_deref())
                .map(str::to_ascii_lowercase)
                .collect();
            all.sort();
            all.dedup();
            all
        };
        let mut differ = Vec::new();
        if self
            .subject
            .as_deref()
            .is_some_and(|inside| Some(inside.trim()) != outer.subject.as_deref().map(str::trim))
        {
            differ.push(Field::Subject);
        }
        for (field, inside, outside) in [
            (Field::From, &self.from, &outer.from),
            (Field::To, &self.to, &outer.to),
            (Field::Cc, &self.cc, &outer.cc),
        ] {
            if !inside.is_empty() && addresses(inside) != addresses(outside) {
                differ.push(field);
            }
        }
        differ
    }
}

/// The compared header fields of a parsed message.
fn headers_of(message: &Message<'_>) -> Headers {
    let mailboxes = |field: Option<&Address<'_>>| {
        field
            .map(|address| {
                address
                    .iter()
                    .map(|addr| Mailbox {
                        name: addr.name().map(str::to_owned),
                        address: addr.address().map(str::to_owned),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    Headers {
        subject: message.subject().map(str::to_owned),
        from: mailboxes(message.from()),
        to: mailboxes(message.to()),
        cc: mailboxes(message.cc()),
    }
}

/// Reads decrypted data as a MIME entity (what PGP/MIME encrypts), or as
/// plain text when it is not one.
pub fn read_content(entity: &[u8]) -> Content {
    let looks_like_mime = entity
        .windows(13)
        .take(4096)
        .any(|w| w.eq_ignore_ascii_case(b"content-type:"));
    let parsed = looks_like_mime
        .then(|| MessageParser::default().parse(entity))
        .flatten();
    let Some(message) = parsed else {
        return Content {
            text: Some(String::from_utf8_lossy(entity).into_owned()),
            ..Content::default()
        };
    };
    // RFC 9788 marks protection with `hp`; its drafts and today's clients with `protected-headers`.
    let protected = message
        .root_part()
        .content_type()
        .is_some_and(|c| c.attribute("protected-headers").is_some() || c.attribute("hp").is_some());
    Content {
        text: message.body_text(0).map(|t| t.replace("\r\n", "\n")),
        // mail-parser answers a text part as HTML too: only a part written as HTML is shown as one.
        html: message
            .html_bodies()
            .any(|part| matches!(part.body, PartType::Html(_)))
            .then(|| message.body_html(0))
            .flatten()
            .map(|h| h.into_owned()),
        protected: protected.then(|| headers_of(&message)),
        attachments: message
            .attachments()
            .map(|part| Attachment {
                name: part.attachment_name().map(str::to_owned),
                content_type: part
                    .content_type()
                    .map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or("octet-stream")))
                    .unwrap_or_else(|| "application/octet-stream".to_owned()),
                size: attachment_bytes(&message, part).len(),
                data: attachment_bytes(&message, part),
            })
            .collect(),
    }
}

/// An attachment's bytes as they were sent. mail-parser decodes a text part
/// (`text/plain`, `text/csv`…) into UTF-8, converting its charset and
/// replacing what is not text: a file saved from it would not be the file
/// sent. Such a part's raw body is decoded here from its transfer encoding alone.
fn attachment_bytes(message: &Message<'_>, part: &MessagePart<'_>) -> Vec<u8> {
    if !matches!(part.body, PartType::Text(_) | PartType::Html(_)) {
        return part.contents().to_vec();
    }
    let start = usize::try_from(part.raw_body_offset()).unwrap_or(usize::MAX);
    let end = usize::try_from(part.raw_end_offset()).unwrap_or(usize::MAX);
    let Some(body) = message.raw_message().get(start..end) else {
        return part.contents().to_vec();
    };
    // mail-parser's end offset already leaves out the line break that belongs to the next boundary.
    let decoded = match part.encoding {
        Encoding::Base64 => base64_decode(body),
        Encoding::QuotedPrintable => quoted_printable_decode(body),
        Encoding::None => Some(body.to_vec()),
    };
    decoded.unwrap_or_else(|| part.contents().to_vec())
}

/// A file the writer attaches, sent inside the encrypted entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingFile {
    /// The file's name as the writer's system gave it.
    pub name: String,
    /// Its media type as the writer's system guessed it; anything that is not
    /// a plain `type/subtype` is sent as `application/octet-stream`.
    pub content_type: String,
    /// Its bytes.
    pub data: Vec<u8>,
}

/// The MIME entity to encrypt: the text, the real Subject protected inside
/// (the outer message then carries [`PLACEHOLDER_SUBJECT`]), any extra
/// header lines (Autocrypt-Gossip), each without its line break, and the
/// attached files. Without files it is one `text/plain` entity; with files,
/// a `multipart/mixed` one whose first part is the text (as Mailvelope and
/// mail clients write it), its boundary random so no content can end a part.
pub fn build_payload(
    text: &str,
    subject: Option<&str>,
    extra_headers: &[String],
    files: &[OutgoingFile],
) -> String {
    let boundary = format!("sealmark-{:032x}", rand::random::<u128>());
    let mut out = if files.is_empty() {
        String::from("Content-Type: text/plain; charset=utf-8")
    } else {
        format!("Content-Type: multipart/mixed; boundary=\"{boundary}\"")
    };
    if subject.is_some() {
        out.push_str("; protected-headers=\"v1\"");
    }
    out.push_str("\r\n");
    if files.is_empty() {
        out.push_str("Content-Transfer-Encoding: 8bit\r\n");
    } else {
        out.push_str("MIME-Version: 1.0\r\n");
    }
    if let Some(subject) = subject {
        out.push_str(&format!("Subject: {}\r\n", one_line(subject)));
    }
    for header in extra_headers {
        out.push_str(header);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    let text = text.replace("\r\n", "\n").replace('\n', "\r\n");
    if files.is_empty() {
        out.push_str(&text);
        return out;
    }
    out.push_str(&format!(
        "--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{text}\r\n"
    ));
    for file in files {
        out.push_str(&format!(
            "--{boundary}\r\nContent-Type: {}; {}\r\nContent-Disposition: attachment; {}\r\nContent-Transfer-Encoding: base64\r\n\r\n",
            media_type(&file.content_type),
            parameter("name", &file.name),
            parameter("filename", &file.name),
        ));
        out.push_str(&base64_lines(&file.data));
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    out
}

/// A header value on one line: a line break in it would start a header of the writer's choosing.
fn one_line(value: &str) -> String {
    value
        .chars()
        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
        .collect()
}

/// A media type as sent: `type/subtype` of token characters, else `application/octet-stream`.
fn media_type(given: &str) -> String {
    let token = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
    };
    match given.trim().split_once('/') {
        Some((kind, sub)) if token(kind) && token(sub) => given.trim().to_ascii_lowercase(),
        _ => "application/octet-stream".to_owned(),
    }
}

/// A file name parameter: quoted when it is printable ASCII, else RFC 2231's
/// `name*=utf-8''…` with every other byte percent-encoded.
fn parameter(key: &str, name: &str) -> String {
    let name = one_line(name);
    // `=?` would be read as an RFC 2047 encoded word inside the quotes by mail-parser and Python alike.
    let plain = !name.contains("=?")
        && name
            .bytes()
            .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\');
    if plain && !name.is_empty() {
        return format!("{key}=\"{name}\"");
    }
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("{key}*=utf-8''{encoded}")
}

/// Base64 in lines of 76 characters, each ending in CRLF (RFC 2045 §6.8).
fn base64_lines(data: &[u8]) -> String {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(data);
    let mut out = String::with_capacity(encoded.len() + encoded.len() / 76 * 2 + 2);
    for line in encoded.as_bytes().chunks(76) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push_str("\r\n");
    }
    out
}

/// A `multipart/encrypted` body around armored ciphertext: the Content-Type
/// header value and the body, as RFC 3156 §4 lays them out.
pub fn build_encrypted(armored: &str, boundary: &str) -> (String, String) {
    let frame = EncryptedFrame::new(boundary);
    let armored = armored
        .trim_end()
        .replace("\r\n", "\n")
        .replace('\n', "\r\n");
    let body = format!("{}{armored}\r\n{}", frame.head, frame.tail);
    (frame.content_type, body)
}

/// The `multipart/encrypted` structure without its ciphertext, for a writer
/// that streams the armored message between `head` and `tail` (CRLF line
/// endings; the armored message ends with its line break).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptedFrame {
    /// The Content-Type header value.
    pub content_type: String,
    /// The body up to the armored message.
    pub head: String,
    /// The body after it.
    pub tail: String,
}

impl EncryptedFrame {
    /// The frame with this MIME boundary.
    pub fn new(boundary: &str) -> Self {
        Self {
            content_type: format!(
                "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"{boundary}\""
            ),
            head: format!(
                "This is an OpenPGP/MIME encrypted message (RFC 3156).\r\n\
                 --{boundary}\r\n\
                 Content-Type: application/pgp-encrypted\r\n\
                 Content-Description: PGP/MIME version identification\r\n\
                 \r\n\
                 Version: 1\r\n\
                 \r\n\
                 --{boundary}\r\n\
                 Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n\
                 Content-Description: OpenPGP encrypted message\r\n\
                 Content-Disposition: inline; filename=\"encrypted.asc\"\r\n\
                 \r\n"
            ),
            tail: format!("--{boundary}--\r\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_part_is_exact_and_canonical() {
        let raw = b"From: a@example.org\nContent-Type: multipart/signed; boundary=\"XX\"; protocol=\"application/pgp-signature\"; micalg=pgp-sha512\n\n--XX\nContent-Type: text/plain\n\nHello\n\n--XX\nContent-Type: application/pgp-signature\n\nSIG\n--XX--\n";
        match parse(raw) {
            Ok(PgpMime::Signed { signed, signature }) => {
                assert_eq!(signed, b"Content-Type: text/plain\r\n\r\nHello\r\n");
                assert_eq!(signature, b"SIG");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn encrypted_round_trip_of_the_structure() {
        let (content_type, body) = build_encrypted(
            "-----BEGIN PGP MESSAGE-----\n\nAAAA\n-----END PGP MESSAGE-----\n",
            "b0und",
        );
        let raw = format!(
            "From: a@example.org\r\nSubject: {PLACEHOLDER_SUBJECT}\r\nContent-Type: {content_type}\r\n\r\n{body}"
        );
        match parse(raw.as_bytes()) {
            Ok(PgpMime::Encrypted { ciphertext, outer }) => {
                assert_eq!(outer.subject.as_deref(), Some(PLACEHOLDER_SUBJECT));
                assert_eq!(
                    outer.from.first().and_then(|m| m.address.as_deref()),
                    Some("a@example.org")
                );
                assert!(
                    String::from_utf8_lossy(&ciphertext).starts_with("-----BEGIN PGP MESSAGE-----")
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse(b"From: a@example.org\r\nSubject: x\r\n\r\nplain"),
            Ok(PgpMime::None)
        );
    }

    #[test]
    fn protected_fields_are_read_and_compared_with_the_outside() {
        let inside = b"Content-Type: text/plain; charset=utf-8; hp=\"cipher\"\r\n\
From: Alice <alice@example.org>\r\nTo: bob@example.org, Carol <carol@example.org>\r\n\
Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n\r\nHello\r\n";
        let content = read_content(inside);
        let Some(protected) = content.protected else {
            panic!("hp marks protected header fields")
        };
        assert_eq!(protected.subject.as_deref(), Some("Grüße"));
        assert_eq!(protected.to.len(), 2);
        assert_eq!(protected.to[1].name.as_deref(), Some("Carol"));
        let outside = b"From: \"Alice A.\" <ALICE@example.org>\r\nTo: Carol <carol@example.org>, bob@example.org\r\nSubject: [...]\r\n\r\n";
        let Ok(message) = MessageParser::default().parse(outside.as_slice()).ok_or(()) else {
            panic!("parses")
        };
        // Names and order differ harmlessly; the Subject is hidden outside.
        assert_eq!(
            protected.differences(&headers_of(&message)),
            vec![Field::Subject]
        );
        let spoofed = b"From: Mallory <mallory@example.net>\r\nTo: bob@example.org\r\nSubject: Gr=C3=BC\r\n\r\n";
        let Some(message) = MessageParser::default().parse(spoofed.as_slice()) else {
            panic!("parses")
        };
        assert_eq!(
            protected.differences(&headers_of(&message)),
            vec![Field::Subject, Field::From, Field::To]
        );
        // A field left unprotected (Sealmark's editor protects the Subject only) is not compared.
        let subject_only = read_content(build_payload("Hi", Some("Real"), &[], &[]).as_bytes());
        let Some(subject_only) = subject_only.protected else {
            panic!("protected-headers marks protection")
        };
        assert_eq!(
            subject_only.differences(&headers_of(&message)),
            vec![Field::Subject]
        );
        // Without a marker, header fields in the entity are no claim of the sender's.
        assert_eq!(
            read_content(b"Content-Type: text/plain\r\nSubject: x\r\n\r\nHi").protected,
            None
        );
    }

    #[test]
    fn protected_subject_is_read_back() {
        let payload = build_payload(
            "Body text\nsecond line",
            Some("The real subject\r\nInjected: header"),
            &[],
            &[],
        );
        let content = read_content(payload.as_bytes());
        assert_eq!(
            content
                .protected
                .as_ref()
                .and_then(|p| p.subject.as_deref()),
            Some("The real subject  Injected: header")
        );
        assert_eq!(content.text.as_deref(), Some("Body text\nsecond line"));
    }

    #[test]
    fn files_travel_inside_with_the_text_and_the_protected_subject() {
        let files = [
            OutgoingFile {
                name: "report.pdf".into(),
                content_type: "application/pdf".into(),
                data: b"%PDF-1.7 binary \x00\xff".to_vec(),
            },
            OutgoingFile {
                name: "Grüße \"aus\" Köln\r\nX-Injected: yes.txt".into(),
                content_type: "text/plain\r\nX-Injected: yes".into(),
                data: (0..=255u8).cycle().take(5000).collect(),
            },
        ];
        let payload = build_payload("See the two files.\n", Some("Figures"), &[], &files);
        assert!(
            !payload.contains("\r\nX-Injected"),
            "no header of the writer's choosing"
        );
        let content = read_content(payload.as_bytes());
        assert_eq!(
            content.text.as_deref().map(str::trim),
            Some("See the two files.")
        );
        assert_eq!(content.html, None, "a text message has no HTML to show");
        assert_eq!(
            content
                .protected
                .as_ref()
                .and_then(|p| p.subject.as_deref()),
            Some("Figures")
        );
        let names: Vec<_> = content
            .attachments
            .iter()
            .map(|a| a.name.as_deref())
            .collect();
        assert_eq!(
            names,
            [
                Some("report.pdf"),
                Some("Grüße \"aus\" Köln  X-Injected: yes.txt")
            ]
        );
        assert_eq!(content.attachments[0].data, files[0].data);
        assert_eq!(content.attachments[1].data, files[1].data);
        assert_eq!(content.attachments[0].content_type, "application/pdf");
        assert_eq!(
            content.attachments[1].content_type,
            "application/octet-stream"
        );
        // Without files the entity stays one text part, as before.
        assert!(build_payload("Hi", None, &[], &[]).starts_with("Content-Type: text/plain"));
    }

    #[test]
    fn a_text_file_is_saved_as_it_was_sent_whatever_its_charset_and_encoding() {
        // Windows-1252 "é" and a stray 0xFF: not UTF-8, as a CSV from a spreadsheet often is.
        let latin = b"caf\xe9;1\r\nna\xefve;\xff\r\n";
        use base64::Engine as _;
        let encoded = base64::engine::general_purpose::STANDARD.encode(latin);
        let entity = [
            &b"Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"[..],
            b"--m\r\nContent-Type: text/csv; charset=windows-1252\r\nContent-Disposition: attachment; filename=\"a.csv\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
            encoded.as_bytes(),
            b"\r\n--m\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"b.txt\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
            latin,
            b"\r\n--m\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: attachment; filename=\"c.txt\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=E9 =FF end\r\n--m--\r\n",
        ]
        .concat();
        let content = read_content(&entity);
        let files: Vec<_> = content
            .attachments
            .iter()
            .map(|a| (a.name.as_deref(), a.data.clone(), a.size))
            .collect();
        assert_eq!(
            files,
            [
                (Some("a.csv"), latin.to_vec(), latin.len()),
                (Some("b.txt"), latin.to_vec(), latin.len()),
                (Some("c.txt"), b"caf\xe9 \xff end".to_vec(), 10),
            ]
        );
    }

    #[test]
    fn html_is_offered_only_where_the_sender_wrote_html() {
        let alternative = b"Content-Type: multipart/alternative; boundary=\"a\"\r\n\r\n--a\r\nContent-Type: text/plain\r\n\r\nPlain\r\n--a\r\nContent-Type: text/html\r\n\r\n<p>Rich</p>\r\n--a--\r\n";
        let content = read_content(alternative);
        assert_eq!(content.text.as_deref().map(str::trim), Some("Plain"));
        assert!(
            content
                .html
                .as_deref()
                .is_some_and(|h| h.contains("<p>Rich</p>"))
        );
        let html_only = read_content(b"Content-Type: text/html\r\n\r\n<b>Only</b>\r\n");
        assert!(
            html_only
                .html
                .as_deref()
                .is_some_and(|h| h.contains("<b>Only</b>"))
        );
        assert_eq!(
            read_content(b"Content-Type: text/plain\r\n\r\nText\r\n").html,
            None
        );
    }

    #[test]
    fn attachments_and_plain_data() {
        let entity = "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--m\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\nContent-Disposition: attachment; filename=\"report.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--m--\r\n";
        let content = read_content(entity.as_bytes());
        assert_eq!(
            content.text.as_deref().map(str::trim),
            Some("See attached.")
        );
        assert_eq!(content.attachments.len(), 1);
        assert_eq!(content.attachments[0].name.as_deref(), Some("report.pdf"));
        assert_eq!(content.attachments[0].data, b"%PDF-");
        assert_eq!(
            read_content(b"just text").text.as_deref(),
            Some("just text")
        );
    }
}
