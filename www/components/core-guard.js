// One rule for every place that runs the Wasm core itself (the extension's
// background, the core's worker): after a Rust panic the instance's memory
// cannot be trusted, so it is instantiated anew before anyone calls it again.
//
// A panic in a synchronous function throws an Error with code PANIC to its
// caller. A panic inside an asynchronous one happens in wasm-bindgen-futures'
// task queue: the error reaches no caller and the promise would never settle.
// The core's panic hook therefore also calls a global function, named per
// module (`__sealmarkOnPanic` for the OpenPGP core, `__sealmarkTransportOnPanic`
// for the transport module; src/wasm/mod.rs), and every call still pending on
// that module then fails with that error.
// The glue is built with wasm-bindgen's `--experimental-reset-state-function`:
// `__wbg_reset_state()` makes a fresh instance from the compiled module, and
// callbacks left over from the old instance refuse to run.

/**
 * The core's functions, each guarded: a panic fails the calls under way and
 * the next call runs on a fresh instance.
 * @template {Record<string, any>} G
 * @param {G} glue  the wasm-bindgen module namespace, initialised
 * @param {{ onReset?: () => void, panicHook?: string }} [options]  onReset: told each time a fresh instance
 *   replaces a panicked one; panicHook: the global the module's panic hook calls
 * @returns {G}
 */
export function guardCore(glue, { onReset = () => {}, panicHook = '__sealmarkOnPanic' } = {}) {
  /** @type {Set<(error: Error) => void>} */
  const pending = new Set();
  let panicked = false;

  const onPanic = (/** @type {Error} */ error) => {
    panicked = true;
    for (const reject of [...pending]) reject(error);
    pending.clear();
  };
  globalThis[panicHook] = onPanic;

  const fresh = () => {
    if (!panicked) return;
    glue.__wbg_reset_state();
    panicked = false;
    onReset();
  };

  const call = (/** @type {Function} */ operation, /** @type {unknown[]} */ args) => {
    fresh();
    let result;
    try {
      result = operation(...args);
    } catch (error) {
      if (error?.code === 'PANIC') panicked = true;
      throw error;
    }
    if (!(result instanceof Promise)) return result;
    return new Promise((resolve, reject) => {
      pending.add(reject);
      result.then(
        (value) => pending.delete(reject) && resolve(value),
        (error) => {
          if (error?.code === 'PANIC') panicked = true;
          if (pending.delete(reject)) reject(error);
        },
      );
    });
  };

  const guarded = {};
  for (const [name, value] of Object.entries(glue)) {
    // The initialisers and wasm-bindgen's own helpers stay out of reach.
    if (typeof value !== 'function' || name === 'default' || name.startsWith('init') || name.startsWith('__')) continue;
    guarded[name] = (...args) => call(value, args);
  }
  return /** @type {G} */ (guarded);
}
