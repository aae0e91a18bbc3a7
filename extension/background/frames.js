import { ext } from '../shared/browser.js';
import { fail } from './errors.js';
import { serialized } from './serial.js';

/**
 * What an editor, reader or route frame was opened for. Content scripts
 * create the record; only a Sealmark frame in the same tab may read it. Kept
 * in `storage.session` so a restarted worker still knows its frames: each
 * record under its own key (a frame reads only its own), plus a small index
 * for reuse and pruning.
 */
const INDEX = 'frameIndex';
const recordKey = (id) => `frame:${id}`;
const MAX_FRAMES = 200;
const MAX_ARMORED = 32 * 1024 * 1024;
const arrivals = new Map(); // id → resolvers of frames waiting for their record
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Stores what a frame shows and returns its id. With a `key` (a message's
 * id in the webmail), the frame already opened for it in the same tab is
 * reused: analysis and decryption state are cached per message. A content
 * script may name the frame up front (a fresh UUID as `id`) so that the
 * frame page loads while the work is done.
 * @param {{kind: 'compose'|'read'|'route', tabId: number, frameId: number, origin: string, data: object, key?: string, id?: string}} record
 * @returns {Promise<string>} the frame's id
 */
export function openFrame({ id: proposed, ...record }) {
  if (typeof record.data?.armored === 'string' && record.data.armored.length > MAX_ARMORED) {
    fail('TOO_LARGE', 'This block is larger than Sealmark reads in a page (32 MiB).');
  }
  return serialized(INDEX, async () => {
    const index = (await ext.storage.session.get(INDEX))[INDEX] ?? [];
    if (record.key) {
      const known = index.find((e) => e.key === record.key && e.tabId === record.tabId && e.kind === record.kind);
      if (known) return known.id;
    }
    const id = typeof proposed === 'string' && UUID.test(proposed) && !index.some((e) => e.id === proposed) ? proposed : crypto.randomUUID();
    index.push({ id, key: record.key ?? null, tabId: record.tabId, kind: record.kind });
    const dropped = index.splice(0, Math.max(0, index.length - MAX_FRAMES));
    const stored = { ...record, createdAt: Date.now() };
    await ext.storage.session.set({ [recordKey(id)]: stored, [INDEX]: index });
    if (dropped.length) await ext.storage.session.remove(dropped.map((e) => recordKey(e.id)));
    for (const resolve of arrivals.get(id) ?? []) resolve(stored);
    arrivals.delete(id);
    return id;
  });
}

/**
 * The record of a frame, for a Sealmark page running in the same tab.
 * @param {string} id
 * @param {chrome.runtime.MessageSender} sender
 */
export async function frameFor(id, sender) {
  const key = recordKey(String(id));
  return checked((await ext.storage.session.get(key))[key], sender);
}

function checked(record, sender) {
  if (!record) fail('FRAME_GONE', 'This Sealmark frame has expired; reload the page.');
  if (sender.tab?.id !== record.tabId) fail('FORBIDDEN_SENDER', 'This frame belongs to another tab.');
  return record;
}

/**
 * Like {@link frameFor}, but a frame that started loading before its record
 * was stored (the route strip loads while the message is analysed) gets the
 * record the moment it is stored, or FRAME_GONE after `ms`.
 * @param {string} id
 * @param {chrome.runtime.MessageSender} sender
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
    const stored = (await ext.storage.session.get(recordKey(key)))[recordKey(key)];
    return checked(stored ?? (await Promise.race([arrived, new Promise((resolve) => (timer = setTimeout(resolve, ms)))])), sender);
  } finally {
    clearTimeout(timer);
    const rest = (arrivals.get(key) ?? []).filter((r) => r !== resolveArrival);
    if (rest.length) arrivals.set(key, rest);
    else arrivals.delete(key);
  }
}
