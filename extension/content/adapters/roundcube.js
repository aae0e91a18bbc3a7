import { addressesIn, sameOrigin, setInput, writeText } from './common.js';

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
  // The opened message's uid and folder are in the address of the message view.
  openMessages: (document) => {
    const params = new URLSearchParams(location.search);
    const body = document.querySelector('#messagebody');
    const anchor = document.querySelector('#message-header, .message-headers, .header') ?? body;
    if (!body || !params.get('_uid')) return [];
    const id = `${params.get('_mbox') ?? 'INBOX'}/${params.get('_uid')}`;
    return [{ id, anchor, body, uid: params.get('_uid'), mbox: params.get('_mbox') ?? 'INBOX', sender: roundcube.senderOf(body) }];
  },
  rawSource: async (message) =>
    (await sameOrigin(`?_task=mail&_action=viewsource&_uid=${encodeURIComponent(message.uid)}&_mbox=${encodeURIComponent(message.mbox)}`)).text(),
};
