//! Signatures outside encrypted messages: detached signatures, cleartext
//! (inline) signed text, and splitting an inline signature off its text.
//! A signature is reported valid only when it verifies over exactly the
//! bytes returned and its key was allowed to sign when it was made.

use pgp::armor::BlockType;
use pgp::composed::{
    CleartextSignedMessage, Deserializable, DetachedSignature, Message, SignedPublicKey,
};
use pgp::packet::{
    PacketTrait, Signature, SignatureConfig, SignatureType, Subpacket, SubpacketData,
};
use pgp::ser::Serialize;
use pgp::types::{KeyDetails, KeyVersion, SigningKey, Timestamp};

use super::error::{OpenPgpError, Result};
use super::primitives::{Primitives, SoftPrimitives};
use super::unlock::no_password;
use super::unlock::{UnlockKey, unlock_signers};
use super::verify::{SignatureCheck, judge_signature};
use super::{armor, canonical_crlf, rng};

/// Makes one data signature.
fn make_signature(key: &dyn SigningKey, typ: SignatureType, data: &[u8]) -> Result<Signature> {
    let key: Box<&dyn SigningKey> = Box::new(key);
    let internal = |e: pgp::errors::Error| OpenPgpError::Internal(e.to_string());
    // SHA-512 for every key type, so PGP/MIME's micalg can be stated in
    // advance; a v6 signature's salt size follows its hash, hence the constructors.
    let hash = pgp::crypto::hash::HashAlgorithm::Sha512;
    let mut config = match key.version() {
        KeyVersion::V6 => {
            SignatureConfig::v6(rng(), typ, key.algorithm(), hash).map_err(internal)?
        }
        _ => SignatureConfig::v4(typ, key.algorithm(), hash),
    };
    config.hashed_subpackets = vec![
        Subpacket::regular(SubpacketData::SignatureCreationTime(Timestamp::now()))
            .map_err(internal)?,
        Subpacket::regular(SubpacketData::IssuerFingerprint(key.fingerprint()))
            .map_err(internal)?,
    ];
    if key.version() <= KeyVersion::V4 {
        config.unhashed_subpackets = vec![
            Subpacket::regular(SubpacketData::IssuerKeyId(key.legacy_key_id()))
                .map_err(internal)?,
        ];
    }
    config.sign(&key, &no_password(), data).map_err(internal)
}

