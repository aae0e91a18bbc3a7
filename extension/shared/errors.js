import { t } from './i18n.js';
import { describeError as sayError } from '../components/error-words.js';

/**
 * What to tell a person about an error from the background or the core, in
 * their language (the rule is the Inspector's: components/error-words.js).
 * @param {{code?: string, message?: string, detail?: {key: string, args?: string[]}}} error
 * @returns {string}
 */
export function describeError(error) {
  return sayError(error, t);
}
