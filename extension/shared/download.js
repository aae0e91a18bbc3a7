import { h } from '../components/dom.js';

/**
 * Saves `text` as a file named `name` through the browser's own download.
 * @param {string} name
 * @param {string} text
 * @param {string} [type]
 */
export function download(name, text, type = 'application/pgp-keys') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  h('a', { href: url, download: name }).click();
  // The download has taken the bytes by then; the URL is not kept for the page's lifetime.
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
