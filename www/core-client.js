// The Wasm core, running in a worker (core-worker.js) so that long work never
// freezes the page. Calls go by message and come back as promises. After a
// Rust panic (an error with code PANIC) the instance's memory cannot be
// trusted: the worker is ended and the next call gets a fresh one.
let generation = 0;
let current = null;

/** Fires `change` events with `detail` = how many calls are under way, for a progress indicator. */
export const activity = new EventTarget();

function start() {
  const worker = new Worker(new URL('./core-worker.js', import.meta.url), { type: 'module' });
  const pending = new Map();
  let next = 0;
  const settled = (id) => {
    const call = pending.get(id);
    pending.delete(id);
    activity.dispatchEvent(new CustomEvent('change', { detail: pending.size }));
    return call;
  };
  const failAll = (message, code) => {
    for (const id of [...pending.keys()]) settled(id).reject(Object.assign(new Error(message), { code }));
  };
  worker.addEventListener('message', ({ data }) => {
    const call = settled(data.id);
    if (!call) return;
    if (data.error) call.reject(Object.assign(new Error(data.error.message), { code: data.error.code }));
    else call.resolve(data.result);
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    failAll(`The core could not be loaded: ${event.message ?? 'worker error'}`, 'CORE_UNAVAILABLE');
  });
  const call = (name, args) =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      activity.dispatchEvent(new CustomEvent('change', { detail: pending.size }));
      worker.postMessage({ id, name, args });
    });
  // Every function of the core, by name; `then` stays undefined so the proxy
  // is not mistaken for a promise.
  const proxy = new Proxy({}, { get: (_, name) => (typeof name === 'string' && name !== 'then' ? (...args) => call(name, args) : undefined) });
  const stop = () => {
    worker.terminate();
    failAll('The core was restarted after an internal error; try again.', 'RESTARTED');
  };
  return { proxy, stop };
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
