// Outlook on the web (Outlook.com, Microsoft 365, and Outlook on the web on
// one's own Exchange, which shares the structure), read by ids, roles and
// structure only: its labels are in the user's language ("Message body" is
// "Nachrichtentext" in German), so no selector here names one.
//
// What the page really holds (checked against Mailvelope's Outlook DOM
// templates from outlook.office.com, 2025, and extension code checked on live
// pages in 2026): a shown message's body is `#UniqueMessageBody_N` inside a
// `[role=document]` below its header; the sender is a persona whose
// aria-label holds the address; no message id is in the DOM (the list has only
// conversation ids, `data-convid`), only in the reading pane's deep link
// (`/mail/0/inbox/id/<id>`); the compose form's recipient wells are
// `[role=group]` with ids ending `_TO`, `_CC`, `_BCC` and hold chips
// (`._EType_RECIPIENT_ENTITY`) that in Microsoft 365 may show only a name.
import { generic } from './generic.js';
import { addressesIn, addressesInText, rawUnavailable, sameOrigin, setInput, writeText } from './common.js';

const HOSTS = new Set(['outlook.live.com', 'outlook.office.com', 'outlook.office365.com', 'outlook.cloud.microsoft']);
const WELL = { to: '[role="group"][id$="_TO"]', cc: '[role="group"][id$="_CC"]', bcc: '[role="group"][id$="_BCC"]' };
const CHIP = '._EType_RECIPIENT_ENTITY';
const COMPOSE_BODY = '[id^="editorParent_"] [contenteditable="true"][role="textbox"], div[role="textbox"][contenteditable="true"][aria-multiline="true"]';
const MESSAGE_BODY = '[id^="UniqueMessageBody"]';
// The sender's persona: Exchange's `_FROM` header id, or the persona whose label holds the address.
const SENDER = '[id$="_FROM"], [data-testid="SenderPersona"], span[aria-label*="@"]';

/** @type {import('./index.js').Adapter} */
export const outlook = {
  name: 'outlook',
  detect: (location, document) => HOSTS.has(location.hostname) || Boolean(document.querySelector('meta[name="owa-app"], #owaRoot')),
  // Where Outlook's own structure is not found, the generic adapter still offers Sealmark's editor.
  composeAreas: (document) => {
    const areas = [...new Set(document.querySelectorAll(COMPOSE_BODY))].map(composeArea);
    return areas.length ? areas : generic.composeAreas(document);
  },
  readContainers: (document) => {
    const bodies = [.../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(MESSAGE_BODY))];
    return bodies.length ? bodies : generic.readContainers(document);
  },
  // Only the header's persona counts, by its label: a message's own HTML may carry ids and
  // addresses of its sender's choosing, and in the generic fallback no sender is known.
  senderOf: (container) => {
    if (!container.matches(MESSAGE_BODY)) return null;
    for (const persona of headerPersonas(messageOf(container))) {
      const [address] = addressesInText(`${persona.getAttribute('aria-label') ?? ''} ${persona.getAttribute('title') ?? ''}`);
      if (address) return address;
    }
    return null;
  },
  writeBody: writeText,
  sourceHint: 'sourceHintOutlook',
  /**
   * Every shown message gets a strip. The deep link's id is the message's only
   * when the reading pane shows one message; in a conversation it is not
   * known which message it names, so each says its source cannot be had.
   */
  openMessages: (document) => {
    const bodies = [.../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(MESSAGE_BODY))];
    const linked = deepLinkId(location.pathname);
    return bodies.map((body) => {
      const wrapper = /** @type {HTMLElement} */ (body.closest('[role="document"]') ?? body);
      // Sealmark's own strip sits between the header and the body; the header is before it.
      let anchor = /** @type {HTMLElement|null} */ (wrapper.previousElementSibling);
      while (anchor?.dataset.sealmarkStrip !== undefined) anchor = /** @type {HTMLElement|null} */ (anchor.previousElementSibling);
      const itemId = bodies.length === 1 ? linked : null;
      return {
        id: itemId ?? `${location.pathname}#${body.id}`,
        itemId,
        // The address names the item, not this body: its source must show this body's sender.
        inferred: itemId !== null,
        unknownWhy: bodies.length > 1 ? 'rawOutlookConversation' : 'rawOutlookNoLink',
        anchor: anchor ?? wrapper,
        body,
        sender: outlook.senderOf(body),
      };
    });
  },
  /**
   * The web app's own JSON service, as the page calls it: GetItem with
   * IncludeMimeContent returns the message as base64 MIME. Outlook.com and
   * Microsoft 365 authorise it with the session's access token (kept by the
   * page's sign-in library in its storage), Exchange on one's own server with
   * the X-OWA-CANARY cookie; the page sends a fixed placeholder when it has no
   * canary, and so does this.
   */
  rawSource: async (message) => {
    if (!message.itemId) throw rawUnavailable(message.unknownWhy ?? 'rawOutlookNoLink');
    const token = accessToken(globalThis.localStorage);
    const canary = /(?:^|;\s*)X-OWA-CANARY=([^;]+)/i.exec(document.cookie)?.[1] ?? 'X-OWA-CANARY_cookie_is_null_or_empty';
    const request = {
      __type: 'GetItemJsonRequest:#Exchange',
      Header: { __type: 'JsonRequestHeaders:#Exchange', RequestServerVersion: 'Exchange2013' },
      Body: {
        __type: 'GetItemRequest:#Exchange',
        ItemShape: { __type: 'ItemResponseShape:#Exchange', BaseShape: 'IdOnly', IncludeMimeContent: true },
        ItemIds: [{ __type: 'ItemId:#Exchange', Id: message.itemId }],
      },
    };
    const headers = {
      action: 'GetItem',
      'content-type': 'application/json; charset=utf-8',
      'x-owa-canary': canary,
      'x-owa-urlpostdata': encodeURIComponent(JSON.stringify(request)),
      'x-req-source': 'Mail',
    };
    if (token) headers.authorization = location.hostname === 'outlook.live.com' ? `MSAuth1.0 usertoken="${token}", type="MSACT"` : `Bearer ${token}`;
    let response = null;
    for (const path of servicePaths(location)) {
      try {
        response = await sameOrigin(`${path}?action=GetItem&app=Mail`, { method: 'POST', headers, body: JSON.stringify(request) });
        break;
      } catch (error) {
        if (error?.status === 404) continue;
        // Refused for want of authorisation, with no token to give: say what is missing.
        throw !token && [401, 440].includes(error?.status) ? rawUnavailable('rawOutlookNoToken') : error;
      }
    }
    const json = await response?.json().catch(() => null);
    const mime = json?.Body?.ResponseMessages?.Items?.[0]?.Items?.[0]?.MimeContent?.Value;
    if (typeof mime !== 'string') throw rawUnavailable('rawOutlookNoSource');
    return new TextDecoder().decode(Uint8Array.from(atob(mime), (c) => c.charCodeAt(0)));
  },
};

