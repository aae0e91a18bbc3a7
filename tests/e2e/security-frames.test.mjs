// Attacks on Sealmark's frames and keys from a hostile webmail page or a
// malicious sender (issue 20): a secret key slipped in as a public key, a
// frame the page imitates or measures, a click right after the page moved or
// resized a frame, a frame record reused at another origin, a signature
// checked against a sender the page made up, storage a page could read or
// fill, a partly protected key stored with clear parts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSER, ROOT, WELCOME, launch } from './lib/browser.mjs';
import { gnupg } from './lib/gpg.mjs';
import { partlyProtectedKey } from './lib/partial-key.mjs';
import { startWebmails } from './lib/webmail-server.mjs';
import { EDITOR, READER, armed, ask as askIn, decryptInReader, openEditor, press, setUpAlice, openOptions } from './lib/sealmark.mjs';

const PASSPHRASE = 'frame attack passphrase';
const CONFIRM = 'pages/confirm/confirm.html';
const STRIP = 'iframe[data-sealmark-frame=route]';
const corpus = (name) => readFileSync(join(ROOT, 'tests/corpus/transport', name), 'utf8');
const routeHeaders = () => corpus('exim-gnutls-tls13.eml').split(/\r?\n\r?\n/)[0].split(/\r?\n/).filter((line) => !/^(from|content-|mime-version)/i.test(line));

