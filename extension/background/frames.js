import { fail, failSaying } from './errors.js';
import { getValue, settled, transaction } from './idb.js';
import { LIMITS } from './limits.js';
import { serialized } from './serial.js';

/**
 * What an editor, reader or route frame was opened for. Content scripts
 * create the record; only a Sealmark frame in the same tab, still showing
 * the site that opened it, may read it. Records live in the extension's
 * IndexedDB, so a restarted background still knows its frames, whole
 * ciphertexts do not crowd `storage.session` (10 MB in Chrome, shared with
 * the passphrase cache: two large PGP/MIME mails used to break both), and no
 * content script can read them. A small index (id, tab, kind, key, size)
 * decides reuse and pruning without loading the records; records go when
 * their tab closes or reloads, and the oldest when there are too many or they
 * are too large together.
 */
const INDEX = 'frameIndex';
const arrivals = new Map(); // id → resolvers of frames waiting for their record
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** @typedef {{id: string, tabId: number, kind: string, key: string|null, digest?: string|null, size: number}} IndexEntry */

/** @returns {Promise<IndexEntry[]>} */
async function index() {
  return (await getValue(INDEX)) ?? [];
}

/**
 * Stores what a frame shows and returns its id. With a `key` (a message's
 * id in the webmail), the frame already opened for it in the same tab is
 * reused: analysis and decryption state are cached per message. An id names
 * a message only within one mailbox, so where a `digest` of the content is
 * given, a frame is reused only for the same content, and one opened for
 * other content under the same key is dropped (another account signed in
 * the same tab). A content script may name the frame up front (a fresh UUID
 * as `id`) so that the frame page loads while the work is done.
 * @param {{kind: 'compose'|'read'|'route', tabId: number, frameId: number, origin: string, data: object, key?: string, digest?: string, id?: string}} record
 * @returns {Promise<string>} the frame's id
 */
export function openFrame({ id: proposed, ...record }) {
  const size = JSON.stringify(record.data ?? null).length;
  if (size > LIMITS.armoredBytes + 1024 * 1024) failSaying('TOO_LARGE', 'detailPageTooLarge', [LIMITS.armoredBytes / 1024 / 1024]);
  return serialized(INDEX, async () => {
    const entries = await index();
    const replaced = [];
    if (record.key) {
      const known = entries.find((e) => e.key === record.key && e.tabId === record.tabId && e.kind === record.kind);
      if (known && (known.digest ?? null) === (record.digest ?? null)) return known.id;
      if (known) replaced.push(...entries.splice(entries.indexOf(known), 1));
    }
    const id = typeof proposed === 'string' && UUID.test(proposed) && !entries.some((e) => e.id === proposed) ? proposed : crypto.randomUUID();
    const stored = { ...record, id, key: record.key ?? null, createdAt: Date.now() };
    entries.push({ id, tabId: record.tabId, kind: record.kind, key: stored.key, digest: record.digest ?? null, size });
    const dropped = [...replaced, ...prune(entries)];
    await transaction(['kv', 'frames'], 'readwrite', (tx) => {
      const frames = tx.objectStore('frames');
      frames.put(stored);
      for (const old of dropped) frames.delete(old.id);
      tx.objectStore('kv').put(entries, INDEX);
    });
    for (const resolve of arrivals.get(id) ?? []) resolve(stored);
    arrivals.delete(id);
    return id;
  });
}

/** Removes the oldest entries beyond the count and size limits, and returns them. */
function prune(entries) {
  const dropped = [];
  let total = entries.reduce((sum, e) => sum + e.size, 0);
  while (entries.length > 1 && (entries.length > LIMITS.frames || total > LIMITS.frameBytes)) {
    const old = entries.shift();
    total -= old.size;
    dropped.push(old);
  }
  return dropped;
}

/**
 * Forgets every frame of a tab: it was closed, or it is loading another page
 * (its frames are gone with the old page).
 * @param {number} tabId
 */
export function forgetTab(tabId) {
  return serialized(INDEX, async () => {
    const entries = await index();
    const gone = entries.filter((e) => e.tabId === tabId);
    if (!gone.length) return;
    await transaction(['kv', 'frames'], 'readwrite', (tx) => {
      for (const old of gone) tx.objectStore('frames').delete(old.id);
      tx.objectStore('kv').put(entries.filter((e) => e.tabId !== tabId), INDEX);
    });
  });
}

/**
 * The record a content script opened for a message (`key`) in a tab, or null.
 * @param {number} tabId
 * @param {string} kind
 * @param {string} key
 */
export async function recordByKey(tabId, kind, key) {
  const entry = (await index()).find((e) => e.tabId === tabId && e.kind === kind && e.key === key);
  return entry ? ((await stored(entry.id)) ?? null) : null;
}

async function stored(id) {
  return transaction(['frames'], 'readonly', (tx) => settled(tx.objectStore('frames').get(String(id))));
}

/**
 * The record of a frame, for a Sealmark page running in the same tab, while
 * that tab still shows the origin that opened the frame.
 * @param {string} id
 * @param {import('../shared/browser.js').MessageSender} sender
 */
export async function frameFor(id, sender) {
  return checked(await stored(id), sender);
}

function checked(record, sender) {
  if (!record) fail('FRAME_GONE', 'This Sealmark frame has expired; reload the page.');
  let origin = null;
  try {
    origin = new URL(sender.tab?.url ?? '').origin;
  } catch {
    // No URL for the tab: it cannot be shown to match.
  }
  // A page that copies a frame's address into another tab, or keeps the tab and goes elsewhere, gets nothing.
  if (sender.tab?.id !== record.tabId || origin !== record.origin) fail('FORBIDDEN_SENDER', 'This frame belongs to another tab or site.');
  return record;
}

/**
 * Like {@link frameFor}, but a frame that started loading before its record
 * was stored (the route strip loads while the message is analysed) gets the
 * record the moment it is stored, or FRAME_GONE after `ms`.
 * @param {string} id
 * @param {import('../shared/browser.js').MessageSender} sender
 * @param {number} ms
 */
export async function frameWhenStored(id, sender, ms) {
  const key = String(id);
  let resolveArrival;
  const arrived = new Promise((resolve) => (resolveArrival = resolve));
  arrivals.set(key, [...(arrivals.get(key) ?? []), resolveArrival]);
  let timer;
  try {
    // Registered before looking, so a record stored in between is not missed.
    const found = await stored(key);
    return checked(found ?? (await Promise.race([arrived, new Promise((resolve) => (timer = setTimeout(resolve, ms)))])), sender);
  } finally {
    clearTimeout(timer);
    const rest = (arrivals.get(key) ?? []).filter((r) => r !== resolveArrival);
    if (rest.length) arrivals.set(key, rest);
    else arrivals.delete(key);
  }
}
