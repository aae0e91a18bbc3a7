//! Keys assembled from their packets here rather than by rPGP's key parser,
//! so that what a newer or odder implementation adds is skipped instead of
//! making the whole key unreadable (RFC 9580 §10: forward compatibility).
//!
//! rPGP drops a packet it cannot parse and attaches the signatures that
//! followed it to whatever came before — a subkey of a version it does not
//! know hands its binding to the previous subkey, which then fails to
//! verify — and it refused a key with any signature that did not verify.
//! Here every packet is framed and parsed on its own: a subkey or user ID
//! that cannot be read is skipped with its signatures, a signature that
//! cannot be read is skipped alone, non-critical packets of unknown types
//! are skipped, and each skip is noted for the person looking at the key.
//! Which of the rest may be believed is [`super::validity`]'s judgement.

use pgp::composed::{
    SignedKeyDetails, SignedPublicKey, SignedPublicSubKey, SignedSecretKey, SignedSecretSubKey,
};
use pgp::packet::{
    Packet, PacketHeader, PacketParser, PublicKey, SecretKey, Signature, SignatureType,
    UserAttribute, UserId,
};
use pgp::types::{KeyDetails, PacketLength, SignedUser, SignedUserAttribute, Tag};

use super::error::{OpenPgpError, Result};
use super::fingerprint::hex_upper;

/// A key read from a block, public or secret, with what was skipped.
pub(crate) enum Assembled {
    /// A certificate.
    Public(Box<SignedPublicKey>, Vec<String>),
    /// A secret key.
    Secret(Box<SignedSecretKey>, Vec<String>),
}

enum Primary {
    Public(Box<PublicKey>),
    Secret(Box<SecretKey>),
}

enum Subkey {
    Public(Box<pgp::packet::PublicSubkey>),
    Secret(Box<pgp::packet::SecretSubkey>),
}

/// Where the signatures that follow belong.
#[derive(Clone, Copy)]
enum Slot {
    Key,
    User(usize),
    Attribute(usize),
    Subkey(usize),
    /// A component that was skipped: its signatures go with it.
    Skipped,
}

struct Building {
    primary: Primary,
    revocations: Vec<Signature>,
    direct: Vec<Signature>,
    users: Vec<(UserId, Vec<Signature>)>,
    attributes: Vec<(UserAttribute, Vec<Signature>)>,
    subkeys: Vec<(Subkey, Vec<Signature>)>,
    slot: Slot,
    skipped: Vec<String>,
}

impl Building {
    fn new(primary: Primary) -> Self {
        Building {
            primary,
            revocations: Vec::new(),
            direct: Vec::new(),
            users: Vec::new(),
            attributes: Vec::new(),
            subkeys: Vec::new(),
            slot: Slot::Key,
            skipped: Vec::new(),
        }
    }

    fn add_signature(&mut self, signature: Signature) {
        match self.slot {
            Slot::Key if signature.typ() == Some(SignatureType::KeyRevocation) => {
                self.revocations.push(signature)
            }
            Slot::Key => self.direct.push(signature),
            Slot::User(i) => {
                if let Some((_, signatures)) = self.users.get_mut(i) {
                    signatures.push(signature);
                }
            }
            Slot::Attribute(i) => {
                if let Some((_, signatures)) = self.attributes.get_mut(i) {
                    signatures.push(signature);
                }
            }
            Slot::Subkey(i) => {
                if let Some((_, signatures)) = self.subkeys.get_mut(i) {
                    signatures.push(signature);
                }
            }
            Slot::Skipped => {}
        }
    }

    fn skip(&mut self, what: String) {
        if self.skipped.len() < MAX_NOTES {
            self.skipped.push(what);
        }
    }

    fn finish(self) -> Assembled {
        let details = SignedKeyDetails::new(
            self.revocations,
            self.direct,
            self.users
                .into_iter()
                .map(|(id, signatures)| SignedUser::new(id, signatures))
                .collect(),
            self.attributes
                .into_iter()
                .map(|(attribute, signatures)| SignedUserAttribute::new(attribute, signatures))
                .collect(),
        );
        let mut public_subkeys = Vec::new();
        let mut secret_subkeys = Vec::new();
        for (subkey, signatures) in self.subkeys {
            match subkey {
                Subkey::Public(key) => {
                    public_subkeys.push(SignedPublicSubKey::new(*key, signatures))
                }
                Subkey::Secret(key) => {
                    secret_subkeys.push(SignedSecretSubKey::new(*key, signatures))
                }
            }
        }
        match self.primary {
            Primary::Public(key) => Assembled::Public(
                Box::new(SignedPublicKey::new(*key, details, public_subkeys)),
                self.skipped,
            ),
            Primary::Secret(key) => Assembled::Secret(
                Box::new(SignedSecretKey::new(
                    *key,
                    details,
                    public_subkeys,
                    secret_subkeys,
                )),
                self.skipped,
            ),
        }
    }
}

