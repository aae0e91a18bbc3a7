import init, * as sealmark from '../wasm/sealmark.js';
import { ext } from '../shared/browser.js';

let ready = null;

/**
 * The Wasm core, instantiated on first use. A service worker may be stopped at
 * any moment, so nothing here assumes it ran before; Chrome also forbids
 * top-level await in the worker, hence the lazy promise.
 * @returns {Promise<typeof sealmark>}
 */
export function core() {
  ready ??= init({ module_or_path: ext.runtime.getURL('wasm/sealmark_bg.wasm') })
    .then(() => sealmark)
    .catch((error) => {
      ready = null; // let the next request try again instead of caching the failure
      throw error;
    });
  return ready;
}
