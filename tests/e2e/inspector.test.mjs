// The standalone Sealmark Inspector page (dist/www): a person drops a message
// and sees the route; the OpenPGP tab round-trips a message.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSER, ROOT, launch } from './lib/browser.mjs';
import { serve } from './lib/static-server.mjs';

const corpus = (name) => readFileSync(join(ROOT, 'tests/corpus/transport', name), 'utf8');

describe(`Inspector page in ${BROWSER}`, () => {
  let browser;
  let server;
  before(async () => {
    server = await serve(join(ROOT, 'dist/www'));
    browser = await launch();
    await browser.goto(server.url);
    await browser.evaluate(async () => {
      for (const end = Date.now() + 60_000; document.body.dataset.ready !== 'true';) { if (Date.now() > end) throw new Error('waited 60 s, still: document.body.dataset.ready !== \'true\''); await new Promise((r) => setTimeout(r, 100)); }
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Drops a message file on the drop zone, as a person dragging an .eml would. */
  const drop = (text, name) =>
    browser.evaluate(
      (text, name) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], name, { type: 'message/rfc822' }));
        // The result of an earlier drop goes first, so what is read next is this file's.
        const result = document.getElementById('route-result');
        result.replaceChildren();
        document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        return new Promise((resolve, reject) => {
          const end = Date.now() + 60_000;
          const look = () => (result.childElementCount ? resolve() : Date.now() > end ? reject(new Error(`no result for ${name}`)) : setTimeout(look, 50));
          look();
        });
      },
      text,
      name,
    );

  const seen = () =>
    browser.evaluate(() => ({
      verdict: document.querySelector('[data-testid=verdict]')?.textContent,
      badges: [...document.querySelectorAll('.strip .badge')].map((b) => b.className.replace('badge ', '') + ':' + b.textContent),
      boundary: document.querySelector('[data-testid=trust-boundary]')?.textContent ?? null,
      dkim: document.querySelector('[data-testid=auth-dkim]')?.textContent,
      core: document.getElementById('core-status').textContent,
    }));

  test('the core loads offline from the page itself', async () => {
    assert.match((await seen()).core, /^Core ready: sealmark \d+\.\d+\.\d+$/);
  });

  // The route tab runs on the transport module alone; the OpenPGP core (ten times its size) is
  // fetched only when the OpenPGP tab first needs it.
  test('reading a route fetches the transport module, never the OpenPGP core', async () => {
    await drop(corpus('gmail-inbound.eml'), 'gmail.eml');
    assert.equal((await seen()).verdict, 'The external hop was encrypted (TLS 1.3)');
    assert.ok(server.requested.some((path) => path.endsWith('/sealmark_transport_bg.wasm')), server.requested.join(' '));
    assert.ok(!server.requested.some((path) => path.endsWith('/sealmark_bg.wasm')), server.requested.join(' '));
  });

  // Firefox's extension background hands its compiled core to the worker it
  // starts: compiling twice at once kept both waiting (110 and 170 ms, not 70).
  test('a core worker given the compiled module answers without fetching the Wasm again', async () => {
    const wasmFetches = () => server.requested.filter((path) => path.endsWith('/sealmark_bg.wasm')).length;
    const before = wasmFetches();
    const answers = await browser.evaluate(async () => {
      const { startCoreWorker } = await import('./components/core-worker-client.js');
      const module = await WebAssembly.compile(await (await fetch('./sealmark_bg.wasm')).arrayBuffer());
      const worker = startCoreWorker(new URL('./sealmark.js', location.href), { module });
      const version = await worker.call('version', []);
      const text = await worker.call('decrypt', [{ message: 'not a message' }]).catch((error) => error.code);
      worker.stop();
      return { version, text };
    });
    assert.match(answers.version, /^sealmark \d+\.\d+\.\d+$/);
    assert.equal(answers.text, 'BAD_MESSAGE');
    assert.equal(wasmFetches() - before, 1, 'only the page fetched the Wasm; the worker took the module');
  });

  test('a dropped all-TLS message shows green badges, the verdict and the boundary', async () => {
    await drop(corpus('gmail-inbound.eml'), 'gmail.eml');
    const view = await seen();
    assert.equal(view.verdict, 'The external hop was encrypted (TLS 1.3)');
    assert.deepEqual(view.badges, ['encrypted internal:TLS', 'encrypted:TLS 1.3', 'plaintext internal:plaintext']);
    assert.match(view.boundary, /^Trust boundary — Lines from hop 2 on were written by google\.com/);
    assert.equal(view.dkim, 'DKIM pass');
    await browser.screenshot('inspector-route.png');
  });

  test('a stripped STARTTLS hop is called out as a possible downgrade', async () => {
    await drop(corpus('starttls-stripped.eml'), 'stripped.eml');
    const view = await seen();
    assert.equal(view.verdict, 'Hop 3 was plaintext — possible STARTTLS downgrade');
    assert.deepEqual(view.badges, ['encrypted internal:TLS', 'encrypted:TLS 1.3', 'plaintext:plaintext', 'encrypted:TLS 1.3', 'unknown internal:unknown']);
    await browser.screenshot('inspector-downgrade.png');
  });

  test('the OpenPGP tab generates a key and round-trips a signed message', async () => {
    const status = await browser.evaluate(async () => {
      const value = (id) => document.getElementById(id).value;
      const text = (id) => document.getElementById(id).textContent;
      // Actions run asynchronously; wait until the status line says they are done.
      const click = async (id, done) => {
        document.getElementById(id).click();
        for (const end = Date.now() + 60_000; !done();) { if (Date.now() > end) throw new Error('waited 60 s, still: !done()'); await new Promise((r) => setTimeout(r, 50)); }
      };
      document.getElementById('tab-pgp').click();
      document.getElementById('passphrase').value = 'a long passphrase';
      await click('generate', () => text('pgp-status').startsWith('Generated'));
      document.getElementById('pgp-input').value = 'Meet at noon.';
      await click('encrypt', () => text('pgp-status').startsWith('Encrypted'));
      const ciphertext = value('pgp-output');
      document.getElementById('pgp-input').value = ciphertext;
      await click('decrypt', () => value('pgp-output') === 'Meet at noon.');
      return { ciphertext: ciphertext.slice(0, 27), plaintext: value('pgp-output'), status: text('pgp-status') };
    });
    assert.equal(status.ciphertext, '-----BEGIN PGP MESSAGE-----');
    assert.equal(status.plaintext, 'Meet at noon.');
    assert.match(status.status, /^Valid signature by [0-9A-F]{40}$/);
    await browser.screenshot('inspector-openpgp.png');
  });

  test('long work runs off the page: the page keeps responding and shows progress', async () => {
    const seen = await browser.evaluate(async () => {
      const text = (id) => document.getElementById(id).textContent;
      document.getElementById('tab-pgp').click();
      document.getElementById('key-type').value = 'curve25519/rfc9580';
      document.getElementById('passphrase').value = 'memory-hard, so it takes a while';
      document.getElementById('pgp-status').textContent = '';
      // The page's own timers: a core on this thread would stop them for as
      // long as the Argon2 derivation runs.
      let last = performance.now();
      let longestGap = 0;
      let progressShown = false;
      let buttonsWaited = false;
      const ticker = setInterval(() => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
        progressShown ||= !document.getElementById('core-busy').hidden && document.querySelector('main').getAttribute('aria-busy') === 'true';
        buttonsWaited ||= document.getElementById('generate').disabled && document.getElementById('encrypt').disabled;
      }, 10);
      const started = performance.now();
      document.getElementById('generate').click();
      for (const end = Date.now() + 60_000; !text('pgp-status').startsWith('Generated');) { if (Date.now() > end) throw new Error('waited 60 s, still: !text(\'pgp-status\').startsWith(\'Generated\')'); await new Promise((r) => setTimeout(r, 25)); }
      const took = performance.now() - started;
      clearInterval(ticker);
      return {
        took,
        longestGap,
        progressShown,
        progressAfter: !document.getElementById('core-busy').hidden,
        buttonsWaited,
        buttonsAfter: !document.getElementById('generate').disabled,
        status: text('pgp-status'),
      };
    });
    assert.match(seen.status, /^Generated [0-9A-F]{64}$/);
    assert.ok(seen.took > 250, `generation took ${seen.took} ms: too little work to tell`);
    // A core on the page's thread would stop it for about all of the work; a busy machine may pause it briefly.
    assert.ok(seen.longestGap < Math.max(150, seen.took / 3), `the page stood still for ${seen.longestGap} ms of ${seen.took} ms`);
    assert.equal(seen.progressShown, true, 'no progress shown while working');
    assert.equal(seen.progressAfter, false, 'progress still shown when done');
    assert.equal(seen.buttonsWaited, true, 'the buttons could be pressed again while it worked');
    assert.equal(seen.buttonsAfter, true, 'the buttons stay disabled when done');
  });

  test('after a panic the page gets a fresh instance of the core', async () => {
    const outcome = await browser.evaluate(async () => {
      const client = await import('./core-client.js');
      const before = await client.core();
      // A Rust panic reaches JavaScript as an Error with code PANIC (tests/panic.rs
      // proves that inside Wasm); here the client must replace the spoiled instance.
      const code = await client
        .withCore(() => {
          throw Object.assign(new Error('internal error in the Sealmark core'), { code: 'PANIC' });
        })
        .catch((error) => error.code);
      const after = await client.core();
      return {
        code,
        replaced: before !== after,
        generation: client.generationCount(),
        works: (await after.analyzeMessage('Received: from a.example.org by b.example.net with ESMTPS; Tue, 3 Jan 2023 10:00:00 +0000')).hops.length,
      };
    });
    assert.deepEqual(outcome, { code: 'PANIC', replaced: true, generation: 1, works: 1 });
  });
});

