import { addressOf } from '../../shared/addresses.js';
import { MIN_SCORE, passphraseStrength } from '../../shared/strength.js';
import { core } from '../core.js';
import { fail, failSaying } from '../errors.js';
import { describeAll, entry, load, update } from '../keyring.js';
import { forgetAll, remember, unlockedKeys } from '../passphrases.js';
import { publishOnVks, wkdFiles } from '../publish.js';
import { fetchByFingerprint } from '../discovery.js';
import { settings } from '../settings.js';

/** Shorter passphrases are refused: the locked key file is only as strong as this. */
export const MIN_PASSPHRASE = 8;
const TYPES = new Set(['curve25519', 'rsa3072', 'rsa4096']);
/** rfc9980: a v6 Curve25519 key with an ML-KEM-768+X25519 encryption subkey (post-quantum, RFC 9980). */
const PROFILES = new Set(['rfc4880', 'rfc9580', 'rfc9980']);
/**
 * How keys stored here are locked: Argon2 for every key version, memory-hard
 * against a stolen profile; exports are re-locked the way GnuPG 2.2 reads.
 */
const STORED = 'argon2';

/** A new passphrase: long enough, and at least "fair" by the strength the pages show. */
export function requirePassphrase(passphrase) {
  if (typeof passphrase !== 'string' || passphrase.length < MIN_PASSPHRASE) {
    failSaying('WEAK_PASSPHRASE', 'detailPassphraseTooShort', [MIN_PASSPHRASE]);
  }
  if (passphraseStrength(passphrase).score < MIN_SCORE) {
    failSaying('WEAK_PASSPHRASE', 'detailPassphraseEasy');
  }
}

/**
 * What importing `incoming` would change for a key we already hold.
 * @param {import('../../wasm/sealmark.js').KeyInfo} before
 * @param {import('../../wasm/sealmark.js').KeyInfo} after
 */
function changesBetween(before, after) {
  const subkeys = new Set(before.subkeys.map((s) => s.fingerprint));
  const changes = [];
  for (const id of after.user_ids) if (!before.user_ids.includes(id)) changes.push({ kind: 'user_id', value: id });
  for (const sub of after.subkeys) if (!subkeys.has(sub.fingerprint)) changes.push({ kind: 'subkey', value: sub.fingerprint });
  if (after.primary.revoked && !before.primary.revoked) changes.push({ kind: 'revoked', value: after.fingerprint });
  if (after.primary.expires !== before.primary.expires) changes.push({ kind: 'expiry', value: after.primary.expires ?? 'never' });
  return changes;
}

/**
 * What a block of keys holds, compared with the keyring; nothing is stored.
 * Each entry says whether it holds secret material (`info.secret`) and
 * whether storing it would lock it first (`needsLock`).
 */
export async function previewImport(armored) {
  if (typeof armored !== 'string' || !armored.trim()) failSaying('BAD_INPUT', 'detailPasteKey');
  const sealmark = await core();
  const ring = await load();
  const others = Object.values(ring.keys).map((k) => ({ fingerprint: k.fingerprint, info: sealmark.readKey(k.publicKey) }));
  return sealmark.readKeys(armored).map(({ info, publicKey }) => {
    const known = ring.keys[info.fingerprint];
    let changes = [];
    if (known) changes = changesBetween(sealmark.readKey(known.publicKey), sealmark.readKey(sealmark.mergeKeys(known.publicKey, publicKey)));
    // A different key for an address we already have a key for: possibly an attack, never silent.
    const addresses = info.user_ids.map(addressOf).filter(Boolean);
    const conflicts = addresses.filter((address) =>
      others.some((other) => other.fingerprint !== info.fingerprint && other.info.user_ids.some((id) => addressOf(id) === address)));
    return { fingerprint: info.fingerprint, info, known: Boolean(known), changes, conflicts, needsLock: info.secret && !info.locked };
  });
}

/**
 * A preview of certificates from outside the user's own hands (a page, WKD,
 * keys.openpgp.org, Autocrypt): a block holding any secret material is
 * refused outright, loudly; secret keys enter only through the options page.
 */
export async function previewCertificates(armored) {
  const preview = await previewImport(armored);
  if (preview.some((key) => key.info.secret)) {
    failSaying('WRONG_KEY_KIND', 'detailSecretKeyFromPage');
  }
  return preview;
}

