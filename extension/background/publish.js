import { core } from './core.js';
import { fail, failSaying } from './errors.js';
import { addressOf } from '../shared/addresses.js';
import { entry } from './keyring.js';

const VKS = 'https://keys.openpgp.org/vks/v1';

async function post(path, body) {
  const response = await fetch(`${VKS}/${path}`, {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15000),
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) (json?.error ? fail('UPLOAD_FAILED', json.error) : failSaying('UPLOAD_FAILED', 'detailVksStatus', [response.status]));
  return json;
}

/**
 * Publishes one of the user's own certificates on keys.openpgp.org and asks
 * it to send the verification mails for its addresses. Only the public part
 * can leave: the core's guard refuses anything holding secret key material,
 * whatever the keyring entry looks like.
 * @param {string} fingerprint
 */
export async function publishOnVks(fingerprint) {
  const stored = await entry(fingerprint);
  const keytext = (await core()).publicOnly(stored.publicKey);
  const uploaded = await post('upload', { keytext });
  const addresses = Object.entries(uploaded.status ?? {})
    .filter(([, state]) => state !== 'published')
    .map(([address]) => address);
  if (addresses.length) await post('request-verify', { token: uploaded.token, addresses });
  return { fingerprint: uploaded.key_fpr, verificationSentTo: addresses, status: uploaded.status };
}

/**
 * What a domain owner serves for the Web Key Directory: for each address of
 * the key, the path under the domain and the key as binary.
 * @param {string} fingerprint
 */
export async function wkdFiles(fingerprint) {
  const sealmark = await core();
  const stored = await entry(fingerprint);
  const info = sealmark.readKey(stored.publicKey);
  const files = [];
  for (const address of new Set(info.user_ids.map(addressOf).filter(Boolean))) {
    // The core's look-up addresses are the ones to serve at, without the ?l= query.
    const where = sealmark.keyLookup(address);
    files.push({ address, advanced: where.wkd_advanced.split('?')[0], direct: where.wkd_direct.split('?')[0], fileName: where.wkd_hash });
  }
  return { files, key: Array.from(sealmark.dearmor(sealmark.publicOnly(stored.publicKey))) };
}
