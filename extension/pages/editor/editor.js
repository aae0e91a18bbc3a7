// The secure editor: an extension page framed over the webmail's compose
// field. Plaintext never leaves this page except to the background.
//
// Encryption is never switched off on the user's behalf: a recipient without
// a key, or with several candidate keys, blocks "Encrypt and insert" with the
// reason and the ways out. Readable (signed only) text is a separate button,
// confirmed in a window the page cannot reach.
import '../../shared/i18n-ready.js';
import { pageReady } from '../../shared/page-ready.js';
import { localize, t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';
import { describeError } from '../../shared/errors.js';
import { frameId } from '../../shared/frame.js';
import { groupedFingerprint } from '../../shared/keys.js';
import { h } from '../../components/dom.js';
import { guardClicks } from '../../shared/click-guard.js';
import { showSign } from '../../shared/show-sign.js';
import { plainTextOf } from '../../shared/sanitize.js';
import { quoted, writer } from './quote.js';
import { identityChooser } from './identity.js';
import { ATTACHMENT_BYTES, ATTACHMENT_COUNT, readWithProgress, sizeText } from '../../shared/files.js';
import { base64Size, toBase64 } from '../../shared/bytes.js';

localize();
const id = frameId();
/** This page's own elements: their kinds are its HTML's. @type {(selector: string) => any} */
const $ = (selector) => document.querySelector(selector);
/** address → {state: 'ok'|'choose'|'missing'|'self', keys, chosen, autocrypt} */
const recipients = new Map();
/** address → the fingerprint the user chose among several keys */
const choices = {};
const lookups = new Map(); // address → 'pending' | look-up result
/**
 * Bcc addresses the webmail shows. They are encrypted to only when the user
 * ticks "Encrypt to the Bcc recipients too": every recipient can read the key
 * IDs a message is encrypted to, which would unblind them.
 * @type {string[]}
 */
let blind = [];
/**
 * Names the webmail shows without an address (Microsoft 365's name-only
 * chips), one entry per person (two may share a name). Each blocks
 * encryption until the user gives that person's address or says they need
 * not read the message: a recipient is never dropped without a word.
 * @type {{name: string}[]}
 */
let unaddressed = [];
/** The name-only recipient whose address the user is typing now, or null. */
let naming = null;
/** Bcc recipients the webmail shows by name only: never encrypted to, but named. */
let blindNames = [];
/** The Bcc addresses added to `recipients` by that choice, removed again when it is undone. */
const addedForBlind = new Set();
/**
 * Whether an address is encrypted to now: a Bcc address only while the box
 * is ticked, whatever a look-up answered after it was unticked.
 */
const included = (address) => !blind.includes(address) || $('#opt-blind').checked;
/** The recipients encrypted to now, in the order they were added. */
const encryptedTo = () => [...recipients].filter(([address]) => included(address));

/** The own key that signs and keeps the copy, for the webmail's From. */
const identity = identityChooser(id);

async function start() {
  try {
    // Without the identity row the default key signs: the editor opens all the same.
    const [frame] = await Promise.all([request('frame.get', { id }), identity.refresh().catch(() => null), showSign()]);
    // An address the page shows both as Bcc and as To or Cc is taken as Bcc: encrypting to it
    // would show its key ID to everyone, and the user can still tick it in.
    blind = frame.data.blindRecipients ?? [];
    unaddressed = (frame.data.unaddressed ?? []).map((name) => ({ name }));
    blindNames = frame.data.blindUnaddressed ?? [];
    $('#recipients-unknown').hidden = frame.data.recipientsUnknown !== true;
    renderBlind();
    offerQuote(frame.data.quote);
    await addRecipients((frame.data.recipients ?? []).filter((address) => !blind.includes(address)));
  } catch (error) {
    showStatus(describeError(error), 'error');
  }
  // The person asked for the editor with a click in the page: the keyboard follows them into it.
  $('#plaintext').focus();
  await offerDraft().catch((error) => showStatus(describeError(error), 'error'));
}

// Drafts: a moment after each change what is written is kept, encrypted to the person's own key
// (background/drafts.js), so a closed tab or a crash loses seconds; a newer editor on the same
// site offers it back, and reading it needs the passphrase.
const DRAFT_DELAY_MS = 2000;
let draftTimer = 0;
let saving = Promise.resolve();
let offered = null;
/** What the passphrase asked for now unlocks when Enter is pressed in it: a draft, the quote, or (null) sending. */
let unlocking = /** @type {null|'draft'|'quote'} */ (null);
/** Drafts restored into the text: a save that holds them lets the background forget them. */
const restoredDrafts = [];

function keepDraftSoon() {
  clearTimeout(draftTimer);
  // A draft of mail already in the page would be offered back as unsent.
  if ($('#status').dataset.inserted) return;
  draftTimer = setTimeout(() => {
    saving = request('compose.saveDraft', { id, text: $('#plaintext').value, holds: [...restoredDrafts] })
      .then((kept) => {
        $('#draft-status').textContent = kept ? t('draftKept', [new Date(kept.savedAt).toLocaleTimeString()]) : '';
      })
      .catch((error) => {
        $('#draft-status').textContent = t('draftNotKept', [describeError(error)]);
      });
  }, DRAFT_DELAY_MS);
}

/** No save may land after the message went into the page: it would keep a draft of sent mail. */
async function stopKeepingDrafts() {
  clearTimeout(draftTimer);
  await saving;
}

async function offerDraft() {
  const [newest] = await request('compose.drafts', { id });
  // Said once asked (for the tests, and for styling): the offer shows only when there is one.
  $('#draft-offer').dataset.checked = 'true';
  if (!newest) return;
  offered = newest.draft;
  $('#draft-offer-text').textContent = t('draftOffer', [new Date(newest.savedAt).toLocaleString()]);
  $('#draft-offer').hidden = false;
}

async function restoreDraft() {
  unlocking = 'draft';
  try {
    const { text } = await request('compose.restoreDraft', {
      id,
      draft: offered,
      passphrase: $('#passphrase').value || undefined,
      remember: $('#remember').checked,
    });
    const current = $('#plaintext').value;
    $('#plaintext').value = current.trim() ? `${current}\n\n${text}` : text;
    restoredDrafts.push(offered);
    $('#draft-offer').hidden = true;
    $('#passphrase-row').hidden = true;
    unlocking = null;
    showStatus('');
    $('#plaintext').focus();
    keepDraftSoon();
  } catch (error) {
    if (error.code === 'NEED_PASSPHRASE' || error.code === 'BAD_PASSPHRASE') {
      unlocking = 'draft';
      askPassphrase(error);
    } else {
      // The row goes with what asked for it: Enter in it must never send instead.
      unlocking = null;
      $('#passphrase-row').hidden = true;
    }
    showStatus(error.code === 'NEED_PASSPHRASE' ? t('draftNeedsPassphrase') : describeError(error), 'error');
  } finally {
    $('#passphrase').value = '';
  }
}

// Replies and forwards: the webmail's compose window answers an encrypted message. It is opened
// only when the person presses "Quote it" here, and the quote is built in this page.
/** @type {{forward: boolean, subject: string}|null} */
let quoting = null;
/** A line of the quote as it went into the text: while the text still holds it, the text holds decrypted words. */
let quotedLine = '';

/** @param {{kind: string|null, forward: boolean, subject: string, tooLarge?: boolean}|null|undefined} quote */
function offerQuote(quote) {
  if (!quote) return;
  $('#quote-offer').hidden = false;
  if (quote.tooLarge) {
    $('#quote-offer-text').textContent = t('quoteTooLarge');
    $('#quote').hidden = true;
    return;
  }
  quoting = { forward: quote.forward === true, subject: String(quote.subject ?? '') };
  const offer = quote.kind === 'signed_message' ? 'quoteOfferSigned' : quoting.forward ? 'quoteOfferForward' : 'quoteOfferReply';
  $('#quote-offer-text').textContent = t(offer);
  $('#subject').value = quoting.subject;
}

/** How a date is written for this person: in their browser's language, as the rest of the editor. */
const dateOf = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Said beside the text, outside it: what the quote's "wrote:" line rests on. */
function showQuoteSource(opened) {
  const { name, source } = writer(opened, dateOf);
  const signed = opened.signatures.find((check) => check.status === 'valid' && check.signer);
  const note = source === 'signed'
    ? t(signed.trust === 'verified' || signed.trust === 'own' ? 'quoteSignedBy' : 'quoteSignedByUnverified', [name, groupedFingerprint(signed.fingerprint)])
    : source === 'inside' ? t('quoteClaimedBy', [name]) : t('quoteUnsigned');
  $('#quote-note').textContent = note;
  $('#quote-note').dataset.source = source;
  $('#quote-note').hidden = false;
}

/** Nothing more goes into the text once the message went into the page. */
const sent = () => Boolean($('#status').dataset.inserted);

async function quoteMessage() {
  if (!quoting || $('#quote').disabled) return;
  unlocking = 'quote';
  // One quote at a time, and nothing sent while it is being opened.
  for (const button of [$('#quote'), $('#encrypt'), $('#sign-only')]) button.disabled = true;
  try {
    const opened = await request('compose.quote', { id, passphrase: $('#passphrase').value || undefined, remember: $('#remember').checked });
    if (sent()) return;
    const text = opened.text || (opened.html ? plainTextOf(opened.html) : '');
    const quote = quoted({ ...opened, text }, quoting, t, dateOf);
    // Written above the quote, as people answer today; what was already written stays first.
    const current = $('#plaintext').value.replace(/\s+$/, '');
    $('#plaintext').value = `${current}\n\n${quote.text}`;
    quotedLine = quote.text.split('\n').find((line, i) => i > 0 && line.length > 2) ?? '';
    // The sender kept the subject off the page: the answer keeps it off too, unless the person unticks it.
    // A subject the person typed meanwhile stays.
    if (opened.protected?.subject && [quoting.subject, ''].includes($('#subject').value)) {
      $('#subject').value = quote.subject;
      $('#opt-subject').checked = true;
      $('#subject-row').hidden = false;
    }
    showQuoteSource(opened);
    $('#quote-offer').hidden = true;
    $('#passphrase-row').hidden = true;
    unlocking = null;
    showStatus('');
    carryFiles(opened.files);
    $('#plaintext').focus();
    $('#plaintext').setSelectionRange(current.length, current.length);
    keepDraftSoon();
  } catch (error) {
    if (error.code === 'NEED_PASSPHRASE' || error.code === 'BAD_PASSPHRASE') {
      unlocking = 'quote';
      askPassphrase(error);
    } else {
      unlocking = null;
      $('#passphrase-row').hidden = true;
    }
    showStatus(error.code === 'NEED_PASSPHRASE' ? t('quoteNeedsPassphrase') : describeError(error), 'error');
  } finally {
    $('#passphrase').value = '';
    $('#quote').disabled = false;
    $('#sign-only').disabled = false;
    renderBlocked();
  }
}

// Files: read here, in the editor, and sent to the background as base64 only when the message is
// encrypted, inside it. They are not kept with drafts.
/** @type {{name: string, type: string, size: number, data: string}[]} */
let files = [];

function renderFiles() {
  $('#file-list').replaceChildren(...files.map((file) => {
    const remove = h('button', { type: 'button', class: 'chip-remove', 'aria-label': t('removeFile', [file.name]) }, '×');
    remove.addEventListener('click', () => {
      files = files.filter((other) => other !== file);
      renderFiles();
      $('#attach').focus();
    });
    return h('li', { class: 'chip', 'data-testid': 'file', 'data-name': file.name }, file.name, ' ', h('span', { class: 'chip-status' }, sizeText(file.size)), remove);
  }));
}

/**
 * Adds files within what a message carries, reading each with its progress shown; a file that
 * does not fit is named with the reason, the others are added.
 * @param {Iterable<File>} chosen
 */
async function attachFiles(chosen) {
  // Once the message is in the page, nothing more joins it.
  if (sent()) return;
  const progress = $('#file-progress');
  /** Why files were not attached, said together at the end so no reason is overwritten. */
  const refused = [];
  // Nothing goes into the page while a file is being read: it would go without that file.
  $('#encrypt').disabled = true;
  $('#sign-only').disabled = true;
  try {
    for (const file of chosen) {
      const total = files.reduce((sum, other) => sum + other.size, 0);
      if (files.length >= ATTACHMENT_COUNT) {
        refused.push(t('attachTooMany', [file.name]));
        continue;
      }
      if (total + file.size > ATTACHMENT_BYTES) {
        refused.push(t('attachTooLarge', [file.name]));
        continue;
      }
      showStatus(t('attachReading', [file.name]));
      try {
        const bytes = await readWithProgress(file, progress);
        files.push({ name: file.name, type: file.type, size: file.size, data: toBase64(bytes) });
      } catch (error) {
        refused.push(t('attachUnreadable', [file.name, String(error?.message ?? error)]));
      }
    }
  } finally {
    progress.hidden = true;
    $('#sign-only').disabled = false;
    renderBlocked();
  }
  renderFiles();
  showStatus(refused.join(' '), refused.length ? 'error' : '');
}

/**
 * The original's files, when a forward carries them: added as the person's own, within the limits.
 * @param {{name: string|null, type: string, size: number, data: string}[]} carried
 */
function carryFiles(carried) {
  for (const file of carried ?? []) {
    const name = file.name || t('fileUnnamed');
    const total = files.reduce((sum, other) => sum + other.size, 0);
    const size = base64Size(file.data);
    if (files.length >= ATTACHMENT_COUNT) showStatus(t('attachTooMany', [name]), 'error');
    else if (total + size > ATTACHMENT_BYTES) showStatus(t('attachTooLarge', [name]), 'error');
    else files.push({ name, type: file.type, size, data: file.data });
  }
  renderFiles();
  // Added without a click of their own: said, so the person can take any out before sending.
  if (carried?.length) $('#quote-note').append(' ', t('forwardFilesAdded', [String(carried.length)]));
}

async function addRecipients(addresses) {
  if (addresses.length) {
    for (const found of await request('compose.recipients', { id, addresses, choices })) recipients.set(found.address, found);
  }
  render();
}

/** The Bcc line, said apart from the recipients encrypted to. */
function renderBlind() {
  $('#blind').hidden = blind.length + blindNames.length === 0;
  $('#blind-list').textContent = [...blind, ...blindNames.map((name) => t('nameOnlyRecipient', [name]))].join(', ');
}

async function chooseBlind(include) {
  if (include) {
    for (const address of blind) if (!recipients.has(address)) addedForBlind.add(address);
    await addRecipients([...recipients.keys(), ...addedForBlind]);
  } else {
    for (const address of addedForBlind) recipients.delete(address);
    addedForBlind.clear();
    render();
  }
}

function render() {
  renderRecipients();
  renderUnaddressed();
  renderBlocked();
}

/**
 * The names without an address, each with the ways out: give this person's
 * address (typed into the field below, then the name is settled), or leave
 * them out.
 */
function renderUnaddressed() {
  $('#unaddressed').hidden = unaddressed.length === 0;
  $('#unaddressed-list').replaceChildren(
    ...unaddressed.map((entry) => {
      const give = h('button', { type: 'button', class: 'chip-action', 'data-testid': 'give-address', 'aria-label': t('addressOfName', [entry.name]) }, t('giveAddress'));
      give.addEventListener('click', () => startNaming(entry));
      const leave = h('button', { type: 'button', class: 'chip-remove', 'aria-label': t('leaveOutName', [entry.name]) }, '×');
      leave.addEventListener('click', () => {
        unaddressed = unaddressed.filter((other) => other !== entry);
        if (naming === entry) stopNaming();
        render();
      });
      return h('li', { class: 'chip', 'data-testid': 'unaddressed-name' }, entry.name, ' ', give, ' ', leave);
    }),
  );
}

/**
 * The address field now takes this person's address.
 * @param {{name: string}} entry
 */
function startNaming(entry) {
  naming = entry;
  const input = $('#recipient-input');
  input.placeholder = t('addressOfName', [entry.name]);
  input.setAttribute('aria-label', input.placeholder);
  input.focus();
}

/** The address field takes any recipient again. */
function stopNaming() {
  naming = null;
  const input = $('#recipient-input');
  input.placeholder = t('addRecipientPlaceholder');
  input.removeAttribute('aria-label');
}

function renderRecipients() {
  const list = $('#recipient-list');
  list.replaceChildren(
    ...encryptedTo().map(([address, found]) => {
      const remove = h('button', { type: 'button', class: 'chip-remove', 'aria-label': t('removeRecipient', [address]) }, '×');
      remove.addEventListener('click', () => {
        recipients.delete(address);
        addedForBlind.delete(address);
        render();
      });
      const hint = found.autocrypt;
      const hintChip = hint && hint !== 'disable' ? h('span', { class: 'chip-status', 'data-testid': 'autocrypt', title: t('autocryptTitle') }, t(`autocrypt_${hint}`)) : null;
      const blindChip = addedForBlind.has(address) ? h('span', { class: 'chip-status', 'data-testid': 'blind-chip' }, t('blindLabel')) : null;
      return h('li', { class: 'chip', 'data-testid': 'recipient', 'data-address': address, 'data-state': found.state, 'data-has-key': found.state === 'ok' || found.state === 'self' ? 'yes' : 'no' },
        address, ' ', blindChip, statusOf(address, found), hintChip, remove);
    }),
  );
  if (!encryptedTo().length) list.append(h('li', { class: 'muted' }, t('noRecipients')));
}

function statusOf(address, found) {
  if (found.state === 'self') return h('span', { class: 'chip-status ok' }, t('recipientYou'));
  if (found.state === 'ok') {
    const key = found.keys.find((k) => k.fingerprint === found.chosen) ?? found.keys[0];
    const label = t(key.trust === 'verified' ? 'recipientVerified' : 'recipientKeyFound');
    return h('span', { class: 'chip-status ok', title: `${groupedFingerprint(key.fingerprint)} · ${t(`source_${key.source ?? 'import'}`)}` }, label);
  }
  if (found.state === 'choose') return keyChooser(address, found.keys);
  return missingKeyStatus(address);
}

/** Several keys carry this address: all of them, with their trust, and none used until the user picks one. */
function keyChooser(address, keys) {
  const select = h('select', { 'data-testid': 'choose-key', 'aria-label': t('chooseKeyFor', [address]) },
    h('option', { value: '' }, t('chooseKey')),
    ...keys.map((k) => h('option', { value: k.fingerprint }, `${groupedFingerprint(k.fingerprint)} · ${t(`trust_${k.trust}`)} · ${t(`source_${k.source ?? 'import'}`)}`)));
  select.addEventListener('change', () => {
    if (!select.value) return;
    choices[address] = select.value;
    recipients.set(address, { ...recipients.get(address), state: 'ok', chosen: select.value });
    render();
  });
  return select;
}

/** A recipient without a key: looked up once (WKD, then keys.openpgp.org), never used before the user confirms. */
function missingKeyStatus(address) {
  const lookup = lookups.get(address);
  if (lookup === undefined) {
    lookups.set(address, 'pending');
    request('compose.lookUp', { id, address })
      .then((result) => lookups.set(address, result))
      .catch((error) => lookups.set(address, { found: [], errors: [{ message: describeError(error) }] }))
      .finally(render);
  }
  if (lookup === undefined || lookup === 'pending') return h('span', { class: 'chip-status', 'data-testid': 'lookup-pending' }, t('lookingUp'));
  const [found] = lookup.found ?? [];
  if (found) {
    const button = h('button', { type: 'button', class: 'chip-status found', 'data-testid': 'lookup-found' }, t(`foundVia_${found.source}`));
    button.addEventListener('click', () => showFoundKey(address, found));
    return button;
  }
  // What each look-up answered is said, never swallowed.
  const tried = (lookup.errors ?? []).map((e) => (e.source ? `${t(`source_${e.source}`)}: ${e.message}` : e.message));
  const button = h('button', { type: 'button', class: 'chip-status missing', 'data-address': address, title: tried.join('\n') }, t('recipientKeyMissing'));
  button.addEventListener('click', () => showKeyImport(tried));
  return button;
}

/** Why "Encrypt and insert" is blocked, and what to do about it. */
function renderBlocked() {
  const missing = encryptedTo().filter(([, r]) => r.state === 'missing').map(([a]) => a);
  const choose = encryptedTo().filter(([, r]) => r.state === 'choose').map(([a]) => a);
  const reasons = [];
  if (!encryptedTo().length) reasons.push(h('p', {}, t('blockedNoRecipients')));
  if (missing.length) reasons.push(h('p', {}, t('blockedMissing', [missing.join(', ')])), h('p', { class: 'muted' }, t('blockedMissingHelp')));
  if (choose.length) reasons.push(h('p', {}, t('blockedChoose', [choose.join(', ')])));
  if (unaddressed.length) reasons.push(h('p', {}, t('blockedUnaddressed', [unaddressed.map((entry) => entry.name).join(', ')])));
  $('#blocked').replaceChildren(...reasons);
  $('#blocked').hidden = reasons.length === 0;
  $('#encrypt').disabled = reasons.length > 0;
}

/** Shows a found key with its source and fingerprint; it is used only after the user says so, twice. */
function showFoundKey(address, found) {
  const use = h('button', { type: 'button', class: 'primary', 'data-testid': 'use-found-key' }, t('useFoundKey'));
  use.addEventListener('click', () => useKey(found.armored, [found.fingerprint], found.source, () => {
    $('#key-found').replaceChildren();
    $('#key-found').hidden = true;
  }));
  $('#key-found').hidden = false;
  // DOM methods print null as text, unlike h(): wrap the optional part.
  $('#key-found').replaceChildren(
    h('p', {}, t('foundKeyFor', [address, t(`source_${found.source}`)])),
    h('div', {}, found.changed ? h('p', { class: 'warning', role: 'alert' }, t('foundKeyChanged')) : null),
    h('p', {}, found.userIds.join(', '), h('br'), h('code', { 'data-testid': 'found-fingerprint' }, groupedFingerprint(found.fingerprint))),
    h('p', { class: 'muted' }, found.url ?? ''),
    use,
  );
  use.focus();
}

/** Imports certificates once the user has said yes in Sealmark's confirmation window. */
async function useKey(armored, fingerprints, source, done) {
  showStatus(t('confirmInWindow'));
  try {
    await request('compose.useKey', { id, armored, fingerprints, source });
    showStatus('');
    done();
    await addRecipients([...recipients.keys()]);
  } catch (error) {
    showStatus(describeError(error), 'error');
  }
}

function showKeyImport(tried = []) {
  $('#lookup-report').replaceChildren(...(tried.length ? [h('p', { class: 'muted' }, t('lookupTried')), h('ul', { class: 'muted' }, ...tried.map((line) => h('li', {}, line)))] : []));
  $('#key-import').hidden = false;
  $('#key-import-text').focus();
}

async function previewKey() {
  const armored = $('#key-import-text').value;
  const result = $('#key-import-result');
  try {
    const keys = await request('compose.previewKey', { id, armored });
    const confirm = h('button', { type: 'button', class: 'primary' }, t('importConfirmButton'));
    confirm.addEventListener('click', () => useKey(armored, keys.map((k) => k.fingerprint), 'pasted', () => {
      result.replaceChildren();
      $('#key-import').hidden = true;
      $('#key-import-text').value = '';
    }));
    result.replaceChildren(
      h('ul', {}, ...keys.map((k) => h('li', {}, k.info.user_ids.join(', '), h('br'), h('code', {}, groupedFingerprint(k.fingerprint))))),
      confirm,
    );
  } catch (error) {
    result.replaceChildren(h('p', { class: 'error', role: 'alert' }, describeError(error)));
  }
}

function showStatus(text, kind = '') {
  const status = $('#status');
  status.textContent = text;
  status.className = `status ${kind}`;
  delete status.dataset.inserted;
}

/** What is in the page now, said exactly; the editor then only offers to close. */
function inserted(result) {
  const you = t('recipientYou');
  const unreadable = blind.filter((address) => !result.recipients?.includes(address));
  const text = result.inserted === 'signed'
    ? t('insertedSignedOnly')
    : [
      t(result.signed ? 'insertedEncryptedSigned' : 'insertedEncrypted', [[...result.recipients, you].join(', ')]),
      unreadable.length ? t('insertedNotBlind', [unreadable.join(', ')]) : '',
      result.files ? t('insertedFiles', [String(result.files)]) : '',
    ].filter(Boolean).join(' ');
  showStatus(text, 'ok');
  $('#draft-status').textContent = '';
  $('#status').dataset.inserted = result.inserted;
  $('#writing').hidden = true;
  $('#compose-actions').hidden = true;
  $('#done-actions').hidden = false;
  // The pressed button is gone; what is left to do is closing (the status above is read out).
  if (document.hasFocus()) $('#close').focus();
}

/**
 * Runs an insertion request. If it fails, the text stays where it is: a
 * failed operation never loses what was written.
 */
async function insert(type, payload) {
  unlocking = null;
  const buttons = [$('#encrypt'), $('#sign-only')];
  for (const button of buttons) button.disabled = true;
  await stopKeepingDrafts();
  showStatus(t(type === 'compose.signOnly' ? 'confirmInWindow' : 'encrypting'));
  try {
    inserted(await request(type, {
      id,
      text: $('#plaintext').value,
      passphrase: $('#passphrase').value || undefined,
      remember: $('#remember').checked,
      signer: identity.signer(),
      from: identity.address(),
      ...payload,
    }));
  } catch (error) {
    // Not sent: what is written stays kept as a draft.
    keepDraftSoon();
    if (error.code === 'NEED_PASSPHRASE' || error.code === 'BAD_PASSPHRASE') askPassphrase(error);
    // The webmail's From changed since the editor opened: the key for the new one is shown to check first.
    if (error.code === 'FROM_CHANGED') await identity.refresh().catch(() => null);
    showStatus(error.code === 'CANCELLED' ? t('nothingInserted') : describeError(error), 'error');
  } finally {
    $('#passphrase').value = '';
    $('#sign-only').disabled = false;
    renderBlocked();
  }
}

function encrypt() {
  return insert('compose.encrypt', {
    recipients: encryptedTo().map(([address]) => address),
    choices,
    sign: $('#opt-sign').checked,
    encryptSubject: $('#opt-subject').checked,
    subject: $('#subject').value,
    attachments: files.map(({ name, type, data }) => ({ name, type, data })),
  });
}

function signOnly() {
  if (files.length) {
    showStatus(t('signOnlyNoFiles'), 'error');
    return Promise.resolve();
  }
  // Readable text that holds a decrypted quote: the question in Sealmark's window says so.
  return insert('compose.signOnly', { quoted: Boolean(quotedLine) && $('#plaintext').value.includes(quotedLine) });
}

/** The passphrase prompt sits next to the security sign; the key's fingerprint says which passphrase. */
function askPassphrase(error) {
  $('#passphrase-label').textContent = t('passphraseForKey', [groupedFingerprint(error.code === 'NEED_PASSPHRASE' ? error.message : '')]);
  $('#passphrase-row').hidden = false;
  // The whole row in view, "Remember for a while" too: focusing the field alone scrolls only it
  // into view and leaves the choice below the fold.
  $('#passphrase-row').scrollIntoView({ block: 'nearest' });
  $('#passphrase').focus({ preventScroll: true });
}

$('#add-recipient').addEventListener('submit', (event) => {
  event.preventDefault();
  const address = $('#recipient-input').value.trim();
  $('#recipient-input').value = '';
  // Typed in by the user here: a recipient, even if the page listed it as Bcc.
  if (blind.includes(address)) {
    blind = blind.filter((a) => a !== address);
    renderBlind();
  }
  if (!address) return;
  const settling = naming;
  stopNaming();
  addRecipients([...recipients.keys(), address])
    .then(() => {
      // The address given for a name-only recipient settles that person, once it is a recipient.
      const added = [...recipients.keys()].some((known) => known.toLowerCase() === address.toLowerCase());
      if (!settling || !added) return;
      unaddressed = unaddressed.filter((other) => other !== settling);
      render();
    })
    .catch((error) => showStatus(describeError(error), 'error'));
});
$('#opt-subject').addEventListener('change', (event) => {
  $('#subject-row').hidden = !event.target.checked;
});
$('#opt-blind').addEventListener('change', (event) => {
  chooseBlind(event.target.checked).catch((error) => showStatus(describeError(error), 'error'));
});
$('#key-import-preview').addEventListener('click', previewKey);
guardClicks((message) => showStatus(message, 'error'));
$('#encrypt').addEventListener('click', encrypt);
$('#sign-only').addEventListener('click', signOnly);
$('#passphrase').addEventListener('keydown', (event) => {
  if (event.key !== 'Enter') return;
  // The passphrase was asked for the draft or the quote: Enter gets that rather than sending anything.
  if (unlocking === 'draft') restoreDraft();
  else if (unlocking === 'quote') quoteMessage();
  else if (!$('#encrypt').disabled) encrypt();
});
$('#plaintext').addEventListener('input', keepDraftSoon);
$('#draft-restore').addEventListener('click', restoreDraft);
$('#quote').addEventListener('click', quoteMessage);
$('#attach').addEventListener('click', () => $('#file-input').click());
$('#file-input').addEventListener('change', (event) => {
  const input = /** @type {HTMLInputElement} */ (event.target);
  attachFiles([...(input.files ?? [])]).finally(() => {
    input.value = '';
  });
});
// Files dropped anywhere on the editor are attached; the browser would otherwise open them in its place.
document.addEventListener('dragover', (event) => {
  if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
});
document.addEventListener('drop', (event) => {
  if (!event.dataTransfer?.files.length) return;
  event.preventDefault();
  attachFiles([...event.dataTransfer.files]);
});
$('#draft-discard').addEventListener('click', () => {
  request('compose.discardDraft', { id, draft: offered })
    .then(() => {
      $('#draft-offer').hidden = true;
      $('#plaintext').focus();
    })
    .catch((error) => showStatus(describeError(error), 'error'));
});
const close = () => request('compose.cancel', { id }).catch((error) => showStatus(describeError(error), 'error'));
$('#cancel').addEventListener('click', close);
$('#close').addEventListener('click', close);
start();
pageReady();
