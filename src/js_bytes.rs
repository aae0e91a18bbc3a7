//! Large data kept in JavaScript memory: data to encrypt read from there
//! piece by piece, decrypted data and armored messages written there. The
//! Wasm memory never shrinks: a plaintext or an armored text gathered there
//! besides its message would keep the extension's background two or three
//! times as large as the largest message it ever handled.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use std::io::Read;

use crate::js_reflect::{call_method, global_instance};
use crate::openpgp::message::{Adopt, Plaintext, ReadOnce};
use crate::openpgp::wipe::Wiped;
use crate::webcrypto::Opened;
use std::ops::Range;

/// How much is gathered in Wasm memory before it moves to JavaScript: few
/// enough calls across for a large message, little enough to keep.
const PIECE: usize = 1024 * 1024;

/// The smallest piece: what a short message needs.
const SMALLEST: usize = 4 * 1024;

/// Octets read into this end up in JavaScript `Uint8Array`s.
#[derive(Default)]
pub struct JsBytes {
    /// Where the octets go when their likely number was known: one array,
    /// each full piece copied straight into it (no piece arrays to allocate
    /// and join; a fresh page's first 10 MiB decryption spent a third of
    /// its time on those).
    destination: Option<Uint8Array>,
    /// Pieces, when there is no destination or the data outgrew it.
    pieces: Vec<Uint8Array>,
    /// Zeroed when dropped: it held plaintext.
    pending: Wiped,
    filled: usize,
    len: usize,
}

impl Plaintext for JsBytes {
    /// A short message gets a short buffer; a large one a destination of
    /// its likely size in JavaScript memory.
    fn expect(&mut self, len: usize) {
        let size = len.clamp(SMALLEST, PIECE);
        if self.pending.len() < size {
            self.pending.resize(size, 0);
        }
        if len > PIECE {
            self.destination = u32::try_from(len).ok().map(Uint8Array::new_with_length);
        }
    }

    /// Reads straight into the piece being filled, in reads as large as
    /// what is left of it.
    fn read_all(&mut self, reader: &mut impl Read) -> std::io::Result<usize> {
        let mut total = 0usize;
        loop {
            if self.filled == self.pending.len() {
                if self.pending.len() < PIECE {
                    let grown = (self.pending.len() * 2).clamp(SMALLEST, PIECE);
                    self.pending.resize(grown, 0);
                } else {
                    self.move_pending();
                }
            }
            let space = self.pending.get_mut(self.filled..).unwrap_or_default();
            let read = match reader.read(space) {
                Ok(0) => return Ok(total),
                Ok(read) => read,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            self.filled += read;
            self.len += read;
            total += read;
        }
    }
}

/// The data of a message that is only literal data, kept in the arrays
/// WebCrypto opened it into.
impl Adopt<Opened> for JsBytes {
    fn adopt(&mut self, apart: Opened, pieces: &[Range<usize>]) -> Result<(), Opened> {
        match apart.joined(pieces) {
            Some(joined) => {
                *self = Self {
                    len: joined.length() as usize,
                    destination: Some(joined),
                    ..Self::default()
                };
                Ok(())
            }
            None => Err(apart),
        }
    }
}

/// Data the core reads itself (MIME) is read into its memory as ever.
impl Adopt<Opened> for Vec<u8> {
    fn adopt(&mut self, apart: Opened, _: &[Range<usize>]) -> Result<(), Opened> {
        Err(apart)
    }
}

impl JsBytes {
    fn move_pending(&mut self) {
        if self.filled == 0 {
            return;
        }
        let filled = self.pending.get(..self.filled).unwrap_or_default();
        // Where this piece lands in the destination, if it fits there.
        let written = self.len - self.filled;
        let fits = self.pieces.is_empty()
            && self
                .destination
                .as_ref()
                .is_some_and(|d| written + self.filled <= d.length() as usize);
        match (&self.destination, fits) {
            (Some(destination), true) => {
                // One call copies the piece in: no view of the Wasm memory is
                // held across anything that could make it grow.
                destination
                    .subarray(written as u32, (written + self.filled) as u32)
                    .copy_from(filled);
            }
            _ => {
                // Outgrown (a compressed message): what the destination holds
                // becomes the first piece, the rest follow as pieces.
                if let Some(destination) = self.destination.take() {
                    self.pieces.push(destination.subarray(0, written as u32));
                }
                self.pieces.push(Uint8Array::from(filled));
            }
        }
        self.filled = 0;
    }

    /// Everything written, as one `Uint8Array`.
    pub fn into_uint8array(mut self) -> Uint8Array {
        self.move_pending();
        if let Some(destination) = self.destination.take() {
            // A view of what was written: the likely size is an upper bound.
            return destination.subarray(0, self.len as u32);
        }
        if self.pieces.len() == 1
            && let Some(only) = self.pieces.pop()
        {
            return only;
        }
        let joined = Uint8Array::new_with_length(self.len as u32);
        let mut at = 0u32;
        for piece in &self.pieces {
            joined.set(piece, at);
            at += piece.length();
        }
        joined
    }

    /// Everything written, decoded as UTF-8 into a JavaScript string (a
    /// byte-order mark kept as the character it is); `None` when it is not
    /// UTF-8.
    pub fn into_text(self) -> Option<JsValue> {
        let bytes = self.into_uint8array();
        let options = Object::new();
        Reflect::set(&options, &"fatal".into(), &JsValue::TRUE).ok()?;
        Reflect::set(&options, &"ignoreBOM".into(), &JsValue::TRUE).ok()?;
        let decoder =
            global_instance("TextDecoder", &[JsValue::from_str("utf-8"), options.into()])?;
        call_method(&decoder, "decode", &[bytes.into()])
    }
}

/// Data to encrypt, read piece by piece from a JavaScript `Uint8Array` (a
/// string is encoded to one first, in JavaScript).
pub struct JsReader {
    bytes: Uint8Array,
    at: u32,
}

impl JsReader {
    /// A reader of `value`, a string (as UTF-8) or a `Uint8Array`; `None`
    /// for anything else.
    pub fn of(value: &JsValue) -> Option<Self> {
        let bytes = if value.is_string() {
            let encoder = global_instance("TextEncoder", &[])?;
            call_method(&encoder, "encode", std::slice::from_ref(value))?
                .dyn_into::<Uint8Array>()
                .ok()?
        } else {
            value.dyn_ref::<Uint8Array>()?.clone()
        };
        Some(Self { bytes, at: 0 })
    }
}

impl std::io::Read for JsReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.bytes.length().saturating_sub(self.at);
        let take = left.min(u32::try_from(buf.len()).unwrap_or(u32::MAX));
        if take == 0 {
            return Ok(0);
        }
        let end = self.at + take;
        if let Some(target) = buf.get_mut(..take as usize) {
            self.bytes.subarray(self.at, end).copy_to(target);
        }
        self.at = end;
        Ok(take as usize)
    }
}

impl ReadOnce for JsReader {
    fn size(&self) -> usize {
        self.bytes.length() as usize
    }

    fn into_bytes(self) -> std::io::Result<Vec<u8>> {
        Ok(self.bytes.to_vec())
    }
}

/// Binary OpenPGP data armored into a JavaScript string, built there a
/// thousand lines at a time: the Wasm memory holds only the data.
pub fn armored_text(data: &[u8]) -> crate::openpgp::Result<JsValue> {
    let pieces = Array::new();
    crate::openpgp::armor::armor_pieces(data, &mut |piece| {
        pieces.push(&JsValue::from_str(piece));
    })?;
    Ok(pieces.join("").into())
}
