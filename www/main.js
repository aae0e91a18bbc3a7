// Sealmark Inspector: says its words in the browser's language, starts the transport module and
// wires the two tabs; the OpenPGP core (in a worker) starts when the OpenPGP tab first asks for it.
import { activity, transportCore } from './core-client.js';
import { setupRouteTab } from './route-tab.js';
import { setupPgpTab } from './pgp-tab.js';
import { setupTabs } from './tabs.js';
import { fill, languageFor, loadMessages } from './components/locale.js';
import { english } from './components/route-view.js';

// The core starts while the words load.
const core = transportCore();
const language = languageFor(navigator.languages ?? [navigator.language]);
const loaded = await loadMessages(new URL('./', import.meta.url), language);
// Without readable locale files the route view still says its own words, in English.
const say = (key, substitutions = []) => {
  const said = loaded(key, substitutions);
  return said === key ? english(key, substitutions) : said;
};
document.documentElement.lang = language;
fill(document, (key) => (say(key) === key ? '' : say(key)));

const status = document.getElementById('core-status');
const busy = document.getElementById('core-busy');
activity.addEventListener('change', (/** @type {CustomEvent<number>} */ { detail: running }) => {
  busy.hidden = running === 0;
  document.querySelector('main').setAttribute('aria-busy', String(running > 0));
});
setupTabs(document.querySelector('[role=tablist]'));
try {
  const transport = await core;
  status.textContent = say('inspectorCoreReady', [transport.version()]);
  document.body.dataset.ready = 'true';
  setupRouteTab(say);
  setupPgpTab(say);
} catch (error) {
  status.textContent = say('inspectorCoreFailed', [error.message]);
  status.classList.add('error');
}
