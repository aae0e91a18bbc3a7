//! ASCII armor as found in the wild: blocks inside arbitrary text, and the
//! damage webmail does to them — CRLF, trailing spaces, non-breaking spaces,
//! `> ` quoting, indentation, re-wrapped lines, a missing blank line after
//! the armor headers, a wrong or missing checksum. Repair rebuilds each
//! block in canonical form; what had to be forgiven is reported as warnings.

use std::borrow::Cow;
use std::io::Read;

use serde::Serialize;

use super::error::{OpenPgpError, Result};

/// What an armored block contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum BlockKind {
    /// `PGP MESSAGE`: encrypted or signed data.
    Message,
    /// `PGP SIGNED MESSAGE`: cleartext-signed text with its signature.
    SignedMessage,
    /// `PGP PUBLIC KEY BLOCK`.
    PublicKey,
    /// `PGP PRIVATE KEY BLOCK`.
    PrivateKey,
    /// `PGP SIGNATURE` on its own (detached).
    Signature,
}

impl BlockKind {
    fn from_label(label: &str) -> Option<Self> {
        match label {
            "MESSAGE" => Some(Self::Message),
            "SIGNED MESSAGE" => Some(Self::SignedMessage),
            "PUBLIC KEY BLOCK" => Some(Self::PublicKey),
            "PRIVATE KEY BLOCK" | "SECRET KEY BLOCK" => Some(Self::PrivateKey),
            "SIGNATURE" => Some(Self::Signature),
            _ => None,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Message => "MESSAGE",
            Self::SignedMessage => "SIGNED MESSAGE",
            Self::PublicKey => "PUBLIC KEY BLOCK",
            Self::PrivateKey => "PRIVATE KEY BLOCK",
            Self::Signature => "SIGNATURE",
        }
    }
}

/// One armored block found in text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ArmoredBlock {
    /// What it contains.
    pub kind: BlockKind,
    /// The block in canonical, repaired form, ready for the OpenPGP parser.
    pub armored: String,
    /// Byte offset of the block's first line in the text.
    pub start: usize,
    /// Byte offset just after the block's last line.
    pub end: usize,
    /// What had to be repaired or forgiven.
    pub warnings: Vec<String>,
}

const BEGIN: &str = "-----BEGIN PGP ";
const END: &str = "-----END PGP ";

/// One block as found: its kind, where it starts and ends in the text, and
/// its lines from BEGIN to END with the quote prefix removed.
struct Located<'a> {
    kind: BlockKind,
    start: usize,
    end: usize,
    lines: Vec<&'a str>,
}

/// Finds every armored block in `text`, repairs it and reports where it was.
/// Blocks that cannot be repaired are skipped.
pub fn find_blocks(text: &str) -> Vec<ArmoredBlock> {
    located(text)
        .into_iter()
        .filter_map(|block| {
            let (armored, warnings) = repair(block.kind, &block.lines).ok()?;
            Some(ArmoredBlock {
                kind: block.kind,
                armored,
                start: block.start,
                end: block.end,
                warnings,
            })
        })
        .collect()
}

/// Every complete block in `text`, first to last.
fn located(text: &str) -> Vec<Located<'_>> {
    let lines = split_lines(text);
    let mut blocks = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let Some((line_start, line)) = lines.get(index).copied() else {
            break;
        };
        let Some(column) = line.find(BEGIN) else {
            index += 1;
            continue;
        };
        let prefix = line.get(..column).unwrap_or("");
        let Some(kind) = label_of(line.get(column..).unwrap_or(""), BEGIN)
            .as_deref()
            .and_then(BlockKind::from_label)
        else {
            index += 1;
            continue;
        };
        // The last line that belongs to the block: END of the same label
        // (for a cleartext-signed message, the END of its SIGNATURE).
        let end_label = if kind == BlockKind::SignedMessage {
            "SIGNATURE"
        } else {
            kind.label()
        };
        let closing = (index + 1..lines.len()).find(|&i| {
            lines.get(i).is_some_and(|(_, l)| {
                l.find(END)
                    .and_then(|c| label_of(l.get(c..).unwrap_or(""), END))
                    .as_deref()
                    == Some(end_label)
            })
        });
        let Some(closing) = closing else {
            index += 1;
            continue;
        };
        blocks.push(Located {
            kind,
            start: line_start,
            end: lines
                .get(closing)
                .map_or(text.len(), |(start, l)| start + l.len()),
            lines: lines
                .get(index..=closing)
                .unwrap_or(&[])
                .iter()
                .map(|(_, l)| unquote(l, prefix))
                .collect(),
        });
        index = closing + 1;
    }
    blocks
}

