// The key manager as a person uses it: dialogs that re-confirm dangerous
// steps, passphrase changes, revocation, trust states, deletion — and the
// pages in German, with every control labelled and reachable by keyboard.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BROWSER, launch } from './lib/browser.mjs';
import { gnupg } from './lib/gpg.mjs';
import { ask as askIn, openOptions, restoreInKeyManager } from './lib/sealmark.mjs';

const PASSPHRASE = 'first passphrase here';
const NEW_PASSPHRASE = 'second passphrase here';

describe(`key manager in ${BROWSER}`, () => {
  let browser;
  let gpg;
  let fingerprint;

  before(async () => {
    gpg = gnupg(['Dave <dave@example.org>']);
    browser = await launch();
    await options();
    fingerprint = (await ask('keys.generate', { name: 'Erin', email: 'erin@example.org', passphrase: PASSPHRASE })).result.fingerprint;
  });
  after(async () => {
    await browser?.close();
    gpg?.cleanup();
  });

  const options = () => openOptions(browser);
  const ask = (type, payload = {}) => askIn(browser, type, payload);
  /**
   * Clicks a key card's button by its label and answers the dialog that opens; then waits for
   * `outcome` (a selector of what the action shows when done; none when nothing follows).
   */
  const throughDialog = (label, answers, confirm = true, outcome = '#keys-status:not(:empty)') =>
    browser.evaluate(async (label, answers, confirm, outcome) => {
      const button = [...document.querySelectorAll('[data-testid=key] button')].find((b) => b.textContent === label);
      button.click();
      const dialog = document.querySelector('dialog[open]');
      const focused = document.activeElement?.name ?? document.activeElement?.textContent;
      for (const [name, value] of Object.entries(answers)) dialog.querySelector(`[name=${name}]`).value = value;
      dialog.querySelector(confirm ? '[data-testid=dialog-confirm]' : 'button[value=cancel]').click();
      for (const end = Date.now() + 60_000; document.querySelector('dialog');) { if (Date.now() > end) throw new Error('waited 60 s, still: document.querySelector(\'dialog\')'); await new Promise((r) => setTimeout(r, 20)); }
      for (const end = Date.now() + 60_000; outcome && !document.querySelector(outcome);) { if (Date.now() > end) throw new Error('waited 60 s, still: !document.querySelector(outcome)'); await new Promise((r) => setTimeout(r, 50)); }
      return { focused, status: document.getElementById('keys-status').textContent };
    }, label, answers, confirm, outcome);
  /** What a backup shows when it is made: its setup code, or an error in the status line. */
  const SETUP_CODE = '[data-testid=setup-code] .setup-code, #keys-status:not(:empty)';

  test('long work in the background leaves the extension pages responsive', async () => {
    await options();
    const seen = await browser.evaluate(async () => {
      // The page's own timers: in Firefox the background page shares this
      // thread, so a v6 key's Argon2 run there would stop them.
      let last = performance.now();
      let longestGap = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
      }, 10);
      const started = performance.now();
      const answer = await (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({
        type: 'keys.generate',
        payload: { name: 'Fay', email: 'fay@example.org', passphrase: 'a memory-hard passphrase', profile: 'rfc9580' },
      });
      const took = performance.now() - started;
      clearInterval(ticker);
      return { took, longestGap, ok: answer.ok, fingerprint: answer.result?.fingerprint };
    });
    assert.equal(seen.ok, true);
    // The other tests count the keys in the keyring.
    assert.equal((await ask('keys.delete', { fingerprint: seen.fingerprint })).ok, true);
    assert.ok(seen.took > 250, `generation took ${seen.took} ms: too little work to tell`);
    // Argon2 on the page's thread would stop it for about all of the work; a busy machine may pause it briefly.
    assert.ok(seen.longestGap < Math.max(150, seen.took / 3), `the page stood still for ${seen.longestGap} ms of ${seen.took} ms`);
  });

  test('a key without a backup says so on its card until one is made', async () => {
    await options();
    const nag = () => browser.evaluate((fpr) => document.querySelector(`[data-fingerprint="${fpr}"] [data-testid=backup-nag]`)?.textContent ?? null, fingerprint);
    await browser.waitFor((fpr) => document.querySelector(`[data-fingerprint="${fpr}"]`), [fingerprint]);
    assert.match(await nag(), /No backup of this key yet/);
    await browser.screenshot('options-backup-nag.png');
    const shown = await throughDialog('Back it up now', { passphrase: PASSPHRASE }, true, SETUP_CODE);
    assert.equal(shown.status, '');
    const code = await browser.waitFor(() => document.querySelector('[data-testid=setup-code] .setup-code')?.textContent);
    assert.match(code, /^\d{4}(-\d{4}){8}$/);
    assert.equal(await nag(), null, 'the backup was noted');
  });

  test('exporting the secret key asks for the passphrase again; a wrong one exports nothing', async () => {
    await options();
    await browser.waitFor(() => document.querySelector('[data-testid=key]'));
    const wrong = await throughDialog('Export secret key', { passphrase: 'not it at all' });
    assert.match(wrong.status, /Wrong passphrase/);
    assert.equal(wrong.focused, 'passphrase', 'focus moves into the dialog');
    const exported = await ask('keys.exportSecret', { fingerprint, passphrase: PASSPHRASE });
    assert.match(exported.result, /BEGIN PGP PRIVATE KEY BLOCK/);
    const refused = await ask('keys.exportSecret', { fingerprint });
    assert.equal(refused.ok, false, 'no export without the passphrase');
    // The exported key stays protected: GnuPG cannot use it without the passphrase.
    assert.throws(() => gpg.importSecretAndSign(exported.result, ''));
    await browser.screenshot('options-export-dialog.png');
  });

  test('changing the passphrase re-locks the key and forgets cached passphrases', async () => {
    await options();
    await browser.waitFor(() => document.querySelector('[data-testid=key]'));
    await ask('keys.unlock', { fingerprint, passphrase: PASSPHRASE });
    assert.deepEqual((await ask('keys.list')).result.unlocked, [fingerprint]);
    const changed = await throughDialog('Change passphrase', { passphrase: PASSPHRASE, newPassphrase: NEW_PASSPHRASE });
    assert.match(changed.status, /Passphrase changed/);
    assert.deepEqual((await ask('keys.list')).result.unlocked, []);
    assert.equal((await ask('keys.exportSecret', { fingerprint, passphrase: PASSPHRASE })).error.code, 'BAD_PASSPHRASE');
    assert.equal((await ask('keys.exportSecret', { fingerprint, passphrase: NEW_PASSPHRASE })).ok, true);
    const weak = await ask('keys.changePassphrase', { fingerprint, passphrase: NEW_PASSPHRASE, newPassphrase: 'short' });
    assert.equal(weak.error.code, 'WEAK_PASSPHRASE');
  });

  test('an Autocrypt Setup Message carries the key out with a setup code, and back in', async () => {
    await options();
    await browser.waitFor(() => document.querySelector('[data-testid=key]'));
    const shown = await throughDialog('Autocrypt Setup Message', { passphrase: NEW_PASSPHRASE }, true, SETUP_CODE);
    assert.equal(shown.status, '');
    const code = await browser.waitFor(() => document.querySelector('[data-testid=setup-code] .setup-code')?.textContent);
    assert.match(code, /^\d{4}(-\d{4}){8}$/);
    const { result: made } = await ask('keys.setupMessage', { fingerprint, passphrase: NEW_PASSPHRASE });
    assert.match(made.message, /Autocrypt-Setup-Message: v1/);
    // GnuPG opens it with the code alone: the key inside is Erin's.
    const opened = gpg.decryptWithPassword(made.message.match(/-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/)[0], made.code);
    assert.match(opened, /BEGIN PGP PRIVATE KEY BLOCK/);
    const wrong = await ask('keys.importSetupMessage', { text: made.message, code: '1'.repeat(36), lockPassphrase: 'locked here again' });
    assert.equal(wrong.error.code, 'BAD_PASSPHRASE');
    await browser.evaluate((message) => {
      document.getElementById('import-text').value = message;
    }, made.message);
    const restored = await browser.evaluate(restoreInKeyManager, made.code, 'locked here again');
    assert.match(restored.previewed.join(), /erin@example\.org/, 'the key in the backup is shown before it is stored');
    const status = restored.result;
    assert.match(status, /Keys imported: 1/);
    assert.equal((await ask('keys.exportSecret', { fingerprint, passphrase: 'locked here again' })).ok, true);
    await ask('keys.changePassphrase', { fingerprint, passphrase: 'locked here again', newPassphrase: NEW_PASSPHRASE });
    await browser.screenshot('options-setup-message.png');
  });

  test('contact keys carry a trust state; an update to a known key is shown as a change', async () => {
    await options();
    const dave = gpg.exportKey('dave@example.org');
    const [preview] = (await ask('keys.previewImport', { armored: dave })).result;
    await ask('keys.import', { armored: dave, fingerprints: [preview.fingerprint] });
    await ask('keys.setTrust', { fingerprint: preview.fingerprint, trust: 'verified' });
    const listed = (await ask('keys.list')).result.keys.find((k) => k.fingerprint === preview.fingerprint);
    assert.equal(listed.trust, 'verified');
    gpg.addUserId('dave@example.org', 'Dave <dave@work.example>');
    const [update] = (await ask('keys.previewImport', { armored: gpg.exportKey('dave@example.org') })).result;
    assert.equal(update.known, true);
    assert.deepEqual(update.changes, [{ kind: 'user_id', value: 'Dave <dave@work.example>' }]);
  });

  test('revoking asks for confirmation and marks the key revoked', async () => {
    await options();
    await browser.waitFor(() => document.querySelector('[data-testid=key]'));
    const cancelled = await throughDialog('Revoke', { reason: 'x', passphrase: NEW_PASSPHRASE }, false, null);
    assert.equal(cancelled.status, '');
    const revoked = await throughDialog('Revoke', { reason: 'laptop stolen', passphrase: NEW_PASSPHRASE });
    assert.match(revoked.status, /Key revoked/);
    await browser.waitFor((fpr) => /revoked/.test(document.querySelector(`[data-fingerprint="${fpr}"]`)?.textContent), [fingerprint]);
    gpg.importKey((await ask('keys.exportPublic', { fingerprint })).result);
    assert.match(gpg.listKeys('erin@example.org'), /revoked/);
    await browser.screenshot('options-revoked.png');
  });

  test('with the keyboard alone, Enter pressed twice on Delete deletes nothing: the dialog starts on Cancel', async () => {
    await options();
    const count = () => browser.evaluate(() => document.querySelectorAll('[data-testid=key]').length);
    await browser.waitFor(() => document.querySelectorAll('[data-testid=key]').length > 0);
    const before = await count();
    // Where Tab brings a keyboard user: the first card's Delete button.
    await browser.evaluate(() => [...document.querySelectorAll('[data-testid=key] button')].find((b) => b.textContent === 'Delete').focus());
    await browser.pressKey('Enter');
    assert.equal(await browser.waitFor(() => document.querySelector('dialog[open]') && document.activeElement?.textContent), 'Cancel');
    await browser.pressKey('Enter');
    await browser.waitFor(() => !document.querySelector('dialog'));
    assert.equal(await count(), before, 'no key was deleted');
    assert.equal(await browser.evaluate(() => document.activeElement?.textContent), 'Delete', 'focus is back where it was');
  });

  test('deleting asks first', async () => {
    await options();
    await browser.waitFor(() => document.querySelectorAll('[data-testid=key]').length === 2);
    const result = await browser.evaluate(async (fpr) => {
      const card = document.querySelector(`[data-fingerprint="${fpr}"]`);
      card.querySelector('button.danger').click();
      const text = document.querySelector('dialog[open] p')?.textContent;
      document.querySelector('dialog [data-testid=dialog-confirm]').click();
      for (const end = Date.now() + 60_000; document.querySelector(`[data-fingerprint="${fpr}"]`);) { if (Date.now() > end) throw new Error('waited 60 s, still: document.querySelector(`[data-fingerprint="${fpr}"]`)'); await new Promise((r) => setTimeout(r, 50)); }
      return { text, gone: !document.querySelector(`[data-fingerprint="${fpr}"]`) };
    }, fingerprint);
    assert.match(result.text, /never read mail encrypted to it again/);
    assert.equal(result.gone, true);
  });

  test('every control of the extension pages has a label', async () => {
    for (const page of ['pages/options/options.html', 'pages/popup/popup.html', 'pages/inspect/inspect.html', 'pages/editor/editor.html', 'pages/reader/reader.html']) {
      await browser.goto(browser.extensionUrl(page));
      const unlabelled = await browser.evaluate(() =>
        [...document.querySelectorAll('input, select, textarea, button')]
          .filter((control) => control.type !== 'hidden')
          .filter((control) => !(control.labels?.length || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby') || control.textContent.trim()))
          .map((control) => control.id || control.outerHTML.slice(0, 60)));
      assert.deepEqual(unlabelled, [], `unlabelled controls in ${page}`);
    }
  });

  test('with the keyboard alone, a key is imported and deleted, and the keyboard lands on what happened each time', async () => {
    await options();
    await browser.waitFor(() => document.querySelectorAll('[data-testid=key]').length > 0);
    const before = await browser.evaluate(() => document.querySelectorAll('[data-testid=key]').length);
    const focused = () => browser.evaluate(() => ({ id: document.activeElement?.id ?? '', text: document.activeElement?.textContent ?? '' }));
    const frankHome = gnupg(['Frank <frank@example.org>']);
    const frank = frankHome.exportKey('frank@example.org');
    frankHome.cleanup();
    // Pasted, then Tab to "Check key" and Enter.
    await browser.evaluate((key) => {
      document.getElementById('import-text').value = key;
      document.getElementById('import-preview').focus();
    }, frank);
    await browser.pressKey('Enter');
    await browser.waitFor(() => document.querySelector('[data-testid=import-confirm]'));
    // Tab on to Import, and Enter: the button goes with the preview, the keyboard to the result.
    await browser.evaluate(() => document.querySelector('[data-testid=import-confirm]').focus());
    await browser.pressKey('Enter');
    await browser.waitFor((n) => document.querySelectorAll('[data-testid=key]').length === n + 1, [before]);
    assert.match((await focused()).text, /imported/i);
    // Frank's Delete, Enter; Shift+Tab from Cancel back to Delete in the dialog, Enter: the card goes, the keyboard to the result.
    await browser.evaluate(() => {
      const card = [...document.querySelectorAll('[data-testid=key]')].find((key) => /frank@example\.org/.test(key.textContent));
      [...card.querySelectorAll('button')].find((b) => b.textContent === 'Delete').focus();
    });
    await browser.pressKey('Enter');
    assert.equal(await browser.waitFor(() => document.querySelector('dialog[open]') && document.activeElement?.textContent), 'Cancel');
    await browser.pressKey('ShiftTab');
    assert.equal((await focused()).text, 'Delete');
    await browser.pressKey('Enter');
    await browser.waitFor((n) => document.querySelectorAll('[data-testid=key]').length === n, [before]);
    assert.deepEqual(await focused(), { id: 'keys-status', text: await browser.evaluate(() => document.getElementById('keys-status').textContent) });
    assert.match((await focused()).text, /deleted/i);
  });
});

// Each locale Sealmark ships, as a person whose browser speaks it sees the options page and the editor.
// `refused` is what importing nothing says: the code's sentence and the background's detail, both in the language.
for (const { language, locale, keys, generate, encrypt, refused } of [
  {
    language: 'German', locale: 'de', keys: 'Schlüssel', generate: 'Erzeugen', encrypt: 'Verschlüsseln und einfügen',
    refused: 'Sealmark konnte diese Eingabe nicht verwenden: Fügen Sie einen Schlüssel ein oder wählen Sie eine Schlüsseldatei.',
  },
  {
    language: 'French', locale: 'fr', keys: 'Clés', generate: 'Créer', encrypt: 'Chiffrer et insérer',
    refused: 'Sealmark n’a pas pu utiliser cette entrée\u00a0: Collez une clé ou choisissez un fichier de clé.',
  },
  // Firefox's Spanish is Spain's (es-ES); the extension's `es` serves every Spanish.
  {
    language: 'Spanish', locale: BROWSER === 'firefox' ? 'es-ES' : 'es', keys: 'Claves', generate: 'Crear', encrypt: 'Cifrar e insertar',
    refused: 'Sealmark no pudo usar esta entrada: Pegue una clave o elija un archivo de clave.',
  },
]) {
  describe(`extension pages in ${language} in ${BROWSER}`, () => {
    let browser;
    before(async () => {
      browser = await launch({ locale });
    });
    after(() => browser?.close());

    test(`the options page and the editor speak ${language}`, async () => {
      await browser.goto(browser.extensionUrl('pages/options/options.html'));
      assert.equal(await browser.textOf('#keys-heading'), keys);
      assert.equal(await browser.textOf('#gen-submit'), generate);
      assert.equal(await browser.evaluate(() => document.documentElement.lang.slice(0, 2)), locale.slice(0, 2));
      await browser.screenshot(`options-${locale}.png`);
      await browser.click('#import-preview');
      assert.equal(await browser.waitFor(() => document.querySelector('#import-result .error')?.textContent), refused);
      await browser.goto(browser.extensionUrl('pages/editor/editor.html'));
      assert.equal(await browser.textOf('#encrypt'), encrypt);
    });
  });
}