/**
 * Stores certificates (public keys only, as 'unverified' contacts) from a
 * source outside the options page; known certificates are merged.
 * @param {string} armored
 * @param {string[]} fingerprints
 * @param {'page'|'wkd'|'vks'|'autocrypt'|'pasted'} source
 */
export async function importCertificates(armored, fingerprints, source) {
  await previewCertificates(armored);
  const sealmark = await core();
  const chosen = new Set(fingerprints ?? []);
  const entries = sealmark.readKeys(armored).filter((e) => chosen.has(e.info.fingerprint));
  if (!entries.length) failSaying('BAD_INPUT', 'detailChooseKeyToImport');
  return update((ring) => {
    for (const { info, publicKey } of entries) {
      const known = ring.keys[info.fingerprint];
      ring.keys[info.fingerprint] = known
        ? { ...known, publicKey: sealmark.mergeKeys(known.publicKey, publicKey) }
        : { fingerprint: info.fingerprint, publicKey, privateKey: null, source, trust: 'unverified', addedAt: new Date().toISOString() };
    }
    return entries.map((e) => e.info.fingerprint);
  });
}

/**
 * The options page's import: certificates and the user's own secret keys.
 * A secret key with any packet unprotected is locked in every packet with
 * `lockPassphrase` first (a partly protected one needs `currentPassphrase`
 * for the part that is locked); known keys are merged, never replaced.
 */
async function importKeys({ armored, fingerprints, lockPassphrase, currentPassphrase = undefined, source = 'import' }) {
  if (source !== 'import') fail('BAD_OPTIONS', 'Keys from elsewhere are imported as certificates.');
  const sealmark = await core();
  const chosen = new Set(fingerprints ?? []);
  if (!chosen.size) failSaying('BAD_INPUT', 'detailChooseKeyToImport');
  const entries = sealmark.readKeys(armored).filter((e) => chosen.has(e.info.fingerprint));
  const locked = new Map();
  for (const { info, privateKey } of entries) {
    if (!privateKey) continue;
    if (info.locked) {
      locked.set(info.fingerprint, privateKey);
      continue;
    }
    requirePassphrase(lockPassphrase);
    const current = typeof currentPassphrase === 'string' && currentPassphrase ? currentPassphrase : undefined;
    locked.set(info.fingerprint, await sealmark.changePassphrase({ privateKey, passphrase: current, newPassphrase: lockPassphrase, protection: STORED }));
  }
  return update(async (ring) => {
    for (const { info, publicKey } of entries) {
      const own = locked.get(info.fingerprint);
      const known = ring.keys[info.fingerprint];
      ring.keys[info.fingerprint] = {
        fingerprint: info.fingerprint,
        publicKey: known ? sealmark.mergeKeys(known.publicKey, publicKey) : publicKey,
        privateKey: own ?? known?.privateKey ?? null,
        source: known?.source ?? source,
        trust: own || known?.privateKey ? 'own' : known?.trust ?? 'unverified',
        addedAt: known?.addedAt ?? new Date().toISOString(),
        // A secret key imported came from a file or a setup message the person has: a backup.
        ...(own || known?.backedUpAt ? { backedUpAt: known?.backedUpAt ?? new Date().toISOString() } : {}),
      };
      if (own && !ring.defaultKey) ring.defaultKey = info.fingerprint;
    }
    return entries.map((e) => e.info.fingerprint);
  });
}

/**
 * Notes that the person took a backup of an own key (an export of the
 * secret key or a setup message): the key manager stops asking for one.
 * @param {string} fingerprint
 */
function noteBackup(fingerprint) {
  return update((ring) => {
    if (ring.keys[fingerprint]) ring.keys[fingerprint].backedUpAt = new Date().toISOString();
  });
}

/**
 * Checks a passphrase against a stored secret key; with `protection`
 * 'compatible' returns the key locked the way other programs read it.
 * @param {string} privateKey
 * @param {string} passphrase
 * @param {'compatible'|'argon2'} [protection]
 * @returns {Promise<string>} the key still locked with the same passphrase
 */
async function unlockCheck(privateKey, passphrase, protection = STORED) {
  if (typeof passphrase !== 'string' || !passphrase) fail('KEY_IS_PROTECTED', 'Enter the passphrase of this key.');
  return await (await core()).changePassphrase({ privateKey, passphrase, newPassphrase: passphrase, protection });
}

