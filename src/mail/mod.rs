//! Mail built from OpenPGP, above the OpenPGP semantics in
//! [`crate::openpgp`] and on the header reading in [`crate::header`]:
//! Autocrypt, key discovery (WKD, VKS), PGP/MIME with protected headers, and
//! what Sealmark does to whole messages (sealing them on arrival). Nothing
//! below imports this floor; only the faces (Wasm, CLI) do.

pub mod autocrypt;
pub mod discovery;
pub mod inner;
pub mod pgp_mime;
pub mod received;
pub mod seal;
