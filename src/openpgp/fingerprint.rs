//! How keys are named: fingerprints and key IDs as upper-case hex. The
//! ground floor of the OpenPGP tree; every other module may use it.

use pgp::types::KeyDetails;

/// The fingerprint as upper-case hex.
pub fn fingerprint(key: &impl KeyDetails) -> String {
    hex_upper(key.fingerprint().as_bytes())
}

/// Bytes as upper-case hex, the way fingerprints and key IDs are shown.
pub(crate) fn hex_upper(bytes: &[u8]) -> String {
    // Fingerprints are formatted on every key look-up; `format!` per byte
    // showed in profiles of short operations.
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}
