import { core } from './core.js';
import { certificatesFor as knownCertificates } from './keyring.js';
import { settings } from './settings.js';
import { peerState } from './autocrypt.js';
import { fail, failSaying } from './errors.js';
import { publicDomain } from './public-domain.js';

const TIMEOUT_MS = 8000;
const MAX_BYTES = 1024 * 1024;

/**
 * Reads a key server's answer with a time-out and a size cap. No cookies are
 * sent: a key look-up must not identify the user to the server.
 * @param {string} url
 * @returns {Promise<Uint8Array>}
 */
async function fetchCapped(url) {
  const response = await fetch(url, { credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (response.status === 404) throw new Error('no key published there');
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_BYTES) {
      await reader.cancel();
      throw new Error('the answer is larger than a key can be');
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * Looks up the certificate of an address: Web Key Directory (advanced, then
 * direct) at the address's own domain first, keys.openpgp.org only when WKD
 * has nothing, then the Autocrypt state of the address. Nothing is stored; each key comes back with where it was found
 * and whether it differs from a key already known for the address.
 * @param {string} address
 */
export async function lookUp(address) {
  if (!publicDomain(address)) {
    failSaying('LOOKUP_REFUSED', 'detailNotPublicDomain', [address]);
  }
  const { keyDiscovery } = await settings();
  const sealmark = await core();
  const where = sealmark.keyLookup(address);
  const found = [];
  const errors = [];
  const servers = keyDiscovery ? [['wkd', where.wkd_advanced], ['wkd', where.wkd_direct], ['vks', where.vks]] : [];
  for (const [source, url] of servers) {
    if (found.length) break;
    try {
      for (const armored of sealmark.certificatesFor(await fetchCapped(url), address)) {
        const info = sealmark.readKey(armored);
        found.push({ armored, source, url, fingerprint: info.fingerprint, userIds: info.user_ids, canEncrypt: info.can_encrypt });
      }
    } catch (error) {
      errors.push({ source, url, message: String(error?.message ?? error) });
    }
  }
  // Last, what the address's own mail told us through Autocrypt (no network involved).
  const peer = await peerState(address);
  const autocryptKey = peer?.public_key ?? peer?.gossip_key;
  if (!found.length && autocryptKey) {
    const info = sealmark.readKey(autocryptKey);
    found.push({ armored: autocryptKey, source: 'autocrypt', url: null, fingerprint: info.fingerprint, userIds: info.user_ids, canEncrypt: info.can_encrypt });
  }
  const known = (await knownCertificates(address)).map(({ info }) => info.fingerprint);
  const judged = found.map((key) => {
    const isKnown = known.includes(key.fingerprint);
    return { ...key, known: isKnown, changed: known.length > 0 && !isKnown };
  });
  return { disabled: !keyDiscovery, found: judged, errors };
}

/**
 * The current copy of a known certificate from keys.openpgp.org, by its
 * fingerprint, for an update the user reviews before it is merged.
 * @param {string} fingerprint
 * @returns {Promise<string>} the armored certificate
 */
export async function fetchByFingerprint(fingerprint) {
  const { keyDiscovery } = await settings();
  if (!keyDiscovery) fail('LOOKUPS_OFF', 'Key look-ups are switched off in the options.');
  const sealmark = await core();
  const bytes = await fetchCapped(sealmark.vksByFingerprint(fingerprint)).catch((error) => fail('LOOKUP_FAILED', String(error?.message ?? error)));
  const entries = sealmark.readKeys(bytes);
  const match = entries.find((e) => e.info.fingerprint === fingerprint && !e.info.secret);
  if (!match) failSaying('LOOKUP_FAILED', 'detailVksOtherKey');
  return match.publicKey;
}
