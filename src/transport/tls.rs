//! What a Received field says about TLS on its hop. A hop counts as
//! encrypted only on evidence in the field; every result carries the text
//! that is the evidence, so a person can check the judgement.

use serde::Serialize;

use super::received::ReceivedField;

/// TLS on one hop.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Tls {
    /// `true`: the field says TLS was used; `false`: it says it was not
    /// (e.g. `with ESMTP`, RFC 3848); `null`: it does not say.
    pub encrypted: Option<bool>,
    /// Normalised protocol version: `TLSv1.0` … `TLSv1.3` or `SSLv3`.
    pub version: Option<String>,
    /// The cipher suite as written.
    pub cipher: Option<String>,
    /// The cipher suite's IANA name, when the written name maps to exactly one.
    pub cipher_iana: Option<String>,
    /// Key exchange (e.g. `X25519`, `ECDHE`), when stated or implied by the suite.
    pub key_exchange: Option<String>,
    /// Symmetric key bits, when stated.
    pub bits: Option<u32>,
    /// Whether the peer's certificate was verified, when the field says so.
    pub verified: Option<bool>,
    /// The text of the field that is the evidence.
    pub evidence: Option<String>,
}

impl Tls {
    fn encrypted_by(evidence: String) -> Self {
        Tls {
            encrypted: Some(true),
            evidence: Some(evidence),
            ..Tls::default()
        }
    }

    fn set_version(&mut self, text: &str) {
        if self.version.is_none() {
            self.version = normalize_version(text).map(str::to_owned);
        }
    }

    fn set_cipher(&mut self, text: &str) {
        let text = text.trim_matches(|c: char| c == ',' || c == ')' || c == '(');
        if self.cipher.is_none() && !text.is_empty() {
            self.cipher = Some(text.to_owned());
        }
    }

    fn set_bits(&mut self, text: &str) {
        if self.bits.is_none() {
            let digits: String = text
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(char::is_ascii_digit)
                .collect();
            self.bits = digits.parse().ok();
        }
    }

    /// Fills what the written names imply: the IANA suite, the version of a
    /// TLS 1.3-only suite, the key exchange of a TLS 1.2 suite.
    fn complete(mut self) -> Self {
        if let Some(cipher) = &self.cipher {
            self.cipher_iana = iana_cipher(cipher, self.version.as_deref());
        }
        if let Some(iana) = &self.cipher_iana {
            if self.version.is_none() && TLS13_SUITES.contains(&iana.as_str()) {
                self.version = Some("TLSv1.3".to_owned());
            }
            if self.key_exchange.is_none() {
                self.key_exchange = ["ECDHE", "DHE", "RSA"]
                    .into_iter()
                    .find(|kx| {
                        iana.strip_prefix("TLS_")
                            .is_some_and(|r| r.starts_with(&format!("{kx}_")))
                    })
                    .map(str::to_owned);
            }
        }
        self
    }
}

/// Reads the TLS evidence of one field. Only what the receiving server wrote
/// about the session counts: comments whose text the client chose (its HELO,
/// envelope sender, login) are skipped, whatever they say.
pub fn detect(field: &ReceivedField) -> Tls {
    let mut tls: Option<Tls> = None;
    let from_comments = field.from.as_ref().map_or(&[][..], |c| &c.comments[..]);
    // Courier writes the session after the SASL login in one comment:
    // `(AUTH: PLAIN alice, TLS: TLSv1.3,256bits,…)`; only its tail is the server's.
    let courier = field
        .comments
        .iter()
        .filter(|c| c.starts_with("AUTH: "))
        .filter_map(|c| c.rfind(", TLS: ").and_then(|at| c.get(at + 2..)));
    for comment in field.server_comments().map(String::as_str).chain(courier) {
        let found = from_comment(comment).or_else(|| {
            // A product comment is the server's own: it sits in the `by`,
            // `with` or `id` part, never in `from`, which describes the client.
            (!from_comments.iter().any(|c| c == comment))
                .then(|| from_product_comment(comment))
                .flatten()
        });
        if let Some(found) = found {
            merge(&mut tls, found);
        }
    }
    if let Some(clause) = &field.tls {
        let mut found = Tls::encrypted_by(format!("tls {}", clause.value));
        found.set_cipher(clause.first_word());
        merge(&mut tls, found);
    }
    for clause in &field.more_with {
        if clause
            .value
            .split(' ')
            .any(|w| w.eq_ignore_ascii_case("STARTTLS"))
        {
            merge(
                &mut tls,
                Tls::encrypted_by(format!("with {}", clause.value)),
            );
        }
    }
    if let Some(over) = &field.over
        && over.value.to_ascii_lowercase().starts_with("tls")
    {
        merge(&mut tls, Tls::encrypted_by(format!("over {}", over.value)));
    }
    if let Some(found) = field.protocol().and_then(from_protocol) {
        merge(&mut tls, found);
    }
    let mut tls = tls.unwrap_or_else(|| plaintext_by_protocol(field.protocol()));
    if tls.encrypted == Some(true) {
        tls.verified = tls
            .verified
            .or_else(|| certificate_verified(&field.comments));
    }
    tls.evidence = tls.evidence.map(|e| super::bounded(e, super::MAX_TEXT));
    tls.complete()
}