/** The key manager's requests; only the extension's own pages may send them. */
export const keyHandlers = {
  'keys.list': { run: async () => ({ keys: await describeAll(), unlocked: await unlockedKeys() }) },
  'keys.generate': {
    run: async ({ name, email, passphrase, type = 'curve25519', profile = 'rfc4880', expiresInDays }) => {
      const address = String(email ?? '').trim();
      if (!/^[^\s@<>]+@[^\s@<>]+$/.test(address)) fail('BAD_EMAIL', 'Enter an e-mail address such as alice@example.org.');
      requirePassphrase(passphrase);
      if (!TYPES.has(type) || !PROFILES.has(profile)) fail('BAD_OPTIONS', 'Unknown key type.');
      if (profile === 'rfc9980' && type !== 'curve25519') fail('BAD_OPTIONS', 'Post-quantum keys are Curve25519 keys with an ML-KEM subkey.');
      const userId = String(name ?? '').trim() ? `${String(name).trim()} <${address}>` : `<${address}>`;
      const days = Number(expiresInDays);
      const generated = await (await core()).generateKey({
        userIds: [userId],
        passphrase,
        // Both checked against TYPES and PROFILES above.
        type: /** @type {'curve25519'|'rsa3072'|'rsa4096'} */ (type),
        profile: /** @type {'rfc4880'|'rfc9580'|'rfc9980'} */ (profile),
        protection: STORED,
        ...(days > 0 ? { expiresInDays: Math.min(days, 36500) } : {}),
      });
      await update((ring) => {
        ring.keys[generated.fingerprint] = {
          fingerprint: generated.fingerprint,
          publicKey: generated.publicKey,
          privateKey: generated.privateKey,
          source: 'generated',
          trust: 'own',
          addedAt: new Date().toISOString(),
        };
        ring.defaultKey ??= generated.fingerprint;
      });
      return { fingerprint: generated.fingerprint };
    },
  },
  'keys.previewImport': { run: ({ armored }) => previewImport(armored) },
  'keys.import': { run: (request) => importKeys(request) },
  'keys.exportPublic': { run: async ({ fingerprint }) => (await entry(fingerprint)).publicKey },
  'keys.exportSecret': {
    run: async ({ fingerprint, passphrase }) => {
      const stored = await entry(fingerprint);
      if (!stored.privateKey) fail('NO_SECRET_KEY', 'Only the public part of this key is in the keyring.');
      // Re-entering the passphrase is the confirmation; the export stays locked with it, as GnuPG reads it.
      const exported = await unlockCheck(stored.privateKey, passphrase, 'compatible');
      await noteBackup(fingerprint);
      return exported;
    },
  },
  'keys.delete': {
    run: ({ fingerprint }) =>
      update((ring) => {
        if (!ring.keys[fingerprint]) failSaying('NO_SUCH_KEY', 'detailNoKeyWithFingerprint', [fingerprint]);
        delete ring.keys[fingerprint];
        if (ring.defaultKey === fingerprint) {
          ring.defaultKey = Object.values(ring.keys).find((k) => k.privateKey)?.fingerprint ?? null;
        }
      }),
  },
  'keys.setDefault': {
    run: ({ fingerprint }) =>
      update((ring) => {
        if (!ring.keys[fingerprint]?.privateKey) fail('NO_SECRET_KEY', 'Only one of your own keys can be the default.');
        ring.defaultKey = fingerprint;
      }),
  },
  'keys.setTrust': {
    run: ({ fingerprint, trust }) =>
      update((ring) => {
        const stored = ring.keys[fingerprint];
        if (!stored) failSaying('NO_SUCH_KEY', 'detailNoKeyWithFingerprint', [fingerprint]);
        if (stored.privateKey || !['unverified', 'verified', 'rejected'].includes(trust)) fail('BAD_OPTIONS', 'Unknown trust state.');
        stored.trust = trust;
      }),
  },
  'keys.changePassphrase': {
    run: async ({ fingerprint, passphrase, newPassphrase }) => {
      requirePassphrase(newPassphrase);
      const stored = await entry(fingerprint);
      if (!stored.privateKey) fail('NO_SECRET_KEY', 'Only the public part of this key is in the keyring.');
      const relocked = await (await core()).changePassphrase({ privateKey: stored.privateKey, passphrase, newPassphrase, protection: STORED });
      await update((ring) => {
        ring.keys[fingerprint].privateKey = relocked;
      });
      await forgetAll();
    },
  },
  // RFC 9980 lets a v4 key gain an ML-KEM-768+X25519 subkey, so correspondents
  // with v4 keys keep working while newer programs encrypt post-quantum.
  'keys.addPostQuantumSubkey': {
    run: async ({ fingerprint, passphrase }) => {
      const stored = await entry(fingerprint);
      if (!stored.privateKey) fail('NO_SECRET_KEY', 'Only your own keys can get a new subkey.');
      if (typeof passphrase !== 'string' || !passphrase) fail('KEY_IS_PROTECTED', 'Enter the passphrase of this key.');
      const sealmark = await core();
      const added = sealmark.addPostQuantumSubkey({ privateKey: stored.privateKey, passphrase });
      // Every part, the new subkey too, locked the way stored keys are.
      const relocked = await unlockCheck(added.privateKey, passphrase);
      await update((ring) => {
        ring.keys[fingerprint].privateKey = relocked;
        ring.keys[fingerprint].publicKey = sealmark.mergeKeys(ring.keys[fingerprint].publicKey, added.publicKey);
        // A backup made before lacks the new subkey: mail encrypted to it could not be read from it.
        delete ring.keys[fingerprint].backedUpAt;
      });
      return { fingerprint };
    },
  },
  'keys.revoke': {
    run: async ({ fingerprint, passphrase, reason }) => {
      const stored = await entry(fingerprint);
      if (!stored.privateKey) fail('NO_SECRET_KEY', 'Only your own keys can be revoked here.');
      const sealmark = await core();
      const revoked = sealmark.revokeKey({ privateKey: stored.privateKey, passphrase, reason: String(reason ?? '') });
      await update((ring) => {
        ring.keys[fingerprint].publicKey = sealmark.mergeKeys(ring.keys[fingerprint].publicKey, revoked.publicKey);
      });
      return revoked.publicKey;
    },
  },
  'keys.unlock': {
    run: async ({ fingerprint, passphrase }) => {
      const stored = await entry(fingerprint);
      if (typeof passphrase !== 'string' || !passphrase) fail('KEY_IS_PROTECTED', 'Enter the passphrase of this key.');
      // Only checked: the stored key is not locked anew.
      await (await core()).checkPassphrase({ privateKey: stored.privateKey, passphrase });
      await remember(fingerprint, passphrase);
    },
  },
  'keys.lockNow': { run: () => forgetAll() },
  'keys.checkUpdate': {
    run: async ({ fingerprint }) => {
      const armored = await fetchByFingerprint(String(fingerprint ?? ''));
      return { armored, preview: await previewCertificates(armored) };
    },
  },
  'keys.importUpdate': {
    run: ({ armored, fingerprints }) => importCertificates(armored, fingerprints, 'vks'),
  },
  'keys.setupMessage': {
    run: async ({ fingerprint, passphrase }) => {
      const stored = await entry(fingerprint);
      if (!stored.privateKey) fail('NO_SECRET_KEY', 'Only the public part of this key is in the keyring.');
      const sealmark = await core();
      const address = sealmark.readKey(stored.publicKey).user_ids.map(addressOf).find(Boolean) ?? '';
      const { preferEncrypt } = await settings();
      const made = sealmark.autocryptSetupMessage({ privateKey: stored.privateKey, passphrase, address, preferMutual: preferEncrypt });
      await noteBackup(fingerprint);
      return { code: made.code, message: made.message, armored: made.armored };
    },
  },
  // A backup is opened with its setup code and shown like any import before it is stored: one
  // that came by mail may hold anybody's key.
  'keys.previewSetupMessage': {
    run: async ({ text, code }) => previewImport((await core()).autocryptOpenSetupMessage(String(text ?? ''), String(code ?? ''))),
  },
  'keys.importSetupMessage': {
    run: async ({ text, code, lockPassphrase, fingerprints }) => {
      requirePassphrase(lockPassphrase);
      const armored = (await core()).autocryptOpenSetupMessage(String(text ?? ''), String(code ?? ''));
      const chosen = (await previewImport(armored)).filter((key) => Array.isArray(fingerprints) && fingerprints.includes(key.fingerprint));
      if (!chosen.length) failSaying('BAD_INPUT', 'detailChooseRestoreKey');
      return importKeys({ armored, fingerprints: chosen.map((key) => key.fingerprint), lockPassphrase, source: 'import' });
    },
  },
  'keys.publish': { run: ({ fingerprint }) => publishOnVks(fingerprint) },
  'keys.wkdFiles': { run: ({ fingerprint }) => wkdFiles(fingerprint) },
};
