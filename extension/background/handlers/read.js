import { addressOf } from '../../shared/addresses.js';
import { core } from '../core.js';
import { fail } from '../errors.js';
import { frameFor, recordByKey } from '../frames.js';
import { load, strengthenLock } from '../keyring.js';
import { passphraseFor, rememberIfAsked } from '../passphrases.js';
import { observeGossip } from '../autocrypt.js';
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
async function verificationKeys() {
  return Object.values((await load()).keys)
    .filter((k) => k.trust !== 'rejected')
    .map((k) => k.publicKey);
}

/**
 * Turns the core's signature checks into what the reader shows: status
 * 'valid' | 'bad' | 'unknown_key', the signer's keyring entry and trust, and
 * whether the signer's addresses include the sender's.
 */
async function judged(signatures, senderAddress) {
  const sealmark = await core();
  const ring = await load();
  return signatures.map((check) => {
    const holder = Object.values(ring.keys).find((k) => {
      const info = sealmark.readKey(k.publicKey);
      return info.fingerprint === check.fingerprint || info.subkeys.some((s) => s.fingerprint === check.fingerprint);
    });
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

/**
 * Plaintext as shown: a MIME entity (protected header fields, HTML,
 * attachments) or plain text. `outer` is what the message's outside showed,
 * where Sealmark read its source: the fields that differ are named.
 */
function contentOf(sealmark, plaintext, outer = null) {
  if (/^(content-type|mime-version):/im.test(plaintext.split(/\r?\n\r?\n/, 1)[0] ?? '')) {
    const content = sealmark.readMimeContent(plaintext, outer);
    return {
      text: content.text,
      html: content.html,
      protected: content.protected,
      differences: content.differences,
      outer: content.differences.length ? outer : null,
      attachments: content.attachments.map((a) => ({ name: a.name, type: a.content_type, size: a.size, data: Array.from(a.data) })),
    };
  }
  return { text: plaintext, html: null, protected: null, attachments: [] };
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
      const sealmark = await core();
      const ring = await load();
      const own = Object.values(ring.keys).filter((k) => k.privateKey);
      if (!own.length) fail('NO_OWN_KEY', 'You have no key yet: generate or import one in Sealmark\'s options.');
      own.sort((a, b) => (b.fingerprint === ring.defaultKey) - (a.fingerprint === ring.defaultKey));
      const verification = await verificationKeys();
      for (const key of own) {
        // An unaddressed key fails with CANNOT_DECRYPT before any passphrase is needed.
        try {
          await sealmark.decrypt({ message: record.data.armored, decryptionKeys: [key.privateKey] });
        } catch (error) {
          if (error.code === 'CANNOT_DECRYPT') continue;
          if (error.code !== 'KEY_IS_PROTECTED') throw error;
        }
        const unlock = await passphraseFor(key, passphrase);
        const decrypted = await sealmark.decrypt({
          message: record.data.armored,
          decryptionKeys: [key.privateKey],
          passphrase: unlock,
          verificationKeys: verification,
        });
        await rememberIfAsked(key, passphrase, remember);
        await strengthenLock(key, unlock);
        await observeGossip(decrypted.data).catch(() => null);
        return {
          ...contentOf(sealmark, decrypted.data, record.data.outer ?? null),
          key: key.fingerprint,
          signatures: await judged(decrypted.signatures, await senderOf(record)),
        };
      }
      fail('CANNOT_DECRYPT', 'None of your keys can open this message: it was not encrypted to you.');
    },
  },
  'read.verify': {
    from: FRAME,
    run: async ({ id }, sender) => {
      const record = await reader(id, sender);
      const sealmark = await core();
      if (record.data.kind === 'mime_signed') {
        const signed = bytesOf(record.data.signed);
        const verified = sealmark.verify({ data: signed, signature: bytesOf(record.data.signature), verificationKeys: await verificationKeys() });
        const content = contentOf(sealmark, new TextDecoder().decode(signed));
        return { ...content, signatures: await judged(verified.signatures, await senderOf(record)) };
      }
      if (record.data.kind !== 'signed_message') fail('BAD_INPUT', 'This block is not a signed message.');
      const verified = sealmark.verify({ message: record.data.armored, verificationKeys: await verificationKeys() });
      return { text: verified.data ?? '', signatures: await judged(verified.signatures, await senderOf(record)) };
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
