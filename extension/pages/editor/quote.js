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

/** "Re:" or "Fwd:" the webmail or an earlier reply already put in front. */
const PREFIX = /^\s*((re|aw|sv|antw|vs|odp|ynt|res|r|fwd?|wg|tr|rv|enc|vb|doorst|pd|i)\s*:\s*)+/i;

/**
 * Who wrote the message and when, from what proves it first: a valid signature (its signer and
 * time), then the From the sender protected inside; the page's own line only as said by the page.
 * @param {OpenedQuote} opened
 * @param {(iso: string) => string} date  how a date is written for this person
 */
export function writer(opened, date) {
  const signed = opened.signatures.find((check) => check.status === 'valid');
  const from = opened.protected?.from?.find((mailbox) => mailbox.address);
  const named = from ? (from.name ? `${from.name} <${from.address}>` : String(from.address)) : null;
  return { name: signed?.signer ?? named ?? null, when: signed?.created ? date(signed.created) : null };
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
  const body = opened.text.replace(/\r\n/g, '\n').replace(/\n+$/, '');
  const inner = opened.protected?.subject?.trim();
  const prefix = PREFIX.exec(subject)?.[0] ?? (forward ? 'Fwd: ' : 'Re: ');
  const shownSubject = inner ? `${prefix}${inner.replace(PREFIX, '')}` : subject;
  if (forward) {
    const header = [
      words('forwardedHeader'),
      name ? words('forwardedFrom', [name]) : '',
      when ? words('forwardedDate', [when]) : '',
      inner ? words('forwardedSubject', [inner]) : '',
    ].filter(Boolean);
    return { text: `${header.join('\n')}\n\n${body}\n`, subject: shownSubject };
  }
  const attribution = name && when
    ? words('quoteAttribution', [when, name])
    : opened.attribution || (name ? words('quoteAttributionNoDate', [name]) : words('quoteAttributionUnknown'));
  const lines = body.split('\n').map((line) => (line.startsWith('>') ? `>${line}` : line ? `> ${line}` : '>'));
  return { text: `${attribution}\n${lines.join('\n')}\n`, subject: shownSubject };
}
