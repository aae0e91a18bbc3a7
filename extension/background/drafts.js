// What the person is writing, kept while they write, so that a closed tab, a
// crashed page or a restarted browser loses seconds, not the message. Never
// plaintext at rest: each draft is encrypted to the person's own key (no
// passphrase is needed to encrypt), and reading it back needs the passphrase,
// asked for in the editor when they choose to restore it. Kept per webmail
// site in the extension's IndexedDB, the newest few only, and offered back in
// the conversation (thread, replied-to message) they were written in.
import { core } from './core.js';
import { fail, failSaying } from './errors.js';
import { getValue, setValue } from './idb.js';
import { entry } from './keyring.js';
import { keepNewest } from './limits.js';
import { serialized } from './serial.js';

const STORE = 'drafts';
/** Drafts kept per webmail site; the oldest goes first. */
const PER_SITE = 5;
/** What one draft may hold: far more than anyone writes by hand. */
export const DRAFT_CHARACTERS = 1024 * 1024;

/**
 * Keeps (or, for empty text, forgets) the draft of one editor.
 * @param {{id: string, origin: string, data?: {conversation?: string}}} editor  the editor's frame record
 * @param {string} text
 * @param {{fingerprint: string, publicKey: string}} own  the key it is encrypted to
 * @param {string[]} [holds]  drafts restored into `text` (the editor says which): kept with it, they can go
 * @returns {Promise<{savedAt: number}|null>}
 */
export async function keepDraft(editor, text, own, holds = []) {
  if (typeof text !== 'string') fail('BAD_INPUT', 'A draft is text.');
  if (text.length > DRAFT_CHARACTERS) failSaying('TOO_LARGE', 'detailDraftTooLong', [DRAFT_CHARACTERS]);
  if (!text.trim()) {
    // Emptied: its own draft goes; drafts it restored are offered again rather than lost with it.
    await forgetDraft(editor.id, { restored: 'offer' });
    return null;
  }
  const armored = await (await core()).encrypt({ data: JSON.stringify({ text }), encryptionKeys: [own.publicKey] });
  const savedAt = Date.now();
  await serialized(STORE, async () => {
    const drafts = (await getValue(STORE)) ?? {};
    drafts[editor.id] = { origin: editor.origin, conversation: conversationOf(editor), fingerprint: own.fingerprint, armored, savedAt };
    // A draft this editor restored whose text this save holds can go (a save of text read before
    // the restore does not hold it: that draft stays).
    for (const [id, draft] of Object.entries(drafts)) if (draft.adoptedBy === editor.id && holds.includes(id)) delete drafts[id];
    const site = Object.fromEntries(Object.entries(drafts).filter(([, draft]) => draft.origin === editor.origin));
    const kept = keepNewest(site, PER_SITE, (draft) => draft.savedAt);
    for (const id of Object.keys(site)) if (!(id in kept)) delete drafts[id];
    await setValue(STORE, drafts);
  });
  return { savedAt };
}

/** The conversation an editor answers (drafts kept before conversations were noted answer ''). */
function conversationOf(editor) {
  return editor.data?.conversation ?? '';
}

/**
 * The drafts kept for a site and the asking editor's conversation, newest first, other than its own.
 * @returns {Promise<{draft: string, savedAt: number}[]>}
 */
export async function draftsFor(editor) {
  const drafts = (await getValue(STORE)) ?? {};
  return Object.entries(drafts)
    .filter(([id, draft]) => draft.origin === editor.origin && (draft.conversation ?? '') === conversationOf(editor) && id !== editor.id && draft.adoptedBy !== editor.id)
    .sort(([, a], [, b]) => b.savedAt - a.savedAt)
    .map(([draft, { savedAt }]) => ({ draft, savedAt }));
}

/**
 * One kept draft of the asking editor's site, with the key that opens it.
 * @returns {Promise<{armored: string, key: object}>}
 */
export async function draftToRead(editor, draft) {
  const kept = ((await getValue(STORE)) ?? {})[draft];
  if (!kept || kept.origin !== editor.origin) failSaying('BAD_INPUT', 'detailDraftOtherSite');
  const key = await entry(kept.fingerprint);
  if (!key.privateKey) fail('NO_SECRET_KEY', 'Only the public part of the key this draft was kept for is in your keyring.');
  return { armored: kept.armored, key };
}

/**
 * Forgets one draft: sent or emptied in its editor (`restored: 'forget'`, the
 * drafts it restored went with its text), or discarded unread from another
 * editor (`restored: 'offer'`: the drafts it had restored but perhaps not yet
 * saved are offered again). With `origin`, only if it was kept for that site.
 * @param {string} draft
 * @param {{origin?: string, restored?: 'forget'|'offer'}} [options]
 */
export function forgetDraft(draft, { origin, restored = 'forget' } = {}) {
  return serialized(STORE, async () => {
    const drafts = (await getValue(STORE)) ?? {};
    if (draft in drafts && origin !== undefined && drafts[draft].origin !== origin) return;
    let changed = draft in drafts;
    delete drafts[draft];
    for (const [id, kept] of Object.entries(drafts)) {
      if (kept.adoptedBy !== draft) continue;
      if (restored === 'forget') delete drafts[id];
      else delete kept.adoptedBy;
      changed = true;
    }
    if (changed) await setValue(STORE, drafts);
  });
}

/**
 * A draft restored into an editor stays kept until that editor has kept its
 * own (which then holds the restored text): a tab closed in between loses
 * nothing, and the next editor offers it again. Until then that editor is
 * not offered it twice.
 * @param {string} draft
 * @param {{id: string, origin: string}} editor  the editor's frame record
 */
export function adoptDraft(draft, editor) {
  return serialized(STORE, async () => {
    const drafts = (await getValue(STORE)) ?? {};
    if (!(draft in drafts) || drafts[draft].origin !== editor.origin) return;
    drafts[draft] = { ...drafts[draft], adoptedBy: editor.id };
    await setValue(STORE, drafts);
  });
}
