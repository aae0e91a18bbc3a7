// Listeners must be registered synchronously on every start of the worker,
// or events that woke it are lost; all async work happens inside handlers.
import { ext } from '../shared/browser.js';
import { route } from './router.js';

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  route(message, sender).then(sendResponse);
  return true; // keeps the channel open for the asynchronous answer
});
