// Text a sender or a page chose, made fit for one line of what Sealmark shows or writes.

/**
 * No line breaks (which would start a header or an unquoted line of the writer's choosing), no
 * control or direction-override characters, whitespace collapsed; at most `max` characters.
 * Anything but a string is the empty line.
 * @param {unknown} value
 * @param {number} [max]
 */
export function oneLine(value, max = Infinity) {
  if (typeof value !== 'string') return '';
  return value.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
}
