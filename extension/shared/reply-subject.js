// Which subjects say "this answers a message": the reply and forward prefixes webmails write in the
// common languages. One list for the content script (is this compose window a reply?), the
// background (is it a forward?) and the editor (which prefix to keep on a protected subject).

/** Reply prefixes: Re, AW (de), SV (sv, da, no), Antw (nl), VS (fi), Odp (pl), YNT (tr), RES (pt), R (it). */
export const REPLY_PREFIX = /^\s*(re|aw|sv|antw|vs|odp|ynt|res|r)\s*:/i;
/** Forward prefixes: Fwd, Fw, WG (de), TR (fr), RV (es), ENC (pt), VB (sv), Doorst (nl), PD (pl), I (it). */
export const FORWARD_PREFIX = /^\s*(fwd?|wg|tr|rv|enc|vb|doorst|pd|i)\s*:/i;
/** Every prefix in front of a subject, as many as earlier answers put there. */
export const PREFIXES = /^\s*((re|aw|sv|antw|vs|odp|ynt|res|r|fwd?|wg|tr|rv|enc|vb|doorst|pd|i)\s*:\s*)+/i;

/**
 * Whether a subject says its message answers another, and how.
 * @param {string} subject
 * @returns {'reply'|'forward'|null}
 */
export function answerKind(subject) {
  if (REPLY_PREFIX.test(subject)) return 'reply';
  if (FORWARD_PREFIX.test(subject)) return 'forward';
  return null;
}
