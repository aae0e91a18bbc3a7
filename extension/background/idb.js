/**
 * The extension's own IndexedDB: what must not be readable by content scripts
 * (the keyring, the security sign, correspondents' Autocrypt state) and what
 * is too large for `storage.session` (frame records: whole ciphertexts, 10 MB
 * for everything in Chrome). Content scripts run with the webmail's origin,
 * so they reach the page's databases, never the extension's; `storage.local`,
 * by contrast, is open to them in both browsers.
 */
const NAME = 'sealmark';
const VERSION = 1;
/** Store → its key path and indexes. `kv`: small named values; `frames`: frame records. */
const STORES = {
  kv: { keyPath: null, indexes: [] },
  frames: { keyPath: 'id', indexes: ['tabId', 'key'] },
};

let opened = null;

/** @returns {Promise<IDBDatabase>} */
function database() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => {
      for (const [name, { keyPath, indexes }] of Object.entries(STORES)) {
        if (request.result.objectStoreNames.contains(name)) continue;
        const store = request.result.createObjectStore(name, keyPath ? { keyPath } : undefined);
        for (const index of indexes) store.createIndex(index, index);
      }
    };
    request.onsuccess = () => {
      // Another context upgrading the schema closes this one; reopen on next use.
      request.result.onversionchange = () => {
        request.result.close();
        opened = null;
      };
      resolve(request.result);
    };
    request.onerror = () => {
      opened = null;
      reject(request.error);
    };
  });
  return opened;
}

/**
 * Runs `work` in one transaction over `stores` and resolves once it is
 * committed, with what `work` returned (requests it made are awaited).
 * @template T
 * @param {string[]} stores
 * @param {'readonly'|'readwrite'} mode
 * @param {(tx: IDBTransaction) => T | Promise<T>} work
 * @returns {Promise<T>}
 */
export async function transaction(stores, mode, work) {
  const tx = (await database()).transaction(stores, mode);
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
  const result = await work(tx);
  await done;
  return result;
}

/**
 * A request's result as a promise.
 * @template T
 * @param {IDBRequest<T>} request
 * @returns {Promise<T>}
 */
export function settled(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** A small named value, or undefined. */
export function getValue(name) {
  return transaction(['kv'], 'readonly', (tx) => settled(tx.objectStore('kv').get(name)));
}

/** Stores a small named value. */
export function setValue(name, value) {
  return transaction(['kv'], 'readwrite', (tx) => void tx.objectStore('kv').put(value, name));
}
