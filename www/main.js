// Sealmark Inspector: loads the Wasm core and wires the two tabs.
import { core } from './core-client.js';
import { setupRouteTab } from './route-tab.js';
import { setupPgpTab } from './pgp-tab.js';
import { setupTabs } from './tabs.js';

const status = document.getElementById('core-status');
setupTabs(document.querySelector('[role=tablist]'));
try {
  const sealmark = await core();
  status.textContent = `Core ready: ${sealmark.version()}`;
  document.body.dataset.ready = 'true';
  setupRouteTab();
  setupPgpTab();
} catch (error) {
  status.textContent = `The core could not be loaded: ${error.message}`;
  status.classList.add('error');
}
