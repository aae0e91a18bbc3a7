// The route of a message, as Sealmark's Inspector page and the extension's
// detail panel show it: the verdict on top, one row per hop (oldest first)
// with its TLS badge, the trust boundary drawn where it is, and the
// authentication summary. Everything is built with text nodes.
import { h, icon } from './dom.js';
import { explained } from './why-words.js';

/**
 * The view's own words in English, keyed as the locale files key them: what the view says when no
 * locale file could be read (the Inspector served without them); the extension and the Inspector
 * pass their messages to say them in the person's language (tests/unit/route-words.test.mjs
 * keeps the two English texts the same).
 */
export const ENGLISH = Object.freeze({
  badgePlaintext: 'plaintext',
  badgeUnknown: 'unknown',
  routeNoEvidence: 'the header does not say',
  authGroupLabel: 'Authentication results from the trusted side',
  authBy: 'by $1',
  authNoServer: '(no server named)',
  authTrusted: 'trusted',
  authNotTrusted: 'not trusted',
  authDetailsHeading: 'Authentication details',
  hopLocal: '(local)',
  certVerified: 'certificate verified',
  certNotVerified: 'certificate not verified',
  trustBoundaryRow: 'Trust boundary — $1',
  hopInternal: 'internal',
  hopTrusted: 'trusted',
  hopClaimed: 'claimed',
  routeCaption: 'Route, oldest hop first',
  routeColFrom: 'From → by',
  routeColProtocol: 'Protocol',
  routeColDelay: 'Delay',
  routeColTrust: 'Trust',
  routeColNotes: 'Notes',
  stripLabel: 'TLS per hop, oldest first',
});

/** @typedef {(key: string, substitutions?: string[]) => string} Say  a message by its key, `$1`… filled */

/** @type {Say} */
export const english = (key, substitutions = []) => (ENGLISH[key] ?? key).replace(/\$(\d)/g, (_, n) => substitutions[Number(n) - 1] ?? '');

/**
 * The badge of one hop: TLS version (green), plaintext (red) or unknown (grey).
 * @param {import('../sealmark').Hop} hop
 * @param {Say} [say]  the words in the reader's language
 */
export function tlsBadge(hop, say = english) {
  const { encrypted, version } = hop.tls;
  const state = /** @type {'encrypted'|'plaintext'|'unknown'} */ (encrypted === true ? 'encrypted' : encrypted === false ? 'plaintext' : 'unknown');
  const label =
    encrypted === true ? (version ? version.replace('TLSv', 'TLS ') : 'TLS') : encrypted === false ? say('badgePlaintext') : say('badgeUnknown');
  const symbol = /** @type {const} */ ({ encrypted: 'lock', plaintext: 'open-lock', unknown: 'unknown' })[state];
  const classes = ['badge', state, hop.internal ? 'internal' : ''].filter(Boolean).join(' ');
  return h('span', { class: classes, title: hop.tls.evidence ?? say('routeNoEvidence') }, icon(symbol), label);
}

/**
 * The verdict sentence and its notes.
 * @param {import('../sealmark').Verdict} verdict
 * @param {{sentence: string, notes: string[]}} [said]  both in the reader's language (the core's English otherwise)
 */
export function verdictView(verdict, said = verdict) {
  return h(
    'section',
    { class: `verdict ${verdict.status}`, 'aria-live': 'polite' },
    h('p', { class: 'sentence', 'data-testid': 'verdict' }, said.sentence),
    said.notes.length ? h('ul', { class: 'notes' }, said.notes.map((note) => h('li', {}, note))) : null,
  );
}

/**
 * SPF / DKIM / DMARC / ARC from the trusted side.
 * @param {import('../sealmark').Authentication} authentication
 * @param {Say} [say]
 */
export function authChips(authentication, say = english) {
  const { summary } = authentication;
  const chip = (name, result) =>
    h('span', { class: `chip ${result ?? 'none'}`, 'data-testid': `auth-${name.toLowerCase()}` }, `${name} ${result ?? '—'}`);
  return h(
    'div',
    { class: 'auth', role: 'group', 'aria-label': say('authGroupLabel') },
    chip('SPF', summary.spf),
    chip('DKIM', summary.dkim),
    chip('DMARC', summary.dmarc),
    chip('ARC', summary.arc),
    summary.authserv_id ? h('span', { class: 'authserv' }, say('authBy', [summary.authserv_id])) : null,
  );
}

/**
 * Every Authentication-Results and Received-SPF field, trusted or not, with
 * what each method found.
 * @param {import('../sealmark').Authentication} authentication
 * @param {Say} [say]
 */
