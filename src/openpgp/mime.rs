//! PGP/MIME (RFC 3156) and header protection: reading `multipart/encrypted`
//! and `multipart/signed` messages from their raw source, reading the MIME
//! entity inside a decrypted message (text, HTML, attachments, the protected
//! Subject), and building the bodies Sealmark sends.

use mail_parser::{MessageParser, MimeHeaders, PartType};
use serde::Serialize;

use super::canonical_crlf;
use super::error::{OpenPgpError, Result};

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
    /// The protected Subject, when the sender protected it.
    pub subject: Option<String>,
    /// Attachments.
    pub attachments: Vec<Attachment>,
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
    let protected = message
        .root_part()
        .content_type()
        .and_then(|c| c.attribute("protected-headers"))
        .is_some();
    Content {
        text: message.body_text(0).map(|t| t.replace("\r\n", "\n")),
        html: message
            .body_html(0)
            .filter(|_| message.html_body_count() > 0)
            .map(|h| h.into_owned()),
        subject: message.subject().filter(|_| protected).map(str::to_owned),
        attachments: message
            .attachments()
            .map(|part| Attachment {
                name: part.attachment_name().map(str::to_owned),
                content_type: part
                    .content_type()
                    .map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or("octet-stream")))
                    .unwrap_or_else(|| "application/octet-stream".to_owned()),
                size: part.contents().len(),
                data: part.contents().to_vec(),
            })
            .collect(),
    }
}

/// The MIME entity to encrypt: the text, the real Subject protected inside
/// (the outer message then carries [`PLACEHOLDER_SUBJECT`]) and any extra
/// header lines (Autocrypt-Gossip), each without its line break.
pub fn build_payload(text: &str, subject: Option<&str>, extra_headers: &[String]) -> String {
    let mut out = String::from("Content-Type: text/plain; charset=utf-8");
    if subject.is_some() {
        out.push_str("; protected-headers=\"v1\"");
    }
    out.push_str("\r\nContent-Transfer-Encoding: 8bit\r\n");
    if let Some(subject) = subject {
        // A header value may not contain line breaks.
        let subject: String = subject
            .chars()
            .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
            .collect();
        out.push_str(&format!("Subject: {subject}\r\n"));
    }
    for header in extra_headers {
        out.push_str(header);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    out.push_str(&text.replace("\r\n", "\n").replace('\n', "\r\n"));
    out
}

/// A `multipart/encrypted` body around armored ciphertext: the Content-Type
/// header value and the body, as RFC 3156 §4 lays them out.
pub fn build_encrypted(armored: &str, boundary: &str) -> (String, String) {
    let content_type = format!(
        "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"{boundary}\""
    );
    let body = format!(
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
         \r\n\
         {}\r\n\
         --{boundary}--\r\n",
        armored
            .trim_end()
            .replace("\r\n", "\n")
            .replace('\n', "\r\n")
    );
    (content_type, body)
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
            Ok(PgpMime::Encrypted { ciphertext }) => {
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
    fn protected_subject_is_read_back() {
        let payload = build_payload(
            "Body text\nsecond line",
            Some("The real subject\r\nInjected: header"),
            &[],
        );
        let content = read_content(payload.as_bytes());
        assert_eq!(
            content.subject.as_deref(),
            Some("The real subject  Injected: header")
        );
        assert_eq!(content.text.as_deref(), Some("Body text\nsecond line"));
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
