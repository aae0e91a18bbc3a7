// Post-quantum keys in the extension (RFC 9980, issue 21 item 8): a key made
// with an ML-KEM-768+X25519 encryption subkey, such a subkey added to a v4 key
// from its card, mail encrypted to that subkey by `sealmark` (the CLI) read
// in a webmail, and mail written in the editor to a post-quantum
// correspondent opened by the CLI with their key. This file has its own
// profile: the subkey added to Alice's key stays out of the other files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSER, ROOT, launch } from './lib/browser.mjs';
import { gnupg } from './lib/gpg.mjs';
import { startWebmails } from './lib/webmail-server.mjs';
import { EDITOR, READER, ask as askIn, decryptInReader, insertedText, openEditor, press, setUpAlice, openOptions } from './lib/sealmark.mjs';

const PASSPHRASE = 'post quantum passphrase';
const CLI = join(ROOT, 'target/release/sealmark');

describe(`post-quantum keys in ${BROWSER}`, () => {
  let browser;
  let webmails;
  let gpg;
  let alice;
  let dir;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sealmark-pqc-'));
    gpg = gnupg(['Bob <bob@example.org>']);
    webmails = await startWebmails();
    browser = await launch({ proxyPort: webmails.proxyPort });
    await options();
    alice = await setUpAlice(browser, gpg, PASSPHRASE);
  });
  after(async () => {
    await browser?.close();
    await webmails?.close();
    gpg?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const options = () => openOptions(browser);
  const ask = (type, payload = {}) => askIn(browser, type, payload);
  /** Runs the CLI on files in this test's folder. */
  const sealmark = (args, input) => execFileSync(CLI, args, { cwd: dir, input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
  const file = (name, content) => {
    writeFileSync(join(dir, name), content);
    return name;
  };
  const keyInfo = async (fingerprint) => (await ask('keys.list')).result.keys.find((k) => k.fingerprint === fingerprint).info;

  test('the key manager makes a post-quantum key: Curve25519 with an ML-KEM-768+X25519 subkey', async () => {
    await options();
    const offered = await browser.evaluate(() => [...document.querySelectorAll('#gen-type option')].map((o) => o.value));
    assert.ok(offered.includes('curve25519/rfc9980'), offered.join(', '));
    const made = await ask('keys.generate', { name: 'Quinn', email: 'quinn@example.org', passphrase: PASSPHRASE, profile: 'rfc9980' });
    assert.equal(made.ok, true, JSON.stringify(made.error));
    const info = await keyInfo(made.result.fingerprint);
    assert.equal(info.version, 6);
    assert.ok(info.subkeys.some((s) => s.algorithm === 'ML-KEM-768+X25519'), JSON.stringify(info.subkeys));
    const refused = await ask('keys.generate', { name: 'Quinn', email: 'quinn@example.org', passphrase: PASSPHRASE, type: 'rsa4096', profile: 'rfc9980' });
    assert.equal(refused.error?.code, 'BAD_OPTIONS');
    await options();
    await browser.waitFor((fpr) => document.querySelector(`[data-fingerprint="${fpr}"] [data-testid=post-quantum]`), [made.result.fingerprint]);
    await ask('keys.delete', { fingerprint: made.result.fingerprint });
  });

  test("a v4 key gains a post-quantum subkey from its card, and mail encrypted to it is read in the webmail", async () => {
    await options();
    assert.equal((await keyInfo(alice)).version, 4);
    const before = (await keyInfo(alice)).subkeys.length;
    await browser.waitFor(() => [...document.querySelectorAll('[data-testid=key] button')].some((b) => b.textContent === 'Add post-quantum subkey'));
    const status = await browser.evaluate(async (passphrase) => {
      [...document.querySelectorAll('[data-testid=key] button')].find((b) => b.textContent === 'Add post-quantum subkey').click();
      const dialog = document.querySelector('dialog[open]');
      dialog.querySelector('[name=passphrase]').value = passphrase;
      dialog.querySelector('[data-testid=dialog-confirm]').click();
      for (const end = Date.now() + 60_000; !document.getElementById('keys-status').textContent;) { if (Date.now() > end) throw new Error('waited 60 s, still: !document.getElementById(\'keys-status\').textContent'); await new Promise((r) => setTimeout(r, 50)); }
      return document.getElementById('keys-status').textContent;
    }, PASSPHRASE);
    assert.match(status, /Post-quantum subkey added/);
    const info = await keyInfo(alice);
    assert.equal(info.subkeys.length, before + 1);
    const mlkem = info.subkeys.find((s) => s.algorithm === 'ML-KEM-768+X25519');
    assert.ok(mlkem, JSON.stringify(info.subkeys));
    const stored = (await ask('keys.list')).result.keys.find((k) => k.fingerprint === alice);
    assert.equal(stored.protection, 'argon2', 'the new subkey is locked like the rest');
    await browser.screenshot('key-card-post-quantum.png');

    // A program that knows RFC 9980 (here the CLI) encrypts to the ML-KEM subkey alone.
    const cert = (await ask('keys.exportPublic', { fingerprint: alice })).result;
    const secret = 'sealed against a future quantum computer';
    const armored = sealmark(['encrypt', file('alice.cert', cert)], secret);
    assert.deepEqual(gpg.recipientsOf(armored), [mlkem.key_id.toUpperCase()]);

    await browser.goto('https://mail.google.com/mail/u/0/');
    await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter);
    // Gmail's compose window would cover the reader, and Sealmark's frames take clicks only when seen.
    await browser.evaluate((armored) => {
      window.fixture.closeCompose();
      window.fixture.showMessage(armored);
    }, armored);
    await browser.waitInFrame(READER, () => !document.getElementById('decrypt-actions').hidden);
    await decryptInReader(browser, PASSPHRASE);
    const shown = await browser.waitInFrame(READER, () => !document.getElementById('plaintext').hidden && document.getElementById('plaintext').textContent.trim());
    assert.equal(shown, secret);
  });

  test('mail written to a post-quantum correspondent is encrypted to their ML-KEM subkey and opens with their key', async () => {
    const key = sealmark(['generate-key', '--profile', 'rfc9980', 'Rosa <rosa@example.org>']);
    const cert = sealmark(['extract-cert'], key);
    await options();
    const [preview] = (await ask('keys.previewImport', { armored: cert })).result;
    assert.equal((await ask('keys.import', { armored: cert, fingerprints: [preview.fingerprint] })).ok, true);

    await browser.goto('https://mail.google.com/mail/u/0/');
    await browser.evaluate(() => window.fixture.addRecipient('CC recipients', 'rosa@example.org'));
    await openEditor(browser);
    await browser.waitInFrame(EDITOR, () => document.querySelector('[data-testid=recipient][data-address="rosa@example.org"][data-state=ok]'));
    const secret = 'for Bob, Rosa and me';
    await press(browser, EDITOR, '#encrypt', { plaintext: secret, passphrase: PASSPHRASE });
    const body = await insertedText(browser);
    const rosa = preview.info.subkeys.find((s) => s.algorithm === 'ML-KEM-768+X25519');
    assert.ok(gpg.recipientsOf(body).includes(rosa.key_id.toUpperCase()), 'encrypted to Rosa\'s ML-KEM subkey');
    // Mixed recipients: Bob (GnuPG, v4 Curve25519) and Rosa (post-quantum) both open it.
    assert.equal(sealmark(['decrypt', file('rosa.key', key)], body).trim(), secret);
    assert.equal(gpg.decrypt(body).text.trim(), secret);
  });
});
