// A tab's Sealmark frames go with its page, and a change of the fragment alone
// (how Gmail opens a thread; Chromium reports it as the tab loading) is no new page.
import assert from 'node:assert/strict';
import { test } from 'node:test';

globalThis.chrome ??= { runtime: { id: 'test' } };
const { leavesPage } = await import('../../extension/background/tab-pages.js');

test('another fragment is the same page; a reload, another address or an unknown page is not', () => {
  const page = 'https://mail.google.com/mail/u/0/#inbox/FMfcgzA';
  assert.equal(leavesPage(page, 'https://mail.google.com/mail/u/0/#inbox/FMfcgzB'), false);
  assert.equal(leavesPage(page, 'https://mail.google.com/mail/u/0/#inbox/FMfcgzA?compose=new'), false);
  assert.equal(leavesPage(page, page), true, 'the same address loading again is a reload');
  assert.equal(leavesPage(page, 'https://mail.google.com/mail/u/1/#inbox'), true);
  assert.equal(leavesPage(page, 'https://mail.google.com/mail/u/0/?ui=2#inbox/FMfcgzA'), true);
  assert.equal(leavesPage(undefined, page), true, 'a page never seen settled');
  assert.equal(leavesPage(page, undefined), true, 'an address the extension may not see');
});
