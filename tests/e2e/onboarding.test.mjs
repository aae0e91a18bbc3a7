// The first run and the key backup, end to end with the packaged extension: the welcome page
// walked through as a new user does (sign, key, backup, webmail, done; resumed where it stopped),
// the backup sent to oneself through the open webmail's own compose screen, then found in the
// mailbox by a fresh browser profile and restored there with its setup code.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BROWSER, WAIT_MS, WELCOME, launch } from './lib/browser.mjs';
import { startWebmails } from './lib/webmail-server.mjs';
import { gnupg } from './lib/gpg.mjs';
import { READER, armed, ask as askIn, press, restoreInKeyManager } from './lib/sealmark.mjs';

const PASSPHRASE = 'a new user with a long passphrase';
const OPTIONS = 'pages/options/options.html';

describe(`first run and key backup in ${BROWSER}`, () => {
  let browser;
  let webmails;
  let backup = null; // { body, code, fingerprint }

  before(async () => {
    webmails = await startWebmails();
    browser = await launch({ proxyPort: webmails.proxyPort });
  });
  after(async () => {
    await browser?.close();
    await webmails?.close();
  });

  /** The step the welcome page shows. */
  const shownStep = () => browser.evaluate(() => document.querySelector('[data-step]:not([hidden])')?.dataset.step ?? null);
  const next = async (expected) => {
    await browser.evaluate(() => document.getElementById('next').click());
    await browser.waitFor((expected) => document.querySelector(`[data-step="${expected}"]:not([hidden])`), [expected]);
  };

  test('the welcome page walks a new user through sign, key, backup (sent to themselves through their webmail), webmail and done, and resumes where it stopped', async () => {
    await browser.goto(browser.extensionUrl(WELCOME));
    await browser.waitFor(() => document.querySelector('[data-step="sign"]:not([hidden])'));
    // The webmail is open in another tab, as when a person sets up beside it.
    await browser.evaluate(() => void window.open('https://mail.google.com/mail/u/1/#inbox', '_blank'));
    assert.equal(await browser.waitInWindow('mail.google.com/mail/u/1/', () => document.documentElement.dataset.sealmarkAdapter), 'gmail');
    await browser.screenshot('welcome-1-sign.png');

    // Stopped at the key step, the page comes back to it.
    await next('key');
    await browser.goto(browser.extensionUrl(WELCOME));
    await browser.waitFor(() => document.querySelector('[data-step="key"]:not([hidden])'));
    assert.equal(await shownStep(), 'key', 'setting up resumes at the step it reached');
    await browser.screenshot('welcome-2-key.png');
    await browser.evaluate((passphrase) => {
      document.getElementById('gen-name').value = 'Nina';
      document.getElementById('gen-email').value = 'nina@example.org';
      document.getElementById('gen-passphrase').value = passphrase;
      document.getElementById('gen-repeat').value = passphrase;
      document.getElementById('gen-submit').click();
    }, PASSPHRASE);
    const have = await browser.waitFor(() => !document.getElementById('key-have').hidden && document.getElementById('key-have').textContent, [], 60_000);
    assert.match(have, /Nina <nina@example\.org>/);
    assert.equal(await browser.evaluate(() => document.getElementById('key-choices').hidden), true);

    await next('backup');
    assert.match(await browser.evaluate(() => document.getElementById('backup-state').textContent), /no backup yet/);
    await browser.evaluate(async (passphrase) => {
      document.getElementById('backup-now').click();
      for (const end = Date.now() + 60_000; !document.querySelector('dialog[open]');) { if (Date.now() > end) throw new Error('waited 60 s, still: !document.querySelector(\'dialog[open]\')'); await new Promise((r) => setTimeout(r, 20)); }
      const dialog = document.querySelector('dialog[open]');
      dialog.querySelector('[name=passphrase]').value = passphrase;
      dialog.querySelector('[data-testid=dialog-confirm]').click();
    }, PASSPHRASE);
    const code = await browser.waitFor(() => document.querySelector('#backup-place .setup-code')?.textContent);
    assert.match(code, /^\d{4}(-\d{4}){8}$/);
    // The open webmail is offered; its own compose screen opens addressed to the person, for the account open in the tab.
    const offer = await browser.waitFor(() => [...document.querySelectorAll('[data-testid=backup-webmails] button')].find((b) => /mail\.google\.com/.test(b.textContent))?.textContent);
    assert.equal(offer, 'Send it to yourself with https://mail.google.com/mail/u/1/', 'the account open in the tab');
    await browser.screenshot('welcome-3-backup.png');
    await browser.evaluate(() => [...document.querySelectorAll('[data-testid=backup-webmails] button')].find((b) => /mail\.google\.com/.test(b.textContent)).click());
    assert.match(await browser.waitFor(() => document.querySelector('[data-testid=backup-status]').textContent), /nina@example\.org/);
    let [composeUrl] = await browser.windowUrls('view=cm');
    for (const end = Date.now() + WAIT_MS; Date.now() < end && !composeUrl;) [composeUrl] = await new Promise((r) => setTimeout(r, 100)).then(() => browser.windowUrls('view=cm'));
    const compose = new URL(composeUrl);
    assert.equal(compose.pathname, '/mail/u/1/', 'the account open in the tab');
    assert.equal(compose.searchParams.get('to'), 'nina@example.org');
    const body = compose.searchParams.get('body');
    assert.match(body, /Passphrase-Format: numeric9x4/);
    assert.ok(!body.includes(code) && !body.replace(/\D/g, '').includes(code.replace(/\D/g, '')), 'the setup code never goes to the webmail');
    const fingerprint = (await askIn(browser, 'keys.list')).result.keys[0].fingerprint;
    backup = { body, code, fingerprint };
    assert.match(await browser.evaluate(() => document.getElementById('backup-state').textContent), /has a backup/);

    await next('webmail');
    await browser.waitFor(() => document.querySelectorAll('#site-list li').length > 0);
    await browser.screenshot('welcome-4-webmail.png');
    await next('done');
    assert.equal(await browser.evaluate(() => document.getElementById('done-missing').hidden), true, 'nothing is missing');
    await browser.screenshot('welcome-5-done.png');
    const { result: settings } = await askIn(browser, 'settings.get');
    assert.equal(settings.setupStep, 'done');
  });

  test("a backup goes through the webmail's address only up to what web servers take: an RSA 4096 key's, with its encryption subkey, is refused with the advice to save it as a file, and no compose window opens", async () => {
    assert.ok(backup, 'the webmail tab of the first test is open');
    /** Imports an unprotected secret key, makes its backup on its card and presses Send with Gmail; what the page then says. */
    const backUpAndSend = async (secret) => {
      await browser.goto(browser.extensionUrl(OPTIONS));
      const [preview] = (await askIn(browser, 'keys.previewImport', { armored: secret })).result;
      const imported = await askIn(browser, 'keys.import', { armored: secret, fingerprints: [preview.fingerprint], lockPassphrase: PASSPHRASE });
      assert.equal(imported.ok, true, JSON.stringify(imported.error));
      await browser.goto(browser.extensionUrl(OPTIONS));
      await browser.evaluate(async (fingerprint, passphrase) => {
        const card = () => document.querySelector(`[data-fingerprint="${fingerprint}"]`);
        for (const end = Date.now() + 60_000; !card();) {
          if (Date.now() > end) throw new Error('waited 60 s for the key card');
          await new Promise((r) => setTimeout(r, 50));
        }
        [...card().querySelectorAll('button')].find((b) => b.textContent === 'Autocrypt Setup Message').click();
        for (const end = Date.now() + 60_000; !document.querySelector('dialog[open]');) {
          if (Date.now() > end) throw new Error('waited 60 s for the passphrase dialog');
          await new Promise((r) => setTimeout(r, 20));
        }
        const dialog = document.querySelector('dialog[open]');
        dialog.querySelector('[name=passphrase]').value = passphrase;
        dialog.querySelector('[data-testid=dialog-confirm]').click();
      }, preview.fingerprint, PASSPHRASE);
      const gmail = () => [...document.querySelectorAll('[data-testid=backup-webmails] button')].find((b) => /mail\.google\.com/.test(b.textContent));
      await browser.waitFor(gmail);
      // The Gmail tab and the compose windows it opened are one account: one offer.
      assert.equal(await browser.evaluate(() => [...document.querySelectorAll('[data-testid=backup-webmails] button')].filter((b) => /mail\.google\.com/.test(b.textContent)).length), 1);
      const before = (await browser.windowUrls('view=cm')).length;
      await browser.evaluate(() => [...document.querySelectorAll('[data-testid=backup-webmails] button')].find((b) => /mail\.google\.com/.test(b.textContent)).click());
      const said = await browser.waitFor(() => {
        const status = document.querySelector('[data-testid=backup-status]');
        return status?.textContent && { text: status.textContent, error: status.classList.contains('error') };
      });
      // The compose window said to be opened comes in its own time.
      for (const end = Date.now() + WAIT_MS; !said.error && (await browser.windowUrls('view=cm')).length === before;) {
        if (Date.now() > end) throw new Error('no compose window opened');
        await new Promise((r) => setTimeout(r, 100));
      }
      return { ...said, opened: (await browser.windowUrls('view=cm')).length - before };
    };

    // An RSA 4096 key as GnuPG and Sealmark make one: the primary key and an encryption subkey.
    // (`gpg --quick-gen-key` given an algorithm makes the primary key alone.)
    const rsa = gnupg(['Rita <rita@example.org>'], 'rsa4096');
    try {
      rsa.addSubkey('rita@example.org', 'rsa4096', 'encr');
      const refused = await backUpAndSend(rsa.exportSecretKey('rita@example.org'));
      assert.equal(refused.error, true, refused.text);
      assert.match(refused.text, /too long to hand to the webmail in an address \(an RSA 4096 key's is\): save it as a file/);
      assert.equal(refused.opened, 0, 'no compose window opened');
    } finally {
      rsa.cleanup();
    }
    await browser.screenshot('backup-too-long.png');
    // The account is looked up when the backup is sent, not trusted from when it was offered: one no tab has open gets nothing.
    const composeWindows = (await browser.windowUrls('view=cm')).length;
    const gone = await askIn(browser, 'keys.setupMessage', { fingerprint: backup.fingerprint, passphrase: PASSPHRASE });
    const elsewhere = await askIn(browser, 'backup.send', { place: 'https://mail.google.com/mail/u/7/', fingerprint: backup.fingerprint, armored: gone.result.armored });
    assert.equal(elsewhere.error?.code, 'NO_WEBMAIL_TAB');
    assert.equal((await browser.windowUrls('view=cm')).length, composeWindows);
    // Saving it as a file is offered beside it.
    assert.ok(await browser.evaluate(() => [...document.querySelectorAll('[data-testid=setup-code] button')].some((b) => b.textContent === 'Save as a file')));
  });

  test('a fresh browser profile finds the backup in the mailbox and restores it with the setup code alone; the page never holds the code', async () => {
    assert.ok(backup, 'the backup of the first test');
    const fresh = await launch({ proxyPort: webmails.proxyPort });
    try {
      await fresh.goto('https://mail.google.com/mail/u/0/');
      await fresh.evaluate((text) => {
        window.fixture.closeCompose?.();
        window.fixture.showMessage(text);
      }, backup.body);
      const said = await fresh.waitInFrame(READER, () => !document.getElementById('backup').hidden && document.getElementById('backup').textContent);
      // Decrypting it is refused by the background too, not only left out of the frame.
      assert.equal(await fresh.inFrame(READER, async () => (await (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: 'read.decrypt', payload: { id: location.hash.slice(1) } })).error?.code), 'BAD_INPUT');
      assert.match(said, /never into a web page/);
      assert.equal(await fresh.inFrame(READER, () => document.getElementById('decrypt-actions').hidden), true, 'a backup is not offered for decrypting');
      await fresh.screenshot('backup-found-in-mailbox.png');
      await armed(fresh, READER, '#restore');
      await press(fresh, READER, '#restore');
      const filled = await fresh.waitInWindow(OPTIONS, () => document.querySelector('[data-testid=restore-found]') && document.getElementById('import-text').value);
      assert.match(filled.trim(), /^-----BEGIN PGP MESSAGE-----\r?\nPassphrase-Format: numeric9x4[\s\S]*-----END PGP MESSAGE-----$/);
      assert.ok(!(await fresh.windowUrls('#restore=')).length, 'the token leaves the address once used');
      const restored = await fresh.inWindow(OPTIONS, restoreInKeyManager, backup.code, 'locked again in the new profile');
      // A backup can come by mail from anyone, with its code beside it: the key it holds is shown, and nothing stored, before Import.
      assert.deepEqual(restored.previewed, ['Nina <nina@example.org>']);
      assert.equal(restored.storedBefore, 0);
      const imported = restored.result;
      assert.match(imported, /Keys imported: 1/);
      const { result } = await fresh.inWindow(OPTIONS, () => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: 'keys.list' }));
      assert.deepEqual(result.keys.map((key) => [key.fingerprint, key.own]), [[backup.fingerprint, true]]);
      // A second look at the same token finds nothing: it was handed over once.
      const again = await fresh.inWindow(OPTIONS, () => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: 'backup.pending', payload: { token: '00000000-0000-4000-8000-000000000000' } }));
      assert.equal(again.error.code, 'RESTORE_GONE');
    } finally {
      await fresh.close();
    }
  });
});
