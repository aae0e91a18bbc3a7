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
    await ext.storage.session.set({ [recordKey(id)]: { ...record, createdAt: Date.now() }, [INDEX]: index });
    if (dropped.length) await ext.storage.session.remove(dropped.map((e) => recordKey(e.id)));
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
  const record = (await ext.storage.session.get(key))[key];
  if (!record) fail('FRAME_GONE', 'This Sealmark frame has expired; reload the page.');
  if (sender.tab?.id !== record.tabId) fail('FORBIDDEN_SENDER', 'This frame belongs to another tab.');
  return record;
}
