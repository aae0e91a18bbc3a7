//! Host names compared as administrative domains: the organisational
//! domain of a host is its registrable domain under the Public Suffix List,
//! so `a.example.ltd.uk` and `b.other.ltd.uk`, or two sites on a shared host
//! such as `github.io`, are different providers.
//!
//! The list is `public_suffix_list.dat` beside this file (the upstream file
//! unchanged, its VERSION line says which), embedded without its comments by
//! `build.rs` and read by the `publicsuffix` crate on first use. Of the
//! crates compared (release Wasm, `opt-level = "z"`, LTO; 3,844,854 bytes,
//! 1,056,385 gzipped before), `psl` compiles the list into code and added
//! 920,260 bytes (260,237 gzipped, +25 %), `addr` on top of it 952,456
//! (280,660), while `publicsuffix` with the list as text added 165,896
//! (49,377 gzipped, +5 %), and it builds the rule tree in a few milliseconds
//! once. To refresh the list, replace the `.dat` file with the current one
//! from publicsuffix.org.

use std::net::IpAddr;
use std::sync::OnceLock;

use publicsuffix::{List, Psl as _};

/// The rules of the Public Suffix List, one per line (written by `build.rs`).
const RULES: &str = include_str!(concat!(env!("OUT_DIR"), "/public_suffix_rules.txt"));

/// The parsed list, built on first use; `None` only if the embedded rules
/// were unreadable, which the tests rule out.
fn list() -> Option<&'static List> {
    static LIST: OnceLock<Option<List>> = OnceLock::new();
    LIST.get_or_init(|| RULES.parse().ok()).as_ref()
}

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

/// The organisational (registrable) domain of a host under the Public
/// Suffix List: `mx1.mail.example.co.uk` → `example.co.uk`. `None` for
/// addresses, words that are not host names, and public suffixes themselves
/// (`co.uk`, `github.io`), which belong to no single organisation. A name
/// under an unlisted top-level domain (`host.corp.internal`) counts as if its
/// last label were a suffix, as the list's default rule says.
pub fn organizational(host: &str) -> Option<String> {
    let host = host_name(host)?;
    let lower;
    // The list is matched byte for byte in lower case.
    let host = if host.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = host.to_ascii_lowercase();
        lower.as_str()
    } else {
        host
    };
    let domain = list()?.domain(host.as_bytes())?;
    std::str::from_utf8(domain.as_bytes())
        .ok()
        .map(str::to_owned)
}

/// Whether two hosts belong to the same organisational domain.
pub fn same_organization(a: &str, b: &str) -> bool {
    matches!((organizational(a), organizational(b)), (Some(x), Some(y)) if x == y)
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

/// Whether an address is routable on the Internet (not private, loopback,
/// link-local, shared or unspecified).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments().first().copied().unwrap_or(0);
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_not_exposures() {
        assert!(!is_public(
            "192.168.1.10".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
        ));
        assert!(!is_public(
            "100.64.0.1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
        ));
        assert!(!is_public(
            "fd00::1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
        ));
        assert!(is_public(
            "198.51.100.7".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
        ));
    }

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
        assert_eq!(organizational("co.uk"), None);
        assert_eq!(
            organizational("mailbackend.nyi.internal").as_deref(),
            Some("nyi.internal")
        );
    }

    #[test]
    fn the_public_suffix_list_is_embedded_whole() {
        let rules = RULES.lines().count();
        assert!(rules > 9_000, "only {rules} rules embedded");
        assert!(list().is_some());
    }

    #[test]
    fn public_suffixes_from_the_real_list() {
        let org = |host: &str| organizational(host);
        // Second-level suffixes the old two-label approximation got wrong.
        assert_eq!(org("mx.acme.ltd.uk").as_deref(), Some("acme.ltd.uk"));
        assert_eq!(
            org("mail.district.k12.ca.us").as_deref(),
            Some("district.k12.ca.us")
        );
        assert_eq!(
            org("mx.shop.chiyoda.tokyo.jp").as_deref(),
            Some("shop.chiyoda.tokyo.jp")
        );
        // Wildcard and exception rules: *.kawasaki.jp, !city.kawasaki.jp.
        assert_eq!(
            org("mx.shop.nakahara.kawasaki.jp").as_deref(),
            Some("shop.nakahara.kawasaki.jp")
        );
        assert_eq!(
            org("www.city.kawasaki.jp").as_deref(),
            Some("city.kawasaki.jp")
        );
        // Shared hosting: each customer is its own organisation.
        assert!(!same_organization("alice.github.io", "mallory.github.io"));
        assert!(!same_organization("a.acme.ltd.uk", "b.evil.ltd.uk"));
        assert!(same_organization("mx1.example.net", "MX2.Example.Net."));
        // Internationalised suffixes match in their ASCII form.
        assert_eq!(
            org("mail.example.xn--55qx5d.cn").as_deref(),
            Some("example.xn--55qx5d.cn")
        );
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