/// Notes kept per key: a hostile key could hold thousands of odd packets.
const MAX_NOTES: usize = 32;

/// One packet's type and its octets (header included), framed without
/// being parsed; `None` past the end or where the framing is broken.
fn next_packet<'a>(
    input: &'a [u8],
    at: &mut usize,
) -> Option<std::result::Result<(Tag, &'a [u8]), String>> {
    let rest = input.get(*at..)?;
    if rest.is_empty() {
        return None;
    }
    let mut reader = rest;
    let header = match PacketHeader::try_from_reader(&mut reader) {
        Ok(header) => header,
        Err(error) => return Some(Err(format!("a packet header cannot be read ({error})"))),
    };
    let header_len = rest.len() - reader.len();
    let body_len = match header.packet_length() {
        PacketLength::Fixed(len) => usize::try_from(len).unwrap_or(usize::MAX),
        PacketLength::Indeterminate => reader.len(),
        // Key material is never streamed; a partial length here is damage.
        PacketLength::Partial(_) => {
            return Some(Err(
                "a key packet has a partial body length, which keys never use".into(),
            ));
        }
    };
    let end = header_len.checked_add(body_len)?;
    let Some(packet) = rest.get(..end) else {
        return Some(Err(format!(
            "a {:?} packet is cut short ({} of {body_len} octets)",
            header.tag(),
            reader.len()
        )));
    };
    *at += end;
    Some(Ok((header.tag(), packet)))
}

fn describe(tag: Tag) -> String {
    match tag {
        Tag::UnassignedCritical(_)
        | Tag::UnassignedNonCritical(_)
        | Tag::Experimental(_)
        | Tag::Invalid(_) => format!("packet of unknown type {}", u8::from(tag)),
        other => format!("{other:?} packet"),
    }
}

