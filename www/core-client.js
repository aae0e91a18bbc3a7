// Loads the Wasm core and keeps it usable: after a Rust panic (an Error with
// code PANIC) the instance's memory cannot be trusted, so the next call gets a
// freshly instantiated module. A new URL for the glue module is what gives a
// fresh instance, since the glue caches the one it made.
let generation = 0;
let current = null;

async function instantiate() {
  const glue = await import(`./sealmark.js?generation=${generation}`);
  await glue.default({ module_or_path: new URL('sealmark_bg.wasm', import.meta.url) });
  return glue;
}

/**
 * The core module, instantiated on first use.
 * @returns {Promise<typeof import('./sealmark.js')>}
 */
export function core() {
  current ??= instantiate().catch((error) => {
    current = null;
    throw error;
  });
  return current;
}

/**
 * Runs `operation` with the core. A panic is rethrown to the caller, and the
 * core is replaced by a new instance before anyone uses it again.
 * @template T
 * @param {(core: typeof import('./sealmark.js')) => T} operation
 * @returns {Promise<T>}
 */
export async function withCore(operation) {
  const module = await core();
  try {
    return await operation(module);
  } catch (error) {
    if (error?.code === 'PANIC') {
      generation += 1;
      current = null;
    }
    throw error;
  }
}

/** How many times the core was replaced after a panic (for diagnostics and tests). */
export function generationCount() {
  return generation;
}
