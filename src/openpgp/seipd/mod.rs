//! The encrypted container of public-key messages — SEIPDv1 (CFB with a
//! modification detection code, what GnuPG reads and writes) and SEIPDv2
//! with AES-GCM — written and read here instead of by rPGP's stream, so the
//! AES can be done by whatever does it fastest ([`Primitives`]): in a browser
//! WebCrypto (AES instructions, the browser's own threads), elsewhere the
//! software cipher.
//! Only the common shapes are taken (public-key session keys, one container);
//! everything else is rPGP's.

pub(crate) mod v1;
pub(crate) mod v2;

use pgp::composed::{PlainSessionKey, SignedSecretKey};
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use std::ops::Range;

use pgp::packet::{
    Packet, PacketHeader, PacketParser, PacketTrait, PublicKeyEncryptedSessionKey,
    SymEncryptedProtectedDataConfig,
};
use pgp::types::{DecryptionKey, EskType, PacketLength, Password, PkeskVersion, Tag};
use zeroize::Zeroizing;

use super::error::{OpenPgpError, Result};
use super::framing;
use super::primitives::{self, Primitives};
use super::validity::EncryptionTarget;

/// Packet 18 (the container) in the new format, its length stated whole:
/// the header, then `body_len` octets follow.
fn write_container_header(out: &mut Vec<u8>, body_len: usize) -> Result<()> {
    let length = u32::try_from(body_len).map_err(|_| OpenPgpError::TooLarge {
        size: body_len,
        limit: u32::MAX as usize,
    })?;
    out.push(0xC0 | 18);
    match length {
        0..=191 => out.push(length as u8),
        192..=8383 => {
            let rest = length - 192;
            out.extend_from_slice(&[(rest >> 8) as u8 + 192, rest as u8]);
        }
        _ => {
            out.push(0xFF);
            out.extend_from_slice(&length.to_be_bytes());
        }
    }
    Ok(())
}

/// How many octets sealing adds at most to `packets_len` octets of packets
/// for `recipients` recipients (PKESKs, the container's header, SEIPDv1's
/// prefix and MDC or SEIPDv2's tags): the room their buffer should have so a
/// large message is sealed where it lies, not copied.
pub(crate) fn overhead(packets_len: usize, recipients: usize) -> usize {
    // An ML-KEM-768+X25519 PKESK (RFC 9980), the largest in use, is 1,200
    // octets at most (RSA-4096: 524).
    let chunks = packets_len / v2::CHUNK_LEN + 1;
    recipients
        .saturating_mul(1_200)
        .saturating_add(chunks.saturating_mul(primitives::GCM_TAG))
        .saturating_add(128)
}

