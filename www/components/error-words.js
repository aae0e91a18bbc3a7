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
  const key = error?.detail?.key;
  const said = key ? say(key, (error.detail.args ?? []).map(String)) : '';
  const detail = said && said !== key ? said : String(error?.message ?? '');
  const sentence = say(`error_${code}`, [detail]);
  if (sentence !== `error_${code}`) return sentence;
  return detail ? `${detail} (${code})` : code;
}
