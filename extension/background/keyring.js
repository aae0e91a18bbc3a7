import { ext } from '../shared/browser.js';
import { addressOf, lowerCase } from '../shared/addresses.js';
import { core } from './core.js';
import { fail, failSaying } from './errors.js';
import { getValue, setValue } from './idb.js';
import { serialized } from './serial.js';

/**
 * The keyring lives in the extension's IndexedDB (`idb.js`), where content
 * scripts cannot read it (they can read `storage.local`, where earlier
 * versions kept it), under one name so that every change is a single atomic
 * write; the background may be stopped between any two requests.
 *
 * Entry: `{fingerprint, publicKey, privateKey|null, source, trust, addedAt}`;
 * `privateKey` is always locked in every packet (import and generation
 * refuse anything else), `trust` is 'own' | 'unverified' | 'verified' | 'rejected'.
 */
const KEY = 'keyring';
let migrated = null;

/** @returns {Promise<{keys: Record<string, object>, defaultKey: string|null}>} */
export async function load() {
  migrated ??= migrate().catch((error) => {
    migrated = null;
    throw error;
  });
  await migrated;
  const stored = await getValue(KEY);
  return { keys: stored?.keys ?? {}, defaultKey: stored?.defaultKey ?? null };
}

/**
 * Moves a keyring an earlier version kept in `storage.local` into IndexedDB,
 * merged with what is there (nothing is replaced), then deletes it there.
 */
function migrate() {
  return serialized(KEY, async () => {
    const old = (await ext.storage.local.get(KEY))[KEY];
    if (!old) return;
    const ring = (await getValue(KEY)) ?? { keys: {}, defaultKey: null };
    for (const [fingerprint, entry] of Object.entries(old.keys ?? {})) ring.keys[fingerprint] ??= entry;
    ring.defaultKey ??= old.defaultKey ?? null;
    await setValue(KEY, ring);
    await ext.storage.local.remove(KEY);
  });
}

/**
 * Applies `change` to the stored keyring and writes it back.
 * @template T
 * @param {(ring: {keys: Record<string, object>, defaultKey: string|null}) => T} change
 * @returns {Promise<T>}
 */
export async function update(change) {
  await load();
  return serialized(KEY, async () => {
    const ring = await load();
    const result = await change(ring);
    await setValue(KEY, ring);
    return result;
  });
}

/**
 * One entry, or a NO_SUCH_KEY error.
 * @param {string} fingerprint
 */
export async function entry(fingerprint) {
  const found = (await load()).keys[fingerprint];
  if (!found) failSaying('NO_SUCH_KEY', 'detailNoKeyWithFingerprint', [fingerprint]);
  return found;
}

/**
 * Every entry with its current key information (validity is computed now,
 * never stored, so expiry shows up without a migration).
 */
export async function describeAll() {
  const sealmark = await core();
  const ring = await load();
  return Object.values(ring.keys).map((stored) => {
    const secret = stored.privateKey ? sealmark.readKey(stored.privateKey) : null;
    return {
      fingerprint: stored.fingerprint,
      source: stored.source,
      trust: stored.trust,
      addedAt: stored.addedAt,
      own: Boolean(stored.privateKey),
      locked: secret?.locked ?? null,
      protection: secret?.protection ?? null,
      isDefault: ring.defaultKey === stored.fingerprint,
      backedUpAt: stored.backedUpAt ?? null,
      info: sealmark.readKey(stored.publicKey),
    };
  });
}

/**
 * The user's own keys, each with what the core reads in it, and the keyring they came from.
 * @returns {Promise<{ring: any, own: {stored: any, info: any}[]}>}
 */
async function ownKeys() {
  const [sealmark, ring] = await Promise.all([core(), load()]);
  const own = Object.values(ring.keys)
    .filter((stored) => stored.privateKey)
    .map((stored) => ({ stored, info: sealmark.readKey(stored.publicKey) }));
  return { ring, own };
}

/** The addresses of the user's own keys. */
export async function ownAddresses() {
  const { own } = await ownKeys();
  return new Set(own.flatMap(({ info }) => info.user_ids.map(addressOf).filter(Boolean)));
}

/**
 * Other people's certificates for an address that can encrypt now, rejected
 * ones and the user's own keys left out: an own key carrying someone else's
 * address (made by mistake, or slipped in) must never receive their mail.
 * @param {string} address
 */
