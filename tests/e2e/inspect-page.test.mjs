// The extension's "Inspect a message" page: message source from any client →
// the route view, analysed by the background's Wasm core.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSER, ROOT, launch } from './lib/browser.mjs';

describe(`extension inspect page in ${BROWSER}`, () => {
  let browser;
  before(async () => {
    browser = await launch();
    await browser.goto(browser.extensionUrl('pages/inspect/inspect.html'));
  });
  after(() => browser?.close());

  test('a stripped STARTTLS hop is shown with the downgrade warning and the boundary', async () => {
    const message = readFileSync(join(ROOT, 'tests/corpus/transport/starttls-stripped.eml'), 'utf8');
    await browser.evaluate((message) => {
      document.getElementById('raw').value = message;
      document.getElementById('analyze').click();
    }, message);
    const seen = await browser.waitFor(() => document.querySelector('[data-testid=verdict]') && {
        verdict: document.querySelector('[data-testid=verdict]')?.textContent,
        hops: document.querySelectorAll('[data-testid=hop]').length,
        boundary: Boolean(document.querySelector('[data-testid=trust-boundary]')),
      });
    assert.deepEqual(seen, { verdict: 'Hop 3 was plaintext — possible STARTTLS downgrade', hops: 5, boundary: true });
    await browser.screenshot('extension-inspect.png');
  });

  test('the background refuses a request without the message text', async () => {
    const reply = await browser.evaluate(() =>
      (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: 'transport.analyze', payload: {} }),
    );
    assert.deepEqual(reply, { ok: false, error: { code: 'BAD_INPUT', message: 'raw must be the message as text' } });
  });
});
