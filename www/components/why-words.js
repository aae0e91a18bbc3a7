// Why the core believed a Received line or an authentication field, or what it
// remarks on a hop, in the person's language. The core gives each reason as a
// code and the names it mentions (src/transport/why.rs) beside its English
// sentence; the locale files say the code (key `why` + the code in camel case),
// `$1`… filled with those names. A code the locale does not know (a newer core)
// is shown in the core's English, never dropped (tests/unit/why-words.test.mjs
// checks the English word for word).

/**
 * A code's locale key, as tests/why_words.rs names it: `trusted_provider` → `whyTrustedProvider`.
 * @param {string} code
 */
const keyOf = (code) => `why${code.split('_').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')}`;

/**
 * A reason in the person's language, or `english` (the core's sentence) when the code is unknown
 * here or the language has no words for it.
 * @param {{code: string, args: string[]} | null | undefined} why  the core's code and what it names
 * @param {string} english  the core's sentence for the same reason
 * @param {(key: string, substitutions?: string[]) => string} say  the locale's messages
 * @returns {string}
 */
export function explained(why, english, say) {
  if (!why || typeof why.code !== 'string' || !Array.isArray(why.args)) return english;
  const key = keyOf(why.code);
  const said = say(key, why.args.map(String));
  return said && said !== key ? said : english;
}
