// The Wasm core, running in a worker so that long work never freezes the
// page. After a Rust panic (an error with code PANIC) the instance's memory
// cannot be trusted: the worker is ended and the next call gets a fresh one.
import { startCoreWorker } from './components/core-worker-client.js';
import { guardCore } from './components/core-guard.js';
import initTransport, * as transportGlue from './sealmark_transport.js';

let generation = 0;
let current = null;

/** Fires `change` events with `detail` = how many calls are under way, for a progress indicator. */
export const activity = new EventTarget();

function start() {
  const worker = startCoreWorker(new URL('./sealmark.js', import.meta.url), {
    onActivity: (running) => activity.dispatchEvent(new CustomEvent('change', { detail: running })),
  });
  // Every function of the core, by name; `then` stays undefined so the proxy
  // is not mistaken for a promise.
  const proxy = new Proxy({}, { get: (_, name) => (typeof name === 'string' && name !== 'then' ? (...args) => worker.call(name, args) : undefined) });
  return { proxy, stop: worker.stop };
}

let transport = null;

/**
 * The transport module (route analysis only, a tenth of the core's size), in
 * the page itself: a route is read in milliseconds, and the OpenPGP core's
 * worker starts only when the OpenPGP tab first needs it.
 * @returns {Promise<typeof transportGlue>}
 */
export function transportCore() {
  transport ??= initTransport({ module_or_path: new URL('./sealmark_transport_bg.wasm', import.meta.url) })
    .then(() => guardCore(transportGlue, { panicHook: '__sealmarkTransportOnPanic' }))
    .catch((error) => {
      transport = null;
      throw error;
    });
  return transport;
}

/**
 * The core: an object whose functions are the Wasm package's, each returning a promise.
 * @returns {Promise<Record<string, (...args: unknown[]) => Promise<any>>>}
 */
export async function core() {
  current ??= start();
  return current.proxy;
}

/**
 * Runs `operation` with the core. A panic is rethrown to the caller, and the
 * core is replaced by a new worker before anyone uses it again.
 * @template T
 * @param {(core: Record<string, (...args: unknown[]) => Promise<any>>) => T | Promise<T>} operation
 * @returns {Promise<T>}
 */
export async function withCore(operation) {
  const module = await core();
  try {
    return await operation(module);
  } catch (error) {
    if (error?.code === 'PANIC' && current?.proxy === module) {
      generation += 1;
      current.stop();
      current = null;
    }
    throw error;
  }
}

/** How many times the core was replaced after a panic (for diagnostics and tests). */
export function generationCount() {
  return generation;
}
