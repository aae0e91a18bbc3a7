/** A backup's armor is a few kilobytes (about ten for RSA 4096): anything larger is not one. */
export const BACKUP_CHARS = 64 * 1024;

/**
 * Whether text holds an Autocrypt Setup Message: a key backup locked with a setup code, which
 * Sealmark restores rather than decrypts (its armor says how the code looks). Quoted (`> `) or
 * indented as mail clients pass it on, it is one still.
 * @param {string} text
 */
export const isSetupMessage = (text) => {
  const value = String(text);
  return value.length <= BACKUP_CHARS && /^[ \t>]*Passphrase-Format:[ \t]*numeric9x4[ \t]*\r?$/im.test(value);
};
