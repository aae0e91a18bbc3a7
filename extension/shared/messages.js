import { ext } from './browser.js';
import { resultOf } from './protocol.js';

/**
 * Sends a request to the background and returns its result, or throws an Error carrying the
 * background's stable `code` (NO_BACKGROUND when nothing answered). The type is one the
 * background declares (shared/protocol.js); payload and result are that handler's.
 * @template {keyof import('./protocol.js').Handlers} K
 * @param {K} type
 * @param {import('./protocol.js').Request<K>} [payload]
 * @returns {Promise<import('./protocol.js').Result<K>>}
 */
export async function request(type, payload = /** @type {any} */ ({})) {
  return /** @type {any} */ (resultOf(await delivered({ type, payload }), 'NO_BACKGROUND'));
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
