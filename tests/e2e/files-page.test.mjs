// The files page as a person uses it: a 25 MiB file encrypted for Bob and for Alice herself, signed,
// then decrypted back on the same page byte for byte; GnuPG opens what the page encrypts, and the
// page opens what GnuPG encrypted and signed; GnuPG verifies the detached signatures the page
// makes, and the page verifies GnuPG's, saying plainly when a file was changed or its signer is
// not in the keyring. Files go through the background only as base64, and come back as downloads.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BROWSER, launch } from './lib/browser.mjs';
import { gnupg } from './lib/gpg.mjs';
import { ask as askIn, setUpAlice } from './lib/sealmark.mjs';

const PASSPHRASE = 'files page passphrase, long enough';

describe(`files page in ${BROWSER}`, () => {
  let browser;
  let gpg;
  let alice;

  before(async () => {
    gpg = gnupg(['Bob <bob@example.org>']);
    browser = await launch();
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    alice = await setUpAlice(browser, gpg, PASSPHRASE);
  });
  after(async () => {
    await browser?.close();
    gpg?.cleanup();
  });

  const page = async () => {
    await browser.goto(browser.extensionUrl('pages/files/files.html'));
    await browser.waitFor(() => document.querySelectorAll('[data-testid=recipient]').length === 2);
  };

  /** Chooses files for one of the page's inputs: each `{name, base64}` or `{name, size}` (made in the page). */
  const choose = (input, files) =>
    browser.evaluate((input, files) => {
      const chosen = new DataTransfer();
      for (const file of files) {
        const bytes = file.base64 !== undefined
          ? Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))
          : Uint8Array.from({ length: file.size }, (_, i) => (i * 7919 + (i >> 12)) % 256);
        chosen.items.add(new File([bytes], file.name));
      }
      document.getElementById(input).files = chosen.files;
    }, input, files);

  /** Presses a button once the page accepts clicks; Continue with the passphrase when it is asked for. */
  const run = async (button, count) => {
    // Encrypt and Decrypt wait while a run goes on: pressed once the page takes them again.
    const press = (id) => browser.waitFor((id) => {
      const control = document.getElementById(id);
      if (control.disabled) return false;
      control.click();
      return true;
    }, [id]);
    await press(button);
    // On a time-out, what the page said: enough to tell a refused file from a page that never answered.
    const said = () => browser.evaluate(() => `${document.getElementById('status').textContent} | ${document.getElementById('results').textContent}`).catch((error) => String(error));
    await browser
      .waitFor((count) => document.querySelectorAll('[data-testid=result]').length >= count || !document.getElementById('passphrase-row').hidden, [count], 120_000)
      .catch(async (error) => {
        throw new Error(`${error.message}; the page says: ${await said()}`);
      });
    if (await browser.evaluate(() => !document.getElementById('passphrase-row').hidden)) {
      await browser.evaluate((passphrase) => {
        document.getElementById('passphrase').value = passphrase;
      }, PASSPHRASE);
      await press('unlock');
    }
    return browser.waitFor((count) => document.querySelectorAll('[data-testid=result]').length >= count && [...document.querySelectorAll('[data-testid=result]')].map((li) => li.dataset.name), [count], 120_000);
  };

  /** A download's bytes, as SHA-256 hex and (when asked) base64, read back from its link in the page. */
  const downloaded = (name, withBytes = false) =>
    browser.evaluate(async (name, withBytes) => {
      const link = document.querySelector(`[data-testid=result][data-name="${name}"] [data-testid=download]`);
      const bytes = new Uint8Array(await (await fetch(link.href)).arrayBuffer());
      const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
      let base64 = null;
      if (withBytes) {
        let binary = '';
        for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        base64 = btoa(binary);
      }
      return { digest, base64, download: link.getAttribute('download'), size: bytes.length };
    }, name, withBytes);

  test('a 25 MiB file is encrypted for Bob and Alice, signed, and decrypts back on the page byte for byte', async () => {
    await page();
    // Locked: the passphrase is asked for on the page, and the run continues with it.
    await askIn(browser, 'keys.lockNow');
    await browser.evaluate(() => {
      for (const box of document.querySelectorAll('[data-testid=recipient]')) box.checked = true;
    });
    const size = 25 * 1024 * 1024;
    await choose('encrypt-input', [{ name: 'field-recordings.wav', size }]);
    assert.deepEqual(await run('encrypt', 1), ['field-recordings.wav.gpg']);
    await browser.screenshot('files-encrypted.png');
    const original = await browser.evaluate(async (size) => {
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 7919 + (i >> 12)) % 256);
      return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
    }, size);
    // Back in through the decrypt input, as a person would choose the downloaded file.
    await browser.evaluate(async () => {
      const link = document.querySelector('[data-testid=download]');
      const chosen = new DataTransfer();
      chosen.items.add(new File([await (await fetch(link.href)).blob()], link.getAttribute('download')));
      document.getElementById('decrypt-input').files = chosen.files;
    });
    assert.deepEqual(await run('decrypt', 2), ['field-recordings.wav.gpg', 'field-recordings.wav']);
    const back = await downloaded('field-recordings.wav');
    assert.equal(back.size, size);
    assert.equal(back.digest, original);
    assert.equal(await browser.evaluate(() => document.querySelectorAll('[data-testid=signature]')[0].dataset.status), 'valid');
    await browser.screenshot('files-decrypted.png');
  });

  test('GnuPG opens what the page encrypts, and the page opens and verifies what GnuPG encrypted and signed', async () => {
    await page();
    await browser.evaluate(() => {
      for (const box of document.querySelectorAll('[data-testid=recipient]')) box.checked = true;
    });
    await choose('encrypt-input', [{ name: 'notes.txt', base64: Buffer.from('Notes for Bob, from the files page.\n').toString('base64') }]);
    assert.deepEqual(await run('encrypt', 1), ['notes.txt.gpg']);
    const encrypted = await downloaded('notes.txt.gpg', true);
    const opened = gpg.decrypt(Buffer.from(encrypted.base64, 'base64'));
    assert.equal(opened.text, 'Notes for Bob, from the files page.\n');
    assert.match(opened.status, /GOODSIG/);

    const fromBob = gpg.encrypt('Figures, from Bob.\n', { to: 'alice@example.org', from: 'bob@example.org', binary: true });
    await choose('decrypt-input', [{ name: 'figures.csv.gpg', base64: fromBob.toString('base64') }]);
    await run('decrypt', 2);
    const rows = await browser.evaluate(() => [...document.querySelectorAll('[data-testid=result]')].map((li) => [li.dataset.name, li.querySelector('[data-testid=signature]')?.dataset.status ?? null]));
    assert.deepEqual(rows, [['notes.txt.gpg', null], ['figures.csv', 'valid']]);
    const figures = await downloaded('figures.csv', true);
    assert.equal(Buffer.from(figures.base64, 'base64').toString(), 'Figures, from Bob.\n');

    // Larger than the page takes: refused before it is read, listed with the reason; the page is free again.
    await browser.waitFor(() => !document.getElementById('encrypt').disabled);
    await browser.evaluate(() => {
      const chosen = new DataTransfer();
      chosen.items.add(new File([new Uint8Array(33 * 1024 * 1024)], 'huge.iso'));
      document.getElementById('encrypt-input').files = chosen.files;
      document.getElementById('encrypt').click();
    });
    const refused = await browser.waitFor(() => document.querySelector('[data-testid=failed]')?.textContent);
    assert.match(refused, /huge\.iso.*32 MiB/);
    assert.equal(await browser.waitFor(() => !document.getElementById('encrypt').disabled && document.getElementById('status').className), 'status error');
  });

  test('GnuPG verifies what the page signs, and the page verifies what GnuPG signed; a changed file or an unknown signer is never valid', async () => {
    await page();
    // Locked: the passphrase is asked for on the page; Stop leaves the files unsigned and the page free.
    await askIn(browser, 'keys.lockNow');
    const minutes = Buffer.from('Minutes of the meeting, signed by Alice.\n');
    await choose('sign-input', [{ name: 'minutes.txt', base64: minutes.toString('base64') }, { name: 'photo.bin', size: 100_000 }]);
    await browser.evaluate(() => document.getElementById('sign-files').click());
    await browser.waitFor(() => !document.getElementById('passphrase-row').hidden);
    await browser.evaluate(() => document.getElementById('stop').click());
    assert.deepEqual(
      await browser.waitFor(() => document.getElementById('passphrase-row').hidden && !document.getElementById('sign-files').disabled && [document.querySelectorAll('#results li').length, document.getElementById('status').textContent]),
      [0, 'Stopped: the files left were not done.'],
    );

    assert.deepEqual(await run('sign-files', 2), ['minutes.txt.sig', 'photo.bin.sig']);
    const signature = Buffer.from((await downloaded('minutes.txt.sig', true)).base64, 'base64');
    // Binary, as `gpg --detach-sign` writes it: a signature packet, not armor.
    assert.equal(signature[0] & 0x80, 0x80);
    const checked = gpg.verifyDetached(minutes, signature);
    assert.match(checked, /\[GNUPG:\] GOODSIG /);
    assert.match(checked, new RegExp(`^\\[GNUPG:\\] VALIDSIG .*${alice}$`, 'im'));
    assert.match(gpg.verifyDetached(Buffer.from('Minutes of the meeting, changed.\n'), signature), /\[GNUPG:\] BADSIG /);

    // Carol is in nobody's keyring here.
    const stranger = gnupg(['Carol <carol@example.net>']);
    try {
      const budget = 'Budget 2025: 1200 for travel.\n';
      const fromCarol = 'A note from Carol.\n';
      await page();
      // Signatures from both choosers and among the files, paired by name.
      await choose('verify-input', [
        { name: 'budget.csv', base64: Buffer.from(budget).toString('base64') },
        { name: 'minutes.txt', base64: minutes.toString('base64') },
        { name: 'minutes.txt.sig', base64: signature.toString('base64') },
        { name: 'budget-changed.csv', base64: Buffer.from(budget.replace('1200', '9200')).toString('base64') },
        { name: 'budget-changed.csv.asc', base64: Buffer.from(gpg.detachSign(budget, 'bob@example.org')).toString('base64') },
        { name: 'from-carol.txt', base64: Buffer.from(fromCarol).toString('base64') },
        { name: 'from-carol.txt.sig', base64: stranger.detachSign(fromCarol, 'carol@example.net', { binary: true }).toString('base64') },
        { name: 'lonely.txt', base64: Buffer.from('No signature.\n').toString('base64') },
      ]);
      await choose('verify-signature-input', [{ name: 'budget.csv.asc', base64: Buffer.from(gpg.detachSign(budget, 'bob@example.org')).toString('base64') }]);
      assert.deepEqual(await run('verify', 4), ['budget.csv', 'minutes.txt', 'budget-changed.csv', 'from-carol.txt']);
      await browser.waitFor(() => !document.getElementById('verify').disabled);
      const rows = await browser.evaluate(() => [...document.querySelectorAll('[data-testid=result]')].map((li) => ({
        statuses: [...li.querySelectorAll('[data-testid=signature]')].map((s) => s.dataset.status),
        text: li.textContent,
      })));
      assert.deepEqual(rows.map((row) => row.statuses), [['valid'], ['valid'], ['bad'], ['unknown_key']]);
      assert.match(rows[0].text, /budget\.csv with budget\.csv\.asc: Valid signature by Bob <bob@example\.org>/);
      assert.match(rows[0].text, /Key trust: unverified.*haven't compared/);
      assert.match(rows[1].text, /Valid signature by Alice <alice@example\.org>.*Key trust: your own/);
      assert.match(rows[2].text, /BAD signature/);
      // Why, in the person's words from the core's code: the file changed after signing.
      assert.match(rows[2].text, /does not match the text or file: it was changed after signing/);
      assert.doesNotMatch(rows[2].text + rows[3].text, /Valid/);
      assert.match(rows[3].text, /unknown key.*not in your keyring/);
      const failed = await browser.evaluate(() => [...document.querySelectorAll('[data-testid=failed]')].map((li) => li.textContent));
      assert.deepEqual(failed, ['lonely.txt: no signature was chosen for it (NAME.sig or NAME.asc)']);
      assert.equal(await browser.evaluate(() => document.getElementById('status').className), 'status error');
      await browser.screenshot('files-verified.png');

      // Bob's key rejected: his signature counts for nothing, and is said to be a rejected key's, not a stranger's.
      const { keys } = (await askIn(browser, 'keys.list')).result;
      const bob = keys.find((key) => key.info.user_ids.some((id) => id.includes('bob@example.org'))).fingerprint;
      await askIn(browser, 'keys.setTrust', { fingerprint: bob, trust: 'rejected' });
      try {
        // A rejected key is no recipient either: the page lists Alice alone.
        await browser.goto(browser.extensionUrl('pages/files/files.html'));
        await browser.waitFor(() => document.querySelectorAll('[data-testid=recipient]').length === 1);
        await choose('verify-input', [{ name: 'budget.csv', base64: Buffer.from(budget).toString('base64') }]);
        await choose('verify-signature-input', [{ name: 'budget.csv.asc', base64: Buffer.from(gpg.detachSign(budget, 'bob@example.org')).toString('base64') }]);
        assert.deepEqual(await run('verify', 1), ['budget.csv']);
        const rejected = await browser.evaluate(() => {
          const signature = document.querySelector('[data-testid=result] [data-testid=signature]');
          return { status: signature.dataset.status, text: signature.textContent };
        });
        assert.equal(rejected.status, 'unknown_key');
        assert.match(rejected.text, /key you rejected/);
        assert.doesNotMatch(rejected.text, /Valid|not in your keyring/);
      } finally {
        await askIn(browser, 'keys.setTrust', { fingerprint: bob, trust: 'unverified' });
      }
    } finally {
      stranger.cleanup();
    }
  });
});
