//! Encrypting and decrypting messages, with the signatures inside them.
//! Recipients are judged by [`super::validity`] before use; decryption
//! refuses ciphertext without integrity protection and reports each
//! signature with the reason it is (or is not) valid.

use std::io::{Read, Write};
use std::ops::Range;

use pgp::composed::{
    Encryption, EncryptionSeipdV1, EncryptionSeipdV2, Esk, Message, MessageBuilder,
    SignedPublicKey, SignedSecretKey,
};
use pgp::crypto::aead::{AeadAlgorithm, ChunkSize};
use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::{DataMode, LiteralDataHeader, PacketHeader};
use pgp::types::{KeyDetails, Password, StringToKey, Tag};

use super::error::{OpenPgpError, Result};
use super::fingerprint::fingerprint;
use super::framing;
use super::primitives::{Apart, NotApart, Primitives, SoftPrimitives};
use super::seipd;
use super::unlock::{self, SigningPacket, UnlockKey, unlock_signers};
use super::validity::{CertView, EncryptionTarget, now};
use super::verify::{self, SignatureCheck};
use super::wipe::Wiped;
use super::{armor, rng};
use zeroize::Zeroizing;

/// The most plaintext Sealmark will produce from one message. Bounds what a
/// compression bomb can make us allocate.
pub const MAX_PLAINTEXT: usize = 256 * 1024 * 1024;

/// How to encrypt.
#[derive(Default)]
pub struct EncryptOptions<'a> {
    /// Certificates of the recipients (include the sender's own to read it later).
    pub recipients: &'a [SignedPublicKey],
    /// Keys to sign with.
    pub signers: &'a [UnlockKey<'a>],
    /// Passwords that can also decrypt (SKESK).
    pub passwords: &'a [String],
    /// ASCII-armored output.
    pub armor: bool,
    /// UTF-8 text (rather than binary) data. (No file name is written: rPGP
    /// 0.21 writes none, and RFC 9580 §5.9 advises against it, the name
    /// being covered by no signature.)
    pub text: bool,
}

/// Encrypts `data`. SEIPDv2 (AEAD) is used when every recipient announces
/// support for it — with AES-GCM when every one lists it, otherwise OCB —
/// and SEIPDv1 otherwise.
pub fn encrypt(data: &[u8], options: &EncryptOptions<'_>) -> Result<Vec<u8>> {
    encrypt_owned(data.to_vec(), options)
}

/// [`encrypt`] of data the caller hands over, which saves a copy of it.
pub fn encrypt_owned(data: Vec<u8>, options: &EncryptOptions<'_>) -> Result<Vec<u8>> {
    super::run_now(encrypt_with(
        std::io::Cursor::new(data),
        options,
        &SoftPrimitives,
    ))
}

/// Encrypts what `data` yields into `out` while it is read: rPGP writes the
/// literal data in partial-length chunks, so memory stays bounded whatever
/// the size (the delivery filter's way; `encrypt` builds the message whole to
/// seal it in place with the browser's AES). Recipients are judged and the
/// container chosen as for [`encrypt`]; nothing is written before they pass.
/// An error after that leaves `out` with part of a message: discard it.
pub fn encrypt_stream(
    data: impl Read,
    out: impl Write,
    options: &EncryptOptions<'_>,
) -> Result<()> {
    let (targets, container) = targets(options)?;
    let signing = super::run_now(unlock_signers(options.signers, &SoftPrimitives))?;
    let builder = MessageBuilder::from_reader("", Literal::new(data, options.text));
    encrypt_rpgp(builder, options, &targets, container, &signing, out)
}

/// Input read once — data to encrypt, armored text to decrypt: octets in
/// memory, or in a browser JavaScript memory read piece by piece
/// (`crate::js_bytes::JsReader`), so the Wasm memory, which never shrinks,
/// holds only the message built from it or decoded from it.
pub trait ReadOnce: Read {
    /// How many octets there are.
    fn size(&self) -> usize;

    /// All of it at once, for the messages rPGP builds whole.
    fn into_bytes(self) -> std::io::Result<Vec<u8>>;
}

impl ReadOnce for std::io::Cursor<Vec<u8>> {
    fn size(&self) -> usize {
        self.get_ref().len()
    }

    fn into_bytes(self) -> std::io::Result<Vec<u8>> {
        Ok(self.into_inner())
    }
}

/// Data as a literal packet holds it: text (RFC 9580 §5.9) with every line
/// ending in CRLF, converted as it is read; binary data unchanged. rPGP 0.21
/// refuses a text literal with a bare LF, and text typed in a browser or read
/// from a Unix file has nothing else.
struct Literal<R> {
    inner: R,
    text: bool,
    /// The last octet read, to tell a CRLF from a bare LF across reads.
    previous: u8,
    /// An LF whose CR took the last octet of the caller's buffer.
    pending_lf: bool,
    scratch: Vec<u8>,
}

impl<R> Literal<R> {
    fn new(inner: R, text: bool) -> Self {
        Self {
            inner,
            text,
            previous: 0,
            pending_lf: false,
            scratch: Vec::new(),
        }
    }
}

impl<R: Read> Read for Literal<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if !self.text {
            return self.inner.read(out);
        }
        let mut slots = out.iter_mut();
        let mut written = 0;
        if self.pending_lf {
            let Some(slot) = slots.next() else {
                return Ok(0);
            };
            *slot = b'\n';
            self.pending_lf = false;
            written = 1;
        }
        let room = slots.len();
        if room == 0 {
            return Ok(written);
        }
        // Each octet read may become two: half the room is read, and with
        // one octet of room only an LF's CR fits (its LF waits).
        self.scratch.resize((room / 2).max(1), 0);
        let read = self.inner.read(&mut self.scratch)?;
        for &byte in self.scratch.iter().take(read) {
            if byte == b'\n' && self.previous != b'\r' {
                if let Some(slot) = slots.next() {
                    *slot = b'\r';
                    written += 1;
                }
                match slots.next() {
                    Some(slot) => {
                        *slot = b'\n';
                        written += 1;
                    }
                    None => self.pending_lf = true,
                }
            } else if let Some(slot) = slots.next() {
                *slot = byte;
                written += 1;
            }
            self.previous = byte;
        }
        Ok(written)
    }
}

