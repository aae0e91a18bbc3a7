import { digest } from './digest.js';
import { getValue, setValue } from './idb.js';
import { LIMITS, keepNewest } from './limits.js';
import { serialized } from './serial.js';
import { settings } from './settings.js';

/**
 * How each sending domain's mail reached the user's provider, over the
 * messages the user opened: the one thing no single header can tell, whether
 * a plaintext hop was the sender's choice or a stripped STARTTLS. A domain
 * whose mail came encrypted every time before and now arrives in plaintext is
 * worth a sentence. Kept only here, in the extension's IndexedDB, bounded (the
 * newest messages of the most recently seen domains), switchable off and
 * clearable; nothing leaves the browser.
 *
 * Per domain: `{lastSeen, messages: [{id, at, boundary, allEncrypted, senderTls}]}`,
 * newest first. `boundary` is the hop into the user's provider: its TLS
 * version, 'plaintext' or 'unknown'.
 */
const KEY = 'tlsHistory';
/** Messages kept per domain. */
const PER_DOMAIN = 100;

/** @returns {Promise<Record<string, {lastSeen: number, messages: object[]}>>} */
async function domains() {
  return (await getValue(KEY)) ?? {};
}

/** The hop into the receiving provider, as history keeps it. */
function boundaryOf(report) {
  const index = report.verdict.trust_boundary.oldest_trusted_index;
  const hop = index === null ? null : report.hops.find((h) => h.index === index);
  if (!hop || hop.tls.encrypted === null) return 'unknown';
  return hop.tls.encrypted ? (hop.tls.version ?? 'TLS') : 'plaintext';
}

/**
 * Records how a message the user opened reached their provider and says what
 * the sending domain's history makes of it.
 * @param {object} report  the route report
 * @param {string|null} from  the From address of the raw message
 * @param {string|undefined} messageKey  the webmail's id of the message (a message opened twice counts once)
 * @returns {Promise<null | {domain: string, boundary: string, streak: number, downgrade: boolean, earlier: object[]}>}
 */
export async function noteRoute(report, from, messageKey) {
  const { historyEnabled, historyThreshold } = await settings();
  const domain = from?.split('@').pop()?.toLowerCase();
  if (!historyEnabled || !domain || !messageKey) return null;
  const entry = {
    // History needs to know it saw a message, not which.
    id: await digest(messageKey),
    at: new Date().toISOString(),
    boundary: boundaryOf(report),
    allEncrypted: report.verdict.status === 'all_encrypted',
    senderTls: report.hops
      .filter((h) => !h.internal && report.verdict.trust_boundary.oldest_trusted_index !== null && h.index < report.verdict.trust_boundary.oldest_trusted_index)
      .map((h) => (h.tls.encrypted === true ? (h.tls.version ?? 'TLS') : h.tls.encrypted === false ? 'plaintext' : 'unknown')),
  };
  return serialized(KEY, async () => {
    const all = await domains();
    const known = all[domain] ?? { lastSeen: 0, messages: [] };
    const earlier = known.messages.filter((m) => m.id !== entry.id);
    all[domain] = { lastSeen: Date.now(), messages: [entry, ...earlier].slice(0, PER_DOMAIN) };
    await setValue(KEY, keepNewest(all, LIMITS.historyDomains, (d) => d.lastSeen));
    const streak = earlier.findIndex((m) => m.boundary === 'plaintext' || m.boundary === 'unknown');
    const encryptedBefore = streak === -1 ? earlier.length : streak;
    return {
      domain,
      boundary: entry.boundary,
      streak: encryptedBefore,
      downgrade: entry.boundary === 'plaintext' && encryptedBefore >= historyThreshold,
      earlier: earlier.slice(0, 20).map(({ at, boundary }) => ({ at, boundary })),
    };
  });
}

/**
 * What the Encryption report page shows, over every message recorded.
 * @returns {Promise<{messages: number, allEncrypted: number, boundaryVersions: Record<string, number>, plaintextDomains: {domain: string, plaintext: number, messages: number}[], domains: number}>}
 */
export async function historyReport() {
  const all = await domains();
  /** @type {Record<string, number>} */
  const boundaryVersions = {};
  let messages = 0;
  let allEncrypted = 0;
  const plaintextDomains = [];
  for (const [domain, { messages: seen }] of Object.entries(all)) {
    messages += seen.length;
    allEncrypted += seen.filter((m) => m.allEncrypted).length;
    for (const m of seen) boundaryVersions[m.boundary] = (boundaryVersions[m.boundary] ?? 0) + 1;
    const plaintext = seen.filter((m) => m.boundary === 'plaintext').length;
    if (plaintext) plaintextDomains.push({ domain, plaintext, messages: seen.length });
  }
  plaintextDomains.sort((a, b) => b.plaintext - a.plaintext || a.domain.localeCompare(b.domain));
  return { messages, allEncrypted, boundaryVersions, plaintextDomains, domains: Object.keys(all).length };
}

/** Forgets every domain's history. */
export function clearHistory() {
  return serialized(KEY, () => setValue(KEY, {}));
}
