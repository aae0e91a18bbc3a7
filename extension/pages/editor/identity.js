// Which of the person's own keys signs this message and keeps its copy: the one for the address
// the webmail sends from (Gmail's Send as, Roundcube's identities), shown and changeable here.
// A From with no key of its own is said plainly rather than signed for silently with another.
import { h } from '../../components/dom.js';
import { t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';

/** This page's own elements: their kinds are its HTML's. @type {(selector: string) => any} */
const $ = (selector) => document.querySelector(selector);

/**
 * Fills the editor's identity row for the editor `id`.
 * @param {string} id
 * @returns {Promise<() => string|undefined>} the chosen key's fingerprint, or undefined when there is none to choose
 */
export async function setUpIdentity(id) {
  const { address, keys, fits } = await request('compose.identities', { id });
  const select = $('#identity');
  if (!keys.length) return () => undefined;
  select.replaceChildren(...keys.map((key) =>
    h('option', { value: key.fingerprint, selected: key.fingerprint === (fits ?? keys[0].fingerprint) },
      `${key.userIds[0] ?? t('noUserId')} · ${key.fingerprint.slice(-8)}`)));
  const note = $('#identity-note');
  const explain = () => {
    const chosen = keys.find((key) => key.fingerprint === select.value);
    note.textContent = address && !fits ? t('identityNoKey', [address]) : '';
    note.hidden = !note.textContent;
    select.title = chosen?.userIds.join(', ') ?? '';
  };
  select.addEventListener('change', explain);
  explain();
  $('#identity-row').hidden = false;
  return () => select.value || undefined;
}
