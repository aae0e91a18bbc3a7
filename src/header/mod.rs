//! The ground floor of mail: an RFC 5322 header section split into fields,
//! its dates, and the address a field names. Nothing here knows OpenPGP or
//! trace analysis; `transport`, `openpgp` and `mail` all stand on it.

pub mod address;
pub mod date;
pub mod fields;
pub mod outline;
