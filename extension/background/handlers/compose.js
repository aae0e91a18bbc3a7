import { ext } from '../../shared/browser.js';
import { core } from '../core.js';
import { fail } from '../errors.js';
import { frameFor, frameWhenStored } from '../frames.js';
import { addressOf, certificatesFor, defaultOwnKey } from '../keyring.js';
import { passphraseFor, rememberIfAsked } from '../passphrases.js';
import { lookUp } from '../discovery.js';
import { recommendation } from '../autocrypt.js';

const PAGE = ['page'];

/** Recipient addresses in any of the forms webmails show: "Name <a@b>", "a@b". */
function cleanAddresses(list) {
  const seen = new Set();
  for (const item of Array.isArray(list) ? list : []) {
    const address = addressOf(String(item));
    if (address) seen.add(address);
  }
  return [...seen];
}

/** One gossip entry per recipient: the first usable key found for the address. */
function gossipFor(addresses, found) {
  return addresses.flatMap((addr, i) => (found[i][0] ? [{ addr, key: found[i][0].stored.publicKey }] : []));
}

/** Sends to the content script of the frame's tab; a closed tab answers with an error object. */
function toTab(record, message) {
  return ext.tabs
    .sendMessage(record.tabId, message, { frameId: record.frameId })
    .catch((error) => ({ ok: false, message: String(error?.message ?? error) }));
}

/** The editor frame's requests. */
export const composeHandlers = {
  'frame.get': {
    from: PAGE,
    // `wait`: the frame loaded before its record was stored and waits for it (at most 30 s).
    run: async ({ id, wait }, sender) => {
      const record = wait ? await frameWhenStored(id, sender, 30_000) : await frameFor(id, sender);
      return { kind: record.kind, origin: record.origin, data: record.data };
    },
  },
  'compose.recipients': {
    from: PAGE,
    run: async ({ addresses }) => {
      const result = [];
      for (const address of cleanAddresses(addresses)) {
        const found = await certificatesFor(address);
        result.push({
          address,
          keys: found.map(({ stored, info }) => ({ fingerprint: info.fingerprint, userIds: info.user_ids, trust: stored.trust, source: stored.source })),
          autocrypt: await recommendation(address),
        });
      }
      return result;
    },
  },
  'compose.encrypt': {
    from: PAGE,
    run: async (request, sender) => {
      const { id, text, subject, recipients, encrypt = true, sign = true, encryptSubject = false, passphrase, remember: rememberIt } = request;
      const record = await frameFor(id, sender);
      if (record.kind !== 'compose') fail('BAD_INPUT', 'This frame is not an editor.');
      if (typeof text !== 'string' || !text.trim()) fail('EMPTY_MESSAGE', 'Write something to encrypt first.');
      if (!encrypt && !sign) fail('BAD_OPTIONS', 'Choose encrypt, sign or both.');
      const sealmark = await core();
      const own = await defaultOwnKey();
      const unlock = sign ? await passphraseFor(own, passphrase) : undefined;
      let armored;
      let placeholder = null;
      if (encrypt) {
        const addresses = cleanAddresses(recipients);
        if (!addresses.length) fail('NO_RECIPIENTS', 'Add at least one recipient.');
        const encryptionKeys = [];
        const missing = [];
        for (const address of addresses) {
          const found = await certificatesFor(address);
          if (found.length) encryptionKeys.push(...found.map(({ stored }) => stored.publicKey));
          else missing.push(address);
        }
        if (missing.length) fail('MISSING_KEYS', missing.join(', '));
        encryptionKeys.push(own.publicKey); // so the sender can read their own sent mail
        // With a protected subject the payload is MIME; it then also carries the
        // other recipients' keys (Autocrypt gossip) so they can reply to all encrypted.
        const gossip = addresses.length > 1 ? gossipFor(addresses, await Promise.all(addresses.map(certificatesFor))) : [];
        const data = encryptSubject ? sealmark.buildPgpMime({ text, subject: String(subject ?? ''), gossip }).payload : text;
        const options = { data, encryptionKeys };
        if (sign) Object.assign(options, { signingKeys: [own.privateKey], passphrase: unlock });
        armored = await sealmark.encrypt(options);
        if (encryptSubject) placeholder = sealmark.buildPgpMime({}).placeholderSubject;
      } else {
        armored = await sealmark.sign({ data: text, signingKeys: [own.privateKey], passphrase: unlock, detached: false });
      }
      if (sign) await rememberIfAsked(own, passphrase, rememberIt);
      const reply = await toTab(record, { type: 'sealmark.insert', id, armored, subject: placeholder });
      if (!reply?.ok) fail('INSERT_FAILED', reply?.message ?? 'The webmail page did not take the encrypted text.');
      return { armored };
    },
  },
  'compose.lookUp': { from: PAGE, run: ({ address }) => lookUp(String(address ?? '')) },
  'compose.cancel': {
    from: PAGE,
    run: async ({ id }, sender) => {
      const record = await frameFor(id, sender);
      await toTab(record, { type: 'sealmark.cancel', id });
    },
  },
};
