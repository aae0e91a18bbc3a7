// Messages from the extension's locale files (Chrome's messages.json format) for pages the
// browser's i18n does not serve: the standalone Inspector, which build.sh gives a copy of the
// files, and the extension's own pages when the browser answers nothing.

/** The languages Sealmark speaks. */
export const LANGUAGES = Object.freeze(['en', 'de', 'fr', 'es']);

/** @typedef {{message: string, placeholders?: Record<string, {content: string}>}} Entry */

/**
 * A message with Chrome's `$NAME$` placeholders and `$1` substitutions filled.
 * @param {Entry|undefined} entry
 * @param {string[]} [substitutions]
 */
export function formatMessage(entry, substitutions = []) {
  if (!entry) return '';
  const named = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name) => entry.placeholders?.[name.toLowerCase()]?.content ?? whole);
  return named.replace(/\$(\$|[1-9])/g, (_, n) => (n === '$' ? '$' : String(substitutions[Number(n) - 1] ?? '')));
}

/**
 * The first language of `preferred` (BCP 47 tags, the browser's order) that Sealmark speaks, else English.
 * @param {readonly string[]} preferred
 */
export function languageFor(preferred) {
  return preferred.map((tag) => tag.toLowerCase().split(/[-_]/)[0]).find((language) => LANGUAGES.includes(language)) ?? 'en';
}

/**
 * Fills every element of `root` that carries `data-i18n` (its text), `data-i18n-placeholder` or
 * `data-i18n-aria-label` with its message, as text, never as markup.
 * @param {ParentNode} root
 * @param {(key: string) => string} message  '' for a key it does not have
 */
export function fill(root, message) {
  for (const element of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('[data-i18n]'))) {
    const text = message(element.dataset.i18n);
    if (text) element.textContent = text;
  }
  for (const element of /** @type {NodeListOf<HTMLInputElement>} */ (root.querySelectorAll('[data-i18n-placeholder]'))) {
    const text = message(element.dataset.i18nPlaceholder);
    if (text) element.placeholder = text;
  }
  for (const element of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('[data-i18n-aria-label]'))) {
    const text = message(element.dataset.i18nAriaLabel);
    if (text) element.setAttribute('aria-label', text);
  }
}

/**
 * The messages of `language` from `<base>_locales/<language>/messages.json`, English behind them
 * for any key the language lacks.
 * @param {URL} base  the folder holding `_locales/`
 * @param {string} language
 * @returns {Promise<(key: string, substitutions?: string[]) => string>}
 */
export async function loadMessages(base, language) {
  // A file that cannot be read or parsed is no file: English, then the keys, stand in.
  const read = async (name) => {
    const response = await fetch(new URL(`_locales/${name}/messages.json`, base)).catch(() => null);
    return response?.ok ? /** @type {Promise<Record<string, Entry>>} */ (response.json()).catch(() => ({})) : {};
  };
  const [chosen, english] = await Promise.all([read(language), language === 'en' ? {} : read('en')]);
  return (key, substitutions = []) => formatMessage(chosen[key] ?? english[key], substitutions) || key;
}
