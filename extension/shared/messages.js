import { ext } from './browser.js';

/**
 * Sends a typed request to the background and returns its result, or throws
 * an Error carrying the background's stable `code`.
 * @param {string} type  one of the background's request types, e.g. 'core.buildInfo'
 * @param {object} [payload]
 * @returns {Promise<any>}
 */
export async function request(type, payload = {}) {
  const reply = await ext.runtime.sendMessage({ type, payload });
  if (!reply) throw Object.assign(new Error('No answer from the background.'), { code: 'NO_BACKGROUND' });
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.result;
}
