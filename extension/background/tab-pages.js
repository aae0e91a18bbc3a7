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

async function settledPages() {
  return (await ext.storage.session.get(KEY))[KEY] ?? {};
}

/**
 * One event of `tabs.onUpdated`, in the order they came: notes a settled page,
 * and tells whether a load left the page before (then its frames are gone).
 * @param {number} tabId
 * @param {{status?: string}} change
 * @param {{url?: string}} [tab]
 * @returns {Promise<boolean>} true when the tab's page was left
 */
export function pageUpdated(tabId, change, tab) {
  return serialized(KEY, async () => {
    const pages = await settledPages();
    if (change.status === 'complete' && tab?.url) {
      pages[tabId] = tab.url;
      await ext.storage.session.set({ [KEY]: pages });
      return false;
    }
    if (change.status !== 'loading') return false;
    const left = leavesPage(pages[tabId], tab?.url);
    if (left && tabId in pages) {
      delete pages[tabId];
      await ext.storage.session.set({ [KEY]: pages });
    }
    return left;
  });
}

/** Forgets a closed tab's page. @param {number} tabId */
export function tabClosed(tabId) {
  return serialized(KEY, async () => {
    const pages = await settledPages();
    if (!(tabId in pages)) return;
    delete pages[tabId];
    await ext.storage.session.set({ [KEY]: pages });
  });
}
