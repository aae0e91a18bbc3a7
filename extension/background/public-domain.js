// Which domains a key look-up may ask: no network of the user's own.

/**
 * Names that are not on the public Internet (RFC 6761 and 6762, RFC 8375,
 * ICANN's reserved `.internal`, and what home routers use): a look-up there
 * would go to a machine on the user's own network, or tell it whom they
 * write to.
 */
const PRIVATE_NAMES = ['localhost', 'local', 'internal', 'intranet', 'lan', 'home', 'home.arpa', 'corp', 'private', 'test', 'invalid', 'example', 'onion', 'arpa'];

/**
 * Whether the domain of an address is a public DNS name (not an IP literal,
 * not a single label, not a private or reserved name): only those are asked.
 * @param {string} address
 */
export function publicDomain(address) {
  const at = address.lastIndexOf('@');
  let domain;
  try {
    domain = new URL(`https://${address.slice(at + 1)}/`).hostname;
  } catch {
    return false;
  }
  if (at < 1 || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) return false; // single labels, IPv6 literals
  const labels = domain.split('.');
  if (/^[0-9]+$/.test(labels.at(-1))) return false; // IPv4, however it was written
  return !PRIVATE_NAMES.some((name) => domain === name || domain.endsWith(`.${name}`));
}
