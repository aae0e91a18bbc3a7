// A question the background asks in a window of the extension's own, which
// the webmail page can neither cover nor script: text sent readable, a key
// taken from a page. The answer goes back to the request that waits for it.
import '../../shared/i18n-ready.js';
import { pageReady } from '../../shared/page-ready.js';
import { h } from '../../components/dom.js';
import { guardClicks } from '../../shared/click-guard.js';
import { describeError } from '../../shared/errors.js';
import { localize, t } from '../../shared/i18n.js';
import { groupedFingerprint } from '../../shared/keys.js';
import { request } from '../../shared/messages.js';
import { showSign } from '../../shared/show-sign.js';

localize();
const token = decodeURIComponent(location.hash.slice(1));
/** This page's own elements: their kinds are its HTML's. @type {(selector: string) => any} */
const $ = (selector) => document.querySelector(selector);

/** What each kind of question says. */
const QUESTIONS = {
  signOnly: ({ site, quoted }) => ({
    title: t('confirmSignOnlyTitle'),
    text: [
      h('p', {}, t('confirmSignOnlyText', [site])),
      ...(quoted ? [h('p', { class: 'warning', role: 'alert', 'data-testid': 'confirm-quoted' }, t('confirmSignOnlyQuoted'))] : []),
    ],
    yes: t('signOnlyButton'),
    danger: true,
  }),
  importKey: ({ site, source, keys }) => ({
    title: t('confirmImportTitle'),
    text: [
      h('p', {}, t('confirmImportText', [t(`source_${source}`), site])),
      ...keys.map((key) => h('div', { class: 'key' },
        h('strong', {}, key.userIds.join(', ') || t('noUserId')), h('br'),
        h('code', {}, groupedFingerprint(key.fingerprint)),
        ...key.conflicts.map((address) => h('p', { class: 'warning', role: 'alert' }, t('importConflict', [address]))))),
      h('p', { class: 'muted' }, t('confirmImportNote')),
    ],
    yes: t('importConfirmButton'),
    danger: false,
  }),
};

async function start() {
  try {
    const [spec] = await Promise.all([request('confirm.get', { token }), showSign()]);
    const question = QUESTIONS[spec.kind](spec.details);
    document.title = question.title;
    $('#confirm-title').textContent = question.title;
    $('#confirm-text').replaceChildren(...question.text);
    $('#confirm-yes').textContent = question.yes;
    $('#confirm-yes').className = question.danger ? 'danger' : 'primary';
    $('#confirm-no').focus();
  } catch (error) {
    $('#status').textContent = describeError(error);
    $('#status').className = 'status error';
  }
}

async function reply(yes) {
  try {
    await request('confirm.answer', { token, yes });
    window.close();
  } catch (error) {
    $('#status').textContent = describeError(error);
    $('#status').className = 'status error';
  }
}

guardClicks((message) => {
  $('#status').textContent = message;
  $('#status').className = 'status error';
});
$('#confirm-yes').addEventListener('click', () => reply(true));
$('#confirm-no').addEventListener('click', () => reply(false));
start();
pageReady();
