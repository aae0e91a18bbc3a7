import { t } from './i18n.js';

/**
 * What to tell a person about an error from the background or the core: the
 * localised text for its code, holding its detail — said from the detail's
 * locale key where the background gave one, else the detail as written (the
 * core's, in English) — or that detail alone where the code has no text.
 * @param {{code?: string, message?: string, detail?: {key: string, args: string[]}}} error
 */
export function describeError(error) {
  const code = error?.code ?? 'INTERNAL';
  const key = error?.detail?.key;
  const said = key ? t(key, error.detail.args ?? []) : '';
  const detail = said && said !== key ? said : String(error?.message ?? '');
  const text = t(`error_${code}`, [detail]);
  return text === `error_${code}` ? detail || code : text;
}
