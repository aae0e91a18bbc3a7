//! Where a packet's body lies among the octets that carry it (RFC 9580
//! §4.2): one piece when its length is stated whole, one per partial length
//! otherwise. The decrypt path finds this itself so that a large body is
//! decrypted, or handed on, where it lies; what the packets mean stays
//! rPGP's to judge.

use std::ops::Range;

use pgp::types::PacketLength;

/// The pieces of a body that starts at `start` with `length`, following
/// partial lengths, read by `length_at` (the length stated at an offset, and
/// how many octets stating it took). `None` unless the body ends at `end`,
/// for any indeterminate length, for a first partial length under 512
/// octets (RFC 9580 §4.2.1.4) and beyond `most_pieces`: anything else is
/// left to rPGP's reader.
pub(crate) fn body_pieces(
    mut start: usize,
    mut length: PacketLength,
    end: usize,
    most_pieces: usize,
    length_at: impl Fn(usize) -> Option<(PacketLength, usize)>,
) -> Option<Vec<Range<usize>>> {
    let mut pieces = Vec::new();
    loop {
        if pieces.len() == most_pieces {
            return None;
        }
        match length {
            PacketLength::Fixed(len) => {
                let piece_end = start.checked_add(usize::try_from(len).ok()?)?;
                pieces.push(start..piece_end);
                return (piece_end == end).then_some(pieces);
            }
            PacketLength::Partial(len) => {
                if pieces.is_empty() && len < 512 {
                    return None;
                }
                let piece_end = start.checked_add(usize::try_from(len).ok()?)?;
                if piece_end > end {
                    return None;
                }
                pieces.push(start..piece_end);
                let (next, stated_in) = length_at(piece_end)?;
                length = next;
                start = piece_end.checked_add(stated_in)?;
            }
            PacketLength::Indeterminate => return None,
        }
    }
}

/// A packet length stated at the start of `octets`, and how many octets
/// stating it took.
pub(crate) fn length_in(octets: &[u8]) -> Option<(PacketLength, usize)> {
    let mut reader = octets;
    let length = PacketLength::try_from_reader(&mut reader).ok()?;
    Some((length, octets.len() - reader.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A partial length of 2^`power` octets (RFC 9580 §4.2.1.4).
    fn partial(power: u8) -> u8 {
        224 + power
    }

    fn pieces_of(octets: &[u8], most: usize) -> Option<Vec<Range<usize>>> {
        pieces_within(octets, octets.len(), most)
    }

    /// The body's pieces when it must end at `end`, its lengths read from
    /// all of `octets` (which may go on past `end`).
    fn pieces_within(octets: &[u8], end: usize, most: usize) -> Option<Vec<Range<usize>>> {
        let (length, stated_in) = length_in(octets)?;
        body_pieces(stated_in, length, end, most, |at| {
            length_in(octets.get(at..)?)
        })
    }

    #[test]
    fn a_whole_length_is_one_piece_that_must_end_the_octets() {
        let octets = [&[5u8][..], b"hello"].concat();
        let whole: Range<usize> = 1..6;
        assert_eq!(pieces_of(&octets, 8), Some(vec![whole]));
        assert_eq!(pieces_of(&[&octets[..], b"!"].concat(), 8), None);
        assert_eq!(pieces_of(&octets[..5], 8), None);
    }

    #[test]
    fn partial_lengths_are_followed_to_the_last_piece() {
        let mut octets = vec![partial(9)];
        octets.extend([1u8; 512]);
        octets.extend([partial(0), 9]);
        octets.extend([2u8, 3, 3]);
        assert_eq!(
            pieces_of(&octets, 8),
            Some(vec![1..513, 514..515, 516..518])
        );
        assert_eq!(
            pieces_of(&octets, 3),
            Some(vec![1..513, 514..515, 516..518])
        );
        assert_eq!(pieces_of(&octets, 2), None, "more pieces than allowed");
        assert_eq!(pieces_of(&octets[..517], 8), None, "cut short");
    }

    #[test]
    fn nothing_is_read_past_where_the_body_must_end() {
        // The octets go on, but the body must end at 300: a piece reaching
        // past it ends the walk before any length beyond is read.
        let mut octets = vec![partial(9)];
        octets.extend([1u8; 512]);
        octets.extend([0u8; 8]);
        let furthest = std::cell::Cell::new(0);
        let pieces = body_pieces(1, PacketLength::Partial(512), 300, 8, |at| {
            furthest.set(furthest.get().max(at));
            length_in(octets.get(at..)?)
        });
        assert_eq!(pieces, None);
        assert_eq!(furthest.get(), 0, "a length was read past the end");
    }

    #[test]
    fn a_short_first_partial_length_or_no_length_is_left_to_rpgp() {
        let mut short = vec![partial(8)];
        short.extend([1u8; 256]);
        short.push(0);
        assert_eq!(pieces_of(&short, 8), None);
        assert_eq!(
            body_pieces(0, PacketLength::Indeterminate, 10, 8, |_| None),
            None
        );
        // A next length cut short.
        let mut cut = vec![partial(9)];
        cut.extend([1u8; 512]);
        cut.extend([0xFF, 0, 0]);
        assert_eq!(pieces_of(&cut, 8), None);
    }
}
