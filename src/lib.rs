//! Sealmark's core: OpenPGP for webmail and transport inspection of received
//! mail. The same code is compiled natively (the `sealmark` CLI) and to
//! WebAssembly (the browser extension and the Inspector page); the faces
//! ([`wasm`] and the binary) only translate, all logic lives here.

pub mod header;
#[cfg(feature = "openpgp")]
pub mod js_bytes;
mod js_reflect;
#[cfg(feature = "openpgp")]
pub mod mail;
#[cfg(feature = "openpgp")]
pub mod openpgp;
pub mod transport;
pub mod version;
pub mod wasm;
#[cfg(feature = "openpgp")]
pub mod webcrypto;