/** A compose form: its body, the wells around it, and its subject. */
function composeArea(body) {
  const form = formOf(body);
  const well = (name) => [...(form?.querySelectorAll(WELL[name]) ?? [])];
  const read = (names) => names.flatMap(well).map(chipsOf);
  return {
    body,
    recipients: () => {
      const blind = read(['bcc']).flatMap((r) => r.addresses);
      return read(['to', 'cc']).flatMap((r) => r.addresses).filter((address) => !blind.includes(address));
    },
    blindRecipients: () => read(['bcc']).flatMap((r) => r.addresses),
    unaddressed: () => read(['to', 'cc']).flatMap((r) => r.names),
    // Apart: an address added for a Bcc name would be encrypted to, unblinding it.
    blindUnaddressed: () => read(['bcc']).flatMap((r) => r.names),
    setSubject: (subject) => setInput(form && subjectOf(form), subject),
    subject: () => (form && subjectOf(form))?.value ?? '',
    // The mailbox's own address, which Outlook sends from unless the From field is changed: that
    // field is not read (no record of its structure was found), so the editor says so.
    from: () => body.ownerDocument.querySelector('[id^="primaryMailboxRoot_"][data-folder-name]')?.getAttribute('data-folder-name') ?? null,
    fromIsMailbox: true,
    recipientsUnknown: form === null,
  };
}

/**
 * The compose form: the nearest ancestor holding a To well, unless it holds
 * another compose body too (then the wells cannot be told apart, and none is
 * read: the user adds the recipients in the editor, rather than encrypting
 * to another draft's recipients).
 */
function formOf(body) {
  for (let node = body.parentElement; node; node = node.parentElement) {
    if (!node.querySelector(WELL.to)) continue;
    return [...node.querySelectorAll(COMPOSE_BODY)].some((other) => other !== body && !other.contains(body) && !body.contains(other)) ? null : node;
  }
  // No To well anywhere: nothing to mix up, and the subject may still be found.
  return body.ownerDocument;
}

/**
 * A well's addresses, and the names of chips that show no address (Microsoft
 * 365 shows only a name): these are reported, never dropped.
 * @param {Element} well
 */
