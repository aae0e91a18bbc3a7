/**
 * The e-mail address inside a user ID or a recipient as webmails show them
 * (`Alice <alice@example.org>`, `alice@example.org`), lower-cased; null when
 * there is none.
 * @param {string} text
 * @returns {string|null}
 */
export function addressOf(text) {
  const match = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(text) ?? /^\s*([^<>\s]+@[^<>\s]+)\s*$/.exec(text);
  return match ? match[1].toLowerCase() : null;
}
