/**
 * What to tell a person about an error of the core: the localised text for its code with the
 * core's English detail, or the detail and code as they are.
 * @param {{code?: string, message?: string}} error
 * @param {(key: string, substitutions?: string[]) => string} say
 */
export function describeError(error, say) {
  const key = `error_${error?.code ?? 'INTERNAL'}`;
  const said = say(key, [String(error?.message ?? '')]);
  return said === key ? `${error?.message ?? ''} (${error?.code ?? 'error'})` : said;
}
