// What a person does with a key backup just made (an Autocrypt Setup Message): the setup code,
// shown once and only here; the backup saved as a file or printed; or sent to themselves through
// a webmail they have open, where Sealmark finds it again to restore it.
import { h } from '../../components/dom.js';
import { describeError } from '../../shared/errors.js';
import { t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';
import { download } from '../../shared/download.js';
import { ask } from '../../shared/dialog.js';

/**
 * Asks for the passphrase of the key to back up, saying what a backup is.
 * @returns {Promise<string|null>} the passphrase, or null when the person cancels
 */
export async function backupPassphrase() {
  const answer = await ask({
    title: t('setupMessage'),
    text: t('setupMessageExplain'),
    fields: [{ name: 'passphrase', label: t('genPassphrase'), type: 'password' }],
    confirm: t('setupMessageCreate'),
  });
  return answer ? answer.passphrase : null;
}

/**
 * Shows a backup made for the key `fingerprint` in `place`.
 * @param {{code: string, message: string, armored: string}} made
 * @param {string} fingerprint
 * @param {HTMLElement} place
 */
export function showBackup(made, fingerprint, place) {
  const status = h('p', { role: 'status', class: 'status', 'data-testid': 'backup-status' });
  const webmails = h('div', { class: 'actions', 'data-testid': 'backup-webmails' });
  const save = button(t('backupSave'), () => download('autocrypt-setup-message.eml', made.message, 'message/rfc822'));
  const printed = button(t('backupPrint'), () => window.print());
  const refresh = button(t('backupFindWebmails'), () => listWebmails());

  async function listWebmails() {
    try {
      const open = await request('backup.webmails');
      webmails.replaceChildren(...open.map((webmail) => button(t('backupSendWith', [webmail.label]), (event) => send(webmail, event.currentTarget))), refresh);
      status.textContent = open.length ? '' : t('backupNoWebmail');
      status.className = 'status';
    } catch (error) {
      status.textContent = describeError(error);
      status.className = 'status error';
    }
  }
  async function send(webmail, pressed) {
    // One press, one compose window: a second click while it opens sends no second copy.
    pressed.disabled = true;
    try {
      const sent = await request('backup.send', { place: webmail.place, profile: webmail.profile, fingerprint, armored: made.armored });
      status.textContent = t('backupSendOpened', [sent.origin, sent.to]);
      status.className = 'status ok';
    } catch (error) {
      status.textContent = describeError(error);
      status.className = 'status error';
    } finally {
      pressed.disabled = false;
    }
  }

  const code = h('p', { class: 'setup-code', tabindex: '-1' }, made.code);
  place.append(
    h('div', { class: 'import-item backup-view', 'data-testid': 'setup-code' },
      h('p', {}, t('setupMessageCode')),
      code,
      h('div', { class: 'actions' }, save, printed),
      h('p', {}, t('backupSendExplain')),
      webmails,
      status));
  code.focus();
  return listWebmails();
}

function button(label, onClick) {
  const element = h('button', { type: 'button' }, label);
  element.addEventListener('click', onClick);
  return element;
}
