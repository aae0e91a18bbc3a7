// The Encryption report: over the mail the user opened, how much reached
// their provider encrypted, with which TLS versions, and which domains sent in
// plaintext — drawn, because a proportion is seen faster than it is read.
import '../../shared/i18n-ready.js';
import { readyAfter } from '../../shared/page-ready.js';
import { h } from '../../components/dom.js';
import { describeError } from '../../shared/errors.js';
import { localize, t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';
import { showSign } from '../../shared/show-sign.js';

localize();
/** This page's own elements, by id: their kinds are its HTML's. @type {(id: string) => any} */
const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';

function svg(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/** A ring whose green part is the share of messages that came encrypted all the way. */
function donut(share) {
  const radius = 40;
  const length = 2 * Math.PI * radius;
  const chart = svg('svg', { viewBox: '0 0 100 100', width: 120, height: 120, role: 'img', 'aria-label': t('reportShareLabel', [`${Math.round(share * 100)}%`]), 'data-testid': 'share-chart' });
  chart.append(
    svg('circle', { cx: 50, cy: 50, r: radius, fill: 'none', stroke: 'var(--bad-bg)', 'stroke-width': 14 }),
    svg('circle', { cx: 50, cy: 50, r: radius, fill: 'none', stroke: 'var(--ok)', 'stroke-width': 14, 'stroke-dasharray': `${share * length} ${length}`, transform: 'rotate(-90 50 50)' }),
  );
  return chart;
}

/** One bar per TLS version (and plaintext, unknown) of the hop into the provider. */
function bars(counts, total) {
  const order = (key) => (key === 'plaintext' ? 'z1' : key === 'unknown' ? 'z2' : key);
  const rows = Object.entries(counts).sort(([a], [b]) => order(b).localeCompare(order(a)));
  return h('div', { class: 'bars', 'data-testid': 'version-bars' },
    ...rows.flatMap(([key, count]) => [
      h('span', {}, key === 'plaintext' ? t('historyPlaintext') : key === 'unknown' ? t('historyUnknown') : key.replace('TLSv', 'TLS ')),
      h('div', { class: `bar ${key === 'plaintext' || key === 'unknown' ? key : ''}`, style: `width: ${Math.max(1, (count / total) * 100)}%` }),
      h('span', { 'data-version': key }, String(count)),
    ]));
}

async function show() {
  const report = await request('history.report');
  if (!report.messages) {
    $('summary').replaceChildren(h('p', { 'data-testid': 'report-empty' }, t('reportEmpty')));
    $('versions').replaceChildren();
    $('plaintext-domains').replaceChildren();
    return;
  }
  const share = report.allEncrypted / report.messages;
  $('summary').replaceChildren(
    donut(share),
    h('div', {},
      h('p', { class: 'donut-label', 'data-testid': 'share' }, `${Math.round(share * 100)}%`),
      h('p', {}, t('reportShare', [String(report.allEncrypted), String(report.messages), String(report.domains)]))),
  );
  $('versions').replaceChildren(bars(report.boundaryVersions, report.messages));
  $('plaintext-domains').replaceChildren(report.plaintextDomains.length
    ? h('ul', { class: 'plaintext-list', 'data-testid': 'plaintext-domains' },
      ...report.plaintextDomains.map((d) => h('li', {}, t('reportPlaintextDomain', [d.domain, String(d.plaintext), String(d.messages)]))))
    : h('p', {}, t('reportNoPlaintext')));
}

async function setUpSettings() {
  const current = await request('settings.get');
  $('history-enabled').checked = current.historyEnabled;
  $('history-threshold').value = String(current.historyThreshold);
  const save = async (changes) => {
    try {
      await request('settings.set', changes);
      $('status').textContent = t('settingsSaved');
      $('status').className = 'status ok';
    } catch (error) {
      $('status').textContent = describeError(error);
      $('status').className = 'status error';
    }
  };
  $('history-enabled').addEventListener('change', (event) => save({ historyEnabled: event.target.checked }));
  $('history-threshold').addEventListener('change', (event) => save({ historyThreshold: Number(event.target.value) }));
  $('history-clear').addEventListener('click', async () => {
    await request('history.clear');
    await show();
  });
}

readyAfter([
  showSign(),
  show().catch((error) => $('summary').replaceChildren(h('p', { class: 'error' }, describeError(error)))),
  setUpSettings(),
]);
