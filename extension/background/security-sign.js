import { messagesReady, t } from '../shared/i18n.js';
import { SIGN_COLOURS, SIGN_PATTERNS } from '../shared/security-sign.js';
import { fail } from './errors.js';
import { getValue, setValue } from './idb.js';
import { serialized } from './serial.js';

/**
 * The per-install security sign: a pattern, a colour and a word the user
 * chose (a random one until they do). Every Sealmark frame and window shows
 * it; a page drawing a look-alike of a Sealmark frame cannot know it, because
 * it lives in the extension's IndexedDB and is sent only to Sealmark's own
 * pages and frames (never to content scripts), whose contents the page
 * cannot read. Mailvelope's "security background" is the model.
 */
const KEY = 'securitySign';

/**
 * The words a first sign is drawn from. Headless Chromium's service worker
 * now and then answers `i18n.getMessage` with nothing right after install;
 * `messagesReady` then reads the locale file, so the word is never a fixed
 * one a page could guess.
 */
async function wordList() {
  await messagesReady();
  const listed = t('signWordList');
  if (listed === 'signWordList') fail('NO_SIGN_WORDS', 'The security sign could not be made: the extension\'s word list is unreadable. Reinstall Sealmark.');
  return listed;
}

/** @returns {Promise<{pattern: number, colour: number, word: string, chosen: boolean}>} */
export function securitySign() {
  return serialized(KEY, async () => {
    const stored = await getValue(KEY);
    // Earlier versions fell back to the word "Sealmark", which any page can guess: such a sign,
    // never chosen by the user, is drawn anew once.
    if (stored && !(stored.word === 'Sealmark' && !stored.chosen)) return stored;
    const words = (await wordList()).split(',').map((w) => w.trim()).filter(Boolean);
    const pick = (n) => crypto.getRandomValues(new Uint32Array(1))[0] % n;
    const made = { pattern: pick(SIGN_PATTERNS), colour: pick(SIGN_COLOURS.length), word: words[pick(words.length)], chosen: false };
    await setValue(KEY, made);
    return made;
  });
}

/**
 * Stores the sign the user chose.
 * @param {{pattern: number, colour: number, word: string}} sign
 */
export function chooseSign({ pattern, colour, word }) {
  const text = String(word ?? '').trim();
  if (!Number.isInteger(pattern) || pattern < 0 || pattern >= SIGN_PATTERNS) fail('BAD_OPTIONS', 'Unknown pattern.');
  if (!Number.isInteger(colour) || colour < 0 || colour >= SIGN_COLOURS.length) fail('BAD_OPTIONS', 'Unknown colour.');
  if (text.length < 2 || text.length > 24) fail('BAD_SIGN_WORD', 'Choose a word of 2 to 24 characters.');
  return serialized(KEY, async () => {
    const sign = { pattern, colour, word: text, chosen: true };
    await setValue(KEY, sign);
    return sign;
  });
}
