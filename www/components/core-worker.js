// Runs the Wasm core off the main thread of whoever starts it: the Inspector
// page, and Firefox's extension background, which shares its thread with the
// extension's pages. The glue module comes in the worker's own URL
// (?glue=…, same origin only); each request names one of the core's
// functions and its arguments.
const glueUrl = new URL(new URL(self.location.href).searchParams.get('glue') ?? '', self.location.href);
const ready =
  glueUrl.origin === self.location.origin
    ? import(glueUrl.href).then(async (glue) => {
        await glue.default();
        return glue;
      })
    : Promise.reject(Object.assign(new Error('the core must come from this origin'), { code: 'BAD_CALL' }));
ready.catch(() => {});

self.addEventListener('message', async ({ data: { id, name, args } }) => {
  try {
    const glue = await ready;
    const operation = name === 'default' || name.startsWith('init') ? undefined : glue[name];
    if (typeof operation !== 'function') throw Object.assign(new Error(`the core has no function ${name}`), { code: 'BAD_CALL' });
    self.postMessage({ id, result: await operation(...args) });
  } catch (error) {
    self.postMessage({ id, error: { message: error?.message ?? String(error), code: error?.code } });
  }
});
