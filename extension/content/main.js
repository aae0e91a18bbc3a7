import { ext } from '../shared/browser.js';
import { adapterFor } from './adapters/index.js';
import { cancelEditor, insertCiphertext, sendingAddressOf, watchCompose } from './compose.js';
import { watchReading } from './reader.js';
import { watchTransport } from './transport.js';
import { request } from '../shared/messages.js';
import { success } from '../shared/protocol.js';

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
    // The background's messages (shared/protocol.js TAB_MESSAGES), each answered in the protocol's envelope.
    if (message?.type === 'sealmark.insert') sendResponse(insertCiphertext(adapter, message));
    else if (message?.type === 'sealmark.cancel') sendResponse(cancelEditor(message.id));
    else if (message?.type === 'sealmark.from') sendResponse(sendingAddressOf(message.id));
    // Which webmail this is: a key backup is sent to oneself through its own compose screen.
    else if (message?.type === 'sealmark.adapter') sendResponse(success(adapter.name));
    return false;
  });
}

// Registered and manifest scripts can both match a page; run once.
// The background decides whether this exact origin (with its port) is enabled.
if (!globalThis.__sealmarkStarted) {
  globalThis.__sealmarkStarted = true;
  hello(0);
}

/**
 * Asks the background whether this origin is enabled, and starts if it is. A
 * message sent while the browser is stopping the background's worker gets no
 * answer (or fails to reach it): asked again, a few times, the page is not
 * left without Sealmark until it is reloaded. An answer that the origin is not
 * enabled is final.
 * @param {number} attempt
 */
function hello(attempt) {
  request('content.hello').then(start, (error) => {
    // The background's own answers carry a code; no code (or NO_BACKGROUND) means no background answered.
    if ((error?.code && error.code !== 'NO_BACKGROUND') || attempt >= 5) return;
    setTimeout(() => hello(attempt + 1), 250 * 2 ** attempt);
  });
}
