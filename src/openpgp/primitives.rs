//! The primitives whose speed the user feels, behind one trait so the
//! platform can do them faster: in a browser WebCrypto
//! (`crate::webcrypto`), with AES and SHA instructions; here in software.

use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use sha1::Digest;
use zeroize::Zeroizing;

use super::error::{OpenPgpError, Result};

/// One AES-GCM operation: its nonce, associated data and input (plaintext
/// to seal, or ciphertext followed by its 16-octet tag to open).
pub struct GcmPiece<'a> {
    /// The 12-octet nonce.
    pub nonce: [u8; 12],
    /// Authenticated, not encrypted.
    pub associated: &'a [u8],
    /// What goes in.
    pub data: &'a [u8],
}

/// The primitives whose speed the user feels: the AES of the message
/// containers and the hashing of passphrase derivation. Each call takes all
/// its work at once, so an implementation may run the pieces concurrently.
pub(crate) trait Primitives {
    /// AES-CFB with an all-zero IV (SEIPDv1's random prefix plays its part)
    /// of `data` in place.
    async fn cfb_encrypt(&self, key: &[u8], data: &mut [u8]) -> Result<()>;

    /// Seals each piece with AES-GCM; its ciphertext and tag are appended
    /// to `out`, in order.
    async fn gcm_seal(&self, key: &[u8], pieces: &[GcmPiece<'_>], out: &mut Vec<u8>) -> Result<()>;

    /// Opens each piece with AES-GCM and appends its plaintext to `out`, in
    /// order; [`OpenPgpError::Tampered`] (and `out` as it was) when any tag
    /// does not match.
    async fn gcm_open(&self, key: &[u8], pieces: &[GcmPiece<'_>], out: &mut Vec<u8>) -> Result<()>;

    /// Each input's digest, in order; `None` for one whose hash is not
    /// done here.
    async fn repeated_digests(
        &self,
        inputs: &[RepeatedInput<'_>],
    ) -> Vec<Option<Zeroizing<Vec<u8>>>>;
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

    async fn cfb_encrypt(&self, key: &[u8], data: &mut [u8]) -> Result<()> {
        cipher_for_key(key)?
            .encrypt_with_iv_regular(key, &[0u8; 16], data)
            .map_err(|e| OpenPgpError::Internal(e.to_string()))
    }

    async fn gcm_seal(&self, key: &[u8], pieces: &[GcmPiece<'_>], out: &mut Vec<u8>) -> Result<()> {
        let gcm = SoftGcm::new(key)?;
        for piece in pieces {
            let start = out.len();
            out.extend_from_slice(piece.data);
            gcm.seal(piece, out, start)?;
        }
        Ok(())
    }

    async fn gcm_open(&self, key: &[u8], pieces: &[GcmPiece<'_>], out: &mut Vec<u8>) -> Result<()> {
        let gcm = SoftGcm::new(key)?;
        let before = out.len();
        for piece in pieces {
            if let Err(error) = gcm.open(piece, out) {
                out.truncate(before);
                return Err(error);
            }
        }
        Ok(())
    }
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

    /// Seals `out[start..]` (the piece's plaintext) in place and appends the tag.
    fn seal(&self, piece: &GcmPiece<'_>, out: &mut Vec<u8>, start: usize) -> Result<()> {
        use aes_gcm::AeadInPlace;
        let nonce = aes_gcm::Nonce::from_slice(&piece.nonce);
        let buffer = out.get_mut(start..).unwrap_or_default();
        let tag = match self {
            Self::Aes128(gcm) => gcm.encrypt_in_place_detached(nonce, piece.associated, buffer),
            Self::Aes256(gcm) => gcm.encrypt_in_place_detached(nonce, piece.associated, buffer),
        }
        .map_err(|_| OpenPgpError::Internal("AES-GCM refused the piece".into()))?;
        out.extend_from_slice(&tag);
        Ok(())
    }

    /// Checks the piece's tag and appends its plaintext.
    fn open(&self, piece: &GcmPiece<'_>, out: &mut Vec<u8>) -> Result<()> {
        use aes_gcm::AeadInPlace;
        let split = piece
            .data
            .len()
            .checked_sub(16)
            .ok_or(OpenPgpError::Tampered)?;
        let (ciphertext, tag) = piece.data.split_at(split);
        let start = out.len();
        out.extend_from_slice(ciphertext);
        let nonce = aes_gcm::Nonce::from_slice(&piece.nonce);
        let tag = aes_gcm::Tag::from_slice(tag);
        let buffer = out.get_mut(start..).unwrap_or_default();
        let checked = match self {
            Self::Aes128(gcm) => {
                gcm.decrypt_in_place_detached(nonce, piece.associated, buffer, tag)
            }
            Self::Aes256(gcm) => {
                gcm.decrypt_in_place_detached(nonce, piece.associated, buffer, tag)
            }
        };
        checked.map_err(|_| {
            out.truncate(start);
            OpenPgpError::Tampered
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces<'a>(data: &'a [u8], associated: &'a [u8]) -> Vec<GcmPiece<'a>> {
        data.chunks(100)
            .enumerate()
            .map(|(index, data)| GcmPiece {
                nonce: [index as u8; 12],
                associated,
                data,
            })
            .collect()
    }

    /// Sealed pieces open to what went in, for both key sizes; a changed
    /// octet anywhere makes the whole call fail and leaves `out` alone.
    #[test]
    fn gcm_pieces_round_trip_and_any_change_is_tampering() {
        let data: Vec<u8> = (0..250u32).map(|i| i as u8).collect();
        for key in [[3u8; 16].as_slice(), [4u8; 32].as_slice()] {
            let mut sealed = Vec::new();
            super::super::run_now(SoftPrimitives.gcm_seal(key, &pieces(&data, b"ad"), &mut sealed))
                .expect("sealed");
            assert_eq!(sealed.len(), data.len() + 3 * 16);
            let sealed_pieces: Vec<&[u8]> = vec![&sealed[..116], &sealed[116..232], &sealed[232..]];
            let open = |parts: &[&[u8]], associated: &[u8]| {
                let pieces: Vec<GcmPiece<'_>> = parts
                    .iter()
                    .enumerate()
                    .map(|(index, data)| GcmPiece {
                        nonce: [index as u8; 12],
                        associated,
                        data,
                    })
                    .collect();
                let mut out = b"kept".to_vec();
                let result = super::super::run_now(SoftPrimitives.gcm_open(key, &pieces, &mut out));
                (result, out)
            };
            let (result, out) = open(&sealed_pieces, b"ad");
            assert_eq!(result, Ok(()));
            assert_eq!(&out[4..], &data[..]);
            let (result, out) = open(&sealed_pieces, b"other");
            assert_eq!(result, Err(OpenPgpError::Tampered));
            assert_eq!(out, b"kept");
            for index in 0..sealed.len() {
                let mut changed = sealed.clone();
                changed[index] ^= 0x80;
                let parts: Vec<&[u8]> = vec![&changed[..116], &changed[116..232], &changed[232..]];
                assert_eq!(
                    open(&parts, b"ad").0,
                    Err(OpenPgpError::Tampered),
                    "octet {index}"
                );
            }
        }
    }
}
