import { h } from '../../components/dom.js';
import { ask } from '../../shared/dialog.js';
import { describeError } from '../../shared/errors.js';
import { t } from '../../shared/i18n.js';
import { groupedFingerprint, keyState, stateLabel, trustLabel } from '../../shared/keys.js';
import { request } from '../../shared/messages.js';
import { download } from '../../shared/download.js';
import { backupPassphrase, showBackup } from '../../shared/key-manager/backup.js';

const status = () => document.getElementById('keys-status');

/** Lists the keyring: own keys first, then contacts. */
export async function showKeys() {
  const list = document.getElementById('key-list');
  try {
    const { keys, unlocked } = await request('keys.list');
    keys.sort((a, b) => Number(b.own) - Number(a.own) || (a.info.user_ids[0] ?? '').localeCompare(b.info.user_ids[0] ?? ''));
    list.replaceChildren(...(keys.length ? keys.map((key) => keyCard(key, unlocked.includes(key.fingerprint))) : [h('p', { class: 'muted' }, t('noKeys'))]));
  } catch (error) {
    list.replaceChildren(h('p', { class: 'error', role: 'alert' }, describeError(error)));
  }
}

function keyCard(key, unlocked) {
  const state = keyState(key.info);
  const badges = [
    h('span', { class: `badge ${state === 'valid' ? 'ok' : 'bad'}` }, stateLabel(state)),
    h('span', { class: `badge ${key.trust === 'rejected' ? 'bad' : key.trust === 'unverified' ? 'warn' : 'ok'}` }, trustLabel(key.trust)),
    key.isDefault ? h('span', { class: 'badge ok' }, t('defaultKey')) : null,
    unlocked ? h('span', { class: 'badge warn' }, t('unlockedBadge')) : null,
    h('span', { class: 'badge' }, `${key.info.primary.algorithm} · v${key.info.version}`),
    postQuantum(key) ? h('span', { class: 'badge ok', 'data-testid': 'post-quantum', title: t('postQuantumHint') }, t('postQuantumBadge')) : null,
    key.own ? null : h('span', { class: 'badge', 'data-testid': 'key-source' }, t(`source_${key.source}`)),
    key.info.primary.expires ? h('span', { class: 'badge' }, t('expiresOn', [key.info.primary.expires.slice(0, 10)])) : null,
    key.own ? h('span', { class: `badge ${key.protection === 'argon2' ? 'ok' : 'warn'}`, 'data-testid': 'protection', title: t(`protectionHint_${key.protection}`) }, t(`protection_${key.protection}`)) : null,
  ];
  // What a newer program put in the key and Sealmark does not read: said, never silently dropped.
  const unread = [...(key.info.skipped ?? []), ...[key.info.primary, ...key.info.subkeys].map((c) => c.problem).filter(Boolean)];
  /** @type {HTMLElement[]} */
  const actions = [button(t('exportPublic'), () => exportPublic(key))];
  if (key.own) {
    actions.push(button(t('exportSecret'), () => exportSecret(key)));
    if (!key.isDefault) actions.push(button(t('setDefault'), () => act('keys.setDefault', { fingerprint: key.fingerprint })));
    actions.push(button(t('changePassphrase'), () => changePassphrase(key)));
    if (state !== 'revoked') actions.push(button(t('revokeKey'), () => revoke(key)));
    if (state !== 'revoked' && !postQuantum(key)) actions.push(button(t('addPostQuantum'), () => addPostQuantum(key)));
    actions.push(button(t('publishKey'), () => publish(key)));
    actions.push(button(t('setupMessage'), () => setupMessage(key)));
    actions.push(button(t('wkdHelp'), () => showWkd(key)));
  } else {
    const trust = h('select', { 'aria-label': t('trustLabel') },
      ...['unverified', 'verified', 'rejected'].map((value) => h('option', { value, selected: key.trust === value }, trustLabel(value))));
    trust.addEventListener('change', () => act('keys.setTrust', { fingerprint: key.fingerprint, trust: trust.value }));
    actions.push(trust);
    actions.push(button(t('checkUpdate'), () => checkUpdate(key)));
  }
  actions.push(button(t('deleteKey'), () => remove(key), 'danger'));
  return h('article', { class: 'key-card', 'data-testid': 'key', 'data-fingerprint': key.fingerprint },
    h('h3', {}, key.info.user_ids.join(', ') || t('noUserId')),
    h('div', { class: 'fingerprint', 'data-testid': 'fingerprint' }, groupedFingerprint(key.fingerprint)),
    h('div', { class: 'badges' }, ...badges),
    // Until a backup exists, the key manager asks for one: a lost browser profile must not lose the key.
    key.own && !key.backedUpAt
      ? h('p', { class: 'backup-nag', role: 'note', 'data-testid': 'backup-nag' }, t('backupNag'), ' ', button(t('backupNow'), () => setupMessage(key)))
      : null,
    unread.length ? h('ul', { class: 'muted', 'data-testid': 'key-unread' }, ...unread.map((part) => h('li', {}, t('keyPartSkipped', [part])))) : null,
    h('div', { class: 'actions' }, ...actions));
}

function button(label, onClick, kind = '') {
  const element = h('button', { type: 'button', class: kind }, label);
  element.addEventListener('click', onClick);
  return element;
}

async function act(type, payload, done = '') {
  try {
    const result = await request(type, payload);
    status().textContent = done;
    status().className = 'status ok';
    await showKeys();
    // The card whose button was pressed was drawn anew (or is gone): the keyboard goes to what happened.
    if (done) status().focus();
    return result;
  } catch (error) {
    status().textContent = describeError(error);
    status().className = 'status error';
    return undefined;
  }
}

