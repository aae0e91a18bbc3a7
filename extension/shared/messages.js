import { ext } from './browser.js';

/**
 * Sends a typed request to the background and returns its result, or throws
 * an Error carrying the background's stable `code`.
 * @param {string} type  one of the background's request types, e.g. 'core.buildInfo'
 * @param {object} [payload]
 * @returns {Promise<any>}
 */
export async function request(type, payload = {}) {
  const reply = await delivered({ type, payload });
  if (!reply) throw Object.assign(new Error('No answer from the background.'), { code: 'NO_BACKGROUND' });
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.result;
}

/** What Firefox answers while its background event page is (re)starting: the message reached no one. */
const UNREACHED = /Receiving end does not exist|Could not establish connection/;

/**
 * Sends a message to the background; one that reached no listener (Firefox, its event page
 * starting on a busy machine) is sent again, at most six times over about 16 s. Nothing ran for it,
 * so sending it again cannot do anything twice.
 * @param {{type: string, payload: object}} message
 */
async function delivered(message) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await ext.runtime.sendMessage(message);
    } catch (error) {
      if (attempt >= 6 || !UNREACHED.test(String(error?.message ?? error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}
