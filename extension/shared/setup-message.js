/**
 * Whether text holds an Autocrypt Setup Message: a key backup locked with a setup code, which
 * Sealmark restores rather than decrypts (its armor says how the code looks).
 * @param {string} text
 */
export const isSetupMessage = (text) => /^Passphrase-Format:[ \t]*numeric9x4[ \t]*\r?$/im.test(String(text));
