import { addressesIn, setInput, writeText } from './common.js';

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
        recipients: () => addressesIn(form.querySelectorAll('[aria-label="To"] *, [aria-label="Cc"] *, [aria-label="To"], [aria-label="Cc"]'), ['title', 'aria-label']),
        setSubject: (subject) => setInput(form.querySelector('input[aria-label="Add a subject"], input[placeholder="Add a subject"]'), subject),
      };
    }),
  readContainers: (document) => [...document.querySelectorAll('div[aria-label="Message body"]:not([contenteditable="true"]), #UniqueMessageBody')],
  senderOf: (container) => {
    const message = container.closest('[aria-label="Reading Pane"], [role="main"], [data-app-section="ConversationContainer"]') ?? document;
    return addressesIn(message.querySelectorAll('[aria-label^="From"], [data-testid="SenderPersona"]'), ['title', 'aria-label'])[0] ?? null;
  },
  writeBody: writeText,
};
