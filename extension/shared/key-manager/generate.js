import { describeError } from '../../shared/errors.js';
import { t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';
import { passphraseStrength } from '../../shared/strength.js';

/**
 * The "Generate a key" form. Generation runs in the background, so the page
 * stays responsive; a progress bar shows while it works (RSA takes seconds).
 * @param {() => Promise<void>} refresh  re-lists the keyring afterwards
 */
export function setUpGenerate(refresh) {
  /** This page's own elements, by id: their kinds are its HTML's. @type {(id: string) => any} */
  const $ = (id) => document.getElementById(id);
  const passphrase = $('gen-passphrase');
  passphrase.addEventListener('input', () => {
    const { score, hint } = passphraseStrength(passphrase.value);
    $('strength-meter').value = score;
    $('strength').textContent = hint ? t(hint) : '';
  });
  $('generate').addEventListener('submit', async (event) => {
    event.preventDefault();
    const status = $('generate-status');
    if (passphrase.value !== $('gen-repeat').value) {
      status.textContent = t('passphrasesDiffer');
      status.className = 'status error';
      return;
    }
    // The welcome page's short form has no choice of type or expiry: the recommended ones.
    const [type, profile] = ($('gen-type')?.value ?? 'curve25519/rfc4880').split('/');
    $('gen-submit').disabled = true;
    $('gen-progress').hidden = false;
    status.textContent = t(type.startsWith('rsa') ? 'generatingRsa' : 'generating');
    status.className = 'status';
    try {
      const { fingerprint } = await request('keys.generate', {
        name: $('gen-name').value,
        email: $('gen-email').value,
        passphrase: passphrase.value,
        type,
        profile,
        expiresInDays: Number($('gen-expiry')?.value ?? 730),
      });
      status.textContent = t('generated', [fingerprint]);
      status.className = 'status ok';
      passphrase.value = '';
      $('gen-repeat').value = '';
      await refresh();
    } catch (error) {
      status.textContent = describeError(error);
      status.className = 'status error';
    } finally {
      $('gen-submit').disabled = false;
      $('gen-progress').hidden = true;
    }
  });
}
