import { ext } from '../shared/browser.js';
import { fail } from './errors.js';

/**
 * Confirmations in a window the webmail page cannot reach: a popup window
 * of the extension's own, drawn by the browser above every page. A frame in
 * the page can be covered, made transparent or moved under the pointer
 * (Firefox cannot even tell: it has no IntersectionObserver v2), so what
 * would weaken the user's protection — text sent readable, a key from a
 * page — is confirmed here (Mailvelope imports keys from pages the same way).
 * The background stays alive while it waits (keep-alive.js); closing the
 * window is a no.
 */
const pending = new Map(); // token → {spec, resolve}

/**
 * Asks the user; resolves with their answer.
 * @param {{kind: 'signOnly'|'importKey', details: Record<string, unknown>}} spec
 * @returns {Promise<boolean>}
 */
export async function confirmInWindow(spec) {
  const token = crypto.randomUUID();
  const answer = new Promise((resolve) => pending.set(token, { spec, resolve }));
  const url = ext.runtime.getURL(`pages/confirm/confirm.html#${token}`);
  const window = await ext.windows.create({ url, type: 'popup', width: 480, height: 460, focused: true });
  const closed = (windowId) => {
    if (windowId === window.id) settle(token, false);
  };
  ext.windows.onRemoved.addListener(closed);
  try {
    return await answer;
  } finally {
    ext.windows.onRemoved.removeListener(closed);
    ext.windows.remove(window.id).catch(() => null);
  }
}

function settle(token, yes) {
  const waiting = pending.get(token);
  pending.delete(token);
  waiting?.resolve(yes === true);
}

/**
 * What a confirmation window asks, for the window holding its token.
 * @param {string} token
 */
export function confirmation(token) {
  const waiting = pending.get(String(token));
  if (!waiting) fail('FRAME_GONE', 'This question has expired; start again from the Sealmark window that asked it.');
  return waiting.spec;
}

/**
 * The user's answer from a confirmation window.
 * @param {string} token
 * @param {boolean} yes
 */
export function answer(token, yes) {
  confirmation(token);
  settle(String(token), yes);
}
