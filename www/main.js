// Sealmark Inspector: starts the transport module and wires the two tabs; the
// OpenPGP core (in a worker) starts when the OpenPGP tab first asks for it.
import { activity, transportCore } from './core-client.js';
import { setupRouteTab } from './route-tab.js';
import { setupPgpTab } from './pgp-tab.js';
import { setupTabs } from './tabs.js';

const status = document.getElementById('core-status');
const busy = document.getElementById('core-busy');
activity.addEventListener('change', (/** @type {CustomEvent<number>} */ { detail: running }) => {
  busy.hidden = running === 0;
  document.querySelector('main').setAttribute('aria-busy', String(running > 0));
});
setupTabs(document.querySelector('[role=tablist]'));
try {
  const transport = await transportCore();
  status.textContent = `Core ready: ${transport.version()}`;
  document.body.dataset.ready = 'true';
  setupRouteTab();
  setupPgpTab();
} catch (error) {
  status.textContent = `The core could not be loaded: ${error.message}`;
  status.classList.add('error');
}
