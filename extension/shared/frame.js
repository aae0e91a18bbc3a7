/**
 * Tells the embedding content script how tall this Sealmark frame's content
 * is. Only the height leaves the frame, addressed to the page's origin.
 * @param {string} id  the frame's id
 * @param {string} origin  the webmail origin the frame was opened for
 */
export function reportHeight(id, origin) {
  if (window.parent === window) return;
  const send = () => window.parent.postMessage({ sealmark: 'height', id, height: document.documentElement.scrollHeight }, origin);
  new ResizeObserver(send).observe(document.body);
  send();
}

/** The frame id from the page's fragment (`editor.html#<id>`). */
export function frameId() {
  return decodeURIComponent(location.hash.slice(1));
}