/// For armored input (even with surrounding text), every block repaired and
/// joined; binary input unchanged.
pub fn repaired_if_armored(input: &[u8]) -> Result<Vec<u8>> {
    let Some(text) = armored_text(input) else {
        return Ok(input.to_vec());
    };
    let blocks = found_or_error(find_blocks(text))?;
    let armored: Vec<String> = blocks.into_iter().map(|b| b.armored).collect();
    Ok(armored.join("\n").into_bytes())
}

/// The input split into pieces for the key parser: each armored block's
/// data, decoded directly (a cleartext-signed block as its repaired text),
/// or the binary input whole. Blocks that cannot be read are skipped.
pub fn pieces(input: &[u8]) -> Result<Vec<Vec<u8>>> {
    Ok(labelled_pieces(input)?
        .into_iter()
        .map(|(_, data)| data)
        .collect())
}

/// [`pieces`] with the label each armored piece carried (`None` for binary
/// input), so that a reader can refuse data that contradicts its label.
pub fn labelled_pieces(input: &[u8]) -> Result<Vec<(Option<BlockKind>, Vec<u8>)>> {
    let Some(text) = armored_text(input) else {
        return Ok(vec![(None, input.to_vec())]);
    };
    found_or_error(
        located(text)
            .into_iter()
            .filter_map(|block| Some((Some(block.kind), block_data(&block).ok()?)))
            .collect(),
    )
}

/// The input as text, if it holds armor at all.
fn armored_text(input: &[u8]) -> Option<&str> {
    std::str::from_utf8(input)
        .ok()
        .filter(|text| text.contains(BEGIN))
}

fn found_or_error<T>(blocks: Vec<T>) -> Result<Vec<T>> {
    if blocks.is_empty() {
        return Err(OpenPgpError::BadArmor(
            "no complete -----BEGIN PGP … / -----END PGP … block".into(),
        ));
    }
    Ok(blocks)
}

/// What the parser reads of one block: its data, without re-armoring it.
fn block_data(block: &Located<'_>) -> Result<Vec<u8>> {
    if block.kind == BlockKind::SignedMessage {
        return repair(block.kind, &block.lines).map(|(text, _)| text.into_bytes());
    }
    let inner = block
        .lines
        .get(1..block.lines.len().saturating_sub(1))
        .unwrap_or(&[]);
    decode_radix64(inner.iter().copied(), 0, &mut Vec::new())
}

/// Octets encoded per step: 48 make one 64-character line, so every step but
/// the last ends on a whole line without padding.
const ARMOR_PIECE: usize = 48 * 1024;

/// Armors binary OpenPGP data, labelled after its first packet.
pub fn armor_bytes(data: &[u8]) -> Result<String> {
    // Sized up front: a large message is not copied by a growing buffer.
    let mut out = String::with_capacity(
        data.len()
            .div_ceil(48)
            .saturating_mul(65)
            .saturating_add(128),
    );
    armor_pieces(data, &mut |piece| out.push_str(piece))?;
    Ok(out)
}

/// [`armor_bytes`], handed to `write` a thousand lines at a time (in a
/// browser the pieces go to JavaScript memory), never as one long line.
pub fn armor_pieces(data: &[u8], write: &mut impl FnMut(&str)) -> Result<()> {
    let first = data
        .first()
        .copied()
        .ok_or_else(|| OpenPgpError::BadMessage("no data to armor".into()))?;
    if first & 0x80 == 0 {
        return Err(OpenPgpError::BadMessage(
            "this is not binary OpenPGP data".into(),
        ));
    }
    // New format: tag in the low six bits; old format: bits 5..2.
    let tag = if first & 0x40 != 0 {
        first & 0x3f
    } else {
        (first >> 2) & 0x0f
    };
    let kind = match tag {
        5 => BlockKind::PrivateKey,
        6 => BlockKind::PublicKey,
        2 => BlockKind::Signature,
        _ => BlockKind::Message,
    };
    write_armor(kind, data, write);
    Ok(())
}