/// Every key in one binary piece (armor already decoded), in order.
pub(crate) fn read(piece: &[u8]) -> Result<Vec<Assembled>> {
    let mut keys = Vec::new();
    let mut building: Option<Building> = None;
    // Reasons keys could not be read at all, for the error when none could.
    let mut refused: Vec<String> = Vec::new();
    let mut at = 0;
    while let Some(framed) = next_packet(piece, &mut at) {
        let (tag, bytes) = match framed {
            Ok(framed) => framed,
            Err(problem) => {
                // Nothing after broken framing can be trusted to be where it seems.
                match building.as_mut() {
                    Some(key) => key.skip(format!("the rest of the key: {problem}")),
                    None => refused.push(problem),
                }
                break;
            }
        };
        let parsed = PacketParser::new(bytes).next();
        let packet = match parsed {
            Some(Ok(packet)) => Ok(packet),
            Some(Err(error)) => Err(error.to_string()),
            None => Err("empty packet".to_owned()),
        };
        match (tag, packet) {
            (Tag::PublicKey | Tag::SecretKey, Ok(packet)) => {
                keys.extend(building.take().map(Building::finish));
                building = match packet {
                    Packet::PublicKey(key) => Some(Building::new(Primary::Public(Box::new(key)))),
                    Packet::SecretKey(key) => Some(Building::new(Primary::Secret(Box::new(key)))),
                    _ => None,
                };
            }
            (Tag::PublicKey | Tag::SecretKey, Err(problem)) => {
                // A primary key we cannot read takes its whole key with it.
                keys.extend(building.take().map(Building::finish));
                refused.push(format!("a key that cannot be read ({problem}) was skipped"));
            }
            (_, _) if building.is_none() => {
                // Packets before any key: a keyring's stray trust packets and the like.
            }
            (Tag::Trust | Tag::Marker | Tag::Padding, _) => {}
            (Tag::Signature, Ok(Packet::Signature(signature))) => {
                if let Some(key) = building.as_mut() {
                    key.add_signature(signature);
                }
            }
            (Tag::Signature, Err(problem)) => {
                if let Some(key) = building.as_mut() {
                    key.skip(format!("a signature that cannot be read ({problem})"));
                }
            }
            (Tag::UserId, Ok(Packet::UserId(id))) => {
                if let Some(key) = building.as_mut() {
                    key.users.push((id, Vec::new()));
                    key.slot = Slot::User(key.users.len() - 1);
                }
            }
            (Tag::UserAttribute, Ok(Packet::UserAttribute(attribute))) => {
                if let Some(key) = building.as_mut() {
                    key.attributes.push((attribute, Vec::new()));
                    key.slot = Slot::Attribute(key.attributes.len() - 1);
                }
            }
            (Tag::PublicSubkey | Tag::SecretSubkey, Ok(packet)) => {
                if let Some(key) = building.as_mut() {
                    let subkey = match packet {
                        Packet::PublicSubkey(subkey) => Some(Subkey::Public(Box::new(subkey))),
                        Packet::SecretSubkey(subkey) => Some(Subkey::Secret(Box::new(subkey))),
                        _ => None,
                    };
                    match subkey {
                        Some(subkey) if fits(&key.primary, &subkey) => {
                            key.subkeys.push((subkey, Vec::new()));
                            key.slot = Slot::Subkey(key.subkeys.len() - 1);
                        }
                        Some(subkey) => {
                            key.skip(format!(
                                "subkey {} (a version {} subkey of a version {} key, which \
                                 RFC 9580 does not allow)",
                                subkey_fingerprint(&subkey),
                                u8::from(subkey_version(&subkey)),
                                u8::from(primary_version(&key.primary)),
                            ));
                            key.slot = Slot::Skipped;
                        }
                        None => key.slot = Slot::Skipped,
                    }
                }
            }
            (
                Tag::PublicSubkey | Tag::SecretSubkey | Tag::UserId | Tag::UserAttribute,
                Err(problem),
            ) => {
                if let Some(key) = building.as_mut() {
                    key.skip(format!(
                        "a {} that cannot be read ({problem})",
                        component(tag)
                    ));
                    key.slot = Slot::Skipped;
                }
            }
            (Tag::UnassignedCritical(_) | Tag::Invalid(_), _) => {
                // RFC 9580 §4.3: an unknown critical packet makes the whole
                // sequence unreadable; the key is not trusted half-read.
                if let Some(key) = building.take() {
                    refused.push(format!(
                        "key {} holds a {} that OpenPGP marks critical; it was not read",
                        primary_fingerprint(&key.primary),
                        describe(tag)
                    ));
                }
            }
            (other, _) => {
                if let Some(key) = building.as_mut() {
                    key.skip(format!("a {} (ignored)", describe(other)));
                    key.slot = Slot::Skipped;
                }
            }
        }
    }
    keys.extend(building.take().map(Building::finish));
    if keys.is_empty()
        && let Some(reason) = refused.into_iter().next()
    {
        return Err(OpenPgpError::BadKey(reason));
    }
    Ok(keys)
}

fn component(tag: Tag) -> &'static str {
    match tag {
        Tag::UserId => "user ID",
        Tag::UserAttribute => "user attribute",
        _ => "subkey",
    }
}

/// RFC 9580 §10.1.1: every subkey of a v6 key is v6, and a v6 subkey
/// belongs to a v6 key only.
fn fits(primary: &Primary, subkey: &Subkey) -> bool {
    use pgp::types::KeyVersion::V6;
    (primary_version(primary) == V6) == (subkey_version(subkey) == V6)
}

fn primary_version(primary: &Primary) -> pgp::types::KeyVersion {
    match primary {
        Primary::Public(key) => key.version(),
        Primary::Secret(key) => key.version(),
    }
}

fn primary_fingerprint(primary: &Primary) -> String {
    match primary {
        Primary::Public(key) => hex_upper(key.fingerprint().as_bytes()),
        Primary::Secret(key) => hex_upper(key.fingerprint().as_bytes()),
    }
}

fn subkey_version(subkey: &Subkey) -> pgp::types::KeyVersion {
    match subkey {
        Subkey::Public(key) => key.version(),
        Subkey::Secret(key) => key.version(),
    }
}

fn subkey_fingerprint(subkey: &Subkey) -> String {
    match subkey {
        Subkey::Public(key) => hex_upper(key.fingerprint().as_bytes()),
        Subkey::Secret(key) => hex_upper(key.fingerprint().as_bytes()),
    }
}
