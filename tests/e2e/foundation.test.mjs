// The packaged extension loads, its background answers with the Wasm core's
// version, and the options page shows it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSER, ROOT, launch } from './lib/browser.mjs';

const crateVersion = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8').match(/^version = "(.+)"$/m)[1];

describe(`foundation in ${BROWSER}`, () => {
  let browser;
  before(async () => {
    browser = await launch();
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
  });
  after(() => browser?.close());

  test('the background answers with the Wasm core version', async () => {
    const reply = await browser.evaluate(() =>
      (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: 'core.version' }),
    );
    assert.deepEqual(reply, { ok: true, result: `sealmark ${crateVersion}` });
  });

  test('the background refuses unknown requests with a stable code', async () => {
    const reply = await browser.evaluate(() =>
      (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: 'no.such.thing' }),
    );
    assert.equal(reply.ok, false);
    assert.equal(reply.error.code, 'UNKNOWN_REQUEST');
  });

  test('the options page shows the core and engine versions', async () => {
    assert.equal(await browser.textOf('#core-version'), `sealmark ${crateVersion}`);
    assert.match(await browser.textOf('#pgp-version'), /^rPGP 0\.21\.\d+$/);
    assert.match(await browser.textOf('#mail-parser-version'), /^mail-parser 0\.11\.\d+$/);
    await browser.screenshot('options.png');
  });
});