async function exportPublic(key) {
  const armored = await act('keys.exportPublic', { fingerprint: key.fingerprint });
  if (armored) download(`${key.fingerprint}.asc`, armored);
}

async function exportSecret(key) {
  const answer = await ask({
    title: t('exportSecret'),
    text: t('exportSecretWarning'),
    fields: [{ name: 'passphrase', label: t('genPassphrase'), type: 'password' }],
    confirm: t('exportSecretConfirm'),
    danger: true,
  });
  if (!answer) return;
  const armored = await act('keys.exportSecret', { fingerprint: key.fingerprint, passphrase: answer.passphrase });
  if (armored) download(`${key.fingerprint}-SECRET.asc`, armored);
}

async function changePassphrase(key) {
  const answer = await ask({
    title: t('changePassphrase'),
    fields: [
      { name: 'passphrase', label: t('currentPassphrase'), type: 'password' },
      { name: 'newPassphrase', label: t('newPassphrase'), type: 'password' },
    ],
    confirm: t('changePassphrase'),
  });
  if (answer) await act('keys.changePassphrase', { fingerprint: key.fingerprint, ...answer }, t('passphraseChanged'));
}

/** Whether a key already has an ML-KEM encryption subkey (RFC 9980). */
const postQuantum = (key) => key.info.subkeys.some((subkey) => /ML-KEM/.test(subkey.algorithm));

async function addPostQuantum(key) {
  const answer = await ask({
    title: t('addPostQuantum'),
    text: t('addPostQuantumExplained'),
    fields: [{ name: 'passphrase', label: t('genPassphrase'), type: 'password' }],
    confirm: t('addPostQuantum'),
  });
  if (answer) await act('keys.addPostQuantumSubkey', { fingerprint: key.fingerprint, ...answer }, t('postQuantumAdded'));
}

async function revoke(key) {
  const answer = await ask({
    title: t('revokeKey'),
    text: t('revokeWarning'),
    fields: [
      { name: 'reason', label: t('revokeReason') },
      { name: 'passphrase', label: t('genPassphrase'), type: 'password' },
    ],
    confirm: t('revokeKey'),
    danger: true,
  });
  if (answer) await act('keys.revoke', { fingerprint: key.fingerprint, ...answer }, t('keyRevoked'));
}

async function remove(key) {
  const answer = await ask({
    title: t('deleteKey'),
    text: t(key.own ? 'deleteOwnWarning' : 'deleteContactWarning', [key.info.user_ids[0] ?? key.fingerprint]),
    confirm: t('deleteKey'),
    danger: true,
  });
  if (answer) await act('keys.delete', { fingerprint: key.fingerprint }, t('keyDeleted'));
}

async function publish(key) {
  const answer = await ask({ title: t('publishKey'), text: t('publishWarning'), confirm: t('publishConfirm') });
  if (!answer) return;
  const result = await act('keys.publish', { fingerprint: key.fingerprint });
  if (result) {
    status().textContent = result.verificationSentTo.length ? t('publishVerify', [result.verificationSentTo.join(', ')]) : t('publishDone');
    status().className = 'status ok';
  }
}

async function showWkd(key) {
  const result = await act('keys.wkdFiles', { fingerprint: key.fingerprint });
  if (!result) return;
  const card = document.querySelector(`[data-fingerprint="${key.fingerprint}"]`);
  const file = (name) => {
    const link = h('a', { href: URL.createObjectURL(new Blob([new Uint8Array(result.key)])), download: name }, t('wkdDownload', [name]));
    return link;
  };
  card?.append(
    h('div', { class: 'wkd-help', 'data-testid': 'wkd-help' },
      h('p', {}, t('wkdExplain')),
      h('ul', {}, ...result.files.map((f) => h('li', {}, f.address, h('br'), h('code', {}, f.advanced), h('br'), h('code', {}, f.direct), h('br'), file(f.fileName))))),
  );
}

/** Fetches the contact's key from keys.openpgp.org and shows what would change; merging needs a click. */
async function checkUpdate(key) {
  const found = await act('keys.checkUpdate', { fingerprint: key.fingerprint });
  if (!found) return;
  const [preview] = found.preview;
  const card = document.querySelector(`[data-fingerprint="${key.fingerprint}"]`);
  const merge = button(t('importUpdate'), () => act('keys.importUpdate', { armored: found.armored, fingerprints: [key.fingerprint] }, t('keyUpdated')), 'primary');
  card?.append(
    h('div', { class: 'import-item', 'data-testid': 'update-preview' },
      preview.changes.length
        ? h('ul', {}, ...preview.changes.map((c) => h('li', {}, t(`change_${c.kind}`, [c.value]))))
        : h('p', {}, t('keyAlreadyKnown')),
      preview.changes.length ? merge : null),
  );
}

/** An Autocrypt Setup Message: the code is shown once, here, with the ways to keep the backup. */
async function setupMessage(key) {
  const passphrase = await backupPassphrase();
  if (passphrase === null) return;
  const made = await act('keys.setupMessage', { fingerprint: key.fingerprint, passphrase });
  if (!made) return;
  const card = /** @type {HTMLElement|null} */ (document.querySelector(`[data-fingerprint="${key.fingerprint}"]`));
  if (card) await showBackup(made, key.fingerprint, card);
}
