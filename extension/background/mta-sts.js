import { ext } from '../shared/browser.js';
import { fail, failSaying } from './errors.js';
import { getValue, setValue } from './idb.js';
import { mxMatches, parsePolicy } from './mta-sts-policy.js';
import { serialized } from './serial.js';
import { settings } from './settings.js';

/**
 * The user's provider's promise: an MTA-STS policy (RFC 8461) says its MX
 * accepts mail only over TLS. Fetched over HTTPS from `mta-sts.<domain>`, as
 * a browser would fetch any page (the `_mta-sts` TXT record is DNS, which an
 * extension cannot ask), only for domains the user allowed in the options
 * (the browser's host permission for that one host), and cached by the
 * policy's `max_age`. With `mode: enforce`, a plaintext hop into the provider
 * is a policy violation, not a mere plaintext hop. Switchable off; no other
 * look-up leaves the browser.
 */
const KEY = 'mtaSts';
const TIMEOUT_MS = 8000;
const MAX_BYTES = 64 * 1024;

const policyUrl = (domain) => `https://mta-sts.${domain}/.well-known/mta-sts.txt`;
/** The host permission that lets the background read one domain's policy. */
export const permissionFor = (domain) => `https://mta-sts.${domain}/*`;

async function fetchPolicy(domain) {
  const response = await fetch(policyUrl(domain), { credentials: 'omit', cache: 'no-store', redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) failSaying('MTA_STS_NONE', 'detailMtaStsStatus', [domain, response.status]);
  const text = await response.text();
  if (text.length > MAX_BYTES) failSaying('MTA_STS_NONE', 'detailMtaStsTooLong', [domain]);
  const policy = parsePolicy(text);
  if (!policy) failSaying('MTA_STS_NONE', 'detailMtaStsInvalid', [domain]);
  return policy;
}

/**
 * The policy of a domain: from the cache while its max_age lasts, else
 * fetched — only when MTA-STS is on and the user allowed that host. Null
 * when there is none to be had.
 * @param {string} domain
 * @param {{fetch?: boolean}} [options]  fetch: false answers from the cache only
 */
export async function policyFor(domain, { fetch: mayFetch = true } = {}) {
  const name = String(domain ?? '').toLowerCase();
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(name) || !(await settings()).mtaSts) return null;
  return serialized(`${KEY}:${name}`, async () => {
    const cache = (await getValue(KEY)) ?? {};
    const hit = cache[name];
    if (hit && hit.expiresAt > Date.now()) return { domain: name, ...hit.policy };
    if (!mayFetch || !(await ext.permissions.contains({ origins: [permissionFor(name)] }))) return null;
    const policy = await fetchPolicy(name).catch(() => null);
    if (!policy) return null;
    cache[name] = { policy, expiresAt: Date.now() + policy.maxAge * 1000 };
    await setValue(KEY, cache);
    return { domain: name, ...policy };
  });
}

/**
 * The policy that applies to a message's route: the first of the receiving
 * provider's domains that has one, and whether the hop into the provider
 * broke it.
 * @param {object} report  the route report
 */
export async function policyForRoute(report) {
  const { domains, oldest_trusted_index: index } = report.verdict.trust_boundary;
  for (const domain of domains.slice(0, 3)) {
    const policy = await policyFor(domain);
    if (!policy) continue;
    const hop = report.hops.find((h) => h.index === index);
    // The policy covers the MX it names: a plaintext hop into one of them broke the promise.
    const covered = !hop?.by || mxMatches(hop.by, policy.mx);
    return { ...policy, receivedBy: hop?.by ?? null, covered, violation: policy.mode === 'enforce' && covered && hop?.tls.encrypted === false };
  }
  return null;
}

/**
 * Checks a domain's policy now (the options page's button), fresh from the
 * network once the user allowed the host.
 * @param {string} domain
 */
export async function checkPolicy(domain) {
  const name = String(domain ?? '').trim().toLowerCase();
  if (!(await ext.permissions.contains({ origins: [permissionFor(name)] }))) fail('PERMISSION_DENIED', `Sealmark may not read mta-sts.${name}: the permission was not granted.`);
  const policy = await fetchPolicy(name);
  await serialized(`${KEY}:${name}`, async () => {
    const cache = (await getValue(KEY)) ?? {};
    cache[name] = { policy, expiresAt: Date.now() + policy.maxAge * 1000 };
    await setValue(KEY, cache);
  });
  return { domain: name, ...policy };
}
