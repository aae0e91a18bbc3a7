//! Why the analysis judged a line or a field as it did, as a [`Reason`] and
//! the names it mentions. The CLI shows the English sentence each reason
//! stands for; the extension and the Inspector say the same reason through
//! their locale files, so a German route explains itself in German. One table
//! here names every reason once, with its code and its English words, written
//! with `$1`… as the locale files write them, so the two are checked word for
//! word.

use serde::Serialize;

/// Declares [`Reason`] from one table: variant, stable code, English words.
macro_rules! reasons {
    ($($(#[$doc:meta])* $variant:ident = $code:literal => $english:literal,)+) => {
        /// Every reason the analysis gives, serialised as its stable snake_case code
        /// (e.g. `trusted_provider`).
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
        #[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
        pub enum Reason {
            $($(#[$doc])* #[serde(rename = $code)] $variant,)+
        }

        impl Reason {
            /// Every reason, in the table's order.
            pub const ALL: &'static [Reason] = &[$(Reason::$variant,)+];

            /// The stable code, as it is serialised.
            pub fn code(self) -> &'static str {
                match self {
                    $(Reason::$variant => $code,)+
                }
            }

            /// The English words, `$1`… standing where the arguments go.
            pub fn english_words(self) -> &'static str {
                match self {
                    $(Reason::$variant => $english,)+
                }
            }
        }
    };
}

reasons! {
    // Who wrote a Received line.
    /// A domain the person declared trusted wrote the line.
    TrustedDeclared = "trusted_declared" => "written by $1, which you declared trusted",
    /// The receiving provider wrote the line.
    TrustedProvider = "trusted_provider" => "written by $1, the receiving provider",
    /// A nameless host inside the receiving system wrote the line.
    TrustedInside = "trusted_inside" => "written inside the receiving system",
    /// The sending side wrote the line.
    #[default]
    Claimed = "claimed" => "supplied by the sending side: it could be forged",
    /// The header runs oldest first, so no line can be attributed.
    Reordered = "reordered" => "the header was written out oldest first, so which lines the receiving side wrote cannot be told",
    // Why a hop stayed inside one system.
    /// No sending host.
    InternalNoClient = "internal_no_client" => "no sending host: written by a program on the receiving system",
    /// Sent over loopback.
    InternalLoopback = "internal_loopback" => "loopback: the message stayed on one machine",
    /// Sender and receiver are the same host.
    InternalSameHost = "internal_same_host" => "same host",
    /// Delivered over LMTP.
    InternalLmtp = "internal_lmtp" => "local delivery (LMTP)",
    /// Delivered locally.
    InternalDelivery = "internal_delivery" => "local delivery",
    /// Submitted through webmail.
    InternalWebmail = "internal_webmail" => "submission through webmail (HTTP)",
    /// Submitted from a MAPI client.
    InternalMapi = "internal_mapi" => "submission from a mail client (MAPI)",
    /// Stored through IMAP.
    InternalImap = "internal_imap" => "stored through IMAP",
    /// Submitted by an authenticated client.
    InternalAuthenticated = "internal_authenticated" => "authenticated submission from the sender's own client",
    // Where the trusted part of the route ends.
    /// No line is the receiving provider's.
    BoundaryNone = "boundary_none" => "No line could be attributed to the receiving provider.",
    /// Every line is the receiving provider's.
    BoundaryAll = "boundary_all" => "Every line was written by $1 or its systems.",
    /// The receiving provider's lines start at a hop.
    BoundaryFrom = "boundary_from" => "Lines from hop $1 on were written by $2; the $3 older line(s) came from the sending side.",
    /// Only nameless lines inside the receiving system are trusted.
    BoundaryInside = "boundary_inside" => "Only lines inside the receiving system are trusted.",
    // Who wrote an authentication field.
    /// Below the receiving side's oldest line.
    AuthBelow = "auth_below" => "below the oldest line the receiving side wrote: the sending side could have written it",
    /// The receiving side wrote no Received line.
    AuthNoReceiving = "auth_no_receiving" => "no Received line was written by the receiving side, so nothing shows who wrote it",
    /// Written by the receiving side.
    AuthWrittenBy = "auth_written_by" => "written by $1 on the receiving side",
    /// Its writer is not the receiving side.
    AuthNotReceiving = "auth_not_receiving" => "$1 is not part of the receiving side",
    /// Above the receiving side's lines, naming no writer.
    AuthUnnamedResults = "auth_unnamed_results" => "above the receiving side's lines; it names no writer (as Microsoft 365 does)",
    /// Above the receiving side's lines, naming no receiver.
    AuthUnnamedSpf = "auth_unnamed_spf" => "above the receiving side's lines; it names no receiver",
    // Remarks on a hop.
    /// The line's date cannot be read.
    UnreadableDate = "unreadable_date" => "No date could be read from this line.",
    /// Dated before the previous line.
    NegativeDelay = "negative_delay" => "Dated $1 s before the previous line: a clock is wrong, or a line was made up.",
    /// The sender named is not who wrote the previous line.
    ContinuityBreak = "continuity_break" => "Received from $1, but the previous line says it was written by $2.",
    /// Names the trusted side below the trust boundary.
    InjectedTrustedName = "injected_trusted_name" => "Claims to be written by $1, the trusted side, but sits below the trust boundary.",
    /// A big provider's encrypted hop below a plaintext sender-side hop.
    InjectedProvider = "injected_provider" => "An encrypted $1 hop below the plaintext sender-side hop $2: a forger's typical addition.",
}

/// A reason and its arguments (domains, hop numbers, seconds), in the order
/// its words use them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Why {
    /// What the reason is. An interface that does not know its code shows
    /// the English sentence instead.
    pub code: Reason,
    /// What the sentence names, in its order.
    pub args: Vec<String>,
}

impl Why {
    /// A reason that names nothing.
    pub fn plain(code: Reason) -> Self {
        Self {
            code,
            args: Vec::new(),
        }
    }

    /// A reason naming `args`.
    pub fn naming(code: Reason, args: impl IntoIterator<Item = String>) -> Self {
        Self {
            code,
            args: args.into_iter().collect(),
        }
    }

    /// The reason in English, as the CLI and older interfaces show it: each
    /// `$n` (one digit, 1 to 9, as in the locale files) is the n-th argument,
    /// `?` where it is missing.
    pub fn english(&self) -> String {
        let words = self.code.english_words();
        let mut said = String::with_capacity(words.len());
        let mut letters = words.chars().peekable();
        while let Some(letter) = letters.next() {
            let argument = (letter == '$')
                .then(|| letters.peek().and_then(|next| next.to_digit(10)))
                .flatten()
                .filter(|n| *n > 0);
            match argument {
                Some(n) => {
                    letters.next();
                    let index = usize::try_from(n - 1).unwrap_or(usize::MAX);
                    said.push_str(self.args.get(index).map_or("?", String::as_str));
                }
                None => said.push(letter),
            }
        }
        said
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_argument_a_sentence_names_is_filled() {
        for reason in Reason::ALL {
            let said =
                Why::naming(*reason, ["a".to_owned(), "b".to_owned(), "c".to_owned()]).english();
            assert!(
                !said.contains('$') && !said.contains('?'),
                "{}: {said}",
                reason.code()
            );
        }
    }

    #[test]
    fn arguments_fill_the_sentence_in_order() {
        let why = Why::naming(
            Reason::BoundaryFrom,
            ["3".to_owned(), "example.org".to_owned(), "2".to_owned()],
        );
        assert_eq!(
            why.english(),
            "Lines from hop 3 on were written by example.org; the 2 older line(s) came from the sending side."
        );
    }

    #[test]
    fn a_missing_argument_is_a_question_mark_not_a_panic() {
        assert_eq!(
            Why::plain(Reason::AuthWrittenBy).english(),
            "written by ? on the receiving side"
        );
    }

    #[test]
    fn an_argument_that_looks_like_a_placeholder_is_not_filled_again() {
        let why = Why::naming(
            Reason::ContinuityBreak,
            ["$2".to_owned(), "mx.example".to_owned()],
        );
        assert_eq!(
            why.english(),
            "Received from $2, but the previous line says it was written by mx.example."
        );
    }

    #[test]
    fn a_reason_is_serialised_as_its_code() {
        for reason in Reason::ALL {
            let json = serde_json::to_string(&Why::plain(*reason)).unwrap_or_default();
            assert_eq!(json, format!(r#"{{"code":"{}","args":[]}}"#, reason.code()));
        }
    }
}
