//! One Received field, parsed along the RFC 5321 §4.4 trace grammar
//! (`from … by … via … with … id … for … ; date`) but tolerant of what real
//! servers write: clauses in odd order or repeated, extension clauses (`tls`,
//! `envelope-from`, `over`), HELO names and addresses inside comments, and
//! dates without the `;`.

use std::net::IpAddr;

use super::tokens::{Token, tokenize};
use crate::header::date::{self, Timestamp};

/// Clause keywords recognised at a clause boundary. Besides RFC 5321's they
/// include RFC 8314's `tls` and extensions seen in the wild.
const KEYWORDS: [&str; 9] = [
    "from",
    "by",
    "via",
    "with",
    "id",
    "for",
    "tls",
    "envelope-from",
    "over",
];

/// One clause: its keyword, the words after it, and the comments inside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clause {
    /// The words of the clause after the keyword, joined by single spaces.
    pub value: String,
    /// Comments that followed the keyword, before the next clause.
    pub comments: Vec<String>,
}

impl Clause {
    /// The first word of the value (e.g. the host of `by`).
    pub fn first_word(&self) -> &str {
        self.value.split(' ').next().unwrap_or("")
    }
}

/// A Received field split into its clauses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceivedField {
    /// The field body, unfolded.
    pub raw: String,
    /// `from` clause.
    pub from: Option<Clause>,
    /// `by` clause.
    pub by: Option<Clause>,
    /// `via` clause.
    pub via: Option<Clause>,
    /// The first `with` clause (the protocol).
    pub with: Option<Clause>,
    /// Further `with` clauses, as in `with ESMTP with STARTTLS`.
    pub more_with: Vec<Clause>,
    /// `id` clause.
    pub id: Option<Clause>,
    /// `for` clause.
    pub recipient: Option<Clause>,
    /// RFC 8314 `tls` clause: the cipher suite.
    pub tls: Option<Clause>,
    /// `over` clause (Microsoft IIS: `over TLS secured channel`).
    pub over: Option<Clause>,
    /// Comments before any clause, such as qmail's `(qmail 1 invoked by uid 0)`.
    pub leading_comments: Vec<String>,
    /// Every comment of the field in order, including those in the date part.
    pub comments: Vec<String>,
    /// For each of `comments`, whether its text was chosen by the client
    /// rather than written by the receiving server about the session: the
    /// HELO name and anything glued to it before the server's address
    /// comment, `(HELO …)`, `helo=`, `(envelope-from …)`, the SASL login of
    /// `(Authenticated sender: …)` and the client certificate's names. A
    /// client can put any text there, so it is never evidence of TLS.
    pub client_chosen: Vec<bool>,
    /// The date, if one could be read.
    pub date: Option<Timestamp>,
}

/// Parses the body of one Received field. Never fails: whatever cannot be
/// recognised is simply absent from the result.
pub fn parse(body: &str) -> ReceivedField {
    let raw = unfold(body);
    let tokens = tokenize(&raw);
    let (clause_tokens, date_tokens) = split_date(&tokens);

    let mut field = ReceivedField::default();
    let mut current: Option<(&str, Clause, bool)> = None; // keyword, clause, has value
    // In the `from` clause, everything up to the server's own comment with
    // the client's address is the HELO as the client sent it: a HELO of
    // `x(TLS1.3)` is written by Postfix as `from x(TLS1.3) (unknown [ip])`.
    let mut address_comment_seen = false;
    for token in clause_tokens {
        match token {
            Token::Word(word) | Token::Quoted(word) => {
                let keyword = KEYWORDS.iter().find(|k| k.eq_ignore_ascii_case(word));
                let at_boundary = current.as_ref().is_none_or(|(_, _, has_value)| *has_value);
                match keyword {
                    Some(keyword) if at_boundary => {
                        if let Some((key, clause, _)) = current.take() {
                            field.store(key, clause);
                        }
                        current = Some((keyword, Clause::default(), false));
                    }
                    _ => {
                        if let Some((_, clause, has_value)) = current.as_mut() {
                            if !clause.value.is_empty() {
                                clause.value.push(' ');
                            }
                            clause.value.push_str(word);
                            *has_value = true;
                        }
                    }
                }
            }
            Token::Comment(comment) => {
                let in_from = current.as_ref().is_some_and(|(key, _, _)| *key == "from");
                let client = client_text(comment)
                    || (in_from && !address_comment_seen && !is_address_comment(comment));
                if in_from && is_address_comment(comment) {
                    address_comment_seen = true;
                }
                field.comments.push((*comment).to_owned());
                field.client_chosen.push(client);
                match current.as_mut() {
                    Some((_, clause, _)) => clause.comments.push((*comment).to_owned()),
                    None => field.leading_comments.push((*comment).to_owned()),
                }
            }
            Token::Semicolon | Token::Equals => {}
        }
    }
    if let Some((key, clause, _)) = current.take() {
        field.store(key, clause);
    }

    let mut date_text = String::new();
    for token in date_tokens {
        match token {
            Token::Word(word) | Token::Quoted(word) => {
                date_text.push_str(word);
                date_text.push(' ');
            }
            Token::Comment(comment) => {
                field.comments.push((*comment).to_owned());
                field.client_chosen.push(client_text(comment));
            }
            Token::Semicolon | Token::Equals => date_text.push(' '),
        }
    }
    field.date = date::parse(&date_text);
    field.raw = raw;
    field
}

