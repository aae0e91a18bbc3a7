/**
 * The WebExtension namespace of whichever browser runs us: Firefox exposes
 * promise-based `browser`, Chrome `chrome` (promise-based in MV3 as well).
 */
export const ext = globalThis.browser ?? globalThis.chrome;
