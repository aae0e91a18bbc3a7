// Why the core believed a Received line or an authentication field, or what it
// remarks on a hop, in the person's language. The core gives each reason as a
// code and the names it mentions (src/transport/why.rs) beside its English
// sentence; the locale files say the code, `$1`… filled with those names. A
// code these words do not know (a newer core) is shown in the core's English,
// never dropped (tests/unit/why-words.test.mjs checks the English word for word).

/** The codes of src/transport/why.rs, as their locale keys. */
const KEYS = Object.freeze({
  trusted_declared: 'whyTrustedDeclared',
  trusted_provider: 'whyTrustedProvider',
  trusted_inside: 'whyTrustedInside',
  claimed: 'whyClaimed',
  reordered: 'whyReordered',
  internal_no_client: 'whyInternalNoClient',
  internal_loopback: 'whyInternalLoopback',
  internal_same_host: 'whyInternalSameHost',
  internal_lmtp: 'whyInternalLmtp',
  internal_delivery: 'whyInternalDelivery',
  internal_webmail: 'whyInternalWebmail',
  internal_mapi: 'whyInternalMapi',
  internal_imap: 'whyInternalImap',
  internal_authenticated: 'whyInternalAuthenticated',
  boundary_none: 'whyBoundaryNone',
  boundary_all: 'whyBoundaryAll',
  boundary_from: 'whyBoundaryFrom',
  boundary_inside: 'whyBoundaryInside',
  auth_below: 'whyAuthBelow',
  auth_no_receiving: 'whyAuthNoReceiving',
  auth_written_by: 'whyAuthWrittenBy',
  auth_not_receiving: 'whyAuthNotReceiving',
  auth_unnamed_results: 'whyAuthUnnamedResults',
  auth_unnamed_spf: 'whyAuthUnnamedSpf',
  unreadable_date: 'whyUnreadableDate',
  negative_delay: 'whyNegativeDelay',
  continuity_break: 'whyContinuityBreak',
  injected_trusted_name: 'whyInjectedTrustedName',
  injected_provider: 'whyInjectedProvider',
});

/** Every locale key these words use, for the locale tests. */
export const WHY_KEYS = Object.freeze(Object.values(KEYS));

/**
 * A reason in the person's language, or `english` (the core's sentence) when the code is unknown
 * here or the language has no words for it.
 * @param {{code: string, args: string[]} | null | undefined} why  the core's code and what it names
 * @param {string} english  the core's sentence for the same reason
 * @param {(key: string, substitutions?: string[]) => string} say  the locale's messages
 * @returns {string}
 */
export function explained(why, english, say) {
  const key = why && Object.hasOwn(KEYS, why.code) ? KEYS[why.code] : null;
  if (!key) return english;
  const said = say(key, why.args.map(String));
  return said && said !== key ? said : english;
}
