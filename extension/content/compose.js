import { failure, success } from '../shared/protocol.js';
import { t } from '../shared/i18n.js';
import { describeError } from '../shared/errors.js';
import { createFrame, forgetFrame, frameById } from './frames.js';
import { lastShownMessage } from './reader.js';
import { answerKind } from '../shared/reply-subject.js';

/**
 * A refusal whose detail is a locale message, said in the person's language where it is shown.
 * @param {string} code
 * @param {string} key
 * @returns {import('../shared/protocol.js').Reply<never>}
 */
function refusal(code, key) {
  return failure(code, t(key), { key, args: [] });
}

const MARK = 'sealmarkCompose';
/** The editor's least height in the browser's default font size: 440 px at 16 px. */
const EDITOR_HEIGHT_EM = 27.5;
const open = new Map(); // frame id → compose area

/**
 * Puts a Sealmark button on every compose area the adapter finds, now and as
 * the webmail opens new ones.
 * @param {import('./adapters/index.js').Adapter} adapter
 */
export function watchCompose(adapter) {
  let pending = 0;
  const scan = () => {
    pending = 0;
    for (const area of adapter.composeAreas(document)) {
      const field = area.shown ?? area.body;
      if (field.dataset[MARK]) continue;
      field.dataset[MARK] = 'ready';
      placeIn(area, buttonFor(area, adapter));
    }
  };
  new MutationObserver(() => {
    pending ||= setTimeout(scan, 200);
  }).observe(document.documentElement, { childList: true, subtree: true });
  scan();
}

function buttonFor(area, adapter) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = t('composeButton');
  button.dataset.sealmarkButton = 'compose';
  Object.assign(button.style, {
    font: '600 13px system-ui, sans-serif', margin: '4px 0', padding: '5px 12px', borderRadius: '14px',
    border: '1px solid #1d6b4f', background: '#1d6b4f', color: '#fff', cursor: 'pointer',
  });
  button.addEventListener('click', () => openEditor(area, button, conversationOf(adapter)));
  return button;
}

/**
 * The browser's default font size in px: `medium` resolves to it whatever the webmail's own
 * styles say (a page may set its root's size, never what `medium` means).
 */
function defaultFontSize() {
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute;visibility:hidden;font-size:medium';
  document.body.append(probe);
  const size = parseFloat(getComputedStyle(probe).fontSize);
  probe.remove();
  return Number.isFinite(size) && size > 0 ? size : 16;
}

/**
 * Which conversation a compose window answers, as the page's address says it (Gmail's thread in its
 * fragment, Outlook's message in its path; Roundcube's compose address names none, so all its drafts
 * are one conversation): the editor's draft is offered back in that conversation only. Only a filter: the page names it, and a draft is
 * read back only with the passphrase, in Sealmark's editor.
 * @param {import('./adapters/index.js').Adapter} adapter
 */
function conversationOf(adapter) {
  const named = adapter.conversation?.(location) ?? `${location.pathname}${location.hash.split('?')[0]}`;
  return named.slice(0, 512);
}

const QUOTED_BEGIN = /^[ \t>]*-----BEGIN PGP (MESSAGE|SIGNED MESSAGE)-----/m;

/**
 * The encrypted message a compose window answers, as armored text: the block the webmail quoted
 * into the field (Roundcube, Outlook, most webmails), with the attribution line it wrote above; else,
 * for a window whose subject says it replies or forwards, the last encrypted message shown in the
 * page (Gmail quotes only on sending). Ciphertext only: the editor opens it when the person asks.
 * @param {import('./adapters/index.js').ComposeArea} area
 */
function quoteFor(area) {
  const field = area.body;
  const text = field instanceof HTMLTextAreaElement ? field.value : field.innerText ?? '';
  const subject = area.subject?.() ?? '';
  const begin = QUOTED_BEGIN.exec(text);
  if (begin) {
    const end = text.indexOf(begin[1] === 'SIGNED MESSAGE' ? '-----END PGP SIGNATURE-----' : '-----END PGP MESSAGE-----', begin.index);
    if (end < 0) return null;
    const above = text.slice(0, begin.index).split('\n').map((line) => line.replace(/^[ \t>]+/, '').trim()).filter(Boolean);
    const attribution = above.at(-1)?.endsWith(':') ? above.at(-1) : '';
    return { armored: text.slice(begin.index, text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end)), attribution, subject };
  }
  if (!answerKind(subject)) return null;
  const shown = lastShownMessage(area.shown ?? area.body);
  return shown ? { armored: shown, attribution: '', subject } : null;
}

