//! Authentication results as receivers record them: `Authentication-Results`
//! (RFC 8601), its ARC form and `ARC-Seal` (RFC 8617), `Received-SPF`
//! (RFC 7208 §9.1), and Fastmail's `X-ME-Authentication-Results`.
//! Parsing only; which of them to believe is decided with the trust boundary.

use std::collections::BTreeMap;

use serde::Serialize;

use super::tokens::{Token, tokenize_with_equals};
use super::why::Why;

/// One method's result inside an Authentication-Results field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MethodResult {
    /// `spf`, `dkim`, `dmarc`, `arc`, `compauth`, `x-tls`, …
    pub method: String,
    /// `pass`, `fail`, `softfail`, `neutral`, `none`, `temperror`, `permerror`, …
    pub result: String,
    /// The `reason=` text, if any.
    pub reason: Option<String>,
    /// Properties such as `smtp.mailfrom`, `header.d`, `header.from`.
    pub properties: BTreeMap<String, String>,
    /// Comments, joined.
    pub comment: Option<String>,
}

/// One Authentication-Results (or ARC-/X-ME-) field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct AuthenticationResults {
    /// The field name as written.
    pub field: String,
    /// The host that wrote the results (absent in Microsoft's fields).
    pub authserv_id: Option<String>,
    /// ARC instance (`i=`), for ARC-Authentication-Results.
    pub instance: Option<u32>,
    /// The results, in order.
    pub results: Vec<MethodResult>,
    /// Whether the results come from the receiving side (see the trust boundary).
    pub trusted: bool,
    /// Why they are trusted or only claimed, in English.
    pub trust_reason: String,
    /// Why they are trusted or only claimed, as a code.
    pub trust_why: Why,
    /// Position of the field among all header fields, 0 = topmost.
    #[serde(skip)]
    pub position: usize,
}

/// One Received-SPF field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ReceivedSpf {
    /// The SPF result.
    pub result: String,
    /// The comment that explains it.
    pub comment: Option<String>,
    /// `client-ip`, `envelope-from`, `helo`, `receiver`, …
    pub properties: BTreeMap<String, String>,
    /// Whether the field was written by the receiving side.
    pub trusted: bool,
    /// Why it is trusted or only claimed, in English.
    pub trust_reason: String,
    /// Why it is trusted or only claimed, as a code.
    pub trust_why: Why,
    /// Position of the field among all header fields, 0 = topmost.
    #[serde(skip)]
    pub position: usize,
}

impl ReceivedSpf {
    /// The host that wrote the result: `receiver=`, else the `host:` that
    /// starts the comment (`google.com: domain of … designates …`).
    pub fn receiver(&self) -> Option<String> {
        if let Some(receiver) = self.properties.get("receiver") {
            return Some(receiver.trim_end_matches('.').to_ascii_lowercase());
        }
        let comment = self.comment.as_deref()?;
        let (host, _) = comment.split_once(':')?;
        let host = host.trim();
        super::domain::normalize(host).filter(|_| !host.contains(' '))
    }
}

/// One ARC-Seal field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ArcSeal {
    /// `i=`
    pub instance: Option<u32>,
    /// `cv=`: the chain validation the sealer saw (`none`, `pass`, `fail`).
    pub cv: Option<String>,
    /// `d=`: the sealing domain.
    pub domain: Option<String>,
}

/// Parses an Authentication-Results-style field body. `arc` expects the
/// leading `i=N;` of ARC-Authentication-Results.
pub fn parse_results(field: &str, body: &str, arc: bool, position: usize) -> AuthenticationResults {
    let tokens = tokenize_with_equals(body);
    let mut rest: &[Token] = &tokens;
    let mut parsed = AuthenticationResults {
        field: field.to_owned(),
        position,
        ..Default::default()
    };

    if arc
        && let [Token::Word(i), Token::Equals, Token::Word(n), tail @ ..] = rest
        && i.eq_ignore_ascii_case("i")
    {
        parsed.instance = n.parse().ok();
        rest = tail.strip_prefix(&[Token::Semicolon]).unwrap_or(tail);
    }

    // authserv-id [version] ; — unless the field starts straight with method=result.
    let starts_with_method = matches!(rest, [Token::Word(_), Token::Equals, ..]);
    if !starts_with_method && let Some(end) = rest.iter().position(|t| *t == Token::Semicolon) {
        parsed.authserv_id = rest.iter().find_map(|t| match t {
            Token::Word(w) => Some(w.trim_end_matches('.').to_ascii_lowercase()),
            _ => None,
        });
        rest = rest.get(end + 1..).unwrap_or(&[]);
    } else if !starts_with_method {
        parsed.authserv_id = rest.iter().find_map(|t| match t {
            Token::Word(w) => Some(w.to_ascii_lowercase()),
            _ => None,
        });
        rest = &[];
    }

    for entry in rest.split(|t| *t == Token::Semicolon) {
        if let Some(result) = method_result(entry) {
            parsed.results.push(result);
        }
    }
    parsed
}

