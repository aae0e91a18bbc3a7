//! The fields of a header section: name and raw value, continuation lines
//! included. The analysis only needs this much, and a plain splitter is
//! several times faster than a full parse of every field's structure.

/// One header field as written.
pub struct Field<'a> {
    /// The field name as written (case preserved).
    pub name: &'a str,
    /// Everything after the colon up to the end of the field, folding kept.
    pub value: &'a [u8],
}

/// The header section: everything before the first empty line.
pub fn header_section(raw: &[u8]) -> &[u8] {
    // The first line break followed by an empty line (LF or CRLF); memchr's
    // search because every message analysed is scanned here first.
    let lf = memchr::memmem::find(raw, b"\n\n").map(|at| at + 2);
    let crlf = memchr::memmem::find(raw, b"\n\r\n").map(|at| at + 3);
    let end = match (lf, crlf) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).unwrap_or(raw.len()),
    };
    raw.get(..end).unwrap_or(raw)
}

/// Splits a header section into fields. Lines that are neither a field nor
/// a continuation (no colon, or a name with spaces) are skipped, as mail
/// software does; a continuation before any field is ignored.
pub fn split(header: &[u8]) -> Vec<Field<'_>> {
    let mut fields: Vec<(&str, usize, usize)> = Vec::new();
    let mut offset = 0;
    let mut in_field = false;
    for line in header.split_inclusive(|&b| b == b'\n') {
        let start = offset;
        offset += line.len();
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        if content.is_empty() {
            break; // the blank line ending the header section
        }
        if matches!(content.first(), Some(b' ' | b'\t')) {
            if in_field && let Some(last) = fields.last_mut() {
                last.2 = start + content.len();
            }
            continue;
        }
        in_field = false;
        let Some(colon) = content.iter().position(|&b| b == b':') else {
            continue;
        };
        let Some(name) = content
            .get(..colon)
            .and_then(|n| std::str::from_utf8(n).ok())
            .map(str::trim_end)
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_graphic()))
        else {
            continue;
        };
        fields.push((name, start + colon + 1, start + content.len()));
        in_field = true;
    }
    fields
        .into_iter()
        .map(|(name, from, to)| Field {
            name,
            value: header.get(from..to).unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_fields_keep_their_continuation_lines() {
        let header = b"Received: from a\r\n\tby b; Tue, 3 Jan 2023 10:00:00 +0000\r\nSubject: hi\r\n\r\nbody: no";
        let fields = split(header);
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].name, "Received");
        assert_eq!(
            fields[0].value,
            &b" from a\r\n\tby b; Tue, 3 Jan 2023 10:00:00 +0000"[..]
        );
        assert_eq!(fields[1].value, &b" hi"[..]);
    }

    #[test]
    fn garbage_lines_are_skipped_not_fatal() {
        let fields = split(b"  leading continuation\nno colon here\nbad name: x\nX-Ok:1\n");
        assert_eq!(fields.len(), 1);
        assert_eq!((fields[0].name, fields[0].value), ("X-Ok", &b"1"[..]));
    }
}
