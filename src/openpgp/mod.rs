//! OpenPGP semantics over rPGP: which key is valid, expired, revoked or
//! allowed to encrypt or sign, and the operations built on that judgement.
//! rPGP parses and produces packets; deciding what they mean is this tree's job.

pub mod armor;
mod cert_memo;
mod elgamal;
pub mod error;
pub mod fingerprint;
mod framing;
pub(crate) mod keyblock;
pub mod keys;
pub mod message;
pub mod policy;
pub(crate) mod primitives;
pub(crate) mod seipd;
pub mod sign;
mod signature_memo;
pub mod unlock;
pub mod validity;
pub mod verify;
pub(crate) mod wipe;

pub use error::{OpenPgpError, Result};

/// The random number generator for key material, nonces and session keys:
/// the operating system's (or the browser's `crypto.getRandomValues`).
pub(crate) fn rng() -> rand::rngs::OsRng {
    rand::rngs::OsRng
}

/// The result of an operation whose platform step is the software one, which
/// never waits: one poll finishes it. (The browser's faster steps are awaited
/// by the Wasm face instead.)
pub(crate) fn run_now<F: std::future::Future<Output = Result<T>>, T>(future: F) -> Result<T> {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(result) => result,
        std::task::Poll::Pending => Err(OpenPgpError::Internal(
            "a software step unexpectedly waited".into(),
        )),
    }
}

/// Line endings as OpenPGP text signatures (RFC 9580 §5.2.1.2) and PGP/MIME
/// (RFC 3156 §5) canonicalise them: every line ends in CRLF.
pub(crate) fn canonical_crlf(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 32);
    let mut previous = 0u8;
    for &byte in data {
        if byte == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(byte);
        previous = byte;
    }
    out
}