/// `method[/version]=result (comment) reason="…" ptype.property=value …`
/// `key=value` pairs (values may be quoted) and comments, in order.
fn pairs_and_comments<'a>(tokens: &[Token<'a>]) -> (Vec<(String, String)>, Vec<&'a str>) {
    let mut pairs = Vec::new();
    let mut comments = Vec::new();
    let mut index = 0;
    while let Some(token) = tokens.get(index) {
        match (token, tokens.get(index + 1), tokens.get(index + 2)) {
            (
                Token::Word(key),
                Some(Token::Equals),
                Some(Token::Word(value) | Token::Quoted(value)),
            ) => {
                pairs.push((key.to_ascii_lowercase(), (*value).to_owned()));
                index += 3;
            }
            (Token::Comment(comment), _, _) => {
                comments.push(*comment);
                index += 1;
            }
            _ => index += 1,
        }
    }
    (pairs, comments)
}

fn method_result(tokens: &[Token]) -> Option<MethodResult> {
    let (pairs, comments) = pairs_and_comments(tokens);
    let mut pairs = pairs.into_iter();
    let (method, result) = pairs.next()?;
    let method = method.split('/').next().unwrap_or(&method).to_owned();
    let mut parsed = MethodResult {
        method,
        result: result.to_ascii_lowercase(),
        comment: (!comments.is_empty()).then(|| comments.join("; ")),
        ..Default::default()
    };
    for (key, value) in pairs {
        if key == "reason" {
            parsed.reason = Some(value);
        } else {
            parsed.properties.insert(key, value);
        }
    }
    Some(parsed)
}

/// Parses a Received-SPF field body: `result (comment) key=value; …`.
pub fn parse_received_spf(body: &str, position: usize) -> ReceivedSpf {
    let tokens = tokenize_with_equals(body);
    let mut spf = ReceivedSpf {
        position,
        ..Default::default()
    };
    let mut rest: &[Token] = &tokens;
    if let Some((Token::Word(result), tail)) = tokens.split_first() {
        spf.result = result.to_ascii_lowercase();
        rest = tail;
    }
    let (pairs, comments) = pairs_and_comments(rest);
    spf.comment = comments.first().map(|c| (*c).to_owned());
    for (key, value) in pairs {
        spf.properties
            .insert(key, value.trim_end_matches(';').to_owned());
    }
    spf
}

/// Parses an ARC-Seal tag list.
pub fn parse_arc_seal(body: &str) -> ArcSeal {
    let mut seal = ArcSeal::default();
    for tag in body.split(';') {
        let Some((name, value)) = tag.split_once('=') else {
            continue;
        };
        let value: String = value.split_whitespace().collect();
        match name.trim() {
            "i" => seal.instance = value.parse().ok(),
            "cv" => seal.cv = Some(value.to_ascii_lowercase()),
            "d" => seal.domain = Some(value.to_ascii_lowercase()),
            _ => {}
        }
    }
    seal
}

/// Everything the message says about authentication.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Authentication {
    /// The results from the trusted side, one per method: what to show.
    pub summary: Summary,
    /// Every Authentication-Results-style field, topmost first.
    pub results: Vec<AuthenticationResults>,
    /// Every Received-SPF field, topmost first.
    pub received_spf: Vec<ReceivedSpf>,
    /// Every ARC-Seal field, topmost first.
    pub arc_seals: Vec<ArcSeal>,
    /// Fields beyond the 50 of each kind kept (`MAX_AUTHENTICATION_FIELDS`).
    pub omitted: usize,
}

/// The trusted result of each method, `null` where no trusted field gives one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Summary {
    /// SPF result.
    pub spf: Option<String>,
    /// DKIM result: `pass` when any signature passed.
    pub dkim: Option<String>,
    /// DMARC result.
    pub dmarc: Option<String>,
    /// ARC result.
    pub arc: Option<String>,
    /// The host whose results these are.
    pub authserv_id: Option<String>,
    /// The field they come from: `Authentication-Results` (or Fastmail's
    /// `X-ME-` form), or `ARC-Authentication-Results` when the receiving side
    /// recorded its checks only there above its own lines (Gmail writes its
    /// Authentication-Results below its Received line, where a sender's
    /// would stand too).
    pub field: Option<String>,
}