/// Keeps the first evidence and fills its gaps from later evidence.
fn merge(into: &mut Option<Tls>, found: Tls) {
    match into {
        None => *into = Some(found),
        Some(tls) => {
            tls.version = tls.version.take().or(found.version);
            tls.cipher = tls.cipher.take().or(found.cipher);
            tls.key_exchange = tls.key_exchange.take().or(found.key_exchange);
            tls.bits = tls.bits.or(found.bits);
            tls.verified = tls.verified.or(found.verified);
        }
    }
}

fn from_comment(comment: &str) -> Option<Tls> {
    let trimmed = comment.trim();
    // Written only for the few comments that are TLS evidence.
    let evidence = || format!("({trimmed})");
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    let first = words.first().copied().unwrap_or("");

    // Postfix: using TLSv1.3 with cipher X (256/256 bits) key-exchange X25519 …
    if first == "using" {
        let mut tls = Tls::encrypted_by(evidence());
        tls.set_version(words.get(1).copied().unwrap_or(""));
        if let Some(cipher) = word_after(&words, "cipher") {
            tls.set_cipher(cipher);
        }
        if let Some(bits) = words.iter().find(|w| w.starts_with('(') && w.contains('/')) {
            tls.set_bits(bits);
        }
        tls.key_exchange = word_after(&words, "key-exchange").map(str::to_owned);
        return Some(tls);
    }

    // sendmail, Gmail, Exchange, Proofpoint, Mimecast: version=… cipher=… bits=… verify=…
    let pairs: Vec<(String, &str)> = trimmed
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter_map(|part| part.split_once('='))
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    let value_of = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
    if value_of("version").is_some_and(|v| {
        v.to_ascii_uppercase().contains("TLS") || v.to_ascii_uppercase().contains("SSL")
    }) || value_of("cipher").is_some()
    {
        let mut tls = Tls::encrypted_by(evidence());
        if let Some(version) = value_of("version") {
            tls.set_version(version);
        }
        if let Some(cipher) = value_of("cipher") {
            tls.set_cipher(cipher);
        }
        if let Some(bits) = value_of("bits") {
            tls.set_bits(bits);
        }
        tls.verified = value_of("verify").and_then(sendmail_verify);
        return Some(tls);
    }

    // Courier: (TLS: TLSv1.2,256bits,ECDHE-RSA-AES256-GCM-SHA384), possibly after AUTH: …
    if let Some(position) = trimmed.find("TLS: ") {
        let list = trimmed.get(position + 5..).unwrap_or("");
        let mut tls = Tls::encrypted_by(evidence());
        let mut parts = list.split(',').map(str::trim);
        tls.set_version(parts.next().unwrap_or(""));
        tls.set_bits(parts.next().unwrap_or(""));
        tls.set_cipher(parts.next().unwrap_or(""));
        return Some(tls);
    }

    // Exim, OpenSMTPD: (TLS1.3) (TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256) (TLSv1.3:AEAD-AES256-GCM-SHA384:256:NO);
    // Exim 3 wrote it beside a plain `with esmtp`: (TLSv1:DES-CBC3-SHA:168), and
    // OpenSSL before 1.1 named the suite's protocol family, not the version:
    // (TLSv1/SSLv3:DHE-RSA-AES256-SHA:256).
    if words.len() == 1 && version_word(first.split(':').next().unwrap_or("")).is_some() {
        let mut tls = Tls::encrypted_by(evidence());
        let mut parts = first.split(':');
        tls.set_version(parts.next().unwrap_or(""));
        if let Some(cipher) = parts.next() {
            tls.set_cipher(cipher);
        }
        if let Some(bits) = parts.next() {
            tls.set_bits(bits);
        }
        tls.verified = parts.next().and_then(opensmtpd_verified);
        return Some(tls);
    }

    // Stalwart, Halon, maddy: (TLSv1.3 TLS13_AES_256_GCM_SHA384)
    if words.len() == 2 && normalize_version(first).is_some() {
        let mut tls = Tls::encrypted_by(evidence());
        tls.set_version(first);
        tls.set_cipher(words.get(1).copied().unwrap_or(""));
        return Some(tls);
    }

    // qmail and qpsmtpd with TLS patches: with (DHE-RSA-AES256-GCM-SHA384 encrypted) SMTP
    if words.len() == 2
        && words
            .get(1)
            .is_some_and(|w| w.eq_ignore_ascii_case("encrypted"))
    {
        let mut tls = Tls::encrypted_by(evidence());
        if !first.eq_ignore_ascii_case("TLS") {
            tls.set_cipher(first);
        }
        return Some(tls);
    }

    // Gmail: (Google Transport Security); Exchange: (TLS)
    if trimmed.eq_ignore_ascii_case("Google Transport Security")
        || trimmed.eq_ignore_ascii_case("TLS")
    {
        return Some(Tls::encrypted_by(evidence()));
    }
    None
}

