// Whom a signature's issuer names. A signature names its signer by fingerprint, or only by a
// 16-hex key ID (older signers, and anything in the unhashed area): the same key answers both.

/**
 * Whether `issuer` (a fingerprint or a key ID, upper-case hex as the core writes them) names the
 * key `info` describes: its primary key or one of its subkeys.
 * @param {{primary: {fingerprint: string, key_id: string}, subkeys: {fingerprint: string, key_id: string}[]}} info
 * @param {string | null | undefined} issuer
 */
export function names(info, issuer) {
  if (!issuer) return false;
  const wanted = issuer.toUpperCase();
  return [info.primary, ...info.subkeys].some((component) => component.fingerprint === wanted || component.key_id === wanted);
}
