// The toolbar popup: is Sealmark active on this tab, and a way to enable it.
import '../../shared/i18n-ready.js';
import { pageReady } from '../../shared/page-ready.js';
import { ext } from '../../shared/browser.js';
import { localize, t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';
import { describeError } from '../../shared/errors.js';
import { permissionPattern } from '../../shared/origins.js';
import { showSign } from '../../shared/show-sign.js';

localize();
showSign();
const status = document.getElementById('site-status');
const enable = document.getElementById('enable-site');

async function show() {
  // The tab's address is visible here only for sites Sealmark may access
  // (or, through activeTab, the one the user just clicked the button on).
  const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
  const url = tab?.url ?? '';
  const { enabled, origin } = await request('sites.status', { url });
  status.classList.toggle('active', enabled);
  if (enabled) {
    status.textContent = t('activeOn', [new URL(origin).host]);
  } else if (/^https?:/.test(url)) {
    status.textContent = t('inactiveOn', [new URL(url).host]);
    enable.hidden = false;
    enable.onclick = () => {
      const site = new URL(url).origin;
      ext.permissions.request({ origins: [permissionPattern(site)] }).then(async (granted) => {
        if (!granted) return;
        await request('sites.add', { origin: site });
        await ext.tabs.reload(tab.id);
        enable.hidden = true;
        await show();
      }).catch((error) => {
        status.textContent = describeError(error);
      });
    };
  } else {
    status.textContent = t('inactiveHere');
  }
}

document.getElementById('lock-now').addEventListener('click', () => request('keys.lockNow'));
// Setting up stopped part-way: the way back to the step it reached.
request('settings.get').then(({ setupStep }) => {
  document.getElementById('setup-link').hidden = setupStep === 'done';
}, () => null);
show().catch((error) => {
  status.textContent = describeError(error);
});
pageReady();