describe(`attacks on frames and keys in ${BROWSER}`, () => {
  let browser;
  let webmails;
  let gpg;
  let alice;

  before(async () => {
    gpg = gnupg(['Bob <bob@example.org>', 'Carol <carol@example.org>']);
    webmails = await startWebmails();
    browser = await launch({ proxyPort: webmails.proxyPort });
    await options();
    alice = await setUpAlice(browser, gpg, PASSPHRASE);
  });
  after(async () => {
    await browser?.close();
    await webmails?.close();
    gpg?.cleanup();
  });

  const options = () => openOptions(browser);
  const ask = (type, payload = {}) => askIn(browser, type, payload);
  const keyring = async () => (await ask('keys.list')).result.keys;
  async function gmail() {
    await browser.goto('https://mail.google.com/mail/u/0/');
    await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter);
  }
  const show = (text) => browser.evaluate((text) => {
    window.fixture.closeCompose();
    window.fixture.showMessage(text);
  }, text);

  test('keys and the sign are out of reach of content scripts; an older profile\'s keyring moves there', async () => {
    await options();
    const everything = await browser.evaluate(() => (globalThis.browser ?? globalThis.chrome).storage.local.get(null).then(JSON.stringify));
    assert.doesNotMatch(everything, /PRIVATE KEY BLOCK|PUBLIC KEY BLOCK|"keyring"/);
    // A keyring where an earlier version kept it.
    const carol = gpg.exportKey('carol@example.org');
    const fingerprint = (await ask('keys.previewImport', { armored: carol })).result[0].fingerprint;
    await ask('keys.delete', { fingerprint }).catch(() => null);
    await browser.evaluate((fingerprint, carol) => (globalThis.browser ?? globalThis.chrome).storage.local.set({
      keyring: { keys: { [fingerprint]: { fingerprint, publicKey: carol, privateKey: null, source: 'import', trust: 'verified', addedAt: '2026-01-01T00:00:00.000Z' } }, defaultKey: null },
    }), fingerprint, carol);
    // An update starts a new background, which moves what it finds (first in this file: a frame
    // still waiting for its record would keep Firefox's background up for half a minute).
    await browser.stopBackground();
    const listed = (await keyring()).find((k) => k.fingerprint === fingerprint);
    assert.equal(listed?.trust, 'verified', 'the old keyring was kept');
    assert.ok((await keyring()).some((k) => k.fingerprint === alice), 'and merged with the current one');
    const left = await browser.evaluate(() => (globalThis.browser ?? globalThis.chrome).storage.local.get('keyring'));
    assert.deepEqual(left, {}, 'and left storage.local');
    await ask('keys.delete', { fingerprint });
  });

  test('a secret key on a page is never taken as the user\'s own', async () => {
    const before = await keyring();
    const disguised = gpg.exportSecretKey('bob@example.org').replaceAll('PRIVATE KEY BLOCK', 'PUBLIC KEY BLOCK');
    await gmail();
    await show(disguised);
    const refused = await browser.waitInFrame(READER, () => /error/.test(document.getElementById('status').className) && {
      status: document.getElementById('status').textContent,
      importButtons: document.querySelectorAll('#key-preview button').length,
    });
    assert.match(refused.status, /secret/i);
    assert.equal(refused.importButtons, 0);
    await browser.screenshot('reader-disguised-secret-key.png');

    // Whatever a frame asks, a secret key does not enter from a page.
    await show(gpg.exportKey('carol@example.org'));
    await browser.waitInFrame(READER, () => document.querySelector('#key-preview li'));
    const asked = await browser.inFrame(READER, (secret) =>
      (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: 'keys.import', payload: { armored: secret, fingerprints: [], source: 'page' } }),
    gpg.exportSecretKey('bob@example.org'));
    assert.equal(asked.error?.code, 'FORBIDDEN_SENDER', JSON.stringify(asked));
    await options();
    const after = await keyring();
    assert.equal(after.length, before.length, 'nothing was imported');
    assert.equal(after.filter((k) => k.own).length, 1, 'Alice is still the only own key');
  });

  test('a key from a page is imported only as a certificate, after a confirmation the page cannot reach', async () => {
    await gmail();
    await show(gpg.exportKey('carol@example.org'));
    await browser.waitInFrame(READER, () => document.querySelector('#key-preview li'));
    await press(browser, READER, '[data-testid=import-key]');
    const asked = await browser.waitInWindow(CONFIRM, () => document.querySelector('[data-testid=confirm-yes]') && document.getElementById('confirm-text').textContent);
    assert.match(asked, /carol@example\.org/);
    await browser.screenshot('confirm-key-import.png', CONFIRM);
    await browser.waitInWindow(CONFIRM, () => document.documentElement.dataset.clickable === 'true');
    await browser.inWindow(CONFIRM, () => document.querySelector('[data-testid=confirm-yes]').click());
    await browser.waitInFrame(READER, () => document.getElementById('status').classList.contains('ok'));
    await options();
    const carol = (await keyring()).find((k) => k.info.user_ids.includes('Carol <carol@example.org>'));
    assert.ok(carol, 'Carol was imported');
    assert.equal(carol.own, false);
    assert.equal(carol.trust, 'unverified');
    assert.equal(carol.source, 'page');
  });

  test('every Sealmark frame and window shows the security sign; the page and its storage see none of it', async () => {
    await options();
    const sign = (await ask('sign.get')).result;
    assert.ok(sign?.word, JSON.stringify(sign));
    assert.equal(await browser.evaluate(() => document.querySelector('[data-testid=security-sign]')?.textContent), sign.word);
    const stored = await browser.evaluate(() => (globalThis.browser ?? globalThis.chrome).storage.local.get(null).then(JSON.stringify));
    assert.ok(!stored.includes(sign.word), 'storage.local (which content scripts can read) does not hold the sign');

    const headers = routeHeaders();
    webmails.messages.set('msg-f:3001', [...headers, 'From: Bob <bob@example.org>', '', 'Hello'].join('\r\n'));
    await gmail();
    await browser.evaluate(() => window.fixture.openMessage('#msg-f:3001', 'Hello'));
    await openEditor(browser);
    await browser.evaluate((armored) => window.fixture.showMessage(armored), gpg.encrypt('signed and sealed', { to: 'alice@example.org', from: 'bob@example.org' }).toString());
    for (const frame of [EDITOR, READER, STRIP]) {
      const shown = await browser.waitInFrame(frame, () => document.querySelector('[data-testid=security-sign]')?.textContent);
      assert.equal(shown, sign.word, frame);
    }
    const seenByPage = await browser.evaluate((word) => document.documentElement.innerText.includes(word) || document.documentElement.outerHTML.includes(word), sign.word);
    assert.equal(seenByPage, false);
    await browser.screenshot('sign-in-webmail.png');
    // The passphrase prompt shows it right beside the field.
    await browser.evaluate(() => window.fixture.closeCompose());
    await decryptInReader(browser);
    const prompt = await browser.waitInFrame(READER, () => !document.getElementById('unlock').hidden && document.querySelector('#unlock [data-testid=security-sign]')?.textContent);
    assert.equal(prompt, sign.word);
    await browser.screenshot('sign-passphrase-prompt.png');
  });

  test('the reader tells the page its height once, before anything secret is shown', async () => {
    await gmail();
    await browser.evaluate(() => {
      window.heights = [];
      window.addEventListener('message', (event) => {
        if ([...document.querySelectorAll('iframe[data-sealmark-frame]')].some((f) => f.contentWindow === event.source)) window.heights.push(event.data);
      });
    });
    const long = Array.from({ length: 80 }, (_, i) => `line ${i} of a long secret`).join('\n');
    await show(gpg.encrypt(long, { to: 'alice@example.org', from: 'bob@example.org' }).toString());
    await browser.waitInFrame(READER, () => !document.getElementById('decrypt-actions').hidden);
    // The frame says its height once, as it shows its button; nothing more after that.
    await browser.waitFor(() => window.heights.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = await browser.evaluate(() => window.heights.length);
    assert.equal(before, 1, `the frame reported ${before} heights before anything was shown`);
    await decryptInReader(browser, PASSPHRASE);
    await browser.waitInFrame(READER, () => document.getElementById('plaintext').textContent.includes('line 79'));
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.equal(await browser.evaluate(() => window.heights.length), before, 'no height after decryption');
    const scrolls = await browser.inFrame(READER, () => document.scrollingElement.scrollHeight > innerHeight || document.querySelector('.scroll')?.scrollHeight > document.querySelector('.scroll')?.clientHeight);
    assert.equal(scrolls, true, 'the text scrolls inside the frame');
  });

  test('a click right after the page resizes or moves a frame is refused; a key press, which aims by focus, is not', async () => {
    await gmail();
    await show(gpg.encrypt('not yet', { to: 'alice@example.org', from: 'bob@example.org' }).toString());
    await browser.waitInFrame(READER, () => !document.getElementById('decrypt-actions').hidden);
    await armed(browser, READER);
    // The click comes as soon as the frame learns of the resize, however long a busy machine takes
    // to tell it: a pointer's click (it has a position), then Enter on the focused button (none).
    const afterResize = async (press) => {
      await browser.inFrame(READER, (press) => {
        document.getElementById('status').textContent = '';
        window.resized = new Promise((resolve) => addEventListener('resize', resolve, { once: true })).then(() => {
          const decrypt = document.getElementById('decrypt');
          if (press === 'pointer') decrypt.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, detail: 1, clientX: 30, clientY: 20, screenX: 130, screenY: 220 }));
          else decrypt.click();
          return document.getElementById('status').textContent;
        });
      }, press);
      await browser.evaluate(() => {
        const frame = document.querySelector('iframe[data-sealmark-frame=read]');
        frame.style.height = `${frame.offsetHeight + 20}px`;
      });
      return browser.inFrame(READER, () => window.resized);
    };
    assert.match(await afterResize('pointer'), /refused/);
    await armed(browser, READER);
    // A person's pointer rests on the frame; the page shifts it under the pointer, and the click lands.
    await browser.hoverInFrame(READER, '#decrypt');
    await new Promise((resolve) => setTimeout(resolve, 600));
    await browser.evaluate(() => (document.querySelector('iframe[data-sealmark-frame=read]').style.transform = 'translateY(-12px)'));
    await browser.clickInFrame(READER, '#decrypt');
    const afterMove = await browser.inFrame(READER, () => document.getElementById('status').textContent);
    assert.match(afterMove, /refused/);
    // Last, as it may decrypt (with a remembered passphrase) and leave no Decrypt button.
    await browser.evaluate(() => (document.querySelector('iframe[data-sealmark-frame=read]').style.transform = ''));
    await armed(browser, READER);
    assert.doesNotMatch(await afterResize('key'), /refused/);
  });

  test('a key press right after the page hands a frame the keyboard is refused', async () => {
    await gmail();
    await show(gpg.encrypt('not yet', { to: 'alice@example.org', from: 'bob@example.org' }).toString());
    await browser.waitInFrame(READER, () => !document.getElementById('decrypt-actions').hidden);
    await armed(browser, READER);
    // The person types in the page; the page moves the keyboard into the frame just before they
    // press Enter. The press comes as soon as the frame has the keyboard.
    await browser.evaluate(() => {
      // Fixed in a corner, so the frame does not move.
      const field = Object.assign(document.createElement('input'), { id: 'page-field' });
      field.style.cssText = 'position: fixed; top: 0; left: 0; width: 80px';
      document.body.append(field);
      field.focus();
    });
    await browser.inFrame(READER, () => {
      document.getElementById('status').textContent = '';
      window.handed = new Promise((resolve) => addEventListener('focus', resolve, { once: true })).then(() => {
        document.getElementById('decrypt').click();
        return document.getElementById('status').textContent;
      });
    });
    await browser.evaluate(() => document.querySelector('iframe[data-sealmark-frame=read]').focus());
    assert.match(await browser.inFrame(READER, () => window.handed), /refused/);
  });

  test("a page that changes a frame's fragment moves nothing under the pointer or the keyboard", async () => {
    await gmail();
    await openEditor(browser);
    await armed(browser, EDITOR);
    // The person is typing in the editor. The page points the frame's address at a checkbox
    // (#opt-sign): the browser scrolls to it and may focus it. A key press comes as soon as it
    // has the focus, however long a busy machine takes; the fragment's change is looked at the
    // moment the frame learns of it.
    const own = await browser.inFrame(EDITOR, () => {
      document.getElementById('plaintext').focus();
      window.moved = new Promise((resolve) => {
        document.addEventListener('focusin', (event) => {
          if (event.target.id !== 'opt-sign') return;
          event.target.click();
          resolve({ focused: true, status: document.getElementById('status').textContent });
        }, true);
        // A pointer resting where the page scrolled another control: its click comes at once.
        addEventListener('hashchange', () => {
          document.getElementById('encrypt').dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, detail: 1, clientX: 40, clientY: 300, screenX: 640, screenY: 600 }));
          resolve({ focused: false, status: document.getElementById('status').textContent });
        });
      });
      return location.hash;
    });
    await browser.evaluate(() => {
      const frame = document.querySelector('iframe[data-sealmark-frame=compose]');
      frame.contentWindow.location.replace(`${frame.src.split('#')[0]}#opt-sign`);
    });
    // Chromium loads the frame anew for a navigation another origin asks for: a fresh editor
    // that knows no record under that fragment, holding nothing of what was written. (Asked of
    // the old document just before it goes, the question is asked again of the new one.)
    const moved = await browser.waitInFrame(EDITOR, async () => {
      if (window.moved) return window.moved;
      const status = document.getElementById('status');
      return /error/.test(status.className) && { reloaded: status.textContent };
    });
    if (moved.reloaded !== undefined) {
      assert.match(moved.reloaded, /expired|belongs to another/);
      return;
    }
    // Firefox keeps the document: a focus placed is refused, and so is a click right after the scroll.
    assert.match(moved.status, /refused/);
    const after = await browser.inFrame(EDITOR, () => ({ signed: document.getElementById('opt-sign').checked, hash: location.hash }));
    assert.deepEqual(after, { signed: true, hash: own }, 'the checkbox kept, the address restored');
  });

  test('a frame record is answered only in the tab and at the origin that opened it', async () => {
    await gmail();
    await openEditor(browser);
    const src = await browser.evaluate(() => document.querySelector('iframe[data-sealmark-frame=compose]').src);
    await browser.goto('https://outlook.live.com/mail/0/');
    await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter);
    await browser.evaluate((src) => {
      const copy = document.createElement('iframe');
      copy.id = 'copied';
      copy.src = src;
      document.body.append(copy);
    }, src);
    const answer = await browser.waitInFrame('#copied', () => document.getElementById('status')?.textContent);
    assert.match(answer, /belongs to another|expired/);
  });

  test('a signature is checked against the sender of the raw message, not the name the page shows', async () => {
    const signedPart = 'Content-Type: text/plain; charset=utf-8\r\n\r\nPay the invoice.';
    const signature = gpg.detachSign(signedPart, 'bob@example.org');
    const raw = [
      ...routeHeaders(), 'From: Mallory <mallory@example.net>', 'MIME-Version: 1.0',
      'Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="s"', '',
      '--s', signedPart, '--s', 'Content-Type: application/pgp-signature; name="signature.asc"', '', signature, '--s--', '',
    ].join('\r\n');
    webmails.messages.set('msg-f:3002', raw);
    await gmail();
    // The page shows Bob as the sender; the message says Mallory.
    await browser.evaluate(() => window.fixture.openMessage('#msg-f:3002', 'Pay the invoice.'));
    const shown = await browser.waitInFrame(READER, () => {
      const signature = document.querySelector('[data-testid=signature]');
      return signature && { status: signature.dataset.status, text: signature.textContent };
    });
    assert.equal(shown.status, 'valid');
    assert.match(shown.text, /not the sender/);
  });

  test('an inline signed block is checked against the From of its message\'s raw source', async () => {
    webmails.messages.set('msg-f:3003', [...routeHeaders(), 'From: Mallory <mallory@example.net>', '', 'see below'].join('\r\n'));
    await gmail();
    await browser.evaluate(() => window.fixture.openMessage('#msg-f:3003', 'see below'));
    await browser.waitInFrame(STRIP, () => document.querySelector('[data-testid=route-sentence]')?.textContent);
    // The page names Bob as the sender and shows a text Bob really signed.
    await browser.evaluate((signed) => window.fixture.showMessage(signed), gpg.clearsign('Pay the invoice.', 'bob@example.org'));
    const shown = await browser.waitInFrame(READER, () => {
      const signature = document.querySelector('[data-testid=signature]');
      return signature && { status: signature.dataset.status, text: signature.textContent };
    });
    assert.equal(shown.status, 'valid');
    assert.match(shown.text, /not the sender/);
  });

  test('large PGP/MIME messages do not exhaust the storage frames and the passphrase cache share', async () => {
    // Random text: it does not compress, so the ciphertext stays large.
    const big = () => randomBytes(5 * 1024 * 1024).toString('base64').replace(/.{76}/g, '$&\n');
    for (const id of ['msg-f:3101', 'msg-f:3102']) {
      const ciphertext = gpg.encrypt(big(), { to: 'alice@example.org', from: null }).toString();
      assert.ok(ciphertext.length > 6 * 1024 * 1024, `${ciphertext.length} bytes`);
      webmails.messages.set(id, [
        ...routeHeaders(), 'From: Bob <bob@example.org>', 'MIME-Version: 1.0',
        'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="outer"', '',
        '--outer', 'Content-Type: application/pgp-encrypted', '', 'Version: 1', '', '--outer',
        'Content-Type: application/octet-stream; name="encrypted.asc"', '', ciphertext, '--outer--', '',
      ].join('\r\n'));
      await gmail();
      await browser.evaluate((id) => {
        window.fixture.closeCompose();
        window.fixture.openMessage(`#${id}`, 'Version: 1');
      }, id);
      const ready = await browser.waitInFrame(READER, () => !document.getElementById('decrypt-actions').hidden || document.querySelector('#status.error')?.textContent);
      assert.equal(ready, true, `${id}: ${ready}`);
      assert.ok(await browser.waitInFrame(STRIP, () => document.querySelector('[data-testid=route-sentence]')?.textContent), id);
    }
    await decryptInReader(browser, PASSPHRASE);
    await browser.inFrame(READER, () => (document.getElementById('remember').checked = true));
    await browser.waitInFrame(READER, () => document.getElementById('plaintext').textContent.length > 1000, [], 60000);
    await options();
    assert.deepEqual((await ask('keys.list')).result.unlocked, [alice], 'the passphrase cache still works');
  });

  test('a partly protected secret key is stored with every part locked', async () => {
    const { armored, passphrase } = await partlyProtectedKey();
    await options();
    const [preview] = (await ask('keys.previewImport', { armored })).result;
    assert.equal(preview.info.protection, 'partial');
    assert.equal(preview.needsLock, true);
    const missing = await ask('keys.import', { armored, fingerprints: [preview.fingerprint], lockPassphrase: 'a whole new passphrase' });
    assert.equal(missing.error?.code, 'KEY_IS_PROTECTED', 'the locked part needs its passphrase first');
    const imported = await ask('keys.import', { armored, fingerprints: [preview.fingerprint], currentPassphrase: passphrase, lockPassphrase: 'a whole new passphrase' });
    assert.equal(imported.ok, true, JSON.stringify(imported.error));
    const stored = (await keyring()).find((k) => k.fingerprint === preview.fingerprint);
    assert.equal(stored.locked, true);
    assert.equal(stored.protection, 'argon2');
    await ask('keys.delete', { fingerprint: preview.fingerprint });
  });

  test('plain http: webmail origins cannot be enabled', async () => {
    await options();
    const refused = await ask('sites.add', { origin: 'http://mail.example.org' });
    assert.equal(refused.error?.code, 'INSECURE_ORIGIN', JSON.stringify(refused));
  });
});

