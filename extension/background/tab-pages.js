// Which page a tab shows, so that its Sealmark frames go when the page goes
// and only then. Chromium reports a change of the address's fragment alone as
// the tab loading, and Gmail opens every thread that way: taken for a new
// page, it expired an editor in the middle of a message. A tab's address is
// noted when its page has settled (in `storage.session`, which outlives the
// service worker's restarts); a load whose address differs from it only in
// the fragment is the same page.
import { ext } from '../shared/browser.js';
import { serialized } from './serial.js';

const KEY = 'settledPages';

/** The address without its fragment. */
function withoutFragment(url) {
  const at = url.indexOf('#');
  return at < 0 ? url : url.slice(0, at);
}

/**
 * Whether a load to `url` in a tab whose page settled at `settled` leaves that
 * page: a reload (the same address) or another address does; another fragment does not.
 * @param {string|undefined} settled
 * @param {string|undefined} url
 */
export function leavesPage(settled, url) {
  if (!settled || !url) return true;
  return url === settled || withoutFragment(url) !== withoutFragment(settled);
}

/** This worker's copy of the settled addresses, by tab: decisions are made at once, in event order. */
let pages = null;
let reading = null;

function load() {
  reading ??= ext.storage.session.get(KEY).then((stored) => {
    pages ??= new Map(Object.entries(stored[KEY] ?? {}));
  });
  return reading;
}

function save() {
  void ext.storage.session.set({ [KEY]: Object.fromEntries(pages) }).catch(() => null);
}

function decide(tabId, change, tab) {
  const key = String(tabId);
  if (change.status === 'complete' && tab?.url) {
    pages.set(key, tab.url);
    save();
    return false;
  }
  if (change.status !== 'loading') return false;
  const left = leavesPage(pages.get(key), tab?.url);
  if (left && pages.delete(key)) save();
  return left;
}

/**
 * One event of `tabs.onUpdated`: notes a settled page, and tells whether a
 * load left the page before (then its frames are gone). At once, so that the
 * frames are forgotten before a new page's first request; only the first
 * event after the worker started waits for the stored addresses.
 * @param {number} tabId
 * @param {{status?: string}} change
 * @param {{url?: string}} [tab]
 * @returns {boolean | Promise<boolean>} true when the tab's page was left
 */
export function pageUpdated(tabId, change, tab) {
  if (pages) return decide(tabId, change, tab);
  return serialized(KEY, async () => {
    await load();
    return decide(tabId, change, tab);
  });
}

/** Forgets a closed tab's page. @param {number} tabId */
export function tabClosed(tabId) {
  if (pages?.delete(String(tabId))) save();
}
