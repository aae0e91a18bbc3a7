// The zero-access mailbox in the mail lab: mail to Zoe is sealed on arrival
// by `sealmark seal-inbound` (Dovecot's Sieve filter with her certificate in
// her home; Postfix's pipe transport for zoe+pipe@), so Dovecot's store
// holds no plaintext of it; Roundcube shows it, and Sealmark in Roundcube
// decrypts it, the Subject restored from the protected header fields, while
// the route strip still shows the TLS of every hop as the lab's MTAs logged
// it. A sealing failure defers the message (Postfix retries); a user without
// a certificate gets plaintext, as configured.
//   E2E_BROWSER=chromium|firefox node --test tests/lab/zero-access.test.mjs   (lab up first)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BROWSER, WAIT_MS, launch } from '../e2e/lib/browser.mjs';
import { READER, ask, decryptInReader } from '../e2e/lib/sealmark.mjs';
import {
  LAB, ROUNDCUBE_URL, deliveredById, dovecotLog, filesUnder, flushMxQueue, giveCertificate, homeOf, imapUid, labIsUp, mxLog, submit,
} from './lib/lab.mjs';
import { assertStripMatchesLab, enableRoundcube, readStrip, showMessage, signIn } from './lib/roundcube.mjs';

const PASSPHRASE = 'Zoe keeps her mail to herself, a long passphrase';
const ZOE = LAB.LAB_ZERO_USER;
const PIPE = ZOE.replace('@', '+pipe@');
const run = `${BROWSER}-${Date.now().toString(36)}`;

/** Every file of a mailbox's home that holds any of `secrets` (what a stolen disk would give away). */
function readableOnDisk(address, secrets) {
  return filesUnder(homeOf(address))
    .filter(([, bytes]) => secrets.some((secret) => bytes.includes(secret)))
    .map(([path]) => path);
}

