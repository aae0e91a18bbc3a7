//! What a message's header says before any OpenPGP is loaded: who sent it,
//! whether it carries an Autocrypt key, and whether it may be PGP/MIME. The
//! extension reads a route with the transport module alone and loads the
//! OpenPGP module only when this outline says there is OpenPGP work.

use serde::Serialize;

use super::{address, fields};

/// A message's outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Outline {
    /// The From address (lower-cased) when there is exactly one From field
    /// naming one address: the sender Autocrypt and signature checks use.
    pub from: Option<String>,
    /// An `Autocrypt` field is present (valid or not).
    pub autocrypt: bool,
    /// The header names "multipart" and "encrypted" or "signed": the message
    /// may be PGP/MIME. Never false for a message that is (the search is
    /// wider than any MIME parser's reading of a Content-Type), sometimes
    /// true for one that is not.
    pub pgp_mime: bool,
}

/// Reads the outline of a raw message (the whole message or its header).
pub fn outline(raw: &[u8]) -> Outline {
    let section = fields::header_section(raw);
    let split = fields::split(section);
    let froms: Vec<String> = split
        .iter()
        .filter(|field| field.name.eq_ignore_ascii_case("from"))
        .map(|field| String::from_utf8_lossy(field.value).into_owned())
        .collect();
    Outline {
        from: address::single_address(&froms),
        autocrypt: split
            .iter()
            .any(|field| field.name.eq_ignore_ascii_case("autocrypt")),
        // Not the exact `multipart/encrypted`: a MIME parser reads the type
        // through comments, spaces and folds (`multipart (x) / encrypted`),
        // so any header naming "multipart" and "encrypted" or "signed" counts.
        pgp_mime: contains_ignoring_case(section, b"multipart")
            && (contains_ignoring_case(section, b"encrypted")
                || contains_ignoring_case(section, b"signed")),
    }
}

/// `needle` (lower-case ASCII) occurs in `haystack`, in any case.
fn contains_ignoring_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_message_needs_no_openpgp() {
        let found = outline(b"From: Alice <Alice@Example.org>\r\nSubject: hi\r\n\r\nmultipart/signed in the body\r\n");
        assert_eq!(
            found,
            Outline {
                from: Some("alice@example.org".into()),
                autocrypt: false,
                pgp_mime: false
            }
        );
    }

    #[test]
    fn autocrypt_and_pgp_mime_are_seen_in_any_case_and_folding() {
        let found = outline(
            b"from: a@example.org\nAUTOCRYPT: addr=a@example.org; keydata=AAAA\nContent-Type: Multipart/Encrypted;\n protocol=\"application/pgp-encrypted\"\n\nbody",
        );
        assert!(found.autocrypt);
        assert!(found.pgp_mime);
        assert!(outline(b"Content-Type:\n\tmultipart/SIGNED; micalg=pgp-sha256\n\n").pgp_mime);
        // What MIME parsers read as PGP/MIME through comments, spaces and folds.
        for written in [
            &b"Content-Type: multipart/(x)encrypted; protocol=\"application/pgp-encrypted\"\n\n"[..],
            b"Content-Type: multipart / encrypted\n\n",
            b"Content-Type: multipart\r\n /encrypted\r\n\r\n",
            b"Content-Type: multipart/(c)signed\n\n",
        ] {
            assert!(
                outline(written).pgp_mime,
                "{}",
                String::from_utf8_lossy(written)
            );
        }
    }

    #[test]
    fn two_from_fields_name_no_sender() {
        assert_eq!(
            outline(b"From: a@example.org\nFrom: b@example.org\n\n").from,
            None
        );
        assert_eq!(
            outline(b"From: a@example.org, b@example.org\n\n").from,
            None
        );
    }
}
