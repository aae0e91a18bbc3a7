// A locale message's substitutions travel between the extension's contexts as
// text, so the page that says them cannot tell a number from a name: a number
// is written where it is made, as the person's language writes it.

/**
 * The substitutions of a locale message as text: numbers in `language`'s way (1,048,576 in
 * English, 1.048.576 in German), anything else as it is.
 * @param {(string|number)[]} args
 * @param {string} language  the language the words are said in (a BCP 47 tag)
 * @returns {string[]}
 */
export function substitutionsFor(args, language) {
  let number = null;
  try {
    number = new Intl.NumberFormat(language);
  } catch {
    // An unusable tag: the digits as they are, never an error in place of the one being said.
  }
  return args.map((arg) => (typeof arg === 'number' && number ? number.format(arg) : String(arg)));
}
