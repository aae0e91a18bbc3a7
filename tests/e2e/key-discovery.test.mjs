// Key discovery from the compose editor: a recipient without a key is looked
// up in the Web Key Directory of their domain, then on keys.openpgp.org —
// real HTTPS servers on loopback under those names — and the key found is
// shown with its source and fingerprint and used only after a click.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BROWSER, launch } from './lib/browser.mjs';
import { gnupg } from './lib/gpg.mjs';
import { startWebmails } from './lib/webmail-server.mjs';
import { answerConfirmation, ask, insertedText, openEditor, press, setUpAlice } from './lib/sealmark.mjs';

const PASSPHRASE = 'discovery passphrase';
const EDITOR = 'iframe[data-sealmark-frame=compose]';

describe(`key discovery in ${BROWSER}`, () => {
  let browser;
  let webmails;
  let gpg;

  before(async () => {
    gpg = gnupg(['Bob <bob@example.org>', 'Dave <dave@example.org>', 'Erin <erin@example.net>', 'Frank <frank@example.org>']);
    webmails = await startWebmails();
    webmails.keys.set('dave@example.org', gpg.exportKey('dave@example.org'));
    webmails.keys.set('erin@example.net', gpg.exportKey('erin@example.net'));
    webmails.keys.set('frank@example.org', gpg.exportKey('frank@example.org'));
    browser = await launch({ proxyPort: webmails.proxyPort });
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    await setUpAlice(browser, gpg, PASSPHRASE);
  });
  after(async () => {
    await browser?.close();
    await webmails?.close();
    gpg?.cleanup();
  });

  /** Opens the editor on the Gmail fixture and adds a recipient by hand. */
  async function editorWith(address) {
    await browser.goto('https://mail.google.com/mail/u/0/');
    await openEditor(browser);
    await browser.waitInFrame(EDITOR, () => document.querySelectorAll('[data-testid=recipient]').length > 0);
    await browser.inFrame(EDITOR, (address) => {
      document.getElementById('recipient-input').value = address;
      document.getElementById('add-recipient').requestSubmit();
    }, address);
  }

  const fingerprintOf = (address) => /^fpr:+([0-9A-F]+):/m.exec(gpg.listKeys(address, true))[1];

  test('a key in the Web Key Directory is found, shown with its source and fingerprint, and used after a click', async () => {
    await editorWith('dave@example.org');
    await browser.waitInFrame(EDITOR, () => document.querySelector('[data-testid=lookup-found]'));
    await browser.screenshot('discovery-found.png');
    await press(browser, EDITOR, '[data-testid=lookup-found]');
    const shown = await browser.inFrame(EDITOR, () => {
      return { text: document.getElementById('key-found').textContent, fingerprint: document.querySelector('[data-testid=found-fingerprint]').textContent };
    });
    assert.match(shown.text, /Web Key Directory/);
    assert.doesNotMatch(shown.text, /null|undefined/);
    assert.equal(shown.fingerprint.replaceAll(' ', ''), fingerprintOf('dave@example.org'));
    assert.ok(webmails.requests.some((r) => r.startsWith('openpgpkey.example.org/.well-known/openpgpkey/example.org/hu/') && r.endsWith('?l=dave')));
    await browser.screenshot('discovery-check.png');
    await press(browser, EDITOR, '[data-testid=use-found-key]');
    await answerConfirmation(browser).catch(async (error) => assert.fail(`${error.message}; the editor says: ${await browser.inFrame(EDITOR, () => document.getElementById('status').textContent)}`));
    await browser.waitInFrame(EDITOR, () => document.querySelectorAll('[data-testid=recipient][data-has-key=yes]').length === 2);
    await press(browser, EDITOR, '#encrypt', { plaintext: 'Found you through WKD', passphrase: PASSPHRASE });
    const body = await insertedText(browser);
    assert.equal(gpg.decrypt(body).text, 'Found you through WKD');
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    const dave = (await ask(browser, 'keys.list')).result.keys.find((k) => k.info.user_ids.includes('Dave <dave@example.org>'));
    assert.deepEqual([dave.source, dave.trust], ['wkd', 'unverified']);
  });

  test('without WKD at the domain, keys.openpgp.org is asked', async () => {
    await editorWith('erin@example.net');
    await browser.waitInFrame(EDITOR, () => document.querySelector('[data-testid=lookup-found]'));
    const label = await browser.inFrame(EDITOR, () => document.querySelector('[data-testid=lookup-found]').textContent);
    assert.match(label, /keys\.openpgp\.org/);
    assert.ok(webmails.requests.includes('keys.openpgp.org/vks/v1/by-email/erin%40example.net'));
  });

  test('a different key for a known address is a loud warning', async () => {
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    const impostor = gnupg(['Dave <dave@example.org>']);
    try {
      const [preview] = (await ask(browser, 'keys.previewImport', { armored: impostor.exportKey('dave@example.org') })).result;
      assert.deepEqual(preview.conflicts, ['dave@example.org']);
      const shown = await browser.evaluate(async (armored) => {
        document.getElementById('import-text').value = armored;
        document.getElementById('import-preview').click();
        for (const end = Date.now() + 60_000; !document.querySelector('[data-testid=import-item] .warning');) { if (Date.now() > end) throw new Error('waited 60 s, still: !document.querySelector(\'[data-testid=import-item] .warning\')'); await new Promise((r) => setTimeout(r, 50)); }
        return document.querySelector('[data-testid=import-item] .warning')?.textContent;
      }, impostor.exportKey('dave@example.org'));
      assert.match(shown, /WARNING: you already have a different key for dave@example\.org/);
      await browser.screenshot('discovery-conflict.png');
    } finally {
      impostor.cleanup();
    }
  });

  test("a contact's key is refreshed from keys.openpgp.org by fingerprint, the change shown before it is merged", async () => {
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    const dave = fingerprintOf('dave@example.org');
    gpg.addUserId('dave@example.org', 'Dave <dave@home.example>');
    webmails.keys.set(dave, gpg.exportKey('dave@example.org'));
    await browser.waitFor((fpr) => document.querySelector(`[data-fingerprint="${fpr}"]`), [dave]);
    const preview = await browser.evaluate(async (fpr) => {
      const card = document.querySelector(`[data-fingerprint="${fpr}"]`);
      [...card.querySelectorAll('button')].find((b) => b.textContent === 'Check for updates').click();
      for (const end = Date.now() + 60_000; !document.querySelector('[data-testid=update-preview]');) { if (Date.now() > end) throw new Error('waited 60 s, still: !document.querySelector(\'[data-testid=update-preview]\')'); await new Promise((r) => setTimeout(r, 50)); }
      return document.querySelector('[data-testid=update-preview]')?.textContent;
    }, dave);
    assert.match(preview, /new user ID: Dave <dave@home\.example>/);
    assert.ok(webmails.requests.includes(`keys.openpgp.org/vks/v1/by-fingerprint/${dave}`));
    await browser.evaluate(() => document.querySelector('[data-testid=update-preview] button').click());
    await browser.waitFor((fpr) => document.querySelector(`[data-fingerprint="${fpr}"] h3`)?.textContent.includes('dave@home.example'), [dave]);
  });

  test('publishing uploads only the public key and asks for verification; WKD files are explained', async () => {
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    const { keys } = (await ask(browser, 'keys.list')).result;
    const alice = keys.find((k) => k.own);
    await browser.waitFor(() => document.querySelector('[data-testid=key]'));
    const status = await browser.evaluate(async (fpr) => {
      const card = document.querySelector(`[data-fingerprint="${fpr}"]`);
      [...card.querySelectorAll('button')].find((b) => b.textContent === 'Publish on keys.openpgp.org').click();
      document.querySelector('dialog [data-testid=dialog-confirm]').click();
      for (const end = Date.now() + 60_000; !/inbox/.test(document.getElementById('keys-status').textContent);) { if (Date.now() > end) throw new Error('waited 60 s, still: !/inbox/.test(document.getElementById(\'keys-status\').textContent)'); await new Promise((r) => setTimeout(r, 50)); }
      return document.getElementById('keys-status').textContent;
    }, alice.fingerprint);
    assert.match(status, /Check the inbox of alice@example\.org/);
    const [keytext, verify] = webmails.uploads;
    assert.match(keytext, /-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    assert.doesNotMatch(keytext, /PRIVATE/);
    assert.deepEqual(verify, { token: 'upload-token', addresses: ['alice@example.org'] });
    // GnuPG agrees: what was uploaded holds no secret key.
    assert.doesNotMatch(gpg.showKey(keytext), /^sec/m);
    const guard = await ask(browser, 'keys.publish', { fingerprint: 'NOT-A-KEY' });
    assert.equal(guard.ok, false);

    const help = await browser.evaluate(async (fpr) => {
      const card = document.querySelector(`[data-fingerprint="${fpr}"]`);
      [...card.querySelectorAll('button')].find((b) => b.textContent === 'Web Key Directory files').click();
      for (const end = Date.now() + 60_000; !document.querySelector('[data-testid=wkd-help]');) { if (Date.now() > end) throw new Error('waited 60 s, still: !document.querySelector(\'[data-testid=wkd-help]\')'); await new Promise((r) => setTimeout(r, 50)); }
      return document.querySelector('[data-testid=wkd-help]')?.textContent;
    }, alice.fingerprint);
    assert.match(help, /https:\/\/openpgpkey\.example\.org\/\.well-known\/openpgpkey\/example\.org\/hu\/[a-z0-9]{32}/);
  });

  test('a look-up that finds nothing says what it tried', async () => {
    await editorWith('nobody@example.org');
    const report = await browser.waitInFrame(EDITOR, () => {
      const missing = document.querySelector('[data-testid=recipient][data-has-key=no] .missing');
      missing?.click();
      return missing && document.querySelector('[data-testid=lookup-report]')?.textContent;
    });
    assert.match(report, /Web Key Directory.*no key published there/);
    assert.match(report, /keys\.openpgp\.org: no key published there/);
  });

  test('with look-ups switched off nothing is sent', async () => {
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    await ask(browser, 'settings.set', { keyDiscovery: false });
    const before = webmails.requests.length;
    await editorWith('frank@example.org');
    await browser.waitInFrame(EDITOR, () => document.querySelector('[data-testid=recipient][data-has-key=no] .missing'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The browsers' own background traffic (refused by the proxy) is not ours to judge.
    const sent = webmails.requests.slice(before).filter((r) => /example\.org|openpgp/.test(r));
    assert.deepEqual(sent, []);
  });
});
