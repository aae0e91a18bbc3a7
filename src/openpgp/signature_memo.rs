//! Remembers which self-signatures (and whole keys' bindings) verified. The extension hands the core a
//! user's whole keyring with every operation, and checking each key's
//! self-signatures again (an Ed25519 or RSA verification apiece) was most of
//! the cost of encrypting a short message. A verification result is a pure
//! function of the bytes involved, so it is remembered by their SHA-256.

use std::collections::HashMap;
use std::sync::Mutex;

use pgp::ser::Serialize;
use sha2::{Digest, Sha256};

/// Enough for a large keyring's self-signatures; past it the memo starts over.
const CAPACITY: usize = 8192;

static MEMO: Mutex<Option<HashMap<[u8; 32], bool>>> = Mutex::new(None);

/// Which verification was made: the same packets checked for another purpose
/// (a user ID whose bytes equal a subkey's, say) must not share an answer.
#[derive(Clone, Copy)]
pub(crate) enum Check {
    /// A direct-key or key revocation signature over the primary key.
    PrimaryKey,
    /// A user ID certification.
    Certification,
    /// A subkey binding or subkey revocation signature.
    SubkeyBinding,
    /// A signing subkey's back signature over the primary key.
    BackSignature,
}

/// `verify()`'s answer for this check of these packets (the signer's key,
/// what it signs, the signature), computed once. Without serialisable packets
/// or the memo's lock the check simply runs.
pub(crate) fn verified(
    check: Check,
    packets: &[&dyn Packet],
    verify: impl FnOnce() -> bool,
) -> bool {
    let Some(id) = identity(check, packets) else {
        return verify();
    };
    if let Some(known) = MEMO
        .lock()
        .ok()
        .and_then(|memo| memo.as_ref()?.get(&id).copied())
    {
        return known;
    }
    let answer = verify();
    if let Ok(mut memo) = MEMO.lock() {
        let memo = memo.get_or_insert_with(HashMap::new);
        if memo.len() >= CAPACITY {
            memo.clear();
        }
        memo.insert(id, answer);
    }
    answer
}

/// A packet whose bytes identify it.
pub(crate) trait Packet {
    /// The packet's serialised body.
    fn bytes(&self) -> Option<Vec<u8>>;
}

impl<T: Serialize> Packet for T {
    fn bytes(&self) -> Option<Vec<u8>> {
        self.to_bytes().ok()
    }
}

fn identity(check: Check, packets: &[&dyn Packet]) -> Option<[u8; 32]> {
    let mut hash = Sha256::new();
    hash.update([check as u8]);
    for packet in packets {
        let bytes = packet.bytes()?;
        // Length-prefixed, so that no two packet lists hash the same bytes.
        hash.update((bytes.len() as u64).to_be_bytes());
        hash.update(&bytes);
    }
    Some(hash.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn each_distinct_packet_list_is_verified_once() {
        let runs = Cell::new(0);
        let check = |answer: bool| {
            runs.set(runs.get() + 1);
            answer
        };
        let key = pgp::packet::UserId::from_str(Default::default(), "memo-test a").expect("uid");
        let other = pgp::packet::UserId::from_str(Default::default(), "memo-test b").expect("uid");
        let purpose = Check::Certification;
        assert!(verified(purpose, &[&key, &other], || check(true)));
        assert!(
            verified(purpose, &[&key, &other], || check(false)),
            "remembered"
        );
        assert!(
            !verified(purpose, &[&other, &key], || check(false)),
            "order matters"
        );
        assert!(
            !verified(Check::SubkeyBinding, &[&key, &other], || check(false)),
            "the purpose matters"
        );
        assert_eq!(runs.get(), 3);
    }
}
