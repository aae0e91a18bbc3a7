// Talks to the core running in a worker (core-worker.js): each call goes by
// message and comes back as a promise.

/**
 * Starts the core in a worker.
 * @param {string | URL} glueUrl  the wasm-bindgen glue module (sealmark.js), same origin
 * @param {{ onActivity?: (running: number) => void, module?: WebAssembly.Module }} [options]
 *   onActivity: told how many calls are under way, whenever that changes; module: the core already compiled
 *   by the caller, handed over instead of compiled again in the worker
 * @returns {{ call: (name: string, args: unknown[]) => Promise<any>, stop: () => void }}
 */
export function startCoreWorker(glueUrl, { onActivity = () => {}, module } = {}) {
  const url = new URL('./core-worker.js', import.meta.url);
  url.searchParams.set('glue', String(glueUrl));
  if (module) url.searchParams.set('module', 'posted');
  const worker = new Worker(url, { type: 'module' });
  if (module) {
    try {
      worker.postMessage({ module });
    } catch {
      worker.postMessage({ module: null }); // a browser that cannot pass a module: the worker compiles it
    }
  }
  const pending = new Map();
  let next = 0;
  const settled = (id) => {
    const call = pending.get(id);
    pending.delete(id);
    onActivity(pending.size);
    return call;
  };
  const failAll = (message, code) => {
    for (const id of [...pending.keys()]) settled(id).reject(Object.assign(new Error(message), { code }));
  };
  worker.addEventListener('message', ({ data }) => {
    const call = settled(data.id);
    if (!call) return;
    if (data.error) call.reject(Object.assign(new Error(data.error.message), { code: data.error.code, detail: data.error.detail }));
    else call.resolve(data.result);
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    failAll(`The core could not be loaded: ${event.message ?? 'worker error'}`, 'CORE_UNAVAILABLE');
  });
  return {
    call: (name, args) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        onActivity(pending.size);
        worker.postMessage({ id, name, args });
      }),
    stop: () => {
      worker.terminate();
      failAll('The core was restarted after an internal error; try again.', 'RESTARTED');
    },
  };
}
