// The one message protocol of the extension. Every request that crosses
// between its contexts is declared here: each request to the background with
// who may send it (SENDERS), the few messages the background sends to a
// content script (TAB_MESSAGES), and the one reply envelope both directions
// use. Payload and result shapes are the background handlers' own JSDoc types,
// which `Request`/`Result` read (tsc --checkJs holds every caller to them), so
// a shape is written once, beside the code that relies on it. Bytes travel one
// way: base64 (shared/bytes.js).
//
// Who may send (checked by background/router.js before any handler runs):
// - 'page': an extension page in a tab or window of its own (options, popup,
//   inspect, files, welcome, confirmation): the person's own ground;
// - 'frame': a Sealmark frame in a webmail tab (editor, reader, route strip).
//   The page cannot script it, but it stands in the page and shows what the
//   page sent: it may act on its own record, never manage keys;
// - 'content': Sealmark's content script in a tab of an enabled webmail, which
//   carries ciphertext, armored text, addresses and raw sources only.
// Anything touching plaintext, passphrases or private keys is 'page' or
// 'frame' only; importing a secret key and all other key management is 'page'.

/** @typedef {'page' | 'frame' | 'content'} SenderKind */

const PAGE = Object.freeze(/** @type {SenderKind[]} */ (['page']));
const FRAME = Object.freeze(/** @type {SenderKind[]} */ (['frame']));
const CONTENT = Object.freeze(/** @type {SenderKind[]} */ (['content']));
const PAGE_OR_FRAME = Object.freeze(/** @type {SenderKind[]} */ (['page', 'frame']));

/** Every request type the background answers, with who may send it. */
export const SENDERS = Object.freeze({
  // Version, settings, sites, the security sign, confirmations, header analysis: nothing secret.
  'core.version': PAGE,
  'core.buildInfo': PAGE,
  'core.status': PAGE_OR_FRAME,
  'core.calls': PAGE,
  'transport.analyze': PAGE,
  'settings.get': PAGE,
  'settings.set': PAGE,
  'sites.list': PAGE,
  'sites.add': PAGE,
  'sites.remove': PAGE,
  'sites.status': PAGE,
  'sign.get': PAGE_OR_FRAME,
  'sign.set': PAGE,
  'confirm.get': PAGE,
  'history.report': PAGE,
  'history.clear': PAGE,
  'mtaSts.check': PAGE,
  'confirm.answer': PAGE,
  // The key manager: every key operation is the person's own act, on their own ground.
  'keys.list': PAGE,
  'keys.generate': PAGE,
  'keys.previewImport': PAGE,
  'keys.import': PAGE,
  'keys.exportPublic': PAGE,
  'keys.exportSecret': PAGE,
  'keys.delete': PAGE,
  'keys.setDefault': PAGE,
  'keys.setTrust': PAGE,
  'keys.changePassphrase': PAGE,
  'keys.addPostQuantumSubkey': PAGE,
  'keys.revoke': PAGE,
  'keys.unlock': PAGE,
  'keys.lockNow': PAGE,
  'keys.checkUpdate': PAGE,
  'keys.importUpdate': PAGE,
  'keys.setupMessage': PAGE,
  'keys.previewSetupMessage': PAGE,
  'keys.importSetupMessage': PAGE,
  'keys.publish': PAGE,
  'keys.wkdFiles': PAGE,
  // Key backups: made, sent to oneself and restored in the key manager.
  'backup.webmails': PAGE,
  'backup.send': PAGE,
  'backup.pending': PAGE,
  // What every Sealmark frame in a webmail tab may ask about itself.
  'frame.get': FRAME,
  // The editor frame: its record, recipients, drafts, encrypting, signing and inserting.
  'compose.identities': FRAME,
  'compose.recipients': FRAME,
  'compose.encrypt': FRAME,
  'compose.signOnly': FRAME,
  'compose.quote': FRAME,
  'compose.lookUp': FRAME,
  'compose.previewKey': FRAME,
  'compose.useKey': FRAME,
  'compose.saveDraft': FRAME,
  'compose.drafts': FRAME,
  'compose.restoreDraft': FRAME,
  'compose.discardDraft': FRAME,
  'compose.cancel': FRAME,
  // The reader frame: decrypting, verifying and importing what its own record holds.
  'read.decrypt': FRAME,
  'read.verify': FRAME,
  'read.restoreBackup': FRAME,
  'read.previewKey': FRAME,
  'read.importKey': FRAME,
  // The files page.
  'files.encrypt': PAGE,
  'files.decrypt': PAGE,
  'files.sign': PAGE,
  'files.verify': PAGE,
  // Content scripts: ciphertext, armored text, addresses and raw sources only.
  'content.hello': CONTENT,
  'content.openInspector': CONTENT,
  'frame.open': CONTENT,
  'transport.open': CONTENT,
  // Test builds only (src/wasm/test_hooks.rs); a release core refuses them as unknown.
  'test.work': PAGE,
  'test.panic': PAGE,
  'test.panicAsync': PAGE,
  'test.resets': PAGE,
});

