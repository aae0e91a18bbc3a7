import init, * as glue from '../wasm/sealmark.js';
import initTransport, * as transportGlue from '../wasm/sealmark_transport.js';
import { startCoreWorker } from '../components/core-worker-client.js';
import { guardCore } from '../components/core-guard.js';
import { ext } from '../shared/browser.js';

let ready = null;
let transportReady = null;
let resets = 0;

/**
 * The Wasm core, instantiated on first use. A service worker may be stopped at
 * any moment, so nothing here assumes it ran before; Chrome also forbids
 * top-level await in the worker, hence the lazy promise. After a panic the
 * next call runs on a fresh instance (`components/core-guard.js`), in the
 * background itself as in its worker.
 * @returns {Promise<typeof glue>}
 */
export function core() {
  ready ??= start().catch((error) => {
    ready = null; // let the next request try again instead of caching the failure
    throw error;
  });
  return ready;
}

/**
 * The transport module: the route analysis and a message's outline, without
 * OpenPGP (a tenth of the core's size). The route strip needs only this, so a
 * webmail tab never compiles the OpenPGP core unless a message asks for
 * OpenPGP work (src/wasm/mod.rs builds both modules from one crate).
 * @returns {Promise<typeof transportGlue>}
 */
export function transportCore() {
  transportReady ??= startTransport().catch((error) => {
    transportReady = null;
    throw error;
  });
  return transportReady;
}

async function startTransport() {
  const module = await compile(ext.runtime.getURL('wasm/sealmark_transport_bg.wasm'));
  const guarded = guardCore(transportGlue, { onReset: () => (resets += 1), panicHook: '__sealmarkTransportOnPanic' });
  await initTransport({ module_or_path: module });
  return counted(guarded);
}

/**
 * Which engines this background has started loading: the e2e tests check that
 * a page of plain mail never loads the OpenPGP core.
 * @returns {{ transport: boolean, openpgp: boolean, calls: Record<string, number> }}
 */
export function enginesLoaded() {
  return { transport: transportReady !== null, openpgp: ready !== null, calls: { ...calls } };
}

/** How often each core function was called since this background started, by name. */
const calls = {};

/**
 * The module's functions, each counting its calls: how many trips into the
 * core one user action costs is measured (`./build.sh bench`), not guessed.
 * @template {Record<string, any>} G
 * @param {G} functions
 * @returns {G}
 */
function counted(functions) {
  const out = {};
  for (const [name, value] of Object.entries(functions)) {
    out[name] = typeof value !== 'function' ? value : (...args) => {
      calls[name] = (calls[name] ?? 0) + 1;
      return value(...args);
    };
  }
  return /** @type {G} */ (out);
}

/** How many times a panicked core was replaced since this background started (the e2e tests read it). */
export function coreResets() {
  return resets;
}

/**
 * Compiles the core once: where long work goes to a worker, the worker gets
 * the compiled module instead of compiling it again (in Firefox two compiles
 * at once made the background wait 110 ms instead of 70, the worker 170).
 * @returns {Promise<typeof glue>}
 */
async function start() {
  const module = await compile(ext.runtime.getURL('wasm/sealmark_bg.wasm'));
  const guarded = guardCore(glue, { onReset: () => (resets += 1) });
  // The worker instantiates its copy while this one does.
  const core = typeof Worker === 'function' ? withLongWorkOffThread(guarded, module) : guarded;
  await init({ module_or_path: module });
  return counted(core);
}

/**
 * @param {string} url
 * @returns {Promise<WebAssembly.Module>}
 */
async function compile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The core could not be loaded (${response.status})`);
  return WebAssembly.compile(await response.arrayBuffer());
}

/**
 * What can take long: memory-hard passphrase derivations, RSA, large
 * messages (and, in a test build, work made long on purpose).
 */
const LONG = ['generateKey', 'changePassphrase', 'checkPassphrase', 'encrypt', 'decrypt', 'keysFor', 'openMessage', 'sign', 'testWork', 'testPanicAsync'];

/**
 * Firefox runs the background page on the thread of the extension's own pages:
 * a v6 key's Argon2 there froze the key manager and the editor for most of a
 * second. Where there is a Worker (Firefox; Chrome's background is a service
 * worker, off every page's thread already, and has none), the long operations
 * run in one; a panic there ends it, and the next call starts a fresh one.
 * @param {typeof glue} guarded
 * @param {WebAssembly.Module} module  the compiled core, for every worker (also one replacing a panicked one)
 * @returns {typeof glue}
 */
function withLongWorkOffThread(guarded, module) {
  const glueUrl = ext.runtime.getURL('wasm/sealmark.js');
  // Started now, so it has the core by the time it is needed.
  let worker = startCoreWorker(glueUrl, { module });
  const call = async (name, args) => {
    worker ??= startCoreWorker(glueUrl, { module });
    try {
      return await worker.call(name, args);
    } catch (error) {
      if (error?.code === 'PANIC') {
        worker.stop();
        worker = null;
        resets += 1;
      }
      throw error;
    }
  };
  const long = LONG.filter((name) => typeof guarded[name] === 'function');
  return { ...guarded, ...Object.fromEntries(long.map((name) => [name, (...args) => call(name, args)])) };
}
