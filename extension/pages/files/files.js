// The files page: files encrypted for people in the keyring (and signed), and encrypted files
// decrypted, in an extension page of its own (not web-accessible, so no page can frame it: it
// needs no click guard). Files are read here with their progress shown,
// handed to the background as base64, and what comes back is offered as a download.
import '../../shared/i18n-ready.js';
import { localize, t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';
import { describeError } from '../../shared/errors.js';
import { groupedFingerprint } from '../../shared/keys.js';
import { h } from '../../components/dom.js';
import { showSign } from '../../shared/show-sign.js';
import { fromBase64, toBase64 } from '../../shared/bytes.js';
import { safeFileName, sizeText } from '../../shared/files.js';

localize();
/** This page's own elements: their kinds are its HTML's. @type {(selector: string) => any} */
const $ = (selector) => document.querySelector(selector);
/** What the passphrase, once typed, continues: the encryption or the decryption that asked for it. */
let waiting = /** @type {null|(() => Promise<void>)} */ (null);

function showStatus(text, kind = '') {
  $('#status').textContent = text;
  $('#status').className = `status ${kind}`;
}

/** The keyring's keys that can be encrypted to, the person's own first and ticked. */
async function listRecipients() {
  const { keys } = await request('keys.list');
  const usable = keys.filter((key) => key.info.can_encrypt && key.trust !== 'rejected').sort((a, b) => Number(b.own) - Number(a.own));
  $('#recipients').replaceChildren(...usable.map((key) => {
    const box = h('input', { type: 'checkbox', value: key.fingerprint, 'data-testid': 'recipient' });
    box.checked = key.own;
    return h('li', {}, h('label', { class: 'check' }, box, ' ', key.info.user_ids[0] ?? t('noUserId'), ' ', h('code', {}, groupedFingerprint(key.fingerprint))));
  }));
}

/**
 * A file's bytes as base64, read with its progress shown.
 * @param {File} file
 */
async function read(file) {
  const progress = $('#progress');
  progress.hidden = false;
  progress.max = file.size || 1;
  progress.value = 0;
  const bytes = new Uint8Array(file.size);
  const reader = file.stream().getReader();
  let done = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    bytes.set(chunk.value.subarray(0, Math.max(0, bytes.length - done)), done);
    done += chunk.value.length;
    progress.value = Math.min(done, file.size);
  }
  // The work itself shows no figures: the bar runs without a value meanwhile.
  progress.removeAttribute('value');
  return toBase64(bytes);
}

/**
 * Offers a result as a download under a cleaned name.
 * @param {string} name
 * @param {string} data  base64
 * @param {(string|Node)[]} said  what else to say about it
 */
function offer(name, data, said = []) {
  const bytes = fromBase64(data);
  const safe = safeFileName(name);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const link = h('a', { href: url, download: safe, 'data-testid': 'download' }, t('filesDownload', [safe]));
  $('#results').append(h('li', { 'data-testid': 'result', 'data-name': safe }, link, ' ', h('span', { class: 'muted' }, sizeText(bytes.length)), ...said));
}

/** What a decrypted file's signatures say, in the reader's words. */
function signatureText(signatures) {
  if (!signatures.length) return t('sigNone');
  return signatures.map((s) => `${t(`sig_${s.status}`)} ${s.status === 'unknown_key' ? '' : s.signer ?? ''} ${groupedFingerprint(s.fingerprint)}`.replace(/\s+/g, ' ').trim()).join('; ');
}

/**
 * Runs `work` on each chosen file in turn; a passphrase asked for stops the run until it is given.
 * @param {HTMLInputElement} input
 * @param {(file: File, data: string, unlock: {passphrase?: string, remember: boolean}) => Promise<void>} work
 */
async function eachFile(input, work) {
  const chosen = [...(input.files ?? [])];
  if (!chosen.length) {
    showStatus(t('filesNoneChosen'), 'error');
    return;
  }
  for (const [index, file] of chosen.entries()) {
    try {
      showStatus(t('filesWorking', [file.name]));
      const data = await read(file);
      await work(file, data, { passphrase: $('#passphrase').value || undefined, remember: $('#remember').checked });
    } catch (error) {
      if (error.code === 'NEED_PASSPHRASE' || error.code === 'BAD_PASSPHRASE') {
        // Continued from this file once the passphrase is given; the files before it are done.
        const rest = chosen.slice(index);
        waiting = () => eachFileOf(rest, work);
        askPassphrase(error);
        showStatus(error.code === 'NEED_PASSPHRASE' ? t('filesNeedPassphrase') : describeError(error), 'error');
        return;
      }
      showStatus(t('filesFailed', [file.name, describeError(error)]), 'error');
      continue;
    } finally {
      $('#passphrase').value = '';
      $('#progress').hidden = true;
    }
    showStatus(t('filesDone', [file.name]), 'ok');
  }
}

/** `eachFile` over files already chosen (after a passphrase was asked for). */
function eachFileOf(files, work) {
  return eachFile(/** @type {any} */ ({ files }), work);
}

function askPassphrase(error) {
  $('#passphrase-label').textContent = t('passphraseForKey', [groupedFingerprint(error.code === 'NEED_PASSPHRASE' ? error.message : '')]);
  $('#passphrase-row').hidden = false;
  $('#passphrase').focus();
}

async function encryptFiles() {
  const recipients = [...document.querySelectorAll('[data-testid=recipient]:checked')].map((box) => /** @type {HTMLInputElement} */ (box).value);
  const sign = $('#sign').checked;
  await eachFile($('#encrypt-input'), async (file, data, unlock) => {
    const result = await request('files.encrypt', { file: { name: file.name, data }, recipients, sign, ...unlock });
    offer(result.name, result.data, [' ', h('span', {}, t(result.signed ? 'filesEncryptedSigned' : 'filesEncrypted'))]);
  });
}

async function decryptFiles() {
  await eachFile($('#decrypt-input'), async (file, data, unlock) => {
    const result = await request('files.decrypt', { file: { name: file.name, data }, ...unlock });
    const valid = result.signatures.some((s) => s.status === 'valid');
    offer(result.name, result.data, [' ', h('span', { 'data-testid': 'signature', 'data-status': result.signatures[0]?.status ?? 'none', class: valid ? 'ok' : 'muted' }, signatureText(result.signatures))]);
  });
}

/** Runs what waited for the passphrase. */
async function unlock() {
  const next = waiting;
  waiting = null;
  $('#passphrase-row').hidden = true;
  await next?.();
}

$('#encrypt').addEventListener('click', () => encryptFiles().catch((error) => showStatus(describeError(error), 'error')));
$('#decrypt').addEventListener('click', () => decryptFiles().catch((error) => showStatus(describeError(error), 'error')));
$('#unlock').addEventListener('click', () => unlock().catch((error) => showStatus(describeError(error), 'error')));
$('#passphrase').addEventListener('keydown', (event) => {
  if (event.key === 'Enter') unlock().catch((error) => showStatus(describeError(error), 'error'));
});
showSign();
listRecipients().catch((error) => showStatus(describeError(error), 'error'));