async function openEditor(area, button, conversation) {
  button.disabled = true;
  try {
    const { id, frame } = await createFrame('compose', {
      recipients: area.recipients(),
      blindRecipients: area.blindRecipients?.() ?? [],
      unaddressed: area.unaddressed?.() ?? [],
      blindUnaddressed: area.blindUnaddressed?.() ?? [],
      recipientsUnknown: area.recipientsUnknown === true,
      conversation,
      quote: quoteFor(area),
      sendingAddress: area.from?.() ?? null,
      sendingAddressIsMailbox: area.fromIsMailbox === true,
    });
    // The editor never reports its height (the page would see its layout change as the user
    // writes): it is sized here once and scrolls inside, taller for a larger default font, which
    // the editor follows, so its writing area is not squeezed between its header and its buttons.
    const height = Math.max(EDITOR_HEIGHT_EM * defaultFontSize(), (area.shown ?? area.body).getBoundingClientRect().height);
    frame.style.height = `${Math.round(height)}px`;
    // The webmail's own field is hidden while the editor is open, so nothing
    // typed can land in it by accident.
    (area.shown ?? area.body).dataset[MARK] = 'editing';
    (area.shown ?? area.body).style.display = 'none';
    placeIn(area, frame);
    button.hidden = true;
    open.set(id, { area, button });
  } catch (error) {
    button.disabled = false;
    // Said beside the button: nothing secret, and the page sent what was refused.
    const note = button.nextElementSibling?.dataset.sealmarkNote ? button.nextElementSibling : document.createElement('span');
    note.dataset.sealmarkNote = 'error';
    note.textContent = describeError(error);
    Object.assign(note.style, { font: '13px system-ui, sans-serif', color: '#b3261e', marginLeft: '8px' });
    button.after(note);
  }
}

/**
 * Writes what the background sends into the webmail's compose field, in a
 * form the webmail sends unchanged. The editor stays, small, to say exactly
 * what was inserted, until the user closes it.
 * @returns {import('../shared/protocol.js').Reply<true>}
 */
export function insertCiphertext(adapter, { id, armored, subject, kind }) {
  const entry = open.get(id);
  if (!entry || !frameById(id)) return refusal('EDITOR_CLOSED', 'detailComposeClosed');
  const expected = kind === 'signed' ? /^-----BEGIN PGP SIGNED MESSAGE-----/ : /^-----BEGIN PGP MESSAGE-----/;
  if (typeof armored !== 'string' || !expected.test(armored)) {
    return refusal('INSERT_FAILED', 'detailOnlyArmored');
  }
  const { area, button } = entry;
  // A webmail may re-render its compose field; text written into the old one would be lost.
  if (!area.body.isConnected) return refusal('INSERT_FAILED', 'detailComposeReplaced');
  adapter.writeBody(area.body, armored);
  if (subject) area.setSubject(subject);
  showField(area, 'encrypted');
  frameById(id).style.height = '104px';
  entry.done = true;
  button.remove();
  return success(true);
}

/**
 * The address the compose window of editor `id` sends from now: the person may change the
 * webmail's From after opening the editor.
 * @param {string} id
 * @returns {import('../shared/protocol.js').Reply<string | null>}
 */
export function sendingAddressOf(id) {
  const entry = open.get(id);
  return entry ? success(entry.area.from?.() ?? null) : refusal('EDITOR_CLOSED', 'detailComposeClosed');
}

/**
 * Closes the editor. Before anything was inserted, the webmail's field is
 * shown again as it was and Sealmark's button comes back.
 * @param {string} id
 * @returns {import('../shared/protocol.js').Reply<true>}
 */
export function cancelEditor(id) {
  const entry = open.get(id);
  if (!entry) return refusal('EDITOR_CLOSED', 'detailComposeClosed');
  forgetFrame(id);
  open.delete(id);
  if (entry.done) return success(true);
  showField(entry.area, 'ready');
  entry.button.hidden = false;
  entry.button.disabled = false;
  return success(true);
}

function showField(area, state) {
  (area.shown ?? area.body).style.display = '';
  (area.shown ?? area.body).dataset[MARK] = state;
}

function placeIn(area, element) {
  if (area.place) area.place(element);
  else (area.shown ?? area.body).before(element);
}