impl<R: ReadOnce> ReadOnce for Literal<R> {
    fn size(&self) -> usize {
        // A hint for buffer sizes: text grows by its bare LFs.
        self.inner.size()
    }

    fn into_bytes(self) -> std::io::Result<Vec<u8>> {
        let data = self.inner.into_bytes()?;
        Ok(if self.text {
            super::canonical_crlf(&data)
        } else {
            data
        })
    }
}

/// The container a message is sealed in, by what every recipient reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    /// SEIPDv1 with this cipher.
    SeipdV1(SymmetricKeyAlgorithm),
    SeipdV2(AeadAlgorithm),
}

/// A message built by rPGP into `out`: SEIPDv2 with OCB, anything with
/// passwords, and every message streamed.
fn encrypt_rpgp<R: Read>(
    builder: MessageBuilder<'_, R>,
    options: &EncryptOptions<'_>,
    targets: &[EncryptionTarget<'_>],
    container: Container,
    signing: &[SigningPacket],
    out: impl Write,
) -> Result<()> {
    let mode = if options.text {
        DataMode::Utf8
    } else {
        DataMode::Binary
    };
    // The two container versions are different builder types with the same
    // steps; only password protection differs (Argon2 for v2).
    macro_rules! fill {
        ($builder:ident, $password:expr) => {{
            $builder.data_mode(mode).map_err(internal)?;
            for target in targets {
                match target {
                    EncryptionTarget::Subkey(subkey) => $builder.encrypt_to_key(rng(), &subkey.key),
                    EncryptionTarget::Primary(primary) => $builder.encrypt_to_key(rng(), *primary),
                }
                .map_err(internal)?;
            }
            for password in options.passwords {
                let password = Password::from(password.as_str());
                $password(&mut $builder, &password)?;
            }
            for packet in signing {
                $builder.sign(packet.key(), unlock::no_password(), HashAlgorithm::Sha512);
            }
            emit($builder, options.armor, out)
        }};
    }
    if let Container::SeipdV2(aead) = container {
        let mut builder = builder.seipd_v2(
            rng(),
            SymmetricKeyAlgorithm::AES256,
            aead,
            ChunkSize::default(),
        );
        fill!(builder, |b: &mut MessageBuilder<
            '_,
            _,
            EncryptionSeipdV2,
        >,
                        p: &Password| {
            b.encrypt_with_password(rng(), StringToKey::new_argon2(rng(), 3, 4, 16), p)
                .map(|_| ())
                .map_err(internal)
        })
    } else {
        let cipher = match container {
            Container::SeipdV1(cipher) => cipher,
            Container::SeipdV2(_) => SymmetricKeyAlgorithm::AES256,
        };
        let mut builder = builder.seipd_v1(rng(), cipher);
        fill!(builder, |b: &mut MessageBuilder<
            '_,
            _,
            EncryptionSeipdV1,
        >,
                        p: &Password| {
            let s2k = StringToKey::new_iterated(rng(), HashAlgorithm::Sha256, 224);
            b.encrypt_with_password(s2k, p)
                .map(|_| ())
                .map_err(internal)
        })
    }
}

/// The recipients' encryption keys, judged usable, and the container every
/// recipient reads.
fn targets<'a>(options: &EncryptOptions<'a>) -> Result<(Vec<EncryptionTarget<'a>>, Container)> {
    if options.recipients.is_empty() && options.passwords.is_empty() {
        return Err(OpenPgpError::BadInput(
            "give at least one recipient or password".into(),
        ));
    }
    let at = now();
    let mut targets = Vec::new();
    let mut all_support_v2 = !options.recipients.is_empty();
    let mut all_read_gcm = true;
    let mut preferences = Vec::new();
    let mut all_read_aes256 = true;
    for cert in options.recipients {
        let view = CertView::new(cert, at);
        view.check_usable()?;
        let (keys, refused) = view.encryption_keys_or_weakness();
        if keys.is_empty() {
            return Err(match refused {
                Some(reason) => OpenPgpError::WeakKey {
                    fingerprint: view.fingerprint(),
                    reason,
                },
                None => OpenPgpError::NoEncryptionKey(view.fingerprint()),
            });
        }
        all_support_v2 &= view.supports_seipd_v2();
        all_read_gcm &= view
            .aead_suites()
            .contains(&(SymmetricKeyAlgorithm::AES256, AeadAlgorithm::Gcm));
        // RFC 9980: AES-256 is implied for a certificate with a
        // post-quantum key.
        all_read_aes256 &= view.preferred_symmetric().is_empty()
            || view
                .preferred_symmetric()
                .contains(&SymmetricKeyAlgorithm::AES256)
            || keys.iter().any(EncryptionTarget::post_quantum);
        preferences.push(view.preferred_symmetric().to_vec());
        targets.extend(keys);
    }
    // RFC 9980 recommends AES-256 for a message to a post-quantum key
    // whenever every recipient reads it: its session key is what a quantum
    // computer would attack next (Grover's search halves AES-128's margin).
    let post_quantum = targets.iter().any(EncryptionTarget::post_quantum);
    let container = match (all_support_v2, all_read_gcm) {
        (false, _) if post_quantum && all_read_aes256 => {
            Container::SeipdV1(SymmetricKeyAlgorithm::AES256)
        }
        (false, _) => Container::SeipdV1(common_cipher(&preferences)),
        (true, true) => Container::SeipdV2(AeadAlgorithm::Gcm),
        (true, false) => Container::SeipdV2(AeadAlgorithm::Ocb),
    };
    Ok((targets, container))
}

