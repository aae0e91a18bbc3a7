//! Mail built from OpenPGP: what Sealmark does to whole messages, above the
//! OpenPGP semantics in [`crate::openpgp`] and the header reading in
//! [`crate::transport`].

pub mod seal;
