// Runs the Wasm core off the main thread of whoever starts it: the Inspector
// page, and Firefox's extension background, which shares its thread with the
// extension's pages. The glue module comes in the worker's own URL
// (?glue=…, same origin only); each request names one of the core's
// functions and its arguments. With ?module=posted the first message brings
// the core already compiled ({ module }; null: compile it here), so a starter
// that has compiled it does not pay for it twice.
import { guardCore } from './core-guard.js';

const params = new URL(self.location.href).searchParams;
const glueUrl = new URL(params.get('glue') ?? '', self.location.href);
/** @type {(module: WebAssembly.Module | null) => void} */
let receiveModule = () => {};
const posted = params.get('module') === 'posted' ? new Promise((resolve) => (receiveModule = resolve)) : Promise.resolve(null);
const ready =
  glueUrl.origin === self.location.origin
    ? Promise.all([import(glueUrl.href), posted]).then(async ([glue, module]) => {
        await glue.default(module ? { module_or_path: module } : undefined);
        // A panic fails the calls under way (also one inside an asynchronous
        // function, which would otherwise never answer); whoever started this
        // worker then ends it.
        return guardCore(glue);
      })
    : Promise.reject(Object.assign(new Error('the core must come from this origin'), { code: 'BAD_CALL' }));
ready.catch(() => {});

// A panic inside an asynchronous function is thrown in the task queue after
// the guard has failed the calls under way; let it end here rather than reach
// the starter as a worker error, which would say the core could not be loaded.
self.addEventListener('error', (event) => {
  if (event.error?.code === 'PANIC') event.preventDefault();
});

self.addEventListener('message', async ({ data }) => {
  if ('module' in data) {
    receiveModule(data.module);
    return;
  }
  const { id, name, args } = data;
  try {
    const glue = await ready;
    const operation = Object.hasOwn(glue, name) ? glue[name] : undefined;
    if (typeof operation !== 'function') throw Object.assign(new Error(`the core has no function ${name}`), { code: 'BAD_CALL' });
    self.postMessage({ id, result: await operation(...args) });
  } catch (error) {
    // The detail ({key, args}) lets the page say the core's message in its own language.
    self.postMessage({ id, error: { message: error?.message ?? String(error), code: error?.code, detail: error?.detail } });
  }
});
