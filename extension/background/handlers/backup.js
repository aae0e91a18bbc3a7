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

/**
 * The webmail a tab shows, as its content script recognised it, or null; `place` is the account
 * open in it (accountPlace), which the person is offered to send with.
 */
async function webmailOf(tab) {
  if (typeof tab?.id !== 'number' || !(await enabledOrigin(tab.url))) return null;
  // The top frame's: the webmail's own frames (Roundcube's message pane) may be recognised as no webmail.
  const kind = await ext.tabs.sendMessage(tab.id, { type: 'sealmark.adapter' }, { frameId: 0 }).then((reply) => resultOf(reply, 'TAB_GONE')).catch(() => null);
  if (!COMPOSE_KINDS.has(kind)) return null;
  return { tabId: tab.id, origin: new URL(tab.url).origin, place: accountPlace(kind, tab.url)?.href ?? null, kind };
}

/**
 * The open webmails to offer, one per account: tabs of the same account (an inbox and the compose
 * windows it opened) would be the same offer several times over.
 * @param {({tabId: number, origin: string, place: string|null, kind: string}|null)[]} webmails
 */
function onePerAccount(webmails) {
  const seen = new Set();
  return webmails.filter((webmail) => webmail && !seen.has(webmail.place) && seen.add(webmail.place));
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
  'backup.webmails': {
    run: async () => onePerAccount(await Promise.all((await ext.tabs.query({})).map(webmailOf))),
  },
  'backup.send': {
    run: async ({ tabId, fingerprint, armored }) => {
      const text = backupText(armored);
      const tab = await ext.tabs.get(Number(tabId)).catch(() => null);
      const webmail = await webmailOf(tab);
      if (!webmail) fail('NO_WEBMAIL_TAB', 'That webmail tab is closed or no longer Sealmark\'s.');
      const stored = await entry(String(fingerprint));
      const to = (await core()).readKey(stored.publicKey).user_ids.map(addressOf).find(Boolean);
      if (!to) failSaying('BAD_INPUT', 'detailBackupNoAddress');
      const body = `${ext.i18n.getMessage('backupMailBody')}\n\n${text}`;
      const url = composeUrl(webmail.kind, tab.url, { to, subject: ext.i18n.getMessage('backupMailSubject'), body });
      if (!url || url.length > URL_CHARS) fail('BACKUP_TOO_LONG', '');
      await ext.tabs.create({ url, index: tab.index + 1, windowId: tab.windowId });
      return { origin: webmail.origin, to };
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
