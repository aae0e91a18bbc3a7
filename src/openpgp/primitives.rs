//! The primitives whose speed the user feels, behind one trait so the
//! platform can do them faster: in a browser WebCrypto
//! (`crate::webcrypto`), with AES and SHA instructions; here in software.

use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use sha1::Digest;
use zeroize::Zeroizing;

use super::error::{OpenPgpError, Result};

/// One AES-GCM operation on a buffer that holds all of them one after
/// another: its nonce, associated data, and how many octets of the buffer
/// are its input (plaintext to seal, or ciphertext and its 16-octet tag to
/// open). The buffer is worked in place, so a large message is held once.
pub struct GcmPiece<'a> {
    /// The 12-octet nonce.
    pub nonce: [u8; 12],
    /// Authenticated, not encrypted.
    pub associated: &'a [u8],
    /// How many octets of the buffer go in.
    pub len: usize,
}

/// The length of AES-GCM's tag.
pub const GCM_TAG: usize = 16;

/// Plaintext a primitive made and keeps outside the core's memory (in a
/// browser, the arrays WebCrypto returned): the core copies in only the
/// octets it must judge, and the plaintext can be handed on where it is.
pub(crate) trait Apart {
    /// How many octets.
    fn len(&self) -> usize;

    /// Copies the octets from `at` on into `out`; `false`, with `out`
    /// unspecified, unless there are that many.
    fn copy_out(&self, at: usize, out: &mut [u8]) -> bool;
}

/// Nothing apart: what primitives that open in place give.
#[derive(Debug, PartialEq)]
pub(crate) enum NotApart {}

impl Apart for NotApart {
    fn len(&self) -> usize {
        match *self {}
    }

    fn copy_out(&self, _at: usize, _out: &mut [u8]) -> bool {
        match *self {}
    }
}

/// What [`Primitives::gcm_open_apart`] did.
pub(crate) enum OpenedApart<A> {
    /// Every tag passed; the plaintexts, one after another.
    Opened(A),
    /// Not tried (too little to be worth it, or no way to keep it apart):
    /// [`Primitives::gcm_open`] does the work.
    NotTried,
    /// Refused, which does not tell a wrong tag from a failure of the
    /// primitive: [`Primitives::gcm_open`] judges, and must not be this
    /// primitive again.
    Refused,
}

/// The primitives whose speed the user feels: the AES of the message
/// containers and the hashing of passphrase derivation. Each call takes all
/// its work at once, so an implementation may run the pieces concurrently.
/// The AES and hashing methods default to the core's own software; a
/// platform overrides only what it does faster.
pub(crate) trait Primitives {
    /// What [`Primitives::gcm_open_apart`] opens into.
    type Apart: Apart;