/// The SEIPDv1 cipher: the first strong cipher of the first recipient's
/// preferences that every recipient lists (a recipient who lists nothing
/// reads any), else AES-256, which every OpenPGP program reads. Only AES-128
/// and AES-256 are chosen: browsers' WebCrypto has no AES-192, and the
/// older ciphers are not strong enough to offer (`super::policy`).
fn common_cipher(preferences: &[Vec<SymmetricKeyAlgorithm>]) -> SymmetricKeyAlgorithm {
    let offered = [SymmetricKeyAlgorithm::AES256, SymmetricKeyAlgorithm::AES128];
    let first = preferences
        .iter()
        .find(|p| !p.is_empty())
        .cloned()
        .unwrap_or_else(|| offered.to_vec());
    first
        .into_iter()
        .filter(|c| offered.contains(c) && super::policy::strong_cipher(*c))
        .find(|c| preferences.iter().all(|p| p.is_empty() || p.contains(c)))
        .unwrap_or(SymmetricKeyAlgorithm::AES256)
}

/// [`encrypt_owned`] with the AES done by `aes` (WebCrypto in a browser).
/// Public-key messages in SEIPDv1 or SEIPDv2 with GCM are sealed by
/// [`seipd`] around the signed packets rPGP writes; OCB and
/// password-protected messages are rPGP's whole.
pub(crate) async fn encrypt_with(
    data: impl ReadOnce,
    options: &EncryptOptions<'_>,
    primitives: &impl Primitives,
) -> Result<Vec<u8>> {
    let (targets, container) = targets(options)?;
    let signing = unlock_signers(options.signers, primitives).await?;
    let data = Literal::new(data, options.text);
    if container == Container::SeipdV2(AeadAlgorithm::Ocb) || !options.passwords.is_empty() {
        let data = data.into_bytes().map_err(read_error)?;
        let mut out = sized_output(options.armor, data.len());
        let builder = MessageBuilder::from_bytes("", data);
        encrypt_rpgp(builder, options, &targets, container, &signing, &mut out)?;
        return Ok(out);
    }
    let data_len = data.size();
    let mut builder = MessageBuilder::from_reader("", data);
    builder
        .data_mode(if options.text {
            DataMode::Utf8
        } else {
            DataMode::Binary
        })
        .map_err(internal)?;
    for packet in &signing {
        builder.sign(packet.key(), unlock::no_password(), HashAlgorithm::Sha512);
    }
    // Room for the signatures and for what sealing adds: the container is
    // built in this buffer, so a large message is held once.
    let packets_len = data_len.saturating_add(16 * 1024);
    let mut inner =
        Vec::with_capacity(packets_len.saturating_add(seipd::overhead(packets_len, targets.len())));
    builder.to_writer(rng(), &mut inner).map_err(internal)?;
    let packets = match container {
        Container::SeipdV1(cipher) => seipd::v1::seal(inner, &targets, cipher, primitives).await?,
        Container::SeipdV2(_) => seipd::v2::seal(inner, &targets, primitives).await?,
    };
    if options.armor {
        armor::armor_bytes(&packets).map(String::into_bytes)
    } else {
        Ok(packets)
    }
}

/// Writes a built message armored or binary into a buffer sized for it up
/// front (`data_len` is the plaintext's length): a growing buffer would hold
/// the largest messages up to twice while it is copied.
pub(crate) fn finish<R: Read, E: Encryption>(
    builder: MessageBuilder<'_, R, E>,
    armor: bool,
    data_len: usize,
) -> Result<Vec<u8>> {
    let mut out = sized_output(armor, data_len);
    emit(builder, armor, &mut out)?;
    Ok(out)
}

/// A buffer with room for the message built from `data_len` octets.
fn sized_output(armor: bool, data_len: usize) -> Vec<u8> {
    let binary_len = data_len.saturating_add(16 * 1024);
    if armor {
        let armored_len = binary_len / 3 * 4;
        Vec::with_capacity(armored_len.saturating_add(armored_len / 64))
    } else {
        Vec::with_capacity(binary_len)
    }
}

/// Writes a built message, armored or binary, into `out` as it is built.
fn emit<R: Read, E: Encryption>(
    builder: MessageBuilder<'_, R, E>,
    armor: bool,
    out: impl Write,
) -> Result<()> {
    if armor {
        builder.to_armored_writer(rng(), Default::default(), out)
    } else {
        builder.to_writer(rng(), out)
    }
    .map_err(internal)
}

fn internal(error: pgp::errors::Error) -> OpenPgpError {
    OpenPgpError::Internal(error.to_string())
}

/// How to decrypt.
#[derive(Default)]
pub struct DecryptOptions<'a> {
    /// Secret keys that may fit.
    pub keys: &'a [UnlockKey<'a>],
    /// Passwords that may fit.
    pub passwords: &'a [String],
    /// Certificates to check signatures with.
    pub verification: &'a [SignedPublicKey],
    /// The most plaintext to produce; `None` means [`MAX_PLAINTEXT`].
    pub max_plaintext: Option<usize>,
}

/// The result of decryption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decrypted<D = Vec<u8>> {
    /// The plaintext. Valid signatures cover exactly these bytes.
    pub data: D,
    /// The file name stored with the data, if any.
    pub filename: Option<String>,
    /// Every signature over the data.
    pub signatures: Vec<SignatureCheck>,
}

/// Where decrypted data is written: a `Vec` here; in a browser JavaScript
/// memory (`crate::js_bytes`), so the Wasm memory, which never shrinks, does
/// not hold a large plaintext besides its ciphertext.
pub trait Plaintext: Default {
    /// Told, before anything is written, how many octets are likely to come.
    fn expect(&mut self, _len: usize) {}

    /// Reads `reader` to its end into this; how many octets came.
    fn read_all(&mut self, reader: &mut impl Read) -> std::io::Result<usize>;
}

impl Plaintext for Vec<u8> {
    fn expect(&mut self, len: usize) {
        self.reserve(len);
    }

    fn read_all(&mut self, reader: &mut impl Read) -> std::io::Result<usize> {
        reader.read_to_end(self)
    }
}

