import { writeText } from './common.js';

const MIN_WIDTH = 300;
const MIN_HEIGHT = 100;

/**
 * Any other webmail the user enabled: every large enough textarea or
 * contenteditable is a compose area (recipients are chosen in the editor),
 * and the whole page is scanned for armored blocks.
 * @type {import('./index.js').Adapter}
 */
export const generic = {
  name: 'generic',
  detect: () => true,
  composeAreas: (document) =>
    [.../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('textarea, [contenteditable="true"], [contenteditable=""]'))]
      .filter((body) => {
        if (body.parentElement?.closest('[contenteditable="true"], [contenteditable=""]')) return false;
        const box = body.getBoundingClientRect();
        return box.width >= MIN_WIDTH && box.height >= MIN_HEIGHT;
      })
      .map((body) => ({ body, recipients: () => [], setSubject: () => {} })),
  readContainers: (document) => (document.body ? [document.body] : []),
  senderOf: () => null,
  writeBody: writeText,
};
