//! ElGamal session keys (RFC 9580 §5.1.4, §11.1: EME-PKCS1-v1_5 inside
//! ElGamal): what DSA/ElGamal keys — still the keys of many long-time GnuPG
//! users — encrypt and decrypt with. rPGP 0.21 reads ElGamal keys but
//! implements neither direction, so the arithmetic is done here with the
//! big numbers the `rsa` crate brings. Only v3 PKESKs: RFC 9580 forbids
//! ElGamal in v6 ones.

use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::types::PublicParams;
use rand::RngCore;
use rsa::BigUint;
use zeroize::Zeroizing;

use super::error::{OpenPgpError, Result};

/// The prime, generator and public value of an ElGamal key, read from its
/// serialised parameters (three MPIs; rPGP keeps them private).
struct Group {
    p: BigUint,
    g: BigUint,
    y: BigUint,
}

/// Reads one MPI (two-octet bit count, then the octets) from the front of `bytes`.
fn mpi<'a>(bytes: &mut &'a [u8]) -> Option<&'a [u8]> {
    let bits = usize::from(u16::from_be_bytes([*bytes.first()?, *bytes.get(1)?]));
    let len = bits.div_ceil(8);
    let value = bytes.get(2..2 + len)?;
    *bytes = bytes.get(2 + len..)?;
    Some(value)
}

fn group(params: &PublicParams) -> Option<Group> {
    let PublicParams::Elgamal(_) = params else {
        return None;
    };
    let mut serialised = Vec::new();
    pgp::ser::Serialize::to_writer(params, &mut serialised).ok()?;
    let mut rest = serialised.as_slice();
    let p = BigUint::from_bytes_be(mpi(&mut rest)?);
    let g = BigUint::from_bytes_be(mpi(&mut rest)?);
    let y = BigUint::from_bytes_be(mpi(&mut rest)?);
    let one = BigUint::from(1u8);
    // A degenerate group would leak the session key or divide by zero.
    (p.bits() >= 1024 && g > one && g < p && y > one && y < p).then_some(Group { p, g, y })
}

/// The session key as a v3 PKESK carries it: cipher, key, and a two-octet
/// sum of the key's octets.
fn session_block(cipher: SymmetricKeyAlgorithm, key: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut block = Zeroizing::new(Vec::with_capacity(key.len() + 3));
    block.push(u8::from(cipher));
    block.extend_from_slice(key);
    let sum = key
        .iter()
        .fold(0u16, |sum, &octet| sum.wrapping_add(u16::from(octet)));
    block.extend_from_slice(&sum.to_be_bytes());
    block
}

/// The two MPIs of an ElGamal PKESK holding `key` for `cipher`.
pub(crate) fn encrypt(
    params: &PublicParams,
    cipher: SymmetricKeyAlgorithm,
    key: &[u8],
) -> Result<(Vec<u8>, Vec<u8>)> {
    let group = group(params).ok_or_else(|| {
        OpenPgpError::BadKey("the ElGamal key's parameters are not usable".into())
    })?;
    let k_len = group.p.bits().div_ceil(8);
    let message = session_block(cipher, key);
    // EME-PKCS1-v1_5: 00 02, at least eight non-zero random octets, 00, M.
    let padding = k_len
        .checked_sub(message.len() + 3)
        .filter(|&n| n >= 8)
        .ok_or_else(|| OpenPgpError::BadKey("the ElGamal key is too small".into()))?;
    let mut encoded = Zeroizing::new(Vec::with_capacity(k_len));
    encoded.extend_from_slice(&[0, 2]);
    let mut rng = super::rng();
    while encoded.len() < 2 + padding {
        let mut octet = [0u8; 1];
        rng.fill_bytes(&mut octet);
        if octet[0] != 0 {
            encoded.push(octet[0]);
        }
    }
    encoded.push(0);
    encoded.extend_from_slice(&message);
    let m = BigUint::from_bytes_be(&encoded);
    // An ephemeral exponent as long as the prime, reduced below p - 1.
    let mut random = Zeroizing::new(vec![0u8; k_len + 8]);
    rng.fill_bytes(&mut random);
    let two = BigUint::from(2u8);
    let k = BigUint::from_bytes_be(&random) % (&group.p - &two) + BigUint::from(1u8);
    let c1 = group.g.modpow(&k, &group.p);
    let c2 = (m * group.y.modpow(&k, &group.p)) % &group.p;
    Ok((c1.to_bytes_be(), c2.to_bytes_be()))
}

/// The cipher and session key in an ElGamal PKESK (`c1`, `c2`), opened
/// with the secret exponent `x`; `None` when it is not for this key.
pub(crate) fn decrypt(
    params: &PublicParams,
    x: &[u8],
    c1: &[u8],
    c2: &[u8],
) -> Option<(SymmetricKeyAlgorithm, Zeroizing<Vec<u8>>)> {
    let group = group(params)?;
    let c1 = BigUint::from_bytes_be(c1);
    let c2 = BigUint::from_bytes_be(c2);
    let x = BigUint::from_bytes_be(x);
    let one = BigUint::from(1u8);
    if c1 <= one || c1 >= group.p || c2 >= group.p || x >= group.p {
        return None;
    }
    // c1^-x = c1^(p-1-x) for prime p.
    let exponent = &group.p - &one - &x;
    let m = (c2 * c1.modpow(&exponent, &group.p)) % &group.p;
    let encoded = Zeroizing::new(m.to_bytes_be());
    // The leading 00 is gone in the number: 02, padding, 00, message.
    let rest = encoded.strip_prefix(&[2])?;
    let separator = rest.iter().position(|&b| b == 0)?;
    let message = rest.get(separator + 1..)?;
    let (&cipher, rest) = message.split_first()?;
    let key_len = rest.len().checked_sub(2)?;
    let (key, sum) = rest.split_at(key_len);
    let cipher = SymmetricKeyAlgorithm::from(cipher);
    if cipher.key_size() != key.len() || session_block(cipher, key).get(1 + key_len..)? != sum {
        return None;
    }
    Some((cipher, Zeroizing::new(key.to_vec())))
}

/// A v3 PKESK packet for an ElGamal key with this key ID, holding `c1` and `c2`.
pub(crate) fn pkesk_packet(key_id: &[u8], c1: &[u8], c2: &[u8]) -> Vec<u8> {
    let mut body = vec![3];
    body.extend_from_slice(key_id);
    body.push(16);
    for value in [c1, c2] {
        let bits = value.first().map_or(0, |&top| {
            (value.len() - 1) * 8 + (8 - top.leading_zeros() as usize)
        });
        body.extend_from_slice(&u16::try_from(bits).unwrap_or(u16::MAX).to_be_bytes());
        body.extend_from_slice(value);
    }
    let mut packet = vec![0xC0 | 1];
    let len = body.len();
    if len < 192 {
        packet.push(len as u8);
    } else if len < 8384 {
        let rest = len - 192;
        packet.extend_from_slice(&[(rest >> 8) as u8 + 192, rest as u8]);
    } else {
        packet.push(0xFF);
        packet.extend_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes());
    }
    packet.extend_from_slice(&body);
    packet
}
