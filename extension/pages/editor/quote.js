// The quote of a reply or forward, built here in the editor from the message the background opened:
// the page never sees it. Pure, so that its rules are tested without a browser.

/**
 * @typedef {object} OpenedQuote
 * @property {string} text  the message's text (its HTML already made plain)
 * @property {{subject?: string|null, from?: {name?: string|null, address?: string|null}[]}|null} protected
 *   the header fields the sender protected inside the message
 * @property {{status: string, signer?: string|null, created?: string|null}[]} signatures
 * @property {string} attribution  the line the webmail wrote above its quote, if any
 *
 * @typedef {(key: string, substitutions?: string[]) => string} Words  the locale's messages
 */

import { PREFIXES } from '../../shared/reply-subject.js';
import { oneLine } from '../../shared/one-line.js';

/** Line breaks of every kind: a lone CR or a Unicode separator would start a line no "> " marks. */
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029\u0085]/;

/**
 * Who wrote the message and when, and what says so: a valid signature (its signer and time:
 * `signed`), else the From the sender wrote inside the message (`inside`: claimed, not proven),
 * else nothing Sealmark read (`unknown`).
 * @param {OpenedQuote} opened
 * @param {(iso: string) => string} date  how a date is written for this person
 * @returns {{name: string|null, when: string|null, source: 'signed'|'inside'|'unknown'}}
 */
export function writer(opened, date) {
  const signed = opened.signatures.find((check) => check.status === 'valid' && check.signer);
  if (signed) return { name: oneLine(signed.signer ?? ''), when: signed.created ? date(signed.created) : null, source: 'signed' };
  const from = opened.protected?.from?.find((mailbox) => mailbox.address);
  if (from) return { name: oneLine(from.name ? `${from.name} <${from.address}>` : String(from.address)), when: null, source: 'inside' };
  return { name: null, when: null, source: 'unknown' };
}

/**
 * The text the editor gets: for a reply, an attribution line and every line quoted with "> " (a
 * line already quoted gets one more ">"); for a forward, the forwarded header block and the text as
 * it was. The subject is the protected one, with the page's prefix, when the sender protected it.
 * @param {OpenedQuote} opened
 * @param {{forward: boolean, subject: string}} context  what the page's compose window is
 * @param {Words} words
 * @param {(iso: string) => string} date
 * @returns {{text: string, subject: string}}
 */
export function quoted(opened, { forward, subject }, words, date) {
  const { name, when } = writer(opened, date);
  const lines = opened.text.split(LINE_BREAK);
  while (lines.length && !lines.at(-1)) lines.pop();
  const inner = opened.protected?.subject ? oneLine(opened.protected.subject) : '';
  const prefix = PREFIXES.exec(subject)?.[0] ?? (forward ? 'Fwd: ' : 'Re: ');
  const shownSubject = inner ? `${prefix}${inner.replace(PREFIXES, '')}` : subject;
  if (forward) {
    const header = [
      words('forwardedHeader'),
      name ? words('forwardedFrom', [name]) : '',
      when ? words('forwardedDate', [when]) : '',
      inner ? words('forwardedSubject', [inner]) : '',
    ].filter(Boolean);
    return { text: `${header.join('\n')}\n\n${lines.join('\n')}\n`, subject: shownSubject };
  }
  // What the message says of its writer outranks the page's line, which the page can word at will.
  const attribution = name && when
    ? words('quoteAttribution', [when, name])
    : name ? words('quoteAttributionNoDate', [name]) : opened.attribution || words('quoteAttributionUnknown');
  const marked = lines.map((line) => (line.startsWith('>') ? `>${line}` : line ? `> ${line}` : '>'));
  return { text: `${attribution}\n${marked.join('\n')}\n`, subject: shownSubject };
}
