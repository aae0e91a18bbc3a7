// Runs the Wasm core off the page's main thread, so the page stays
// responsive while a large message or a memory-hard passphrase derivation
// is worked on. Each request names a function of the core and its arguments.
import init, * as sealmark from './sealmark.js';

const ready = init({ module_or_path: new URL('sealmark_bg.wasm', import.meta.url) });

/** The core's exported functions, by name; the loader is not one of them. */
const operations = new Map(Object.entries(sealmark).filter(([name, value]) => typeof value === 'function' && name !== 'default' && !name.startsWith('init')));

self.addEventListener('message', async ({ data: { id, name, args } }) => {
  try {
    await ready;
    const operation = operations.get(name);
    if (!operation) throw Object.assign(new Error(`the core has no function ${name}`), { code: 'BAD_CALL' });
    self.postMessage({ id, result: await operation(...args) });
  } catch (error) {
    self.postMessage({ id, error: { message: error?.message ?? String(error), code: error?.code } });
  }
});
