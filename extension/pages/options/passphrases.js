import { describeError } from '../../shared/errors.js';
import { t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';

/** How long passphrases are remembered, and "Lock now". */
export async function setUpPassphrases() {
  const select = /** @type {HTMLSelectElement} */ (document.getElementById('cache-time'));
  const status = document.getElementById('keys-status');
  const { passphraseSeconds } = await request('settings.get');
  if (![...select.options].some((o) => Number(o.value) === passphraseSeconds)) {
    select.append(new Option(`${passphraseSeconds} s`, String(passphraseSeconds)));
  }
  select.value = String(passphraseSeconds);
  select.addEventListener('change', () => request('settings.set', { passphraseSeconds: Number(select.value) }));
  document.getElementById('lock-now').addEventListener('click', async () => {
    try {
      await request('keys.lockNow');
      status.textContent = t('lockedNow');
      status.className = 'status ok';
    } catch (error) {
      status.textContent = describeError(error);
    }
  });
}
