/**
 * The origin of what a person typed ("mail.example.org",
 * "https://mail.example.org/roundcube/"), or null if it is not a web address.
 * @param {string} typed
 * @returns {string|null}
 */
export function originOf(typed) {
  const text = String(typed ?? '').trim();
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * The host permission pattern for an origin. Match patterns carry no port
 * (Firefox refuses to match one), so the permission covers the host; which
 * port is enabled is checked against the stored origin.
 * @param {string} origin
 */
export function permissionPattern(origin) {
  const { protocol, hostname } = new URL(origin);
  return `${protocol}//${hostname}/*`;
}
