/**
 * Tells the embedding content script how tall this Sealmark frame's content
 * is, once. The message is visible to the webmail page too, so a frame that
 * shows something secret never sends it again: a height that follows the
 * decrypted text would let the page measure its layout (and learn whether a
 * passphrase was remembered). Those frames scroll inside instead.
 * @param {string} id  the frame's id
 * @param {string} origin  the webmail origin the frame was opened for
 * @param {number} [min]  the least height to ask for (room for what may appear later)
 */
export function reportHeight(id, origin, min = 0) {
  if (window.parent === window) return;
  window.parent.postMessage({ sealmark: 'height', id, height: Math.max(min, document.documentElement.scrollHeight) }, origin);
}

/** The frame id from the page's fragment (`editor.html#<id>`). */
export function frameId() {
  return decodeURIComponent(location.hash.slice(1));
}
