import { ext } from '../shared/browser.js';
import { core } from './core.js';
import { fail } from './errors.js';
import { serialized } from './serial.js';

/**
 * The keyring lives in `storage.local` under one key so that every change is a
 * single atomic write; the worker may be stopped between any two requests.
 *
 * Entry: `{fingerprint, publicKey, privateKey|null, source, trust, addedAt}`;
 * `privateKey` is always passphrase-locked (import and generation refuse
 * anything else), `trust` is 'own' | 'unverified' | 'verified' | 'rejected'.
 */
const KEY = 'keyring';

/** @returns {Promise<{keys: Record<string, object>, defaultKey: string|null}>} */
export async function load() {
  const stored = (await ext.storage.local.get(KEY))[KEY];
  return { keys: stored?.keys ?? {}, defaultKey: stored?.defaultKey ?? null };
}

/** @param {{keys: Record<string, object>, defaultKey: string|null}} ring */
export async function save(ring) {
  await ext.storage.local.set({ [KEY]: ring });
}

/**
 * Applies `change` to the stored keyring and writes it back.
 * @template T
 * @param {(ring: {keys: Record<string, object>, defaultKey: string|null}) => T} change
 * @returns {Promise<T>}
 */
export function update(change) {
  return serialized(KEY, async () => {
    const ring = await load();
    const result = await change(ring);
    await save(ring);
    return result;
  });
}

/**
 * One entry, or a NO_SUCH_KEY error.
 * @param {string} fingerprint
 */
export async function entry(fingerprint) {
  const found = (await load()).keys[fingerprint];
  if (!found) fail('NO_SUCH_KEY', `No key with fingerprint ${fingerprint} is in the keyring.`);
  return found;
}

/**
 * Every entry with its current key information (validity is computed now,
 * never stored, so expiry shows up without a migration).
 */
export async function describeAll() {
  const sealmark = await core();
  const ring = await load();
  return Object.values(ring.keys).map((stored) => ({
    fingerprint: stored.fingerprint,
    source: stored.source,
    trust: stored.trust,
    addedAt: stored.addedAt,
    own: Boolean(stored.privateKey),
    locked: stored.privateKey ? sealmark.readKey(stored.privateKey).locked : null,
    isDefault: ring.defaultKey === stored.fingerprint,
    info: sealmark.readKey(stored.publicKey),
  }));
}

/** The e-mail address inside a user ID such as `Alice <alice@example.org>`, lower-cased. */
export function addressOf(userId) {
  const match = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(userId) ?? /^\s*([^<>\s]+@[^<>\s]+)\s*$/.exec(userId);
  return match ? match[1].toLowerCase() : null;
}

/**
 * Usable encryption certificates for an address, rejected ones left out.
 * @param {string} address
 */
export async function certificatesFor(address) {
  const wanted = address.trim().toLowerCase();
  const sealmark = await core();
  const found = [];
  for (const stored of Object.values((await load()).keys)) {
    if (stored.trust === 'rejected') continue;
    const info = sealmark.readKey(stored.publicKey);
    if (info.can_encrypt && info.user_ids.some((id) => addressOf(id) === wanted)) found.push({ stored, info });
  }
  return found;
}

/** The default own key, or the only own key, or a NO_OWN_KEY error. */
export async function defaultOwnKey() {
  const ring = await load();
  const own = Object.values(ring.keys).filter((k) => k.privateKey);
  const chosen = ring.keys[ring.defaultKey] ?? own[0];
  if (!chosen?.privateKey) fail('NO_OWN_KEY', 'You have no key yet: generate or import one in Sealmark\'s options.');
  return chosen;
}
