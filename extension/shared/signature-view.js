// A signature as a person reads it, the same in the reader and on the files page: the judgement
// in a word, who signed (never a name for a key not in the keyring, whose name is only a claim),
// the fingerprint, and what else the person must know: a key not checked by them, a key they
// rejected, a signer who is not the sender, why a signature is bad.
import { h } from '../components/dom.js';
import { t } from './i18n.js';
import { groupedFingerprint, trustLabel } from './keys.js';
import { signatureReason } from '../components/signature-words.js';

/**
 * @typedef {import('../background/opening.js').JudgedSignature} JudgedSignature
 */

/**
 * The elements saying `signatures` (one each, `data-testid=signature`, `data-status` its status;
 * one saying there is none when there is none).
 * @param {JudgedSignature[]} signatures
 * @param {{tag?: 'p' | 'span', trust?: boolean, stranger?: boolean}} [how]  `trust`: say how far
 *   a valid signer's key is trusted; `stranger`: say that an unknown signer is not in the keyring
 * @returns {HTMLElement[]}
 */
export function signatureViews(signatures, { tag = 'p', trust = false, stranger = false } = {}) {
  if (!signatures.length) return [h(tag, { class: 'sig sig-none', 'data-testid': 'signature', 'data-status': 'none' }, t('sigNone'))];
  return signatures.map((s) => {
    /** @type {(string | Node | (string | Node)[])[]} */
    const lines = [h('strong', {}, t(`sig_${s.status}`)), ' '];
    if (s.status !== 'unknown_key') lines.push(s.signer ?? '', ' ');
    lines.push(h('code', {}, groupedFingerprint(s.fingerprint)));
    if (trust && s.status === 'valid' && s.trust) lines.push(h('br'), t('filesSignerTrust', [trustLabel(s.trust)]));
    if (s.status === 'valid' && s.trust !== 'verified' && s.trust !== 'own') lines.push(h('br'), t('sigUnverifiedKey'));
    if (s.status === 'unknown_key' && s.trust === 'rejected') lines.push(h('br'), t('sigSignerRejected'));
    else if (stranger && s.status === 'unknown_key') lines.push(h('br'), t('filesSignerNotInKeyring'));
    if (s.senderMismatch) lines.push(h('br'), h('strong', {}, t('sigSenderMismatch')));
    if (s.status === 'bad') lines.push(h('br'), reasonWords(s));
    return h(tag, { class: `sig sig-${s.status}`, 'data-testid': 'signature', 'data-status': s.status }, ...lines);
  });
}

/**
 * Why a signature is bad, in the person's language; the core's English details marked as English.
 * @param {JudgedSignature} s
 */
function reasonWords(s) {
  const { kind, detail } = signatureReason(s.reasonCode, s.reason, t);
  return detail ? [kind, ' ', t('sigReasonDetail'), ' ', h('span', { lang: 'en' }, detail)] : kind;
}
