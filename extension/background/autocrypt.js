import { ext } from '../shared/browser.js';
import { core } from './core.js';
import { serialized } from './serial.js';
import { settings } from './settings.js';

/** Per-peer Autocrypt state (Level 1 §2.3), by lower-cased address, in `storage.local`. */
const KEY = 'autocrypt';

async function peers() {
  return (await ext.storage.local.get(KEY))[KEY] ?? {};
}

/**
 * Updates the sender's Autocrypt state from a received message's raw
 * source. Keys learnt this way are never used without the user's click.
 * @param {string} raw
 * @returns {Promise<object>} the observation (why a header was ignored, if it was)
 */
export async function observeMessage(raw) {
  const sealmark = await core();
  const seen = sealmark.autocryptObserve(raw, Math.floor(Date.now() / 1000));
  if (!seen.from) return seen;
  await serialized(KEY, async () => {
    const all = await peers();
    all[seen.from] = sealmark.autocryptUpdate(all[seen.from] ?? null, seen);
    await ext.storage.local.set({ [KEY]: all });
  });
  return seen;
}

/** The peer state of an address, or null. */
export async function peerState(address) {
  return (await peers())[address.trim().toLowerCase()] ?? null;
}

/** The Level 1 recommendation for writing to an address. */
export async function recommendation(address) {
  const { preferEncrypt } = await settings();
  return (await core()).autocryptRecommend(await peerState(address), preferEncrypt, false);
}

/**
 * Keeps the keys a sender gossiped for the other recipients of an encrypted
 * message (Level 1 §2.7); they only ever discourage-level recommend.
 * @param {string} entity  the decrypted MIME entity
 */
export async function observeGossip(entity) {
  const sealmark = await core();
  const headers = sealmark.autocryptGossip(entity);
  if (!headers.length) return;
  const now = Math.floor(Date.now() / 1000);
  await serialized(KEY, async () => {
    const all = await peers();
    for (const header of headers) all[header.addr] = sealmark.autocryptUpdateGossip(all[header.addr] ?? null, header, now);
    await ext.storage.local.set({ [KEY]: all });
  });
}
