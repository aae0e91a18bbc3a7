/**
 * The e-mail address inside a user ID or a From value (`Alice <alice@example.org>`,
 * `alice@example.org`), lower-cased; null when there is none or several. The
 * core's rule (src/header/address.rs), restated because the callers are
 * synchronous: `tests/unit/addresses.test.mjs` holds the two to the same answers.
 * @param {string} text
 * @returns {string|null}
 */
export function addressOf(text) {
  const open = text.lastIndexOf('<');
  const close = text.lastIndexOf('>');
  const inner = (open >= 0 && open < close ? text.slice(open + 1, close) : text).replace(TRIM, '');
  if (!inner.includes('@') || inner.includes(',') || inner.includes(' ')) return null;
  return inner.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** Leading and trailing white space as Rust's `str::trim` sees it (Unicode White_Space). */
const TRIM = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
