import { h } from '../../components/dom.js';
import { ext } from '../../shared/browser.js';
import { describeError } from '../../shared/errors.js';
import { t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';
import { originOf, permissionPattern } from '../../shared/origins.js';

/** The list of webmails and the form that enables one by its address. */
function form() {
  return [
    h('ul', { id: 'site-list', class: 'site-list' }),
    h('form', { id: 'add-site', class: 'inline-form' },
      h('label', { for: 'site-input', class: 'visually-hidden' }, t('addSiteLabel')),
      h('input', { id: 'site-input', type: 'text', placeholder: t('addSitePlaceholder') }),
      h('button', { type: 'submit' }, t('addSiteButton'))),
    h('p', { id: 'sites-status', role: 'status', class: 'status' }),
  ];
}

/** Built-in webmails and the ones the user enabled (self-hosted Roundcube, …), drawn into `#sites-place`. */
export async function setUpSites() {
  document.getElementById('sites-place').replaceChildren(...form());
  const status = document.getElementById('sites-status');
  document.getElementById('add-site').addEventListener('submit', (event) => {
    event.preventDefault();
    const origin = originOf(/** @type {HTMLInputElement} */ (document.getElementById('site-input')).value);
    if (!origin) {
      status.textContent = t('error_BAD_ORIGIN');
      status.className = 'status error';
      return;
    }
    // permissions.request must run in the click's own task, before any await.
    ext.permissions.request({ origins: [permissionPattern(origin)] }).then(async (granted) => {
      if (!granted) throw Object.assign(new Error('not granted'), { code: 'PERMISSION_DENIED' });
      await request('sites.add', { origin });
      /** @type {HTMLInputElement} */ (document.getElementById('site-input')).value = '';
      status.textContent = t('siteEnabled', [origin]);
      status.className = 'status ok';
      await listSites();
    }).catch((error) => {
      status.textContent = describeError(error);
      status.className = 'status error';
    });
  });
  await listSites();
}

async function listSites() {
  const { builtIn, added } = await request('sites.list');
  const list = document.getElementById('site-list');
  list.replaceChildren(
    ...builtIn.map((origin) => h('li', {}, origin, ' ', h('span', { class: 'muted' }, t('siteBuiltIn')))),
    ...added.map((origin) => {
      const remove = h('button', { type: 'button', 'aria-label': t('removeSite', [origin]) }, t('removeSiteButton'));
      remove.addEventListener('click', async () => {
        await request('sites.remove', { origin });
        await listSites();
      });
      return h('li', { 'data-testid': 'added-site' }, origin, ' ', remove);
    }),
  );
}
