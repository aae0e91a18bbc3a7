// The transport side in webmail: the content script fetches each opened
// message's raw source from the webmail's own endpoint (served here by the
// fixture server exactly where Gmail and Outlook.com serve it), and the badge
// strip shows what a person should see. PGP/MIME messages decrypt from the
// raw source.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSER, ROOT, WAIT_MS, launch } from './lib/browser.mjs';
import { gnupg } from './lib/gpg.mjs';
import { startWebmails } from './lib/webmail-server.mjs';
import { READER, ask, decryptInReader, openEditor, openOptions, setUpAlice } from './lib/sealmark.mjs';

const CORPUS = join(ROOT, 'tests/corpus/transport');
const STRIP = 'iframe[data-sealmark-frame=route]';
const PASSPHRASE = 'transport side passphrase';
const corpus = (name) => readFileSync(join(CORPUS, name), 'utf8');

describe(`route strip in webmail in ${BROWSER}`, () => {
  let browser;
  let webmails;
  let gpg;

  before(async () => {
    gpg = gnupg(['Bob <bob@example.org>', 'Greta <greta@example.org>', 'Henry <henry@example.org>']);
    webmails = await startWebmails();
    browser = await launch({ proxyPort: webmails.proxyPort });
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    await setUpAlice(browser, gpg, PASSPHRASE);
  });
  after(async () => {
    await browser?.close();
    await webmails?.close();
    gpg?.cleanup();
  });

  /** Where each fixture webmail's mailbox opens. */
  const SITES = {
    gmail: 'https://mail.google.com/mail/u/0/',
    outlook: 'https://outlook.live.com/mail/0/',
    'outlook-m365-de': 'https://outlook.cloud.microsoft/mail/',
  };

  /** Opens a message in a fixture and reads the strip as a person sees it. */
  async function open(site, id, raw, shownText = 'Hello') {
    webmails.messages.set(id.replace(/^#/, ''), raw);
    await browser.goto(SITES[site]);
    await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter);
    // The page shows the message's real sender, as the webmail does.
    await browser.evaluate((id, text, sender) => window.fixture.openMessage(id, text, sender), id, shownText, senderOf(raw));
    return readStrip();
  }

  /** The From address of a raw message. */
  const senderOf = (raw) => /^From:[^\r\n]*?([^\s<>"]+@[^\s<>"]+)/im.exec(raw)?.[1].toLowerCase();

  /** The strip as a person sees it, once it has said something. */
  function readStrip() {
    return browser.waitInFrame(STRIP, () => {
      const sentence = document.querySelector('[data-testid=route-sentence]')?.textContent;
      return sentence && {
        sentence,
        hops: [...document.querySelectorAll('[data-testid=strip-hop]')].map((b) => `${b.dataset.tls}${b.dataset.internal === 'true' ? ' internal' : ''}:${b.textContent}`),
        boundary: document.querySelectorAll('[data-testid=strip-boundary]').length,
        boundaryAfter: [...document.getElementById('badges').children].findIndex((b) => b.dataset.testid === 'strip-boundary'),
        auth: [...document.querySelectorAll('[data-testid^=auth-]')].map((c) => c.textContent),
      };
    });
  }

  test('Gmail, all hops encrypted: green TLS 1.3 badge and the sentence', async () => {
    const seen = await open('gmail', '#msg-f:2001', corpus('gmail-inbound.eml'));
    assert.equal(seen.sentence, 'The external hop was encrypted (TLS 1.3)');
    assert.ok(seen.hops.includes('encrypted:TLS 1.3'), JSON.stringify(seen.hops));
    assert.ok(!seen.hops.some((h) => h.startsWith('plaintext') && !h.includes('internal')), 'no red external badge');
    assert.deepEqual(seen.auth.slice(0, 3), ['SPF pass', 'DKIM pass', 'DMARC pass']);
    await browser.screenshot('route-gmail-tls.png');
    const details = await browser.inFrame(STRIP, () => {
      document.getElementById('toggle').click();
      return {
        evidence: [...document.querySelectorAll('[data-testid=tls-evidence]')].map((e) => e.textContent),
        auth: document.querySelector('[data-testid=auth-details]')?.textContent,
      };
    });
    assert.ok(details.evidence.some((e) => /TLS1_3/.test(e)), JSON.stringify(details.evidence));
    assert.match(details.auth, /mx\.google\.com — trusted/);
    assert.match(details.auth, /dkim=pass/);
  });

  // The strip needs only the transport module (a tenth of the OpenPGP core's size): plain mail
  // never makes the background compile the OpenPGP core; a message with OpenPGP work does.
  test('plain mail loads only the transport module; a PGP/MIME message loads the OpenPGP core', async () => {
    const engines = async () => {
      const { startedAt, engines: { transport, openpgp } } = (await browser.inFrame(STRIP, () => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: 'core.status' }))).result;
      return { startedAt, engines: { transport, openpgp } };
    };
    const headers = corpus('exim-gnutls-tls13.eml').split(/\r?\n\r?\n/)[0].split(/\r?\n/).filter((line) => !/^(content-|mime-version)/i.test(line));
    const encrypted = [
      ...headers, 'MIME-Version: 1.0', 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="outer"', '',
      '--outer', 'Content-Type: application/pgp-encrypted', '', 'Version: 1', '', '--outer',
      'Content-Type: application/octet-stream', '', gpg.encrypt('hi', { to: 'alice@example.org' }).toString(), '--outer--', '',
    ].join('\r\n');
    // Firefox stops an idle event page (after 2 s in these tests) and a new one knows nothing of
    // the last one's engines or counts: what is read must come from one background, or the step
    // is taken again.
    for (let attempt = 1; ; attempt += 1) {
      await browser.stopBackground();
      // New ids each time: a message shown again in the same tab gets the frame it had.
      const plain = await open('gmail', `#msg-f:2101${attempt}`, corpus('gmail-inbound.eml'));
      assert.equal(plain.sentence, 'The external hop was encrypted (TLS 1.3)');
      const first = await engines();
      await open('gmail', `#msg-f:2102${attempt}`, encrypted, 'Version: 1');
      await browser.waitFor(() => document.querySelector('iframe[data-sealmark-frame=read]'));
      const second = await engines();
      // Each message went into the transport module once (route and outline together), and the
      // PGP/MIME one into the core once (its parts and its Autocrypt field together).
      await openOptions(browser);
      const { startedAt, calls } = (await ask(browser, 'core.calls')).result;
      // (A background that started after the plain message's answer knows of no engine at all.)
      const restarted = new Set([first.startedAt, second.startedAt, startedAt]).size > 1 || !first.engines.transport;
      if (restarted && attempt < 3) continue;
      assert.deepEqual(first.engines, { transport: true, openpgp: false });
      assert.deepEqual(second.engines, { transport: true, openpgp: true });
      const used = Object.fromEntries(['inspectMessage', 'analyzeMessage', 'readMessage'].map((name) => [name, calls[name] ?? 0]));
      assert.deepEqual(used, { inspectMessage: 2, analyzeMessage: 0, readMessage: 1 });
      return;
    }
  });

  test("another mailbox's message under the same id never gets this one's cached analysis", async () => {
    // Ids name a message within one mailbox: the same id in the same page can be another message
    // (another account's), and reusing the cached green strip would be a false green.
    const first = await open('gmail', '#msg-f:3001', corpus('gmail-inbound.eml'));
    assert.equal(first.sentence, 'The external hop was encrypted (TLS 1.3)');
    webmails.messages.set('msg-f:3001', corpus('lab-postfix-stripped.eml'));
    // Gmail draws the message's header anew (as it does when a view is rebuilt), in the same page.
    await browser.evaluate(() => {
      const header = document.querySelector('.adn h3.iw');
      const redrawn = header.cloneNode(true);
      delete redrawn.dataset.sealmarkRoute;
      header.replaceWith(redrawn);
    });
    const other = await browser.waitInFrame(STRIP, () => {
      const sentence = document.querySelector('[data-testid=route-sentence]')?.textContent ?? '';
      return /plaintext/i.test(sentence) && sentence;
    });
    assert.match(other, /plaintext/i);
    assert.equal(await browser.evaluate(() => document.querySelectorAll('iframe[data-sealmark-frame=route]').length), 1, 'one strip');
  });

  test('Gmail, STARTTLS stripped in the middle: red badge and the downgrade warning', async () => {
    const seen = await open('gmail', '#msg-f:2002', corpus('starttls-stripped.eml'));
    assert.equal(seen.sentence, 'Hop 3 was plaintext — possible STARTTLS downgrade');
    assert.equal(seen.hops[2], 'plaintext:plaintext');
    assert.equal(seen.boundary, 1, 'the trust boundary is marked');
    assert.equal(seen.boundaryAfter, 2, 'before hop 3');
    // What a screen reader gets: a list of numbered hops, and the boundary said in words.
    const spoken = await browser.inFrame(STRIP, () => ({
      role: document.getElementById('badges').getAttribute('role'),
      items: [...document.querySelectorAll('#badges > [role=listitem]')].map((item) => item.textContent.replace(/\s+/g, ' ').trim()),
    }));
    assert.equal(spoken.role, 'list');
    assert.equal(spoken.items.length, 6, JSON.stringify(spoken.items));
    assert.match(spoken.items[0], /^Hop 1: TLS/);
    assert.match(spoken.items[2], /^Your provider's servers from here/);
    assert.match(spoken.items[3], /^Hop 3: plaintext/);
    const details = await browser.inFrame(STRIP, () => {
      document.getElementById('toggle').click();
      return {
        rows: document.querySelectorAll('#details [data-testid=hop]').length,
        boundary: document.querySelector('#details [data-testid=trust-boundary]')?.textContent,
      };
    });
    assert.equal(details.rows, 5);
    assert.match(details.boundary, /Trust boundary/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await browser.screenshot('route-gmail-downgrade-details.png');
  });

  test("Gmail: the user's sent mail in a delegated mailbox, the account key from Gmail's links, the legacy id as fallback", async () => {
    const raw = corpus('gmail-inbound.eml');
    webmails.messages.set('msg-a:r5001', raw);
    await browser.goto('https://mail.google.com/mail/b/ALKuYw123/u/0/#sent');
    await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter);
    // The inline script that carries the account key changed its layout; Gmail's own print link still has it.
    await browser.evaluate(() => {
      for (const script of document.querySelectorAll('script:not([src])')) if (script.textContent.includes('GLOBALS')) script.textContent = 'var GLOBALS=[];';
      const print = document.createElement('a');
      print.href = '?ik=5ea1c0ffee&view=pt&search=all&permthid=thread-a:r1';
      print.textContent = 'Print all';
      document.querySelector('[role=main]').append(print);
      window.fixture.openMessage('#msg-a:r5001', 'Hello');
    });
    const sentence = await browser.waitInFrame(STRIP, () => document.querySelector('[data-testid=route-sentence]')?.textContent);
    assert.equal(sentence, 'The external hop was encrypted (TLS 1.3)');
    assert.ok(webmails.requests.includes('mail.google.com/mail/b/ALKuYw123/u/0/?ik=5ea1c0ffee&view=om&permmsgid=msg-a%3Ar5001'), webmails.requests.filter((r) => r.includes('view=om')).join('\n'));

    // A message Gmail does not answer by its permanent id is asked for by its legacy id.
    webmails.messages.set('legacy:1000000000000001', corpus('lab-postfix-stripped.eml'));
    await browser.goto('https://mail.google.com/mail/u/0/');
    await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter);
    await browser.evaluate(() => window.fixture.openMessage('#msg-f:9999999', 'Hello'));
    const fallback = await browser.waitInFrame(STRIP, () => document.querySelector('[data-testid=route-sentence]')?.textContent);
    assert.match(fallback, /plaintext/i);
    assert.ok(webmails.requests.some((r) => r.endsWith('view=om&th=1000000000000001')), 'asked by legacy id');
    webmails.messages.delete('legacy:1000000000000001');
  });

  test('Outlook.com, forged hops: the sender-side lines are marked as unverifiable', async () => {
    const seen = await open('outlook', 'AAMkForged=', corpus('forged-google-hops.eml'));
    assert.equal(seen.sentence, 'Hops 2 and 3 were plaintext');
    assert.equal(seen.boundary, 1);
    const notes = await browser.inFrame(STRIP, () => {
      document.getElementById('toggle').click();
      return [...document.querySelectorAll('#details .notes li')].map((li) => li.textContent);
    });
    assert.ok(notes.some((n) => /can't be verified/.test(n)), JSON.stringify(notes));
    assert.ok(notes.some((n) => /injected by the sender/.test(n)), JSON.stringify(notes));
    await browser.screenshot('route-outlook-forged.png');
  });

  test('Outlook.com, all encrypted with TLS 1.3 through Exim: the id from the deep link, the page\'s own token, /owa/0/', async () => {
    const before = webmails.requests.length;
    const seen = await open('outlook', 'AAMkAGI2TG93AAA=/+x', corpus('exim-gnutls-tls13.eml'));
    assert.equal(seen.sentence, 'The external hop was encrypted (TLS 1.3)');
    assert.ok(webmails.requests.slice(before).includes('outlook.live.com/owa/0/service.svc?action=GetItem&app=Mail'));
  });

  test('Outlook: a source is shown only for the message it belongs to, never for one shown in its place', async () => {
    // The reading pane shows Mallory's message while the address still names Alice's: the
    // source the address leads to is not Mallory's, and neither its route nor anything else
    // from it may be shown as his.
    const alice = corpus('exim-gnutls-tls13.eml');
    const seen = await open('outlook', 'AAMkRaceAlice=', alice);
    assert.equal(seen.sentence, 'The external hop was encrypted (TLS 1.3)');
    await browser.evaluate(() => window.fixture.replaceMessage('mallory@example.net', 'Please pay the attached invoice.'));
    const note = await browser.waitFor(() => document.querySelector('[data-sealmark-route=unavailable]')?.textContent);
    assert.match(note, /belongs to another message/);
    assert.equal(await browser.evaluate(() => document.querySelectorAll('iframe[data-sealmark-frame]').length), 0, 'no strip, no reader');

    // Bob's signed message, then Outlook moves the address to his next (plaintext-delivered) message
    // and only then draws it: nothing of the first message stays, neither its strip nor its reader.
    const signedPart = 'Content-Type: text/plain; charset=utf-8\r\n\r\nSigned by Bob.';
    const headers = alice.split(/\r?\n\r?\n/)[0].split(/\r?\n/).filter((line) => !/^(content-|mime-version|from):/i.test(line));
    webmails.messages.set('AAMkRaceBob1=', [
      ...headers, 'From: Bob <bob@example.org>', 'MIME-Version: 1.0',
      'Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="s"', '',
      '--s', signedPart, '--s', 'Content-Type: application/pgp-signature', '', gpg.detachSign(signedPart, 'bob@example.org'), '--s--', '',
    ].join('\r\n'));
    webmails.messages.set('AAMkRaceBob2=', corpus('lab-postfix-stripped.eml').replace(/^From:.*$/m, 'From: Bob <bob@example.org>'));
    await browser.evaluate(() => window.fixture.openMessage('AAMkRaceBob1=', 'Signed by Bob.', 'bob@example.org'));
    assert.equal(await browser.waitInFrame(READER, () => document.querySelector('[data-testid=signature]')?.dataset.status), 'valid');
    await browser.evaluate(() => window.fixture.relink('AAMkRaceBob2='));
    await browser.waitFor(() => document.querySelectorAll('iframe[data-sealmark-frame=read]').length === 0);
    await browser.evaluate(() => window.fixture.replaceMessage('bob@example.org', 'Next from Bob.'));
    const moved = await browser.waitInFrame(STRIP, () => {
      const sentence = document.querySelector('[data-testid=route-sentence]')?.textContent ?? '';
      return /plaintext/i.test(sentence) && sentence;
    });
    assert.match(moved, /plaintext/i);
    assert.equal(await browser.evaluate(() => document.querySelectorAll('iframe[data-sealmark-frame=route]').length), 1, 'one strip');
    assert.equal(await browser.waitFor(() => document.querySelectorAll('iframe[data-sealmark-frame=read]').length === 0), true, "the first message's reader is gone");
    await browser.screenshot('route-outlook-relinked.png');
  });

  test('Microsoft 365 in German at outlook.cloud.microsoft: a bearer token, /owa/service.svc, the strip below the header', async () => {
    const seen = await open('outlook-m365-de', 'AAMkM365DE=', corpus('gmail-inbound.eml'));
    assert.equal(seen.sentence, 'The external hop was encrypted (TLS 1.3)');
    const placed = await browser.evaluate(() => {
      const strip = document.querySelector('[data-sealmark-strip]');
      return { after: strip.previousElementSibling.className, before: strip.nextElementSibling.getAttribute('role') };
    });
    assert.deepEqual(placed, { after: 'DrnCK', before: 'document' }, 'between the recipient line and the body');
    await browser.screenshot('route-outlook-m365-de.png');
  });

  test('Outlook: every message of a conversation says why its source cannot be had and offers the Inspector', async () => {
    await browser.goto(SITES.outlook);
    await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter);
    await browser.evaluate(() => window.fixture.openConversation('AQQkADAwATMwMAItYjBiZi03YmY3LTAwAi0wMAoAEABjgKbAj7DwSKnW58xs6QY7', [
      { sender: 'bob@example.org', text: 'First.' },
      { sender: 'carol@example.org', text: 'Second.' },
    ]));
    const notes = await browser.waitFor(() => {
      const shown = [...document.querySelectorAll('[data-sealmark-route=unavailable]')].map((n) => n.textContent);
      return shown.length === 2 && shown;
    });
    for (const note of notes) assert.match(note, /conversation and does not reveal which message.*View message source.*Open Inspector/s);
    await browser.screenshot('route-outlook-conversation.png');
    // The page clicks the button itself, over and over; then the person clicks once.
    await browser.evaluate(() => {
      for (let i = 0; i < 5; i++) document.querySelector('[data-sealmark-button=inspector]').click();
    });
    await browser.click('[data-sealmark-button=inspector]');
    assert.ok(await browser.closeWindow('pages/inspect/inspect.html', WAIT_MS), 'the Inspector opened in a tab');
    assert.deepEqual(await browser.windowUrls('pages/inspect/inspect.html'), [], "the page's own clicks opened none");

    // Where the page's sign-in token cannot be read (stored encrypted, say), the strip says that.
    webmails.messages.set('AAMkNoToken=', corpus('gmail-inbound.eml'));
    await browser.evaluate(() => {
      localStorage.clear();
      window.fixture.openMessage('AAMkNoToken=', 'Hello');
    });
    const note = await browser.waitFor(() => document.querySelector('[data-sealmark-route=unavailable]')?.textContent);
    assert.match(note, /sign-in token/);
  });

  test('a PGP/MIME message decrypts from the raw source, with its attachment', async () => {
    const inner = [
      'Content-Type: multipart/mixed; boundary="inner"', '', '--inner', 'Content-Type: text/plain; charset=utf-8', '',
      'The plan is attached.', '--inner', 'Content-Type: text/plain; name="plan.txt"', 'Content-Disposition: attachment; filename="plan.txt"', '',
      'step 1, step 2', '--inner--', '',
    ].join('\r\n');
    const ciphertext = gpg.encrypt(inner, { to: 'alice@example.org', from: 'bob@example.org' }).toString();
    const headers = corpus('exim-gnutls-tls13.eml').split(/\r?\n\r?\n/)[0].split(/\r?\n/).filter((line) => !/^(content-|mime-version)/i.test(line));
    const raw = [
      ...headers, 'MIME-Version: 1.0', 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="outer"', '',
      '--outer', 'Content-Type: application/pgp-encrypted', '', 'Version: 1', '', '--outer',
      'Content-Type: application/octet-stream; name="encrypted.asc"', '', ciphertext, '--outer--', '',
    ].join('\r\n');
    await open('gmail', '#msg-f:2005', raw, 'Version: 1');
    // Chromium counts any overlap of the frame (here the compose window's shadow) as covering it.
    await browser.evaluate(() => window.fixture.closeCompose());
    await decryptInReader(browser, PASSPHRASE);
    const shown = await browser.waitInFrame(READER, () => {
      const text = document.getElementById('plaintext');
      return !text.hidden && {
        heading: document.getElementById('reader-heading').textContent,
        text: text.textContent.trim(),
        attachments: [...document.querySelectorAll('#attachments [data-testid=file]')].map((item) => `${item.dataset.name}: ${item.textContent}`),
        signature: document.querySelector('[data-testid=signature]')?.dataset.status,
      };
    });
    assert.equal(shown.heading, 'Encrypted message (PGP/MIME)');
    assert.equal(shown.text, 'The plan is attached.');
    assert.deepEqual(shown.attachments, ['plan.txt: plan.txt text/plain · 14 B Save Preview']);
    assert.equal(shown.signature, 'valid');
    await browser.screenshot('route-gmail-pgp-mime.png');
  });

  /** A message sealed on arrival by `sealmark seal-inbound` to Alice's certificate (the zero-access filter). */
  function sealedOnArrival(raw) {
    const dir = mkdtempSync(join(tmpdir(), 'sealmark-seal-'));
    try {
      writeFileSync(join(dir, 'alice.asc'), gpg.exportKey('alice@example.org'));
      return execFileSync(join(ROOT, 'target/release/sealmark'), ['seal-inbound', '--to', join(dir, 'alice.asc')], { input: raw }).toString('latin1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** What the reader shows of the protected header fields, once decrypted. */
  function shownHeaders() {
    return browser.waitInFrame(READER, () => !document.getElementById('plaintext').hidden && {
      subject: document.getElementById('subject').textContent,
      subjectOutside: document.getElementById('subject-outside').hidden ? null : document.getElementById('subject-outside').textContent,
      from: document.querySelector('[data-testid=protected-from]')?.firstChild.textContent,
      to: document.querySelector('[data-testid=protected-to]')?.firstChild.textContent,
      fromDiffers: document.querySelector('[data-testid=protected-from]')?.dataset.differs,
      fromOutside: document.querySelector('[data-testid=protected-from] .outside')?.textContent ?? null,
      warning: document.getElementById('outside-differs').hidden ? null : document.getElementById('outside-differs').textContent,
      text: document.getElementById('plaintext').textContent.trim(),
    });
  }

  test('mail sealed on arrival shows the Subject, From and To written inside, and says where the outside differs', async () => {
    // The corpus message's fields, folded lines kept with their field, without the ones written here.
    const headers = corpus('exim-gnutls-tls13.eml').split(/\r?\n\r?\n/)[0].split(/\r?\n(?![ \t])/)
      .filter((field) => !/^(content-[\w-]+|mime-version|subject|from|to|cc):/i.test(field));
    const plain = [...headers, 'From: Bob <bob@example.org>', 'To: Alice <alice@example.org>', 'Subject: Quarterly figures, draft 3',
      'Content-Type: text/plain; charset=utf-8', '', 'Only the two of us read this.', ''].join('\r\n');
    const sealed = sealedOnArrival(plain);
    assert.match(sealed, /^Subject: \[\.\.\.\]\r$/m, 'the outside hides the Subject');
    assert.ok(!sealed.includes('Only the two of us') && !sealed.includes('Quarterly'), 'nothing readable outside');
    await open('gmail', '#msg-f:2011', sealed, 'Version: 1');
    await browser.evaluate(() => window.fixture.closeCompose());
    await decryptInReader(browser, PASSPHRASE);
    assert.deepEqual(await shownHeaders(), {
      subject: 'Quarterly figures, draft 3', subjectOutside: 'Outside the encryption: [...]',
      from: 'Bob <bob@example.org>', to: 'Alice <alice@example.org>', fromDiffers: 'false', fromOutside: null, warning: null,
      text: 'Only the two of us read this.',
    });
    await browser.screenshot('route-gmail-sealed-on-arrival.png');

    // Someone on the way rewrites the outside's From, with a name that reads as an address:
    // the reader shows both, the name left out, and says they differ.
    const rewritten = sealed.replace(/^From: .*$/m, 'From: "service@bank.example" <mallory@example.net>');
    await open('gmail', '#msg-f:2012', rewritten, 'Version: 1');
    await browser.evaluate(() => window.fixture.closeCompose());
    await decryptInReader(browser, PASSPHRASE);
    const shown = await shownHeaders();
    assert.equal(shown.from, 'Bob <bob@example.org>');
    assert.equal(shown.fromDiffers, 'true');
    assert.equal(shown.fromOutside, 'Outside the encryption: mallory@example.net');
    assert.match(shown.warning, /outside of this message names another From .* only a valid signature/);
    await browser.screenshot('route-gmail-sealed-outside-rewritten.png');

    // The outside's To rewritten: the To written inside is shown, the outside's beside it.
    const readdressed = sealed.replace(/^To: .*$/m, 'To: Eve <eve@example.net>');
    await open('gmail', '#msg-f:2013', readdressed, 'Version: 1');
    await browser.evaluate(() => window.fixture.closeCompose());
    await decryptInReader(browser, PASSPHRASE);
    await shownHeaders();
    const to = await browser.inFrame(READER, () => {
      const field = document.querySelector('[data-testid=protected-to]');
      return { to: field?.firstChild.textContent, differs: field?.dataset.differs, outside: field?.querySelector('.outside')?.textContent ?? null,
        warning: document.getElementById('outside-differs').hidden ? null : document.getElementById('outside-differs').textContent };
    });
    assert.deepEqual({ ...to, warning: Boolean(to.warning) }, { to: 'Alice <alice@example.org>', differs: 'true', outside: 'Outside the encryption: Eve <eve@example.net>', warning: true });
    assert.match(to.warning, /\bTo\b/);
  });

  test('a multipart/signed message is verified from the raw source', async () => {
    // The signed entity ends before the CRLF that precedes the next boundary (RFC 3156).
    const signedPart = 'Content-Type: text/plain; charset=utf-8\r\n\r\nSigned with PGP/MIME.';
    const signature = gpg.detachSign(signedPart, 'bob@example.org');
    const headers = corpus('exim-gnutls-tls13.eml').split(/\r?\n\r?\n/)[0].split(/\r?\n/).filter((line) => !/^(content-|mime-version)/i.test(line));
    const raw = [
      ...headers, 'MIME-Version: 1.0', 'Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="s"', '',
      '--s', signedPart, '--s', 'Content-Type: application/pgp-signature; name="signature.asc"', '', signature, '--s--', '',
    ].join('\r\n');
    await open('gmail', '#msg-f:2007', raw, 'Signed with PGP/MIME.');
    const shown = await browser.waitInFrame(READER, () => {
      const signature = document.querySelector('[data-testid=signature]');
      return signature && { status: signature.dataset.status, text: document.getElementById('plaintext').textContent.trim() };
    });
    assert.deepEqual(shown, { status: 'valid', text: 'Signed with PGP/MIME.' });
  });

  test("a sender's Autocrypt header offers their key in the editor, with the recommendation", async () => {
    const keydata = gpg.exportBinary('greta@example.org').toString('base64').replace(/.{76}/g, '$&\r\n ');
    const headers = corpus('exim-gnutls-tls13.eml').split(/\r?\n\r?\n/)[0].split(/\r?\n/).filter((line) => !/^(from|date|autocrypt):/i.test(line));
    const raw = [
      ...headers, 'From: Greta <greta@example.org>', `Date: ${new Date(Date.now() - 3600e3).toUTCString().replace('GMT', '+0000')}`,
      `Autocrypt: addr=greta@example.org; prefer-encrypt=mutual; keydata=\r\n ${keydata}`, '', 'Hello from Greta', '',
    ].join('\r\n');
    await open('gmail', '#msg-f:2008', raw, 'Hello from Greta');
    await browser.evaluate(() => {
      const button = document.querySelector('[data-sealmark-button=compose]');
      button.click();
    });
    const EDITOR = 'iframe[data-sealmark-frame=compose]';
    await browser.waitInFrame(EDITOR, () => document.querySelectorAll('[data-testid=recipient]').length > 0);
    await browser.inFrame(EDITOR, () => {
      document.getElementById('recipient-input').value = 'greta@example.org';
      document.getElementById('add-recipient').requestSubmit();
    });
    const seen = await browser.waitInFrame(EDITOR, () => {
      const chip = [...document.querySelectorAll('[data-testid=recipient]')].find((c) => c.firstChild.textContent === 'greta@example.org');
      const found = chip?.querySelector('[data-testid=lookup-found]');
      return found && { found: found.textContent, autocrypt: chip.querySelector('[data-testid=autocrypt]')?.textContent };
    });
    assert.match(seen.found, /Autocrypt/);
    assert.equal(seen.autocrypt, 'Autocrypt: encrypt');
    await browser.screenshot('autocrypt-editor.png');
  });

  test('keys gossiped inside an encrypted message are offered, discouraged', async () => {
    const keydata = gpg.exportBinary('henry@example.org').toString('base64').replace(/.{76}/g, '$&\r\n ');
    const entity = ['Content-Type: text/plain; charset=utf-8', `Autocrypt-Gossip: addr=henry@example.org; keydata=\r\n ${keydata}`, '', 'To you and Henry.', ''].join('\r\n');
    const armored = gpg.encrypt(entity, { to: 'alice@example.org', from: 'bob@example.org' }).toString();
    await browser.goto('https://mail.google.com/mail/u/0/');
    await browser.evaluate((armored) => {
      window.fixture.closeCompose();
      window.fixture.showMessage(armored);
    }, armored);
    await decryptInReader(browser, PASSPHRASE);
    assert.equal(await browser.waitInFrame(READER, () => document.getElementById('plaintext').textContent.trim()), 'To you and Henry.');
    await browser.goto('https://mail.google.com/mail/u/0/');
    await openEditor(browser);
    const EDITOR = 'iframe[data-sealmark-frame=compose]';
    await browser.waitInFrame(EDITOR, () => document.querySelectorAll('[data-testid=recipient]').length > 0);
    await browser.inFrame(EDITOR, () => {
      document.getElementById('recipient-input').value = 'henry@example.org';
      document.getElementById('add-recipient').requestSubmit();
    });
    const seen = await browser.waitInFrame(EDITOR, () => {
      const chip = [...document.querySelectorAll('[data-testid=recipient]')].find((c) => c.firstChild.textContent === 'henry@example.org');
      const found = chip?.querySelector('[data-testid=lookup-found]');
      return found && chip.querySelector('[data-testid=autocrypt]')?.textContent;
    });
    assert.equal(seen, 'Autocrypt: key uncertain');
  });

  test("the user's own provider set as trusted in the options moves the boundary", async () => {
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    await browser.evaluate(async () => {
      for (const end = Date.now() + 60_000; !document.getElementById('trusted-domains').dataset.ready;) { if (Date.now() > end) throw new Error('waited 60 s, still: !document.getElementById(\'trusted-domains\').dataset.ready'); await new Promise((r) => setTimeout(r, 50)); }
      document.getElementById('trusted-domains').value = 'isp.example.com';
      document.getElementById('trusted-save').click();
    });
    await browser.waitFor(() => document.getElementById('trusted-status').classList.contains('ok'));
    const seen = await open('gmail', '#msg-f:2006', corpus('starttls-stripped.eml'));
    assert.equal(seen.boundaryAfter, 1, 'hop 2 on are now trusted');
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    await browser.evaluate(() => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: 'settings.set', payload: { trustedDomains: [] } }));
  });

  test('without a raw-source route the strip says so and points to the manual path', async () => {
    await browser.goto('https://mail.google.com/mail/u/0/');
    await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter);
    await browser.evaluate(() => window.fixture.openMessage('#msg-f:unknown', 'Hi'));
    const text = await browser.waitFor(() => document.querySelector('[data-sealmark-route=unavailable]')?.textContent);
    assert.match(text, /Inspect a message/);
  });
});

