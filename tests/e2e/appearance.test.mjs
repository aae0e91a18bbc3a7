// What every reader of the extension pages can read: text follows the font
// size the person set in the browser, the editor in a webmail grows with it,
// and in dark mode filled buttons and the route view's badges keep WCAG's
// 4.5:1 contrast (internal hops are outlined, never faded).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BROWSER, launch } from './lib/browser.mjs';
import { EDITOR, openEditor } from './lib/sealmark.mjs';
import { startWebmails } from './lib/webmail-server.mjs';

describe(`appearance in ${BROWSER}, dark, with a larger default font`, () => {
  let browser;
  let webmails;

  before(async () => {
    webmails = await startWebmails();
    browser = await launch({ colorScheme: 'dark', fontSize: 20, proxyPort: webmails.proxyPort });
  });
  after(async () => {
    await browser?.close();
    await webmails?.close();
  });

  /**
   * In the page: the contrast ratio (WCAG 2) of each element's text against
   * its background (its own, else the nearest ancestor's that is not
   * transparent), and its opacity as drawn (its own times its ancestors').
   */
  const measure = (selectors) =>
    browser.evaluate((selectors) => {
      const rgb = (color) => color.match(/[\d.]+/g).map(Number);
      const luminance = ([r, g, b]) => {
        const channel = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
      };
      const background = (element) => {
        for (let node = element; node; node = node.parentElement) {
          const [r, g, b, a = 1] = rgb(getComputedStyle(node).backgroundColor);
          if (a > 0) return [r, g, b];
        }
        return [255, 255, 255];
      };
      return Object.fromEntries(selectors.map((selector) => {
        const element = document.querySelector(selector);
        if (!element) return [selector, null];
        const [fg, bg] = [luminance(rgb(getComputedStyle(element).color)), luminance(background(element))];
        let opacity = 1;
        for (let node = element; node; node = node.parentElement) opacity *= Number(getComputedStyle(node).opacity);
        return [selector, { contrast: (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05), opacity }];
      }));
    }, selectors);

  test('the options page follows the browser font size and its filled buttons stay readable in dark mode', async () => {
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    await browser.waitFor(() => document.getElementById('gen-submit'));
    const page = await browser.evaluate(() => ({
      dark: matchMedia('(prefers-color-scheme: dark)').matches,
      // 15/16 of the browser's size: 18.75 px at 20 px.
      fontSize: parseFloat(getComputedStyle(document.body).fontSize),
    }));
    assert.deepEqual(page, { dark: true, fontSize: 18.75 });
    // A filled danger button, as the key cards draw them.
    await browser.evaluate(() => {
      const danger = Object.assign(document.createElement('button'), { className: 'danger', id: 'probe-danger', textContent: 'Delete' });
      document.getElementById('gen-submit').after(danger);
    });
    const seen = await measure(['#gen-submit', '#probe-danger']);
    for (const [selector, { contrast }] of Object.entries(seen)) assert.ok(contrast >= 4.5, `${selector}: ${contrast.toFixed(2)}:1`);
    await browser.screenshot('appearance-options-dark-large.png');
  });

  test("the route view's internal hops are outlined, not faded, and every badge keeps 4.5:1 in dark mode", async () => {
    await browser.goto(browser.extensionUrl('pages/inspect/inspect.html'));
    await browser.waitFor(() => document.readyState === 'complete');
    // Badges as components/route-view.js draws them (class names are its contract with route-view.css).
    await browser.evaluate(() => {
      const strip = Object.assign(document.createElement('div'), { className: 'strip' });
      for (const state of ['encrypted', 'plaintext', 'unknown']) {
        for (const internal of [false, true]) {
          strip.append(Object.assign(document.createElement('span'), { className: `badge ${state}${internal ? ' internal' : ''}`, id: `probe-${state}${internal ? '-internal' : ''}`, textContent: 'TLS 1.3' }));
        }
      }
      document.body.append(strip);
    });
    const ids = ['encrypted', 'plaintext', 'unknown'].flatMap((state) => [`#probe-${state}`, `#probe-${state}-internal`]);
    const seen = await measure(ids);
    for (const [selector, { contrast, opacity }] of Object.entries(seen)) {
      assert.equal(opacity, 1, `${selector} is not faded`);
      assert.ok(contrast >= 4.5, `${selector}: ${contrast.toFixed(2)}:1`);
    }
    const internal = await browser.evaluate(() => getComputedStyle(document.getElementById('probe-encrypted-internal')).borderTopStyle);
    assert.equal(internal, 'dashed', 'an internal hop is marked by its dashed outline');
  });

  test('the editor in a webmail is sized for the larger font: what is written keeps room between its header and its buttons', async () => {
    await browser.goto('https://mail.google.com/mail/u/0/');
    await openEditor(browser);
    const frame = await browser.evaluate(() => document.querySelector('iframe[data-sealmark-frame=compose]').getBoundingClientRect().height);
    // 27.5 em of the browser's font: 440 px at 16 px, 550 px at 20 px.
    assert.ok(frame >= 550, `the editor is ${frame} px tall`);
    const inside = await browser.inFrame(EDITOR, () => ({
      fontSize: parseFloat(getComputedStyle(document.getElementById('plaintext')).fontSize),
      writing: document.getElementById('writing').clientHeight,
    }));
    assert.ok(inside.writing >= 8 * inside.fontSize, `the writing area is ${inside.writing} px at ${inside.fontSize} px text`);
    await browser.screenshot('appearance-editor-large.png');
  });
});