/// A fresh session key for `cipher`, and written to `out` a PKESK of
/// `version` holding it for each target.
fn new_session(
    targets: &[EncryptionTarget<'_>],
    cipher: SymmetricKeyAlgorithm,
    version: PkeskVersion,
    out: &mut Vec<u8>,
) -> Result<Zeroizing<Vec<u8>>> {
    let mut session_key = Zeroizing::new(vec![0u8; cipher.key_size()]);
    rand::RngCore::fill_bytes(&mut super::rng(), &mut session_key);
    let raw = pgp::composed::RawSessionKey::from(session_key.to_vec());
    for target in targets {
        let details: &dyn pgp::types::KeyDetails = match target {
            EncryptionTarget::Subkey(subkey) => &subkey.key,
            EncryptionTarget::Primary(primary) => *primary,
        };
        if let pgp::types::PublicParams::Elgamal(_) = details.public_params() {
            // rPGP has no ElGamal; RFC 9580 allows it in v3 PKESKs only.
            if version != PkeskVersion::V3 {
                return Err(OpenPgpError::Unsupported(
                    "ElGamal keys cannot receive SEIPDv2 messages".into(),
                ));
            }
            let (c1, c2) = super::elgamal::encrypt(details.public_params(), cipher, &session_key)?;
            out.extend_from_slice(&super::elgamal::pkesk_packet(
                details.legacy_key_id().as_ref(),
                &c1,
                &c2,
            ));
            continue;
        }
        let esk = match target {
            EncryptionTarget::Subkey(subkey) => pkesk(&raw, cipher, version, &subkey.key),
            EncryptionTarget::Primary(primary) => pkesk(&raw, cipher, version, *primary),
        };
        esk.and_then(|esk| esk.to_writer_with_header(out))
            .map_err(|e| OpenPgpError::Internal(e.to_string()))?;
    }
    Ok(session_key)
}

fn pkesk(
    raw: &pgp::composed::RawSessionKey,
    cipher: SymmetricKeyAlgorithm,
    version: PkeskVersion,
    key: &impl pgp::types::EncryptionKey,
) -> pgp::errors::Result<PublicKeyEncryptedSessionKey> {
    match version {
        PkeskVersion::V6 => {
            PublicKeyEncryptedSessionKey::from_session_key_v6(super::rng(), raw, key)
        }
        _ => PublicKeyEncryptedSessionKey::from_session_key_v3(super::rng(), raw, cipher, key),
    }
}

/// How many pieces (partial lengths) a container in `len` octets may be read
/// in here: writers cut pieces of 512 octets or more (GnuPG, rPGP), so this
/// is never reached by them; a container cut finer (after its first piece
/// each may be one octet) would otherwise cost more memory for its ranges
/// than its octets, and is left to rPGP's reader.
fn most_container_pieces(len: usize) -> usize {
    len / 256 + 2
}

/// A message that is PKESKs and one container, as read here: the PKESKs
/// parsed, the container's version and parameters, and where its body lies
/// in the message's octets — found without copying it, so a large message
/// is decrypted where it lies.
struct Container {
    esks: Vec<PublicKeyEncryptedSessionKey>,
    config: SymEncryptedProtectedDataConfig,
    /// The body after the parameters: one range, or one per partial length.
    body: Vec<Range<usize>>,
}

impl Container {
    /// The PKESKs and the container, if that is all `input` holds (marker
    /// and padding packets aside).
    fn find(input: &[u8]) -> Option<Self> {
        let mut esks = Vec::new();
        let mut at = 0usize;
        loop {
            let rest = input.get(at..)?;
            let mut reader = rest;
            let header = PacketHeader::try_from_reader(&mut reader).ok()?;
            let body_start = at + (rest.len() - reader.len());
            match header.tag() {
                Tag::PublicKeyEncryptedSessionKey | Tag::Marker | Tag::Padding => {
                    let PacketLength::Fixed(len) = header.packet_length() else {
                        return None;
                    };
                    let end = body_start.checked_add(len as usize)?;
                    let packet = input.get(at..end)?;
                    if header.tag() == Tag::PublicKeyEncryptedSessionKey {
                        match PacketParser::new(packet).next()?.ok()? {
                            Packet::PublicKeyEncryptedSessionKey(esk) => esks.push(esk),
                            _ => return None,
                        }
                    }
                    at = end;
                }
                Tag::SymEncryptedProtectedData => {
                    let mut body = framing::body_pieces(
                        body_start,
                        header.packet_length(),
                        input.len(),
                        most_container_pieces(input.len()),
                        |at| framing::length_in(input.get(at..)?),
                    )?;
                    let first = body.first_mut()?;
                    let mut reader = input.get(first.clone())?;
                    let config =
                        SymEncryptedProtectedDataConfig::try_from_reader(&mut reader).ok()?;
                    first.start = first.end - reader.len();
                    return Some(Self { esks, config, body });
                }
                _ => return None,
            }
        }
    }

    /// Moves the body's pieces together (partial lengths put length octets
    /// between them) and returns where it now lies, whole.
    fn join(&self, input: &mut [u8]) -> Range<usize> {
        let start = self.body.first().map_or(0, |first| first.start);
        let mut end = start;
        for piece in &self.body {
            input.copy_within(piece.clone(), end);
            end += piece.len();
        }
        start..end
    }
}

/// A session key, with the cipher when the PKESK names it (v3 does, v6
/// leaves it to the container).
struct SessionKey {
    cipher: Option<SymmetricKeyAlgorithm>,
    key: Zeroizing<Vec<u8>>,
}

/// The session key from the first PKESK of `version` that one of the
/// (unlocked) keys opens.
fn session_key(
    esks: &[PublicKeyEncryptedSessionKey],
    keys: &[SignedSecretKey],
    version: PkeskVersion,
) -> Option<SessionKey> {
    let esk_type = match version {
        PkeskVersion::V3 => EskType::V3_4,
        PkeskVersion::V6 => EskType::V6,
        _ => return None,
    };
    let open = |esk: &PublicKeyEncryptedSessionKey,
                packet: &dyn DecryptionKey,
                secret: &pgp::types::SecretParams| {
        let values = esk.values().ok()?;
        if let pgp::types::PkeskBytes::Elgamal { first, second } = values {
            return elgamal_session_key(packet, secret, first.as_ref(), second.as_ref());
        }
        match &packet.decrypt(&Password::empty(), values, esk_type) {
            Ok(Ok(PlainSessionKey::V3_4 { sym_alg, key })) => Some(SessionKey {
                cipher: Some(*sym_alg),
                key: Zeroizing::new(key.as_ref().to_vec()),
            }),
            Ok(Ok(PlainSessionKey::V6 { key })) => Some(SessionKey {
                cipher: None,
                key: Zeroizing::new(key.as_ref().to_vec()),
            }),
            _ => None,
        }
    };
    for esk in esks.iter().filter(|e| e.version() == version) {
        for key in keys {
            if esk.match_identity(key.primary_key.public_key())
                && let Some(found) = open(esk, &key.primary_key, key.primary_key.secret_params())
            {
                return Some(found);
            }
            for subkey in &key.secret_subkeys {
                if esk.match_identity(subkey.key.public_key())
                    && let Some(found) = open(esk, &subkey.key, subkey.key.secret_params())
                {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// The session key in an ElGamal PKESK, opened here (rPGP has no ElGamal).
fn elgamal_session_key(
    packet: &dyn DecryptionKey,
    secret: &pgp::types::SecretParams,
    c1: &[u8],
    c2: &[u8],
) -> Option<SessionKey> {
    use pgp::types::{PlainSecretParams, SecretParams};
    let SecretParams::Plain(PlainSecretParams::Elgamal(secret)) = secret else {
        return None;
    };
    let (cipher, key) = super::elgamal::decrypt(packet.public_params(), secret.as_bytes(), c1, c2)?;
    Some(SessionKey {
        cipher: Some(cipher),
        key,
    })
}

/// Where the packets inside a container are once it is opened.
#[derive(Debug, PartialEq)]
pub(crate) enum Inside<A> {
    /// In the input, at this range.
    Here(Range<usize>),
    /// Where the primitives made them ([`Primitives::gcm_open_apart`]), and
    /// the room in the input they would fill, should the core read them
    /// there after all.
    Apart(A, Range<usize>),
}

/// How a container read here is sealed.
enum Sealed {
    V1(SymmetricKeyAlgorithm),
    V2(v2::Header),
}

/// Decrypts the container where it lies in `input` and returns where the
/// packets inside it (literal data, signatures, compression) now are: in
/// `input`, or apart where the primitives made them; `None`, with `input` untouched, when the message
/// is not one read here — then rPGP reads it. Keys must already be unlocked.
/// After an error nothing in `input` is to be used.
pub(crate) async fn decrypt<P: Primitives>(
    input: &mut [u8],
    keys: &[SignedSecretKey],
    primitives: &P,
) -> Option<Result<Inside<P::Apart>>> {
    let found = Container::find(input)?;
    let (sealed, session) = match found.config {
        SymEncryptedProtectedDataConfig::V1 => {
            let session = session_key(&found.esks, keys, PkeskVersion::V3)?;
            // A v3 PKESK names the cipher; checked before the input is touched.
            (Sealed::V1(session.cipher?), session)
        }
        SymEncryptedProtectedDataConfig::V2 {
            sym_alg,
            aead,
            chunk_size,
            salt,
        } => {
            let header = v2::Header::read(sym_alg, aead, chunk_size, salt)?;
            (
                Sealed::V2(header),
                session_key(&found.esks, keys, PkeskVersion::V6)?,
            )
        }
    };
    let body = found.join(input);
    let octets = input.get_mut(body.clone())?;
    let inner = match sealed {
        Sealed::V1(cipher) => v1::open(octets, cipher, &session.key).map(Inside::Here),
        Sealed::V2(header) => v2::open(octets, &header, &session.key, primitives).await,
    };
    let within = |inner: Range<usize>| body.start + inner.start..body.start + inner.end;
    Some(inner.map(|inner| match inner {
        Inside::Here(inner) => Inside::Here(within(inner)),
        Inside::Apart(apart, room) => Inside::Apart(apart, within(room)),
    }))
}

/// What the tests of both container versions share.
#[cfg(test)]
mod test_support {
    use super::*;
    use crate::openpgp::keys::{self, GenerateOptions, Profile};
    use crate::openpgp::message::{self, EncryptOptions};
    use crate::openpgp::primitives::SoftPrimitives;
    use crate::openpgp::unlock::UnlockKey;

    /// [`decrypt`] with the software cipher, of a copy of `input`: the
    /// packets inside.
    pub(super) fn decrypt_soft(input: &[u8], keys: &[SignedSecretKey]) -> Option<Result<Vec<u8>>> {
        let mut copy = input.to_vec();
        let inner =
            crate::openpgp::run_now(async { Ok(decrypt(&mut copy, keys, &SoftPrimitives).await) })
                .ok()
                .flatten()?;
        Some(inner.map(|inner| match inner {
            Inside::Here(inner) => copy.get(inner).unwrap_or_default().to_vec(),
            Inside::Apart(never, _) => match never {},
        }))
    }

    /// The container's body (after its parameters) and its parameters.
    pub(super) fn body(
        message: &[u8],
    ) -> (
        Vec<PublicKeyEncryptedSessionKey>,
        SymEncryptedProtectedDataConfig,
        Vec<u8>,
    ) {
        let found = Container::find(message).expect("container");
        let body = found
            .body
            .iter()
            .flat_map(|piece| &message[piece.clone()])
            .copied()
            .collect();
        (found.esks, found.config, body)
    }

    /// A new unprotected key of `profile`.
    pub(super) fn key(profile: Profile) -> SignedSecretKey {
        keys::generate(&GenerateOptions {
            user_ids: vec!["S <s@example.org>".into()],
            profile,
            ..Default::default()
        })
        .expect("key")
    }

    /// `data` encrypted to `key` as the core does it, signed by it if asked.
    pub(super) fn sealed(key: &SignedSecretKey, data: &[u8], sign: bool) -> Vec<u8> {
        let signers = [UnlockKey {
            key,
            passphrase: None,
        }];
        message::encrypt(
            data,
            &EncryptOptions {
                recipients: &[key.to_public_key()],
                signers: if sign { &signers } else { &[] },
                ..Default::default()
            },
        )
        .expect("encrypt")
    }

    /// Every octet of the container's body, changed, is TAMPERED.
    pub(super) fn assert_every_changed_octet_is_tampering(message: &[u8], key: &SignedSecretKey) {
        let (_, _, body) = body(message);
        let start = message.len() - body.len();
        for index in start..message.len() {
            let mut changed = message.to_vec();
            changed[index] ^= 0x01;
            assert!(
                matches!(
                    decrypt_soft(&changed, std::slice::from_ref(key)),
                    Some(Err(OpenPgpError::Tampered))
                ),
                "octet {index}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{decrypt_soft, key};
    use super::*;
    use crate::openpgp::keys::Profile;
    use pgp::composed::MessageBuilder;
    use pgp::crypto::aead::{AeadAlgorithm, ChunkSize};

    /// A SEIPDv1 container alone, its body in a first piece of 512 octets,
    /// then `tiny` pieces of one octet and an empty last one.
    fn container_cut_into(tiny: usize) -> Vec<u8> {
        let mut out = vec![0xC0 | 18, 224 + 9, 1];
        out.extend([0u8; 511]);
        for _ in 0..tiny {
            out.extend([224, 0]);
        }
        out.push(0);
        out
    }

    #[test]
    fn a_container_cut_finer_than_any_writer_cuts_is_left_to_rpgp() {
        let few = container_cut_into(2);
        assert_eq!(Container::find(&few).map(|found| found.body.len()), Some(4));
        // Its ranges would take more memory than its octets: not read here.
        let many = container_cut_into(600);
        assert!(Container::find(&many).is_none());
    }

    fn literal(inner: &[u8]) -> Vec<u8> {
        let mut literal = Vec::new();
        std::io::Read::read_to_end(
            &mut pgp::composed::Message::from_bytes(inner).expect("packets"),
            &mut literal,
        )
        .expect("literal");
        literal
    }

    /// An RSA session key whose encrypted value has a leading zero octet
    /// (c < 256^383 for RSA-3072: about one message in 190 to this key) is
    /// written as RFC 9580 §3.2 says — the value's own bit count, no zero
    /// octets — in both PKESK versions, and opens here. The RSA padding's
    /// randomness comes from seeds tried in order, so each run writes the
    /// same packets.
    #[test]
    fn rsa_session_keys_with_a_leading_zero_octet_are_written_short_and_open() {
        use pgp::types::PkeskBytes;
        use rand::SeedableRng;
        let key = crate::openpgp::keys::test_rsa::key();
        let subkey = key.secret_subkeys[0].key.public_key();
        let raw = pgp::composed::RawSessionKey::from(vec![0x5A; 32]);
        for version in [PkeskVersion::V3, PkeskVersion::V6] {
            // About one seed in 190 gives such a value; these seeds hold several.
            let short = (0u64..10_000)
                .find_map(|seed| {
                    let rng = rand::rngs::StdRng::seed_from_u64(seed);
                    let esk = match version {
                        PkeskVersion::V6 => {
                            PublicKeyEncryptedSessionKey::from_session_key_v6(rng, &raw, subkey)
                        }
                        _ => PublicKeyEncryptedSessionKey::from_session_key_v3(
                            rng,
                            &raw,
                            SymmetricKeyAlgorithm::AES256,
                            subkey,
                        ),
                    }
                    .expect("PKESK");
                    // Below 256^383, whether or not a zero octet was kept.
                    let short = matches!(esk.values(), Ok(PkeskBytes::Rsa { mpi })
                        if mpi.len() < 384 || mpi.as_ref().first() == Some(&0));
                    short.then_some(esk)
                })
                .expect("a value below 256^383");
            let Ok(PkeskBytes::Rsa { mpi }) = short.values() else {
                panic!("an RSA PKESK");
            };
            let value = mpi.as_ref();
            assert_ne!(value[0], 0, "{version:?}: no leading zero octet");
            let bits = value.len() * 8 - value[0].leading_zeros() as usize;
            let mut written = Vec::new();
            short.to_writer_with_header(&mut written).expect("written");
            let mut expected_tail = u16::try_from(bits).expect("bits").to_be_bytes().to_vec();
            expected_tail.extend_from_slice(value);
            assert!(
                written.ends_with(&expected_tail),
                "{version:?}: MPI as written"
            );

            let read = match PacketParser::new(written.as_slice()).next() {
                Some(Ok(Packet::PublicKeyEncryptedSessionKey(esk))) => esk,
                other => panic!("{version:?}: read back as {other:?}"),
            };
            let opened =
                session_key(&[read], std::slice::from_ref(&key), version).expect("session key");
            assert_eq!(opened.key.as_slice(), &[0x5A; 32], "{version:?}");
        }
    }

    /// Messages written as a stream (GnuPG's way: the container in partial
    /// lengths, here 512 octets each) are joined where they lie and read
    /// here, both container versions; a cut one is not.
    #[test]
    fn containers_in_partial_lengths_are_read_in_place() {
        let data: Vec<u8> = (0..5_000u32).map(|i| (i % 241) as u8).collect();
        for profile in [Profile::Curve25519, Profile::Rfc9580] {
            let key = key(profile);
            let recipient = key.secret_subkeys[0].key.public_key();
            let source = || MessageBuilder::from_reader("", std::io::Cursor::new(data.clone()));
            let message = if profile == Profile::Rfc9580 {
                let mut builder = source().seipd_v2(
                    crate::openpgp::rng(),
                    SymmetricKeyAlgorithm::AES256,
                    AeadAlgorithm::Gcm,
                    ChunkSize::C256KiB,
                );
                builder.partial_chunk_size(512).expect("chunk size");
                builder
                    .encrypt_to_key(crate::openpgp::rng(), &recipient)
                    .expect("recipient");
                builder.to_vec(crate::openpgp::rng())
            } else {
                let mut builder =
                    source().seipd_v1(crate::openpgp::rng(), SymmetricKeyAlgorithm::AES256);
                builder.partial_chunk_size(512).expect("chunk size");
                builder
                    .encrypt_to_key(crate::openpgp::rng(), &recipient)
                    .expect("recipient");
                builder.to_vec(crate::openpgp::rng())
            }
            .expect("message");
            let found = Container::find(&message).expect("container");
            assert!(found.body.len() > 5, "{profile:?}: not in partial lengths");

            let inner = decrypt_soft(&message, std::slice::from_ref(&key))
                .expect("read here")
                .expect("decrypted");
            assert_eq!(literal(&inner), data, "{profile:?}");

            let cut = &message[..message.len() - 100];
            assert!(decrypt_soft(cut, std::slice::from_ref(&key)).is_none());
        }
    }
}
