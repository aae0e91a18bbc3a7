/**
 * The WebExtension namespace of whichever browser runs us: Firefox exposes
 * promise-based `browser`, Chrome `chrome` (promise-based in MV3 as well).
 */
export const ext = globalThis.browser ?? globalThis.chrome;

/**
 * Who sent a runtime message, as both browsers describe it (the parts Sealmark reads).
 * @typedef {{ id?: string, url?: string, tab?: { id?: number }, frameId?: number }} MessageSender
 */
