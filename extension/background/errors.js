/**
 * Throws an Error carrying a stable `code` the pages translate for the user.
 * @param {string} code
 * @param {string} message  English detail for logs and tests
 * @returns {never}
 */
export function fail(code, message) {
  throw Object.assign(new Error(message), { code });
}
