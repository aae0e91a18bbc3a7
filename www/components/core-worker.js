// Runs the Wasm core off the main thread of whoever starts it: the Inspector
// page, and Firefox's extension background, which shares its thread with the
// extension's pages. The glue module comes in the worker's own URL
// (?glue=…, same origin only); each request names one of the core's
// functions and its arguments. With ?module=posted the first message brings
// the core already compiled ({ module }; null: compile it here), so a starter
// that has compiled it does not pay for it twice.
const params = new URL(self.location.href).searchParams;
const glueUrl = new URL(params.get('glue') ?? '', self.location.href);
let receiveModule = () => {};
const posted = params.get('module') === 'posted' ? new Promise((resolve) => (receiveModule = resolve)) : Promise.resolve(null);
const ready =
  glueUrl.origin === self.location.origin
    ? Promise.all([import(glueUrl.href), posted]).then(async ([glue, module]) => {
        await glue.default(module ? { module_or_path: module } : undefined);
        return glue;
      })
    : Promise.reject(Object.assign(new Error('the core must come from this origin'), { code: 'BAD_CALL' }));
ready.catch(() => {});

self.addEventListener('message', async ({ data }) => {
  if ('module' in data) {
    receiveModule(data.module);
    return;
  }
  const { id, name, args } = data;
  try {
    const glue = await ready;
    const operation = name === 'default' || name.startsWith('init') ? undefined : glue[name];
    if (typeof operation !== 'function') throw Object.assign(new Error(`the core has no function ${name}`), { code: 'BAD_CALL' });
    self.postMessage({ id, result: await operation(...args) });
  } catch (error) {
    self.postMessage({ id, error: { message: error?.message ?? String(error), code: error?.code } });
  }
});
