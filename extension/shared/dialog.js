import { h } from '../components/dom.js';
import { t } from './i18n.js';

/**
 * A modal dialog asking for confirmation and, optionally, some fields.
 * Focus moves into the dialog (its first field; else Cancel when the action
 * is dangerous, the action otherwise) and returns to where it was when it closes.
 * @param {{title: string, text?: string, fields?: {name: string, label: string, type?: string}[], confirm: string, danger?: boolean}} spec
 * @returns {Promise<Record<string, string>|null>} the field values, or null when cancelled
 */
export function ask({ title, text, fields = [], confirm, danger = false }) {
  const previous = document.activeElement;
  const inputs = fields.map((field) => h('input', { type: field.type ?? 'text', name: field.name, id: `dialog-${field.name}`, autocomplete: 'off' }));
  const form = h(
    'form',
    { method: 'dialog' },
    h('h2', { id: 'dialog-title' }, title),
    text ? h('p', {}, text) : null,
    ...fields.map((field, i) => h('p', { class: 'field' }, h('label', { for: `dialog-${field.name}` }, field.label), inputs[i])),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', value: 'ok', class: danger ? 'danger' : 'primary', 'data-testid': 'dialog-confirm' }, confirm),
      h('button', { type: 'submit', value: 'cancel', formnovalidate: true }, t('cancelButton'))),
  );
  const dialog = h('dialog', { 'aria-labelledby': 'dialog-title' }, form);
  document.body.append(dialog);
  dialog.showModal();
  // A dangerous question without fields starts on Cancel: Enter (pressed once too often) must not delete.
  (inputs[0] ?? form.querySelector(danger ? 'button[value=cancel]' : 'button')).focus();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      const values = dialog.returnValue === 'ok' ? Object.fromEntries(inputs.map((input) => [input.name, input.value])) : null;
      dialog.remove();
      /** @type {HTMLElement|null} */ (previous)?.focus?.();
      resolve(values);
    });
  });
}
