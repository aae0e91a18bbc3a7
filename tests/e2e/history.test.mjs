// Memory across messages (issue 22): one header cannot tell a stripped
// STARTTLS from a sender that chose plaintext; a domain's history can. The
// strip says when a domain whose mail always arrived encrypted now does not,
// the Encryption report draws what the user's opened mail shows, and the
// history can be switched off and cleared.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSER, ROOT, launch } from './lib/browser.mjs';
import { startWebmails } from './lib/webmail-server.mjs';
import { ask as askIn } from './lib/sealmark.mjs';

const STRIP = 'iframe[data-sealmark-frame=route]';
const corpus = (name) => readFileSync(join(ROOT, 'tests/corpus/transport', name), 'utf8');
/** From alice@example.org: one hop into example.net, with TLS 1.3 or in plaintext. */
const ENCRYPTED = corpus('exim-gnutls-tls13.eml');
const PLAINTEXT = corpus('postfix-plaintext.eml');

describe(`TLS history in ${BROWSER}`, () => {
  let browser;
  let webmails;

  before(async () => {
    webmails = await startWebmails();
    // Chromium's prompt for a host permission is browser UI no automation reaches: the test copy holds it already.
    browser = await launch({ proxyPort: webmails.proxyPort, grantOrigins: ['https://mta-sts.example.net'] });
  });
  after(async () => {
    await browser?.close();
    await webmails?.close();
  });

  const ask = (type, payload = {}) => askIn(browser, type, payload);
  const report = () => browser.goto(browser.extensionUrl('pages/report/report.html'));

  /** Opens a message in the Gmail fixture and returns what its strip says. */
  async function open(id, raw) {
    webmails.messages.set(id, raw);
    await browser.goto('https://mail.google.com/mail/u/0/');
    await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter);
    await browser.evaluate((id) => {
      window.fixture.closeCompose();
      window.fixture.openMessage(`#${id}`, 'Hello.');
    }, id);
    return browser.waitInFrame(STRIP, () => document.querySelector('[data-testid=route-sentence]')?.textContent && {
      history: document.getElementById('history').hidden ? null : document.getElementById('history').textContent,
      mtaSts: document.getElementById('mta-sts').hidden ? null : document.getElementById('mta-sts').textContent,
    });
  }

  test('a domain whose mail always came encrypted and now does not is called out in the strip', async () => {
    for (let i = 1; i <= 5; i++) assert.equal((await open(`msg-f:400${i}`, ENCRYPTED)).history, null);
    // The same message opened again counts once.
    await open('msg-f:4001', ENCRYPTED);
    const seen = await open('msg-f:4006', PLAINTEXT);
    assert.equal(seen.history, "example.org's mail arrived encrypted the last 5 times; this one did not.");
    const earlier = await browser.inFrame(STRIP, () => {
      document.getElementById('toggle').click();
      return [...document.querySelectorAll('[data-testid=history] li')].map((li) => li.dataset.boundary);
    });
    assert.deepEqual(earlier, ['TLSv1.3', 'TLSv1.3', 'TLSv1.3', 'TLSv1.3', 'TLSv1.3']);
    await browser.screenshot('history-strip.png');
  });

  test('the Encryption report draws the share, the TLS versions and the domains that sent in plaintext', async () => {
    await report();
    const shown = await browser.waitFor(() => document.querySelector('[data-testid=share]') && {
      share: document.querySelector('[data-testid=share]').textContent,
      versions: Object.fromEntries([...document.querySelectorAll('[data-version]')].map((v) => [v.dataset.version, Number(v.textContent)])),
      plaintext: document.querySelector('[data-testid=plaintext-domains]')?.textContent,
      chart: Boolean(document.querySelector('[data-testid=share-chart] circle')),
    });
    assert.deepEqual(shown, { share: '83%', versions: { 'TLSv1.3': 5, plaintext: 1 }, plaintext: 'example.org: 1 of 6 messages arrived in plaintext', chart: true });
    await browser.screenshot('encryption-report.png');
  });

  test('history can be switched off and cleared; then nothing is kept', async () => {
    await report();
    await browser.waitFor(() => document.querySelector('[data-testid=share]'));
    await browser.evaluate(() => document.getElementById('history-clear').click());
    await browser.waitFor(() => document.querySelector('[data-testid=report-empty]'));
    await ask('settings.set', { historyEnabled: false });
    await open('msg-f:4007', PLAINTEXT);
    await report();
    await browser.waitFor(() => document.querySelector('[data-testid=report-empty]'));
    assert.equal((await ask('history.report')).result.messages, 0);
    await ask('settings.set', { historyEnabled: true });
  });

  test("the provider's MTA-STS policy makes a plaintext hop into it a policy violation", async () => {
    webmails.mtaSts.set('mta-sts.example.net', 'version: STSv1\r\nmode: enforce\r\nmx: mx.example.net\r\nmax_age: 86400\r\n');
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    // A real click: the browser asks for a permission only on a user gesture.
    await browser.type('#mta-sts-domain', 'example.net');
    await browser.click('#mta-sts-check button');
    const found = await browser.waitFor(() => document.querySelector('[data-testid=mta-sts-status]').textContent);
    assert.match(found, /example\.net: The provider requires TLS.*mx\.example\.net/);
    const seen = await open('msg-f:4101', PLAINTEXT);
    assert.equal(seen.mtaSts, 'example.net requires TLS for incoming mail, yet this message came into it in plaintext: a policy violation.');
    await browser.screenshot('mta-sts-violation.png');
    // An encrypted hop keeps its promise; with MTA-STS switched off nothing is said or asked.
    assert.equal((await open('msg-f:4102', ENCRYPTED)).mtaSts, null);
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    await ask('settings.set', { mtaSts: false });
    const asked = webmails.requests.length;
    assert.equal((await open('msg-f:4103', PLAINTEXT)).mtaSts, null);
    assert.ok(!webmails.requests.slice(asked).some((r) => r.includes('mta-sts')), 'nothing was fetched');
  });
});
