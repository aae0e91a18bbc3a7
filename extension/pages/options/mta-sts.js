import { ext } from '../../shared/browser.js';
import { describeError } from '../../shared/errors.js';
import { t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';

/**
 * The provider's MTA-STS policy: the browser asks the user once for the one
 * host `mta-sts.<domain>` (the request must come from this page, on a click),
 * then the background reads and caches the policy.
 */
export async function setUpMtaSts() {
  /** This page's own elements, by id: their kinds are its HTML's. @type {(id: string) => any} */
  const $ = (id) => document.getElementById(id);
  const status = $('mta-sts-status');
  const say = (text, kind) => {
    status.textContent = text;
    status.className = `status ${kind}`;
  };
  $('mta-sts-enabled').checked = (await request('settings.get')).mtaSts;
  $('mta-sts-enabled').addEventListener('change', (event) => request('settings.set', { mtaSts: event.target.checked }).catch((error) => say(describeError(error), 'error')));
  $('mta-sts-check').addEventListener('submit', async (event) => {
    event.preventDefault();
    const domain = $('mta-sts-domain').value.trim().toLowerCase();
    try {
      if (!(await ext.permissions.request({ origins: [`https://mta-sts.${domain}/*`] }))) throw Object.assign(new Error(domain), { code: 'PERMISSION_DENIED' });
      const policy = await request('mtaSts.check', { domain });
      say(t('mtaStsFound', [policy.domain, t(`mtaStsMode_${policy.mode}`), policy.mx.join(', ')]), 'ok');
    } catch (error) {
      say(describeError(error), 'error');
    }
  });
}
