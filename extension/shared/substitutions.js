// A locale message's substitutions travel between the extension's contexts as
// text, so the page that says them cannot tell a number from a name: a number
// is written where it is made, as the person's language writes it.

/**
 * The substitutions of a locale message as text: numbers in `language`'s way (1,048,576 in
 * English, 1.048.576 in German), anything else as it is.
 * @param {(string|number)[]} args
 * @param {string} language  a BCP 47 tag, as `i18n.getUILanguage()` gives it
 * @returns {string[]}
 */
export function substitutionsFor(args, language) {
  const number = new Intl.NumberFormat(language);
  return args.map((arg) => (typeof arg === 'number' ? number.format(arg) : String(arg)));
}
