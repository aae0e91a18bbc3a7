import { lowerCase } from '../shared/addresses.js';
import { ext } from '../shared/browser.js';
import { core } from './core.js';
import { getValue, setValue } from './idb.js';
import { LIMITS, keepNewest } from './limits.js';
import { serialized } from './serial.js';
import { settings } from './settings.js';

/**
 * Per-peer Autocrypt state (Level 1 §2.3), by lower-cased address, in the
 * extension's IndexedDB (whom the user corresponds with is nobody else's
 * business, and content scripts can read `storage.local`, where earlier
 * versions kept it). Bounded: a webmail page that shows thousands of
 * messages with Autocrypt headers keeps the most recently seen peers only.
 */
const KEY = 'autocrypt';
let migrated = null;

async function peers() {
  migrated ??= serialized(KEY, async () => {
    const old = (await ext.storage.local.get(KEY))[KEY];
    if (!old) return;
    await setValue(KEY, { ...old, ...((await getValue(KEY)) ?? {}) });
    await ext.storage.local.remove(KEY);
  }).catch((error) => {
    migrated = null;
    throw error;
  });
  await migrated;
  return (await getValue(KEY)) ?? {};
}

/** The peers kept: the most recently seen ones. */
function bounded(all) {
  return keepNewest(all, LIMITS.autocryptPeers, (peer) => Math.max(peer?.last_seen ?? 0, peer?.gossip_timestamp ?? 0));
}

/**
 * Updates the sender's Autocrypt state from a message the user opened. Keys
 * learnt this way are never used without the user's click.
 *
 * `outline` is the transport module's reading of the header: a message with
 * no Autocrypt field from somebody with no state yet teaches nothing worth
 * keeping (no key; and every newsletter would otherwise push real peers out
 * of the bounded table), so only then is the OpenPGP core left unloaded.
 * @param {string} raw  the message's source
 * @param {{ from: string | null, autocrypt: boolean }} outline  from the transport module's inspectMessage
 * @param {import('../wasm/sealmark.js').AutocryptObservation} [observed]  the core's reading, when it already read the message
 */
export async function learnFrom(raw, outline, observed) {
  if (!outline.from) return;
  if (!outline.autocrypt && !(await peerState(outline.from))) return;
  const sealmark = await core();
  const seen = observed ?? sealmark.readMessage(raw, Math.floor(Date.now() / 1000)).autocrypt;
  if (!seen.from) return;
  await peers();
  await serialized(KEY, async () => {
    const all = await peers();
    all[seen.from] = sealmark.autocryptUpdate(all[seen.from] ?? null, seen);
    await setValue(KEY, bounded(all));
  });
}

/** The peer state of an address, or null. */
export async function peerState(address) {
  return (await peers())[lowerCase(address.trim())] ?? null;
}

/** The Level 1 recommendation for writing to an address. */
export async function recommendation(address) {
  const { preferEncrypt } = await settings();
  return (await core()).autocryptRecommend(await peerState(address), preferEncrypt, false);
}

/**
 * Keeps the keys a sender gossiped for the other recipients of an encrypted
 * message (Level 1 §2.7); they only ever discourage-level recommend.
 * @param {import('../wasm/sealmark.js').AutocryptHeader[]} headers  the valid Autocrypt-Gossip headers `openMessage` found inside
 */
export async function keepGossip(headers) {
  if (!headers.length) return;
  const sealmark = await core();
  const now = Math.floor(Date.now() / 1000);
  await peers();
  await serialized(KEY, async () => {
    const all = await peers();
    for (const header of headers) all[header.addr] = sealmark.autocryptUpdateGossip(all[header.addr] ?? null, header, now);
    await setValue(KEY, bounded(all));
  });
}