// The strip and its details as a person whose browser speaks German or French reads them: the
// verdict, the badges, the words a screen reader says, the table and why each line is believed.
const NBSP = '\u00a0';
for (const said of [
  {
    language: 'German', locale: 'de',
    sentence: 'Station 3 war unverschlüsselt — mögliche STARTTLS-Herabstufung', third: 'unverschlüsselt', spoken: 'Station 3: unverschlüsselt',
    caption: 'Weg, älteste Station zuerst', columns: ['#', 'TLS', 'Von → durch', 'Protokoll', 'Verzögerung', 'Vertrauen', 'Hinweise'],
    why: [
      'authentifizierte Einlieferung aus dem eigenen Programm des Absenders',
      'von der sendenden Seite geliefert: es könnte gefälscht sein',
      'geschrieben von example.net, dem empfangenden Anbieter',
      'geschrieben von example.net, dem empfangenden Anbieter',
      'lokale Zustellung (LMTP)',
    ],
    boundary: 'Vertrauensgrenze — Die Zeilen ab Station 3 schrieb example.net; die älteren Zeilen (Anzahl: 2) kamen von der sendenden Seite.',
  },
  {
    language: 'French', locale: 'fr',
    sentence: 'L’étape 3 était en clair — possible rétrogradation STARTTLS', third: 'en clair', spoken: 'Étape 3 : en clair', // white space read as one space
    caption: 'Trajet, étape la plus ancienne d’abord', columns: ['#', 'TLS', 'De → par', 'Protocole', 'Délai', 'Confiance', 'Remarques'],
    why: [
      'envoi authentifié depuis le propre logiciel de l’expéditeur',
      `fourni par le côté expéditeur${NBSP}: il pourrait être falsifié`,
      'écrit par example.net, le fournisseur destinataire',
      'écrit par example.net, le fournisseur destinataire',
      'distribution locale (LMTP)',
    ],
    boundary: `Limite de confiance — Les lignes à partir de l’étape 3 ont été écrites par example.net${NBSP}; les lignes plus anciennes (nombre${NBSP}: 2) viennent du côté expéditeur.`,
  },
]) {
  describe(`route strip in ${said.language} in ${BROWSER}`, () => {
    let browser;
    let webmails;

    before(async () => {
      webmails = await startWebmails();
      browser = await launch({ proxyPort: webmails.proxyPort, locale: said.locale });
    });
    after(async () => {
      await browser?.close();
      await webmails?.close();
    });

    test(`the verdict, the badges, the details and why each line is believed are ${said.language}`, async () => {
      webmails.messages.set('msg-f:2002', corpus('starttls-stripped.eml'));
      await browser.goto('https://mail.google.com/mail/u/0/');
      await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter);
      await browser.evaluate(() => window.fixture.openMessage('#msg-f:2002', 'Hallo', 'alice@example.net'));
      const seen = await browser.waitInFrame(STRIP, () => {
        const sentence = document.querySelector('[data-testid=route-sentence]')?.textContent;
        return sentence && {
          sentence,
          third: document.querySelectorAll('[data-testid=strip-hop]')[2]?.textContent,
          spoken: document.querySelectorAll('#badges > [role=listitem]')[3]?.textContent.replace(/\s+/g, ' ').trim(),
        };
      });
      assert.deepEqual(seen, { sentence: said.sentence, third: said.third, spoken: said.spoken });
      await browser.screenshot(`route-${said.locale}.png`);
      // The details too: the table's own words, the verdict's notes said from their facts, and why
      // each line is believed or not and where the trust boundary is, from the core's codes.
      await browser.inFrame(STRIP, () => document.getElementById('toggle').click());
      const details = await browser.waitInFrame(STRIP, () => {
        const caption = document.querySelector('#details caption')?.textContent;
        return caption && {
          caption,
          columns: [...document.querySelectorAll('#details th')].map((th) => th.textContent),
          notes: [...document.querySelectorAll('#details .notes li')].map((li) => li.textContent),
          why: [...document.querySelectorAll('#details .why')].map((cell) => cell.textContent),
          boundary: document.querySelector('#details [data-testid=trust-boundary]')?.textContent ?? null,
        };
      });
      assert.equal(details.caption, said.caption);
      assert.deepEqual(details.columns, said.columns);
      assert.ok(details.notes.length > 0);
      for (const note of details.notes) assert.doesNotMatch(note, /Sender-side|The first hop|may have been injected|The sender asked/, note);
      assert.deepEqual(details.why, said.why);
      assert.equal(details.boundary, said.boundary);
      // The compose window floats over the message, as Gmail's does: put away so the details are seen.
      await browser.evaluate(() => { document.querySelector('.M9').hidden = true; });
      await browser.screenshot(`route-${said.locale}-details.png`);
    });
  });
}
