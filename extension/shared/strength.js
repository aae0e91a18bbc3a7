const COMMON = ['password', 'passwort', '123456', 'qwerty', 'letmein', 'sealmark', 'secret', 'geheim'];

/**
 * A rough passphrase strength from 0 to 4 with a hint's message key. It
 * estimates entropy from length and character classes and punishes repeats
 * and common words. The pages show it as the user types; the background
 * refuses new passphrases below "fair" ({@link MIN_SCORE}): the locked key
 * file is only as strong as its passphrase.
 * @param {string} passphrase
 * @returns {{score: number, hint: string|null}}
 */
/** The least strength a new passphrase must have ("fair"). */
export const MIN_SCORE = 2;

export function passphraseStrength(passphrase) {
  if (!passphrase) return { score: 0, hint: null };
  const lower = passphrase.toLowerCase();
  const pool = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].reduce((sum, re, i) => sum + (re.test(passphrase) ? [26, 26, 10, 33][i] : 0), 0);
  const distinct = new Set(passphrase).size;
  let bits = Math.log2(Math.max(pool, 2)) * Math.min(passphrase.length, distinct * 2);
  if (COMMON.some((word) => lower.includes(word))) bits -= 30;
  // Runs such as 1234 or abcd add length but almost no guessing work.
  if (/0123|1234|2345|3456|4567|5678|6789|abcd|bcde|cdef/.test(lower)) bits -= 10;
  if (passphrase.length < 8) return { score: 0, hint: 'strengthTooShort' };
  const score = bits < 40 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;
  return { score, hint: ['strengthTooShort', 'strengthWeak', 'strengthFair', 'strengthGood', 'strengthStrong'][score] };
}
