const queues = new Map();

/**
 * Runs `task` after every earlier task with the same name has finished.
 * Storage updates are read-modify-write; two requests handled at once (two
 * frames opening, two imports) would otherwise overwrite each other.
 * @template T
 * @param {string} name
 * @param {() => Promise<T>} task
 * @returns {Promise<T>}
 */
export function serialized(name, task) {
  const previous = queues.get(name) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.catch(() => {});
  queues.set(name, settled);
  settled.then(() => {
    if (queues.get(name) === settled) queues.delete(name);
  });
  return next;
}
