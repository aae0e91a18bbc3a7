import { addressesIn, isBlindField, rawUnavailable, sameOrigin, setInput, writeText } from './common.js';

/**
 * Gmail: compose windows are dialogs (or inline replies) around a
 * contenteditable `div[role=textbox]` marked `g_editable`; recipients are
 * chips carrying an `email` attribute; messages are shown in `div.a3s`.
 * @type {import('./index.js').Adapter}
 */
export const gmail = {
  name: 'gmail',
  detect: (location) => location.hostname === 'mail.google.com',
  // Gmail's settings edit signatures in the same kind of field: there, only a
  // compose window (which Gmail lets the user open over its settings) counts.
  composeAreas: (document) =>
    [.../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('div[g_editable="true"][role="textbox"], div.Am.Al.editable[contenteditable="true"]'))].filter((body) => !inSettings() || body.closest('[role="dialog"], .M9')).map((body) => {
      const form = body.closest('[role="dialog"], form, .M9, .ip') ?? document;
      const chips = (kind) => [...form.querySelectorAll('[email], [data-hovercard-id]')].filter((chip) => rowKind(chip) === kind);
      const blind = () => addressesIn(chips('blind'), ['email', 'data-hovercard-id']);
      return {
        body,
        // An address shown in the Bcc row is blind even if it also shows elsewhere.
        recipients: () => {
          const hidden = blind();
          return addressesIn(chips('visible'), ['email', 'data-hovercard-id']).filter((address) => !hidden.includes(address));
        },
        blindRecipients: blind,
        setSubject: (subject) => setInput(form.querySelector('input[name="subjectbox"]'), subject),
        subject: () => /** @type {HTMLInputElement|null} */ (form.querySelector('input[name="subjectbox"]'))?.value ?? '',
        // The Send-as address the window sends from: Gmail keeps it in the form's hidden `from` field.
        from: () => /** @type {HTMLInputElement|null} */ (form.querySelector('input[name="from"]'))?.value ?? null,
      };
    }),
  readContainers: (document) => [...document.querySelectorAll('div.a3s')],
  senderOf: (container) => {
    const message = container.closest('.adn, [role="listitem"]') ?? document;
    return message.querySelector('.gD[email], span[email]')?.getAttribute('email')?.toLowerCase() ?? null;
  },
  writeBody: writeText,
  // The thread is the fragment's last part (`#inbox/FMfcgz…`, `#search/words/FMfcgz…`, `?compose=…` after
  // it), whatever list it was opened from; with the account's path, as accounts share the origin. A
  // window without a thread is a new message.
  conversation: (location) => {
    const last = location.hash.split('?')[0].split('/').pop() ?? '';
    return `${location.pathname}|${/^[A-Za-z0-9_-]{16,}$/.test(last) ? last : 'new'}`;
  },
  sourceHint: 'sourceHintGmail',
  openMessages: (document) =>
    [.../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('div.adn[data-message-id]'))].flatMap((item) => {
      const anchor = /** @type {HTMLElement|null} */ (item.querySelector('h3.iw') ?? item.firstElementChild);
      const body = /** @type {HTMLElement|null} */ (item.querySelector('div.a3s'));
      if (!anchor || !body) return [];
      return [{
        id: item.dataset.messageId,
        legacyId: item.dataset.legacyMessageId ?? null,
        anchor,
        body,
        sender: item.querySelector('.gD[email]')?.getAttribute('email')?.toLowerCase() ?? null,
      }];
    }),
  /**
   * "Show original": `<account>?ik=<account key>&view=om&permmsgid=<id>`, the
   * source in `pre#raw_message_text`. The id is `msg-f:` for received mail and
   * `msg-a:` for the user's own sent mail; the account is `/mail/u/N/`, or
   * `/mail/b/<delegate>/u/N/` in a mailbox delegated to the user. Where the
   * permanent id is not answered, the legacy message id (`th=`) is tried.
   */
  rawSource: async (message) => {
    const ik = accountKey(document);
    if (!ik) throw rawUnavailable('rawGmailNoAccount');
    const account = /^\/mail\/(?:b\/[^/]+\/)?u\/\d+\//.exec(location.pathname)?.[0] ?? '/mail/u/0/';
    const original = async (query) => {
      const page = await (await sameOrigin(`${account}?ik=${encodeURIComponent(ik)}&view=om&${query}`)).text();
      return new DOMParser().parseFromString(page, 'text/html').getElementById('raw_message_text')?.textContent || null;
    };
    const id = message.id.replace(/^#/, '');
    let raw = await original(`permmsgid=${encodeURIComponent(id)}`).catch((error) => (message.legacyId ? null : Promise.reject(error)));
    if (!raw && message.legacyId) raw = await original(`th=${encodeURIComponent(message.legacyId)}`);
    if (!raw) throw rawUnavailable('rawGmailNoSource');
    return raw;
  },
};

/**
 * Which recipient row a chip sits in: its row is the nearest element around
 * it holding exactly one text field, which Gmail names for screen readers
 * ("To recipients", "CC recipients", "BCC recipients", translated); older
 * layouts had a `name="bcc"` container. A chip with no such row stands in
 * the collapsed summary of all recipients (`.aoD.hl`, Bcc included), which
 * repeats the rows' chips: `null`, never read.
 * @param {Element} chip
 * @returns {'visible'|'blind'|null}
 */
function rowKind(chip) {
  if (chip.closest('[name="bcc"]')) return 'blind';
  for (let node = chip.parentElement; node; node = node.parentElement) {
    const fields = node.querySelectorAll('input:not([type="hidden"]), textarea');
    if (fields.length === 1) return isBlindField(fields[0]) ? 'blind' : 'visible';
    if (fields.length > 1) return null;
  }
  return null;
}

const inSettings = () => location.hash.startsWith('#settings');

/**
 * Gmail's per-account key (`ik`): the tenth entry of the GLOBALS array in its
 * inline script, or else the `ik=` Gmail writes into its own links (print,
 * attachment and "Show original" links), so that a change in one inline
 * script's layout does not cost the route strip.
 */
function accountKey(document) {
  for (const script of document.querySelectorAll('script:not([src])')) {
    const match = /GLOBALS=\[(?:[^,\]]*,){9}"([0-9a-f]{6,20})"/.exec(script.textContent ?? '');
    if (match) return match[1];
  }
  // Gmail's own links, not those inside a shown message, which keep the sender's addresses.
  for (const link of [...document.querySelectorAll('a[href*="ik="], img[src*="ik="]')].filter((l) => !l.closest('.a3s'))) {
    const match = /[?&]ik=([0-9a-f]{6,20})(?:&|$)/.exec(link.getAttribute('href') ?? link.getAttribute('src') ?? '');
    if (match) return match[1];
  }
  return null;
}
