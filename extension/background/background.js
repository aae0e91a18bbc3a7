// Listeners must be registered synchronously on every start of the worker,
// or events that woke it are lost; all async work happens inside handlers.
import { ext } from '../shared/browser.js';
import { forgetTab } from './frames.js';
import { pageUpdated, tabClosed } from './tab-pages.js';
import { EXPIRY_ALARM, forgetExpired } from './passphrases.js';
import { route } from './router.js';
import { registerAddedSites } from './sites.js';
import { changeSettings } from './settings.js';

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  route(message, sender).then(sendResponse);
  return true; // keeps the channel open for the asynchronous answer
});

ext.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === EXPIRY_ALARM) forgetExpired();
});

// A tab's frames go with its page: closed, reloaded or navigated away (not when
// only the fragment changes: tab-pages.js).
ext.tabs.onRemoved.addListener((tabId) => {
  void forgetTab(tabId).catch(() => null);
  tabClosed(tabId);
});
ext.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.status !== 'loading' && change.status !== 'complete') return;
  const left = pageUpdated(tabId, change, tab);
  if (left === true) void forgetTab(tabId).catch(() => null);
  else if (left instanceof Promise) void left.then((gone) => gone && forgetTab(tabId)).catch(() => null);
});

// Registered scripts survive restarts, but not every update path: rebuild from storage.
ext.runtime.onInstalled.addListener(({ reason }) => {
  registerAddedSites();
  // A new user starts with the welcome page, its first step: the security sign, first of all.
  // (Someone updating from a version without it has set up already: the setting's default is done.)
  if (reason === 'install') {
    changeSettings({ setupStep: 'sign' })
      .catch(() => null)
      .finally(() => ext.tabs.create({ url: ext.runtime.getURL('pages/welcome/welcome.html') }).catch(() => null));
  }
});
ext.runtime.onStartup.addListener(() => registerAddedSites());
