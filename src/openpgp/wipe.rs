//! Buffers that held plaintext or decrypted messages are zeroed when let go:
//! the Wasm memory is never given back, so what is left there would stay.
//!
//! `zeroize` writes such a buffer one volatile octet at a time; a fresh
//! page's first decryption of 10 MiB spent about 30 ms on that alone (the
//! browsers run new code in a baseline tier first). Here the zeros are one
//! `memset` (one `memory.fill` in Wasm), and the buffer is then handed to
//! [`std::hint::black_box`], which the compiler must assume reads it: the
//! zeros cannot be dropped as stores to memory about to be freed.

use std::ops::{Deref, DerefMut};

/// A byte buffer zeroed, to its whole capacity, when dropped.
#[derive(Default)]
pub struct Wiped(Vec<u8>);

impl Wiped {
    /// Takes `buffer` over.
    pub fn new(buffer: Vec<u8>) -> Self {
        Self(buffer)
    }

    /// Lets the buffer go without zeroing it: only for a buffer that never
    /// held anything secret — a message whose container was opened from a
    /// shared view of it (`Primitives::gcm_open_apart`), its plaintext made
    /// elsewhere.
    pub(crate) fn release(mut self) -> Vec<u8> {
        std::mem::take(&mut self.0)
    }
}

impl Deref for Wiped {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for Wiped {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl Drop for Wiped {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

/// Zeroes `buffer` to its whole capacity (what a shorter length no longer
/// shows was written once too) and leaves it empty.
pub fn wipe(buffer: &mut Vec<u8>) {
    let capacity = buffer.capacity();
    buffer.clear();
    buffer.resize(capacity, 0);
    std::hint::black_box(buffer.as_slice());
    buffer.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_capacity_is_zeroed() {
        let mut buffer = Vec::with_capacity(64);
        buffer.extend_from_slice(b"plaintext that was longer than what is left");
        buffer.truncate(9);
        let pointer = buffer.as_ptr();
        wipe(&mut buffer);
        assert_eq!(buffer.capacity(), 64);
        assert_eq!(buffer.as_ptr(), pointer, "zeroed in place");
        // SAFETY: the allocation is still owned by `buffer` and was fully initialised by `wipe`.
        let bytes = unsafe { std::slice::from_raw_parts(pointer, 64) };
        assert!(bytes.iter().all(|&b| b == 0));
    }
}
