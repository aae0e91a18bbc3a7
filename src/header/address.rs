//! The one address rule: which e-mail address a user ID or a From value
//! names. Key discovery matches user IDs with it, Autocrypt reads the sender
//! with it, and the extension gets it from the core instead of a rule of its
//! own.

/// The one e-mail address in a user ID or a From value (`Name <a@b>` or
/// `a@b`), lower-cased: the last `<…>`'s, else the whole text's; None when
/// that is not one plain mailbox (none, a bare list, a second `@`, `;`).
pub fn address_of(text: &str) -> Option<String> {
    let inner = match (text.rfind('<'), text.rfind('>')) {
        (Some(open), Some(close)) if open < close => text.get(open + 1..close)?,
        _ => text.trim(),
    };
    let inner = inner.trim();
    // Text on both sides of one `@`; no list (`,` or Outlook's `;`), no
    // angle bracket, no white space: one mailbox, which a compose form takes
    // as one recipient.
    let addressed = inner.matches('@').count() == 1
        && !inner.starts_with('@')
        && !inner.ends_with('@')
        && !inner.contains([',', ';', '<', '>'])
        && !inner.chars().any(char::is_whitespace);
    addressed.then(|| lower_case(inner))
}

/// Addresses are compared lower-cased in ASCII only, everywhere (the
/// extension's `addresses.js` does the same): a Unicode lower-casing would
/// let two different mailboxes' spellings meet.
pub fn lower_case(address: &str) -> String {
    address.to_ascii_lowercase()
}

/// The sender named by a header's From fields: the one address of the one
/// field, None when there are several fields or the field names several.
pub fn single_address<T: AsRef<str>>(from_fields: &[T]) -> Option<String> {
    match from_fields {
        [one] => address_of(one.as_ref()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_is_found_in_either_form() {
        assert_eq!(
            address_of("Alice <Alice@Example.org>").as_deref(),
            Some("alice@example.org")
        );
        assert_eq!(
            address_of("  bob@example.org ").as_deref(),
            Some("bob@example.org")
        );
        assert_eq!(
            address_of("\"Doe, J\" <j@example.org>").as_deref(),
            Some("j@example.org")
        );
    }

    #[test]
    fn lists_names_and_malformed_values_name_no_address() {
        assert_eq!(address_of("a@example.org, b@example.org"), None);
        assert_eq!(address_of("Alice"), None);
        assert_eq!(address_of("Alice <>"), None);
        assert_eq!(address_of("a b@example.org"), None);
        assert_eq!(address_of("<@>"), None);
        assert_eq!(address_of("a@"), None);
        assert_eq!(address_of("a@b\tc"), None);
        assert_eq!(address_of("a@example.org;b@example.org"), None);
        assert_eq!(address_of("a@b@example.org"), None);
        assert_eq!(address_of("a<b@example.org"), None);
    }
}