/// `data` armored as a `kind` block, in canonical form: 64-character lines,
/// the checksum, handed to `write` a thousand lines at a time.
fn write_armor(kind: BlockKind, data: &[u8], write: &mut impl FnMut(&str)) {
    write(&format!("-----BEGIN PGP {}-----\n\n", kind.label()));
    // A key or signature needs far less than a piece of a large message.
    let step = data.len().min(ARMOR_PIECE);
    let mut encoded = String::with_capacity(step.div_ceil(3) * 4);
    let mut lines = String::with_capacity(step.div_ceil(48) * 65);
    for piece in data.chunks(ARMOR_PIECE) {
        encoded.clear();
        lines.clear();
        base64::Engine::encode_string(&BASE64, piece, &mut encoded);
        for line in encoded.as_bytes().chunks(64) {
            lines.push_str(std::str::from_utf8(line).unwrap_or(""));
            lines.push('\n');
        }
        write(&lines);
    }
    let checksum = encode_base64(crc24(data).to_be_bytes().get(1..).unwrap_or(&[]));
    write(&format!(
        "={checksum}\n-----END PGP {}-----\n",
        kind.label()
    ));
}

/// The binary data of every armored block in `input`, concatenated.
pub fn dearmor(input: &[u8]) -> Result<Vec<u8>> {
    let text = std::str::from_utf8(input).map_err(|_| OpenPgpError::BadArmor("not text".into()))?;
    let blocks = find_blocks(text);
    if blocks.is_empty() {
        return Err(OpenPgpError::BadArmor("no complete armored block".into()));
    }
    let mut out = Vec::new();
    for block in blocks {
        let body: String = block
            .armored
            .lines()
            .skip_while(|l| !l.is_empty())
            .skip(1)
            .take_while(|l| !l.starts_with('=') && !l.starts_with("-----"))
            .collect();
        out.extend(
            decode_base64(&body)
                .ok_or_else(|| OpenPgpError::BadArmor("the base64 body is damaged".into()))?,
        );
    }
    Ok(out)
}

/// Whether the input starts (after white space) with an armor header line.
pub fn is_armored(input: &[u8]) -> bool {
    let start = input
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(input.len());
    input
        .get(start..)
        .is_some_and(|rest| rest.starts_with(BEGIN.as_bytes()))
}

/// Lines with their byte offsets; CR, LF and CRLF all end a line.
fn split_lines(text: &str) -> Vec<(usize, &str)> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        match bytes.get(index) {
            Some(b'\r') | Some(b'\n') => {
                lines.push((start, text.get(start..index).unwrap_or("")));
                if bytes.get(index) == Some(&b'\r') && bytes.get(index + 1) == Some(&b'\n') {
                    index += 1;
                }
                start = index + 1;
            }
            _ => {}
        }
        index += 1;
    }
    if start < text.len() {
        lines.push((start, text.get(start..).unwrap_or("")));
    }
    lines
}

/// `-----BEGIN PGP MESSAGE-----` → `MESSAGE`.
fn label_of(line: &str, marker: &str) -> Option<String> {
    let rest = line.strip_prefix(marker)?;
    let label = rest.split("-----").next()?;
    Some(label.trim().to_owned())
}

/// Removes the quote prefix the BEGIN line had (`> `, `>> `, indentation),
/// tolerating quoted empty lines that lost their trailing space.
fn unquote<'a>(line: &'a str, prefix: &str) -> &'a str {
    let trimmed_prefix = prefix.trim_end_matches([' ', '\u{a0}', '\t']);
    line.strip_prefix(prefix)
        .or_else(|| line.strip_prefix(trimmed_prefix))
        .unwrap_or(line)
}

/// Normalises one line: no NBSPs or zero-width characters, no indentation or trailing space.
fn clean(line: &str) -> Cow<'_, str> {
    // Every character it replaces is outside ASCII; the common line is not
    // copied at all.
    if line.is_ascii() {
        return Cow::Borrowed(line.trim());
    }
    Cow::Owned(
        line.chars()
            .filter(|c| !matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}'))
            .map(|c| if c == '\u{a0}' { ' ' } else { c })
            .collect::<String>()
            .trim()
            .to_owned(),
    )
}

