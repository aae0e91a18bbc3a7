import { ext } from '../shared/browser.js';
import { SETUP_STEPS } from '../shared/setup-steps.js';

const KEY = 'settings';
const DEFAULTS = Object.freeze({
  passphraseSeconds: 600,
  trustedDomains: [],
  keyDiscovery: true,
  preferEncrypt: true,
  /** Keep how each sending domain's mail arrived (history.js). */
  historyEnabled: true,
  /** After how many encrypted arrivals a plaintext one is called out. */
  historyThreshold: 5,
  /** Read the provider's MTA-STS policy where the user allowed it (mta-sts.js). */
  mtaSts: true,
  /** How far the first run's set-up went (welcome page): set to its first step on install. */
  setupStep: /** @type {string} */ ('done'),
});

/** The user's settings with defaults filled in. */
export async function settings() {
  return { ...DEFAULTS, ...(await ext.storage.local.get(KEY))[KEY] };
}

/**
 * Stores the given settings; unknown names are ignored.
 * @param {Partial<typeof DEFAULTS>} changes
 */
export async function changeSettings(changes) {
  const next = await settings();
  if ('passphraseSeconds' in changes) {
    const seconds = Number(changes.passphraseSeconds);
    next.passphraseSeconds = Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 86400) : next.passphraseSeconds;
  }
  if (typeof changes.keyDiscovery === 'boolean') next.keyDiscovery = changes.keyDiscovery;
  if (typeof changes.preferEncrypt === 'boolean') next.preferEncrypt = changes.preferEncrypt;
  if (typeof changes.historyEnabled === 'boolean') next.historyEnabled = changes.historyEnabled;
  if (typeof changes.mtaSts === 'boolean') next.mtaSts = changes.mtaSts;
  if ('historyThreshold' in changes) {
    const count = Math.round(Number(changes.historyThreshold));
    if (Number.isFinite(count) && count >= 1) next.historyThreshold = Math.min(count, 100);
  }
  if (SETUP_STEPS.includes(changes.setupStep)) next.setupStep = changes.setupStep;
  if (Array.isArray(changes.trustedDomains)) {
    next.trustedDomains = changes.trustedDomains.map((d) => String(d).trim().toLowerCase()).filter(Boolean);
  }
  await ext.storage.local.set({ [KEY]: next });
  return next;
}
