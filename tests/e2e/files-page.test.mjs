// The files page as a person uses it: a 25 MiB file encrypted for Bob and for Alice herself, signed,
// then decrypted back on the same page byte for byte; GnuPG opens what the page encrypts, and the
// page opens what GnuPG encrypted and signed. Files go through the background only as base64, and
// come back as downloads.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BROWSER, launch } from './lib/browser.mjs';
import { gnupg } from './lib/gpg.mjs';
import { ask as askIn, setUpAlice } from './lib/sealmark.mjs';

const PASSPHRASE = 'files page passphrase, long enough';

describe(`files page in ${BROWSER}`, () => {
  let browser;
  let gpg;

  before(async () => {
    gpg = gnupg(['Bob <bob@example.org>']);
    browser = await launch();
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    await setUpAlice(browser, gpg, PASSPHRASE);
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
});