/**
 * The messages the background sends to the content script of a webmail tab,
 * which answers each with a reply envelope: `sealmark.insert` (armored text
 * into the compose field), `sealmark.cancel` (the editor closed),
 * `sealmark.from` (the compose form's From now), `sealmark.adapter` (which
 * webmail this is).
 */
export const TAB_MESSAGES = Object.freeze(['sealmark.insert', 'sealmark.cancel', 'sealmark.from', 'sealmark.adapter']);

/**
 * The one reply envelope, in both directions.
 * @template T
 * @typedef {{ok: true, result: T} | {ok: false, error: {code: string, message: string, detail?: Detail}}} Reply
 */

/**
 * An error's detail as a locale message, said in the person's language by the page that shows it.
 * @typedef {{key: string, args: string[]}} Detail
 */

/**
 * @template T
 * @param {T} result
 * @returns {Reply<T>}
 */
export function success(result) {
  return { ok: true, result };
}

/**
 * @param {string} code  a stable error code (shared/errors.js says it in the person's language)
 * @param {string} message
 * @param {unknown} [detail]  the detail as a locale message (background/errors.js failSaying), kept if well formed
 * @returns {Reply<never>}
 */
export function failure(code, message, detail) {
  const said = detailOf(detail);
  return { ok: false, error: { code, message, ...(said ? { detail: said } : {}) } };
}

/**
 * The keys an error's detail may name: the background's details and the core's, never another
 * message (the rule www/components/error-words.js applies where a detail is said).
 */
export const DETAIL_KEY = /^(detail[A-Z]\w*|coreDetail_[a-z_]+)$/;

/**
 * `detail` if it is a locale key with string substitutions, else undefined.
 * @param {unknown} detail
 * @returns {Detail | undefined}
 */
export function detailOf(detail) {
  const { key, args } = /** @type {{key?: unknown, args?: unknown}} */ (detail ?? {});
  if (typeof key !== 'string' || !DETAIL_KEY.test(key)) return undefined;
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) return undefined;
  return { key, args };
}

/**
 * The result a reply carries, or an Error with its `code`; no reply at all is `noReply`'s error.
 * @template T
 * @param {Reply<T> | undefined | null} reply
 * @param {string} noReply  the code when nothing answered
 * @returns {T}
 */
export function resultOf(reply, noReply) {
  if (!reply || typeof reply !== 'object' || typeof reply.ok !== 'boolean') throw Object.assign(new Error('No answer.'), { code: noReply });
  if (reply.ok === false) {
    const detail = detailOf(reply.error.detail);
    throw Object.assign(new Error(reply.error.message), { code: reply.error.code, ...(detail ? { detail } : {}) });
  }
  return reply.result;
}

/**
 * The background's handlers, by request type: the shapes below are read from them.
 * @typedef {typeof import('../background/router.js').handlers} Handlers
 */

/**
 * What a request of type `K` carries.
 * @template {keyof Handlers} K
 * @typedef {Parameters<Handlers[K]['run']>[0]} Request
 */

/**
 * What a request of type `K` answers.
 * @template {keyof Handlers} K
 * @typedef {Awaited<ReturnType<Handlers[K]['run']>>} Result
 */