/// Comments whose text the client chose, wherever they stand.
fn client_text(comment: &str) -> bool {
    let lower = comment.trim_start().to_ascii_lowercase();
    ["envelope-", "authenticated", "auth:", "client cn", "client certificate"]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
        || lower.contains("helo=")
        || lower.contains("ehlo=")
        // qmail `(HELO x)`, Courier `([ip]:port HELO x)`: the rest is the client's.
        || lower
            .split_whitespace()
            .any(|word| word == "helo" || word == "ehlo")
}

/// The server's comment on the client's address in the `from` clause:
/// `(rdns [192.0.2.1])`, `(unknown [192.0.2.1])`, `(192.0.2.1)`, `([192.0.2.1] helo=x)`.
fn is_address_comment(comment: &str) -> bool {
    comment
        .split_whitespace()
        .take(3)
        .any(|word| parse_ip(word).is_some() || word.eq_ignore_ascii_case("unknown"))
}

impl ReceivedField {
    /// The comments the receiving server wrote (see [`ReceivedField::client_chosen`]).
    pub fn server_comments(&self) -> impl Iterator<Item = &String> {
        self.comments
            .iter()
            .zip(self.client_chosen.iter().chain(std::iter::repeat(&true)))
            .filter(|(_, client)| !**client)
            .map(|(comment, _)| comment)
    }

    fn store(&mut self, keyword: &str, clause: Clause) {
        let slot = match keyword {
            "from" => &mut self.from,
            "by" => &mut self.by,
            "via" => &mut self.via,
            "with" if self.with.is_some() => {
                self.more_with.push(clause);
                return;
            }
            "with" => &mut self.with,
            "id" => &mut self.id,
            "for" => &mut self.recipient,
            "tls" => &mut self.tls,
            "over" => &mut self.over,
            _ => return, // known extension clauses whose content we do not need
        };
        if slot.is_none() {
            *slot = Some(clause);
        }
    }

    /// The protocol as written in the `with` clause, e.g. `ESMTPS` or
    /// `Microsoft SMTP Server`.
    pub fn protocol(&self) -> Option<&str> {
        self.with
            .as_ref()
            .map(|w| w.value.as_str())
            .filter(|v| !v.is_empty())
    }

    /// What the `from` clause says about the sending host.
    pub fn sender(&self) -> Sender {
        let exim = self
            .by
            .iter()
            .chain(&self.with)
            .chain(&self.tls)
            .chain(&self.id)
            .flat_map(|clause| clause.comments.iter())
            .any(|comment| comment.starts_with("Exim "));
        self.from
            .as_ref()
            .map(|clause| sender_of(clause, exim))
            .unwrap_or_default()
    }

    /// The host named by the `by` clause.
    pub fn by_host(&self) -> Option<&str> {
        self.by
            .as_ref()
            .map(Clause::first_word)
            .filter(|h| !h.is_empty())
    }
}

/// Splits tokens into the clause part and the date part: after the last `;`
/// outside comments, or, for servers that omit the `;`, from the first word
/// where a date can be read.
fn split_date<'t, 'a>(tokens: &'t [Token<'a>]) -> (&'t [Token<'a>], &'t [Token<'a>]) {
    if let Some(last) = tokens.iter().rposition(|t| *t == Token::Semicolon) {
        return (
            tokens.get(..last).unwrap_or(&[]),
            tokens.get(last + 1..).unwrap_or(&[]),
        );
    }
    for (index, token) in tokens.iter().enumerate().skip(2) {
        let Token::Word(word) = token else { continue };
        if !date::may_start_date(word) {
            continue;
        }
        let text: Vec<&str> = tokens
            .get(index..)
            .unwrap_or(&[])
            .iter()
            .filter_map(|t| match t {
                Token::Word(w) => Some(*w),
                _ => None,
            })
            .take(8)
            .collect();
        if date::parse(&text.join(" ")).is_some() {
            return (
                tokens.get(..index).unwrap_or(&[]),
                tokens.get(index..).unwrap_or(&[]),
            );
        }
    }
    (tokens, &[])
}

