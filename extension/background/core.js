import init, * as sealmark from '../wasm/sealmark.js';
import { startCoreWorker } from '../components/core-worker-client.js';
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
    .then(() => (typeof Worker === 'function' ? withLongWorkOffThread(sealmark) : sealmark))
    .catch((error) => {
      ready = null; // let the next request try again instead of caching the failure
      throw error;
    });
  return ready;
}

/** What can take long: memory-hard passphrase derivations, RSA, large messages. */
const LONG = ['generateKey', 'changePassphrase', 'encrypt', 'decrypt', 'sign'];

/**
 * Firefox runs the background page on the thread of the extension's own pages:
 * a v6 key's Argon2 there froze the key manager and the editor for most of a
 * second. Where there is a Worker (Firefox; Chrome's background is a service
 * worker, off every page's thread already, and has none), the long operations
 * run in one; a panic there ends it, and the next call starts a fresh one.
 * @param {typeof sealmark} module
 * @returns {typeof sealmark}
 */
function withLongWorkOffThread(module) {
  // Started now, so it has compiled the core by the time it is needed.
  let worker = startCoreWorker(ext.runtime.getURL('wasm/sealmark.js'));
  const call = async (name, args) => {
    worker ??= startCoreWorker(ext.runtime.getURL('wasm/sealmark.js'));
    try {
      return await worker.call(name, args);
    } catch (error) {
      if (error?.code === 'PANIC') {
        worker.stop();
        worker = null;
      }
      throw error;
    }
  };
  return { ...module, ...Object.fromEntries(LONG.map((name) => [name, (...args) => call(name, args)])) };
}
