import { core, coreResets } from '../core.js';
import { fail } from '../errors.js';


/**
 * Requests that only a test build can answer: its core has the `test-hooks`
 * feature (src/wasm/test_hooks.rs). In a release package the core lacks
 * these functions and every request here is refused as unknown.
 * @param {string} name
 */
async function hook(name) {
  const sealmark = await core();
  if (typeof sealmark[name] !== 'function') fail('UNKNOWN_REQUEST', `Unknown request type: test.${name}`);
  return sealmark[name];
}

/** For the end-to-end tests: failures made on demand, through the same paths as real work. */
export const testHandlers = {
  // Long work runs where the real long operations run (Firefox: the background's worker).
  'test.work': { run: async ({ ms }) => (await hook('testWork'))(Math.min(Number(ms) || 0, 120_000)) },
  'test.panic': { run: async () => (await hook('testPanic'))() },
  'test.panicAsync': { run: async () => (await hook('testPanicAsync'))() },
  'test.resets': { run: async () => (await hook('testWork')) && coreResets() },
};