/// Rebuilds a block from its (unquoted) lines, first to last.
fn repair(kind: BlockKind, lines: &[&str]) -> Result<(String, Vec<String>)> {
    let mut warnings = Vec::new();
    if kind == BlockKind::SignedMessage {
        return repair_cleartext(lines, &mut warnings).map(|text| (text, warnings));
    }
    let inner = lines.get(1..lines.len().saturating_sub(1)).unwrap_or(&[]);
    let armored = rebuild_radix64(kind, inner, &mut warnings)?;
    Ok((armored, warnings))
}

/// Headers, base64 body and checksum of one radix-64 block, re-emitted in canonical form.
fn rebuild_radix64(kind: BlockKind, inner: &[&str], warnings: &mut Vec<String>) -> Result<String> {
    let data = decode_radix64(inner.iter().copied(), 0, warnings)?;
    let mut out = String::new();
    write_armor(kind, &data, &mut |piece| out.push_str(piece));
    Ok(out)
}

/// The data of one radix-64 block from the lines between its BEGIN and END
/// lines (see [`Radix64`]).
fn decode_radix64<'a>(
    inner: impl Iterator<Item = &'a str>,
    capacity: usize,
    warnings: &mut Vec<String>,
) -> Result<Vec<u8>> {
    let mut decoder = Radix64::new(capacity);
    for line in inner {
        decoder.line(line)?;
    }
    decoder.finish(warnings)
}

/// Decodes a radix-64 body line by line, tolerating what mail does to armor
/// (headers without a blank line, re-wrapped lines, a checksum glued to the
/// body, indentation), so a large block costs its data and not several
/// copies of it.
struct Radix64 {
    data: Vec<u8>,
    /// Base64 characters not yet decoded: fewer than four, or the padded end.
    pending: String,
    checksum: Option<String>,
    in_headers: bool,
    saw_blank: bool,
    seen_body: bool,
}

impl Radix64 {
    fn new(capacity: usize) -> Self {
        Self {
            data: Vec::with_capacity(capacity),
            pending: String::new(),
            checksum: None,
            in_headers: true,
            saw_blank: false,
            seen_body: false,
        }
    }

    fn line(&mut self, raw: &str) -> Result<()> {
        let line = clean(raw);
        if line.is_empty() {
            self.saw_blank |= self.in_headers;
            self.in_headers = false;
            return Ok(());
        }
        // Version:, Comment: and the like carry nothing we need. A webmail that shows every line
        // followed by an empty one (Roundcube's flowed text) puts blank lines between headers too:
        // a header line before the body is one wherever it stands (it is never base64).
        if !self.seen_body && is_header_line(&line) {
            return Ok(());
        }
        if self.in_headers && !self.saw_blank && !self.seen_body {
            // Body without the blank line after the headers (or without headers).
            self.in_headers = false;
        }
        if let Some(sum) = line
            .strip_prefix('=')
            .filter(|s| s.len() == 4 && is_base64(s))
        {
            self.checksum = Some(sum.to_owned());
            return Ok(());
        }
        // One pass over the common line (ASCII base64) tells both.
        let (base64, spaced) = if line.is_ascii() {
            ascii_classes(&line)
        } else {
            (false, line.contains(char::is_whitespace))
        };
        let compact: Cow<'_, str> = if spaced {
            Cow::Owned(line.chars().filter(|c| !c.is_whitespace()).collect())
        } else {
            Cow::Borrowed(&line)
        };
        if !base64 && !is_base64(&compact) {
            return Err(OpenPgpError::BadArmor(format!(
                "unexpected line in the armor: {line:?}"
            )));
        }
        self.seen_body = true;
        // A checksum that ended up glued to the last body line after re-wrapping.
        let glued = compact
            .rsplit_once('=')
            .filter(|(body, s)| s.len() == 4 && !s.contains('=') && body.len() % 4 == 0);
        match glued {
            Some((body, sum)) => {
                self.pending.push_str(body);
                self.checksum = Some(sum.to_owned());
            }
            None => self.pending.push_str(&compact),
        }
        if !self.pending.contains('=') {
            let whole = self.pending.len() - self.pending.len() % 4;
            let ready = self.pending.get(..whole).ok_or_else(damaged_body)?;
            base64::Engine::decode_vec(&BASE64, ready, &mut self.data)
                .map_err(|_| damaged_body())?;
            self.pending.drain(..whole);
        }
        Ok(())
    }

    fn finish(mut self, warnings: &mut Vec<String>) -> Result<Vec<u8>> {
        self.data
            .extend(decode_base64(&self.pending).ok_or_else(damaged_body)?);
        if self.data.is_empty() {
            return Err(OpenPgpError::BadArmor("the armor holds no data".into()));
        }
        let crc = encode_base64(crc24(&self.data).to_be_bytes().get(1..).unwrap_or(&[]));
        match self.checksum {
            Some(found) if found != crc => {
                warnings.push("the armor checksum was wrong; the data was accepted anyway".into())
            }
            None => warnings.push("the armor checksum was missing".into()),
            _ => {}
        }
        Ok(self.data)
    }
}

