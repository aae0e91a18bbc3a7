//! What a decrypted message holds, read in the call that decrypted it: the
//! MIME entity PGP/MIME encrypts (text, HTML, attachments, the protected
//! header fields and where the outside differs from them) or plain text, and
//! the keys its sender gossiped for the other recipients. The reader gets all
//! of it from one call; the plaintext never travels back into the core.

use serde::Serialize;

use super::autocrypt::{self, Header};
use super::pgp_mime::{self, Content, Field, Headers};
use crate::header::fields;

/// A decrypted message's inside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inner {
    /// Its content: a MIME entity's parts, or the text itself.
    pub content: Content,
    /// With the outside given: the protected fields whose value differs from it.
    pub differences: Vec<Field>,
    /// Keys gossiped in its header (Autocrypt Level 1 §2.7), valid ones only.
    pub gossip: Vec<Header>,
}

/// Why a plaintext could not be shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InnerError {
    /// Neither a MIME entity nor UTF-8 text: binary data, for a file view.
    #[error("the decrypted data is not UTF-8 text")]
    NotText,
}

/// Reads a decrypted message: a MIME entity when its first lines are MIME
/// header fields (a Content-Type or MIME-Version field), text otherwise.
/// `outer` is what the message's outside showed, where the caller read it.
pub fn read(plaintext: &[u8], outer: Option<&Headers>) -> Result<Inner, InnerError> {
    let gossip = autocrypt::gossip(plaintext);
    if !is_mime_entity(plaintext) {
        let text = std::str::from_utf8(plaintext).map_err(|_| InnerError::NotText)?;
        return Ok(Inner {
            content: Content {
                text: Some(text.to_owned()),
                ..Content::default()
            },
            differences: Vec::new(),
            gossip,
        });
    }
    let content = pgp_mime::read_content(plaintext);
    let differences = match (&content.protected, outer) {
        (Some(inside), Some(outside)) => inside.differences(outside),
        _ => Vec::new(),
    };
    Ok(Inner {
        content,
        differences,
        gossip,
    })
}

/// A MIME entity starts with header fields, among them Content-Type or
/// MIME-Version; text that merely mentions them further down is text.
fn is_mime_entity(plaintext: &[u8]) -> bool {
    let section = fields::header_section(plaintext);
    // Text whose first line is no field is no entity, whatever follows.
    let first_line = section.split(|&b| b == b'\n').next().unwrap_or_default();
    let starts_with_field = first_line
        .iter()
        .position(|&b| b == b':')
        .is_some_and(|colon| {
            first_line
                .get(..colon)
                .is_some_and(|name| !name.is_empty() && name.iter().all(|b| b.is_ascii_graphic()))
        });
    starts_with_field
        && fields::split(section).iter().any(|field| {
            field.name.eq_ignore_ascii_case("content-type")
                || field.name.eq_ignore_ascii_case("mime-version")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_text_and_an_entity_is_read_as_one() {
        let text = read(b"Hello,\nContent-Type: is just a phrase here\n", None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            text.content.text.as_deref(),
            Some("Hello,\nContent-Type: is just a phrase here\n")
        );
        let entity = read(
            b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe plan.\r\n--b\r\nContent-Type: text/plain; name=a.txt\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nstep 1\r\n--b--\r\n",
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(entity.content.text.as_deref(), Some("The plan."));
        assert_eq!(entity.content.attachments.len(), 1);
    }

    #[test]
    fn protected_fields_are_compared_with_the_outside() {
        let inside = b"Content-Type: text/plain; protected-headers=v1\r\nSubject: The real one\r\nFrom: a@example.org\r\n\r\nbody\r\n";
        let outer = Headers {
            subject: Some("...".into()),
            ..Headers::default()
        };
        let read = read(inside, Some(&outer)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.differences, vec![Field::Subject, Field::From]);
    }

    #[test]
    fn binary_data_is_not_shown_as_text() {
        assert_eq!(read(&[0xff, 0xfe, 0x00], None), Err(InnerError::NotText));
    }
}
