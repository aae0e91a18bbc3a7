import { ext } from './browser.js';

/**
 * Fills every element carrying `data-i18n="key"` with the localised message,
 * as text (never as markup), and sets the document language.
 * @param {ParentNode} root
 */
export function localize(root = document) {
  for (const element of root.querySelectorAll('[data-i18n]')) {
    const text = ext.i18n.getMessage(element.dataset.i18n);
    if (text) element.textContent = text;
  }
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) {
    const text = ext.i18n.getMessage(element.dataset.i18nPlaceholder);
    if (text) element.placeholder = text;
  }
  document.documentElement.lang = ext.i18n.getUILanguage();
}

/**
 * One localised message with substitutions.
 * @param {string} key
 * @param {string[]} [substitutions]
 * @returns {string}
 */
export function t(key, substitutions = []) {
  return ext.i18n.getMessage(key, substitutions) || key;
}
