import { request } from '../../shared/messages.js';

/** "Finding keys": automatic look-ups on or off, and the user's Autocrypt prefer-encrypt. */
export async function setUpDiscovery() {
  const settings = await request('settings.get');
  for (const [id, name] of [['key-discovery', 'keyDiscovery'], ['prefer-encrypt', 'preferEncrypt']]) {
    const box = /** @type {HTMLInputElement} */ (document.getElementById(id));
    box.checked = settings[name];
    box.addEventListener('change', () => request('settings.set', { [name]: box.checked }));
  }
}
