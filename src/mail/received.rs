//! A received message as the OpenPGP side needs it, read once: its PGP/MIME
//! structure and what its header says for Autocrypt. The MIME parts are
//! parsed only when the header may be PGP/MIME ([`crate::header::outline`],
//! which never misses one), so a plain message costs a header scan.

use super::autocrypt::{self, Observation};
use super::pgp_mime::{self, PgpMime};
use crate::header::outline;
use crate::openpgp::Result;

/// What [`read`] finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The PGP/MIME structure, [`PgpMime::None`] for any other message.
    pub pgp_mime: PgpMime,
    /// The sender, the effective date and the valid Autocrypt header.
    pub autocrypt: Observation,
}

/// Reads `raw` (the whole message) at `now`, in seconds since 1970.
pub fn read(raw: &[u8], now: i64) -> Result<Received> {
    let pgp_mime = if outline::outline(raw).pgp_mime {
        pgp_mime::parse(raw)?
    } else {
        PgpMime::None
    };
    Ok(Received {
        pgp_mime,
        autocrypt: autocrypt::observe(raw, now),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_message_is_not_read_as_mime_and_still_observed() {
        let raw =
            b"From: Bob <bob@example.org>\r\nDate: Thu, 3 Dec 2026 10:00:00 +0000\r\n\r\nHello\r\n";
        let read = read(raw, 1_800_000_000).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.pgp_mime, PgpMime::None);
        assert_eq!(read.autocrypt.from.as_deref(), Some("bob@example.org"));
    }

    #[test]
    fn a_header_that_says_pgp_mime_without_its_parts_is_a_clear_error() {
        let raw = b"From: bob@example.org\r\nContent-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b\"\r\n\r\n--b--\r\n";
        assert!(read(raw, 1_800_000_000).is_err());
    }
}