describe(`the security sign on first run in ${BROWSER}`, () => {
  let browser;
  before(async () => {
    browser = await launch({ keepWelcome: true });
  });
  after(() => browser?.close());

  test('installing opens one screen that explains the sign and lets the user choose it', async () => {
    for (const end = Date.now() + 60_000; !(await browser.windowUrls(WELCOME)).length;) { if (Date.now() > end) throw new Error('waited 60 s, still: !(await browser.windowUrls(WELCOME)).length'); await new Promise((resolve) => setTimeout(resolve, 150)); }
    assert.equal((await browser.windowUrls(WELCOME)).length, 1, 'the welcome page opened on install');
    await browser.goto(browser.extensionUrl(WELCOME));
    const explained = await browser.waitFor(() => document.querySelectorAll('input[name=sign-pattern]').length === 8 && document.getElementById('sign-heading').nextElementSibling.textContent);
    assert.match(explained, /cannot see it/);
    // Every choice shows what it looks like before anything is chosen.
    const drawn = await browser.evaluate(() => [...document.querySelectorAll('#sign-chooser .sign-option')].filter((option) => option.querySelector('svg')).length);
    assert.equal(drawn, 16, 'a swatch beside each of the 8 patterns and 8 colours');
    await browser.evaluate(() => {
      document.querySelector('input[name=sign-pattern][value="5"]').click();
      document.querySelector('input[name=sign-colour][value="2"]').click();
      document.getElementById('sign-word').value = 'Kingfisher';
      document.getElementById('sign-save').click();
    });
    await browser.waitFor(() => /Saved/.test(document.querySelector('#sign-chooser .status')?.textContent));
    await browser.screenshot('welcome-sign.png');
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    const shown = await browser.waitFor(() => document.querySelector('.page-header [data-testid=security-sign]')?.textContent);
    assert.equal(shown, 'Kingfisher');
    const stored = await browser.evaluate(() => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: 'sign.get' }));
    assert.deepEqual(stored.result, { pattern: 5, colour: 2, word: 'Kingfisher', chosen: true });
  });
});