/// Plaintext the primitives left apart ([`Primitives::gcm_open_apart`]),
/// taken as the data where it is: in a browser a `Uint8Array` that never
/// passes through the core's memory.
pub(crate) trait Adopt<A> {
    /// `pieces` of `apart`, one after another, become all of this; `apart`
    /// comes back when it cannot be taken so (the core then reads it as it
    /// reads any message).
    fn adopt(&mut self, apart: A, pieces: &[Range<usize>]) -> std::result::Result<(), A>;
}

impl<D: Plaintext> Adopt<NotApart> for D {
    fn adopt(&mut self, apart: NotApart, _: &[Range<usize>]) -> std::result::Result<(), NotApart> {
        match apart {}
    }
}

/// The most pieces (partial lengths) of literal data taken apart: writers
/// use pieces of 512 KiB (rPGP) or more, so 4,096 are 2 GiB; a message cut
/// finer is read by rPGP.
const MOST_LITERAL_PIECES: usize = 4096;

/// Octets `at..at + len` of `packets` (fewer where they end), copied in.
fn octets_of(packets: &impl Apart, at: usize, len: usize) -> Option<Zeroizing<Vec<u8>>> {
    let len = len.min(packets.len().checked_sub(at)?);
    let mut out = Zeroizing::new(vec![0u8; len]);
    packets.copy_out(at, &mut out).then_some(out)
}

/// Where the data lies — one piece, or one per partial length — when
/// `packets` are exactly one literal data packet, ending where they end: a
/// message neither signed nor compressed. Its header comes too. `None` for
/// anything else, which rPGP then reads; only packet and literal headers
/// are copied in to judge.
fn lone_literal(packets: &impl Apart) -> Option<(Vec<Range<usize>>, LiteralDataHeader)> {
    let head = octets_of(packets, 0, 6)?;
    let mut reader = &head[..];
    let header = PacketHeader::try_from_reader(&mut reader).ok()?;
    if header.tag() != Tag::LiteralData {
        return None;
    }
    let mut pieces = framing::body_pieces(
        head.len() - reader.len(),
        header.packet_length(),
        packets.len(),
        MOST_LITERAL_PIECES,
        |at| framing::length_in(&octets_of(packets, at, 5)?),
    )?;
    // The literal header lies in the first piece (it is 261 octets at most).
    let first = pieces.first_mut()?;
    let head = octets_of(packets, first.start, first.len().min(6 + 255))?;
    let mut reader = &head[..];
    let literal = LiteralDataHeader::try_from_reader(&mut reader).ok()?;
    if matches!(literal.mode(), DataMode::Other(_)) {
        return None;
    }
    first.start += head.len() - reader.len();
    Some((pieces, literal))
}

/// The file name a literal data packet states, if any.
fn file_name(header: &LiteralDataHeader) -> Option<String> {
    Some(String::from_utf8_lossy(header.file_name()).into_owned()).filter(|n| !n.is_empty())
}

/// Decrypts a message (armored or binary) and checks the signatures inside.
pub fn decrypt(input: &[u8], options: &DecryptOptions<'_>) -> Result<Decrypted> {
    let owned = message_bytes(input)?.into_owned();
    super::run_now(decrypt_prepared(
        Wiped::new(owned),
        options,
        &SoftPrimitives,
    ))
}

/// [`decrypt`] of a message the caller hands over: it is decrypted where it
/// lies, and armored text is let go as soon as it is decoded, so a large
/// message is not held twice.
pub fn decrypt_owned(input: Vec<u8>, options: &DecryptOptions<'_>) -> Result<Decrypted> {
    super::run_now(decrypt_with(input, options, &SoftPrimitives))
}

/// [`decrypt_owned`] with the AES of the containers read by [`seipd`] done
/// by `primitives` (WebCrypto in a browser).
pub(crate) async fn decrypt_with<P: Primitives, D: Plaintext + Adopt<P::Apart>>(
    input: Vec<u8>,
    options: &DecryptOptions<'_>,
    primitives: &P,
) -> Result<Decrypted<D>> {
    let decoded = match message_bytes(&input)? {
        std::borrow::Cow::Owned(decoded) => Some(decoded),
        std::borrow::Cow::Borrowed(_) => None,
    };
    decrypt_prepared(Wiped::new(decoded.unwrap_or(input)), options, primitives).await
}

/// [`decrypt_with`] of text read piece by piece (in a browser a JavaScript
/// string): the armor is decoded as it is read, so only the message's data
/// is held and not its text as well. Anything but one clean message block is
/// read whole and repaired, as [`decrypt_with`] does.
pub(crate) async fn decrypt_text_with<P: Primitives, D: Plaintext + Adopt<P::Apart>>(
    mut text: impl ReadOnce,
    options: &DecryptOptions<'_>,
    primitives: &P,
) -> Result<Decrypted<D>> {
    let size = text.size();
    match armor::message_data_read(&mut text, size) {
        Ok(Some(data)) => decrypt_prepared(Wiped::new(data), options, primitives).await,
        _ => decrypt_with(text.into_bytes().map_err(read_error)?, options, primitives).await,
    }
}