fn damaged_body() -> OpenPgpError {
    OpenPgpError::BadArmor("the base64 body is damaged".into())
}

/// The binary OpenPGP data of `input`: binary input as it is; for armored
/// text, the data of its first `PGP MESSAGE` block (quoted or not), decoded
/// in one pass without re-armoring — how a large message is read. `None` when
/// the text has no complete message block.
pub fn message_data(input: &[u8]) -> Result<Option<Cow<'_, [u8]>>> {
    let Ok(text) = std::str::from_utf8(input) else {
        return Ok(Some(Cow::Borrowed(input)));
    };
    if !text.contains(BEGIN) {
        return Ok(Some(Cow::Borrowed(input)));
    }
    Ok(message_data_read(input, input.len())?.map(Cow::Owned))
}

/// The data of the first `PGP MESSAGE` block of armored text of `size`
/// octets read from `text` piece by piece: the text is never held whole, only
/// the data it decodes to. `None` when there is no complete message block.
pub fn message_data_read(text: impl Read, size: usize) -> Result<Option<Vec<u8>>> {
    let mut lines = Lines::new(text);
    let prefix = loop {
        let Some(line) = lines.next_line()? else {
            return Ok(None);
        };
        let prefix = line.find(BEGIN).and_then(|column| {
            let label = label_of(line.get(column..)?, BEGIN)?;
            (BlockKind::from_label(&label) == Some(BlockKind::Message))
                .then(|| line.get(..column).unwrap_or("").to_owned())
        });
        if let Some(prefix) = prefix {
            break prefix;
        }
    };
    // Base64 carries three bytes in four characters: room for all of it.
    let mut decoder = Radix64::new(size / 4 * 3 + 3);
    while let Some(line) = lines.next_line()? {
        let line = unquote(line, &prefix);
        // Body lines hold no '-': the substring search is for the few that do.
        let closing = memchr::memchr(b'-', line.as_bytes()).is_some()
            && line.find(END).is_some_and(|column| {
                label_of(line.get(column..).unwrap_or(""), END).as_deref() == Some("MESSAGE")
            });
        if closing {
            return decoder.finish(&mut Vec::new()).map(Some);
        }
        decoder.line(line)?;
    }
    Ok(None)
}

/// Octets of text read at a time by [`Lines`].
const LINE_PIECE: usize = 64 * 1024;

/// The lines (CR, LF or CRLF) of text read piece by piece: only the current
/// piece and the line it ends in are held.
struct Lines<R> {
    reader: R,
    buffer: Vec<u8>,
    /// Where the next line starts in `buffer`.
    start: usize,
    /// Up to where `buffer` is known to hold no line end after `start`.
    searched: usize,
    ended: bool,
}

impl<R: Read> Lines<R> {
    fn new(reader: R) -> Self {
        Self {
            reader,
            buffer: Vec::new(),
            start: 0,
            searched: 0,
            ended: false,
        }
    }

    fn next_line(&mut self) -> Result<Option<&str>> {
        // Indices first, the borrow at the end: the loop reads more.
        let (line, next) = loop {
            let unsearched = self.buffer.get(self.searched..).unwrap_or(&[]);
            if let Some(found) = memchr::memchr2(b'\r', b'\n', unsearched) {
                let end = self.searched + found;
                let after = self.buffer.get(end..end + 2);
                // A CR that ends what was read may be the first half of a CRLF.
                if after.is_some() || self.ended || self.buffer.get(end) == Some(&b'\n') {
                    let skip = if after == Some(b"\r\n") { 2 } else { 1 };
                    break (self.start..end, end + skip);
                }
                self.searched = end;
            } else if self.ended {
                if self.start >= self.buffer.len() {
                    return Ok(None);
                }
                break (self.start..self.buffer.len(), self.buffer.len());
            } else {
                self.searched = self.buffer.len();
            }
            self.read_piece()?;
        };
        self.start = next;
        self.searched = next;
        let line = self.buffer.get(line).unwrap_or(&[]);
        std::str::from_utf8(line)
            .map(Some)
            .map_err(|_| OpenPgpError::BadArmor("the armored text is not UTF-8".into()))
    }

