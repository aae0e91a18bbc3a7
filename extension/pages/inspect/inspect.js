// "Inspect a message": any client's message source → the route view. The
// analysis runs in the background's Wasm core; this page only shows it.
import '../../shared/i18n-ready.js';
import { pageReady } from '../../shared/page-ready.js';
import { localize, t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';
import { routeView } from '../../components/route-view.js';
import { verdictNotes, verdictSentence } from '../../components/verdict-words.js';
import { h } from '../../components/dom.js';
import { describeError } from '../../shared/errors.js';

localize();
const raw = /** @type {HTMLTextAreaElement} */ (document.getElementById('raw'));
const drop = document.getElementById('drop');
const result = document.getElementById('result');

async function show(text) {
  try {
    const report = await request('transport.analyze', { raw: text });
    result.replaceChildren(routeView(report, t, { sentence: verdictSentence(report, t), notes: verdictNotes(report, t) }));
  } catch (error) {
    result.replaceChildren(h('p', { class: 'error', role: 'alert' }, describeError(error)));
  }
}

document.getElementById('analyze').addEventListener('click', () => show(raw.value));
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('dragging');
});
drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
drop.addEventListener('drop', async (event) => {
  event.preventDefault();
  drop.classList.remove('dragging');
  const [file] = event.dataTransfer.files;
  if (file) {
    raw.value = await file.text();
    show(raw.value);
  }
});
pageReady();
