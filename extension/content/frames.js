import { ext } from '../shared/browser.js';
import { request } from '../shared/messages.js';

const EXTENSION_ORIGIN = new URL(ext.runtime.getURL('')).origin;
const frames = new Map(); // id → iframe

const PAGES = { compose: 'pages/editor/editor.html', read: 'pages/reader/reader.html', route: 'pages/route/route.html' };

/**
 * Creates a Sealmark frame for a record the background has just stored. The
 * page sees only an iframe of another origin: it cannot read or script it.
 * @param {'compose'|'read'} kind
 * @param {object} payload  addresses or an armored block; never plaintext
 * @returns {Promise<{id: string, frame: HTMLIFrameElement}>}
 */
export async function createFrame(kind, payload) {
  const id = await request('frame.open', { kind, ...payload });
  return { id, frame: frameFor(kind, id) };
}

/**
 * The iframe for a frame record the background already holds.
 * @param {'compose'|'read'|'route'} kind
 * @param {string} id
 */
export function frameFor(kind, id) {
  const frame = document.createElement('iframe');
  frame.src = `${ext.runtime.getURL(PAGES[kind])}#${id}`;
  frame.dataset.sealmarkFrame = kind;
  frame.title = 'Sealmark';
  Object.assign(frame.style, { border: '0', width: '100%', display: 'block', colorScheme: 'normal' });
  frames.set(id, frame);
  return frame;
}

/** @param {string} id */
export function frameById(id) {
  return frames.get(id);
}

/** @param {string} id */
export function forgetFrame(id) {
  frames.get(id)?.remove();
  frames.delete(id);
}

// Frames report their content height; only messages from our own origin and
// from the frame they name are believed.
window.addEventListener('message', (event) => {
  if (event.origin !== EXTENSION_ORIGIN || event.data?.sealmark !== 'height') return;
  const frame = frames.get(event.data.id);
  if (!frame || event.source !== frame.contentWindow) return;
  const height = Math.max(60, Math.min(Number(event.data.height) || 0, 4000));
  frame.style.height = `${height}px`;
  if (frame.dataset.rawAt && !frame.dataset.renderMs) frame.dataset.renderMs = String(Math.round(performance.now() - Number(frame.dataset.rawAt)));
});
