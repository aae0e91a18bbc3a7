import { addressesIn, rawUnavailable, sameOrigin, setInput, writeText } from './common.js';

/**
 * The recipient wells: labelled "To", "Cc", "Bcc" in English, and in every
 * language groups whose id ends in `_TO`, `_CC`, `_BCC`.
 */
const VISIBLE_WELLS = '[aria-label="To"], [aria-label="Cc"], [role="group"][id$="_TO"], [role="group"][id$="_CC"]';
const BLIND_WELLS = '[aria-label="Bcc"], [role="group"][id$="_BCC"]';
const inWells = (form, wells) => form.querySelectorAll(wells.split(', ').flatMap((w) => [w, `${w} *`]).join(', '));

const HOSTS = new Set(['outlook.live.com', 'outlook.office.com', 'outlook.office365.com']);

/**
 * Outlook.com / Office 365 (and Outlook on the web on one's own server, which
 * shares the structure): the compose body is a contenteditable
 * `div[role=textbox]` labelled "Message body"; recipient wells are labelled
 * "To" and "Cc"; a received message's body is `div[aria-label="Message body"]`
 * that is not editable.
 * @type {import('./index.js').Adapter}
 */
export const outlook = {
  name: 'outlook',
  detect: (location, document) => HOSTS.has(location.hostname) || Boolean(document.querySelector('meta[name="owa-app"], #owaRoot')),
  composeAreas: (document) =>
    [...document.querySelectorAll('div[role="textbox"][contenteditable="true"][aria-label^="Message body"]')].map((body) => {
      const form = body.closest('[data-app-section="Form_Content"], [role="main"], form') ?? document;
      return {
        body,
        recipients: () => {
          const blind = addressesIn(inWells(form, BLIND_WELLS), ['title', 'aria-label']);
          return addressesIn(inWells(form, VISIBLE_WELLS), ['title', 'aria-label']).filter((address) => !blind.includes(address));
        },
        blindRecipients: () => addressesIn(inWells(form, BLIND_WELLS), ['title', 'aria-label']),
        setSubject: (subject) => setInput(form.querySelector('input[aria-label="Add a subject"], input[placeholder="Add a subject"]'), subject),
      };
    }),
  readContainers: (document) => [...document.querySelectorAll('div[aria-label="Message body"]:not([contenteditable="true"]), #UniqueMessageBody')],
  senderOf: (container) => {
    const message = container.closest('[aria-label="Reading Pane"], [role="main"], [data-app-section="ConversationContainer"]') ?? document;
    return addressesIn(message.querySelectorAll('[aria-label^="From"], [data-testid="SenderPersona"]'), ['title', 'aria-label'])[0] ?? null;
  },
  writeBody: writeText,
  openMessages: (document) =>
    [...document.querySelectorAll('[aria-label="Reading Pane"][data-item-id]')].flatMap((pane) => {
      const body = pane.querySelector('div[aria-label="Message body"]:not([contenteditable="true"]), #UniqueMessageBody');
      const anchor = pane.querySelector('[data-testid="SenderPersona"], [aria-label^="From"]') ?? body;
      if (!anchor || !body) return [];
      return [{ id: pane.dataset.itemId, anchor, body, sender: outlook.senderOf(body) }];
    }),
  /**
   * The web app's own JSON service: GetItem with IncludeMimeContent returns the
   * message as base64 MIME. It needs the session's X-OWA-CANARY cookie value.
   */
  rawSource: async (message) => {
    const canary = /(?:^|;\s*)X-OWA-CANARY=([^;]+)/i.exec(document.cookie)?.[1];
    if (!canary) throw rawUnavailable('Outlook did not reveal its session token.');
    const response = await sameOrigin('/owa/service.svc?action=GetItem&app=Mail', {
      method: 'POST',
      headers: { action: 'GetItem', 'content-type': 'application/json; charset=utf-8', 'x-owa-canary': canary },
      body: JSON.stringify({
        __type: 'GetItemJsonRequest:#Exchange',
        Header: { __type: 'JsonRequestHeaders:#Exchange', RequestServerVersion: 'Exchange2013' },
        Body: {
          __type: 'GetItemRequest:#Exchange',
          ItemShape: { __type: 'ItemResponseShape:#Exchange', BaseShape: 'IdOnly', IncludeMimeContent: true },
          ItemIds: [{ __type: 'ItemId:#Exchange', Id: message.id }],
        },
      }),
    });
    const json = await response.json().catch(() => null);
    const mime = json?.Body?.ResponseMessages?.Items?.[0]?.Items?.[0]?.MimeContent?.Value;
    if (typeof mime !== 'string') throw rawUnavailable('Outlook did not return the message source.');
    return new TextDecoder().decode(Uint8Array.from(atob(mime), (c) => c.charCodeAt(0)));
  },
};