/// Gateways that record the session in their product comment beside a plain
/// `with ESMTP`: `(Sophos Email Appliance, TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384)`,
/// `(MailGate 3.5; TLS 1.2)`. A version word anywhere in the server's own
/// comment is the evidence; a suite name may follow it.
fn from_product_comment(comment: &str) -> Option<Tls> {
    let trimmed = comment.trim();
    let words: Vec<&str> = trimmed
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    let (at, version) = words.iter().enumerate().find_map(|(at, word)| {
        version_word(word).map(|v| (at, v)).or_else(|| {
            // `TLS 1.2` in two words.
            let next = words.get(at + 1)?;
            word.eq_ignore_ascii_case("tls")
                .then(|| normalize_version(&format!("TLS{next}")))
                .flatten()
                .map(|v| (at + 1, Some(v)))
        })
    })?;
    let mut tls = Tls::encrypted_by(format!("({trimmed})"));
    if let Some(version) = version {
        tls.version = Some(version.to_owned());
    }
    if let Some(cipher) = words.get(at + 1).filter(|w| looks_like_suite(w)) {
        tls.set_cipher(cipher);
    }
    Some(tls)
}

/// A TLS version as a word: `Some(Some(version))`, or `Some(None)` for
/// OpenSSL's `TLSv1/SSLv3`, which says TLS was used but not which version.
fn version_word(word: &str) -> Option<Option<&'static str>> {
    let word = word.trim_matches(|c: char| matches!(c, '(' | ')' | ',' | ';' | ':'));
    if let Some(version) = normalize_version(word) {
        return Some(Some(version));
    }
    let upper = word.to_ascii_uppercase();
    matches!(upper.as_str(), "TLSV1/SSLV3" | "SSLV3/TLSV1").then_some(None)
}

/// A cipher suite name as servers write them: upper-case letters and digits
/// joined by `-` or `_` (`ECDHE-RSA-AES256-GCM-SHA384`, `TLS_AES_256_GCM_SHA384`).
fn looks_like_suite(word: &str) -> bool {
    word.len() >= 6
        && word.contains(['-', '_'])
        && word
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn word_after<'a>(words: &[&'a str], key: &str) -> Option<&'a str> {
    let position = words.iter().position(|w| *w == key)?;
    words.get(position + 1).copied()
}

/// sendmail's `verify=`: OK verified, FAIL failed; NO, NOT and NONE mean no
/// certificate was asked for or given, which says nothing either way.
fn sendmail_verify(word: &str) -> Option<bool> {
    match word
        .trim_matches(|c: char| !c.is_ascii_alphabetic())
        .to_ascii_uppercase()
        .as_str()
    {
        "OK" => Some(true),
        "FAIL" => Some(false),
        _ => None,
    }
}

/// OpenSMTPD's last colon field: whether the peer certificate was verified.
fn opensmtpd_verified(word: &str) -> Option<bool> {
    match word.to_ascii_uppercase().as_str() {
        "YES" => Some(true),
        "NO" => Some(false),
        _ => None,
    }
}