/// Decrypts binary `input`. The containers read here are decrypted in its
/// buffer, which is zeroed when dropped: what is left of the plaintext there
/// would otherwise stay in memory (Wasm memory is never given back).
async fn decrypt_prepared<P: Primitives, D: Plaintext + Adopt<P::Apart>>(
    mut input: Wiped,
    options: &DecryptOptions<'_>,
    primitives: &P,
) -> Result<Decrypted<D>> {
    let esk = key_packets(&input)?;

    // Keys that the message is addressed to; their passphrases are checked
    // first so the user hears "wrong passphrase", not "cannot decrypt".
    let mut candidates = Vec::new();
    let mut protected = None;
    for key in options.keys {
        let addressed = addressed_packets(&esk, key.key);
        if addressed.is_empty() {
            continue;
        }
        // Only the packets a session key is encrypted to are unlocked.
        let wanted = |fpr: &str| addressed.iter().any(|a| a == fpr);
        match unlock::unlocked(key, wanted, primitives).await {
            Ok(copy) => candidates.push(copy),
            Err(error @ OpenPgpError::BadPassphrase(_)) => return Err(error),
            Err(error) => protected = Some(error),
        }
    }
    if let Some(opened) = seipd::decrypt(&mut input, &candidates, primitives).await {
        let inner = match opened? {
            seipd::Inside::Here(inner) => inner,
            seipd::Inside::Apart(apart, room) => {
                let max_plaintext = options.max_plaintext.unwrap_or(MAX_PLAINTEXT);
                match adopted::<P, D>(apart, max_plaintext)? {
                    // The input held only ciphertext: nothing there to zero.
                    Ok(decrypted) => {
                        drop(input.release());
                        return Ok(decrypted);
                    }
                    // Read here after all: into the room the container's body left.
                    Err(apart) => {
                        let inner = room.start..room.start.saturating_add(apart.len());
                        let copied = input
                            .get_mut(inner.clone())
                            .is_some_and(|room| apart.copy_out(0, room));
                        if !copied {
                            return Err(OpenPgpError::Internal(
                                "the opened container does not fit where it was".into(),
                            ));
                        }
                        inner
                    }
                }
            }
        };
        let inner = input.get(inner).unwrap_or_default();
        let message = Message::from_bytes(inner).map_err(bad_message)?;
        if message.is_encrypted() {
            return Err(OpenPgpError::BadMessage(
                "the message holds another encrypted message".into(),
            ));
        }
        return read_verified(
            message,
            options.verification,
            options.max_plaintext.unwrap_or(MAX_PLAINTEXT),
            inner.len(),
        );
    }
    let no_password = unlock::no_password();
    let passwords: Vec<Password> = options
        .passwords
        .iter()
        .map(|p| Password::from(p.as_str()))
        .collect();
    if candidates.is_empty() && passwords.is_empty() {
        return Err(protected.unwrap_or(OpenPgpError::CannotDecrypt));
    }
    let ring = pgp::composed::TheRing {
        secret_keys: candidates.iter().collect(),
        key_passwords: candidates.iter().map(|_| &no_password).collect(),
        message_password: passwords.iter().collect(),
        ..Default::default()
    };
    let (message, _) = parse_message(&input)?
        .decrypt_the_ring(ring, true)
        .map_err(decrypt_error)?;
    read_verified(
        message,
        options.verification,
        options.max_plaintext.unwrap_or(MAX_PLAINTEXT),
        input.len(),
    )
}

/// The data of an opened container left apart, taken where it is when the
/// container holds one literal data packet and nothing else (so there is no
/// signature to check); `apart` back for anything else.
fn adopted<P: Primitives, D: Plaintext + Adopt<P::Apart>>(
    apart: P::Apart,
    max_plaintext: usize,
) -> Result<std::result::Result<Decrypted<D>, P::Apart>> {
    let Some((pieces, literal)) = lone_literal(&apart) else {
        return Ok(Err(apart));
    };
    let size = pieces.iter().map(|piece| piece.len()).sum::<usize>();
    if size > max_plaintext {
        return Err(OpenPgpError::PlaintextTooLarge {
            limit: max_plaintext,
        });
    }
    let mut plaintext = D::default();
    Ok(match plaintext.adopt(apart, &pieces) {
        Ok(()) => Ok(Decrypted {
            data: plaintext,
            filename: file_name(&literal),
            signatures: Vec::new(),
        }),
        Err(apart) => Err(apart),
    })
}

/// Verifies and reads an unencrypted signed message (`inline-verify` of binary data).
pub fn read_signed(input: &[u8], verification: &[SignedPublicKey]) -> Result<Decrypted> {
    let input = message_bytes(input)?;
    let message = parse_message(&input)?;
    if message.is_encrypted() {
        return Err(OpenPgpError::BadMessage(
            "the message is encrypted; decrypt it instead".into(),
        ));
    }
    read_verified(message, verification, MAX_PLAINTEXT, input.len())
}

/// The message as binary data when it is one clean block (the common case,
/// and the only one where size matters), otherwise every block repaired.
fn message_bytes(input: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>> {
    match armor::message_data(input) {
        Ok(Some(data)) => Ok(data),
        _ => armor::repaired_if_armored(input).map(std::borrow::Cow::Owned),
    }
}

fn parse_message(input: &[u8]) -> Result<Message<'_>> {
    let parsed = if armor::is_armored(input) {
        Message::from_armor(input).map(|(m, _)| m)
    } else {
        Message::from_bytes(input)
    };
    parsed.map_err(|e| OpenPgpError::BadMessage(e.to_string()))
}

/// rPGP sizes an SEIPDv2 nonce by its AEAD algorithm and panics (a dead
/// Wasm module) on one it does not know: those are refused first.
fn refuse_unknown_aead(edata: &pgp::composed::Edata<'_>) -> Result<()> {
    use pgp::packet::{ProtectedDataConfig, SymEncryptedProtectedDataConfig};
    let pgp::composed::Edata::SymEncryptedProtectedData { reader } = edata else {
        return Ok(());
    };
    match reader.config() {
        ProtectedDataConfig::Seipd(SymEncryptedProtectedDataConfig::V2 { aead, .. })
            if !matches!(
                aead,
                AeadAlgorithm::Eax | AeadAlgorithm::Ocb | AeadAlgorithm::Gcm
            ) =>
        {
            Err(OpenPgpError::Unsupported(format!(
                "the message is sealed with an AEAD algorithm OpenPGP does not define ({aead:?})"
            )))
        }
        _ => Ok(()),
    }
}

fn decrypt_error(error: pgp::errors::Error) -> OpenPgpError {
    match error {
        pgp::errors::Error::MissingKey => OpenPgpError::CannotDecrypt,
        pgp::errors::Error::MdcError | pgp::errors::Error::Aead { .. } => OpenPgpError::Tampered,
        other => {
            // Integrity failures can also arrive wrapped in I/O errors.
            let text = format!("{other:?} {other}");
            if text.contains("MdcError")
                || text.contains("Aead")
                || text.contains("decryption failed")
            {
                OpenPgpError::Tampered
            } else if text.contains("SymEncryptedData") {
                OpenPgpError::NoIntegrityProtection
            } else {
                OpenPgpError::BadMessage(other.to_string())
            }
        }
    }
}

