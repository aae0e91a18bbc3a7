//! Why the analysis judged a line or a field as it did, as a stable code and
//! the names it mentions. The CLI shows the English sentence each code stands
//! for; the extension and the Inspector say the same code through their
//! locale files, so a German route explains itself in German. One table here
//! holds every English sentence, so the two can be checked word for word.

use serde::Serialize;

/// A reason as a code and its arguments (domains, hop numbers, seconds), in
/// the order the sentence uses them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Why {
    /// Stable and snake_case, e.g. `trusted_provider`. An interface that does
    /// not know a code shows the English sentence instead.
    pub code: &'static str,
    /// What the sentence names, in its order.
    pub args: Vec<String>,
}

impl Why {
    /// A reason that names nothing.
    pub fn plain(code: &'static str) -> Self {
        Self {
            code,
            args: Vec::new(),
        }
    }

    /// A reason naming `args`.
    pub fn naming(code: &'static str, args: impl IntoIterator<Item = String>) -> Self {
        Self {
            code,
            args: args.into_iter().collect(),
        }
    }

    /// The reason in English, as the CLI and older interfaces show it.
    pub fn english(&self) -> String {
        let arg = |n: usize| self.args.get(n).map(String::as_str).unwrap_or("?");
        match self.code {
            // Who wrote a Received line.
            "trusted_declared" => format!("written by {}, which you declared trusted", arg(0)),
            "trusted_provider" => format!("written by {}, the receiving provider", arg(0)),
            "trusted_inside" => "written inside the receiving system".to_owned(),
            "claimed" => "supplied by the sending side: it could be forged".to_owned(),
            "reordered" => "the header was written out oldest first, so which lines the receiving side wrote cannot be told".to_owned(),
            // Why a hop stayed inside one system.
            "internal_no_client" => "no sending host: written by a program on the receiving system".to_owned(),
            "internal_loopback" => "loopback: the message stayed on one machine".to_owned(),
            "internal_same_host" => "same host".to_owned(),
            "internal_lmtp" => "local delivery (LMTP)".to_owned(),
            "internal_delivery" => "local delivery".to_owned(),
            "internal_webmail" => "submission through webmail (HTTP)".to_owned(),
            "internal_mapi" => "submission from a mail client (MAPI)".to_owned(),
            "internal_imap" => "stored through IMAP".to_owned(),
            "internal_authenticated" => "authenticated submission from the sender's own client".to_owned(),
            // Where the trusted part of the route ends.
            "boundary_none" => "No line could be attributed to the receiving provider.".to_owned(),
            "boundary_all" => format!("Every line was written by {} or its systems.", arg(0)),
            "boundary_from" => format!(
                "Lines from hop {} on were written by {}; the {} older line(s) came from the sending side.",
                arg(0),
                arg(1),
                arg(2)
            ),
            "boundary_inside" => "Only lines inside the receiving system are trusted.".to_owned(),
            // Who wrote an authentication field.
            "auth_below" => "below the oldest line the receiving side wrote: the sending side could have written it".to_owned(),
            "auth_no_receiving" => "no Received line was written by the receiving side, so nothing shows who wrote it".to_owned(),
            "auth_written_by" => format!("written by {} on the receiving side", arg(0)),
            "auth_not_receiving" => format!("{} is not part of the receiving side", arg(0)),
            "auth_unnamed_results" => "above the receiving side's lines; it names no writer (as Microsoft 365 does)".to_owned(),
            "auth_unnamed_spf" => "above the receiving side's lines; it names no receiver".to_owned(),
            // Remarks on a hop.
            "unreadable_date" => "No date could be read from this line.".to_owned(),
            "negative_delay" => format!(
                "Dated {} s before the previous line: a clock is wrong, or a line was made up.",
                arg(0)
            ),
            "continuity_break" => format!(
                "Received from {}, but the previous line says it was written by {}.",
                arg(0),
                arg(1)
            ),
            "injected_trusted_name" => format!(
                "Claims to be written by {}, the trusted side, but sits below the trust boundary.",
                arg(0)
            ),
            "injected_provider" => format!(
                "An encrypted {} hop below the plaintext sender-side hop {}: a forger's typical addition.",
                arg(0),
                arg(1)
            ),
            other => other.replace('_', " "),
        }
    }
}

/// Every code [`Why::english`] knows, for interfaces to check their words against.
pub const CODES: &[&str] = &[
    "trusted_declared",
    "trusted_provider",
    "trusted_inside",
    "claimed",
    "reordered",
    "internal_no_client",
    "internal_loopback",
    "internal_same_host",
    "internal_lmtp",
    "internal_delivery",
    "internal_webmail",
    "internal_mapi",
    "internal_imap",
    "internal_authenticated",
    "boundary_none",
    "boundary_all",
    "boundary_from",
    "boundary_inside",
    "auth_below",
    "auth_no_receiving",
    "auth_written_by",
    "auth_not_receiving",
    "auth_unnamed_results",
    "auth_unnamed_spf",
    "unreadable_date",
    "negative_delay",
    "continuity_break",
    "injected_trusted_name",
    "injected_provider",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_own_sentence() {
        for code in CODES {
            let said =
                Why::naming(code, ["a".to_owned(), "b".to_owned(), "c".to_owned()]).english();
            assert_ne!(said, code.replace('_', " "), "{code} has no sentence");
        }
    }

    #[test]
    fn arguments_fill_the_sentence_in_order() {
        let why = Why::naming(
            "boundary_from",
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
            Why::plain("auth_written_by").english(),
            "written by ? on the receiving side"
        );
    }
}
