// A key backup sent to oneself and found again. Out: through the webmail the person has open, as
// that webmail's own compose screen addressed to them with the Autocrypt Setup Message as its
// text (locked by the setup code, which never leaves Sealmark's pages). Back: a reader frame that
// finds it in the mailbox hands it to the key manager, where the person types its setup code; the
// page that showed it gets no way to import anything.
import { resultOf } from '../../shared/protocol.js';
import { ext } from '../../shared/browser.js';
import { addressOf } from '../../shared/addresses.js';
import { COMPOSE_KINDS, accountPlace, composeUrl } from '../../shared/compose-url.js';
import { isSetupMessage } from '../../shared/setup-message.js';
import { core } from '../core.js';
import { fail, failSaying } from '../errors.js';
import { entry } from '../keyring.js';
import { enabledOrigin } from '../sites.js';

/**
 * Web servers refuse longer addresses (Apache's and nginx's default request line is 8 KB): a larger
 * backup (RSA 4096) is saved as a file instead, and no address carries it into server logs.
 */
const URL_CHARS = 8000;
const PENDING = 'restore:';

/** Firefox's cookie jars a tab opened beside another gets by itself: the window's own. */
const WINDOW_JARS = new Set([undefined, 'firefox-default', 'firefox-private']);

/**
 * The webmail a tab in a normal window shows, as its content script recognised it, or null.
 * `place` is the account open in it (accountPlace), `profile` whether the window is private:
 * the same address there can be another account. A pop-up window has no tab beside it for the
 * compose screen; a Firefox container's tab would open its compose screen outside the container,
 * where another account may be signed in (choosing the container needs the cookies permission).
 * Both are left out.
 * @param {any} tab
 * @returns {Promise<{tab: any, kind: string, place: string, profile: string}|null>}
 */
async function webmailOf(tab) {
  if (typeof tab?.id !== 'number' || !WINDOW_JARS.has(tab.cookieStoreId) || !(await enabledOrigin(tab.url))) return null;
  // The top frame's: the webmail's own frames (Roundcube's message pane) may be recognised as no webmail.
  const kind = await ext.tabs.sendMessage(tab.id, { type: 'sealmark.adapter' }, { frameId: 0 }).then((reply) => resultOf(reply, 'TAB_GONE')).catch(() => null);
  const place = COMPOSE_KINDS.has(kind) ? accountPlace(kind, tab.url) : null;
  const profile = tab.incognito ? 'private' : 'normal';
  return place ? { tab, kind, place: place.href, profile } : null;
}

/** The webmails open in normal windows' tabs. */
async function openWebmails() {
  return (await Promise.all((await ext.tabs.query({ windowType: 'normal' })).map(webmailOf))).filter((webmail) => webmail !== null);
}

/**
 * The webmail accounts open in tabs, one offer each (an inbox and the compose windows it opened
 * are one account). An offer is named by its site, and by the account where one site has several
 * (Gmail's `…/mail/u/1/`, a second Roundcube folder): the rest of an address is the page's to
 * choose, and is shown only after its site.
 * @returns {Promise<{place: string, profile: string, kind: string, label: string}[]>}
 */
async function openAccounts() {
  const offers = new Map();
  for (const { place, profile, kind } of await openWebmails()) {
    if (!offers.has(`${profile} ${place}`)) offers.set(`${profile} ${place}`, { place, profile, kind, site: new URL(place).origin });
  }
  const places = new Map();
  for (const { site, place } of offers.values()) places.set(site, new Set(places.get(site)).add(place));
  return [...offers.values()].map(({ place, profile, kind, site }) => ({ place, profile, kind, label: kind === 'gmail' || places.get(site).size > 1 ? place : site }));
}

/**
 * A tab open now on the account `place` in a window of the kind `profile`, the asking page's window's
 * first: the tab the offer was made from may have closed (a compose window, once sent) or moved
 * to another account since.
 * @param {unknown} place
 * @param {unknown} profile
 * @param {number|undefined} windowId  the asking page's window
 */
async function accountTab(place, profile, windowId) {
  const open = (await openWebmails()).filter((webmail) => webmail.place === place && webmail.profile === profile);
  return open.find((webmail) => webmail.tab.windowId === windowId) ?? open[0] ?? null;
}

/** A setup message the page asks to send, checked to be one. */
function backupText(armored) {
  if (typeof armored !== 'string' || !isSetupMessage(armored)) failSaying('BAD_INPUT', 'detailNotBackup');
  return armored;
}

/**
 * Keeps a backup found in the mailbox for the key manager the frame opens: in the browser's
 * session storage, which no web page or content script reaches, under a token only that tab's
 * address carries; with whom the message says it is from, for the person to judge.
 * @param {string} armored
 * @param {string|null} sender
 */
export async function offerRestore(armored, sender) {
  const token = crypto.randomUUID();
  await ext.storage.session.set({ [PENDING + token]: { text: backupText(armored), sender: typeof sender === 'string' ? sender : null } });
  await ext.tabs.create({ url: ext.runtime.getURL(`pages/options/options.html#restore=${token}`) });
}

/** The requests of the pages that make and restore backups. */
export const backupHandlers = {
  'backup.webmails': { run: openAccounts },
  'backup.send': {
    run: async ({ place, profile, fingerprint, armored }, sender) => {
      const text = backupText(armored);
      const webmail = await accountTab(place, profile, sender?.tab?.windowId);
      if (!webmail) fail('NO_WEBMAIL_TAB', 'No tab of that webmail account is open now.');
      const stored = await entry(String(fingerprint));
      const to = (await core()).readKey(stored.publicKey).user_ids.map(addressOf).find(Boolean);
      if (!to) failSaying('BAD_INPUT', 'detailBackupNoAddress');
      const body = `${ext.i18n.getMessage('backupMailBody')}\n\n${text}`;
      const { tab } = webmail;
      const url = composeUrl(webmail.kind, tab.url, { to, subject: ext.i18n.getMessage('backupMailSubject'), body });
      if (!url || url.length > URL_CHARS) fail('BACKUP_TOO_LONG', '');
      // Beside the webmail's tab, in its window: the account's cookies are that window's.
      await ext.tabs.create({ url, index: tab.index + 1, windowId: tab.windowId });
      return { origin: new URL(webmail.place).origin, to };
    },
  },
  'backup.pending': {
    run: async ({ token }) => {
      const key = PENDING + String(token);
      const found = (await ext.storage.session.get(key))[key];
      if (typeof found?.text !== 'string') fail('RESTORE_GONE', 'The backup was handed over already.');
      await ext.storage.session.remove(key);
      return found;
    },
  },
};