/// Postfix records the client certificate check at the end of a comment of
/// its own, after the certificate's names: only the end counts, since a
/// name can hold any text.
fn certificate_verified(comments: &[String]) -> Option<bool> {
    comments.iter().find_map(|comment| {
        let comment = comment.trim_end();
        if comment.ends_with("(verified OK)") || comment.ends_with("verified OK") {
            Some(true)
        } else if comment.ends_with("(not verified)") || comment.ends_with("(verification failed)")
        {
            Some(false)
        } else {
            None
        }
    })
}

/// `ESMTPS`, `SMTPS`, `ESMTPSA`, `UTF8SMTPS`, `LMTPS`, `HTTPS`, `ESMTP-TLS`,
/// `ESMTP/TLS/<cipher>` (Cisco).
fn from_protocol(protocol: &str) -> Option<Tls> {
    let upper = protocol.to_ascii_uppercase();
    let evidence = format!("with {protocol}");
    if let Some((_, cipher)) = upper.split_once("/TLS/") {
        let mut tls = Tls::encrypted_by(evidence);
        let start = protocol.len() - cipher.len();
        tls.set_cipher(protocol.get(start..).unwrap_or(""));
        return Some(tls);
    }
    if upper.ends_with("-TLS") || upper.ends_with("/TLS") {
        return Some(Tls::encrypted_by(evidence));
    }
    let core = upper.strip_prefix("UTF8").unwrap_or(&upper);
    let tls_variant = matches!(
        core,
        "ESMTPS"
            | "ESMTPSA"
            | "SMTPS"
            | "SMTPSA"
            | "LMTPS"
            | "LMTPSA"
            | "HTTPS"
            | "IMAPS"
            | "POP3S"
    );
    tls_variant.then(|| Tls::encrypted_by(evidence))
}

/// No TLS evidence at all. RFC 3848 makes `SMTP`/`ESMTP`/`ESMTPA` (and
/// Microsoft's and IIS's keywords, which gain a TLS comment when TLS was used)
/// a statement that TLS was not used. Local-delivery and web protocols say
/// nothing about the network either way.
fn plaintext_by_protocol(protocol: Option<&str>) -> Tls {
    let Some(protocol) = protocol else {
        return Tls::default();
    };
    let upper = protocol.to_ascii_uppercase();
    let core = upper.strip_prefix("UTF8").unwrap_or(&upper);
    let says_plaintext = matches!(core, "SMTP" | "ESMTP" | "ESMTPA" | "SMTPA")
        || upper.starts_with("MICROSOFT SMTP")
        || upper.starts_with("ESMTP ")
        || upper.starts_with("SMTP ");
    if says_plaintext {
        Tls {
            encrypted: Some(false),
            evidence: Some(format!("with {protocol}")),
            ..Tls::default()
        }
    } else {
        Tls::default()
    }
}

/// `TLSv1.3`, `TLS1.3`, `TLS1_3`, `TLSv1_3`, `TLS 1.3`, `TLS13`, `tls1.3` → `TLSv1.3`.
pub fn normalize_version(text: &str) -> Option<&'static str> {
    let squashed: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if c == '_' {
                '.'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    let squashed = squashed.trim_end_matches([',', ')']);
    let rest = squashed
        .strip_prefix("tls")
        .map(|r| ("tls", r))
        .or_else(|| squashed.strip_prefix("ssl").map(|r| ("ssl", r)));
    let (family, number) = rest?;
    let number = number.strip_prefix('v').unwrap_or(number);
    match (family, number) {
        ("tls", "1" | "1.0" | "10") => Some("TLSv1.0"),
        ("tls", "1.1" | "11") => Some("TLSv1.1"),
        ("tls", "1.2" | "12") => Some("TLSv1.2"),
        ("tls", "1.3" | "13") => Some("TLSv1.3"),
        ("ssl", "3" | "3.0" | "30") => Some("SSLv3"),
        _ => None,
    }
}

const TLS13_SUITES: [&str; 5] = [
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_AES_128_CCM_SHA256",
    "TLS_AES_128_CCM_8_SHA256",
];

