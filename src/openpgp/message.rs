//! Encrypting and decrypting messages, with the signatures inside them.
//! Recipients are judged by [`super::validity`] before use; decryption
//! refuses ciphertext without integrity protection and reports each
//! signature with the reason it is (or is not) valid.

use std::io::{Read, Write};

use pgp::composed::{
    Encryption, EncryptionSeipdV1, EncryptionSeipdV2, Esk, Message, MessageBuilder,
    SignedPublicKey, SignedSecretKey,
};
use pgp::crypto::aead::{AeadAlgorithm, ChunkSize};
use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::DataMode;
use pgp::types::{KeyDetails, Password, StringToKey, Tag};

use super::error::{OpenPgpError, Result};
use super::fingerprint::fingerprint;
use super::primitives::{Primitives, SoftPrimitives};
use super::seipd;
use super::unlock::{self, SigningPacket, UnlockKey, unlock_signers};
use super::validity::{CertView, EncryptionTarget, now};
use super::verify::{self, SignatureCheck};
use super::wipe::Wiped;
use super::{armor, rng};

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
    /// File name stored in the literal data packet.
    pub filename: Option<String>,
    /// UTF-8 text (rather than binary) data.
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
    let builder = MessageBuilder::from_reader(
        options.filename.clone().unwrap_or_default(),
        Literal::new(data, options.text),
    );
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
        let builder =
            MessageBuilder::from_bytes(options.filename.clone().unwrap_or_default(), data);
        encrypt_rpgp(builder, options, &targets, container, &signing, &mut out)?;
        return Ok(out);
    }
    let data_len = data.size();
    let mut builder =
        MessageBuilder::from_reader(options.filename.clone().unwrap_or_default(), data);
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
pub(crate) async fn decrypt_with<D: Plaintext>(
    input: Vec<u8>,
    options: &DecryptOptions<'_>,
    primitives: &impl Primitives,
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
pub(crate) async fn decrypt_text_with<D: Plaintext>(
    mut text: impl ReadOnce,
    options: &DecryptOptions<'_>,
    primitives: &impl Primitives,
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
async fn decrypt_prepared<D: Plaintext>(
    mut input: Wiped,
    options: &DecryptOptions<'_>,
    primitives: &impl Primitives,
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
    if let Some(inner) = seipd::decrypt(&mut input, &candidates, primitives).await {
        let inner = input.get(inner?).unwrap_or_default();
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
        return Err(OpenPgpError::TooLarge {
            size,
            limit: max_plaintext,
        });
    }
    let filename = message
        .literal_data_header()
        .map(|h| String::from_utf8_lossy(h.file_name()).into_owned())
        .filter(|n| !n.is_empty());
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
}
