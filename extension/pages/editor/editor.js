// The secure editor: an extension page framed over the webmail's compose
// field. Plaintext never leaves this page except to the background.
import { localize, t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';
import { describeError } from '../../shared/errors.js';
import { frameId, reportHeight } from '../../shared/frame.js';
import { groupedFingerprint } from '../../shared/keys.js';
import { h } from '../../components/dom.js';
import { guardClicks } from '../../shared/click-guard.js';

localize();
const id = frameId();
const $ = (selector) => document.querySelector(selector);
const recipients = new Map(); // address → keys[]
const lookups = new Map(); // address → 'pending' | look-up result
const autocrypt = new Map(); // address → Autocrypt recommendation
let needPassphraseFor = null;

async function start() {
  try {
    const frame = await request('frame.get', { id });
    reportHeight(id, frame.origin);
    await addRecipients(frame.data.recipients ?? []);
  } catch (error) {
    showStatus(describeError(error), 'error');
  }
}

async function addRecipients(addresses) {
  if (!addresses.length) return renderRecipients();
  for (const found of await request('compose.recipients', { addresses })) {
    recipients.set(found.address, found.keys);
    autocrypt.set(found.address, found.autocrypt);
  }
  suggestEncryption();
  renderRecipients();
}

/**
 * Until the user decides, Encrypt is on when every recipient can read it:
 * a key in the keyring, or Autocrypt recommends encrypting (Level 1 §2.4).
 */
function suggestEncryption() {
  const box = $('#opt-encrypt');
  if (box.dataset.touched) return;
  box.checked = [...recipients].every(([address, keys]) => keys.length > 0 || autocrypt.get(address) === 'encrypt');
  $('#opt-subject').disabled = !box.checked;
}

function renderRecipients() {
  const list = $('#recipient-list');
  list.replaceChildren(
    ...[...recipients].map(([address, keys]) => {
      const key = keys[0];
      const status = key ? knownKeyStatus(key) : missingKeyStatus(address);
      const remove = h('button', { type: 'button', class: 'chip-remove', 'aria-label': t('removeRecipient', [address]) }, '×');
      remove.addEventListener('click', () => {
        recipients.delete(address);
        renderRecipients();
      });
      const hint = autocrypt.get(address);
      const hintChip = hint && hint !== 'disable' ? h('span', { class: 'chip-status', 'data-testid': 'autocrypt', title: t('autocryptTitle') }, t(`autocrypt_${hint}`)) : null;
      return h('li', { class: 'chip', 'data-testid': 'recipient', 'data-has-key': key ? 'yes' : 'no' }, address, ' ', status, hintChip, remove);
    }),
  );
  if (!recipients.size) list.append(h('li', { class: 'muted' }, t('noRecipients')));
}

function knownKeyStatus(key) {
  const label = t(key.trust === 'verified' ? 'recipientVerified' : 'recipientKeyFound');
  return h('span', { class: 'chip-status ok', title: `${groupedFingerprint(key.fingerprint)} · ${t(`source_${key.source ?? 'import'}`)}` }, label);
}

/** A recipient without a key: looked up once (WKD, then keys.openpgp.org), never used before the user confirms. */
function missingKeyStatus(address) {
  const lookup = lookups.get(address);
  if (lookup === undefined) {
    lookups.set(address, 'pending');
    request('compose.lookUp', { address })
      .then((result) => lookups.set(address, result))
      .catch((error) => lookups.set(address, { found: [], errors: [{ message: describeError(error) }] }))
      .finally(renderRecipients);
  }
  if (lookup === undefined || lookup === 'pending') return h('span', { class: 'chip-status', 'data-testid': 'lookup-pending' }, t('lookingUp'));
  const [found] = lookup.found ?? [];
  if (found) {
    const button = h('button', { type: 'button', class: 'chip-status found', 'data-testid': 'lookup-found' }, t(`foundVia_${found.source}`));
    button.addEventListener('click', () => showFoundKey(address, found));
    return button;
  }
  // What each look-up answered is said, never swallowed.
  const tried = (lookup.errors ?? []).map((e) => `${t(`source_${e.source}`)}: ${e.message}`);
  const button = h('button', { type: 'button', class: 'chip-status missing', 'data-address': address, title: tried.join('\n') }, t('recipientKeyMissing'));
  button.addEventListener('click', () => showKeyImport(tried));
  return button;
}

/** Shows a found key with its source and fingerprint; it is used only after the user says so. */
function showFoundKey(address, found) {
  const use = h('button', { type: 'button', class: 'primary', 'data-testid': 'use-found-key' }, t('useFoundKey'));
  use.addEventListener('click', async () => {
    try {
      await request('keys.import', { armored: found.armored, fingerprints: [found.fingerprint], source: found.source });
      $('#key-found').replaceChildren();
      $('#key-found').hidden = true;
      await addRecipients([...recipients.keys()]);
    } catch (error) {
      showStatus(describeError(error), 'error');
    }
  });
  $('#key-found').hidden = false;
  // DOM methods print null as text, unlike h(): wrap the optional part.
  $('#key-found').replaceChildren(
    h('p', {}, t('foundKeyFor', [address, t(`source_${found.source}`)])),
    h('div', {}, found.changed ? h('p', { class: 'warning', role: 'alert' }, t('foundKeyChanged')) : null),
    h('p', {}, found.userIds.join(', '), h('br'), h('code', { 'data-testid': 'found-fingerprint' }, groupedFingerprint(found.fingerprint))),
    h('p', { class: 'muted' }, found.url),
    use,
  );
  use.focus();
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
    const keys = await request('keys.previewImport', { armored });
    const publicOnly = keys.filter((k) => !k.info.secret);
    const confirm = h('button', { type: 'button', class: 'primary' }, t('importConfirmButton'));
    confirm.addEventListener('click', async () => {
      await request('keys.import', { armored, fingerprints: publicOnly.map((k) => k.fingerprint) });
      result.replaceChildren();
      $('#key-import').hidden = true;
      $('#key-import-text').value = '';
      await addRecipients([...recipients.keys()]);
    });
    result.replaceChildren(
      h('ul', {}, ...publicOnly.map((k) => h('li', {}, k.info.user_ids.join(', '), h('br'), h('code', {}, groupedFingerprint(k.fingerprint))))),
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
}

async function encrypt() {
  const button = $('#encrypt');
  button.disabled = true;
  showStatus(t('encrypting'));
  try {
    await request('compose.encrypt', {
      id,
      text: $('#plaintext').value,
      recipients: [...recipients.keys()],
      encrypt: $('#opt-encrypt').checked,
      sign: $('#opt-sign').checked,
      encryptSubject: $('#opt-subject').checked,
      subject: $('#subject').value,
      passphrase: $('#passphrase').value || undefined,
      remember: $('#remember').checked,
    });
    showStatus(t('encryptedInserted'), 'ok');
  } catch (error) {
    // The text stays where it is: a failed operation never loses what was written.
    if (error.code === 'NEED_PASSPHRASE' || error.code === 'BAD_PASSPHRASE') askPassphrase(error);
    showStatus(describeError(error), 'error');
    button.disabled = false;
  } finally {
    $('#passphrase').value = '';
  }
}

async function askPassphrase(error) {
  const fingerprint = error.code === 'NEED_PASSPHRASE' ? error.message : needPassphraseFor;
  needPassphraseFor = fingerprint;
  const { keys } = await request('keys.list');
  const key = keys.find((k) => k.fingerprint === fingerprint);
  $('#passphrase-label').textContent = t('passphraseFor', [key?.info.user_ids[0] ?? '', groupedFingerprint(fingerprint ?? '')]);
  $('#passphrase-row').hidden = false;
  $('#passphrase').focus();
}

$('#add-recipient').addEventListener('submit', (event) => {
  event.preventDefault();
  const address = $('#recipient-input').value.trim();
  $('#recipient-input').value = '';
  if (address) addRecipients([...recipients.keys(), address]).catch((error) => showStatus(describeError(error), 'error'));
});
$('#opt-subject').addEventListener('change', (event) => {
  $('#subject-row').hidden = !event.target.checked;
});
$('#opt-encrypt').addEventListener('change', (event) => {
  event.target.dataset.touched = 'true';
  $('#opt-subject').disabled = !event.target.checked;
});
$('#key-import-preview').addEventListener('click', previewKey);
guardClicks([$('#encrypt')], (message) => showStatus(message, 'error'));
$('#encrypt').addEventListener('click', encrypt);
$('#passphrase').addEventListener('keydown', (event) => {
  if (event.key === 'Enter') encrypt();
});
$('#cancel').addEventListener('click', () => request('compose.cancel', { id }).catch((error) => showStatus(describeError(error), 'error')));
start();