export function authDetails(authentication, say = english) {
  const fields = authentication.results.map((field) =>
    h(
      'li',
      { class: field.trusted ? 'trusted' : 'claimed' },
      h('strong', {}, field.authserv_id ?? say('authNoServer')),
      ` — ${say(field.trusted ? 'authTrusted' : 'authNotTrusted')}: ${explained(field.trust_why, field.trust_reason, say)}`,
      h(
        'ul',
        {},
        field.results.map((result) =>
          h('li', {}, `${result.method}=${result.result}`, result.reason ? ` (${result.reason})` : '',
            Object.entries(result.properties).map(([name, value]) => ` ${name}=${value}`).join('')),
        ),
      ),
    ),
  );
  const spf = authentication.received_spf.map((field) =>
    h('li', { class: field.trusted ? 'trusted' : 'claimed' }, `Received-SPF: ${field.result}${field.comment ? ` (${field.comment})` : ''} — ${say(field.trusted ? 'authTrusted' : 'authNotTrusted')}`),
  );
  if (!fields.length && !spf.length) return null;
  return h('section', { class: 'auth-details', 'data-testid': 'auth-details' }, h('h3', {}, say('authDetailsHeading')), h('ul', {}, fields, spf));
}

/** The sender as the receiver recorded it, and the name it claimed in HELO when different. */
function describeSender(hop, say) {
  const { host, helo, ip } = hop.from;
  const seen = host && ip ? `${host} [${ip}]` : host ?? ip ?? (helo ? null : say('hopLocal'));
  const claimed = helo && helo !== host ? `HELO ${helo}` : null;
  return [h('div', {}, seen ?? claimed), seen && claimed ? h('div', { class: 'helo' }, claimed) : null];
}

function delay(seconds) {
  if (seconds === null) return '—';
  const sign = seconds < 0 ? '−' : '';
  const value = Math.abs(seconds);
  if (value < 120) return `${sign}${value} s`;
  if (value < 7200) return `${sign}${Math.round(value / 60)} min`;
  return `${sign}${Math.round(value / 3600)} h`;
}

/**
 * The route table with the trust boundary.
 * @param {import('../sealmark').Report} report
 * @param {Say} [say]
 */
export function routeTable(report, say = english) {
  const boundary = report.verdict.trust_boundary.oldest_trusted_index;
  const rows = [];
  for (const hop of report.hops) {
    if (boundary !== null && hop.index === boundary && hop.index > 0) {
      rows.push(
        h(
          'tr',
          { class: 'boundary', 'data-testid': 'trust-boundary' },
          h('td', { colspan: '7' }, say('trustBoundaryRow', [explained(report.verdict.trust_boundary.why, report.verdict.trust_boundary.reason, say)])),
        ),
      );
    }
    rows.push(
      h(
        'tr',
        { class: [hop.internal ? 'internal' : '', hop.trusted ? 'trusted' : 'claimed'].join(' ').trim(), 'data-testid': 'hop' },
        h('td', { class: 'index' }, String(hop.index + 1)),
        h(
          'td',
          {},
          tlsBadge(hop, say),
          hop.tls.cipher ? h('div', { class: 'cipher' }, hop.tls.cipher_iana ?? hop.tls.cipher) : null,
          hop.tls.verified === null ? null : h('div', { class: 'cipher' }, say(hop.tls.verified ? 'certVerified' : 'certNotVerified')),
          hop.tls.evidence ? h('div', { class: 'evidence', 'data-testid': 'tls-evidence' }, `“${hop.tls.evidence}”`) : null,
        ),
        h('td', {}, describeSender(hop, say), h('div', { class: 'by' }, `→ ${hop.by ?? '?'}`)),
        h('td', {}, hop.protocol ?? '—', hop.software ? h('div', { class: 'software' }, hop.software) : null),
        h('td', { class: 'delay' }, delay(hop.delay_seconds)),
        h('td', {}, say(hop.internal ? 'hopInternal' : hop.trusted ? 'hopTrusted' : 'hopClaimed'), h('div', { class: 'why' }, hop.internal_reason ? explained(hop.internal_why, hop.internal_reason, say) : explained(hop.trust_why, hop.trust_reason, say))),
        h('td', {}, hop.notes.map((note) => h('div', { class: `note ${note.code}` }, explained(note.why, note.message, say)))),
      ),
    );
  }
  return h(
    'table',
    { class: 'route' },
    h('caption', {}, say('routeCaption')),
    h(
      'thead',
      {},
      h('tr', {}, ['#', 'TLS', say('routeColFrom'), say('routeColProtocol'), say('routeColDelay'), say('routeColTrust'), say('routeColNotes')].map((title) => h('th', { scope: 'col' }, title))),
    ),
    h('tbody', {}, rows),
  );
}

/**
 * The whole view: verdict, badge strip, authentication and route table.
 * @param {import('../sealmark').Report} report
 * @param {Say} [say]  the view's words
 * @param {{sentence: string, notes: string[]}} [said]  the verdict in the same language (the core's English otherwise)
 * @returns {HTMLElement}
 */
export function routeView(report, say = english, said = report.verdict) {
  return h(
    'div',
    { class: 'route-view' },
    verdictView(report.verdict, said),
    h('div', { class: 'strip', 'aria-label': say('stripLabel') }, report.hops.map((hop) => tlsBadge(hop, say))),
    authChips(report.authentication, say),
    report.hops.length ? routeTable(report, say) : null,
    authDetails(report.authentication, say),
  );
}
