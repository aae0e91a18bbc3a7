import { h } from '../../components/dom.js';
import { describeError } from '../../shared/errors.js';
import { t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';
import { passphraseStrength } from '../../shared/strength.js';

const TYPES = [
  ['curve25519/rfc4880', 'genTypeCurve'],
  ['curve25519/rfc9580', 'genTypeV6'],
  ['curve25519/rfc9980', 'genTypePostQuantum'],
  ['rsa3072/rfc4880', 'genTypeRsa3072'],
  ['rsa4096/rfc4880', 'genTypeRsa4096'],
];
const EXPIRIES = [['730', 'expiry2y'], ['365', 'expiry1y'], ['1825', 'expiry5y'], ['0', 'expiryNever']];

/** A label and its select of `options` ([value, message key]), the first chosen. */
const choice = (id, label, options) => [
  h('label', { for: id }, t(label)),
  h('select', { id }, options.map(([value, key]) => h('option', { value }, t(key)))),
];

/**
 * The form's fields: name, address, with `choices` the key type and expiry (the welcome page
 * makes the recommended kind), the passphrase with its strength, and Generate.
 * @param {boolean} choices
 */
function form(choices) {
  return [
    h('form', { id: 'generate', class: 'form-grid' },
      h('label', { for: 'gen-name' }, t('genName')),
      h('input', { id: 'gen-name', type: 'text', autocomplete: 'name' }),
      h('label', { for: 'gen-email' }, t('genEmail')),
      h('input', { id: 'gen-email', type: 'email', required: true, autocomplete: 'email' }),
      choices ? [...choice('gen-type', 'genType', TYPES), ...choice('gen-expiry', 'genExpiry', EXPIRIES)] : null,
      h('label', { for: 'gen-passphrase' }, t('genPassphrase')),
      h('div', {},
        h('input', { id: 'gen-passphrase', type: 'password', required: true, autocomplete: 'new-password', 'aria-describedby': 'strength' }),
        h('meter', { id: 'strength-meter', min: '0', max: '4', low: '2', high: '3', optimum: '4', value: '0', 'aria-hidden': 'true' }),
        h('span', { id: 'strength', class: 'muted', 'aria-live': 'polite' })),
      h('label', { for: 'gen-repeat' }, t('genRepeat')),
      h('input', { id: 'gen-repeat', type: 'password', required: true, autocomplete: 'new-password' }),
      h('span', {}),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'gen-submit' }, t('generateButton')),
        h('progress', { id: 'gen-progress', hidden: true, 'aria-label': t('generating') }))),
    h('p', { id: 'generate-status', role: 'status', class: 'status' }),
  ];
}

/**
 * The "Generate a key" form, drawn into `#generate-place`. Generation runs in the background, so
 * the page stays responsive; a progress bar shows while it works (RSA takes seconds).
 * @param {() => Promise<void>} refresh  re-lists the keyring afterwards
 * @param {{choices?: boolean}} [options]  choices: offer the key type and expiry (the options page)
 */
export function setUpGenerate(refresh, { choices = true } = {}) {
  /** This page's own elements, by id: their kinds are its HTML's. @type {(id: string) => any} */
  const $ = (id) => document.getElementById(id);
  $('generate-place').replaceChildren(...form(choices));
  const passphrase = $('gen-passphrase');
  passphrase.addEventListener('input', () => {
    const { score, hint } = passphraseStrength(passphrase.value);
    $('strength-meter').value = score;
    $('strength').textContent = hint ? t(hint) : '';
  });
  $('generate').addEventListener('submit', async (event) => {
    event.preventDefault();
    const status = $('generate-status');
    if (passphrase.value !== $('gen-repeat').value) {
      status.textContent = t('passphrasesDiffer');
      status.className = 'status error';
      return;
    }
    // Without the choices (the welcome page), the recommended kind: the first of each.
    const [type, profile] = ($('gen-type')?.value ?? TYPES[0][0]).split('/');
    $('gen-submit').disabled = true;
    $('gen-progress').hidden = false;
    status.textContent = t(type.startsWith('rsa') ? 'generatingRsa' : 'generating');
    status.className = 'status';
    try {
      const { fingerprint } = await request('keys.generate', {
        name: $('gen-name').value,
        email: $('gen-email').value,
        passphrase: passphrase.value,
        type,
        profile,
        expiresInDays: Number($('gen-expiry')?.value ?? EXPIRIES[0][0]),
      });
      status.textContent = t('generated', [fingerprint]);
      status.className = 'status ok';
      passphrase.value = '';
      $('gen-repeat').value = '';
      await refresh();
    } catch (error) {
      status.textContent = describeError(error);
      status.className = 'status error';
    } finally {
      $('gen-submit').disabled = false;
      $('gen-progress').hidden = true;
    }
  });
}
