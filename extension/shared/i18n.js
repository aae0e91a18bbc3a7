import { ext } from './browser.js';
import { fill, formatMessage } from '../components/locale.js';

/**
 * The messages of the UI language read from the extension's own locale
 * files, for when the browser's `i18n.getMessage` answers nothing: headless
 * Chromium did so now and then for an extension page opened right after
 * another one closed (every text became its key), and its service worker
 * right after install. Only extension pages and the background load it
 * (content scripts never wait for it); the browser's answer is always
 * preferred.
 * @type {Record<string, {message: string, placeholders?: Record<string, {content: string}>}> | null}
 */
let fallback = null;
let loading = null;

function loadFallback() {
  loading ??= (async () => {
    const language = ext.i18n.getUILanguage().toLowerCase().split(/[-_]/)[0];
    for (const locale of [...new Set([language, 'en'])]) {
      const response = await fetch(ext.runtime.getURL(`_locales/${locale}/messages.json`)).catch(() => null);
      if (response?.ok) {
        fallback = await response.json();
        return;
      }
    }
  })().catch(() => null);
  return loading;
}

/**
 * Resolves once messages can be read: at once when the browser answers, else
 * when the locale file is loaded. Every extension page waits for it before
 * its code runs (`i18n-ready.js`), so no text is ever shown as its key.
 */
export async function messagesReady() {
  if (!ext.i18n.getMessage('extensionName')) await loadFallback();
}

/** A message from the fallback, with Chrome's `$NAME$` placeholders and `$1` substitutions. */
function fromFallback(key, substitutions) {
  return formatMessage(fallback?.[key], substitutions);
}

function message(key, substitutions = []) {
  return ext.i18n.getMessage(key, substitutions) || fromFallback(key, substitutions);
}

function fillIn(root) {
  fill(root, (key) => message(key));
}

/**
 * Fills every element carrying `data-i18n="key"` with the localised message,
 * as text (never as markup), and sets the document language.
 * @param {ParentNode} root
 */
export function localize(root = document) {
  fillIn(root);
  document.documentElement.lang = ext.i18n.getUILanguage();
  if (!ext.i18n.getMessage('extensionName')) loadFallback().then(() => fillIn(root));
}

/**
 * One localised message with substitutions.
 * @param {string} key
 * @param {string[]} [substitutions]
 * @returns {string}
 */
export function t(key, substitutions = []) {
  return message(key, substitutions.map(String)) || key;
}
