//! OpenPGP semantics over rPGP: which key is valid, expired, revoked or
//! allowed to encrypt or sign, and the operations built on that judgement.
//! rPGP parses and produces packets; deciding what they mean is this tree's job.

pub mod armor;
pub mod error;
pub mod keys;
pub mod message;
pub mod mime;
pub mod sign;
pub mod validity;

pub use error::{OpenPgpError, Result};

/// Name and version of the OpenPGP engine this core is built on.
pub fn engine() -> String {
    crate::version::build_info().backend()
}

/// The random number generator for key material, nonces and session keys:
/// the operating system's (or the browser's `crypto.getRandomValues`).
pub(crate) fn rng() -> rand::rngs::OsRng {
    rand::rngs::OsRng
}
