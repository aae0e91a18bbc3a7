import { addressesIn, rawUnavailable, sameOrigin, setInput, writeText } from './common.js';

/**
 * Roundcube, recognised by its page structure since it runs on the user's own
 * server: `#composebody` (plain text) in the compose screen, `#messagebody`
 * when reading. Both skins users meet are read (checked against Roundcube
 * 1.6's pages as the lab serves them): Elastic marks its body `task-mail`,
 * Larry marks nothing, but every Roundcube page loads the client
 * `program/js/app(.min).js`.
 * @type {import('./index.js').Adapter}
 */
export const roundcube = {
  name: 'roundcube',
  detect: (_location, document) =>
    Boolean(document.querySelector('body.task-mail, #rcmloginuser, script[src^="program/js/app."], script[src*="/program/js/app."]')),
  // One area per compose form, whichever editor it shows: the plain-text
  // textarea or the HTML editor (TinyMCE, whose text lives in a same-origin
  // frame). Sealmark's button and editor go above the editor box, clear of
  // Elastic's toolbar that floats over the box's top edge, and in Larry above
  // the row that holds both the box and the attachments panel positioned
  // over its right side.
  composeAreas: (document) =>
    [.../** @type {NodeListOf<HTMLTextAreaElement>} */ (document.querySelectorAll('textarea#composebody'))].map((textarea) => {
      const box = /** @type {HTMLElement} */ (textarea.closest('#composebodycontainer') ?? textarea);
      const row = box.closest('#composeview-bottom') ?? box;
      return {
        get body() {
          return htmlEditorBody(document) ?? textarea;
        },
        shown: box,
        place: (element) => row.before(element),
        recipients: () => {
          const blind = fieldAddresses(document, ['_bcc']);
          return fieldAddresses(document, ['_to', '_cc']).filter((address) => !blind.includes(address));
        },
        blindRecipients: () => fieldAddresses(document, ['_bcc']),
        setSubject: (subject) => setInput(document.querySelector('#compose-subject, input[name="_subject"]'), subject),
        subject: () => /** @type {HTMLInputElement|null} */ (document.querySelector('#compose-subject, input[name="_subject"]'))?.value ?? '',
        from: () => identityOf(document),
      };
    }),
  readContainers: (document) => [...document.querySelectorAll('#messagebody')],
  senderOf: (container) =>
    addressesIn(container.ownerDocument.querySelectorAll('.header .from a, .header-headers .from a, td.from a'), ['title', 'href'])[0] ?? null,
  writeBody: writeText,
  sourceHint: 'sourceHintRoundcube',
  // The opened message's uid and folder are in the address of the message view. The strip goes
  // below the message's header, not under the toolbar: at the top of the message body's column,
  // after the heading both skins give it for screen readers (Larry's header and content are
  // positioned boxes, so nothing can go between them).
  openMessages: (document) => {
    const params = new URLSearchParams(location.search);
    const body = /** @type {HTMLElement|null} */ (document.querySelector('#messagebody'));
    const anchor = /** @type {HTMLElement|null} */ (document.querySelector('#aria-label-messagebody') ?? document.querySelector('#message-header, #messageheader')) ?? body;
    if (!body || !params.get('_uid')) return [];
    const id = `${params.get('_mbox') ?? 'INBOX'}/${params.get('_uid')}`;
    return [{ id, anchor, body, uid: params.get('_uid'), mbox: params.get('_mbox') ?? 'INBOX', sender: roundcube.senderOf(body) }];
  },
  /**
   * The source as Roundcube's "Download (.eml)" serves it, byte for byte: its
   * source view strips carriage returns and trailing tabs, which breaks
   * signatures over them. The download asks for the session's request token,
   * which the page states in its `rcmail.set_env({…})` and its forms.
   */
  rawSource: async (message) => {
    const token = requestToken(document);
    if (!token) throw rawUnavailable('rawRoundcubeNoToken');
    const query = new URLSearchParams({ _task: 'mail', _action: 'viewsource', _uid: message.uid, _mbox: message.mbox, _save: '1', _token: token });
    return (await sameOrigin(`?${query}`)).text();
  },
};

/**
 * The session's request token: from the page's environment (`rcmail.set_env`),
 * which Roundcube writes, before any form field, which a shown message could imitate.
 * @param {Document} document
 */
export function requestToken(document) {
  for (const script of document.querySelectorAll('script:not([src])')) {
    const match = /"request_token":"([A-Za-z0-9]+)"/.exec(script.textContent ?? '');
    if (match) return match[1];
  }
  return /** @type {HTMLInputElement|null} */ (document.querySelector('input[name="_token"]'))?.value || null;
}

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

/**
 * The identity the compose form sends from: Roundcube's `_from` field is a select of the user's
 * identities shown as "Name <address>" (rcmail_sendmail::compose_header_from), or a text field
 * when the user has none.
 */
function identityOf(document) {
  const field = /** @type {HTMLSelectElement|HTMLInputElement|null} */ (document.querySelector('[name="_from"]'));
  if (field instanceof HTMLSelectElement) return field.selectedOptions[0]?.textContent ?? null;
  return field?.value ?? null;
}
