/**
 * A short, stable name for a piece of text (the first 96 bits of its
 * SHA-256, in hex): enough to tell messages apart, nothing to read back.
 * @param {string} text
 * @returns {Promise<string>}
 */
export async function digest(text) {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...bytes.slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
