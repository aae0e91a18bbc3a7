import { resultOf } from '../../shared/protocol.js';
import { ext } from '../../shared/browser.js';
import { addressOf } from '../../shared/addresses.js';
import { core } from '../core.js';
import { fail, failAs, failSaying } from '../errors.js';
import { frameFor } from '../frames.js';
import { defaultOwnKey, identitiesFor, load, ownKey, recipientKey, strengthenLock } from '../keyring.js';
import { LIMITS } from '../limits.js';
import { passphraseFor, rememberIfAsked } from '../passphrases.js';
import { lookUp } from '../discovery.js';
import { recommendation } from '../autocrypt.js';
import { confirmInWindow } from '../confirm.js';
import { importCertificates, previewCertificates } from './keys.js';
import { filesOf, judged, openForPerson, verificationKeys } from '../opening.js';
import { ATTACHMENT_BYTES, ATTACHMENT_COUNT } from '../../shared/files.js';
import { base64Size } from '../../shared/bytes.js';
import { adoptDraft, draftToRead, draftsFor, forgetDraft, keepDraft } from '../drafts.js';

/** Where a certificate the editor imports came from. */
const SOURCES = new Set(['wkd', 'vks', 'autocrypt', 'pasted']);
const lookUps = new Map(); // frame id → look-ups made

/** Recipient addresses in any of the forms webmails show: "Name <a@b>", "a@b". */
function cleanAddresses(list) {
  const items = Array.isArray(list) ? list : [];
  if (items.length > LIMITS.recipients) failSaying('TOO_MANY_RECIPIENTS', 'detailRecipientLimit', [LIMITS.recipients]);
  const seen = new Set();
  for (const item of items) {
    const address = addressOf(String(item));
    if (address) seen.add(address);
  }
  return [...seen];
}

/**
 * The files the editor attaches, checked: each a name, a type and base64 bytes, together within
 * what a message may carry (said with the limit, never cut).
 * @returns {{name: string, type: string, data: string}[]}
 */
function attachedFiles(list) {
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.some((file) => typeof file?.data !== 'string' || typeof file?.name !== 'string')) failSaying('BAD_INPUT', 'detailFilesUnreadable');
  if (list.length > ATTACHMENT_COUNT) fail('TOO_MANY_FILES', `A message carries at most ${ATTACHMENT_COUNT} files.`);
  const total = list.reduce((sum, file) => sum + base64Size(file.data), 0);
  if (total > ATTACHMENT_BYTES) fail('FILES_TOO_LARGE', `Files travel inside the encrypted message, at most ${ATTACHMENT_BYTES / 1024 / 1024} MiB together.`);
  return list.map((file) => ({ name: file.name.slice(0, 255), type: typeof file.type === 'string' ? file.type.slice(0, 255) : '', data: file.data }));
}

/**
 * The address the compose window sends from now, as the page shows it: the person may change the
 * webmail's From after opening the editor. A closed window answers what it showed at opening.
 */
async function sendingAddress(record, id) {
  const now = await toTab(record, { type: 'sealmark.from', id }).catch(() => undefined);
  if (now === undefined) return record.data.sendingAddress ?? null;
  return typeof now === 'string' ? addressOf(now.slice(0, LIMITS.recipientName)) : null;
}

/**
 * Refuses to sign when the webmail's From is no longer the one the editor showed its key for: the
 * person checks the key for the new From first.
 */
async function sameFrom(record, id, shown) {
  const now = await sendingAddress(record, id);
  if (now !== (typeof shown === 'string' ? shown : null)) fail('FROM_CHANGED', now ?? '');
}

/** The editor record of the frame asking, or an error. */
async function editor(id, sender) {
  const record = await frameFor(id, sender);
  if (record.kind !== 'compose') fail('BAD_INPUT', 'This frame is not an editor.');
  return record;
}

/**
 * Sends one of the protocol's tab messages to the content script of the frame's tab and returns
 * what it answered; a failure, a closed tab or no answer at all throws with its code.
 * @returns {Promise<any>}
 */
async function toTab(record, message) {
  return resultOf(await ext.tabs.sendMessage(record.tabId, message, { frameId: record.frameId }), 'TAB_GONE');
}

async function insert(record, id, armored, subject, kind) {
  await toTab(record, { type: 'sealmark.insert', id, armored, subject, kind }).catch((error) => failAs('INSERT_FAILED', error));
}

/**
 * The one key each recipient's mail is encrypted to, or an error naming who
 * has none (MISSING_KEYS) or whose key the user has to choose (CHOOSE_KEY).
 * There is no way around it: encryption is never switched off for them.
 */
