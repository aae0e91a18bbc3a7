// Sealmark on a webmail the user enables at run time (a self-hosted one, here
// the generic fixture on loopback), the popup's site status, and reading
// signed messages and public keys found in a page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BROWSER, launch } from './lib/browser.mjs';
import { gnupg } from './lib/gpg.mjs';
import { startWebmails } from './lib/webmail-server.mjs';
import { READER, answerConfirmation, armed as armedIn, ask as askIn, decryptInReader, openEditor, press, quoteInEditor, setUpAlice, openOptions } from './lib/sealmark.mjs';

const PASSPHRASE = 'another long passphrase';
const EDITOR = 'iframe[data-sealmark-frame=compose]';

describe(`sites and page blocks in ${BROWSER}`, () => {
  let browser;
  let webmails;
  let gpg;

  before(async () => {
    gpg = gnupg(['Bob <bob@example.org>', 'Carol <carol@example.org>']);
    webmails = await startWebmails();
    // Permission prompts: Firefox grants optional permissions without one when
    // extensions.webextOptionalPermissionPrompts is off; Chromium's is browser UI no
    // automation reaches, so its package copy already holds the permission (see launch).
    browser = await launch({ proxyPort: webmails.proxyPort, grantOrigins: [webmails.genericUrl] });
    await options();
    await setUpAlice(browser, gpg, PASSPHRASE);
  });
  after(async () => {
    await browser?.close();
    await webmails?.close();
    gpg?.cleanup();
  });

  const options = () => openOptions(browser);
  /** Waits until a Sealmark frame accepts clicks (visible for a moment, as for a person). */
  const armed = (frame) => armedIn(browser, frame);
  const ask = (type, payload = {}) => askIn(browser, type, payload);

  test('the popup says where Sealmark is active', async () => {
    await options();
    const status = async (url) => (await ask('sites.status', { url })).result.enabled;
    assert.equal(await status('https://mail.google.com/mail/u/0/'), true);
    assert.equal(await status('https://outlook.live.com/mail/'), true);
    assert.equal(await status('https://example.com/'), false);
    assert.equal(await status(webmails.genericUrl), false);
    await browser.goto(browser.extensionUrl('pages/popup/popup.html'));
    assert.match(await browser.textOf('[data-testid=site-status]'), /does not run on this page/);
    await browser.screenshot('popup.png');
  });

  test('the page cannot ask the background for anything', async () => {
    await browser.goto('https://mail.google.com/mail/u/0/');
    await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter);
    const reach = await browser.evaluate(() => {
      const runtime = globalThis.chrome?.runtime ?? globalThis.browser?.runtime;
      return typeof runtime?.sendMessage === 'function' ? 'runtime available' : 'no runtime';
    });
    assert.equal(reach, 'no runtime');
  });

  test('a webmail origin enabled in the options page gets Sealmark, and the generic adapter composes', async () => {
    await options();
    await browser.evaluate((url) => {
      document.getElementById('site-input').value = url;
    }, webmails.genericUrl);
    await browser.click('#add-site button[type=submit]');
    const origin = webmails.genericUrl.replace(/\/$/, '');
    await browser.waitFor((origin) => document.querySelector('[data-testid=added-site]')?.textContent.includes(origin), [origin]);
    await browser.screenshot('options-sites.png');
    assert.equal((await ask('sites.status', { url: webmails.genericUrl })).result.enabled, true);

    const secret = 'Sent from a self-hosted webmail';
    await browser.goto(webmails.genericUrl);
    assert.equal(await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter), 'generic');
    await openEditor(browser);
    await browser.waitInFrame(EDITOR, () => document.querySelector('.recipient-list'));
    await armed(EDITOR);
    await browser.inFrame(EDITOR, () => {
      document.getElementById('recipient-input').value = 'bob@example.org';
      document.getElementById('add-recipient').requestSubmit();
    });
    await browser.waitInFrame(EDITOR, () => document.querySelector('[data-testid=recipient][data-has-key=yes]'));
    await press(browser, EDITOR, '#encrypt', { plaintext: secret, passphrase: PASSPHRASE });
    const body = await browser.waitFor(() => document.querySelector('[data-sealmark-compose=encrypted]')?.value);
    assert.equal(gpg.decrypt(body).text, secret);
  });

  test('a reply in a webmail that quotes into its field: the original under the webmail\'s own line when unsigned, every line quoted once more', async () => {
    const armored = gpg.encrypt('First line\n> what I had asked\nLast line', { to: 'alice@example.org', from: null }).toString();
    await browser.goto(webmails.genericUrl);
    await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter);
    await browser.evaluate((armored) => {
      document.getElementById('body').value = `\n\nOn Monday, 30 November, Bob wrote:\n${armored.trim().split('\n').map((line) => `> ${line}`).join('\n')}\n`;
    }, armored);
    await openEditor(browser);
    const written = await quoteInEditor(browser, PASSPHRASE);
    assert.equal(written, '\n\nOn Monday, 30 November, Bob wrote:\n> First line\n>> what I had asked\n> Last line\n');
    assert.equal(await browser.inFrame(EDITOR, () => document.getElementById('quote-note').dataset.source), 'unknown');
    // Sent to Bob, encrypted: GnuPG reads the quote; the page held only ciphertext.
    await browser.inFrame(EDITOR, () => {
      document.getElementById('recipient-input').value = 'bob@example.org';
      document.getElementById('add-recipient').requestSubmit();
    });
    await browser.waitInFrame(EDITOR, () => document.querySelector('[data-testid=recipient][data-has-key=yes]'));
    await press(browser, EDITOR, '#encrypt');
    const body = await browser.waitFor(() => document.querySelector('[data-sealmark-compose=encrypted]')?.value);
    assert.doesNotMatch(body, /First line/);
    assert.match(gpg.decrypt(body).text, /^\s*On Monday, 30 November, Bob wrote:\r?\n> First line\r?\n>> what I had asked/);
  });

  test('a quoted message split over nodes in <pre> decrypts, and a pasted public key is offered for import', async () => {
    const armored = gpg.encrypt('quoted but intact', { to: 'alice@example.org', from: 'bob@example.org' }).toString();
    await browser.goto(webmails.genericUrl);
    await browser.evaluate((armored) => window.fixture.showMessage(armored, { quote: true }), armored);
    await browser.waitInFrame(READER, () => !document.getElementById('decrypt-actions').hidden);
    await decryptInReader(browser, PASSPHRASE);
    const decrypted = await browser.waitInFrame(READER, () => document.getElementById('plaintext').textContent || document.querySelector('#status.error')?.textContent);
    assert.equal(decrypted, 'quoted but intact');
    const around = await browser.evaluate(() => document.getElementById('received').textContent);
    assert.match(around, /^On Monday Bob wrote:/, 'the text around the block stays');

    await browser.evaluate((key) => window.fixture.showMessage(key), gpg.exportKey('carol@example.org'));
    const preview = await browser.waitInFrame(READER, () => document.querySelector('#key-preview li')?.textContent);
    assert.match(preview, /Carol <carol@example\.org>/);
    await press(browser, READER, '#key-preview button');
    assert.match(await answerConfirmation(browser), /carol@example\.org/);
    await browser.waitInFrame(READER, () => document.getElementById('status').classList.contains('ok'));
    await browser.screenshot('read-generic-key.png');
  });
});
