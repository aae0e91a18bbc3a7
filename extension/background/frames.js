import { ext } from '../shared/browser.js';
import { fail } from './errors.js';
import { serialized } from './serial.js';

/**
 * What an editor or reader frame was opened for. Content scripts create the
 * record; only a Sealmark frame in the same tab may read it. Kept in
 * `storage.session` so a restarted worker still knows its frames.
 */
const KEY = 'frames';
const MAX_FRAMES = 200;
const MAX_ARMORED = 32 * 1024 * 1024;

/**
 * Stores what a frame shows and returns its id. With a `key` (a message's
 * id in the webmail), the frame already opened for it in the same tab is
 * reused: analysis and decryption state are cached per message.
 * @param {{kind: 'compose'|'read'|'route', tabId: number, frameId: number, origin: string, data: object, key?: string, id?: string}} record
 * @returns {Promise<string>} the frame's id
 */
export function openFrame(record) {
  return serialized(KEY, () => storeFrame(record));
}

async function storeFrame(record) {
  if (typeof record.data?.armored === 'string' && record.data.armored.length > MAX_ARMORED) {
    fail('TOO_LARGE', 'This block is larger than Sealmark reads in a page (32 MiB).');
  }
  const frames = (await ext.storage.session.get(KEY))[KEY] ?? {};
  if (record.key) {
    const known = Object.entries(frames).find(([, r]) => r.key === record.key && r.tabId === record.tabId && r.kind === record.kind);
    if (known) return known[0];
  }
  // A content script may name the frame up front (a fresh UUID) so the frame page loads while the work is done.
  const proposed = typeof record.id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(record.id);
  const id = proposed && !frames[record.id] ? record.id : crypto.randomUUID();
  delete record.id;
  frames[id] = { ...record, createdAt: Date.now() };
  const ids = Object.keys(frames);
  for (const old of ids.slice(0, Math.max(0, ids.length - MAX_FRAMES))) delete frames[old];
  await ext.storage.session.set({ [KEY]: frames });
  return id;
}

/**
 * The record of a frame, for a Sealmark page running in the same tab.
 * @param {string} id
 * @param {chrome.runtime.MessageSender} sender
 */
export async function frameFor(id, sender) {
  const record = ((await ext.storage.session.get(KEY))[KEY] ?? {})[id];
  if (!record) fail('FRAME_GONE', 'This Sealmark frame has expired; reload the page.');
  if (sender.tab?.id !== record.tabId) fail('FORBIDDEN_SENDER', 'This frame belongs to another tab.');
  return record;
}
