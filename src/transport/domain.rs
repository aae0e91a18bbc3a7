//! Host names compared as administrative domains. Without the Public Suffix
//! List in the core (it would double the Wasm), the organisational domain is
//! approximated: the last two labels, or three under the common two-level
//! country suffixes (`example.co.uk`, `example.com.au`). Callers can always
//! declare domains trusted explicitly.

const SECOND_LEVEL: [&str; 10] = [
    "co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "gob",
];

/// Lower-cases a host name and drops a trailing dot; `None` for addresses
/// and words that are not host names.
pub fn normalize(host: &str) -> Option<String> {
    host_name(host).map(str::to_ascii_lowercase)
}

/// The host name in `host` (trimmed, without a trailing dot) in its own case,
/// or `None` for addresses and words that are not host names.
fn host_name(host: &str) -> Option<&str> {
    let host = host.trim().trim_end_matches('.');
    let is_name = host.contains('.')
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        && host
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.bytes().any(|b| b.is_ascii_alphabetic()));
    is_name.then_some(host)
}

/// The approximate organisational domain of a host: `mx1.mail.example.co.uk` → `example.co.uk`.
pub fn organizational(host: &str) -> Option<String> {
    // Counted from the end in place: this runs for every hop.
    let host = host_name(host)?;
    let mut labels = host.rsplit('.');
    let tld = labels.next()?;
    let second = labels.next().unwrap_or("");
    let keep = if tld.len() == 2 && SECOND_LEVEL.iter().any(|l| l.eq_ignore_ascii_case(second)) {
        3
    } else {
        2
    };
    let start = host
        .rmatch_indices('.')
        .nth(keep - 1)
        .map_or(0, |(dot, _)| dot + 1);
    Some(host.get(start..)?.to_ascii_lowercase())
}

/// Whether `host` is `domain` or a subdomain of it.
pub fn within(host: &str, domain: &str) -> bool {
    // Compared in place: this runs for every pair of hops and domains.
    let (Some(host), Some(domain)) = (host_name(host), host_name(domain)) else {
        return false;
    };
    if host.len() == domain.len() {
        return host.eq_ignore_ascii_case(domain);
    }
    let Some(dot) = host.len().checked_sub(domain.len() + 1) else {
        return false;
    };
    host.as_bytes().get(dot) == Some(&b'.')
        && host
            .get(dot + 1..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisational_domains() {
        assert_eq!(
            organizational("mx.google.com").as_deref(),
            Some("google.com")
        );
        assert_eq!(
            organizational("a.b.example.co.uk.").as_deref(),
            Some("example.co.uk")
        );
        assert_eq!(
            organizational("BN8NAM11FT064.mail.protection.outlook.com").as_deref(),
            Some("outlook.com")
        );
        assert_eq!(organizational("192.0.2.1"), None);
        assert_eq!(organizational("2002:a05:6a10::1"), None);
        assert_eq!(organizational("localhost"), None);
        assert_eq!(
            organizational("Mail.Example.COM").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            organizational("example.co.uk").as_deref(),
            Some("example.co.uk")
        );
        assert_eq!(organizational("co.uk").as_deref(), Some("co.uk"));
    }

    #[test]
    fn subdomain_matching() {
        assert!(within("mx1.example.net", "example.net"));
        assert!(within("example.net.", "EXAMPLE.NET"));
        assert!(!within("badexample.net", "example.net"));
        assert!(!within("example.net.evil.org", "example.net"));
        assert!(!within("example.net", "mx.example.net"));
        assert!(!within("[192.0.2.1]", "example.net"));
    }
}
