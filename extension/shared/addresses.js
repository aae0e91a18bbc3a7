/**
 * The e-mail address inside a user ID or a From value (`Alice <alice@example.org>`,
 * `alice@example.org`), lower-cased: the last `<…>`'s, else the whole text's; null when that is not one plain mailbox. The
 * core's rule (src/header/address.rs), restated because the callers are
 * synchronous: `tests/unit/addresses.test.mjs` holds the two to the same answers.
 * @param {string} text
 * @returns {string|null}
 */
export function addressOf(text) {
  const open = text.lastIndexOf('<');
  const close = text.lastIndexOf('>');
  const inner = (open >= 0 && open < close ? text.slice(open + 1, close) : text).replace(TRIM, '');
  // Text on both sides of one `@`; no list (`,` or Outlook's `;`), no angle bracket, no white space:
  // one mailbox, which a compose form takes as one recipient.
  const addressed = inner.split('@').length === 2 && !inner.startsWith('@') && !inner.endsWith('@') && !/[,;<>]/.test(inner) && !SPACE.test(inner);
  return addressed ? lowerCase(inner) : null;
}

/**
 * An address lower-cased in ASCII only, as the core compares addresses: a
 * Unicode lower-casing would let two different mailboxes' spellings meet.
 * @param {string} address
 */
export function lowerCase(address) {
  return address.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** White space as Rust's `char::is_whitespace` sees it (Unicode White_Space). */
const WHITE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPACE = new RegExp(`[${WHITE}]`);
const TRIM = new RegExp(`^[${WHITE}]+|[${WHITE}]+$`, 'g');
