// How an error of the core or of the extension's background is said, one
// rule for the Inspector and the extension: the sentence for its code, with
// its detail where the sentence has room for one. The detail is said from its
// locale key where it came as one (`{key, args}`: the core's
// `OpenPgpError::detail`, the background's `failSaying`), so it is in the
// person's language too; otherwise it is the message as written (the words
// of rPGP, a key server or the browser, in English).

/**
 * @param {{code?: string, message?: string, detail?: {key: string, args?: string[]}}} error
 * @param {(key: string, substitutions?: string[]) => string} say  the locale's words; a key it lacks comes back as the key
 * @returns {string}
 */
export function describeError(error, say) {
  const code = error?.code ?? 'INTERNAL';
  const detail = said(error?.detail, say) || plain(error?.message);
  const sentence = say(`error_${code}`, [detail]);
  if (sentence !== `error_${code}`) return sentence;
  return detail ? `${detail} (${code})` : code;
}

/**
 * Text as it may be shown inside a sentence: no format characters (a bidi override would reorder
 * what follows), control characters as a space.
 * @param {unknown} text
 */
const plain = (text) => String(text ?? '').replace(/\p{Cf}/gu, '').replace(/\p{Cc}+/gu, ' ');

/** The keys a detail may name: the background's details and the core's, never another message. */
export const DETAIL_KEY = /^(detail[A-Z]\w*|coreDetail_[a-z_]+)$/;

/** The longest an argument of a detail is shown (a revocation reason is the key owner's own text). */
const LONGEST_ARGUMENT = 200;

/**
 * A detail's words, or '' when it names no detail key or the locale has none for it; its arguments
 * plain and cut.
 * @param {unknown} detail
 * @param {(key: string, substitutions?: string[]) => string} say
 */
function said(detail, say) {
  const { key, args } = /** @type {{key?: unknown, args?: unknown}} */ (detail ?? {});
  if (typeof key !== 'string' || !DETAIL_KEY.test(key)) return '';
  const shown = (Array.isArray(args) ? args : []).map((arg) => plain(arg).slice(0, LONGEST_ARGUMENT));
  const words = say(key, shown);
  return words === key ? '' : words;
}