export async function certificatesFor(address) {
  const wanted = lowerCase(address.trim());
  const sealmark = await core();
  const found = [];
  for (const stored of Object.values((await load()).keys)) {
    if (stored.trust === 'rejected' || stored.privateKey) continue;
    const info = sealmark.readKey(stored.publicKey);
    if (info.can_encrypt && info.user_ids.some((id) => addressOf(id) === wanted)) found.push({ stored, info });
  }
  return found;
}

/**
 * The one key a recipient's mail is encrypted to. A verified key wins; a
 * single candidate is used; several leave the choice to the user (`chosen`,
 * a fingerprint among them). `self`: the address is one of the user's own and
 * the copy to self covers it.
 * @param {string} address
 * @param {string|undefined} chosen
 * @returns {Promise<{state: 'ok'|'choose'|'missing'|'self', keys: object[], key: object|null}>}
 */
export async function recipientKey(address, chosen) {
  const keys = await certificatesFor(address);
  const verified = keys.filter((k) => k.stored.trust === 'verified');
  const picked = keys.find((k) => k.info.fingerprint === chosen);
  const key = picked ?? (verified.length === 1 ? verified[0] : keys.length === 1 ? keys[0] : null);
  if (key) return { state: 'ok', keys, key };
  if (keys.length) return { state: 'choose', keys, key: null };
  if ((await ownAddresses()).has(lowerCase(address.trim()))) return { state: 'self', keys, key: null };
  return { state: 'missing', keys, key: null };
}

/** The default own key, or the only own key, or a NO_OWN_KEY error. */
export async function defaultOwnKey() {
  const ring = await load();
  const own = Object.values(ring.keys).filter((k) => k.privateKey);
  const chosen = ring.keys[ring.defaultKey] ?? own[0];
  if (!chosen?.privateKey) fail('NO_OWN_KEY', 'You have no key yet: generate or import one in Sealmark\'s options.');
  return chosen;
}

/**
 * The own key a message is signed with and copied to: the one the person chose in Sealmark's
 * editor, else the default. A fingerprint that is not an own key is refused, never replaced.
 * @param {unknown} fingerprint
 */
export async function ownKey(fingerprint) {
  if (fingerprint === undefined || fingerprint === null) return defaultOwnKey();
  const ring = await load();
  const found = Object.hasOwn(ring.keys, String(fingerprint)) ? ring.keys[String(fingerprint)] : null;
  if (!found?.privateKey) failSaying('NO_SUCH_KEY', 'detailSigningKeyNotOwn');
  return found;
}

/**
 * The person's identities for a message sent from `address` (what the webmail's From shows):
 * their own keys that can sign, and the one that fits that address (the default key first
 * among several), or null when none carries it.
 * @param {string|null} address
 */
export async function identitiesFor(address) {
  const { ring, own } = await ownKeys();
  const keys = own
    .filter(({ info }) => info.can_sign)
    .map(({ stored, info }) => ({ fingerprint: stored.fingerprint, userIds: info.user_ids, isDefault: ring.defaultKey === stored.fingerprint }))
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  const wanted = address ? lowerCase(address.trim()) : null;
  const fits = wanted ? keys.find((key) => key.userIds.some((id) => addressOf(id) === wanted)) : null;
  return { keys, fits: fits?.fingerprint ?? null };
}

/**
 * Re-locks an own key with Argon2 once its passphrase has just proved right:
 * keys made by earlier versions, or imported locked with GnuPG's iterated
 * S2K, become memory-hard at rest on their first use. Best effort: the
 * operation the user asked for never fails because of it.
 * @param {{fingerprint: string, privateKey: string|null}} key
 * @param {string|undefined} passphrase
 */
export async function strengthenLock(key, passphrase) {
  if (!key.privateKey || typeof passphrase !== 'string' || !passphrase) return;
  try {
    const sealmark = await core();
    if (sealmark.readKey(key.privateKey).protection === 'argon2') return;
    const relocked = await sealmark.changePassphrase({ privateKey: key.privateKey, passphrase, newPassphrase: passphrase, protection: 'argon2' });
    await update((ring) => {
      const stored = ring.keys[key.fingerprint];
      if (stored?.privateKey === key.privateKey) stored.privateKey = relocked;
    });
  } catch {
    // The key stays as it was; the next use tries again.
  }
}
