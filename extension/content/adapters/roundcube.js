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
  // One area per compose form, whichever editor it shows: the plain-text
  // textarea or the HTML editor (TinyMCE, whose text lives in a same-origin
  // frame). Sealmark's button and editor go above the editor box, clear of
  // Roundcube's toolbar that floats over the box's top edge.
  composeAreas: (document) =>
    [...document.querySelectorAll('textarea#composebody')].map((textarea) => {
      const box = textarea.closest('#composebodycontainer') ?? textarea;
      return {
        get body() {
          return htmlEditorBody(document) ?? textarea;
        },
        shown: box,
        place: (element) => box.before(element),
        recipients: () => addressesIn(document.querySelectorAll('#_to, #_cc, .recipient-input li.recipient, input[name="_to"], textarea[name="_to"]'), ['title']),
        setSubject: (subject) => setInput(document.querySelector('#compose-subject, input[name="_subject"]'), subject),
      };
    }),
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

/** The body of Roundcube's HTML editor when it is the one in use (its form says `_is_html`), else null. */
function htmlEditorBody(document) {
  if (document.querySelector('input[name="_is_html"]')?.value !== '1') return null;
  try {
    const body = document.querySelector('iframe#composebody_ifr')?.contentDocument?.body;
    return body?.isContentEditable ? body : null;
  } catch {
    return null;
  }
}
