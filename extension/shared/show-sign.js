import { request } from './messages.js';
import { signElement } from './security-sign.js';

/**
 * Puts the user's security sign into every `.sign-slot` of this Sealmark
 * page or frame: the proof, to the user, that it is Sealmark's and not a copy
 * drawn by the page.
 * @returns {Promise<{pattern: number, colour: number, word: string, chosen: boolean}>}
 */
export async function showSign() {
  const sign = await request('sign.get');
  for (const slot of document.querySelectorAll('.sign-slot')) slot.replaceChildren(signElement(sign));
  return sign;
}
