// Sealmark Inspector: loads the Wasm core and wires the two tabs.
import init, { version } from './sealmark.js';
import { setupRouteTab } from './route-tab.js';
import { setupPgpTab } from './pgp-tab.js';
import { setupTabs } from './tabs.js';

const status = document.getElementById('core-status');
setupTabs(document.querySelector('[role=tablist]'));
try {
  await init({ module_or_path: new URL('sealmark_bg.wasm', import.meta.url) });
  status.textContent = `Core ready: ${version()}`;
  document.body.dataset.ready = 'true';
  setupRouteTab();
  setupPgpTab();
} catch (error) {
  status.textContent = `The core could not be loaded: ${error.message}`;
  status.classList.add('error');
}
