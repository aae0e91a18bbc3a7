import '../../shared/i18n-ready.js';
import { readyAfter } from '../../shared/page-ready.js';
import { localize, t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';
import { showKeys } from './key-list.js';
import { setUpGenerate } from '../../shared/key-manager/generate.js';
import { restoreFromMailbox, setUpImport } from '../../shared/key-manager/import.js';
import { setUpPassphrases } from './passphrases.js';
import { setUpDiscovery } from './discovery.js';
import { setUpSites } from '../../shared/key-manager/sites.js';
import { setUpTrustedDomains } from './trusted-domains.js';
import { setUpMtaSts } from './mta-sts.js';
import { showSign } from '../../shared/show-sign.js';
import { signChooser } from '../../shared/sign-chooser.js';

localize();
setUpGenerate(showKeys);
setUpImport(showKeys);
// Several sections wire their controls only once they have read the settings they show.
readyAfter([
  signChooser(document.getElementById('sign-chooser'), showSign),
  restoreFromMailbox(),
  setUpPassphrases(),
  setUpDiscovery(),
  setUpSites(),
  setUpTrustedDomains(),
  setUpMtaSts(),
  showKeys(),
  showBuildInfo(),
  showSign(),
]);

async function showBuildInfo() {
  const status = document.getElementById('core-status');
  try {
    const [version, info] = await Promise.all([request('core.version'), request('core.buildInfo')]);
    document.getElementById('core-version').textContent = version;
    document.getElementById('pgp-version').textContent = `rPGP ${info.pgp}`;
    document.getElementById('mail-parser-version').textContent = `mail-parser ${info.mail_parser}`;
    document.getElementById('build-info').hidden = false;
    status.hidden = true;
  } catch (error) {
    status.textContent = t('coreFailed', [error.message]);
    status.classList.add('error');
  }
}