describe(`Inspector page in German in ${BROWSER}`, () => {
  let browser;
  let server;
  before(async () => {
    server = await serve(join(ROOT, 'dist/www'));
    browser = await launch({ locale: 'de' });
    await browser.goto(server.url);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the page, the route and the verdict's notes are German (WCAG 3.1.2: the page says its language)", async () => {
    const page = await browser.waitFor(() => document.body.dataset.ready === 'true' && {
      lang: document.documentElement.lang,
      title: document.title,
      inspect: document.getElementById('analyze').textContent,
      core: document.getElementById('core-status').textContent,
    });
    assert.deepEqual(page, { lang: 'de', title: 'Sealmark-Inspektor', inspect: 'Untersuchen', core: page.core });
    assert.match(page.core, /^Kern bereit: sealmark /);
    await browser.evaluate((text) => {
      document.getElementById('raw').value = text;
      document.getElementById('analyze').click();
    }, readFileSync(join(ROOT, 'tests/corpus/transport/starttls-stripped.eml'), 'utf8'));
    const route = await browser.waitFor(() => {
      const verdict = document.querySelector('[data-testid=verdict]')?.textContent;
      return verdict && {
        verdict,
        caption: document.querySelector('#route-result caption')?.textContent,
        badges: [...document.querySelectorAll('.strip .badge')].map((b) => b.textContent),
        notes: [...document.querySelectorAll('#route-result .notes li')].map((li) => li.textContent),
      };
    });
    assert.equal(route.verdict, 'Station 3 war unverschlüsselt — mögliche STARTTLS-Herabstufung');
    assert.equal(route.caption, 'Weg, älteste Station zuerst');
    assert.ok(route.badges.includes('unverschlüsselt'), route.badges.join());
    for (const note of route.notes) assert.doesNotMatch(note, /Sender-side|The first hop|may have been injected|The sender asked/, note);
    await browser.screenshot('inspector-de.png');
  });

  test("the core's error details are German too, through its worker", async () => {
    await browser.waitFor(() => document.body.dataset.ready === 'true');
    await browser.evaluate((cert) => {
      document.getElementById('tab-pgp').click();
      document.getElementById('pgp-input').value = 'Hallo';
      document.getElementById('public-keys').value = cert;
      document.getElementById('encrypt').click();
    }, readFileSync(join(ROOT, 'tests/corpus/openpgp/policy/revoked-compromised.cert'), 'utf8'));
    const status = await browser.waitFor(() => document.querySelector('#pgp-status.error')?.textContent);
    assert.equal(
      status,
      'Der Schlüssel wurde widerrufen: Schlüssel A11064E273E2C31D50F51682AEA8615E154757A4 wurde von seinem Inhaber widerrufen: test; verwenden Sie ihn nicht',
    );
  });
});