/// The key packets of an encrypted message whose container Sealmark opens:
/// a message without integrity protection, or sealed with an AEAD algorithm
/// OpenPGP does not define, is refused before anything else is done.
fn key_packets(input: &[u8]) -> Result<Vec<Esk>> {
    let message = parse_message(input)?;
    let Message::Encrypted { esk, edata, .. } = &message else {
        return Err(OpenPgpError::BadMessage(
            "the message is not encrypted".into(),
        ));
    };
    if edata.tag() == Tag::SymEncryptedData {
        return Err(OpenPgpError::NoIntegrityProtection);
    }
    refuse_unknown_aead(edata)?;
    Ok(esk.clone())
}

/// Which of `keys` an encrypted message is addressed to (their indices, in
/// the order given), read from its key packets without decrypting anything,
/// as Sequoia asks a message for its recipients first: the caller then asks
/// for one passphrase and decrypts once, instead of trying every key. A
/// packet with a wildcard recipient (an anonymous one) names every key.
pub fn addressed_keys(input: &[u8], keys: &[SignedSecretKey]) -> Result<Vec<usize>> {
    // What decryption would refuse is refused here, before anyone is asked for a passphrase.
    let esk = key_packets(&message_bytes(input)?)?;
    Ok(keys
        .iter()
        .enumerate()
        .filter(|(_, key)| !addressed_packets(&esk, key).is_empty())
        .map(|(index, _)| index)
        .collect())
}

/// Fingerprints of the key's packets that a PKESK names (or that an
/// anonymous PKESK could be for).
fn addressed_packets(esk: &[Esk], key: &SignedSecretKey) -> Vec<String> {
    let mut out = Vec::new();
    if named_by(esk, key.primary_key.public_key()) {
        out.push(fingerprint(&key.primary_key));
    }
    for subkey in &key.secret_subkeys {
        if named_by(esk, subkey.key.public_key()) {
            out.push(fingerprint(&subkey.key));
        }
    }
    out
}

fn named_by(esk: &[Esk], public: &impl KeyDetails) -> bool {
    esk.iter().any(|esk| match esk {
        Esk::PublicKeyEncryptedSessionKey(pkesk) => pkesk.match_identity(public),
        Esk::SymKeyEncryptedSessionKey(_) => false,
    })
}

fn read_verified<D: Plaintext>(
    message: Message<'_>,
    verification: &[SignedPublicKey],
    max_plaintext: usize,
    size_hint: usize,
) -> Result<Decrypted<D>> {
    let mut message = unwrap_layers(message)?;
    if let Message::Signed { reader, .. } = &message
        && reader.num_signatures() > MAX_NESTING
    {
        return Err(too_deep());
    }
    // Without compression the plaintext is smaller than the message: room
    // for it up front spares the copies of a growing buffer.
    let mut data = D::default();
    data.expect(size_hint.min(max_plaintext));
    let limit = u64::try_from(max_plaintext).unwrap_or(u64::MAX);
    let size = data
        .read_all(&mut (&mut message).take(limit.saturating_add(1)))
        .map_err(read_error)?;
    if size > max_plaintext {
        return Err(OpenPgpError::PlaintextTooLarge {
            limit: max_plaintext,
        });
    }
    let filename = message.literal_data_header().and_then(file_name);
    let mut signatures = Vec::new();
    if let Message::Signed { reader, .. } = &message {
        for index in 0..reader.num_signatures() {
            let Some(signature) = reader.signature(index) else {
                continue;
            };
            signatures.push(check_signature(&message, index, signature, verification));
        }
    }
    Ok(Decrypted {
        data,
        filename,
        signatures,
    })
}

/// The most layers — compression, signatures, encryption — a message may
/// be nested in. Real messages have two or three; each layer costs a reader
/// and a hash, so a bound keeps a crafted message from costing without end.
pub const MAX_NESTING: usize = 16;

fn too_deep() -> OpenPgpError {
    OpenPgpError::BadMessage(format!(
        "the message is nested more than {MAX_NESTING} layers deep (compression, signatures), or \
         its layers are in an order OpenPGP does not define; it was refused"
    ))
}

