// The reader: an extension page framed where an armored block was in the
// webmail. Decryption happens only when the user clicks here.
import '../../shared/i18n-ready.js';
import { pageReady } from '../../shared/page-ready.js';
import { localize, t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';
import { describeError } from '../../shared/errors.js';
import { frameId, reportHeight } from '../../shared/frame.js';
import { groupedFingerprint } from '../../shared/keys.js';
import { signatureViews } from '../../shared/signature-view.js';
import { sanitizedHtml } from '../../shared/sanitize.js';
import { previewOf, safeFileName, sizeText } from '../../shared/files.js';
import { fromBase64 } from '../../shared/bytes.js';
import { guardClicks } from '../../shared/click-guard.js';
import { h } from '../../components/dom.js';
import { showSign } from '../../shared/show-sign.js';

localize();
const id = frameId();
/** This page's own elements: their kinds are its HTML's. @type {(selector: string) => any} */
const $ = (selector) => document.querySelector(selector);

function showStatus(text, kind = '') {
  $('#status').textContent = text;
  $('#status').className = `status ${kind}`;
}

/** Room for the passphrase prompt and the first lines, asked for once: after that the frame scrolls. */
const HEIGHT = 240;

async function start() {
  try {
    const frame = await request('frame.get', { id });
    await showSign();
    if (frame.data.backup) {
      $('#reader-heading').textContent = t('readerBackup');
      $('#backup').hidden = false;
    } else if (frame.data.kind === 'message') {
      $('#reader-heading').textContent = t(frame.data.mime ? 'readerEncryptedMime' : 'readerEncrypted');
      $('#decrypt-actions').hidden = false;
    } else if (frame.data.kind === 'signed_message' || frame.data.kind === 'mime_signed') {
      $('#reader-heading').textContent = t('readerSigned');
      showContent(await request('read.verify', { id }));
    } else if (frame.data.kind === 'public_key') {
      $('#reader-heading').textContent = t('readerPublicKey');
      showKeyPreview(await request('read.previewKey', { id }));
    }
    // Once, before anything secret is shown; never again.
    reportHeight(id, frame.origin, HEIGHT);
  } catch (error) {
    showStatus(describeError(error), 'error');
  }
}

async function decrypt() {
  $('#decrypt').disabled = true;
  showStatus(t('decrypting'));
  try {
    const result = await request('read.decrypt', { id, passphrase: $('#passphrase').value || undefined, remember: $('#remember').checked });
    $('#unlock').hidden = true;
    $('#decrypt-actions').hidden = true;
    showStatus('');
    showContent(result);
    // Decrypt is gone: the keyboard moves to what was decrypted (focusable, as it scrolls).
    if (document.hasFocus()) $('#plaintext').focus();
  } catch (error) {
    if (error.code === 'NEED_PASSPHRASE' || error.code === 'BAD_PASSPHRASE') {
      $('#unlock').hidden = false;
      $('#passphrase').focus();
    }
    showStatus(describeError(error), 'error');
  } finally {
    $('#passphrase').value = '';
    $('#decrypt').disabled = false;
  }
}

/** Controls, format characters (bidi marks, joiners, tags) and line separators: they reorder or hide text. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** Header text as shown: without characters that could make it read as something else. */
function shown(text) {
  return (text ?? '').replace(/[\t\n\r]+/g, ' ').replace(HIDDEN, '').trim();
}

/**
 * "Name <address>", or the address alone. A name that itself looks like an
 * address (or brackets one, in any of Unicode's look-alike forms) is left
 * out: it would pass for the real one.
 */
function mailboxes(list) {
  return (list ?? [])
    .map((m) => {
      const name = shown(m.name);
      const address = shown(m.address);
      const plausible = name && !/[@<>]/.test(name.normalize('NFKC'));
      if (!address) return plausible ? name : '';
      return plausible ? `${name} <${address}>` : address;
    })
    .filter(Boolean)
    .join(', ');
}

/**
 * The header fields written inside the encryption (RFC 9788 header
 * protection), and where the message's outside showed something else, what
 * it showed. Neither is proof of who wrote the message: anyone who has the
 * recipient's certificate can encrypt any From; only a signature tells.
 */
function showProtectedHeaders(result) {
  const differs = new Set(result.differences ?? []);
  const outer = result.outer ?? {};
  if (result.protected?.subject && differs.has('subject')) {
    $('#subject-outside').textContent = t('outsideShows', [shown(outer.subject) || t('outsideNothing')]);
    $('#subject-outside').hidden = false;
  }
  const rows = ['from', 'to', 'cc']
    .filter((field) => result.protected?.[field]?.length)
    .flatMap((field) => [
      h('dt', {}, t(`header_${field}`)),
      h('dd', { 'data-testid': `protected-${field}`, 'data-differs': String(differs.has(field)) },
        mailboxes(result.protected[field]),
        differs.has(field) ? h('span', { class: 'outside' }, t('outsideShows', [mailboxes(outer[field]) || t('outsideNothing')])) : null),
    ]);
  if (rows.length) {
    $('#protected-headers').replaceChildren(...rows);
    $('#protected-headers').hidden = false;
    $('#protected-caption').hidden = false;
  }
  const addressed = ['from', 'to', 'cc'].filter((field) => differs.has(field));
  if (addressed.length) {
    $('#outside-differs').textContent = t('outsideDiffers', [addressed.map((field) => t(`header_${field}`)).join(', ')]);
    $('#outside-differs').hidden = false;
  }
}

function showContent(result) {
  showSignatures(result.signatures ?? []);
  if (result.protected?.subject) {
    $('#subject').textContent = shown(result.protected.subject);
    $('#subject').hidden = false;
  }
  showProtectedHeaders(result);
  $('#plaintext').textContent = result.text ?? '';
  $('#plaintext').hidden = false;
  if (result.html) {
    $('#format-actions').hidden = false;
    $('#show-html').onclick = () => {
      $('#html').replaceChildren(sanitizedHtml(result.html));
      $('#html').hidden = false;
      $('#plaintext').hidden = true;
      $('#format-actions').hidden = true;
      $('#html').focus();
    };
  }
  if (result.attachments?.length) {
    $('#attachments').hidden = false;
    $('#attachments').replaceChildren(...result.attachments.map(attachmentItem));
  }
}

/**
 * One received file: its name (as saved), type and size, *Save* and, for images and text whose
 * bytes say so, *Preview*. Saved as bytes to download, never opened by the browser in this page;
 * previews are an <img> of a checked image type or text in a <pre>.
 * @param {{name: string|null, type: string, size: number, data: string}} file
 */
function attachmentItem(file) {
  const bytes = fromBase64(file.data);
  const name = safeFileName(file.name);
  const save = h('button', { type: 'button', 'data-testid': 'file-save', 'aria-label': t('fileSaveNamed', [name]) }, t('fileSave'));
  save.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
    h('a', { href: url, download: name }).click();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  const preview = previewOf(bytes, file.type);
  const shown = h('div', { class: 'file-preview', 'data-testid': 'file-preview', hidden: '' });
  const look = preview ? h('button', { type: 'button', 'data-testid': 'file-look', 'aria-label': t('filePreviewNamed', [name]), 'aria-expanded': 'false' }, t('filePreview')) : null;
  look?.addEventListener('click', () => {
    if (!shown.hidden) {
      shown.hidden = true;
      look.setAttribute('aria-expanded', 'false');
      return;
    }
    if (!shown.firstChild && preview?.kind === 'image') {
      const url = URL.createObjectURL(new Blob([bytes], { type: preview.type }));
      const image = h('img', { src: url, alt: name });
      // Drawn once; the bytes stay with the Save button.
      image.addEventListener('load', () => URL.revokeObjectURL(url), { once: true });
      shown.append(image);
    } else if (!shown.firstChild && preview?.kind === 'text') {
      shown.append(h('pre', {}, preview.text));
    }
    shown.hidden = false;
    look.setAttribute('aria-expanded', 'true');
  });
  return h('li', { 'data-testid': 'file', 'data-name': name },
    h('strong', {}, name), ' ', h('span', { class: 'muted' }, `${file.type} · ${sizeText(file.size)}`), ' ', save, ' ', look, shown);
}

function showSignatures(signatures) {
  $('#signatures').replaceChildren(...signatureViews(signatures));
}

function showKeyPreview(keys) {
  const section = $('#key-preview');
  section.hidden = false;
  const button = h('button', { type: 'button', class: 'primary', 'data-testid': 'import-key' }, t('importConfirmButton'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    showStatus(t('confirmInWindow'));
    try {
      // The yes is given in a window of Sealmark's own, out of the page's reach.
      await request('read.importKey', { id, fingerprints: keys.map((k) => k.fingerprint) });
      showStatus(t('keyImported'), 'ok');
    } catch (error) {
      showStatus(describeError(error), 'error');
      button.disabled = false;
    }
  });
  section.replaceChildren(
    h('ul', { class: 'key-preview' }, ...keys.map((k) =>
      h('li', {}, k.info.user_ids.join(', '), h('br'), h('code', {}, groupedFingerprint(k.fingerprint)), ' ',
        k.known ? t(k.changes.length ? 'keyUpdateChanges' : 'keyAlreadyKnown', [String(k.changes.length)]) : t('keyNew'),
        ...k.conflicts.map((address) => h('p', { class: 'warning', role: 'alert' }, t('importConflict', [address])))))),
    button,
  );
}

guardClicks((message) => showStatus(message, 'error'));
$('#decrypt').addEventListener('click', decrypt);
$('#restore').addEventListener('click', async () => {
  // One press, one key manager tab.
  $('#restore').disabled = true;
  try {
    await request('read.restoreBackup', { id });
    showStatus(t('backupRestoreOpened'), 'ok');
  } catch (error) {
    showStatus(describeError(error), 'error');
  } finally {
    $('#restore').disabled = false;
  }
});
$('#unlock').addEventListener('submit', (event) => {
  event.preventDefault();
  decrypt();
});
start();
pageReady();
