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
import { SENDERS, failure, success } from '../shared/protocol.js';

/** What the background answers, by request type; who may ask each is declared in shared/protocol.js. */
export const handlers = {
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
 * Answers one request with the protocol's reply envelope (shared/protocol.js);
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
    const type = message?.type;
    const handler = Object.hasOwn(handlers, type) && Object.hasOwn(SENDERS, type) ? handlers[type] : null;
    if (!handler) return failure('UNKNOWN_REQUEST', `Unknown request type: ${String(type)}`);
    if (!SENDERS[type].includes(kind)) return failure('FORBIDDEN_SENDER', `${type} may not be asked from a ${kind === 'frame' ? 'Sealmark frame in a web page' : 'web page'}.`);
    return success(await handler.run(message.payload ?? {}, sender));
  } catch (error) {
    return failure(error?.code ?? 'INTERNAL', error?.message ?? String(error), error?.detail);
  }
}
