import { ext } from '../shared/browser.js';
import { fail } from './errors.js';
import { settings } from './settings.js';
import { serialized } from './serial.js';

/**
 * Unlocking passphrases are cached only in `storage.session` (memory, never
 * on disk, and not readable by content scripts) and only until they expire.
 * The cache saves typing; it never replaces the click that asks for an
 * operation, which always happens in an extension page.
 */
const KEY = 'passphrases';
const ALARM = 'sealmark-passphrase-expiry';

async function stored() {
  return (await ext.storage.session.get(KEY))[KEY] ?? {};
}

/**
 * The cached passphrase of a key, if it has not expired.
 * @param {string} fingerprint
 * @returns {Promise<string|undefined>}
 */
export async function cached(fingerprint) {
  const all = await stored();
  const hit = all[fingerprint];
  if (!hit) return undefined;
  if (hit.expiresAt > Date.now()) return hit.passphrase;
  await forgetExpired();
  return undefined;
}

/**
 * Caches a passphrase for the configured time (no caching when it is 0).
 * @param {string} fingerprint
 * @param {string} passphrase
 */
export async function remember(fingerprint, passphrase) {
  const { passphraseSeconds } = await settings();
  if (!(passphraseSeconds > 0)) return;
  await serialized(KEY, async () => {
    const all = await stored();
    all[fingerprint] = { passphrase, expiresAt: Date.now() + passphraseSeconds * 1000 };
    await ext.storage.session.set({ [KEY]: all });
    await ext.alarms.create(ALARM, { when: Math.min(...Object.values(all).map((e) => e.expiresAt)) });
  });
}

/** Drops every expired entry; re-arms the alarm for the next one. */
export function forgetExpired() {
  return serialized(KEY, dropExpired);
}

async function dropExpired() {
  const now = Date.now();
  const kept = Object.fromEntries(Object.entries(await stored()).filter(([, e]) => e.expiresAt > now));
  await ext.storage.session.set({ [KEY]: kept });
  const next = Object.values(kept).map((e) => e.expiresAt);
  if (next.length) await ext.alarms.create(ALARM, { when: Math.min(...next) });
}

/** "Lock now": forgets every cached passphrase. */
export function forgetAll() {
  return serialized(KEY, async () => {
    await ext.storage.session.remove(KEY);
    await ext.alarms.clear(ALARM);
  });
}

/** Fingerprints with a live cached passphrase. */
export async function unlockedKeys() {
  const now = Date.now();
  return Object.entries(await stored())
    .filter(([, e]) => e.expiresAt > now)
    .map(([fingerprint]) => fingerprint);
}

/**
 * The passphrase for an operation the user has just asked for in a Sealmark
 * page: the one typed now, else the cached one; a NEED_PASSPHRASE error names
 * the key otherwise.
 */
export async function passphraseFor(key, typed) {
  if (typeof typed === 'string' && typed) return typed;
  const hit = await cached(key.fingerprint);
  if (hit) return hit;
  fail('NEED_PASSPHRASE', key.fingerprint);
}

/** Caches a typed passphrase once an operation has proved it right. */
export async function rememberIfAsked(key, typed, asked) {
  if (asked && typeof typed === 'string' && typed) await remember(key.fingerprint, typed);
}

/** Name of the alarm background.js forwards to {@link forgetExpired}. */
export const EXPIRY_ALARM = ALARM;
