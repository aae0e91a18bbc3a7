// Why a signature is not valid, in the person's language, for the extension's reader and files
// page and the Inspector alike: the core gives the kind as a code (`bad_signature`,
// `signature_policy`, `signer_not_allowed`, `unknown_signer`) beside its English reason. Where
// that English adds a detail (a hash's name, a date) it follows the kind; a kind these words do
// not know is said in the core's words.

/**
 * @param {string | null | undefined} code  the core's `reason_code`
 * @param {string | null | undefined} reason  the core's English reason
 * @param {(key: string, substitutions?: string[]) => string} say  the locale's messages
 * @returns {{kind: string, detail: string | null}}  `detail`, when given, is English
 */
export function signatureReason(code, reason, say) {
  const key = `sigReason_${code}`;
  const kind = code ? say(key) : '';
  if (!kind || kind === key) return { kind: reason ?? '', detail: null };
  const detailed = code === 'signature_policy' || code === 'signer_not_allowed';
  return { kind, detail: detailed && reason ? reason : null };
}