/// Removes header folding: CRLF or LF followed by white space becomes that white space.
pub fn unfold(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for line in body.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if !out.is_empty() && !line.is_empty() {
            out.push(' ');
        }
        out.push_str(line.trim_start());
    }
    out.trim().to_owned()
}

/// The sending host as the `from` clause describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sender {
    /// The host's name: its reverse-DNS name when the receiver recorded one,
    /// otherwise the name it gave.
    pub host: Option<String>,
    /// The name the host gave in HELO/EHLO.
    pub helo: Option<String>,
    /// The host's IP address, normalised (no brackets, `IPv6:` prefix or port).
    pub ip: Option<IpAddr>,
    /// The name the receiver found for the address by reverse DNS, when it
    /// recorded one apart from the HELO (Postfix and sendmail `(name [ip])`,
    /// qmail and Exim `from name (HELO …)`), and did not mark it unverified
    /// (`unknown`, sendmail's `may be forged`). Unlike the HELO, the client
    /// cannot choose it for a name in someone else's domain.
    pub verified: Option<String>,
}

fn sender_of(clause: &Clause, exim: bool) -> Sender {
    let value = clause.first_word();
    let mut explicit_helo = None;
    let mut reverse_name = None;
    // An address in the comment is the one the receiver saw; an address as the
    // value is only what the client said in HELO (`from [192.168.1.10] ([198.51.100.7])`).
    let mut ip = None;
    let mut may_be_forged = false;
    for comment in &clause.comments {
        may_be_forged |= comment.contains("may be forged");
        // Compared without copies: this runs for every word of every comment.
        let mut words = comment.split_whitespace().enumerate().peekable();
        while let Some((position, word)) = words.next() {
            if word.eq_ignore_ascii_case("helo") || word.eq_ignore_ascii_case("ehlo") {
                if let Some((_, name)) = words.peek() {
                    explicit_helo.get_or_insert_with(|| clean_host(name));
                }
            } else if let Some(name) = word
                .get(..5)
                .filter(|key| key.eq_ignore_ascii_case("helo="))
                .and_then(|_| word.get(5..))
            {
                explicit_helo.get_or_insert_with(|| clean_host(name));
            } else if let Some(address) = parse_ip(word) {
                ip.get_or_insert(address);
            } else if position == 0
                && looks_like_host(word)
                && (word.contains('.') || word.eq_ignore_ascii_case("localhost"))
            {
                reverse_name.get_or_insert_with(|| clean_host(word));
            }
        }
    }
    let value_ip = parse_ip(value);
    let ip = ip.or(value_ip);
    let value_name = (value_ip.is_none() && looks_like_host(value)).then(|| clean_host(value));
    // An address literal given in HELO is kept as written.
    let value_literal = (value.starts_with('[') && value_ip.is_some()).then(|| value.to_owned());
    let (host, helo, verified) = match explicit_helo {
        // qmail, Exim, Yahoo: `from <rDNS name> (HELO <name>)`.
        Some(helo) => {
            let host = reverse_name.or(value_name);
            (host.clone(), Some(helo), host)
        }
        // Exim leaves out `helo=` when the HELO was its verified name:
        // `from <verified name> ([ip])`.
        None if exim && reverse_name.is_none() => {
            (value_name.clone(), value_name.clone(), value_name)
        }
        // Postfix, sendmail and most others: `from <HELO name> (<rDNS name> [ip])`;
        // Microsoft writes only the HELO: `from <HELO name> (<ip>)`.
        None => (
            reverse_name.clone().or_else(|| value_name.clone()),
            value_name.or(value_literal),
            reverse_name,
        ),
    };
    let verified = verified.filter(|_| !may_be_forged);
    Sender {
        host,
        helo,
        ip,
        verified,
    }
}

fn looks_like_host(word: &str) -> bool {
    let word = word.trim_end_matches('.');
    !word.is_empty()
        && !word.eq_ignore_ascii_case("unknown")
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && word.chars().any(|c| c.is_ascii_alphabetic())
}

fn clean_host(word: &str) -> String {
    word.trim_end_matches('.')
        .trim_end_matches(')')
        .to_ascii_lowercase()
}