    /// [`Primitives::gcm_open`] with the plaintexts, one after another, left
    /// where the primitive made them: given only when every tag passed.
    async fn gcm_open_apart(
        &self,
        _key: &[u8],
        _pieces: &[GcmPiece<'_>],
        _buffer: &[u8],
    ) -> OpenedApart<Self::Apart> {
        OpenedApart::NotTried
    }

    /// AES-CFB with an all-zero IV (SEIPDv1's random prefix plays its part)
    /// of `data` in place.
    async fn cfb_encrypt(&self, key: &[u8], data: &mut [u8]) -> Result<()> {
        cipher_for_key(key)?
            .encrypt_with_iv_regular(key, &[0u8; 16], data)
            .map_err(|e| OpenPgpError::Internal(e.to_string()))
    }

    /// Seals with AES-GCM the pieces' plaintexts, which fill `buffer` from
    /// `start` on: each becomes its ciphertext followed by its tag, and the
    /// buffer grows by a tag per piece.
    // Back to front, so each piece's ciphertext and tag, which reach past
    // its plaintext, only cover plaintext already sealed.
    async fn gcm_seal(
        &self,
        key: &[u8],
        pieces: &[GcmPiece<'_>],
        buffer: &mut Vec<u8>,
        start: usize,
    ) -> Result<()> {
        let gcm = SoftGcm::new(key)?;
        let layout = seal_layout(pieces, buffer.len(), start)?;
        buffer.resize(layout.sealed_len, 0);
        for (piece, &(from, to)) in pieces.iter().zip(&layout.moves).rev() {
            buffer.copy_within(from..from + piece.len, to);
            let sealed = buffer
                .get_mut(to..to + piece.len + GCM_TAG)
                .ok_or_else(|| OpenPgpError::Internal("AES-GCM piece out of bounds".into()))?;
            gcm.seal(piece, sealed)?;
        }
        Ok(())
    }

    /// Opens with AES-GCM the pieces, which fill `buffer`: their plaintexts
    /// end up one after another from its start, and their total length comes
    /// back. [`OpenPgpError::Tampered`] when any tag does not match; then
    /// nothing in the buffer is to be used.
    // Front to back: each plaintext is shorter than what it came from and
    // lands no later, so what is still to be opened is never overwritten.
    async fn gcm_open(
        &self,
        key: &[u8],
        pieces: &[GcmPiece<'_>],
        buffer: &mut [u8],
    ) -> Result<usize> {
        let gcm = SoftGcm::new(key)?;
        let mut from = 0usize;
        let mut to = 0usize;
        for piece in pieces {
            let end = from
                .checked_add(piece.len)
                .filter(|end| *end <= buffer.len())
                .ok_or(OpenPgpError::Tampered)?;
            let opened = gcm.open(piece, buffer.get_mut(from..end).unwrap_or_default())?;
            buffer.copy_within(from..from + opened, to);
            from = end;
            to += opened;
        }
        Ok(to)
    }

    /// Each input's digest, in order; `None` for one whose hash is not
    /// done here.
    async fn repeated_digests(
        &self,
        inputs: &[RepeatedInput<'_>],
    ) -> Vec<Option<Zeroizing<Vec<u8>>>> {
        inputs
            .iter()
            .map(|input| match input.hash {
                HashAlgorithm::Sha1 => Some(repeated_digest::<sha1::Sha1>(input)),
                HashAlgorithm::Sha224 => Some(repeated_digest::<sha2::Sha224>(input)),
                HashAlgorithm::Sha256 => Some(repeated_digest::<sha2::Sha256>(input)),
                HashAlgorithm::Sha384 => Some(repeated_digest::<sha2::Sha384>(input)),
                HashAlgorithm::Sha512 => Some(repeated_digest::<sha2::Sha512>(input)),
                _ => None,
            })
            .collect()
    }
}

/// What an iterated passphrase derivation hashes: `zeros` zero octets, then
/// `unit` over and over until `total` octets of it (the last repetition cut
/// short).
pub struct RepeatedInput<'a> {
    /// The hash.
    pub hash: HashAlgorithm,
    /// Zero octets first.
    pub zeros: usize,
    /// What is repeated.
    pub unit: &'a [u8],
    /// How many octets of repetitions.
    pub total: usize,
}

/// The primitives done here, for when there is no faster one.
pub(crate) struct SoftPrimitives;

impl Primitives for SoftPrimitives {
    type Apart = NotApart;
}

/// Where sealing moves each piece: from its plaintext's offset to its
/// ciphertext's (a tag further per piece before it), and the length the
/// buffer then has.
pub(crate) struct SealLayout {
    /// `(from, to)` per piece.
    pub(crate) moves: Vec<(usize, usize)>,
    /// The buffer's length once sealed.
    pub(crate) sealed_len: usize,
}

/// The [`SealLayout`] of `pieces` that fill a buffer of `len` octets from
/// `start` on.
pub(crate) fn seal_layout(pieces: &[GcmPiece<'_>], len: usize, start: usize) -> Result<SealLayout> {
    let mut moves = Vec::with_capacity(pieces.len());
    let (mut from, mut to) = (start, start);
    for piece in pieces {
        moves.push((from, to));
        from = from.saturating_add(piece.len);
        to = to.saturating_add(piece.len).saturating_add(GCM_TAG);
    }
    if from != len {
        return Err(OpenPgpError::Internal(
            "the AES-GCM pieces do not fill the buffer".into(),
        ));
    }
    Ok(SealLayout {
        moves,
        sealed_len: to,
    })
}

/// How many octets of repetitions to hash per call: large enough that the
/// per-call overhead vanishes, small enough to stay in cache.
const REPETITION_BLOCK: usize = 64 * 1024;

fn repeated_digest<D: Digest>(input: &RepeatedInput<'_>) -> Zeroizing<Vec<u8>> {
    let mut hasher = D::new();
    hasher.update(vec![0u8; input.zeros]);
    if !input.unit.is_empty() {
        let repeats = REPETITION_BLOCK.div_ceil(input.unit.len());
        let block = Zeroizing::new(input.unit.repeat(repeats));
        let mut left = input.total;
        while left > 0 {
            let take = left.min(block.len());
            hasher.update(block.get(..take).unwrap_or_default());
            left -= take;
        }
    }
    Zeroizing::new(hasher.finalize().to_vec())
}

fn cipher_for_key(key: &[u8]) -> Result<SymmetricKeyAlgorithm> {
    match key.len() {
        16 => Ok(SymmetricKeyAlgorithm::AES128),
        32 => Ok(SymmetricKeyAlgorithm::AES256),
        other => Err(OpenPgpError::Internal(format!(
            "no AES key is {other} octets long here"
        ))),
    }
}

/// AES-128-GCM or AES-256-GCM, by the key's length.
enum SoftGcm {
    Aes128(Box<aes_gcm::Aes128Gcm>),
    Aes256(Box<aes_gcm::Aes256Gcm>),
}

impl SoftGcm {
    fn new(key: &[u8]) -> Result<Self> {
        use aes_gcm::KeyInit;
        let bad_key = |_| OpenPgpError::Internal("bad AES-GCM key".into());
        Ok(match cipher_for_key(key)? {
            SymmetricKeyAlgorithm::AES128 => Self::Aes128(Box::new(
                aes_gcm::Aes128Gcm::new_from_slice(key).map_err(bad_key)?,
            )),
            _ => Self::Aes256(Box::new(
                aes_gcm::Aes256Gcm::new_from_slice(key).map_err(bad_key)?,
            )),
        })
    }

    /// Seals `sealed`: the piece's plaintext, then room for its tag.
    fn seal(&self, piece: &GcmPiece<'_>, sealed: &mut [u8]) -> Result<()> {
        use aes_gcm::AeadInPlace;
        let nonce = aes_gcm::Nonce::from_slice(&piece.nonce);
        let (data, tag_room) = sealed.split_at_mut(piece.len);
        let tag = match self {
            Self::Aes128(gcm) => gcm.encrypt_in_place_detached(nonce, piece.associated, data),
            Self::Aes256(gcm) => gcm.encrypt_in_place_detached(nonce, piece.associated, data),
        }
        .map_err(|_| OpenPgpError::Internal("AES-GCM refused the piece".into()))?;
        tag_room.copy_from_slice(&tag);
        Ok(())
    }

    /// Checks the tag at the end of `data` and decrypts what is before it
    /// in place; its length comes back.
    fn open(&self, piece: &GcmPiece<'_>, data: &mut [u8]) -> Result<usize> {
        use aes_gcm::AeadInPlace;
        let split = data
            .len()
            .checked_sub(GCM_TAG)
            .ok_or(OpenPgpError::Tampered)?;
        let (ciphertext, tag) = data.split_at_mut(split);
        let nonce = aes_gcm::Nonce::from_slice(&piece.nonce);
        let tag = aes_gcm::Tag::from_slice(tag);
        match self {
            Self::Aes128(gcm) => {
                gcm.decrypt_in_place_detached(nonce, piece.associated, ciphertext, tag)
            }
            Self::Aes256(gcm) => {
                gcm.decrypt_in_place_detached(nonce, piece.associated, ciphertext, tag)
            }
        }
        .map_err(|_| OpenPgpError::Tampered)?;
        Ok(split)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openpgp::run_now;

    /// Pieces of 100 octets (the last shorter) over `len` octets, each
    /// `extra` octets longer (its tag, when opening).
    fn pieces(len: usize, extra: usize, associated: &[u8]) -> Vec<GcmPiece<'_>> {
        (0..len.div_ceil(100))
            .map(|index| GcmPiece {
                nonce: [index as u8; 12],
                associated,
                len: (len - index * 100).min(100) + extra,
            })
            .collect()
    }

    /// Sealed in place after a head that stays, the pieces open in place to
    /// what went in, for both key sizes; a changed octet anywhere, or other
    /// associated data, makes the whole call fail.
    #[test]
    fn gcm_pieces_round_trip_in_place_and_any_change_is_tampering() {
        let data: Vec<u8> = (0..250u32).map(|i| i as u8).collect();
        for key in [[3u8; 16].as_slice(), [4u8; 32].as_slice()] {
            let mut sealed = b"head".to_vec();
            sealed.extend_from_slice(&data);
            run_now(SoftPrimitives.gcm_seal(key, &pieces(250, 0, b"ad"), &mut sealed, 4))
                .expect("sealed");
            assert_eq!(&sealed[..4], b"head");
            assert_eq!(sealed.len(), 4 + data.len() + 3 * GCM_TAG);
            let open = |mut buffer: Vec<u8>, associated: &[u8]| {
                let pieces = pieces(250, GCM_TAG, associated);
                run_now(SoftPrimitives.gcm_open(key, &pieces, &mut buffer))
                    .map(|len| buffer[..len].to_vec())
            };
            assert_eq!(open(sealed[4..].to_vec(), b"ad"), Ok(data.clone()));
            assert_eq!(
                open(sealed[4..].to_vec(), b"other"),
                Err(OpenPgpError::Tampered)
            );
            for index in 4..sealed.len() {
                let mut changed = sealed[4..].to_vec();
                changed[index - 4] ^= 0x80;
                assert_eq!(
                    open(changed, b"ad"),
                    Err(OpenPgpError::Tampered),
                    "octet {index}"
                );
            }
        }
    }

    /// Pieces that do not fill the buffer are refused, not half done.
    #[test]
    fn gcm_pieces_must_fill_the_buffer() {
        let mut buffer = vec![0u8; 120];
        let refused =
            run_now(SoftPrimitives.gcm_seal(&[1; 16], &pieces(100, 0, b""), &mut buffer, 0));
        assert!(matches!(refused, Err(OpenPgpError::Internal(_))));
        assert_eq!(buffer, vec![0u8; 120]);
        let mut short = vec![0u8; 50];
        let cut =
            run_now(SoftPrimitives.gcm_open(&[1; 16], &pieces(100, GCM_TAG, b""), &mut short));
        assert_eq!(cut, Err(OpenPgpError::Tampered));
    }
}