    /// Drops the lines already read and appends the next piece.
    fn read_piece(&mut self) -> Result<()> {
        self.buffer.drain(..self.start);
        self.searched = self.searched.saturating_sub(self.start);
        self.start = 0;
        let read = (&mut self.reader)
            .take(LINE_PIECE as u64)
            .read_to_end(&mut self.buffer)
            .map_err(|error| {
                OpenPgpError::BadArmor(format!("the armored text could not be read: {error}"))
            })?;
        self.ended = read == 0;
        Ok(())
    }
}

/// A cleartext-signed message: the text is kept as written (line endings,
/// quoting and NBSPs restored), the signature block rebuilt.
fn repair_cleartext(lines: &[&str], warnings: &mut Vec<String>) -> Result<String> {
    let signature_start = lines
        .iter()
        .position(|l| clean(l).starts_with("-----BEGIN PGP SIGNATURE-----"))
        .ok_or_else(|| OpenPgpError::BadArmor("the signed message has no signature".into()))?;
    let mut out = String::from("-----BEGIN PGP SIGNED MESSAGE-----\n");
    let mut text_lines = lines.get(1..signature_start).unwrap_or(&[]).iter();
    // Armor headers (only Hash: is legitimate) up to the blank line.
    let mut headers = Vec::new();
    for line in text_lines.by_ref() {
        let line = clean(line);
        if line.is_empty() {
            break;
        }
        headers.push(line);
    }
    for header in &headers {
        out.push_str(header);
        out.push('\n');
    }
    out.push('\n');
    for line in text_lines {
        let line: String = line
            .chars()
            .map(|c| if c == '\u{a0}' { ' ' } else { c })
            .collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let signature_lines = lines
        .get(signature_start + 1..lines.len().saturating_sub(1))
        .unwrap_or(&[]);
    out.push_str(&rebuild_radix64(
        BlockKind::Signature,
        signature_lines,
        warnings,
    )?);
    Ok(out)
}

/// `Key: value`, or a key whose value is empty (`Comment:`, which some
/// programs write and RFC 9580 §6.2 does not forbid); base64 has no colon.
fn is_header_line(line: &str) -> bool {
    line.split_once(':').is_some_and(|(key, value)| {
        !key.is_empty()
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && (value.is_empty() || value.starts_with(' '))
    })
}

/// What an ASCII line is made of: only base64 characters, and whether it
/// holds white space.
fn ascii_classes(line: &str) -> (bool, bool) {
    let mut base64 = !line.is_empty();
    let mut spaced = false;
    for &byte in line.as_bytes() {
        let class = ASCII_CLASS.get(usize::from(byte)).copied().unwrap_or(0);
        base64 &= class & BASE64_CHAR != 0;
        spaced |= class & SPACE != 0;
    }
    (base64, spaced)
}

const BASE64_CHAR: u8 = 1;
const SPACE: u8 = 2;

/// [`BASE64_CHAR`] and [`SPACE`] for every octet.
const ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let c = byte as u8;
        if c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'=' {
            table[byte] = BASE64_CHAR;
        } else if c.is_ascii_whitespace() {
            table[byte] = SPACE;
        }
        byte += 1;
    }
    table
};

fn is_base64(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

/// Standard Base64; reading accepts missing padding and stray low bits, as
/// mail clients' armor does not always carry them right.
const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

pub(crate) fn encode_base64(data: &[u8]) -> String {
    base64::Engine::encode(&BASE64, data)
}

pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    base64::Engine::decode(&BASE64, text.trim_end_matches('=')).ok()
}

