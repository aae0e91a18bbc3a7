// axe-core over the extension's pages, its editor and reader frames in a
// webmail, and the standalone Inspector, in light and dark mode, in the states
// a person sees: no violation of serious or critical impact (WCAG 2.2 A/AA and
// axe's best practices).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSER, ROOT, launch } from './lib/browser.mjs';
import { gnupg } from './lib/gpg.mjs';
import { EDITOR, READER, ask, openEditor } from './lib/sealmark.mjs';
import { serve } from './lib/static-server.mjs';
import { startWebmails } from './lib/webmail-server.mjs';

const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const STRIP = 'iframe[data-sealmark-frame=route]';
const STRIPPED = readFileSync(join(ROOT, 'tests/corpus/transport/starttls-stripped.eml'), 'utf8');

/**
 * A page script (as source: both drivers evaluate `(${fn})(...args)`) that
 * loads axe-core into the page and returns its serious and critical
 * violations, each with the elements it names. Evaluated by the driver, so
 * the extension's Content Security Policy does not apply to it.
 */
const audit = `async () => {
  ${AXE}
  const result = await window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    resultTypes: ['violations'],
  });
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => node.target.join(' ') + ': ' + node.failureSummary.split('\\n').slice(1).join(' ')) }));
}`;

for (const colorScheme of ['light', 'dark']) {
  describe(`accessibility in ${BROWSER}, ${colorScheme}`, () => {
    let browser;
    let server;
    let webmails;
    let gpg;
    before(async () => {
      gpg = gnupg(['Bob <bob@example.org>']);
      server = await serve(join(ROOT, 'dist/www'));
      webmails = await startWebmails();
      browser = await launch({ colorScheme, proxyPort: webmails.proxyPort });
    });
    after(async () => {
      await browser?.close();
      await server?.close();
      await webmails?.close();
      gpg?.cleanup();
    });

    test('the audit sees a planted violation (a button without a name)', async () => {
      await browser.goto(browser.extensionUrl('pages/popup/popup.html'));
      await browser.waitFor(() => document.body.children.length);
      await browser.evaluate(() => document.body.append(document.createElement('button')));
      const violations = await browser.evaluate(audit);
      assert.deepEqual(violations.map((violation) => violation.id), ['button-name']);
    });

    /** Analyses the stripped-STARTTLS message in an Inspector: the route view with badges, verdict and boundary. */
    const analyzed = async () => {
      await browser.evaluate((raw) => {
        document.getElementById('raw').value = raw;
        document.getElementById('analyze').click();
      }, STRIPPED);
      await browser.waitFor(() => document.querySelector('[data-testid=verdict]'));
    };
    const options = () => browser.extensionUrl('pages/options/options.html');
    const inspector = () => server.url;
    const inspectorReady = () => document.body.dataset.ready === 'true';
    const welcome = () => browser.extensionUrl('pages/welcome/welcome.html');
    /** The welcome page at `step`, as when setting up stopped there. */
    const welcomeAt = async (step) => {
      await ask(browser, 'settings.set', { setupStep: step });
      await browser.goto(welcome());
      await browser.waitFor((step) => document.querySelector(`[data-step="${step}"]:not([hidden])`), [step]);
    };

    // Each state: its name, the page, when it is ready, and what a person did before the audit.
    const states = [
      ['the options page', options, () => document.getElementById('gen-submit')],
      ['the popup', () => browser.extensionUrl('pages/popup/popup.html'), () => document.body.children.length],
      ['the welcome page', () => browser.extensionUrl('pages/welcome/welcome.html'), () => document.body.children.length],
      ['the extension Inspector', () => browser.extensionUrl('pages/inspect/inspect.html'), () => document.readyState === 'complete'],
      ['the extension Inspector with a route', () => browser.extensionUrl('pages/inspect/inspect.html'), () => document.readyState === 'complete', analyzed],
      ['the standalone Inspector', inspector, inspectorReady],
      ['the standalone Inspector with a route', inspector, inspectorReady, analyzed],
      ['the standalone Inspector on its OpenPGP tab', inspector, inspectorReady, async () => {
        await browser.evaluate(() => document.getElementById('tab-pgp').click());
        await browser.waitFor(() => !document.getElementById('panel-pgp').hidden);
      }],
      ['the options page with a key', options, () => document.getElementById('gen-submit'), async () => {
        const made = await ask(browser, 'keys.generate', { name: 'Alice', email: 'alice@example.org', passphrase: 'correct horse battery staple' });
        assert.equal(made.ok, true, JSON.stringify(made.error));
        await browser.goto(options());
        await browser.waitFor(() => document.querySelector('[data-testid=key]'));
      }],
      ['the welcome page at its key step, with the key made', welcome, () => document.body.children.length, () => welcomeAt('key')],
      ['the welcome page at its backup step', welcome, () => document.body.children.length, () => welcomeAt('backup')],
      ['the files page with its keys', () => browser.extensionUrl('pages/files/files.html'), () => document.querySelector('[data-testid=recipient]')],
      ['the files page with verified signatures', () => browser.extensionUrl('pages/files/files.html'), () => document.querySelector('[data-testid=recipient]'), async () => {
        // A valid signature of Alice's, one by a key not in the keyring, and a file without a signature: each way a result is shown.
        const signed = await ask(browser, 'files.sign', { file: { name: 'notes.txt', data: btoa('Notes.\n') }, passphrase: 'correct horse battery staple' });
        assert.equal(signed.ok, true, JSON.stringify(signed.error));
        const unknown = Buffer.from(gpg.detachSign('Notes.\n', 'bob@example.org', { binary: true })).toString('base64');
        await browser.evaluate((signature, unknown) => {
          const chosen = new DataTransfer();
          for (const [name, base64] of [['notes.txt', btoa('Notes.\n')], ['notes.txt.sig', signature], ['bob.txt', btoa('Notes.\n')], ['bob.txt.sig', unknown], ['lonely.txt', btoa('x')]]) {
            chosen.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name));
          }
          document.getElementById('verify-input').files = chosen.files;
          document.getElementById('verify').click();
        }, signed.result.data, unknown);
        await browser.waitFor(() => document.querySelectorAll('[data-testid=result]').length === 2 && document.querySelector('[data-testid=failed]'));
      }],
      ['the Delete dialog', options, () => document.querySelector('[data-testid=key]'), async () => {
        await browser.evaluate(() => document.querySelector('[data-testid=key] button.danger, [data-testid=key] [data-action=delete]')?.click());
        await browser.waitFor(() => document.querySelector('dialog[open]'));
      }],
    ];
    test("the editor in Gmail, with a recipient whose key is missing: no serious or critical violation", async () => {
      await browser.goto('https://mail.google.com/mail/u/0/');
      await openEditor(browser);
      await browser.waitInFrame(EDITOR, () => !document.getElementById('blocked').hidden);
      const violations = await browser.inFrame(EDITOR, audit);
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    });
    test('the route strip in Gmail, with its details open, for a message whose STARTTLS was stripped: no serious or critical violation', async () => {
      webmails.messages.set('msg-f:2002', STRIPPED);
      await browser.goto('https://mail.google.com/mail/u/0/');
      await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter);
      await browser.evaluate(() => window.fixture.openMessage('#msg-f:2002', 'Hello', 'alice@example.net'));
      await browser.waitInFrame(STRIP, () => document.querySelector('[data-testid=strip-hop]'));
      await browser.inFrame(STRIP, () => document.getElementById('toggle').click());
      await browser.waitInFrame(STRIP, () => document.querySelector('#details [data-testid=hop]'));
      const violations = await browser.inFrame(STRIP, audit);
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    });
    test('the reader in Gmail, with a message signed by an unknown key: no serious or critical violation', async () => {
      await browser.goto('https://mail.google.com/mail/u/0/');
      await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter);
      await browser.evaluate((signed) => window.fixture.showMessage(signed), gpg.clearsign('Signed by Bob.', 'bob@example.org'));
      await browser.waitInFrame(READER, () => document.querySelector('[data-testid=signature]'));
      const violations = await browser.inFrame(READER, audit);
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    });
    test('every extension page reflows at 320 px: nothing wider than the page (WCAG 1.4.10)', async () => {
      // Each page in a 320 px frame of an extension page (same origin), as on a narrow screen or at 400 % zoom.
      await browser.goto(browser.extensionUrl('pages/popup/popup.html'));
      const pages = ['options/options.html', 'welcome/welcome.html', 'inspect/inspect.html', 'report/report.html', 'files/files.html', 'route/route.html', 'confirm/confirm.html'];
      const wide = await browser.evaluate(async (urls) => {
        const found = {};
        for (const url of urls) {
          const frame = Object.assign(document.createElement('iframe'), { src: url });
          frame.style.cssText = 'width: 320px; height: 600px; border: 0';
          const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
          document.body.append(frame);
          await loaded;
          // The page's own script draws the rest (its translations, its key list) after the load.
          await new Promise((resolve) => setTimeout(resolve, 500));
          const doc = frame.contentDocument;
          const over = [...doc.querySelectorAll('body *')]
            .filter((element) => element.getBoundingClientRect().right > doc.documentElement.clientWidth + 0.5)
            .map((element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : `(${element.textContent.trim().slice(0, 24)})`}`);
          if (over.length || doc.documentElement.scrollWidth > doc.documentElement.clientWidth) found[url.split('/pages/')[1]] = over.slice(0, 5);
          frame.remove();
        }
        return found;
      }, pages.map((page) => browser.extensionUrl(`pages/${page}`)));
      assert.deepEqual(wide, {});
    });
    for (const [name, url, ready, before] of states) {
      test(`${name}: no serious or critical violation`, async () => {
        await browser.goto(url());
        await browser.waitFor(ready);
        await before?.();
        const violations = await browser.evaluate(audit);
        assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
      });
    }
  });
}