/// The IANA name of a cipher suite written in OpenSSL, LibreSSL, GnuTLS,
/// rustls or IANA style; `None` when the name does not determine one suite.
pub fn iana_cipher(written: &str, version: Option<&str>) -> Option<String> {
    let upper = written.trim().to_ascii_uppercase();
    if let Some(rest) = upper
        .strip_prefix("TLS13_")
        .or_else(|| upper.strip_prefix("TLS12_"))
    {
        return Some(format!("TLS_{rest}"));
    }
    if upper.starts_with("TLS_") {
        return Some(upper);
    }
    if let Some(bulk) = upper.strip_prefix("AEAD-") {
        // LibreSSL's names for the TLS 1.3 suites.
        return tls13_suite(&bulk.replace('-', "_"));
    }
    if upper.contains("__") {
        return gnutls_priority_name(&upper, version);
    }
    if upper.contains('_') {
        return gnutls_legacy_name(&upper);
    }
    openssl_name(&upper)
}

/// `AES_256_GCM_SHA384` or `AES_256_GCM` → the TLS 1.3 suite.
fn tls13_suite(bulk: &str) -> Option<String> {
    let suite = match bulk.trim_end_matches("_SHA384").trim_end_matches("_SHA256") {
        "AES_256_GCM" | "AES256_GCM" => "TLS_AES_256_GCM_SHA384",
        "AES_128_GCM" | "AES128_GCM" => "TLS_AES_128_GCM_SHA256",
        "CHACHA20_POLY1305" => "TLS_CHACHA20_POLY1305_SHA256",
        _ => return None,
    };
    Some(suite.to_owned())
}

/// GnuTLS: `ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM` (TLS 1.3, or 1.2 with ECDHE).
fn gnutls_priority_name(upper: &str, version: Option<&str>) -> Option<String> {
    let mut parts = upper.split("__");
    let key_exchange = parts.next()?;
    let signature = parts.next()?;
    let bulk = parts.next()?;
    if version == Some("TLSv1.3") {
        return tls13_suite(bulk);
    }
    let authentication = if signature.starts_with("RSA") {
        "RSA"
    } else if signature.starts_with("ECDSA") {
        "ECDSA"
    } else {
        return None;
    };
    let exchange = if key_exchange.starts_with("ECDHE") {
        "ECDHE"
    } else if key_exchange.starts_with("DHE") {
        "DHE"
    } else {
        return None;
    };
    let mac = match bulk {
        "AES_256_GCM" => "SHA384",
        "AES_128_GCM" | "CHACHA20_POLY1305" => "SHA256",
        _ => return None,
    };
    Some(format!("TLS_{exchange}_{authentication}_WITH_{bulk}_{mac}"))
}

/// GnuTLS before 3.x priority names: `ECDHE_RSA_AES_256_GCM_SHA384`, `DHE_RSA_AES_256_CBC_SHA1`.
fn gnutls_legacy_name(upper: &str) -> Option<String> {
    let exchange = ["ECDHE_RSA", "ECDHE_ECDSA", "DHE_RSA", "RSA"]
        .into_iter()
        .find(|kx| upper.starts_with(&format!("{kx}_")))?;
    let bulk = upper.get(exchange.len() + 1..)?;
    let bulk = bulk
        .strip_suffix("_SHA1")
        .map(|b| format!("{b}_SHA"))
        .unwrap_or_else(|| bulk.to_owned());
    let known = [
        "AES_128_GCM_SHA256",
        "AES_256_GCM_SHA384",
        "AES_128_CBC_SHA",
        "AES_256_CBC_SHA",
        "AES_128_CBC_SHA256",
        "AES_256_CBC_SHA384",
        "CHACHA20_POLY1305_SHA256",
        "CHACHA20_POLY1305",
        "3DES_EDE_CBC_SHA",
    ];
    if !known.contains(&bulk.as_str()) {
        return None;
    }
    let bulk = if bulk == "CHACHA20_POLY1305" {
        "CHACHA20_POLY1305_SHA256".to_owned()
    } else {
        bulk
    };
    Some(format!("TLS_{exchange}_WITH_{bulk}"))
}