function chipsOf(well) {
  const typing = [...well.querySelectorAll('input, [contenteditable="true"]')];
  // Typed text not yet turned into a chip.
  const addresses = addressesIn(typing, ['title', 'aria-label']);
  const names = [];
  const read = (chip) => {
    const found = addressesIn([chip, ...chip.querySelectorAll('[title], [aria-label]')], ['aria-label', 'title']);
    if (found.length) addresses.push(...found);
    else names.push((chip.querySelector('[class*="textContainer"]') ?? chip).textContent.trim());
  };
  const chips = [...well.querySelectorAll(CHIP)];
  if (chips.length) chips.forEach(read);
  else unmarkedChips(well, typing).forEach(read);
  return { addresses: [...new Set(addresses)], names: names.filter((name) => /\p{L}/u.test(name)) };
}

/**
 * The people in a well of an Outlook build without the chip class: the
 * elements beside the typing field, looked into through wrappers (one child,
 * or a list of like children, with no address of their own), so that no
 * person is lost in a wrapper or two glued into one name.
 * @param {Element} parent
 * @param {Element[]} typing
 * @returns {Element[]}
 */
function unmarkedChips(parent, typing) {
  return [...parent.children].flatMap((child) => {
    if (typing.some((field) => field === child || field.contains(child))) return [];
    if (typing.some((field) => child.contains(field))) return unmarkedChips(child, typing);
    const own = addressesInText(`${child.getAttribute('aria-label') ?? ''} ${child.getAttribute('title') ?? ''}`);
    return !own.length && isWrapper(child) ? unmarkedChips(child, typing) : [child];
  });
}

/** An element that only holds others: one child and nothing more, or a list (of items with one role). */
function isWrapper(element) {
  const [first, ...rest] = element.children;
  if (!first) return false;
  if (rest.length === 0) return element.textContent.trim() === first.textContent.trim();
  const role = first.getAttribute('role');
  return ['list', 'listbox'].includes(element.getAttribute('role') ?? '') || (Boolean(role) && rest.every((e) => e.getAttribute('role') === role));
}

/** The subject field: Fluent's 255-character text field, else the form's one text input outside the wells. */
function subjectOf(form) {
  const wells = Object.values(WELL).join(', ');
  return form.querySelector('input[maxlength="255"]') ??
    [...form.querySelectorAll('input:not([type]), input[type="text"]')].find((input) => !input.closest(wells)) ?? null;
}

/** The sender personas in a message's header: none inside a message body, where its sender writes. */
function headerPersonas(message) {
  return [...(message?.querySelectorAll(SENDER) ?? [])].filter((persona) => !persona.closest('[role="document"], [id^="UniqueMessageBody"]'));
}

/** The shown message a body belongs to: the nearest ancestor above its document wrapper whose header holds a persona. */
function messageOf(container) {
  const wrapper = container.closest('[role="document"]') ?? container;
  for (let node = wrapper.parentElement; node; node = node.parentElement) if (headerPersonas(node).length) return node;
  return null;
}

/** The item id in the reading pane's deep link (`…/id/<id>`), decoded, or null. */
export function deepLinkId(pathname) {
  const match = /\/id\/([^/?#]+)/.exec(pathname);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

/**
 * Where service.svc lives: under the account's number on Outlook.com and the
 * older Microsoft 365 hosts (`/owa/0/`), at `/owa/` on outlook.cloud.microsoft
 * and one's own Exchange; the other is tried when the first answers 404.
 */
function servicePaths(location) {
  const account = /^\/mail\/(\d+)\//.exec(location.pathname)?.[1] ?? '0';
  const numbered = `/owa/${account}/service.svc`;
  const plain = '/owa/service.svc';
  return ['outlook.live.com', 'outlook.office.com', 'outlook.office365.com'].includes(location.hostname) ? [numbered, plain] : [plain, numbered];
}

/**
 * The page's own access token for Outlook's service: the newest unexpired
 * access token its sign-in library (MSAL) keeps for outlook.office.com, or
 * null (none, expired, or stored encrypted).
 * @param {Storage|undefined} storage
 */
export function accessToken(storage) {
  let best = null;
  const now = Date.now() / 1000;
  for (let i = 0; i < (storage?.length ?? 0); i++) {
    const key = storage.key(i) ?? '';
    if (!/accesstoken/i.test(key)) continue;
    let entry;
    try {
      entry = JSON.parse(storage.getItem(key) ?? '');
    } catch {
      continue;
    }
    const scope = `${key} ${entry?.target ?? ''}`.toLowerCase();
    const expires = Number(entry?.expiresOn ?? 0);
    if (typeof entry?.secret !== 'string' || !scope.includes('outlook.office.com') || expires <= now) continue;
    if (!best || expires > best.expires) best = { secret: entry.secret, expires };
  }
  return best?.secret ?? null;
}
