import { describeError } from '../../shared/errors.js';
import { t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';

/**
 * The user's own provider domains: their Received lines are trusted, which
 * moves the trust boundary of every analysed message.
 */
export async function setUpTrustedDomains() {
  const field = /** @type {HTMLTextAreaElement} */ (document.getElementById('trusted-domains'));
  const status = document.getElementById('trusted-status');
  field.value = (await request('settings.get')).trustedDomains.join('\n');
  document.getElementById('trusted-save').addEventListener('click', async () => {
    try {
      const saved = await request('settings.set', { trustedDomains: field.value.split(/[\s,]+/).filter(Boolean) });
      field.value = saved.trustedDomains.join('\n');
      status.textContent = t('trustedDomainsSaved');
      status.className = 'status ok';
    } catch (error) {
      status.textContent = describeError(error);
      status.className = 'status error';
    }
  });
  field.dataset.ready = 'true';
}