/// OpenSSL: `ECDHE-RSA-AES256-GCM-SHA384`, `AES128-SHA`, `DES-CBC3-SHA`, `ECDHE-ECDSA-CHACHA20-POLY1305`.
fn openssl_name(upper: &str) -> Option<String> {
    let (exchange, rest) = ["ECDHE-RSA-", "ECDHE-ECDSA-", "DHE-RSA-"]
        .into_iter()
        .find_map(|prefix| {
            upper
                .strip_prefix(prefix)
                .map(|rest| (prefix.trim_end_matches('-').replace('-', "_"), rest))
        })
        .unwrap_or_else(|| ("RSA".to_owned(), upper));
    let bulk = match rest {
        "AES128-GCM-SHA256" => "AES_128_GCM_SHA256",
        "AES256-GCM-SHA384" => "AES_256_GCM_SHA384",
        "CHACHA20-POLY1305" => "CHACHA20_POLY1305_SHA256",
        "AES128-SHA" => "AES_128_CBC_SHA",
        "AES256-SHA" => "AES_256_CBC_SHA",
        "AES128-SHA256" => "AES_128_CBC_SHA256",
        "AES256-SHA256" => "AES_256_CBC_SHA256",
        "AES256-SHA384" => "AES_256_CBC_SHA384",
        "DES-CBC3-SHA" => "3DES_EDE_CBC_SHA",
        "RC4-SHA" => "RC4_128_SHA",
        "RC4-MD5" => "RC4_128_MD5",
        _ => return None,
    };
    Some(format!("TLS_{exchange}_WITH_{bulk}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::received;

    fn tls_of(body: &str) -> Tls {
        detect(&received::parse(body))
    }

    #[test]
    fn versions_normalise() {
        for (written, expected) in [
            ("TLSv1.3", "TLSv1.3"),
            ("TLS1_2", "TLSv1.2"),
            ("TLS1.3", "TLSv1.3"),
            ("tls 1.1", "TLSv1.1"),
            ("TLSv1", "TLSv1.0"),
            ("SSLv3", "SSLv3"),
        ] {
            assert_eq!(normalize_version(written), Some(expected), "{written}");
        }
        assert_eq!(normalize_version("TLSv1/SSLv3"), None);
        assert_eq!(normalize_version("TLS_AES_256_GCM_SHA384"), None);
    }

    #[test]
    fn cipher_names_map_to_iana_only_when_unambiguous() {
        let cases = [
            (
                "ECDHE-RSA-AES256-GCM-SHA384",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            ),
            ("AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"),
            ("AEAD-AES256-GCM-SHA384", "TLS_AES_256_GCM_SHA384"),
            (
                "TLS13_CHACHA20_POLY1305_SHA256",
                "TLS_CHACHA20_POLY1305_SHA256",
            ),
            (
                "ECDHE_RSA_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            ),
            (
                "DHE_RSA_AES_256_CBC_SHA1",
                "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
            ),
        ];
        for (written, iana) in cases {
            assert_eq!(
                iana_cipher(written, None).as_deref(),
                Some(iana),
                "{written}"
            );
        }
        assert_eq!(
            iana_cipher(
                "ECDHE_SECP256R1__RSA_PSS_RSAE_SHA256__AES_256_GCM",
                Some("TLSv1.3")
            )
            .as_deref(),
            Some("TLS_AES_256_GCM_SHA384")
        );
        assert_eq!(iana_cipher("WEIRD-CIPHER", None), None);
    }

    #[test]
    fn postfix_tls_with_verified_client_certificate() {
        let tls = tls_of(
            "from a.example.org (a.example.org [192.0.2.1]) (using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)) (Client CN \"a.example.org\", Issuer \"Example CA\" (verified OK)) by mx.example.net (Postfix) with ESMTPS id 1; Tue, 3 Jan 2023 10:00:00 +0000",
        );
        assert_eq!(tls.encrypted, Some(true));
        assert_eq!(tls.version.as_deref(), Some("TLSv1.2"));
        assert_eq!(
            tls.cipher_iana.as_deref(),
            Some("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
        );
        assert_eq!(tls.bits, Some(256));
        assert_eq!(tls.key_exchange.as_deref(), Some("ECDHE"));
        assert_eq!(tls.verified, Some(true));
        assert!(
            tls.evidence
                .unwrap_or_default()
                .starts_with("(using TLSv1.2")
        );
    }

    #[test]
    fn plain_esmtp_is_evidence_of_plaintext() {
        let tls = tls_of(
            "from a.example.org (a.example.org [192.0.2.1]) by mx.example.net (Postfix) with ESMTP id 1; Tue, 3 Jan 2023 10:00:00 +0000",
        );
        assert_eq!(tls.encrypted, Some(false));
        assert_eq!(tls.evidence.as_deref(), Some("with ESMTP"));
    }

    #[test]
    fn no_protocol_means_unknown() {
        let tls =
            tls_of("from a.example.org by mx.example.net id 1; Tue, 3 Jan 2023 10:00:00 +0000");
        assert_eq!(tls, Tls::default());
    }

    #[test]
    fn legacy_comments_beside_plain_esmtp() {
        // Exim 3: the cipher in a comment after `with esmtp`.
        let exim3 = tls_of(
            "from mail.example.org ([192.0.2.1] helo=mail.example.org) by mx.example.net with esmtp (TLSv1:DES-CBC3-SHA:168) (Exim 3.36 #1) id 1A2B3C-0001ab-00; Tue, 3 Jan 2006 10:00:00 +0000",
        );
        assert_eq!(exim3.encrypted, Some(true));
        assert_eq!(exim3.version.as_deref(), Some("TLSv1.0"));
        assert_eq!(
            exim3.cipher_iana.as_deref(),
            Some("TLS_RSA_WITH_3DES_EDE_CBC_SHA")
        );
        // OpenSSL 0.9/1.0 named only the protocol family.
        let old = tls_of(
            "from mail.example.org ([192.0.2.1]) by mx.example.net with esmtp (TLSv1/SSLv3:DHE-RSA-AES256-SHA:256) (Exim 4.69) id 1; Tue, 3 Jan 2012 10:00:00 +0000",
        );
        assert_eq!((old.encrypted, old.version), (Some(true), None));
        assert_eq!(old.bits, Some(256));
        // A gateway's product comment.
        let gateway = tls_of(
            "from mail.example.org (mail.example.org [192.0.2.1]) by gw.example.net (Sophos Email Appliance v4.5.3.2, TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384) with ESMTP id 1; Tue, 3 Jan 2023 10:00:00 +0000",
        );
        assert_eq!(gateway.encrypted, Some(true));
        assert_eq!(gateway.version.as_deref(), Some("TLSv1.2"));
        assert_eq!(
            gateway.cipher_iana.as_deref(),
            Some("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
        );
    }

    #[test]
    fn text_the_client_chose_is_no_evidence() {
        // HELO `x(TLS1.3)`, written by Postfix before its address comment.
        let helo = tls_of(
            "from x(TLS1.3) (unknown [203.0.113.5]) by mx.example.net (Postfix) with ESMTP id 1; Tue, 3 Jan 2023 10:00:00 +0000",
        );
        assert_eq!(helo.encrypted, Some(false));
        // qmail's (HELO …) and Exim's helo= hold the client's words.
        let qmail = tls_of(
            "from unknown (HELO version=TLSv1.3,cipher=TLS_AES_256_GCM_SHA384) (203.0.113.5) by mx.example.net with SMTP; 3 Jan 2023 10:00:00 -0000",
        );
        assert_eq!(qmail.encrypted, Some(false));
        // The envelope sender and the SASL login are the client's too.
        let envelope = tls_of(
            "from [203.0.113.5] (helo=x) by mx.example.net with esmtp (Exim 4.96) (envelope-from <version=TLS1_3,cipher=TLS_AES_256_GCM_SHA384@evil.example>) id 1; Tue, 3 Jan 2023 10:00:00 +0000",
        );
        assert_eq!(envelope.encrypted, Some(false));
        let login = tls_of(
            "from x (x [203.0.113.5]) (Authenticated sender: using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384) by mx.example.net (Postfix) with ESMTPA id 1; Tue, 3 Jan 2023 10:00:00 +0000",
        );
        assert_eq!(login.encrypted, Some(false));
        // A certificate name cannot say it was verified.
        let cn = tls_of(
            "from a (a [192.0.2.1]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) (Client CN \"x (verified OK)\", Issuer \"Evil CA\" (not verified)) by mx.example.net (Postfix) with ESMTPS id 1; Tue, 3 Jan 2023 10:00:00 +0000",
        );
        assert_eq!(cn.verified, Some(false));
    }

    #[test]
    fn opensmtpd_verification_flag() {
        let tls = tls_of(
            "from a.example.org (a.example.org [192.0.2.1]) by mx.example.net (OpenSMTPD) with ESMTPS id 1a2b (TLSv1.3:AEAD-AES256-GCM-SHA384:256:YES) for <b@example.net>; Tue, 3 Jan 2023 10:00:00 +0000",
        );
        assert_eq!(tls.verified, Some(true));
        assert_eq!(tls.cipher_iana.as_deref(), Some("TLS_AES_256_GCM_SHA384"));
    }
}
