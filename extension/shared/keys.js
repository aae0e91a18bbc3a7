import { t } from './i18n.js';

/**
 * A fingerprint in groups of four, the way people compare them aloud.
 * @param {string} fingerprint
 */
export function groupedFingerprint(fingerprint) {
  return String(fingerprint).replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * A key's state now: 'revoked', 'expired', 'unusable' or 'valid'.
 * @param {import('../wasm/sealmark.js').KeyInfo} info
 */
export function keyState(info) {
  if (info.primary.revoked) return 'revoked';
  if (info.primary.expires && Date.parse(info.primary.expires) <= Date.now()) return 'expired';
  if (!info.primary.valid || (!info.can_encrypt && !info.can_sign)) return 'unusable';
  return 'valid';
}

/** Localised label of a trust state ('own', 'unverified', 'verified', 'rejected'). */
export function trustLabel(trust) {
  return t(`trust_${trust}`);
}

/** Localised label of a key state. */
export function stateLabel(state) {
  return t(`keyState_${state}`);
}