/// The message with its compression layers opened, until the literal data
/// is reached (also inside signatures), at most [`MAX_NESTING`] of them. A
/// second compression layer inside the first used to be read as if it were
/// the data: its packets came back as the plaintext.
pub(crate) fn unwrap_layers(mut message: Message<'_>) -> Result<Message<'_>> {
    for _ in 0..=MAX_NESTING {
        let reached = match &message {
            Message::Literal { .. } => true,
            Message::Signed { .. } => message.literal_data_header().is_some(),
            Message::Compressed { .. } | Message::Encrypted { .. } => false,
        };
        if reached {
            return Ok(message);
        }
        if message.is_encrypted() {
            return Err(OpenPgpError::BadMessage(
                "the message holds another encrypted message".into(),
            ));
        }
        message = message.decompress().map_err(bad_message)?;
    }
    Err(too_deep())
}

fn bad_message(error: pgp::errors::Error) -> OpenPgpError {
    OpenPgpError::BadMessage(error.to_string())
}

fn read_error(error: std::io::Error) -> OpenPgpError {
    let text = format!("{error:?} {error}");
    if text.contains("MdcError") || text.contains("Aead") || text.contains("decryption failed") {
        OpenPgpError::Tampered
    } else {
        OpenPgpError::BadMessage(error.to_string())
    }
}

/// Judges the signature at `index` of `message` with [`verify::judge_signature`].
fn check_signature(
    message: &Message<'_>,
    index: usize,
    signature: &pgp::packet::Signature,
    verification: &[SignedPublicKey],
) -> SignatureCheck {
    verify::judge_signature(signature, verification, |component| {
        message
            .verify_nested_explicit(index, component.as_verifying_key())
            .map(|_| ())
            .map_err(|_| verify::BAD_SIGNATURE.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` octets per call, so CRs and
    /// LFs fall on every boundary between reads.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            let (now, later) = self.0.split_at(n);
            buf.get_mut(..n).unwrap_or_default().copy_from_slice(now);
            self.0 = later;
            Ok(n)
        }
    }

    /// Text read in any pieces into buffers of any size comes out with its
    /// line endings CRLF, exactly as the whole text converted at once.
    #[test]
    fn text_literals_get_crlf_line_endings_across_reads() {
        let texts: [&[u8]; 6] = [
            b"a\nb\n",
            b"\n\n\r\n\r\r\n\n",
            b"unix\nwindows\r\nold mac\rend",
            b"no line end",
            b"",
            "Grüße\nvon\r\nBob\n".as_bytes(),
        ];
        for text in texts {
            let expected = super::super::canonical_crlf(text);
            for step in [1, 2, 3, 7] {
                for buffer in [1, 2, 3, 5, 64] {
                    let mut literal = Literal::new(Trickle(text, step), true);
                    let mut out = Vec::new();
                    let mut chunk = vec![0; buffer];
                    loop {
                        let n = literal.read(&mut chunk).unwrap_or(0);
                        if n == 0 {
                            break;
                        }
                        out.extend_from_slice(chunk.get(..n).unwrap_or_default());
                    }
                    assert_eq!(out, expected, "{text:?} step {step} buffer {buffer}");
                }
            }
        }
        let mut binary = Vec::new();
        let read = Literal::new(Trickle(b"a\nb", 2), false).read_to_end(&mut binary);
        assert_eq!((read.ok(), binary), (Some(3), b"a\nb".to_vec()));
    }

    use crate::openpgp::keys::{self, GenerateOptions, Profile};
    use crate::openpgp::primitives::{GcmPiece, OpenedApart};

    /// Opens as the software does, but leaves the plaintext apart, as a
    /// browser's WebCrypto leaves it in JavaScript arrays.
    struct ApartSoft;

    /// Plaintext held apart.
    struct Held(Vec<u8>);

    impl Apart for Held {
        fn len(&self) -> usize {
            self.0.len()
        }

        fn copy_out(&self, at: usize, out: &mut [u8]) -> bool {
            let Some(from) = at
                .checked_add(out.len())
                .and_then(|end| self.0.get(at..end))
            else {
                return false;
            };
            out.copy_from_slice(from);
            true
        }
    }

    impl Primitives for ApartSoft {
        type Apart = Held;

        async fn gcm_open_apart(
            &self,
            key: &[u8],
            pieces: &[GcmPiece<'_>],
            buffer: &[u8],
        ) -> OpenedApart<Held> {
            let mut copy = buffer.to_vec();
            match SoftPrimitives.gcm_open(key, pieces, &mut copy).await {
                Ok(len) => {
                    copy.truncate(len);
                    OpenedApart::Opened(Held(copy))
                }
                Err(_) => OpenedApart::Refused,
            }
        }
    }

    /// Plaintext that tells whether it was taken apart or read by rPGP.
    #[derive(Default, Debug, PartialEq)]
    struct Taken {
        data: Vec<u8>,
        adopted: bool,
    }

    impl Plaintext for Taken {
        fn read_all(&mut self, reader: &mut impl Read) -> std::io::Result<usize> {
            reader.read_to_end(&mut self.data)
        }
    }

    impl Adopt<Held> for Taken {
        fn adopt(&mut self, apart: Held, pieces: &[Range<usize>]) -> std::result::Result<(), Held> {
            let mut data = Vec::new();
            for piece in pieces {
                match apart.0.get(piece.clone()) {
                    Some(piece) => data.extend_from_slice(piece),
                    None => return Err(apart),
                }
            }
            self.data = data;
            self.adopted = true;
            Ok(())
        }
    }

    fn v6_key() -> SignedSecretKey {
        keys::generate(&GenerateOptions {
            user_ids: vec!["A <a@example.org>".into()],
            profile: Profile::Rfc9580,
            ..Default::default()
        })
        .expect("key")
    }

    /// A message taken apart reads exactly as one read in place: the same
    /// data, file name and signatures. Only literal data alone is taken as
    /// it lies; signed data goes through rPGP, which checks the signature.
    #[test]
    fn plaintext_left_apart_reads_as_plaintext_read_in_place() {
        let key = v6_key();
        let unlock = [UnlockKey {
            key: &key,
            passphrase: None,
        }];
        let recipients = [key.to_public_key()];
        let binary: Vec<u8> = (0..600_000).map(|i| (i % 251) as u8).collect();
        // What is written, and how: as text, signed.
        let cases: [(&str, &[u8], bool, bool); 5] = [
            ("binary", &binary, false, false),
            (
                "text with line ends",
                b"one\ntwo\r\nthree\rfour\n",
                true,
                false,
            ),
            ("empty", b"", false, false),
            ("signed", &binary, false, true),
            ("signed text", b"signed\ntext\n", true, true),
        ];
        for (case, data, text, signed) in cases {
            let message = encrypt(
                data,
                &EncryptOptions {
                    recipients: &recipients,
                    signers: if signed { &unlock } else { &[] },
                    text,
                    ..Default::default()
                },
            )
            .expect("encrypt");
            let options = DecryptOptions {
                keys: &unlock,
                passwords: &[],
                verification: &recipients,
                max_plaintext: None,
            };
            let in_place: Decrypted<Taken> =
                crate::openpgp::run_now(decrypt_with(message.clone(), &options, &SoftPrimitives))
                    .expect(case);
            let apart: Decrypted<Taken> =
                crate::openpgp::run_now(decrypt_with(message, &options, &ApartSoft)).expect(case);
            assert!(!in_place.data.adopted, "{case}");
            assert_eq!(apart.data.adopted, !signed, "{case}: taken apart");
            assert_eq!(apart.data.data, in_place.data.data, "{case}: data");
            // (No file name is written here: `lone_literal`'s test reads one.)
            assert_eq!(apart.filename, in_place.filename, "{case}: file name");
            assert_eq!(apart.signatures, in_place.signatures, "{case}: signatures");
            assert_eq!(apart.signatures.len(), usize::from(signed), "{case}");
        }
    }

    /// The limit on plaintext holds for data taken apart too.
    #[test]
    fn plaintext_left_apart_is_bounded() {
        let key = v6_key();
        let unlock = [UnlockKey {
            key: &key,
            passphrase: None,
        }];
        let recipients = [key.to_public_key()];
        let message = encrypt(
            &[7u8; 5000],
            &EncryptOptions {
                recipients: &recipients,
                ..Default::default()
            },
        )
        .expect("encrypt");
        let options = DecryptOptions {
            keys: &unlock,
            passwords: &[],
            verification: &[],
            max_plaintext: Some(4999),
        };
        let refused =
            crate::openpgp::run_now(decrypt_with::<_, Taken>(message, &options, &ApartSoft));
        assert!(
            matches!(
                refused,
                Err(OpenPgpError::PlaintextTooLarge { limit: 4999 })
            ),
            "{refused:?}"
        );
    }

    /// A changed octet in a message opened apart is tampering, as in place:
    /// nothing of it is handed on.
    #[test]
    fn a_changed_message_opened_apart_is_tampering() {
        let key = v6_key();
        let unlock = [UnlockKey {
            key: &key,
            passphrase: None,
        }];
        let mut message = encrypt(
            &[5u8; 300_000],
            &EncryptOptions {
                recipients: &[key.to_public_key()],
                ..Default::default()
            },
        )
        .expect("encrypt");
        let middle = message.len() / 2;
        if let Some(octet) = message.get_mut(middle) {
            *octet ^= 1;
        }
        let options = DecryptOptions {
            keys: &unlock,
            ..Default::default()
        };
        let refused =
            crate::openpgp::run_now(decrypt_with::<_, Taken>(message, &options, &ApartSoft));
        assert_eq!(refused.err(), Some(OpenPgpError::Tampered));
    }

    /// At most [`MOST_LITERAL_PIECES`] pieces are taken apart; finer cut
    /// literal data is rPGP's to read.
    #[test]
    fn literal_data_in_too_many_pieces_is_read_by_rpgp() {
        for (partials, alone) in [
            (MOST_LITERAL_PIECES - 1, true),
            (MOST_LITERAL_PIECES, false),
        ] {
            // 512-octet pieces: the header's 6 octets, then the data.
            let data = vec![9u8; partials * 512 - 6 + 10];
            let packet = literal_packet(b'b', b"", &data, Some(512));
            assert_eq!(
                lone_data(&packet).is_some(),
                alone,
                "{partials} partial lengths"
            );
        }
    }

    /// A literal data packet with its header, in the new format; the body
    /// in partial lengths of `partial` octets (a power of two) if asked.
    fn literal_packet(mode: u8, name: &[u8], data: &[u8], partial: Option<usize>) -> Vec<u8> {
        let mut body = vec![mode, name.len() as u8];
        body.extend_from_slice(name);
        body.extend_from_slice(&[0, 0, 0, 0]);
        body.extend_from_slice(data);
        let mut packet = vec![0xC0 | 11];
        let mut rest = &body[..];
        if let Some(partial) = partial {
            while rest.len() > partial {
                let (piece, after) = rest.split_at(partial);
                packet.push(0xE0 | partial.trailing_zeros() as u8);
                packet.extend_from_slice(piece);
                rest = after;
            }
        }
        packet.push(0xFF);
        packet.extend_from_slice(&(rest.len() as u32).to_be_bytes());
        packet.extend_from_slice(rest);
        packet
    }

    /// The data of `packets` if they are literal data alone.
    fn lone_data(packets: &[u8]) -> Option<Vec<u8>> {
        let (pieces, _) = lone_literal(&Held(packets.to_vec()))?;
        Some(
            pieces
                .into_iter()
                .flat_map(|piece| packets[piece].to_vec())
                .collect(),
        )
    }

    /// Only one literal data packet, ending where the packets end, is
    /// literal data alone; anything else is rPGP's to read.
    #[test]
    fn lone_literal_is_one_literal_packet_and_nothing_else() {
        let packet = literal_packet(b'b', b"name", b"data", None);
        let (_, header) = lone_literal(&Held(packet.clone())).expect("one literal");
        assert_eq!(header.file_name().as_ref(), b"name");
        assert_eq!(lone_data(&packet).as_deref(), Some(&b"data"[..]));

        // In partial lengths, the length octets between the pieces left out.
        let data: Vec<u8> = (0..5000).map(|i| (i % 253) as u8).collect();
        let partial = literal_packet(b'u', b"", &data, Some(1024));
        assert_eq!(lone_data(&partial), Some(data.clone()));
        // A first piece under 512 octets breaks RFC 9580: rPGP judges it.
        assert_eq!(
            lone_data(&literal_packet(b'b', b"", &data, Some(256))),
            None
        );

        // Old format: tag 11, a one-octet length.
        let body = packet.get(6..).unwrap_or_default();
        let mut old = vec![0x80 | (11 << 2), body.len() as u8];
        old.extend_from_slice(body);
        assert_eq!(lone_data(&old).as_deref(), Some(&b"data"[..]));

        // Followed by anything (a padding packet, a signature): not alone.
        let mut padded = packet.clone();
        padded.extend_from_slice(&[0xC0 | 21, 1, 0]);
        assert_eq!(lone_data(&padded), None);
        // Cut short.
        assert_eq!(
            lone_data(packet.get(..packet.len() - 1).unwrap_or_default()),
            None
        );
        assert_eq!(lone_data(partial.get(..3000).unwrap_or_default()), None);
        // A name longer than the packet.
        let mut lying = packet.clone();
        if let Some(len) = lying.get_mut(7) {
            *len = 200;
        }
        assert_eq!(lone_data(&lying), None);
        // A mode OpenPGP does not define.
        assert_eq!(lone_data(&literal_packet(b'x', b"", b"d", None)), None);
        // Another packet first, or nothing at all.
        assert_eq!(lone_data(&[0xC0 | 8, 1, 0]), None);
        assert_eq!(lone_data(&[]), None);
    }
}