/// The CRC-24 of RFC 9580 §6.1 (the crate rPGP uses, built for speed: a
/// large armored message is checksummed whole).
fn crc24(data: &[u8]) -> u32 {
    crc24::hash_raw(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str = "-----BEGIN PGP MESSAGE-----\nVersion: Test\n\nhQEMA1234567890ABAQf/aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8g\nd29ybGQ=\n=CRCX\n-----END PGP MESSAGE-----\n";

    /// Data of any length, across the encoding steps, is armored in lines of
    /// 64 characters that decode back to it, with its checksum.
    #[test]
    fn armored_data_of_any_length_decodes_back() {
        for len in [
            1,
            47,
            48,
            49,
            ARMOR_PIECE - 1,
            ARMOR_PIECE,
            ARMOR_PIECE + 1,
            3 * ARMOR_PIECE + 100,
        ] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8 | 0x80).collect();
            let armored = armor_bytes(&data).expect("armored");
            let body: Vec<&str> = armored
                .lines()
                .skip(2)
                .take_while(|line| !line.starts_with('='))
                .collect();
            let (last, full) = body.split_last().expect("a line");
            assert!(full.iter().all(|line| line.len() == 64), "length {len}");
            assert!(!last.is_empty() && last.len() <= 64, "length {len}");
            assert_eq!(
                dearmor(armored.as_bytes()).expect("dearmored"),
                data,
                "length {len}"
            );
        }
    }

    /// Key pieces are the blocks' data, decoded straight from damaged,
    /// quoted text; text around and between the blocks is ignored, binary
    /// input is one piece, and text without a complete block is an error.
    #[test]
    fn pieces_are_each_blocks_data() {
        let first: Vec<u8> = [0xC6, 0x03, 1, 2, 3].to_vec();
        let second: Vec<u8> = (0..200u8).map(|i| i | 0x80).collect();
        let quoted = |data: &[u8]| -> String {
            armor_bytes(data)
                .unwrap_or_default()
                .lines()
                .map(|line| format!("> {line}\u{a0} \r\n"))
                .collect()
        };
        let text = format!(
            "Hi,\r\n{}\r\nand\r\n{}-- \r\nBob",
            quoted(&first),
            quoted(&second)
        );
        assert_eq!(pieces(text.as_bytes()), Ok(vec![first.clone(), second]));
        assert_eq!(pieces(&first), Ok(vec![first]));
        assert!(matches!(
            pieces(b"-----BEGIN PGP PUBLIC KEY BLOCK-----\nxsA"),
            Err(OpenPgpError::BadArmor(_))
        ));
    }

    fn canonical() -> String {
        find_blocks(BLOCK)
            .first()
            .map(|b| b.armored.clone())
            .unwrap_or_default()
    }

    /// The one-pass reader of large messages agrees with the repairing
    /// reader on clean, quoted and CRLF armor, and declines what it cannot
    /// read whole so the repairing reader gets it.
    #[test]
    fn message_data_equals_the_repaired_block() {
        let expected = dearmor(BLOCK.as_bytes()).expect("dearmor");
        let read = |text: &str| message_data(text.as_bytes()).map(|d| d.map(|d| d.into_owned()));
        assert_eq!(read(BLOCK), Ok(Some(expected.clone())));
        let quoted: String = BLOCK.lines().map(|l| format!("> {l}\n")).collect();
        assert_eq!(
            read(&format!("Alice wrote:\n{quoted}\nThanks")),
            Ok(Some(expected.clone()))
        );
        assert_eq!(
            read(&BLOCK.replace('\n', "\r\n")),
            Ok(Some(expected.clone()))
        );
        let rewrapped = BLOCK.replace("d29ybGQgaGVsbG8g\nd29ybGQ=", "d29ybGQ\ngaGVsbG8gd29ybGQ=");
        assert_eq!(read(&rewrapped), Ok(Some(expected)));
        let unterminated = BLOCK.replace("-----END PGP MESSAGE-----", "");
        assert_eq!(read(&unterminated), Ok(None));
        let binary = [0xc1u8, 0x0e, 0x03];
        assert!(matches!(
            message_data(&binary),
            Ok(Some(std::borrow::Cow::Borrowed(data))) if data == binary
        ));
    }

    /// Gives what it reads a few octets at a time, as a JavaScript string
    /// read in pieces can end anywhere — between the CR and LF of a line end.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let take = self.1.min(buf.len()).min(self.0.len());
            let (now, rest) = self.0.split_at(take);
            buf[..take].copy_from_slice(now);
            self.0 = rest;
            Ok(take)
        }
    }

    #[test]
    fn lines_read_in_pieces_are_the_lines_of_the_text() {
        let long = "x".repeat(LINE_PIECE * 2 + 5);
        let text = format!("a\r\nb\rc\n\nd\r\r\n{long}\re\r");
        let expected: Vec<&str> = vec!["a", "b", "c", "", "d", "", &long, "e"];
        for step in [1, 2, 3, 7, LINE_PIECE] {
            let mut lines = Lines::new(Trickle(text.as_bytes(), step));
            let mut read = Vec::new();
            while let Some(line) = lines.next_line().expect("text") {
                read.push(line.to_owned());
            }
            assert_eq!(read, expected, "{step} octets at a time");
        }
        let mut broken = Lines::new(&b"ok\n\xff\xfe\n"[..]);
        assert_eq!(broken.next_line(), Ok(Some("ok")));
        assert!(matches!(broken.next_line(), Err(OpenPgpError::BadArmor(_))));
    }

    #[test]
    fn message_data_read_in_pieces_equals_the_whole() {
        let expected = dearmor(BLOCK.as_bytes()).expect("dearmor");
        let quoted: String = BLOCK.lines().map(|l| format!("> {l}\r\n")).collect();
        for text in [BLOCK.to_owned(), BLOCK.replace('\n', "\r"), quoted] {
            for step in [1, 3, 64] {
                let read = message_data_read(Trickle(text.as_bytes(), step), text.len());
                assert_eq!(read, Ok(Some(expected.clone())), "{text:?} by {step}");
            }
        }
        let no_block = "just a note\n";
        assert_eq!(
            message_data_read(no_block.as_bytes(), no_block.len()),
            Ok(None)
        );
    }

    #[test]
    fn base64_and_crc24_round_trip() {
        assert_eq!(encode_base64(b"hello"), "aGVsbG8=");
        assert_eq!(decode_base64("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(decode_base64("a*b"), None);
        // RFC 4880 test vector: CRC-24 of an empty input is the initial value.
        assert_eq!(crc24(b""), 0x00B7_04CE);
        // The CRC-24/OPENPGP check value.
        assert_eq!(crc24(b"123456789"), 0x0021_CF02);
        assert_eq!(
            decode_base64("aGVsbG8"),
            Some(b"hello".to_vec()),
            "padding is optional"
        );
    }

    #[test]
    fn wrong_checksums_are_forgiven_with_a_warning() {
        let blocks = find_blocks(BLOCK);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].kind, BlockKind::Message);
        assert!(
            blocks[0]
                .warnings
                .iter()
                .any(|w| w.contains("checksum was wrong"))
        );
    }

    #[test]
    fn webmail_damage_is_repaired_to_the_same_block() {
        let expected = canonical();
        let damaged = [
            BLOCK.replace('\n', "\r\n"),
            BLOCK.replace('\n', "  \n"),
            BLOCK.lines().map(|l| format!("> {l}")).collect::<Vec<_>>().join("\n"),
            BLOCK.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n"),
            BLOCK.replace("Version: Test\n\n", "Version: Test\n"),
            BLOCK.replace("hQEMA1234567890ABAQf/aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8g\nd29ybGQ=", "hQEMA1234567890ABAQf/aGVsbG8gd29y\nbGQgaGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8gd29ybGQ="),
            format!("Hi Bob,\n\nsee below.\n\n{BLOCK}\nCheers\n"),
            // Every line followed by an empty one, the headers' too (Roundcube's flowed text).
            BLOCK.replace("Version: Test\n", "Version: Test\nComment: two headers\n").replace('\n', "\n\n"),
            BLOCK.replace(' ', "\u{a0}").replace("-----BEGIN\u{a0}PGP\u{a0}", "-----BEGIN PGP ").replace("-----END\u{a0}PGP\u{a0}", "-----END PGP "),
        ];
        for text in damaged {
            let blocks = find_blocks(&text);
            assert_eq!(
                blocks.first().map(|b| b.armored.clone()),
                Some(expected.clone()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn several_blocks_and_truncated_ones() {
        let two = format!("{BLOCK}\ntext\n{}", BLOCK.replace("MESSAGE", "SIGNATURE"));
        let kinds: Vec<BlockKind> = find_blocks(&two).iter().map(|b| b.kind).collect();
        assert_eq!(kinds, [BlockKind::Message, BlockKind::Signature]);
        let truncated = BLOCK.replace("-----END PGP MESSAGE-----\n", "");
        assert!(find_blocks(&truncated).is_empty());
        assert!(matches!(
            repaired_if_armored(truncated.as_bytes()),
            Err(OpenPgpError::BadArmor(_))
        ));
    }
}