async function recipientKeys(addresses, choices) {
  const resolved = await Promise.all(addresses.map((address) => recipientKey(address, choices?.[address])));
  const missing = addresses.filter((_, i) => resolved[i].state === 'missing');
  const choose = addresses.filter((_, i) => resolved[i].state === 'choose');
  if (missing.length) fail('MISSING_KEYS', missing.join(', '));
  if (choose.length) fail('CHOOSE_KEY', choose.join(', '));
  return addresses.map((address, i) => ({ address, key: resolved[i].key })).filter((r) => r.key);
}

/** The editor frame's requests. */
export const composeHandlers = {
  // Which own key signs and keeps the copy: the one for the webmail's From, shown and changeable in the editor.
  'compose.identities': {
    run: async ({ id }, sender) => {
      const record = await editor(id, sender);
      const address = await sendingAddress(record, id);
      return { address, fromIsMailbox: record.data.fromIsMailbox === true, ...(await identitiesFor(address)) };
    },
  },
  'compose.recipients': {
    run: async ({ id, addresses, choices }, sender) => {
      await editor(id, sender);
      const result = [];
      for (const address of cleanAddresses(addresses)) {
        const { state, keys, key } = await recipientKey(address, choices?.[address]);
        result.push({
          address,
          state,
          chosen: key?.info.fingerprint ?? null,
          keys: keys.map(({ stored, info }) => ({ fingerprint: info.fingerprint, userIds: info.user_ids, trust: stored.trust, source: stored.source })),
          autocrypt: await recommendation(address),
        });
      }
      return result;
    },
  },
  'compose.encrypt': {
    run: async (request, sender) => {
      const { id, text, subject, recipients, choices, sign = true, encryptSubject = false, passphrase, remember, signer, from } = request;
      const record = await editor(id, sender);
      const files = attachedFiles(request.attachments);
      if (typeof text !== 'string' || (!text.trim() && !files.length)) fail('EMPTY_MESSAGE', 'Write something to encrypt first.');
      const addresses = cleanAddresses(recipients);
      if (!addresses.length) fail('NO_RECIPIENTS', 'Add at least one recipient.');
      const chosen = await recipientKeys(addresses, choices);
      // Last before the key is used: the recipients' problems are said first, as the editor shows them.
      if (sign) await sameFrom(record, id, from);
      const sealmark = await core();
      const own = await ownKey(signer);
      const unlock = sign ? await passphraseFor(own, passphrase) : undefined;
      // The sender can read their own sent mail; each recipient is encrypted to one key.
      const encryptionKeys = [...new Set([...chosen.map((r) => r.key.stored.publicKey), own.publicKey])];
      // With a protected subject or files the payload is MIME; it then also carries the
      // other recipients' keys (Autocrypt gossip) so they can reply to all encrypted.
      const gossip = chosen.length > 1 ? chosen.map((r) => ({ addr: r.address, key: r.key.stored.publicKey })) : [];
      const mime = encryptSubject || files.length > 0;
      const data = mime
        ? sealmark.buildPgpMime({ text, ...(encryptSubject ? { subject: String(subject ?? '') } : {}), gossip, attachments: files }).payload
        : text;
      const armored = await sealmark.encrypt({ data, encryptionKeys, ...(sign ? { signingKeys: [own.privateKey], passphrase: unlock } : {}) });
      if (sign) {
        await rememberIfAsked(own, passphrase, remember);
        await strengthenLock(own, unlock);
      }
      const placeholder = encryptSubject ? sealmark.buildPgpMime({}).placeholderSubject : null;
      await insert(record, id, armored, placeholder, 'encrypted');
      await forgetDraft(id);
      return { inserted: 'encrypted', signed: Boolean(sign), recipients: chosen.map((r) => r.address), files: files.length };
    },
  },
  'compose.signOnly': {
    run: async ({ id, text, passphrase, remember, quoted, signer, from }, sender) => {
      const record = await editor(id, sender);
      if (typeof text !== 'string' || !text.trim()) fail('EMPTY_MESSAGE', 'Write something to sign first.');
      await sameFrom(record, id, from);
      const own = await ownKey(signer);
      const unlock = await passphraseFor(own, passphrase);
      // Readable text goes into the page only on a yes given where the page cannot reach.
      // The editor says whether its text holds a decrypted quote: the question then says it goes out readable too.
      if (!(await confirmInWindow({ kind: 'signOnly', details: { site: record.origin, quoted: quoted === true } }))) {
        failSaying('CANCELLED', 'detailNothingInserted');
      }
      const armored = await (await core()).sign({ data: text, signingKeys: [own.privateKey], passphrase: unlock, detached: false });
      await rememberIfAsked(own, passphrase, remember);
      await strengthenLock(own, unlock);
      await insert(record, id, armored, null, 'signed');
      await forgetDraft(id);
      return { inserted: 'signed', signed: true, recipients: [] };
    },
  },
  // The message this editor answers, opened for its quote when the person asks in the editor: the
  // plaintext goes to the editor only, which builds the quote; the page keeps its ciphertext.
  'compose.quote': {
    run: async ({ id, passphrase, remember }, sender) => {
      const record = await editor(id, sender);
      const quote = record.data.quote;
      if (!quote?.armored) failSaying('BAD_INPUT', 'detailNoQuote');
      if (quote.kind === 'signed_message') {
        const [sealmark, ring] = await Promise.all([core(), load()]);
        const verified = sealmark.verify({ message: quote.armored, verificationKeys: verificationKeys(ring) });
        return { text: verified.data ?? '', html: null, protected: null, signatures: judged(sealmark, ring, verified.signatures, null), attribution: quote.attribution };
      }
      const opened = await openForPerson(quote.armored, { passphrase, remember });
      const { text, html, protected: inner } = opened.content;
      // A forward carries the original's files; a reply does not.
      const files = quote.forward ? filesOf(opened.content) : [];
      return { text: text ?? '', html: text ? null : html ?? null, protected: inner ?? null, signatures: opened.signatures, attribution: quote.attribution, files };
    },
  },
  'compose.lookUp': {
    run: async ({ id, address }, sender) => {
      await editor(id, sender);
      const made = lookUps.get(id) ?? 0;
      if (made >= LIMITS.lookUpsPerCompose) failSaying('LOOKUP_LIMIT', 'detailLookUpLimit', [made]);
      lookUps.set(id, made + 1);
      try {
        return await lookUp(String(address ?? ''));
      } catch (error) {
        // A look-up refused before anything was asked costs nothing.
        if (error?.code === 'LOOKUP_REFUSED') lookUps.set(id, (lookUps.get(id) ?? 1) - 1);
        throw error;
      }
    },
  },
  'compose.previewKey': {
    run: async ({ id, armored }, sender) => {
      await editor(id, sender);
      return previewCertificates(armored);
    },
  },
  'compose.useKey': {
    run: async ({ id, armored, fingerprints, source }, sender) => {
      const record = await editor(id, sender);
      if (!SOURCES.has(source)) fail('BAD_OPTIONS', 'Unknown key source.');
      const preview = (await previewCertificates(armored)).filter((k) => fingerprints?.includes(k.fingerprint));
      if (!preview.length) failSaying('BAD_INPUT', 'detailChooseKeyToImport');
      const details = { site: record.origin, source, keys: preview.map((k) => ({ fingerprint: k.fingerprint, userIds: k.info.user_ids, conflicts: k.conflicts })) };
      if (!(await confirmInWindow({ kind: 'importKey', details }))) failSaying('CANCELLED', 'detailNoKeyImported');
      return importCertificates(armored, preview.map((k) => k.fingerprint), source);
    },
  },
  'compose.saveDraft': {
    run: async ({ id, text, holds }, sender) =>
      keepDraft(await editor(id, sender), text, await defaultOwnKey(), Array.isArray(holds) ? holds.map(String).slice(0, 5) : []),
  },
  'compose.drafts': {
    run: async ({ id }, sender) => draftsFor(await editor(id, sender)),
  },
  'compose.restoreDraft': {
    run: async ({ id, draft, passphrase, remember }, sender) => {
      const record = await editor(id, sender);
      const { armored, key } = await draftToRead(record, String(draft ?? ''));
      const unlock = await passphraseFor(key, passphrase);
      const opened = await (await core()).decrypt({ message: armored, decryptionKeys: [key.privateKey], passphrase: unlock });
      await rememberIfAsked(key, passphrase, remember);
      await strengthenLock(key, unlock);
      const { text } = JSON.parse(String(opened.data));
      // Now in this editor: kept until the editor's own draft holds it.
      await adoptDraft(String(draft), record);
      return { text: String(text ?? '') };
    },
  },
  'compose.discardDraft': {
    run: async ({ id, draft }, sender) => forgetDraft(String(draft ?? ''), { origin: (await editor(id, sender)).origin, restored: 'offer' }),
  },
  'compose.cancel': {
    run: async ({ id }, sender) => {
      const record = await frameFor(id, sender);
      lookUps.delete(id);
      // A closed tab has no editor left to close.
      await toTab(record, { type: 'sealmark.cancel', id }).catch(() => null);
    },
  },
};