fn require_signers(signers: &[UnlockKey<'_>]) -> Result<()> {
    if signers.is_empty() {
        return Err(OpenPgpError::BadInput(
            "give at least one signing key".into(),
        ));
    }
    Ok(())
}

/// Detached signatures by every signer over `data`, as one armored block or binary packets.
pub fn sign_detached(
    data: &[u8],
    signers: &[UnlockKey<'_>],
    text: bool,
    armored: bool,
) -> Result<Vec<u8>> {
    super::run_now(sign_detached_with(
        data,
        signers,
        text,
        armored,
        &SoftPrimitives,
    ))
}

/// [`sign_detached`] with the signers' passphrase derivation hashed by
/// `primitives` (WebCrypto in a browser).
pub(crate) async fn sign_detached_with(
    data: &[u8],
    signers: &[UnlockKey<'_>],
    text: bool,
    armored: bool,
    primitives: &impl Primitives,
) -> Result<Vec<u8>> {
    require_signers(signers)?;
    let (typ, signed) = if text {
        (SignatureType::Text, canonical_crlf(data))
    } else {
        (SignatureType::Binary, data.to_vec())
    };
    let mut signatures = Vec::new();
    for packet in unlock_signers(signers, primitives).await? {
        signatures.push(make_signature(packet.key(), typ, &signed)?);
    }
    serialize_signatures(&signatures, armored)
}

fn serialize_signatures(signatures: &[Signature], armored: bool) -> Result<Vec<u8>> {
    struct Packets<'a>(&'a [Signature]);
    impl Serialize for Packets<'_> {
        fn to_writer<W: std::io::Write>(&self, writer: &mut W) -> pgp::errors::Result<()> {
            for signature in self.0 {
                signature.to_writer_with_header(writer)?;
            }
            Ok(())
        }
        fn write_len(&self) -> usize {
            self.0.iter().map(|s| s.write_len_with_header()).sum()
        }
    }
    let mut out = Vec::new();
    let result = if armored {
        pgp::armor::write(
            &Packets(signatures),
            BlockType::Signature,
            &mut out,
            None,
            true,
        )
    } else {
        Packets(signatures).to_writer(&mut out)
    };
    result.map_err(|e| OpenPgpError::Internal(e.to_string()))?;
    Ok(out)
}

/// Reads every signature packet of a detached signature (armored or binary).
fn read_signatures(input: &[u8]) -> Result<Vec<Signature>> {
    let not_a_signature =
        |e: pgp::errors::Error| OpenPgpError::BadMessage(format!("not a signature: {e}"));
    let mut out = Vec::new();
    // Armor is decoded here; rPGP parses binary data only, so its parser is
    // built once into the Wasm rather than once more per armor reader.
    for piece in armor::pieces(input)? {
        for signature in DetachedSignature::from_bytes_many(&piece[..]).map_err(not_a_signature)? {
            out.push(signature.map_err(not_a_signature)?.signature);
        }
    }
    if out.is_empty() {
        return Err(OpenPgpError::BadMessage("no signature found".into()));
    }
    Ok(out)
}

/// Checks every detached signature in `signatures` over `data`.
pub fn verify_detached(
    data: &[u8],
    signatures: &[u8],
    certs: &[SignedPublicKey],
) -> Result<Vec<SignatureCheck>> {
    Ok(read_signatures(signatures)?
        .iter()
        .map(|s| check(s, data, certs))
        .collect())
}

/// Checks one signature over `data` against the certificates.
fn check(signature: &Signature, data: &[u8], certs: &[SignedPublicKey]) -> SignatureCheck {
    judge_signature(signature, certs, |component| {
        let signed = match signature.typ() {
            Some(SignatureType::Text) => canonical_crlf(data),
            Some(SignatureType::Binary) => data.to_vec(),
            other => return Err(format!("not a data signature ({other:?})")),
        };
        if component.verifies(signature, &signed) {
            Ok(())
        } else {
            Err("the signature does not match the data (bad signature)".into())
        }
    })
}

/// A signed (not encrypted) OpenPGP message of `data` by every signer.
pub fn sign_inline(
    data: &[u8],
    signers: &[UnlockKey<'_>],
    text: bool,
    armored: bool,
) -> Result<Vec<u8>> {
    require_signers(signers)?;
    let keys = super::run_now(unlock_signers(signers, &SoftPrimitives))?;
    let internal = |e: pgp::errors::Error| OpenPgpError::Internal(e.to_string());
    // A text literal's lines end in CRLF (RFC 9580 §5.9); rPGP refuses bare LFs.
    let data = if text {
        canonical_crlf(data)
    } else {
        data.to_vec()
    };
    let data_len = data.len();
    let mut builder = pgp::composed::MessageBuilder::from_bytes("", data);
    if text {
        builder
            .data_mode(pgp::packet::DataMode::Utf8)
            .map_err(internal)?;
        builder.sign_text();
    }
    for packet in &keys {
        builder.sign(
            packet.key(),
            no_password(),
            pgp::crypto::hash::HashAlgorithm::Sha512,
        );
    }
    super::message::finish(builder, armored, data_len)
}

/// A cleartext-signed text (`-----BEGIN PGP SIGNED MESSAGE-----`) by every signer.
pub fn sign_cleartext(text: &str, signers: &[UnlockKey<'_>]) -> Result<String> {
    super::run_now(sign_cleartext_with(text, signers, &SoftPrimitives))
}

/// [`sign_cleartext`] with the signers' passphrase derivation hashed by
/// `primitives` (WebCrypto in a browser).
pub(crate) async fn sign_cleartext_with(
    text: &str,
    signers: &[UnlockKey<'_>],
    primitives: &impl Primitives,
) -> Result<String> {
    require_signers(signers)?;
    let keys = unlock_signers(signers, primitives).await?;
    let message = CleartextSignedMessage::new_many(text, |normalized| {
        let mut signatures = Vec::new();
        for packet in &keys {
            let signature =
                make_signature(packet.key(), SignatureType::Text, normalized.as_bytes()).map_err(
                    |e| pgp::errors::Error::Message {
                        message: e.to_string(),
                        backtrace: None,
                    },
                )?;
            signatures.push(signature);
        }
        Ok(signatures)
    })
    .map_err(|e| OpenPgpError::Internal(e.to_string()))?;
    message
        .to_armored_string(Default::default())
        .map_err(|e| OpenPgpError::Internal(e.to_string()))
}

/// The text of a cleartext-signed message, exactly as its signatures cover it, and their checks.
pub struct VerifiedText {
    /// The signed text: dash-escaping removed, LF line endings (text
    /// signatures cover lines, not line-ending bytes), no final line break.
    pub text: String,
    /// One check per signature.
    pub signatures: Vec<SignatureCheck>,
}

/// Reads and checks a cleartext-signed message. Text outside the signed
/// block — and any armor header other than `Hash:` — is never returned.
pub fn verify_cleartext(input: &[u8], certs: &[SignedPublicKey]) -> Result<VerifiedText> {
    let input = armor::repaired_if_armored(input)?;
    let text =
        std::str::from_utf8(&input).map_err(|_| OpenPgpError::BadArmor("not UTF-8 text".into()))?;
    let start = text
        .find("-----BEGIN PGP SIGNED MESSAGE-----")
        .ok_or_else(|| {
            OpenPgpError::BadArmor("no -----BEGIN PGP SIGNED MESSAGE----- line".into())
        })?;
    let block = text.get(start..).unwrap_or_default();
    reject_unexpected_headers(block)?;
    let (message, _) = CleartextSignedMessage::from_string(block)
        .map_err(|e| OpenPgpError::BadArmor(e.to_string()))?;
    let signed_text = message.signed_text();
    let signatures = message
        .signatures()
        .iter()
        .map(|s| check(s, signed_text.as_bytes(), certs))
        .collect();
    Ok(VerifiedText {
        text: signed_text.replace("\r\n", "\n"),
        signatures,
    })
}

/// Only `Hash:` armor headers may stand between the header line and the text;
/// anything else could smuggle unsigned text in front of the signed part
/// (the trick behind CVE-2023-41037).
fn reject_unexpected_headers(block: &str) -> Result<()> {
    for line in block.lines().skip(1) {
        let line = line.trim_end();
        if line.is_empty() {
            return Ok(());
        }
        if !line.starts_with("Hash: ") {
            return Err(OpenPgpError::BadArmor(format!(
                "unexpected line before the signed text: {line:?}; only Hash: headers are allowed"
            )));
        }
    }
    Err(OpenPgpError::BadArmor(
        "the signed message has no text".into(),
    ))
}

/// Splits an inline signature from its text: a cleartext-signed message or
/// a signed (not encrypted) OpenPGP message. Returns the data and the
/// signatures (armored).
pub fn inline_detach(input: &[u8]) -> Result<(Vec<u8>, Vec<u8>)> {
    let repaired = armor::repaired_if_armored(input)?;
    let text = String::from_utf8_lossy(&repaired);
    if let Some(start) = text.find("-----BEGIN PGP SIGNED MESSAGE-----") {
        let block = text.get(start..).unwrap_or_default();
        reject_unexpected_headers(block)?;
        let (message, _) = CleartextSignedMessage::from_string(block)
            .map_err(|e| OpenPgpError::BadArmor(e.to_string()))?;
        let signed = message.signed_text().into_bytes();
        return Ok((signed, serialize_signatures(message.signatures(), true)?));
    }
    let mut message = if armor::is_armored(&repaired) {
        Message::from_armor(&repaired[..]).map(|(m, _)| m)
    } else {
        Message::from_bytes(&repaired[..])
    }
    .map_err(|e| OpenPgpError::BadMessage(e.to_string()))?;
    message = super::message::unwrap_layers(message)?;
    let data = message
        .as_data_vec()
        .map_err(|e| OpenPgpError::BadMessage(e.to_string()))?;
    let Message::Signed { reader, .. } = &message else {
        return Err(OpenPgpError::NoSignature);
    };
    let signatures: Vec<Signature> = (0..reader.num_signatures())
        .filter_map(|i| reader.signature(i).cloned())
        .collect();
    Ok((data, serialize_signatures(&signatures, true)?))
}
