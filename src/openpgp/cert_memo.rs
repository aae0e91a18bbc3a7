//! Certificates parsed once. The extension hands the core the recipients' and
//! signers' certificates, armored, with every operation, and parsing them (the
//! packets, an Ed25519 point decompressed per key, the bindings looked up)
//! cost as much as a short message's encryption. A parse is a pure function
//! of the input's bytes, so its certificates are remembered by their SHA-256.
//! Public keys only: a secret key is parsed for each use and let go. The
//! memo holds the certificates of at most a few MiB of input.

use std::collections::HashMap;
use std::sync::Mutex;

use pgp::composed::SignedPublicKey;
use sha2::{Digest, Sha256};

use super::error::Result;

/// Input octets whose certificates are held, enough for a large keyring
/// (the Wasm memory never shrinks); past it the memo starts over.
const BUDGET: usize = 4 * 1024 * 1024;

/// Larger inputs (whole keyrings, key server answers) are parsed each time
/// rather than held.
const LARGEST_REMEMBERED: usize = 64 * 1024;

/// Certificates by their input's SHA-256, and how many input octets that is.
#[derive(Default)]
struct Memo {
    certs: HashMap<[u8; 32], Vec<SignedPublicKey>>,
    octets: usize,
}

static MEMO: Mutex<Option<Memo>> = Mutex::new(None);

/// `parse(input)`, or what it gave for the same bytes before. Errors are not
/// remembered.
pub(crate) fn parsed(
    input: &[u8],
    parse: impl FnOnce(&[u8]) -> Result<Vec<SignedPublicKey>>,
) -> Result<Vec<SignedPublicKey>> {
    if input.len() > LARGEST_REMEMBERED {
        return parse(input);
    }
    let id: [u8; 32] = Sha256::digest(input).into();
    if let Some(known) = MEMO
        .lock()
        .ok()
        .and_then(|memo| memo.as_ref()?.certs.get(&id).cloned())
    {
        return Ok(known);
    }
    let certs = parse(input)?;
    if let Ok(mut memo) = MEMO.lock() {
        let memo = memo.get_or_insert_with(Memo::default);
        if memo.octets + input.len() > BUDGET {
            *memo = Memo::default();
        }
        memo.octets += input.len();
        memo.certs.insert(id, certs.clone());
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openpgp::error::OpenPgpError;

    #[test]
    fn a_parse_is_remembered_by_its_bytes_and_errors_are_not() {
        let mut calls = 0;
        let mut parse = |input: &[u8]| {
            parsed(input, |_| {
                calls += 1;
                Err(OpenPgpError::BadKey("no key found".into()))
            })
        };
        assert!(parse(b"memo test: not a key").is_err());
        assert!(parse(b"memo test: not a key").is_err());
        assert_eq!(calls, 2, "a failed parse runs again");

        let input = b"memo test: an empty keyring";
        let mut runs = 0;
        for _ in 0..3 {
            let certs = parsed(input, |_| {
                runs += 1;
                Ok(Vec::new())
            });
            assert_eq!(certs.map(|c| c.len()), Ok(0));
        }
        assert_eq!(runs, 1, "the same bytes are parsed once");
        let other = parsed(b"memo test: other bytes", |_| {
            runs += 1;
            Ok(Vec::new())
        });
        assert!(other.is_ok());
        assert_eq!(runs, 2, "other bytes are parsed");
    }
}
