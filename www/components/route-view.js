// The route of a message, as Sealmark's Inspector page and the extension's
// detail panel show it: the verdict on top, one row per hop (oldest first)
// with its TLS badge, the trust boundary drawn where it is, and the
// authentication summary. Everything is built with text nodes.
import { h, icon } from './dom.js';

/**
 * The badge of one hop: TLS version (green), plaintext (red) or unknown (grey).
 * @param {import('../sealmark').Hop} hop
 * @param {{plaintext: string, unknown: string}} [words]  the two labels in the reader's language
 */
export function tlsBadge(hop, words = { plaintext: 'plaintext', unknown: 'unknown' }) {
  const { encrypted, version } = hop.tls;
  const state = /** @type {'encrypted'|'plaintext'|'unknown'} */ (encrypted === true ? 'encrypted' : encrypted === false ? 'plaintext' : 'unknown');
  const label =
    encrypted === true ? (version ? version.replace('TLSv', 'TLS ') : 'TLS') : encrypted === false ? words.plaintext : words.unknown;
  const symbol = /** @type {const} */ ({ encrypted: 'lock', plaintext: 'open-lock', unknown: 'unknown' })[state];
  const classes = ['badge', state, hop.internal ? 'internal' : ''].filter(Boolean).join(' ');
  return h('span', { class: classes, title: hop.tls.evidence ?? 'the header does not say' }, icon(symbol), label);
}

/**
 * The verdict sentence and its notes.
 * @param {import('../sealmark').Verdict} verdict
 */
export function verdictView(verdict) {
  return h(
    'section',
    { class: `verdict ${verdict.status}`, 'aria-live': 'polite' },
    h('p', { class: 'sentence', 'data-testid': 'verdict' }, verdict.sentence),
    verdict.notes.length ? h('ul', { class: 'notes' }, verdict.notes.map((note) => h('li', {}, note))) : null,
  );
}

/**
 * SPF / DKIM / DMARC / ARC from the trusted side.
 * @param {import('../sealmark').Authentication} authentication
 */
export function authChips(authentication) {
  const { summary } = authentication;
  const chip = (name, result) =>
    h('span', { class: `chip ${result ?? 'none'}`, 'data-testid': `auth-${name.toLowerCase()}` }, `${name} ${result ?? '—'}`);
  return h(
    'div',
    { class: 'auth', role: 'group', 'aria-label': 'Authentication results from the trusted side' },
    chip('SPF', summary.spf),
    chip('DKIM', summary.dkim),
    chip('DMARC', summary.dmarc),
    chip('ARC', summary.arc),
    summary.authserv_id ? h('span', { class: 'authserv' }, `by ${summary.authserv_id}`) : null,
  );
}

/**
 * Every Authentication-Results and Received-SPF field, trusted or not, with
 * what each method found.
 * @param {import('../sealmark').Authentication} authentication
 */
export function authDetails(authentication) {
  const fields = authentication.results.map((field) =>
    h(
      'li',
      { class: field.trusted ? 'trusted' : 'claimed' },
      h('strong', {}, field.authserv_id ?? '(no server named)'),
      ` — ${field.trusted ? 'trusted' : 'not trusted'}: ${field.trust_reason}`,
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
    h('li', { class: field.trusted ? 'trusted' : 'claimed' }, `Received-SPF: ${field.result}${field.comment ? ` (${field.comment})` : ''} — ${field.trusted ? 'trusted' : 'not trusted'}`),
  );
  if (!fields.length && !spf.length) return null;
  return h('section', { class: 'auth-details', 'data-testid': 'auth-details' }, h('h3', {}, 'Authentication details'), h('ul', {}, fields, spf));
}

/** The sender as the receiver recorded it, and the name it claimed in HELO when different. */
function describeSender(hop) {
  const { host, helo, ip } = hop.from;
  const seen = host && ip ? `${host} [${ip}]` : host ?? ip ?? (helo ? null : '(local)');
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
 */
export function routeTable(report) {
  const boundary = report.verdict.trust_boundary.oldest_trusted_index;
  const rows = [];
  for (const hop of report.hops) {
    if (boundary !== null && hop.index === boundary && hop.index > 0) {
      rows.push(
        h(
          'tr',
          { class: 'boundary', 'data-testid': 'trust-boundary' },
          h('td', { colspan: '7' }, `Trust boundary — ${report.verdict.trust_boundary.reason}`),
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
          tlsBadge(hop),
          hop.tls.cipher ? h('div', { class: 'cipher' }, hop.tls.cipher_iana ?? hop.tls.cipher) : null,
          hop.tls.verified === null ? null : h('div', { class: 'cipher' }, hop.tls.verified ? 'certificate verified' : 'certificate not verified'),
          hop.tls.evidence ? h('div', { class: 'evidence', 'data-testid': 'tls-evidence' }, `“${hop.tls.evidence}”`) : null,
        ),
        h('td', {}, describeSender(hop), h('div', { class: 'by' }, `→ ${hop.by ?? '?'}`)),
        h('td', {}, hop.protocol ?? '—', hop.software ? h('div', { class: 'software' }, hop.software) : null),
        h('td', { class: 'delay' }, delay(hop.delay_seconds)),
        h('td', {}, hop.internal ? 'internal' : hop.trusted ? 'trusted' : 'claimed', h('div', { class: 'why' }, hop.internal_reason ?? hop.trust_reason)),
        h('td', {}, hop.notes.map((note) => h('div', { class: `note ${note.code}` }, note.message))),
      ),
    );
  }
  return h(
    'table',
    { class: 'route' },
    h('caption', {}, 'Route, oldest hop first'),
    h(
      'thead',
      {},
      h('tr', {}, ['#', 'TLS', 'From → by', 'Protocol', 'Delay', 'Trust', 'Notes'].map((title) => h('th', { scope: 'col' }, title))),
    ),
    h('tbody', {}, rows),
  );
}

/**
 * The whole view: verdict, badge strip, authentication and route table.
 * @param {import('../sealmark').Report} report
 * @returns {HTMLElement}
 */
export function routeView(report) {
  return h(
    'div',
    { class: 'route-view' },
    verdictView(report.verdict),
    h('div', { class: 'strip', 'aria-label': 'TLS per hop, oldest first' }, report.hops.map((hop) => tlsBadge(hop))),
    authChips(report.authentication),
    report.hops.length ? routeTable(report) : null,
    authDetails(report.authentication),
  );
}
