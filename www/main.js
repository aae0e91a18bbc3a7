import init, { version } from './sealmark.js';

const status = document.getElementById('core-status');
try {
  await init({ module_or_path: new URL('sealmark_bg.wasm', import.meta.url) });
  status.textContent = `Core ready: ${version()}`;
} catch (error) {
  status.textContent = `The core could not be loaded: ${error.message}`;
  status.classList.add('error');
}
