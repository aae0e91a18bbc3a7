import { fromBase64 } from '../../shared/bytes.js';
import { core } from '../core.js';
import { fail, failSaying } from '../errors.js';
import { frameFor, recordByKey } from '../frames.js';
import { load } from '../keyring.js';
import { filesOf, judged, openForPerson, verificationKeys } from '../opening.js';
import { confirmInWindow } from '../confirm.js';
import { importCertificates, previewCertificates } from './keys.js';
import { offerRestore } from './backup.js';


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

/** A MIME content as the reader shows it (`outer`: what the outside showed, when something differs). */
function shown(content, outer = null) {
  return {
    text: content.text,
    html: content.html,
    protected: content.protected,
    differences: content.differences,
    outer: content.differences.length ? outer : null,
    attachments: filesOf(content),
  };
}

/** The reader frame's requests. */
export const readHandlers = {
  'read.decrypt': {
    run: async ({ id, passphrase, remember }, sender) => {
      const record = await reader(id, sender);
      if (record.data.kind !== 'message' || record.data.backup) failSaying('BAD_INPUT', 'detailNotEncryptedBlock');
      const outer = record.data.outer ?? null;
      const opened = await openForPerson(record.data.armored, { passphrase, remember, outer, sender: await senderOf(record) });
      return { ...shown(opened.content, outer), key: opened.key, signatures: opened.signatures };
    },
  },
  'read.verify': {
    run: async ({ id }, sender) => {
      const record = await reader(id, sender);
      const [sealmark, ring] = await Promise.all([core(), load()]);
      if (record.data.kind === 'mime_signed') {
        const signed = fromBase64(record.data.signed);
        const verified = sealmark.verify({ data: signed, signature: fromBase64(record.data.signature), verificationKeys: verificationKeys(ring) });
        const content = shown(sealmark.readMimeContent(signed, null));
        return { ...content, signatures: judged(sealmark, ring, verified.signatures, await senderOf(record)) };
      }
      if (record.data.kind !== 'signed_message') failSaying('BAD_INPUT', 'detailNotSignedBlock');
      const verified = sealmark.verify({ message: record.data.armored, verificationKeys: verificationKeys(ring) });
      return { text: verified.data ?? '', signatures: judged(sealmark, ring, verified.signatures, await senderOf(record)) };
    },
  },
  // A key backup in the mailbox: restored in the key manager, where its setup code is typed.
  'read.restoreBackup': {
    run: async ({ id }, sender) => {
      const record = await reader(id, sender);
      if (typeof record.data.backup !== 'string') failSaying('BAD_INPUT', 'detailNotBackupBlock');
      await offerRestore(record.data.backup, await senderOf(record));
    },
  },
  'read.previewKey': {
    run: async ({ id }, sender) => {
      const record = await reader(id, sender);
      if (record.data.kind !== 'public_key') failSaying('BAD_INPUT', 'detailNotPublicKeyBlock');
      return previewCertificates(record.data.armored);
    },
  },
  'read.importKey': {
    run: async ({ id, fingerprints }, sender) => {
      const record = await reader(id, sender);
      if (record.data.kind !== 'public_key') failSaying('BAD_INPUT', 'detailNotPublicKeyBlock');
      const preview = (await previewCertificates(record.data.armored)).filter((k) => fingerprints?.includes(k.fingerprint));
      if (!preview.length) failSaying('BAD_INPUT', 'detailChooseKeyToImport');
      const details = { site: record.origin, source: 'page', keys: preview.map((k) => ({ fingerprint: k.fingerprint, userIds: k.info.user_ids, conflicts: k.conflicts })) };
      if (!(await confirmInWindow({ kind: 'importKey', details }))) failSaying('CANCELLED', 'detailNoKeyImported');
      return importCertificates(record.data.armored, preview.map((k) => k.fingerprint), 'page');
    },
  },
};
