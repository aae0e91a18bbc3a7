import { languageFor } from '../components/locale.js';
import { ext } from '../shared/browser.js';
import { t } from '../shared/i18n.js';
import { substitutionsFor } from '../shared/substitutions.js';

/**
 * Throws an Error carrying a stable `code` the pages translate for the user.
 * For details only a developer or an attacker meets (a malformed request);
 * what a person can meet goes through `failSaying`.
 * @param {string} code
 * @param {string} message  English detail for logs and tests
 * @returns {never}
 */
export function fail(code, message) {
  throw Object.assign(new Error(message), { code });
}

/**
 * Throws an Error whose detail is a locale message: pages say it in the
 * person's language (shared/errors.js) from `detail`, which survives even a
 * moment when the background's own messages cannot be read; `message` is the
 * same words for logs.
 * @param {string} code
 * @param {string} key  the detail's key in the locale files
 * @param {(string|number)[]} [args]  its substitutions; numbers are written as the person's
 *   language writes them (1,048,576 or 1.048.576), since the pages receive only text
 * @returns {never}
 */
export function failSaying(code, key, args = []) {
  // Written as the language the words are in: an Italian browser reads Sealmark's English.
  const substitutions = substitutionsFor(args, languageFor([ext.i18n.getUILanguage()]));
  throw Object.assign(new Error(t(key, substitutions)), { code, detail: { key, args: substitutions } });
}

/**
 * Throws what went wrong in a step below (a content script's refusal, say) as
 * this step's failure `code`, keeping its detail.
 * @param {string} code
 * @param {{message?: string, detail?: {key: string, args: string[]}}} error
 * @returns {never}
 */
export function failAs(code, error) {
  throw Object.assign(new Error(error?.message ?? String(error)), { code, ...(error?.detail ? { detail: error.detail } : {}) });
}