/// Reads an address written as `192.0.2.1`, `[192.0.2.1]`, `[192.0.2.1]:25`,
/// `[IPv6:2001:db8::1]`, `2001:db8::1`, `[::ffff:192.0.2.1]` or `fe80::1%11`.
pub fn parse_ip(word: &str) -> Option<IpAddr> {
    let word = word.trim_matches(|c| c == '(' || c == ')' || c == ',');
    let inner = match word.strip_prefix('[') {
        Some(rest) => rest.split(']').next()?,
        None => word,
    };
    let inner = inner
        .strip_prefix("IPv6:")
        .or_else(|| inner.strip_prefix("ipv6:"))
        .unwrap_or(inner);
    let inner = inner.split('%').next()?;
    // Most words are names: they fail here without a parse attempt.
    if !inner
        .bytes()
        .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b':')
    {
        return None;
    }
    let address: IpAddr = inner.parse().ok()?;
    Some(match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postfix_field_with_tls_comment() {
        let field = parse(
            "from mail.example.org (mail.example.org [192.0.2.1])\r\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n\t(No client certificate requested)\r\n\tby mx.example.net (Postfix) with ESMTPS id 4AbCdE\r\n\tfor <bob@example.net>; Tue,  3 Jan 2023 10:00:00 +0000 (UTC)",
        );
        assert_eq!(field.protocol(), Some("ESMTPS"));
        assert_eq!(field.by_host(), Some("mx.example.net"));
        assert_eq!(field.id.as_ref().map(|c| c.value.as_str()), Some("4AbCdE"));
        assert_eq!(
            field.recipient.as_ref().map(|c| c.value.as_str()),
            Some("<bob@example.net>")
        );
        assert_eq!(
            field.date.map(date::to_rfc3339).as_deref(),
            Some("2023-01-03T10:00:00Z")
        );
        let sender = field.sender();
        assert_eq!(sender.helo.as_deref(), Some("mail.example.org"));
        assert_eq!(sender.ip, "192.0.2.1".parse().ok());
        assert!(
            field
                .comments
                .iter()
                .any(|c| c.starts_with("using TLSv1.3"))
        );
    }

    #[test]
    fn from_inside_a_comment_is_not_a_from_clause() {
        let field = parse(
            "by mail.example.org (Postfix, from userid 0) id 1A2B3C; Tue, 3 Jan 2023 10:00:00 +0000",
        );
        assert!(field.from.is_none());
        assert_eq!(field.by_host(), Some("mail.example.org"));
    }

    #[test]
    fn ipv6_literals_and_helo_in_comments() {
        let field = parse(
            "from unknown (HELO mail.example.org) ([IPv6:2001:db8::25]) by mx.example.net with SMTP; 3 Jan 2023 10:00:00 -0000",
        );
        let sender = field.sender();
        assert_eq!(sender.helo.as_deref(), Some("mail.example.org"));
        assert_eq!(sender.host, None);
        assert_eq!(sender.ip, "2001:db8::25".parse().ok());

        let exim = parse(
            "from [192.0.2.7] (port=51234 helo=relay.example.org) by mx.example.net with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.96) (envelope-from <a@example.org>) id 1pCu; Tue, 03 Jan 2023 10:00:00 +0000",
        );
        assert_eq!(exim.sender().helo.as_deref(), Some("relay.example.org"));
        assert_eq!(
            exim.tls.map(|c| c.value).as_deref(),
            Some("TLS_AES_256_GCM_SHA384")
        );
    }

    #[test]
    fn dates_without_semicolon_are_found() {
        let field = parse(
            "from MjQ1NjM (unknown) by geopod-ismtpd-3-0 (SG) with HTTP id aBcDeF Tue, 03 Jan 2023 10:00:00.123 +0000 (UTC)",
        );
        assert_eq!(field.protocol(), Some("HTTP"));
        assert_eq!(field.id.map(|c| c.value).as_deref(), Some("aBcDeF"));
        assert_eq!(
            field.date.map(date::to_rfc3339).as_deref(),
            Some("2023-01-03T10:00:00Z")
        );
    }

    #[test]
    fn mapped_and_scoped_addresses_are_normalised() {
        assert_eq!(parse_ip("[::ffff:192.0.2.1]"), "192.0.2.1".parse().ok());
        assert_eq!(parse_ip("fe80::1%11"), "fe80::1".parse().ok());
        assert_eq!(parse_ip("[192.0.2.1]:25"), "192.0.2.1".parse().ok());
        assert_eq!(parse_ip("mail.example.org"), None);
    }
}
