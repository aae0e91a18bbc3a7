import { addressesIn, setInput, writeText } from './common.js';

/**
 * Roundcube, recognised by its page structure since it runs on the user's own
 * server: `#composebody` (plain text) in the compose screen, `#messagebody`
 * when reading.
 * @type {import('./index.js').Adapter}
 */
export const roundcube = {
  name: 'roundcube',
  detect: (_location, document) => Boolean(document.querySelector('body.task-mail, #rcmloginuser, meta[name="generator"][content^="Roundcube"]')),
  composeAreas: (document) =>
    [...document.querySelectorAll('textarea#composebody')].map((body) => ({
      body,
      recipients: () => addressesIn(document.querySelectorAll('#_to, #_cc, .recipient-input li.recipient, input[name="_to"], textarea[name="_to"]'), ['title']),
      setSubject: (subject) => setInput(document.querySelector('#compose-subject, input[name="_subject"]'), subject),
    })),
  readContainers: (document) => [...document.querySelectorAll('#messagebody')],
  senderOf: (container) =>
    addressesIn(container.ownerDocument.querySelectorAll('.header .from a, .header-headers .from a, td.from a'), ['title', 'href'])[0] ?? null,
  writeBody: writeText,
};
