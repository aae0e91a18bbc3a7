import { t } from './i18n.js';

/**
 * What to tell a person about an error from the background or the core: the
 * localised text for its code, with the English detail as a fallback.
 * @param {{code?: string, message?: string}} error
 */
export function describeError(error) {
  const code = error?.code ?? 'INTERNAL';
  const text = t(`error_${code}`, [String(error?.message ?? '')]);
  return text === `error_${code}` ? `${error?.message ?? code}` : text;
}
