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
import { FILE_BYTES, readWithProgress, safeFileName, sizeText } from '../../shared/files.js';

localize();
/** This page's own elements: their kinds are its HTML's. @type {(selector: string) => any} */
const $ = (selector) => document.querySelector(selector);
/**
 * What the passphrase, once typed, continues: the files left of the run that asked for it.
 * @type {null|{files: File[], work: (file: File, data: string, unlock: {passphrase?: string, remember: boolean}) => Promise<void>}}
 */
let waiting = null;

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
    // Your default key is always encrypted to, so that you can open what you encrypted: said, not offered.
    box.checked = key.own;
    box.disabled = key.isDefault;
    return h('li', {}, h('label', { class: 'check' }, box, ' ', key.info.user_ids[0] ?? t('noUserId'), ' ', h('code', {}, groupedFingerprint(key.fingerprint)),
      key.isDefault ? h('span', { class: 'muted' }, ` ${t('filesOwnAlways')}`) : null));
  }));
}

/**
 * A file's bytes as base64, read with its progress shown; the bar runs without figures for the work after.
 * @param {File} file
 */
async function read(file) {
  return toBase64(await readWithProgress(file, $('#progress')));
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

/** The passphrase given during the current run, kept in memory until the run ends; never stored. */
let runPassphrase = /** @type {string|undefined} */ (undefined);

/** One run at a time: Encrypt and Decrypt wait while files are worked on or a passphrase is asked for. */
function setBusy(busy) {
  $('#encrypt').disabled = busy;
  $('#decrypt').disabled = busy;
}

/** A file that could not be done, listed with the results so it is not lost among later statuses. */
function failed(name, reason) {
  $('#results').append(h('li', { class: 'error', 'data-testid': 'failed' }, t('filesFailed', [name, reason])));
}

/**
 * Runs `work` on each file in turn; a passphrase asked for pauses the run at that file until it is
 * given (or the run is stopped). Files too large for the page are refused before they are read.
 * @param {File[]} files
 * @param {(file: File, data: string, unlock: {passphrase?: string, remember: boolean}) => Promise<void>} work
 */
async function eachFile(files, work) {
  if (!files.length) {
    showStatus(t('filesNoneChosen'), 'error');
    return;
  }
  setBusy(true);
  let paused = false;
  let failures = 0;
  try {
    for (const [index, file] of files.entries()) {
      if (file.size > FILE_BYTES) {
        failed(file.name, t('error_FILE_TOO_LARGE'));
        failures += 1;
        continue;
      }
      try {
        showStatus(t('filesWorking', [file.name]));
        const data = await read(file);
        await work(file, data, { passphrase: runPassphrase, remember: $('#remember').checked });
      } catch (error) {
        if (error.code === 'NEED_PASSPHRASE' || error.code === 'BAD_PASSPHRASE') {
          // Continued from this file once the passphrase is given; the files before it are done.
          waiting = { files: files.slice(index), work };
          paused = true;
          askPassphrase(error);
          showStatus(error.code === 'NEED_PASSPHRASE' ? t('filesNeedPassphrase') : describeError(error), 'error');
          return;
        }
        failed(file.name, describeError(error));
        failures += 1;
      } finally {
        $('#progress').hidden = true;
      }
    }
    showStatus(failures ? t('filesSomeFailed', [String(failures)]) : t('filesAllDone'), failures ? 'error' : 'ok');
  } finally {
    if (!paused) {
      runPassphrase = undefined;
      setBusy(false);
    }
  }
}

function askPassphrase(error) {
  $('#passphrase-label').textContent = t('passphraseForKey', [groupedFingerprint(error.code === 'NEED_PASSPHRASE' ? error.message : '')]);
  $('#passphrase-row').hidden = false;
  $('#passphrase').focus();
}

async function encryptFiles() {
  await eachFile([...($('#encrypt-input').files ?? [])], async (file, data, unlock) => {
    // The choices as they are now, also when the run goes on after a passphrase.
    const recipients = [...document.querySelectorAll('[data-testid=recipient]:checked')].map((box) => /** @type {HTMLInputElement} */ (box).value);
    const result = await request('files.encrypt', { file: { name: file.name, data }, recipients, sign: $('#sign').checked, ...unlock });
    offer(result.name, result.data, [' ', h('span', {}, t(result.signed ? 'filesEncryptedSigned' : 'filesEncrypted'))]);
  });
}

async function decryptFiles() {
  await eachFile([...($('#decrypt-input').files ?? [])], async (file, data, unlock) => {
    const result = await request('files.decrypt', { file: { name: file.name, data }, ...unlock });
    const valid = result.signatures.some((s) => s.status === 'valid');
    offer(result.name, result.data, [' ', h('span', { 'data-testid': 'signature', 'data-status': result.signatures[0]?.status ?? 'none', class: valid ? 'ok' : 'muted' }, signatureText(result.signatures))]);
  });
}

/** Goes on with the run that asked for the passphrase. */
async function unlock() {
  const next = waiting;
  if (!next) return;
  waiting = null;
  runPassphrase = $('#passphrase').value || undefined;
  $('#passphrase').value = '';
  $('#passphrase-row').hidden = true;
  await eachFile(next.files, next.work);
}

/** Stops the run that waits for a passphrase: the files left are not done. */
function stop() {
  waiting = null;
  runPassphrase = undefined;
  $('#passphrase').value = '';
  $('#passphrase-row').hidden = true;
  setBusy(false);
  showStatus(t('filesStopped'));
}

$('#encrypt').addEventListener('click', () => encryptFiles().catch((error) => showStatus(describeError(error), 'error')));
$('#decrypt').addEventListener('click', () => decryptFiles().catch((error) => showStatus(describeError(error), 'error')));
$('#unlock').addEventListener('click', () => unlock().catch((error) => showStatus(describeError(error), 'error')));
$('#stop').addEventListener('click', stop);
$('#passphrase').addEventListener('keydown', (event) => {
  if (event.key === 'Enter') unlock().catch((error) => showStatus(describeError(error), 'error'));
});
showSign();
listRecipients().catch((error) => showStatus(describeError(error), 'error'));
