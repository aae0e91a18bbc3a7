import { h } from '../../components/dom.js';
import { describeError } from '../../shared/errors.js';
import { t } from '../../shared/i18n.js';
import { groupedFingerprint } from '../../shared/keys.js';
import { request } from '../../shared/messages.js';
import { ask } from '../../shared/dialog.js';
import { isSetupMessage } from '../../shared/setup-message.js';

/**
 * Import: paste or file → a preview of every key (user IDs, fingerprint,
 * new or what changes) → explicit confirmation. Nothing is stored before.
 * @param {() => Promise<void>} refresh
 */
export function setUpImport(refresh) {
  /** This page's own elements, by id: their kinds are its HTML's. @type {(id: string) => any} */
  const $ = (id) => document.getElementById(id);
  $('import-file').addEventListener('change', async (event) => {
    const [file] = event.target.files;
    if (file) $('import-text').value = await file.text();
  });
  $('import-preview').addEventListener('click', async () => {
    const armored = $('import-text').value;
    const result = $('import-result');
    if (isSetupMessage(armored)) return importSetupMessage(armored, result, refresh);
    try {
      const keys = await request('keys.previewImport', { armored });
      result.replaceChildren(...preview(keys, armored, result, refresh).filter(Boolean));
      result.querySelector('input')?.focus();
    } catch (error) {
      result.replaceChildren(h('p', { class: 'error', role: 'alert' }, describeError(error)));
    }
  });
}

/**
 * The preview of `keys` with their checkboxes, the passphrase fields they need and Import.
 * @param {(chosen: {fingerprints: string[], lockPassphrase?: string, currentPassphrase?: string}) => Promise<unknown>} [store]
 *   how the chosen keys are stored (a backup is opened again with its setup code)
 */
function preview(keys, armored, result, refresh, store = (chosen) => request('keys.import', { armored, ...chosen })) {
  const boxes = keys.map((key) => h('input', { type: 'checkbox', checked: true, value: key.fingerprint, id: `import-${key.fingerprint}` }));
  const items = keys.map((key, i) =>
    h('div', { class: 'import-item', 'data-testid': 'import-item' },
      h('label', { for: `import-${key.fingerprint}` }, boxes[i], ' ', h('strong', {}, key.info.user_ids.join(', ') || t('noUserId'))),
      h('div', { class: 'fingerprint' }, groupedFingerprint(key.fingerprint)),
      key.info.secret ? h('p', { class: 'warning', role: 'alert' }, t('importSecretFound')) : null,
      h('div', {}, key.info.secret ? t('importSecretKey') : t('importPublicKey'), ' · ',
        key.known ? (key.changes.length ? t('keyUpdateChanges', [String(key.changes.length)]) : t('keyAlreadyKnown')) : t('keyNew')),
      key.changes.length ? h('ul', {}, ...key.changes.map((c) => h('li', {}, t(`change_${c.kind}`, [c.value])))) : null,
      ...key.conflicts.map((address) => h('p', { class: 'warning', role: 'alert' }, t('importConflict', [address])))));
  const needsLock = keys.some((key) => key.needsLock);
  const partial = keys.some((key) => key.info.protection === 'partial');
  const lock = h('input', { type: 'password', id: 'import-lock', autocomplete: 'new-password' });
  const current = h('input', { type: 'password', id: 'import-current', autocomplete: 'off' });
  const confirm = h('button', { type: 'button', class: 'primary', 'data-testid': 'import-confirm' }, t('importConfirmButton'));
  const status = h('p', { role: 'status', class: 'status' });
  confirm.addEventListener('click', async () => {
    try {
      const fingerprints = boxes.filter((b) => b.checked).map((b) => b.value);
      await store({
        fingerprints,
        lockPassphrase: needsLock ? lock.value : undefined,
        currentPassphrase: partial ? current.value : undefined,
      });
      const imported = h('p', { class: 'status ok', role: 'status', tabindex: '-1' }, t('keysImported', [String(fingerprints.length)]));
      result.replaceChildren(imported);
      /** @type {HTMLTextAreaElement} */ (document.getElementById('import-text')).value = '';
      await refresh();
      // The Import button is gone with the preview: the keyboard goes to what happened.
      imported.focus();
    } catch (error) {
      status.textContent = describeError(error);
      status.className = 'status error';
    }
  });
  return [
    ...items,
    partial ? h('p', { class: 'field' }, h('label', { for: 'import-current' }, t('importPartlyProtected')), current) : null,
    needsLock ? h('p', { class: 'field' }, h('label', { for: 'import-lock' }, t('importLockPassphrase')), lock) : null,
    h('div', { class: 'actions' }, confirm),
    status,
  ];
}

/**
 * An Autocrypt Setup Message (a backup of Sealmark's or another program's): opened with its setup
 * code, then previewed like any import (which key, new or known, conflicts) before anything is
 * stored: a backup can come by mail from anyone, with its code beside it.
 */
async function importSetupMessage(text, result, refresh) {
  const answer = await ask({
    title: t('setupMessageImport'),
    text: t('setupMessageImportExplain'),
    fields: [{ name: 'code', label: t('setupCodeLabel') }],
    confirm: t('previewKeyButton'),
  });
  if (!answer) return;
  try {
    const keys = await request('keys.previewSetupMessage', { text, code: answer.code });
    const store = (chosen) => request('keys.importSetupMessage', { text, code: answer.code, fingerprints: chosen.fingerprints, lockPassphrase: chosen.lockPassphrase });
    result.replaceChildren(...preview(keys, text, result, refresh, store).filter(Boolean));
    result.querySelector('input')?.focus();
  } catch (error) {
    result.replaceChildren(h('p', { class: 'error', role: 'alert' }, describeError(error)));
  }
}

/**
 * A key backup a reader frame found in the mailbox (the page's address carries its token, once):
 * put into the import field with a word on where it came from. Nothing is imported before the
 * person checks it and types its setup code.
 */
export async function restoreFromMailbox() {
  const token = /^#restore=([0-9a-f-]{36})$/.exec(location.hash)?.[1];
  if (!token) return;
  history.replaceState(null, '', location.pathname);
  const result = document.getElementById('import-result');
  try {
    const found = await request('backup.pending', { token });
    /** @type {HTMLTextAreaElement} */ (document.getElementById('import-text')).value = found.text;
    result.replaceChildren(h('p', { class: 'status', role: 'status', 'data-testid': 'restore-found' }, t('backupFromMailbox', [found.sender ?? t('senderUnknown')])));
  } catch (error) {
    result.replaceChildren(h('p', { class: 'error', role: 'alert' }, describeError(error)));
  }
  document.getElementById('import-heading')?.scrollIntoView();
  document.getElementById('import-preview').focus();
}
