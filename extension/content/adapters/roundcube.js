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
        recipients: () => {
          const blind = fieldAddresses(document, ['_bcc']);
          return fieldAddresses(document, ['_to', '_cc']).filter((address) => !blind.includes(address));
        },
        blindRecipients: () => fieldAddresses(document, ['_bcc']),
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

/**
 * The addresses in Roundcube's recipient fields of the given names: the
 * field itself (`#_to`, a textarea or input, which Elastic's recipient widget
 * keeps in step) and the widget's recipient items beside it in the same
 * field group. Reply-To and Followup-To (`_replyto`, `_followupto`) are never
 * read: they are not recipients.
 * @param {Document} document
 * @param {string[]} names
 */
function fieldAddresses(document, names) {
  const elements = names.flatMap((name) => {
    const field = document.getElementById(name) ?? document.querySelector(`[name="${name}"]`);
    if (!field) return [];
    const group = field.closest('.input-group, .form-group, tr') ?? field.parentElement;
    return [field, ...(group?.querySelectorAll('li.recipient') ?? [])];
  });
  return addressesIn(elements, ['title']);
}

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
