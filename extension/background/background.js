// Listeners must be registered synchronously on every start of the worker,
// or events that woke it are lost; all async work happens inside handlers.
import { ext } from '../shared/browser.js';
import { EXPIRY_ALARM, forgetExpired } from './passphrases.js';
import { route } from './router.js';
import { registerAddedSites } from './sites.js';

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  route(message, sender).then(sendResponse);
  return true; // keeps the channel open for the asynchronous answer
});

ext.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === EXPIRY_ALARM) forgetExpired();
});

// Registered scripts survive restarts, but not every update path: rebuild from storage.
ext.runtime.onInstalled.addListener(() => registerAddedSites());
ext.runtime.onStartup.addListener(() => registerAddedSites());
