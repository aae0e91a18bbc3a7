import { describeError } from '../../shared/errors.js';
import { t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';

/** How long passphrases are remembered, "Lock now", and whether keys are looked up. */
export async function setUpPassphrases() {
  const select = document.getElementById('cache-time');
  const status = document.getElementById('keys-status');
  const { passphraseSeconds, keyDiscovery, preferEncrypt } = await request('settings.get');
  const prefer = document.getElementById('prefer-encrypt');
  prefer.checked = preferEncrypt;
  prefer.addEventListener('change', () => request('settings.set', { preferEncrypt: prefer.checked }));
  const discovery = document.getElementById('key-discovery');
  discovery.checked = keyDiscovery;
  discovery.addEventListener('change', () => request('settings.set', { keyDiscovery: discovery.checked }));
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
