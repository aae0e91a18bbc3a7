import { t } from '../../shared/i18n.js';

const ADDRESS = /[^\s<>"',;:()[\]]+@[^\s<>"',;:()[\]]+\.[^\s<>"',;:()[\]]+/g;

/**
 * Addresses mentioned in the given elements' attributes and text, in order, once each.
 * @param {Iterable<Element>} elements
 * @param {string[]} attributes  checked before the text, e.g. ['email', 'title']
 */
export function addressesIn(elements, attributes = []) {
  const texts = [];
  for (const element of elements) {
    texts.push(...attributes.map((name) => element.getAttribute(name) ?? ''), element.textContent ?? '');
    if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) texts.push(element.value);
  }
  return addressesInText(texts.join('\n'));
}

/**
 * Addresses in a piece of text, in order, once each.
 * @param {string} text
 */
export function addressesInText(text) {
  return [...new Set((text.match(ADDRESS) ?? []).map((match) => match.toLowerCase()))];
}

/**
 * Names of a Bcc field in the labels webmails give it: "Bcc", and where users
 * see something else, French "Cci", Italian "Ccn", Spanish and Portuguese
 * "Cco", Polish "UDW", and the words for "hidden/blind copy" in Czech,
 * Russian, Ukrainian, Chinese, Korean, Turkish, Finnish, Swedish, Norwegian,
 * Hungarian, Greek, Hebrew and Arabic.
 */
const BLIND_ABBREVIATION = /(^|[^a-z])(bcc|cci|ccn|cco|udw)([^a-z]|$)/i;
const BLIND_WORD = /skryt|скрыт|прихован|密送|숨은|gizli|piilo|hemlig|blindkopi|titkos|κρυφ|מוסתר|مخفية/i;

/**
 * Whether a recipient field (or anything inside one) is a Bcc field, judged
 * by its name or id first and its label only then.
 * @param {Element|null} field
 */
export function isBlindField(field) {
  if (!field) return false;
  const named = [field.getAttribute('name'), field.id].filter(Boolean).join(' ');
  if (/(^|[^a-z])_?bcc([^a-z]|$)/i.test(named)) return true;
  const label = field.getAttribute('aria-label') ?? '';
  return BLIND_ABBREVIATION.test(label) || BLIND_WORD.test(label);
}

/**
 * Replaces a compose field's content with armored text, line by line, and
 * tells the webmail's framework that the user typed it.
 * @param {HTMLElement} body
 * @param {string} armored
 */
export function writeText(body, armored) {
  if (body instanceof HTMLTextAreaElement) {
    body.value = armored;
  } else {
    const lines = armored.split('\n');
    body.replaceChildren(
      ...lines.flatMap((line, i) => (i < lines.length - 1 ? [document.createTextNode(line), document.createElement('br')] : [document.createTextNode(line)])),
    );
  }
  body.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertReplacementText' }));
  body.dispatchEvent(new Event('change', { bubbles: true }));
}

/**
 * Sets an input's value so that frameworks listening for input events notice.
 * @param {HTMLInputElement|null} input
 * @param {string} value
 */
export function setInput(input, value) {
  if (!input) return;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/**
 * An error for a webmail that gives no way to its raw messages here, said in
 * the user's language; the strip adds what to do instead.
 * @param {string} key  the locale message saying why
 * @param {string[]} [substitutions]
 * @param {number} [status]  the HTTP status the webmail answered, if that was the reason
 */
export function rawUnavailable(key, substitutions = [], status = undefined) {
  return Object.assign(new Error(t(key, substitutions)), { code: 'RAW_UNAVAILABLE', status });
}

/**
 * Fetches from the webmail's own origin with the user's session.
 * @param {string} url
 * @param {RequestInit} [init]
 */
export async function sameOrigin(url, init = {}) {
  const target = new URL(url, location.href);
  if (target.origin !== location.origin) throw rawUnavailable('rawOtherSite');
  // Firefox runs content-script fetches as the extension; content.fetch runs it as the page, with its session.
  const pageFetch = globalThis.content?.fetch ? (...args) => globalThis.content.fetch(...args) : fetch;
  const response = await pageFetch(target.href, { credentials: 'include', ...init });
  if (!response.ok) throw rawUnavailable('rawAnswered', [response.status], response.status);
  return response;
}
