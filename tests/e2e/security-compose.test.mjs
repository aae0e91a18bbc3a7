// Attacks on writing, each as a hostile webmail page or a careless click would
// try it (issue 20): a hidden recipient without a key must not turn encryption
// off; readable text goes into the page only after a confirmation in a window
// the page cannot reach; each recipient is encrypted to exactly one key, which
// the user chose where it was not clear; key look-ups never reach private
// names and are capped per message; Bcc recipients are not encrypted to (their
// key IDs would unblind them) unless the user says so (issue 23, item 3).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BROWSER, launch } from './lib/browser.mjs';
import { gnupg } from './lib/gpg.mjs';
import { startWebmails } from './lib/webmail-server.mjs';
import { EDITOR, armed, ask as askIn, openEditor, press, setUpAlice, openOptions } from './lib/sealmark.mjs';

const PASSPHRASE = 'compose attack passphrase';
const CONFIRM = 'pages/confirm/confirm.html';

describe(`attacks on writing in ${BROWSER}`, () => {
  let browser;
  let webmails;
  let gpg;
  let mallory;
  let alice;

  before(async () => {
    gpg = gnupg(['Bob <bob@example.org>']);
    // Another key claiming Bob's address, as a page or a key server could offer it.
    mallory = gnupg(['Bob <bob@example.org>']);
    webmails = await startWebmails();
    browser = await launch({ proxyPort: webmails.proxyPort });
    await options();
    alice = await setUpAlice(browser, gpg, PASSPHRASE);
  });
  after(async () => {
    await browser?.close();
    await webmails?.close();
    gpg?.cleanup();
    mallory?.cleanup();
  });

  const options = () => openOptions(browser);
  const ask = (type, payload = {}) => askIn(browser, type, payload);
  const fromEditor = (type, payload = {}) =>
    browser.inFrame(EDITOR, (type, payload) => {
      const id = decodeURIComponent(location.hash.slice(1));
      return (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type, payload: { id, ...payload } });
    }, type, payload);
  const recipients = () =>
    browser.inFrame(EDITOR, () => Object.fromEntries([...document.querySelectorAll('[data-testid=recipient]')].map((chip) => [chip.dataset.address, chip.dataset.state])));
  const composeBody = () => browser.evaluate(() => document.querySelector('[g_editable]').innerText.trim());
  const fingerprintOf = (armored) => ask('keys.previewImport', { armored }).then((r) => r.result[0].fingerprint);

  /** Gmail with a compose window to Bob, plus whatever `extra` addresses the page slips in unseen. */
  async function compose(extra = []) {
    await browser.goto('https://mail.google.com/mail/u/0/');
    await browser.evaluate((extra) => {
      for (const address of extra) {
        const chip = document.createElement('span');
        chip.setAttribute('email', address);
        chip.hidden = true;
        document.querySelector('.afV').append(chip);
      }
    }, extra);
    await openEditor(browser);
    await browser.waitInFrame(EDITOR, (n) => document.querySelectorAll('[data-testid=recipient]').length === n && [...document.querySelectorAll('[data-testid=recipient]')].every((c) => c.dataset.state), [1 + extra.length]);
    await armed(browser, EDITOR);
  }

  test('a recipient without a key blocks encryption; nothing readable reaches the page', async () => {
    await compose(['carol@example.org']);
    assert.deepEqual(await recipients(), { 'bob@example.org': 'ok', 'carol@example.org': 'missing' });
    const editor = await browser.inFrame(EDITOR, () => ({
      encryptDisabled: document.getElementById('encrypt').disabled,
      blocked: document.getElementById('blocked').textContent,
    }));
    assert.equal(editor.encryptDisabled, true, 'Encrypt is blocked, not switched off');
    assert.match(editor.blocked, /carol@example\.org/);
    await browser.inFrame(EDITOR, (text) => {
      document.getElementById('plaintext').value = text;
      document.getElementById('encrypt').click();
    }, 'for Bob and, secretly, Carol');
    // The background refuses too, whatever the frame asks: there is no "encrypt: false".
    for (const request of [{}, { encrypt: false }]) {
      const answer = await fromEditor('compose.encrypt', { text: 'readable?', recipients: ['bob@example.org', 'carol@example.org'], passphrase: PASSPHRASE, ...request });
      assert.equal(answer.error?.code, 'MISSING_KEYS', JSON.stringify(answer));
    }
    assert.equal(await composeBody(), '', 'nothing was written into the page');
    await browser.screenshot('editor-blocked-missing-key.png');
  });

  test('signed but readable text goes in only after a confirmation in a window the page cannot reach', async () => {
    await compose();
    const text = 'Not secret, but signed.';
    const signOnly = () => press(browser, EDITOR, '#sign-only', { plaintext: text, passphrase: PASSPHRASE });
    await signOnly();
    const asked = await browser.waitInWindow(CONFIRM, () => document.querySelector('[data-testid=confirm-yes]') && document.getElementById('confirm-text').textContent);
    assert.match(asked, /NOT encrypted/);
    await browser.screenshot('confirm-sign-only.png', CONFIRM);
    await browser.waitInWindow(CONFIRM, () => document.documentElement.dataset.clickable === 'true');
    await browser.inWindow(CONFIRM, () => document.querySelector('[data-testid=confirm-no]').click());
    const declined = await browser.waitInFrame(EDITOR, () => /error/.test(document.getElementById('status').className) && document.getElementById('status').textContent);
    assert.match(declined, /Nothing was inserted/);
    assert.equal(await composeBody(), '');

    // The window covered the editor: its buttons wait a moment again before they take a click.
    await signOnly();
    await browser.waitInWindow(CONFIRM, () => document.documentElement.dataset.clickable === 'true');
    await browser.inWindow(CONFIRM, () => document.querySelector('[data-testid=confirm-yes]').click());
    const body = await browser.waitFor(() => document.querySelector('[data-sealmark-compose=encrypted]')?.innerText);
    assert.match(body, /^-----BEGIN PGP SIGNED MESSAGE-----/);
    assert.match(gpg.decrypt(body).status, /GOODSIG/);
    const status = await browser.waitInFrame(EDITOR, () => document.getElementById('status').dataset.inserted && {
      inserted: document.getElementById('status').dataset.inserted,
      text: document.getElementById('status').textContent,
    });
    assert.equal(status.inserted, 'signed');
    assert.match(status.text, /NOT encrypted/);
  });

  test('each recipient gets exactly one key: several candidates wait for a choice, a verified key wins, own keys serve no one else', async () => {
    await options();
    const bob = await fingerprintOf(gpg.exportKey('bob@example.org'));
    const impostor = mallory.exportKey('bob@example.org');
    const fake = await fingerprintOf(impostor);
    const aliceSubkeys = (await ask('keys.list')).result.keys.find((k) => k.fingerprint === alice).info.subkeys.map((s) => s.key_id);
    assert.equal((await ask('keys.import', { armored: impostor, fingerprints: [fake] })).ok, true);

    await compose();
    assert.deepEqual(await recipients(), { 'bob@example.org': 'choose' });
    const choice = await browser.inFrame(EDITOR, () => ({
      offered: [...document.querySelectorAll('[data-testid=choose-key] option')].map((o) => o.value).filter(Boolean).sort(),
      encryptDisabled: document.getElementById('encrypt').disabled,
    }));
    assert.deepEqual(choice.offered, [bob, fake].sort());
    assert.equal(choice.encryptDisabled, true);
    const unchosen = await fromEditor('compose.encrypt', { text: 'which Bob?', recipients: ['bob@example.org'], passphrase: PASSPHRASE });
    assert.equal(unchosen.error?.code, 'CHOOSE_KEY', JSON.stringify(unchosen));
    await browser.screenshot('editor-choose-key.png');
    await browser.inFrame(EDITOR, (bob) => {
      const select = document.querySelector('[data-testid=choose-key]');
      select.value = bob;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }, bob);
    const encryptedTo = async () => {
      await press(browser, EDITOR, '#encrypt', { plaintext: 'for the real Bob', passphrase: PASSPHRASE });
      const body = await browser.waitFor(() => document.querySelector('[data-sealmark-compose=encrypted]')?.innerText);
      return gpg.recipientsOf(body).sort();
    };
    const expected = [...gpg.subkeyIds('bob@example.org'), ...aliceSubkeys].sort();
    assert.deepEqual(await encryptedTo(), expected, 'Bob and Alice only, never the impostor');

    await options();
    await ask('keys.setTrust', { fingerprint: bob, trust: 'verified' });
    // An own key carrying Bob's address (made here, or smuggled in) never serves Bob.
    const own = await ask('keys.generate', { name: 'Not Bob', email: 'bob@example.org', passphrase: PASSPHRASE });
    assert.equal(own.ok, true, JSON.stringify(own.error));
    await compose();
    assert.deepEqual(await recipients(), { 'bob@example.org': 'ok' });
    assert.deepEqual(await encryptedTo(), expected, 'the verified key, chosen without asking');
    await options();
    await ask('keys.delete', { fingerprint: own.result.fingerprint });
    await ask('keys.delete', { fingerprint: fake });
  });

  test('Bcc stays blind: Bcc recipients are not encrypted to unless the user says so, in Gmail (its collapsed summary too) and Outlook', async () => {
    const carolHome = gnupg(['Carol <carol@example.org>']);
    try {
      await options();
      const carolKey = carolHome.exportKey('carol@example.org');
      const carol = await fingerprintOf(carolKey);
      assert.equal((await ask('keys.import', { armored: carolKey, fingerprints: [carol] })).ok, true);
      const aliceSubkeys = (await ask('keys.list')).result.keys.find((k) => k.fingerprint === alice).info.subkeys.map((s) => s.key_id);
      const bobAndAlice = [...gpg.subkeyIds('bob@example.org'), ...aliceSubkeys].sort();

      const composeWithBcc = async () => {
        await browser.goto('https://mail.google.com/mail/u/0/');
        await browser.evaluate(() => window.fixture.addRecipient('BCC recipients', 'carol@example.org'));
        await openEditor(browser);
        await browser.waitInFrame(EDITOR, () => [...document.querySelectorAll('[data-testid=recipient]')].every((c) => c.dataset.state) && document.querySelector('[data-testid=recipient]'));
        await armed(browser, EDITOR);
      };
      const encryptNow = async () => {
        await press(browser, EDITOR, '#encrypt', { plaintext: 'Bob reads this; Carol is copied blind', passphrase: PASSPHRASE });
        const body = await browser.waitFor(() => document.querySelector('[data-sealmark-compose=encrypted]')?.innerText);
        const status = await browser.waitInFrame(EDITOR, () => document.getElementById('status').dataset.inserted && document.getElementById('status').textContent);
        return { to: gpg.recipientsOf(body).sort(), status };
      };

      await composeWithBcc();
      assert.deepEqual(await recipients(), { 'bob@example.org': 'ok' }, 'the Bcc address is not among the recipients encrypted to');
      const shown = await browser.inFrame(EDITOR, () => ({
        blindHidden: document.querySelector('[data-testid=blind-recipients]').hidden,
        blind: document.querySelector('[data-testid=blind-list]').textContent,
        optedIn: document.querySelector('[data-testid=opt-blind]').checked,
      }));
      assert.deepEqual(shown, { blindHidden: false, blind: 'carol@example.org', optedIn: false });
      await browser.screenshot('editor-bcc-blind.png');
      // Ticked and unticked before the look-up of the Bcc key answers: still blind.
      await armed(browser, EDITOR, '[data-testid=opt-blind]');
      await browser.inFrame(EDITOR, () => {
        document.querySelector('[data-testid=opt-blind]').click();
        document.querySelector('[data-testid=opt-blind]').click();
      });
      const blindly = await encryptNow();
      assert.deepEqual(blindly.to, bobAndAlice, 'no key ID of Carol in the message');
      assert.match(blindly.status, /Not encrypted to the Bcc recipients carol@example\.org/);

      // The user's explicit choice: Carol's key IDs go in, and every recipient can see them.
      await composeWithBcc();
      await press(browser, EDITOR, '[data-testid=opt-blind]');
      await browser.waitInFrame(EDITOR, () => document.querySelector('[data-testid=recipient][data-address="carol@example.org"][data-state=ok]'));
      const chosen = await encryptNow();
      assert.deepEqual(chosen.to, [...bobAndAlice, ...carolHome.subkeyIds('carol@example.org')].sort());
      assert.doesNotMatch(chosen.status, /Not encrypted to the Bcc/);

      // Outlook's Bcc well is blind too.
      await browser.goto('https://outlook.live.com/mail/0/');
      await browser.evaluate(() => window.fixture.addRecipient('BCC', 'Carol', 'carol@example.org'));
      await openEditor(browser);
      await browser.waitInFrame(EDITOR, () => document.querySelector('[data-testid=recipient][data-state]'));
      assert.deepEqual(await recipients(), { 'bob@example.org': 'ok' });
      assert.equal(await browser.inFrame(EDITOR, () => document.querySelector('[data-testid=blind-list]').textContent), 'carol@example.org');
      await options();
      await ask('keys.delete', { fingerprint: carol });
    } finally {
      carolHome.cleanup();
    }
  });

  test('more recipients than Sealmark encrypts to are refused with a clear error, not cut silently', async () => {
    await browser.goto('https://mail.google.com/mail/u/0/');
    await browser.evaluate(() => {
      for (let i = 0; i < 101; i++) {
        const chip = document.createElement('span');
        chip.setAttribute('email', `r${i}@example.org`);
        document.querySelector('.afV').append(chip);
      }
    });
    await browser.waitFor(() => document.querySelector('[data-sealmark-button=compose]'));
    await browser.evaluate(() => document.querySelector('[data-sealmark-button=compose]').click());
    const said = await browser.waitFor(() => document.querySelector('[data-sealmark-note=error]')?.textContent);
    assert.match(said, /102 recipients.*at most 100/);
    assert.equal(await browser.evaluate(() => document.querySelectorAll('iframe[data-sealmark-frame=compose]').length), 0);
  });

  test('key look-ups never ask private or local names, and stop after twenty per message', async () => {
    await compose();
    for (const address of ['x@127.0.0.1', 'x@[10.0.0.1]', 'x@localhost', 'x@intranet', 'x@printer.local', 'x@router.home.arpa', 'x@nas.internal', 'x@box.lan']) {
      // Only requests naming this domain count: the webmail page fetches its own things meanwhile.
      const domain = address.split('@')[1].replace(/^\[|\]$/g, '');
      const asked = () => webmails.requests.filter((r) => r.includes(domain)).length;
      const before = asked();
      const answer = await fromEditor('compose.lookUp', { address });
      assert.equal(answer.error?.code, 'LOOKUP_REFUSED', `${address}: ${JSON.stringify(answer)}`);
      assert.equal(asked(), before, `${address} was asked for`);
    }
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push(await fromEditor('compose.lookUp', { address: `nobody${i}@example.org` }));
    assert.ok(answers.slice(0, 20).every((a) => a.ok), JSON.stringify(answers.slice(0, 20).find((a) => !a.ok)));
    assert.equal(answers[20].error?.code, 'LOOKUP_LIMIT', JSON.stringify(answers[20]));
  });
});