describe(`zero-access mailbox in the mail lab, ${BROWSER}`, () => {
  let browser;
  let certificate;

  before(async () => {
    assert.ok(labIsUp(), 'the mail lab is not up: run tests/lab/up.sh');
    browser = await launch({ grantOrigins: [ROUNDCUBE_URL] });
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    const { result } = await ask(browser, 'keys.generate', { name: 'Zoe', email: ZOE, passphrase: PASSPHRASE });
    certificate = (await ask(browser, 'keys.exportPublic', { fingerprint: result.fingerprint })).result;
    // Zoe's certificate where each path looks for it: her home (Sieve), the pipe's directory (Postfix).
    giveCertificate(ZOE, certificate);
    giveCertificate(ZOE, certificate, { path: 'pipe' });
    await enableRoundcube(browser);
    await signIn(browser, ZOE);
  });
  after(async () => {
    await browser?.close();
  });

  /** Opens the message in Roundcube, decrypts it in Sealmark's reader and returns what both show. */
  async function readInRoundcube(delivery) {
    await showMessage(browser, await imapUid(delivery.stored));
    // Roundcube's own Subject line (Elastic's message header): its text, without the label and link beside it.
    const listed = await browser.evaluate(() => [...(document.querySelector('#message-header h2.subject')?.childNodes ?? [])]
      .filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent).join('').trim());
    await browser.waitInFrame(READER, () => !document.getElementById('decrypt-actions').hidden);
    await decryptInReader(browser, PASSPHRASE);
    const shown = await browser.waitInFrame(READER, () => {
      const text = document.getElementById('plaintext');
      return !text.hidden && {
        subject: document.getElementById('subject').textContent,
        from: document.querySelector('[data-testid=protected-from]')?.firstChild.textContent,
        differs: document.getElementById('outside-differs').hidden ? null : document.getElementById('outside-differs').textContent,
        text: text.textContent.trim(),
      };
    });
    return { listed, shown, route: await readStrip(browser) };
  }

  for (const [path, address] of [['Dovecot Sieve filter', ZOE], ['Postfix pipe transport', PIPE]]) {
    test(`${path}: stored sealed, no plaintext on disk; Sealmark in Roundcube decrypts it with its Subject, and the strip shows the real hops`, async () => {
      const subject = `Board minutes ${path} ${run}`;
      const secret = `The vote was 5 to 2 (${path}, ${run}).`;
      const messageId = submit(address, subject, `${secret}\n`);
      const delivery = await deliveredById(ZOE, messageId);
      assert.match(delivery.raw, /^Content-Type: multipart\/encrypted; protocol="application\/pgp-encrypted"/m);
      assert.match(delivery.raw, /^Subject: \[\.\.\.\]$/m, 'the Subject outside is a placeholder');
      assert.deepEqual(readableOnDisk(ZOE, [subject, secret]), [], 'nothing of the message is readable in the store');

      const { listed, shown, route } = await readInRoundcube(delivery);
      assert.equal(listed, '[...]', 'Roundcube only ever had the placeholder');
      assert.deepEqual(shown, { subject, from: LAB.LAB_USER, differs: null, text: secret });
      const report = assertStripMatchesLab(route, delivery.file);
      assert.match(route.sentence, /external hops encrypted \(TLS 1\.3\)/);
      assert.equal(report.hops.at(-1).protocol, path.startsWith('Dovecot') ? 'LMTP' : 'ESMTPS', 'the last hop is the delivery the path used');
      // Reading it changed nothing on disk: the plaintext lived only in Sealmark's reader.
      assert.deepEqual(readableOnDisk(ZOE, [subject, secret]), [], 'still nothing readable after reading');
      await browser.screenshot(`lab-zero-access-${path.split(' ')[0].toLowerCase()}.png`);
    });
  }

  // The delivery paths themselves, once: they need no browser.
  if (BROWSER === 'chromium') {
    test('Postfix pipe: a message that cannot be sealed is deferred, never stored, and delivered sealed once the certificate is fixed', async () => {
      giveCertificate(ZOE, 'not a certificate', { path: 'pipe' });
      const subject = `Held back ${run}`;
      const secret = `Kept in the queue until it can be sealed (${run}).`;
      // Postfix logs the deferral with the filter's own words: looked for among the lines logged
      // after this message was sent (the lab may have run this test before).
      const deferrals = () => mxLog().split('\n').filter((line) => line.includes(`to=<${PIPE}>`) && line.includes('status=deferred') && line.includes('not a readable OpenPGP key'));
      const earlier = deferrals().length;
      const messageId = submit(PIPE, subject, `${secret}\n`);
      let deferred = null;
      for (const end = Date.now() + WAIT_MS; !deferred && Date.now() < end;) {
        deferred = deferrals()[earlier];
        if (!deferred) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.ok(deferred, 'Postfix deferred the message with the reason');
      assert.match(deferred, /dsn=4\.3\.0/, 'a temporary failure: the MTA retries');
      assert.deepEqual(readableOnDisk(ZOE, [subject, secret]), [], 'nothing was stored');

      giveCertificate(ZOE, certificate, { path: 'pipe' });
      flushMxQueue();
      const delivery = await deliveredById(ZOE, messageId);
      assert.match(delivery.raw, /-----BEGIN PGP MESSAGE-----/);
      assert.deepEqual(readableOnDisk(ZOE, [subject, secret]), [], 'delivered sealed, not as it came');
    });

    test('one message to Zoe and to a user without a certificate: Zoe gets it sealed, Alice as it came, through the same filter', async () => {
      const noted = () => dovecotLog().split('\n').filter((line) => line.includes('no certificate for this mailbox: delivered unchanged')).length;
      const before = noted();
      const subject = `No certificate ${run}`;
      const secret = 'Alice gave no certificate; Zoe did.';
      // One message for both on every hop but the last (one LMTP delivery each): each recipient gets the copy its own filter made.
      const messageId = submit(`${ZOE},${LAB.LAB_USER}`, subject, `${secret}\n`);
      const alice = await deliveredById(LAB.LAB_USER, messageId);
      assert.ok(alice.raw.includes(`Subject: ${subject}`) && alice.raw.includes(secret), 'stored as it came for Alice');
      const zoe = await deliveredById(ZOE, messageId);
      assert.match(zoe.raw, /-----BEGIN PGP MESSAGE-----/);
      assert.deepEqual(readableOnDisk(ZOE, [subject, secret]), [], 'nothing readable in Zoe\'s store');
      // The filter ran for Alice and said why it changed nothing (Dovecot logs what it writes to standard error,
      // through its log process, which may write it after the delivery).
      for (const end = Date.now() + WAIT_MS; noted() <= before && Date.now() < end;) await new Promise((resolve) => setTimeout(resolve, 250));
      assert.ok(noted() > before, 'the filter ran for the user without a certificate');
    });
  }
});
