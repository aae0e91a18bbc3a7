import { ext } from '../shared/browser.js';
import { enabledOrigin } from './sites.js';
import { keyHandlers } from './handlers/keys.js';
import { composeHandlers } from './handlers/compose.js';
import { readHandlers } from './handlers/read.js';
import { filesHandlers } from './handlers/files.js';
import { backupHandlers } from './handlers/backup.js';
import { contentHandlers } from './handlers/content.js';
import { generalHandlers } from './handlers/general.js';
import { frameHandlers } from './handlers/frames.js';
import { testHandlers } from './handlers/test-hooks.js';
import { whilePending } from './keep-alive.js';

/**
 * Every request type, with who may send it:
 * - 'page': an extension page in a tab or window of its own (options, popup,
 *   inspect, welcome, confirmation) — the user's own ground;
 * - 'frame': a Sealmark frame inside a webmail tab (editor, reader, route
 *   strip). The page cannot script it, but it stands in the page and shows
 *   what the page sent: it may act on its own record, never manage keys;
 * - 'content': our content script in a tab of an enabled webmail origin,
 *   which carries ciphertext, armored text and addresses only.
 * Anything touching plaintext, passphrases or private keys is 'page' or
 * 'frame' only; importing a secret key and every other key management is
 * 'page' only.
 */
const handlers = {
  ...generalHandlers,
  ...keyHandlers,
  ...backupHandlers,
  ...frameHandlers,
  ...composeHandlers,
  ...readHandlers,
  ...filesHandlers,
  ...contentHandlers,
  ...testHandlers,
};

/** The extension pages that are shown inside webmail tabs (web-accessible). */
const FRAME_PAGES = new Set(['/pages/editor/editor.html', '/pages/reader/reader.html', '/pages/route/route.html']);

/**
 * Who sent a message: 'page', 'frame', 'content' or null for anyone else.
 * @param {import('../shared/browser.js').MessageSender} sender
 */
async function senderKind(sender) {
  if (sender.id !== ext.runtime.id || typeof sender.url !== 'string') return null;
  if (sender.url.startsWith(ext.runtime.getURL(''))) return FRAME_PAGES.has(new URL(sender.url).pathname) ? 'frame' : 'page';
  if (sender.tab && (await enabledOrigin(sender.url))) return 'content';
  return null;
}

/**
 * Answers one request with `{ok: true, result}` or `{ok: false, error: {code, message}}`;
 * the background stays alive until the answer is given.
 * @param {{type: string, payload?: object}} message
 * @param {import('../shared/browser.js').MessageSender} sender
 */
export function route(message, sender) {
  return whilePending(() => answer(message, sender));
}

async function answer(message, sender) {
  try {
    const kind = await senderKind(sender);
    if (!kind) return failure('FORBIDDEN_SENDER', 'Only Sealmark pages and enabled webmail tabs may ask this.');
    const handler = Object.hasOwn(handlers, message?.type) ? handlers[message.type] : null;
    if (!handler) return failure('UNKNOWN_REQUEST', `Unknown request type: ${String(message?.type)}`);
    if (!handler.from.includes(kind)) return failure('FORBIDDEN_SENDER', `${message.type} may not be asked from a ${kind === 'frame' ? 'Sealmark frame in a web page' : 'web page'}.`);
    return { ok: true, result: await handler.run(message.payload ?? {}, sender) };
  } catch (error) {
    return failure(error?.code ?? 'INTERNAL', error?.message ?? String(error));
  }
}

function failure(code, message) {
  return { ok: false, error: { code, message } };
}
