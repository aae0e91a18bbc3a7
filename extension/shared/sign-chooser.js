import { h } from '../components/dom.js';
import { describeError } from './errors.js';
import { t } from './i18n.js';
import { request } from './messages.js';
import { SIGN_COLOURS, SIGN_PATTERNS, signElement, signSwatch } from './security-sign.js';

/**
 * Lets the user choose their security sign: a pattern, a colour and a word,
 * shown as it will appear in every Sealmark frame and window.
 * @param {HTMLElement} container
 * @param {() => void} [saved]  told after the sign was stored
 */
export async function signChooser(container, saved = () => {}) {
  const current = await request('sign.get');
  const choice = { pattern: current.pattern, colour: current.colour };
  const preview = h('p', { class: 'sign-preview', 'aria-live': 'polite' });
  const word = h('input', { type: 'text', id: 'sign-word', maxlength: '24', autocomplete: 'off', value: current.word });
  const status = h('p', { role: 'status', class: 'status' });
  const swatches = []; // [element, () => swatch] to redraw when the choice changes
  const show = () => {
    preview.replaceChildren(t('signPreview'), ' ', signElement({ ...choice, word: word.value.trim() || '…' }));
    for (const [slot, draw] of swatches) slot.replaceChildren(draw());
  };
  const group = (name, count, swatch) =>
    h('fieldset', { class: 'sign-options' },
      h('legend', {}, t(`sign_${name}`)),
      ...Array.from({ length: count }, (_, i) => {
        const input = h('input', { type: 'radio', name: `sign-${name}`, value: String(i), checked: choice[name] === i, 'aria-label': t(`sign_${name}Option`, [String(i + 1)]) });
        input.addEventListener('change', () => {
          choice[name] = i;
          show();
        });
        const slot = h('span');
        swatches.push([slot, () => swatch(i)]);
        return h('label', { class: 'sign-option' }, input, slot);
      }));
  word.addEventListener('input', show);
  const save = h('button', { type: 'button', class: 'primary', id: 'sign-save' }, t('signSave'));
  save.addEventListener('click', async () => {
    try {
      await request('sign.set', { ...choice, word: word.value });
      show();
      status.textContent = t('signSaved');
      status.className = 'status ok';
      saved();
    } catch (error) {
      status.textContent = describeError(error);
      status.className = 'status error';
    }
  });
  container.replaceChildren(
    group('pattern', SIGN_PATTERNS, (i) => signSwatch(i, choice.colour, 28)),
    group('colour', SIGN_COLOURS.length, (i) => signSwatch(choice.pattern, i, 28)),
    h('p', { class: 'field' }, h('label', { for: 'sign-word' }, t('signWord')), word),
    preview,
    h('div', { class: 'actions' }, save),
    status,
  );
  // Drawn once the groups exist: their swatches are filled in here, not where they are made.
  show();
}
