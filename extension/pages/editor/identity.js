// Which of the person's own keys signs this message and keeps its copy: the one for the address
// the webmail sends from (Gmail's Send as, Roundcube's identities, Outlook's mailbox), shown and
// changeable here. A From with no key of its own, and a key other than the default, are said
// plainly rather than signed with silently. Where only the mailbox's own address can be read
// (Outlook), the editor says the From field itself was not.
import { h } from '../../components/dom.js';
import { t } from '../../shared/i18n.js';
import { request } from '../../shared/messages.js';

/** This page's own elements: their kinds are its HTML's. @type {(selector: string) => any} */
const $ = (selector) => document.querySelector(selector);

/**
 * The editor's identity row for the editor `id`: `refresh` reads the webmail's From and the keys
 * again (when it opens, and when the From changed since).
 * @param {string} id
 */
export function identityChooser(id) {
  /** @type {{address: string|null, fromIsMailbox?: boolean, keys: {fingerprint: string, userIds: string[], isDefault: boolean}[], fits: string|null}} */
  let shown = { address: null, keys: [], fits: null };
  const select = $('#identity');
  const note = $('#identity-note');
  const explain = () => {
    const chosen = shown.keys.find((key) => key.fingerprint === select.value);
    const warning = shown.address && !shown.fits
      ? t('identityNoKey', [shown.address])
      : chosen && !chosen.isDefault ? t(chosen.fingerprint === shown.fits ? 'identityNotDefault' : 'identityChosen', [chosen.userIds[0] ?? t('noUserId')]) : '';
    // Where the From field itself is not read, a quiet word on every message says so; a warning is for what differs.
    const hint = !warning && shown.address && shown.fromIsMailbox && chosen?.fingerprint === shown.fits ? t('identityMailboxAssumed', [shown.address]) : '';
    note.textContent = warning || hint;
    note.className = hint ? 'muted' : 'warning';
    note.hidden = !note.textContent;
    select.title = chosen?.userIds.join(', ') ?? '';
  };
  select.addEventListener('change', explain);
  return {
    async refresh() {
      shown = await request('compose.identities', { id });
      const preferred = shown.fits ?? shown.keys[0]?.fingerprint;
      select.replaceChildren(...shown.keys.map((key) =>
        h('option', { value: key.fingerprint, selected: key.fingerprint === preferred }, `${key.userIds[0] ?? t('noUserId')} · ${key.fingerprint.slice(-8)}`)));
      explain();
      $('#identity-row').hidden = !shown.keys.length;
    },
    /** The chosen key's fingerprint; undefined leaves the background's default (no key to choose). */
    signer: () => select.value || undefined,
    /** The From the choice was made for, which the background checks is still the page's. */
    address: () => shown.address,
  };
}
