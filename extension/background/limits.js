/**
 * What content scripts (and so, a hostile webmail page) may hand the
 * background, in one place. Each is refused with a clear error, never cut
 * silently: a recipient dropped without a word is a recipient who cannot
 * read the mail.
 */
export const LIMITS = Object.freeze({
  /** Recipients of one compose window: more than any real message has. */
  recipients: 100,
  /** A recipient's name shown without an address (Microsoft 365's name-only chips). */
  recipientName: 200,
  /** One armored block in a page: what the reader opens (Gmail clips a message at 102 KB of HTML anyway). */
  armoredBytes: 32 * 1024 * 1024,
  /** One raw message from a webmail's source endpoint (Gmail and Outlook.com accept 25 and 20 MB attachments, base64 makes them a third larger). */
  rawBytes: 64 * 1024 * 1024,
  /** A message id as the webmail names it. */
  messageId: 300,
  /** What all frame records may hold together, in IndexedDB. Older records of closed tabs go first. */
  frameBytes: 256 * 1024 * 1024,
  /** Frame records kept at most. */
  frames: 400,
  /** Key look-ups one compose window may make. */
  lookUpsPerCompose: 20,
  /** Correspondents whose Autocrypt state is kept; the least recently seen go first. */
  autocryptPeers: 500,
  /** Sending domains whose TLS history is kept; the least recently seen go first. */
  historyDomains: 1000,
});

/**
 * The `max` entries of a record with the largest `when(value)`; the record
 * itself when it has no more.
 * @template T
 * @param {Record<string, T>} record
 * @param {number} max
 * @param {(value: T) => number} when
 * @returns {Record<string, T>}
 */
export function keepNewest(record, max, when) {
  const entries = Object.entries(record);
  if (entries.length <= max) return record;
  return Object.fromEntries(entries.sort(([, a], [, b]) => when(b) - when(a)).slice(0, max));
}
