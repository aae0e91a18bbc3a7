// The files page: files encrypted for people in the keyring (and signed), encrypted files
// decrypted, files signed with detached signatures and such signatures verified, in an extension
// page of its own (not web-accessible, so no page can frame it: it
// needs no click guard). Files are read here with their progress shown,
// handed to the background as base64, and what comes back is offered as a download.
import '../../shared/i18n-ready.js';
import { pageReady } from '../../shared/page-ready.js';
import { localize, t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';
import { describeError } from '../../shared/errors.js';
import { groupedFingerprint } from '../../shared/keys.js';
import { signatureViews } from '../../shared/signature-view.js';
import { h } from '../../components/dom.js';
import { showSign } from '../../shared/show-sign.js';
import { fromBase64, toBase64 } from '../../shared/bytes.js';
import { FILE_BYTES, pairSignatures, readWithProgress, safeFileName, sizeText } from '../../shared/files.js';

localize();
/** This page's own elements: their kinds are its HTML's. @type {(selector: string) => any} */
const $ = (selector) => document.querySelector(selector);
/**
 * One piece of a run: a file, or a file with its signature; `refused` says why it is not done.
 * @typedef {{name: string, files: File[], refused?: string}} Unit
 */
/**
 * The work a run does with each piece, given its files' bytes as base64.
 * @typedef {(unit: Unit, data: string[], unlock: {passphrase?: string, remember: boolean}) => Promise<void>} Work
 */
/**
 * What the passphrase, once typed, continues: the pieces left of the run that asked for it.
 * @type {null|{units: Unit[], work: Work}}
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
 * @param {import('../../components/dom.js').Child[]} said  what else to say about it
 */
function offer(name, data, said = []) {
  const bytes = fromBase64(data);
  const safe = safeFileName(name);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const link = h('a', { href: url, download: safe, 'data-testid': 'download' }, t('filesDownload', [safe]));
  $('#results').append(h('li', { 'data-testid': 'result', 'data-name': safe }, link, ' ', h('span', { class: 'muted' }, sizeText(bytes.length)), ...said));
}

/** What a file's signatures say: how far a signer's key is trusted, and plainly a signer not in the keyring. */
const signatureView = (signatures) => signatureViews(signatures, { tag: 'span', trust: true, stranger: true });

/** The passphrase given during the current run, kept in memory until the run ends; never stored. */
let runPassphrase = /** @type {string|undefined} */ (undefined);

/** One run at a time: every section's button waits while files are worked on or a passphrase is asked for. */
function setBusy(busy) {
  for (const id of ['encrypt', 'decrypt', 'sign-files', 'verify']) $(`#${id}`).disabled = busy;
}

/** A file that could not be done, listed with the results so it is not lost among later statuses. */
function failed(name, reason) {
  $('#results').append(h('li', { class: 'error', 'data-testid': 'failed' }, t('filesFailed', [name, reason])));
}

/**
 * Runs `work` on each piece in turn; a passphrase asked for pauses the run at that piece until it
 * is given (or the run is stopped). Files too large for the page are refused before they are read.
 * @param {Unit[]} units
 * @param {Work} work
 */
async function eachFile(units, work) {
  if (!units.length) {
    showStatus(t('filesNoneChosen'), 'error');
    return;
  }
  setBusy(true);
  let paused = false;
  let failures = 0;
  try {
    for (const [index, unit] of units.entries()) {
      const refused = unit.refused ?? (unit.files.some((file) => file.size > FILE_BYTES) ? t('error_FILE_TOO_LARGE') : null);
      if (refused) {
        failed(unit.name, refused);
        failures += 1;
        continue;
      }
      try {
        showStatus(t('filesWorking', [unit.name]));
        const data = [];
        for (const file of unit.files) data.push(await read(file));
        await work(unit, data, { passphrase: runPassphrase, remember: $('#remember').checked });
      } catch (error) {
        if (error.code === 'NEED_PASSPHRASE' || error.code === 'BAD_PASSPHRASE') {
          // Continued from this piece once the passphrase is given; the ones before it are done.
          waiting = { units: units.slice(index), work };
          paused = true;
          askPassphrase(error);
          showStatus(error.code === 'NEED_PASSPHRASE' ? t('filesNeedPassphrase') : describeError(error), 'error');
          return;
        }
        failed(unit.name, describeError(error));
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

/**
 * The files chosen in an input, each a piece of its own.
 * @param {string} selector
 * @returns {Unit[]}
 */
const chosenFiles = (selector) => [...($(selector).files ?? [])].map((file) => ({ name: file.name, files: [file] }));

async function encryptFiles() {
  await eachFile(chosenFiles('#encrypt-input'), async (unit, [data], unlock) => {
    // The choices as they are now, also when the run goes on after a passphrase.
    const recipients = [...document.querySelectorAll('[data-testid=recipient]:checked')].map((box) => /** @type {HTMLInputElement} */ (box).value);
    const result = await request('files.encrypt', { file: { name: unit.name, data }, recipients, sign: $('#sign').checked, ...unlock });
    offer(result.name, result.data, [' ', h('span', {}, t(result.signed ? 'filesEncryptedSigned' : 'filesEncrypted'))]);
  });
}

async function decryptFiles() {
  await eachFile(chosenFiles('#decrypt-input'), async (unit, [data], unlock) => {
    const result = await request('files.decrypt', { file: { name: unit.name, data }, ...unlock });
    offer(result.name, result.data, [' ', signatureView(result.signatures)]);
  });
}

async function signFiles() {
  await eachFile(chosenFiles('#sign-input'), async (unit, [data], unlock) => {
    const result = await request('files.sign', { file: { name: unit.name, data }, ...unlock });
    offer(result.name, result.data, [' ', h('span', {}, t('filesSignedBy', [groupedFingerprint(result.signer)]))]);
  });
}

/** Files and their signatures, from either chooser, paired by name; what has no partner is listed as failed with why. */
async function verifyFiles() {
  const { pairs, unsigned, unmatched } = pairSignatures([...($('#verify-input').files ?? [])], [...($('#verify-signature-input').files ?? [])]);
  /** @type {Unit[]} */
  const units = [
    ...pairs.map(({ file, signature }) => ({ name: file.name, files: [file, signature] })),
    ...unsigned.map((file) => ({ name: file.name, files: [file], refused: t('filesNoSignature') })),
    ...unmatched.map((signature) => ({ name: signature.name, files: [signature], refused: t('filesNoSignedFile') })),
  ];
  await eachFile(units, async (unit, [data, signature]) => {
    const [file, signatureFile] = unit.files;
    const result = await request('files.verify', { file: { name: file.name, data }, signature: { name: signatureFile.name, data: signature } });
    $('#results').append(h('li', { 'data-testid': 'result', 'data-name': safeFileName(file.name) },
      h('strong', {}, t('filesVerifiedPair', [safeFileName(file.name), safeFileName(signatureFile.name)])), ' ', signatureView(result.signatures)));
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
  await eachFile(next.units, next.work);
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
$('#sign-files').addEventListener('click', () => signFiles().catch((error) => showStatus(describeError(error), 'error')));
$('#verify').addEventListener('click', () => verifyFiles().catch((error) => showStatus(describeError(error), 'error')));
$('#unlock').addEventListener('click', () => unlock().catch((error) => showStatus(describeError(error), 'error')));
$('#stop').addEventListener('click', stop);
$('#passphrase').addEventListener('keydown', (event) => {
  if (event.key === 'Enter') unlock().catch((error) => showStatus(describeError(error), 'error'));
});
showSign();
listRecipients().catch((error) => showStatus(describeError(error), 'error'));
pageReady();
