// The badge strip above a message in the webmail: one badge per hop, oldest
// first, the trust boundary, one sentence and the authentication chips; the
// full route on demand. An extension frame, so the page cannot fake it.
import '../../shared/i18n-ready.js';
import { pageReady } from '../../shared/page-ready.js';
import { localize, t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';
import { describeError } from '../../shared/errors.js';
import { frameId, reportHeight } from '../../shared/frame.js';
import { h } from '../../components/dom.js';
import { authChips, authDetails, routeTable, tlsBadge, verdictView } from '../../components/route-view.js';
import { showSign } from '../../shared/show-sign.js';
import { verdictNotes, verdictSentence } from '../../components/verdict-words.js';
import { explained } from '../../components/why-words.js';

localize();
for (const element of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-i18n-label]'))) element.setAttribute('aria-label', t(element.dataset.i18nLabel));
const id = frameId();
/** This page's own elements: their kinds are its HTML's. @type {(selector: string) => any} */
const $ = (selector) => document.querySelector(selector);

/** How this sending domain's earlier mail arrived, newest first (history.js in the background). */
function historyView(history) {
  const label = (boundary) => (boundary === 'plaintext' ? t('historyPlaintext') : boundary === 'unknown' ? t('historyUnknown') : boundary.replace('TLSv', 'TLS '));
  return h('section', { class: 'history', 'data-testid': 'history' },
    h('h3', {}, t('historyHeading', [history.domain])),
    history.earlier.length
      ? h('ol', {}, ...history.earlier.map((m) => h('li', { 'data-boundary': m.boundary }, `${new Date(m.at).toLocaleString()} — ${label(m.boundary)}`)))
      : h('p', { class: 'muted' }, t('historyFirst', [history.domain])));
}

/** The receiving provider's MTA-STS policy and what it says of this message's hop into it. */
function mtaStsView(policy) {
  return h('section', { class: 'mta-sts', 'data-testid': 'mta-sts' },
    h('h3', {}, t('mtaStsHeading', [policy.domain])),
    h('p', {}, t(`mtaStsMode_${policy.mode}`), ' ', t('mtaStsMx', [policy.mx.join(', ')])),
    policy.violation ? h('p', { class: 'warning' }, t('mtaStsViolation', [policy.domain])) : null,
    policy.receivedBy && !policy.covered ? h('p', { class: 'muted' }, t('mtaStsNotCovered', [policy.receivedBy])) : null);
}

/**
 * The badges, a list of numbered hops, with a dashed mark where the recipient's own provider
 * takes over. The numbers and the mark's meaning are for screen readers (a person who sees
 * the strip reads the order and the dash), so they are visually hidden.
 */
function badgesWithBoundary(report) {
  const boundary = report.verdict.trust_boundary.oldest_trusted_index;
  const hidden = (text) => h('span', { class: 'visually-hidden' }, text);
  const items = [];
  for (const hop of report.hops) {
    if (boundary !== null && hop.index === boundary && hop.index > 0) {
      items.push(h('span', { role: 'listitem', class: 'boundary-mark', 'data-testid': 'strip-boundary', title: explained(report.verdict.trust_boundary.why, report.verdict.trust_boundary.reason, t) }, hidden(t('stripBoundary'))));
    }
    const badge = tlsBadge(hop, t);
    badge.dataset.testid = 'strip-hop';
    badge.dataset.tls = hop.tls.encrypted === true ? 'encrypted' : hop.tls.encrypted === false ? 'plaintext' : 'unknown';
    badge.dataset.internal = String(hop.internal);
    items.push(h('span', { role: 'listitem', class: 'strip-item' }, hidden(`${t('stripHop', [String(hop.index + 1)])} `), badge, hop.internal ? hidden(` ${t('stripHopInternal')}`) : null));
  }
  return items;
}

async function start() {
  try {
    // The page may load before the background has stored its record: it waits for it.
    const [frame] = await Promise.all([request('frame.get', { id, wait: true }), showSign()]);
    const { report } = frame.data;
    $('#badges').replaceChildren(...badgesWithBoundary(report));
    $('#sentence').textContent = verdictSentence(report, t);
    $('#sentence').classList.add(report.verdict.status);
    $('#auth').replaceChildren(authChips(report.authentication, t));
    const { history, mtaSts } = frame.data;
    if (mtaSts?.violation) {
      $('#mta-sts').textContent = t('mtaStsViolation', [mtaSts.domain]);
      $('#mta-sts').hidden = false;
    }
    if (history?.downgrade) {
      // What no single header can say: this domain's mail came encrypted every time before.
      $('#history').textContent = t('historyDowngrade', [history.domain, String(history.streak)]);
      $('#history').hidden = false;
    }
    // Reported once drawn: the first height the page gets is the finished strip's.
    reportHeight(id, frame.origin);
    $('#toggle').addEventListener('click', () => {
      const open = $('#details').hidden;
      if (open && !$('#details').childElementCount) {
        const said = { sentence: verdictSentence(report, t), notes: verdictNotes(report, t) };
        $('#details').replaceChildren(...[verdictView(report.verdict, said), mtaSts ? mtaStsView(mtaSts) : null, history ? historyView(history) : null, routeTable(report, t), authDetails(report.authentication, t)].filter(Boolean));
      }
      $('#details').hidden = !open;
      $('#toggle').setAttribute('aria-expanded', String(open));
      $('#toggle').textContent = t(open ? 'routeHide' : 'routeDetails');
      // The route is what the page's own header says; only the user's click resizes the strip.
      reportHeight(id, frame.origin);
    });
  } catch (error) {
    $('#status').textContent = describeError(error);
    $('#status').className = 'status error';
  }
}

start();
pageReady();