impl Authentication {
    /// Fills the summary from the fields already marked trusted.
    pub fn summarize(&mut self) {
        // The topmost trusted field was written last, by the receiving side's
        // final check; older fields (even trusted ones) are superseded by it.
        let plain: Vec<&AuthenticationResults> = self
            .results
            .iter()
            .filter(|r| r.trusted && r.instance.is_none())
            .collect();
        // The receiving side's own ARC set has the highest instance.
        let arc = self
            .results
            .iter()
            .filter(|r| r.trusted && r.instance.is_some())
            .max_by_key(|r| r.instance);
        let source: Vec<&AuthenticationResults> = if plain.is_empty() {
            arc.into_iter().collect()
        } else {
            plain
        };
        let result_of = |method: &str| {
            source.iter().find_map(|r| {
                let mut matching = r.results.iter().filter(|m| m.method == method).peekable();
                matching.peek()?;
                let results: Vec<&MethodResult> = matching.collect();
                // Several DKIM signatures: one that passes is enough.
                let pass = results.iter().find(|m| m.result == "pass");
                pass.or(results.first()).map(|m| m.result.clone())
            })
        };
        self.summary = Summary {
            spf: result_of("spf").or_else(|| {
                self.received_spf
                    .iter()
                    .find(|s| s.trusted)
                    .map(|s| s.result.clone())
            }),
            dkim: result_of("dkim"),
            dmarc: result_of("dmarc"),
            arc: result_of("arc"),
            authserv_id: source.iter().find_map(|r| r.authserv_id.clone()),
            field: source.first().map(|r| r.field.clone()),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8601_example_with_properties_and_comments() {
        let results = parse_results(
            "Authentication-Results",
            "mx.example.net; spf=pass (sender SPF authorized) smtp.mailfrom=example.org; dkim=pass reason=\"good signature\" header.d=example.org header.s=sel; dmarc=pass (p=reject dis=none) header.from=example.org",
            false,
            0,
        );
        assert_eq!(results.authserv_id.as_deref(), Some("mx.example.net"));
        assert_eq!(results.results.len(), 3);
        let dkim = &results.results[1];
        assert_eq!(
            (dkim.method.as_str(), dkim.result.as_str()),
            ("dkim", "pass")
        );
        assert_eq!(dkim.reason.as_deref(), Some("good signature"));
        assert_eq!(
            dkim.properties.get("header.d").map(String::as_str),
            Some("example.org")
        );
        assert_eq!(
            results.results[0].comment.as_deref(),
            Some("sender SPF authorized")
        );
    }

    #[test]
    fn microsoft_fields_have_no_authserv_id() {
        let results = parse_results(
            "Authentication-Results",
            "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=example.org; dkim=pass (signature was verified) header.d=example.org;dmarc=pass action=none header.from=example.org;compauth=pass reason=100",
            false,
            0,
        );
        assert_eq!(results.authserv_id, None);
        let methods: Vec<&str> = results.results.iter().map(|r| r.method.as_str()).collect();
        assert_eq!(methods, ["spf", "dkim", "dmarc", "compauth"]);
    }

    #[test]
    fn arc_instance_and_none() {
        let results = parse_results(
            "ARC-Authentication-Results",
            "i=2; mx.example.net; none",
            true,
            0,
        );
        assert_eq!(results.instance, Some(2));
        assert_eq!(results.authserv_id.as_deref(), Some("mx.example.net"));
        assert!(results.results.iter().all(|r| r.method != "spf"));
    }

    #[test]
    fn received_spf_and_arc_seal() {
        let spf = parse_received_spf(
            "pass (mx.example.net: domain of a@example.org designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1; envelope-from=a@example.org; receiver=mx.example.net;",
            3,
        );
        assert_eq!(spf.result, "pass");
        assert_eq!(
            spf.properties.get("receiver").map(String::as_str),
            Some("mx.example.net")
        );
        let seal = parse_arc_seal(
            "i=1; a=rsa-sha256; t=1672740000; cv=none;\r\n d=example.net; s=arc; b=AbC",
        );
        assert_eq!(
            seal,
            ArcSeal {
                instance: Some(1),
                cv: Some("none".into()),
                domain: Some("example.net".into())
            }
        );
    }

    #[test]
    fn garbage_does_not_panic() {
        for body in [
            "",
            ";;;",
            "=",
            "a=",
            "(unclosed",
            "i=x;",
            "\"",
            "spf=pass=fail",
        ] {
            let _ = parse_results("Authentication-Results", body, true, 0);
            let _ = parse_received_spf(body, 0);
            let _ = parse_arc_seal(body);
        }
    }
}
