import { addressOf } from '../../shared/addresses.js';
import { core } from '../core.js';
import { fail } from '../errors.js';
import { frameFor, recordByKey } from '../frames.js';
import { load, strengthenLock } from '../keyring.js';
import { passphraseFor, rememberIfAsked } from '../passphrases.js';
import { keepGossip } from '../autocrypt.js';
import { confirmInWindow } from '../confirm.js';
import { importCertificates, previewCertificates } from './keys.js';

const FRAME = ['frame'];

/** The reader record of the frame asking, or an error. */
async function reader(id, sender) {
  const record = await frameFor(id, sender);
  if (record.kind !== 'read') fail('BAD_INPUT', 'This frame is not a reader.');
  return record;
}

/**
 * Whom the message says it is from: the From of its raw source where Sealmark
 * read it (the route strip of the same message), else what the page showed.
 */
async function senderOf(record) {
  const { messageKey, sender } = record.data;
  const route = messageKey ? await recordByKey(record.tabId, 'route', messageKey) : null;
  return route?.data?.from ?? sender ?? null;
}

/** Every certificate in the keyring except rejected ones, for verification. */
function verificationKeys(ring) {
  return Object.values(ring.keys)
    .filter((k) => k.trust !== 'rejected')
    .map((k) => k.publicKey);
}

/**
 * Turns the core's signature checks into what the reader shows: status
 * 'valid' | 'bad' | 'unknown_key', the signer's keyring entry and trust, and
 * whether the signer's addresses include the sender's. The core names the
 * signer's certificate (`signer`, its primary fingerprint, which is the
 * keyring's key): nothing is looked up again.
 */
function judged(sealmark, ring, signatures, senderAddress) {
  return signatures.map((check) => {
    const holder = check.signer ? ring.keys[check.signer] : undefined;
    const info = holder ? sealmark.readKey(holder.publicKey) : null;
    const status = !check.known || !holder ? 'unknown_key' : check.valid ? 'valid' : 'bad';
    const addresses = info?.user_ids.map(addressOf).filter(Boolean) ?? [];
    return {
      status,
      fingerprint: info?.fingerprint ?? check.fingerprint,
      signer: info?.user_ids[0] ?? check.signer,
      trust: holder?.trust ?? null,
      reason: check.reason,
      created: check.created,
      senderMismatch: status === 'valid' && Boolean(senderAddress) && !addresses.includes(senderAddress.toLowerCase()),
    };
  });
}

/** A MIME content as the reader shows it (`outer`: what the outside showed, when something differs). */
function shown(content, outer = null) {
  return {
    text: content.text,
    html: content.html,
    protected: content.protected,
    differences: content.differences,
    outer: content.differences.length ? outer : null,
    attachments: content.attachments.map((a) => ({ name: a.name, type: a.content_type, size: a.size, data: Array.from(a.data) })),
  };
}

function bytesOf(base64) {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** The reader frame's requests. */
export const readHandlers = {
  'read.decrypt': {
    from: FRAME,
    run: async ({ id, passphrase, remember }, sender) => {
      const record = await reader(id, sender);
      if (record.data.kind !== 'message') fail('BAD_INPUT', 'This block is not an encrypted message.');
      const [sealmark, ring] = await Promise.all([core(), load()]);
      const own = Object.values(ring.keys).filter((k) => k.privateKey);
      if (!own.length) fail('NO_OWN_KEY', 'You have no key yet: generate or import one in Sealmark\'s options.');
      own.sort((a, b) => Number(b.fingerprint === ring.defaultKey) - Number(a.fingerprint === ring.defaultKey));
      // The message names the keys it is for: one passphrase is asked for, and it is decrypted once.
      const [index] = await sealmark.keysFor({ message: record.data.armored, keys: own.map((k) => k.privateKey) });
      const key = own[index];
      if (!key) fail('CANNOT_DECRYPT', 'None of your keys can open this message: it was not encrypted to you.');
      const unlock = await passphraseFor(key, passphrase);
      const outer = record.data.outer ?? null;
      const opened = await sealmark.openMessage({
        message: record.data.armored,
        decryptionKeys: [key.privateKey],
        passphrase: unlock,
        verificationKeys: verificationKeys(ring),
        outer,
      });
      await rememberIfAsked(key, passphrase, remember);
      await strengthenLock(key, unlock);
      await keepGossip(opened.gossip).catch(() => null);
      return {
        ...shown(opened.content, outer),
        key: key.fingerprint,
        signatures: judged(sealmark, ring, opened.signatures, await senderOf(record)),
      };
    },
  },
  'read.verify': {
    from: FRAME,
    run: async ({ id }, sender) => {
      const record = await reader(id, sender);
      const [sealmark, ring] = await Promise.all([core(), load()]);
      if (record.data.kind === 'mime_signed') {
        const signed = bytesOf(record.data.signed);
        const verified = sealmark.verify({ data: signed, signature: bytesOf(record.data.signature), verificationKeys: verificationKeys(ring) });
        const content = shown(sealmark.readMimeContent(signed, null));
        return { ...content, signatures: judged(sealmark, ring, verified.signatures, await senderOf(record)) };
      }
      if (record.data.kind !== 'signed_message') fail('BAD_INPUT', 'This block is not a signed message.');
      const verified = sealmark.verify({ message: record.data.armored, verificationKeys: verificationKeys(ring) });
      return { text: verified.data ?? '', signatures: judged(sealmark, ring, verified.signatures, await senderOf(record)) };
    },
  },
  'read.previewKey': {
    from: FRAME,
    run: async ({ id }, sender) => {
      const record = await reader(id, sender);
      if (record.data.kind !== 'public_key') fail('BAD_INPUT', 'This block is not a public key.');
      return previewCertificates(record.data.armored);
    },
  },
  'read.importKey': {
    from: FRAME,
    run: async ({ id, fingerprints }, sender) => {
      const record = await reader(id, sender);
      if (record.data.kind !== 'public_key') fail('BAD_INPUT', 'This block is not a public key.');
      const preview = (await previewCertificates(record.data.armored)).filter((k) => fingerprints?.includes(k.fingerprint));
      if (!preview.length) fail('BAD_INPUT', 'Choose at least one key to import.');
      const details = { site: record.origin, source: 'page', keys: preview.map((k) => ({ fingerprint: k.fingerprint, userIds: k.info.user_ids, conflicts: k.conflicts })) };
      if (!(await confirmInWindow({ kind: 'importKey', details }))) fail('CANCELLED', 'No key was imported.');
      return importCertificates(record.data.armored, preview.map((k) => k.fingerprint), 'page');
    },
  },
};
