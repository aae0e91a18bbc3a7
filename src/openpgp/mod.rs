//! OpenPGP semantics over rPGP: which key is valid, expired, revoked or
//! allowed to encrypt or sign, and the operations built on that judgement.
//! rPGP parses and produces packets; deciding what they mean is this tree's job.

/// Name and version of the OpenPGP engine this core is built on.
pub fn engine() -> String {
    crate::version::build_info().backend()
}
