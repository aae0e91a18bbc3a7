import { ext } from '../shared/browser.js';
import { fail, failSaying } from './errors.js';
import { originOf as parseOrigin, permissionPattern } from '../shared/origins.js';

/** Webmails Sealmark runs on from install; their scripts come from the manifest. */
export const BUILT_IN_ORIGINS = Object.freeze([
  'https://mail.google.com',
  'https://outlook.live.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook.cloud.microsoft',
]);
const KEY = 'sites';
const SCRIPT_ID = 'sealmark-added-sites';

/** Origins the user added, e.g. a self-hosted Roundcube. */
export async function addedOrigins() {
  return (await ext.storage.local.get(KEY))[KEY] ?? [];
}

/**
 * The origin of a URL if Sealmark is enabled there (built in, or added and
 * still permitted), else null.
 * @param {string|undefined} url
 */
export async function enabledOrigin(url) {
  let origin;
  try {
    origin = new URL(url).origin;
  } catch {
    return null;
  }
  if (BUILT_IN_ORIGINS.includes(origin)) return origin;
  // An http: site enabled before this rule stays off.
  if (!secureEnough(origin) || !(await addedOrigins()).includes(origin)) return null;
  return (await permitted(origin)) ? origin : null;
}

/**
 * Normalises what a person typed to an origin, or fails with BAD_ORIGIN.
 * @param {string} typed
 */
export function originOf(typed) {
  return parseOrigin(typed) ?? fail('BAD_ORIGIN', `"${typed}" is not a web address such as https://mail.example.org`);
}

/**
 * Sealmark runs only where the page reaches the browser unaltered: https, or
 * plain http on this machine's loopback (a webmail served by the user's own
 * machine, as in the mail lab), which no network can tamper with.
 * @param {string} origin
 */
function secureEnough(origin) {
  const { protocol, hostname } = new URL(origin);
  return protocol === 'https:' || /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/.test(hostname);
}

const permitted = (origin) => ext.permissions.contains({ origins: [permissionPattern(origin)] });

/**
 * Records an origin whose host permission the options page has just been
 * granted, and (re)registers the content scripts for every added origin.
 * @param {string} origin
 */
export async function addOrigin(origin) {
  if (!secureEnough(origin)) {
    failSaying('INSECURE_ORIGIN', 'detailPlainHttp', [origin]);
  }
  if (!(await permitted(origin))) {
    fail('PERMISSION_DENIED', `Sealmark may not run on ${origin}: the permission was not granted.`);
  }
  const origins = [...new Set([...(await addedOrigins()), origin])];
  await ext.storage.local.set({ [KEY]: origins });
  await registerAddedSites();
  return origins;
}

/** @param {string} origin */
export async function removeOrigin(origin) {
  const origins = (await addedOrigins()).filter((o) => o !== origin);
  await ext.storage.local.set({ [KEY]: origins });
  await registerAddedSites();
  // Other enabled ports of the same host share the permission.
  if (!origins.some((o) => permissionPattern(o) === permissionPattern(origin))) {
    await ext.permissions.remove({ origins: [permissionPattern(origin)] }).catch(() => false);
  }
  return origins;
}

/**
 * Content scripts for added origins are registered at run time; the list is
 * rebuilt from storage so it always matches what the options page shows.
 */
export async function registerAddedSites() {
  const existing = await ext.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (existing.length) await ext.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  const granted = [];
  for (const origin of await addedOrigins()) {
    // The pattern covers every port of the host; the content script asks the
    // background first and stops where the exact origin is not enabled.
    if (await permitted(origin)) granted.push(permissionPattern(origin));
  }
  if (!granted.length) return;
  await ext.scripting.registerContentScripts([
    // All frames: self-hosted webmails (Roundcube's preview pane) show the message in a same-origin frame.
    { id: SCRIPT_ID, matches: [...new Set(granted)], js: ['content/content.js'], runAt: 'document_idle', allFrames: true, persistAcrossSessions: true },
  ]);
}
