// Failures a user can meet, made to happen on demand with the test copy of the
// extension (its core built with the test-hooks feature, src/wasm/test_hooks.rs):
// work that outlasts the background's idle timeout, a real Rust panic in the
// background's own core (synchronous, and inside an asynchronous function),
// and a failed encryption or insertion in the editor, which must never lose
// what the user wrote.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BROWSER, CHROME_IDLE_MS, FIREFOX_IDLE_MS, launch } from './lib/browser.mjs';
import { gnupg } from './lib/gpg.mjs';
import { startWebmails } from './lib/webmail-server.mjs';
import { EDITOR, ask as askIn, insertedText, openEditor, press, setUpAlice, openOptions } from './lib/sealmark.mjs';

const PASSPHRASE = 'reliable passphrase here';
/** Chrome's idle timeout is fixed at 30 s; Firefox's is set to 2 s for these tests. */
const IDLE_MS = BROWSER === 'chromium' ? CHROME_IDLE_MS : FIREFOX_IDLE_MS;

describe(`reliability in ${BROWSER}`, () => {
  let browser;
  let webmails;
  let gpg;

  before(async () => {
    gpg = gnupg(['Bob <bob@example.org>']);
    webmails = await startWebmails();
    browser = await launch({ proxyPort: webmails.proxyPort, testHooks: true });
    await options();
    await setUpAlice(browser, gpg, PASSPHRASE);
  });
  after(async () => {
    await browser?.close();
    await webmails?.close();
    gpg?.cleanup();
  });

  const options = () => openOptions(browser);
  const ask = (type, payload = {}) => askIn(browser, type, payload);
  const startedAt = async () => (await ask('core.status')).result.startedAt;

  test('work longer than the idle timeout keeps the background alive and gets its answer', async () => {
    await options();
    const before = await startedAt();
    // Real work in the core, where the long operations run, for longer than the idle timeout.
    const work = await ask('test.work', { ms: IDLE_MS + 5000 });
    assert.equal(work.ok, true, JSON.stringify(work.error));
    assert.ok(work.result > 1, 'the work ran in slices');
    assert.equal(await startedAt(), before, 'the background was not stopped while it worked');
  });

  test('after a panic in the background, the next request gets a fresh core', async () => {
    await options();
    const before = await startedAt();
    const resets = (await ask('test.resets')).result;
    const panicked = await ask('test.panic');
    assert.equal(panicked.error?.code, 'PANIC', JSON.stringify(panicked));
    // The transport module is another instance: the OpenPGP core's panic leaves it alone.
    const analysed = await ask('transport.analyze', { raw: 'Received: from a.example.org by b.example.net with ESMTPS; Tue, 3 Jan 2023 10:00:00 +0000\r\n\r\n' });
    assert.equal(analysed.result?.hops.length, 1, JSON.stringify(analysed));
    assert.equal((await ask('test.resets')).result, resets, 'the transport module needed no fresh instance');
    const version = await ask('core.version');
    assert.match(version.result ?? '', /^sealmark /, JSON.stringify(version));
    assert.equal((await ask('test.resets')).result, resets + 1, 'a fresh instance answered');
    // A panic inside an asynchronous function answers too (it used to leave the request hanging).
    const asyncPanic = await ask('test.panicAsync');
    assert.equal(asyncPanic.error?.code, 'PANIC', JSON.stringify(asyncPanic));
    const generated = await ask('keys.generate', { name: 'Gus', email: 'gus@example.org', passphrase: PASSPHRASE });
    assert.equal(generated.ok, true, JSON.stringify(generated.error));
    assert.equal((await ask('keys.delete', { fingerprint: generated.result.fingerprint })).ok, true);
    assert.equal((await ask('test.resets')).result, resets + 2);
    assert.equal(await startedAt(), before, 'the same background recovered, no restart was needed');
  });

  test('what was written survives a panic, a background restart and a failed insertion', async () => {
    const written = 'sealmark-test-panic: the core breaks while encrypting this';
    await browser.goto('https://mail.google.com/mail/u/0/');
    await openEditor(browser);
    await browser.waitInFrame(EDITOR, () => document.querySelectorAll('[data-testid=recipient]').length > 0);
    // The status is cleared first, so only what this click brought counts.
    const encrypt = async () => {
      await browser.inFrame(EDITOR, () => {
        document.getElementById('status').textContent = '';
        document.getElementById('status').className = 'status';
      });
      await press(browser, EDITOR, '#encrypt', { passphrase: PASSPHRASE });
      return browser.waitInFrame(EDITOR, () => {
        const status = document.getElementById('status');
        return /error|ok/.test(status.className) && { status: status.className, said: status.textContent, text: document.getElementById('plaintext').value };
      });
    };

    // 1. The core panics in the middle of encrypting: the text stays, nothing reaches the page.
    await browser.inFrame(EDITOR, (text) => (document.getElementById('plaintext').value = text), written);
    const panicked = await encrypt();
    assert.match(panicked.status, /error/);
    assert.match(panicked.said, /core failed/);
    assert.equal(panicked.text, written);
    assert.equal(await browser.evaluate(() => document.querySelector('[g_editable]').innerText.trim()), '');

    // 2. The background is stopped; then the webmail replaces its compose field, so the insertion
    //    has nowhere to go: an error, and the text is still in the editor.
    const edited = written.replace('sealmark-test-panic', 'fixed');
    await browser.inFrame(EDITOR, (text) => (document.getElementById('plaintext').value = text), edited);
    await browser.stopBackground();
    await browser.evaluate(() => {
      window.replacedBody = document.querySelector('[g_editable]');
      window.replacedBody.replaceWith(window.replacedBody.cloneNode(false));
    });
    const lost = await encrypt();
    assert.match(lost.status, /error/);
    assert.doesNotMatch(lost.said, /refused/);
    assert.equal(lost.text, edited);

    // 3. Once the compose field is back, the same text in the same editor is encrypted and inserted.
    await browser.evaluate(() => document.querySelector('[g_editable]').replaceWith(window.replacedBody));
    // Once the moved frame accepts clicks again: click, then look at the page.
    await press(browser, EDITOR, '#encrypt', { passphrase: PASSPHRASE });
    const body = await insertedText(browser);
    assert.equal(gpg.decrypt(body).text, edited);
  });
});
