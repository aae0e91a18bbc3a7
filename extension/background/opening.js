// Opening an encrypted message for the person, shared by the reader (a message shown in the page)
// and the editor (the message a reply quotes): the same key choice, passphrase rule and signature
// judgement, so a quote is never opened more loosely than the reader opens it.
import { addressOf } from '../shared/addresses.js';
import { core } from './core.js';
import { fail } from './errors.js';
import { load, strengthenLock } from './keyring.js';
import { passphraseFor, rememberIfAsked } from './passphrases.js';
import { keepGossip } from './autocrypt.js';
import { toBase64 } from '../shared/bytes.js';
import { names } from '../shared/issuer.js';

/**
 * Every certificate in the keyring except rejected ones, for verification.
 * @param {{keys: Record<string, {trust: string, publicKey: string}>}} ring
 */
export function verificationKeys(ring) {
  return Object.values(ring.keys)
    .filter((k) => k.trust !== 'rejected')
    .map((k) => k.publicKey);
}

/** Whether `issuer` (a signature's: a fingerprint, or only a key ID) names a rejected key of the keyring, or one of its subkeys. */
function rejectedIssuer(sealmark, ring, issuer) {
  if (!issuer) return false;
  return Object.values(ring.keys).some((key) => key.trust === 'rejected' && names(sealmark.readKey(key.publicKey), issuer));
}

/**
 * A signature as the person is shown it.
 * @typedef {{status: 'valid' | 'bad' | 'unknown_key', fingerprint: string, signer: string | null, trust: string | null,
 *   reason: string | null, reasonCode: string | null, created: string | null, senderMismatch: boolean}} JudgedSignature
 */

/**
 * Turns the core's signature checks into what the person is shown: status
 * 'valid' | 'bad' | 'unknown_key', the signer's keyring entry and trust, and
 * whether the signer's addresses include the sender's. The core names the
 * signer's certificate (`signer`, its primary fingerprint, which is the
 * keyring's key): nothing is looked up again.
 * @param {any} sealmark  the OpenPGP core
 * @param {any} ring  the keyring
 * @param {any[]} signatures  the core's checks
 * @param {string|null} senderAddress
 * @returns {JudgedSignature[]}
 */
export function judged(sealmark, ring, signatures, senderAddress) {
  return signatures.map((check) => {
    const holder = check.signer ? ring.keys[check.signer] : undefined;
    const info = holder ? sealmark.readKey(holder.publicKey) : null;
    const status = !check.known || !holder ? 'unknown_key' : check.valid ? 'valid' : 'bad';
    const addresses = info?.user_ids.map(addressOf).filter(Boolean) ?? [];
    // A key the person rejected is never checked against, so its signature is unknown; said as
    // the rejected key's, not as a stranger's whose key could be imported.
    const rejected = status === 'unknown_key' && rejectedIssuer(sealmark, ring, check.fingerprint);
    return {
      status,
      fingerprint: info?.fingerprint ?? check.fingerprint,
      signer: info?.user_ids[0] ?? check.signer,
      trust: rejected ? 'rejected' : holder?.trust ?? null,
      reason: check.reason,
      reasonCode: check.reason_code ?? null,
      created: check.created,
      senderMismatch: status === 'valid' && Boolean(senderAddress) && !addresses.includes(senderAddress.toLowerCase()),
    };
  });
}

/**
 * The person's own key an encrypted message is for, unlocked: the message is asked which key it
 * is for (no passphrase needed), the default key first, and that key's passphrase is asked for
 * (NEED_PASSPHRASE) unless remembered.
 * @param {string|Uint8Array} message  armored or binary
 * @param {string|undefined} passphrase
 */
async function ownKeyFor(message, passphrase) {
  const [sealmark, ring] = await Promise.all([core(), load()]);
  const own = Object.values(ring.keys).filter((k) => k.privateKey);
  if (!own.length) fail('NO_OWN_KEY', 'You have no key yet: generate or import one in Sealmark\'s options.');
  own.sort((a, b) => Number(b.fingerprint === ring.defaultKey) - Number(a.fingerprint === ring.defaultKey));
  // The message names the keys it is for: one passphrase is asked for, and it is decrypted once.
  const [index] = await sealmark.keysFor({ message, keys: own.map((k) => k.privateKey) });
  const key = own[index];
  if (!key) fail('CANNOT_DECRYPT', 'None of your keys can open this message: it was not encrypted to you.');
  return { sealmark, ring, key, unlock: await passphraseFor(key, passphrase) };
}

/**
 * An encrypted file (binary or armored) decrypted with the person's own key it names, as bytes,
 * with its signatures judged.
 * @param {Uint8Array} bytes
 * @param {{passphrase?: string, remember?: boolean, maxPlaintext?: number}} options
 */
export async function decryptFileForPerson(bytes, { passphrase, remember, maxPlaintext }) {
  const { sealmark, ring, key, unlock } = await ownKeyFor(bytes, passphrase);
  const opened = await sealmark.decrypt({
    message: bytes,
    decryptionKeys: [key.privateKey],
    passphrase: unlock,
    verificationKeys: verificationKeys(ring),
    format: 'binary',
    maxPlaintext,
  });
  await rememberIfAsked(key, passphrase, remember);
  await strengthenLock(key, unlock);
  return { data: /** @type {Uint8Array} */ (opened.data), signatures: judged(sealmark, ring, opened.signatures, null) };
}

/**
 * Decrypts an armored message with the person's own key it names: the message is asked which key
 * it is for (no passphrase needed), that key's passphrase is asked for (NEED_PASSPHRASE) unless
 * remembered, and the message is decrypted, its MIME read and its gossip kept in one core call.
 * @param {string} armored
 * @param {{passphrase?: string, remember?: boolean, outer?: object|null, sender?: string|null}} options
 */
export async function openForPerson(armored, { passphrase, remember, outer = null, sender = null }) {
  const { sealmark, ring, key, unlock } = await ownKeyFor(armored, passphrase);
  const opened = await sealmark.openMessage({
    message: armored,
    decryptionKeys: [key.privateKey],
    passphrase: unlock,
    verificationKeys: verificationKeys(ring),
    outer,
  });
  await rememberIfAsked(key, passphrase, remember);
  await strengthenLock(key, unlock);
  await keepGossip(opened.gossip).catch(() => null);
  return { content: opened.content, key: key.fingerprint, signatures: judged(sealmark, ring, opened.signatures, sender) };
}

/**
 * A decrypted message's files as they travel to a Sealmark page: name, type, size and the bytes in
 * base64 (the extension's one way to carry bytes).
 * @param {{attachments: {name?: string|null, content_type: string, size: number, data: Uint8Array}[]}} content
 */
export function filesOf(content) {
  return content.attachments.map((a) => ({ name: a.name ?? null, type: a.content_type, size: a.size, data: toBase64(a.data) }));
}
