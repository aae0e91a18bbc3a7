// The "Message route" tab: a dropped, chosen or pasted message → the route view.
import { transportCore } from './core-client.js';
import { routeView } from './components/route-view.js';
import { verdictNotes, verdictSentence } from './components/verdict-words.js';
import { describeError } from './components/error-words.js';
import { h } from './components/dom.js';

/**
 * Wires the route tab's inputs to the analysis.
 * @param {(key: string, substitutions?: string[]) => string} say  the page's words
 */
export function setupRouteTab(say) {
  const raw = /** @type {HTMLTextAreaElement} */ (document.getElementById('raw'));
  const drop = document.getElementById('drop');
  const trusted = /** @type {HTMLInputElement} */ (document.getElementById('trusted'));
  const result = document.getElementById('route-result');

  const show = async (text) => {
    const trustedDomains = trusted.value.split(',').map((d) => d.trim()).filter(Boolean);
    try {
      const report = (await transportCore()).analyzeMessage(text, { trustedDomains });
      result.replaceChildren(routeView(report, say, { sentence: verdictSentence(report, say), notes: verdictNotes(report, say) }));
    } catch (error) {
      result.replaceChildren(h('p', { class: 'error', role: 'alert' }, describeError(error, say)));
    }
  };
  const readFile = async (file) => {
    raw.value = await file.text();
    await show(raw.value);
  };

  document.getElementById('analyze').addEventListener('click', () => show(raw.value));
  document.getElementById('file').addEventListener('change', (event) => {
    const [file] = /** @type {HTMLInputElement} */ (event.target).files;
    if (file) readFile(file);
  });
  raw.addEventListener('paste', () => setTimeout(() => show(raw.value), 0));
  for (const type of ['dragenter', 'dragover']) {
    drop.addEventListener(type, (event) => {
      event.preventDefault();
      drop.classList.add('dragging');
    });
  }
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('dragging');
    const [file] = event.dataTransfer.files;
    if (file) readFile(file);
    else if (event.dataTransfer.getData('text/plain')) {
      raw.value = event.dataTransfer.getData('text/plain');
      show(raw.value);
    }
  });
}
