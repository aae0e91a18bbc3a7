//! Transport inspection: what the Received trace of a message says about how
//! it travelled — per-hop TLS, which lines the recipient's provider wrote and
//! which the sender could have forged — and its authentication results.
