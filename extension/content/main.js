import { ext } from '../shared/browser.js';
import { adapterFor } from './adapters/index.js';
import { cancelEditor, insertCiphertext, watchCompose } from './compose.js';
import { watchReading } from './reader.js';
import { watchTransport } from './transport.js';
import { request } from '../shared/messages.js';

// Runs in the isolated world of an enabled webmail tab. It only ever handles
// ciphertext, armored blocks and addresses; plaintext lives in Sealmark frames.
function start() {
  const adapter = adapterFor(location, document);
  document.documentElement.dataset.sealmarkAdapter = adapter.name;
  watchCompose(adapter);
  watchReading(adapter);
  watchTransport(adapter);
  ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (sender.id !== ext.runtime.id) return false;
    if (message?.type === 'sealmark.insert') sendResponse(insertCiphertext(adapter, message));
    else if (message?.type === 'sealmark.cancel') sendResponse(cancelEditor(message.id));
    return false;
  });
}

// Registered and manifest scripts can both match a page; run once.
// The background decides whether this exact origin (with its port) is enabled.
if (!globalThis.__sealmarkStarted) {
  globalThis.__sealmarkStarted = true;
  request('content.hello').then(start, () => {});
}
