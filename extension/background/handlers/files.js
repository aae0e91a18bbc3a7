// The files page's requests: files encrypted for recipients the person picks from their keyring
// (and signed with their default key), encrypted files decrypted, files signed with a detached
// signature and detached signatures verified. Pages only: the files and what they become never
// pass a content script or a frame in a webmail.
import { fromBase64, toBase64 } from '../../shared/bytes.js';
import { core } from '../core.js';
import { fail, failSaying } from '../errors.js';
import { defaultOwnKey, load, strengthenLock } from '../keyring.js';
import { passphraseFor, rememberIfAsked } from '../passphrases.js';
import { decryptFileForPerson, judged, verificationKeys } from '../opening.js';
import { DECRYPTED_FILE_BYTES, FILE_BYTES } from '../../shared/files.js';


/** The bytes of a file the page sent, or a clear error. */
function fileBytes(file) {
  if (typeof file?.data !== 'string' || typeof file?.name !== 'string') failSaying('BAD_INPUT', 'detailFileUnreadable');
  if (file.data.length > Math.ceil(FILE_BYTES / 3) * 4) fail('FILE_TOO_LARGE', `Sealmark takes files up to ${FILE_BYTES / 1024 / 1024} MiB here.`);
  return fromBase64(file.data);
}

/** A file's name without folders or line breaks. */
const baseName = (name) => String(name).split(/[/\\]/).pop().replace(/[\r\n]/g, ' ').slice(0, 255);

/** The files page's requests, for pages only. */
export const filesHandlers = {
  'files.encrypt': {
    /** @param {{file: {name: string, data: string}, recipients: string[], sign?: boolean, passphrase?: string, remember?: boolean}} payload */
    run: async ({ file, recipients, sign = true, passphrase, remember }) => {
      const data = fileBytes(file);
      const ring = await load();
      const chosen = (Array.isArray(recipients) ? recipients : []).map((fingerprint) => (Object.hasOwn(ring.keys, String(fingerprint)) ? ring.keys[String(fingerprint)] : null));
      if (!chosen.length) fail('NO_RECIPIENTS', 'Choose at least one recipient.');
      if (chosen.some((key) => !key || key.trust === 'rejected')) failSaying('BAD_INPUT', 'detailRecipientNotInKeyring');
      const own = await defaultOwnKey();
      const unlock = sign ? await passphraseFor(own, passphrase) : undefined;
      // The person can open what they encrypted, as with mail.
      const encryptionKeys = [...new Set([...chosen.map((key) => key.publicKey), own.publicKey])];
      const encrypted = await (await core()).encrypt({
        data,
        encryptionKeys,
        armor: false,
        ...(sign ? { signingKeys: [own.privateKey], passphrase: unlock } : {}),
      });
      if (sign) {
        await rememberIfAsked(own, passphrase, remember);
        await strengthenLock(own, unlock);
      }
      return { name: `${baseName(file.name)}.gpg`, data: toBase64(/** @type {Uint8Array} */ (encrypted)), signed: Boolean(sign) };
    },
  },
  'files.decrypt': {
    /** @param {{file: {name: string, data: string}, passphrase?: string, remember?: boolean}} payload */
    run: async ({ file, passphrase, remember }) => {
      const opened = await decryptFileForPerson(fileBytes(file), { passphrase, remember, maxPlaintext: DECRYPTED_FILE_BYTES });
      // The file's own name without its .gpg, .pgp or .asc, as GnuPG saves it: the name a sender
      // may write inside is covered by no signature (report.pdf.gpg could hold report.pdf.hta).
      const name = baseName(file.name).replace(/\.(gpg|pgp|asc)$/i, '') || 'decrypted';
      return { name, data: toBase64(opened.data), signatures: opened.signatures };
    },
  },
  'files.sign': {
    /** @param {{file: {name: string, data: string}, passphrase?: string, remember?: boolean}} payload */
    run: async ({ file, passphrase, remember }) => {
      const data = fileBytes(file);
      const own = await defaultOwnKey();
      const unlock = await passphraseFor(own, passphrase);
      // Binary, as `gpg --detach-sign` makes it: NAME.sig beside NAME is what GnuPG and its
      // front ends verify without being told which file it signs.
      const signature = await (await core()).sign({ data, signingKeys: [own.privateKey], passphrase: unlock, detached: true, armor: false });
      await rememberIfAsked(own, passphrase, remember);
      await strengthenLock(own, unlock);
      return { name: `${baseName(file.name)}.sig`, data: toBase64(/** @type {Uint8Array} */ (signature)), signer: own.fingerprint };
    },
  },
  'files.verify': {
    run: async ({ file, signature }) => {
      const data = fileBytes(file);
      const signed = fileBytes(signature);
      const [sealmark, ring] = await Promise.all([core(), load()]);
      // Judged as a decrypted file's signatures are: valid only by a key of the keyring that is not rejected.
      const verified = sealmark.verify({ data, signature: signed, verificationKeys: verificationKeys(ring) });
      return { signatures: judged(sealmark, ring, verified.signatures, null) };
    },
  },
};
