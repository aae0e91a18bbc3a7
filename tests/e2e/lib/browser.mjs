// One small driver interface over the two real browsers the e2e tests use:
// Chromium through playwright-core, Firefox through selenium-webdriver and
// geckodriver. E2E_BROWSER=chromium|firefox chooses; every test runs on both.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BROWSER = process.env.E2E_BROWSER ?? 'chromium';
const SCREENSHOTS = join(ROOT, 'target/screenshots');
const FIREFOX_ADDON_ID = JSON.parse(readFileSync(join(ROOT, 'extension/manifest.json'), 'utf8'))
  .browser_specific_settings.gecko.id;
// Firefox gives each install a random moz-extension:// host; pinning it lets tests address pages.
const FIREFOX_ADDON_UUID = '5ea1a4a0-0000-4000-8000-5ea1a4a00001';
/** After how long without activity Firefox stops the event page in these tests (its default is 30 s). */
export const FIREFOX_IDLE_MS = 2000;
/** After how long without activity Chrome stops an extension's service worker (fixed by Chrome). */
export const CHROME_IDLE_MS = 30_000;
/** The copy of the extension whose core has the test-hooks feature (build.sh: build_test_hooks_package). */
const TEST_HOOKS_DIST = join(ROOT, 'target/dist-test-hooks');
/** The page Sealmark opens when it is installed. */
export const WELCOME = 'pages/welcome/welcome.html';

/**
 * Starts the browser with the packaged extension installed.
 * @param {{proxyPort?: number, locale?: string, grantOrigins?: string[], testHooks?: boolean, keepWelcome?: boolean, colorScheme?: 'light'|'dark', fontSize?: number}} [options]  proxyPort: send every
 *   https:// request to this loopback CONNECT proxy (the webmail fixtures), accepting its certificates;
 *   locale: the browser's UI language; grantOrigins: Chromium only, see withGrantedOrigins; testHooks: load
 *   the test copy of the extension, whose background answers test.* requests (a real panic, long work);
 *   keepWelcome: leave the welcome page the extension opens on install (closed otherwise, once it opened);
 *   colorScheme: the scheme pages are told the person prefers; fontSize: the browser's default font size in px
 * @returns {Promise<Session>}
 */
export async function launch(options = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const session = BROWSER === 'chromium' ? await launchChromium(options) : BROWSER === 'firefox' ? await launchFirefox(options) : null;
  if (!session) throw new Error(`E2E_BROWSER must be chromium or firefox, not ${BROWSER}`);
  const helped = withHelpers(session);
  // The tab a fresh install opens would otherwise hide the tab the tests drive.
  if (!options.keepWelcome) await helped.closeWindow(WELCOME, WAIT_MS);
  return helped;
}

/**
 * How long a wait may take before the test fails. Only a bound against hanging
 * for ever: a wait ends as soon as its condition holds, so a generous bound costs
 * nothing on a quick machine and spares a busy one (CI) false failures.
 */
export const WAIT_MS = 60_000;

/** Helpers both browsers share, built on the driver-specific primitives. */
function withHelpers(session) {
  const poll = async (run, description, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
      last = await run().then((value) => ({ value }), (error) => ({ failed: String(error) }));
      if (last.value) return last.value;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    throw new Error(`timed out waiting for ${description}; last: ${JSON.stringify(last)}`);
  };
  const load = session.goto;
  return Object.assign(session, {
    /**
     * Loads `url`; an extension page is waited for until its script has wired its controls
     * (extension/shared/page-ready.js), which a busy machine can delay well past the load event.
     */
    goto: async (url) => {
      await load(url);
      if (!url.startsWith(session.extensionUrl(''))) return;
      await poll(() => session.evaluate(() => document.documentElement.dataset.ready === 'true'), `${url} to be ready`, WAIT_MS);
    },
    /** Polls `fn` in the page until it returns something truthy. */
    waitFor: (fn, args = [], timeoutMs = WAIT_MS) => poll(() => session.evaluate(fn, ...args), String(fn).slice(0, 80), timeoutMs),
    /** Polls `fn` in the browser window whose URL contains `part` (an extension window) until truthy. */
    waitInWindow: (part, fn, args = [], timeoutMs = WAIT_MS) =>
      poll(() => session.inWindow(part, fn, ...args), `window ${part}: ${String(fn).slice(0, 80)}`, timeoutMs),
    /** Polls `fn` inside the first frame matching `selector` until truthy. */
    waitInFrame: (selector, fn, args = [], timeoutMs = WAIT_MS) =>
      poll(() => session.inFrame(selector, fn, ...args), `${selector}: ${String(fn).slice(0, 80)}`, timeoutMs),
  });
}

/**
 * @typedef {object} Session
 * @property {string} name
 * @property {(path: string) => string} extensionUrl
 * @property {(url: string) => Promise<void>} goto
 * @property {(selector: string, timeoutMs?: number) => Promise<string>} textOf  waits for a visible element
 * @property {(fn: Function, ...args: any[]) => Promise<any>} evaluate  runs an async function in the page
 * @property {(file: string, windowPart?: string) => Promise<string>} screenshot  of the page, or of the window
 *   whose URL contains `windowPart`; returns the PNG's path
 * @property {(selector: string, fn: Function, ...args: any[]) => Promise<any>} inFrame  runs fn inside an iframe
 * @property {(part: string, fn: Function, ...args: any[]) => Promise<any>} inWindow  runs fn in another browser
 *   window or tab whose URL contains `part` (Sealmark's confirmation window, its welcome page)
 * @property {(part: string) => Promise<string[]>} windowUrls  the URLs of the open windows and tabs containing `part`
 * @property {(part: string, waitMs?: number) => Promise<boolean>} closeWindow  closes the window or tab whose URL
 *   contains `part`, waiting up to `waitMs` for it to open; whether there was one
 * @property {(selector: string) => Promise<void>} click  a real, trusted click (a user gesture)
 * @property {(frame: string, selector: string) => Promise<void>} clickInFrame  a real click on an element inside a frame
 * @property {(frame: string, selector: string) => Promise<void>} hoverInFrame  the real pointer moved onto an element inside a frame
 * @property {(selector: string, text: string) => Promise<void>} type  real key presses into an element
 * @property {(key: 'Enter'|'Tab'|'ShiftTab'|'Escape'|'Space') => Promise<void>} pressKey  one real key press where the focus is
 * @property {(text: string) => Promise<void>} typeText  real key presses typing `text` where the focus is
 * @property {() => Promise<void>} stopBackground  stops the extension's service worker / event page
 * @property {(fn: Function, args?: any[], timeoutMs?: number) => Promise<any>} waitFor
 * @property {(selector: string, fn: Function, args?: any[], timeoutMs?: number) => Promise<any>} waitInFrame
 * @property {(part: string, fn: Function, args?: any[], timeoutMs?: number) => Promise<any>} waitInWindow
 * @property {() => Promise<void>} close
 */

async function launchChromium({ proxyPort, locale, grantOrigins = [], testHooks = false, colorScheme, fontSize }) {
  const { chromium } = await import('playwright-core');
  const packaged = testHooks ? join(TEST_HOOKS_DIST, 'chrome') : join(ROOT, 'dist/chrome');
  const extension = grantOrigins.length ? withGrantedOrigins(packaged, grantOrigins) : packaged;
  const profile = mkdtempSync(join(tmpdir(), 'sealmark-chromium-'));
  if (fontSize) {
    // Where Chromium keeps the size chosen in its settings (Appearance → Font size).
    mkdirSync(join(profile, 'Default'), { recursive: true });
    writeFileSync(join(profile, 'Default/Preferences'), JSON.stringify({ webkit: { webprefs: { default_font_size: fontSize } } }));
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      `--disable-extensions-except=${extension}`,
      `--load-extension=${extension}`,
      // The extension's own fetches (key look-ups) need the flag; ignoreHTTPSErrors covers pages only.
      ...(proxyPort ? [`--proxy-server=http://127.0.0.1:${proxyPort}`, '--ignore-certificate-errors'] : []),
      ...(locale ? [`--lang=${locale}`] : []),
    ],
    ignoreHTTPSErrors: Boolean(proxyPort),
    ...(locale ? { locale } : {}),
    ...(colorScheme ? { colorScheme } : {}),
    viewport: { width: 1100, height: 760 },
  });
  // Playwright's own cut-off (30 s) for a load, a click or a key press would undercut the tests' waits.
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(WAIT_MS);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: WAIT_MS }));
  const extensionId = new URL(worker.url()).host;
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    name: 'chromium',
    extensionUrl: (path) => `chrome-extension://${extensionId}/${path}`,
    goto: async (url) => void (await page.goto(url)),
    textOf: async (selector, timeoutMs = WAIT_MS) => {
      const locator = page.locator(selector);
      await locator.waitFor({ state: 'visible', timeout: timeoutMs });
      return (await locator.textContent()) ?? '';
    },
    evaluate: (fn, ...args) => page.evaluate(`(${fn})(...${JSON.stringify(args)})`),
    inFrame: async (selector, fn, ...args) => {
      const handle = await page.waitForSelector(selector, { state: 'attached', timeout: WAIT_MS });
      const frame = await handle.contentFrame();
      if (!frame) throw new Error(`${selector} is not a frame`);
      return frame.evaluate(`(${fn})(...${JSON.stringify(args)})`);
    },
    inWindow: async (part, fn, ...args) => {
      const target = context.pages().find((p) => p !== page && p.url().includes(part));
      if (!target) throw new Error(`no window at ${part}`);
      return target.evaluate(`(${fn})(...${JSON.stringify(args)})`);
    },
    windowUrls: async (part) => context.pages().map((p) => p.url()).filter((url) => url.includes(part)),
    closeWindow: async (part, waitMs = 0) => {
      // A new page's URL is set after its 'page' event: look until the deadline.
      const deadline = Date.now() + waitMs;
      let found;
      while (!(found = context.pages().find((p) => p !== page && p.url().includes(part))) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (!found) return false;
      await found.close();
      await page.bringToFront();
      return true;
    },
    click: (selector) => page.click(selector),
    clickInFrame: (frame, selector) => page.frameLocator(frame).locator(selector).click(),
    hoverInFrame: (frame, selector) => page.frameLocator(frame).locator(selector).hover(),
    type: (selector, text) => page.locator(selector).pressSequentially(text),
    pressKey: (key) => page.keyboard.press(key === 'ShiftTab' ? 'Shift+Tab' : key),
    typeText: (text) => page.keyboard.type(text),
    stopBackground: async () => {
      const cdp = await context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await cdp.detach();
    },
    screenshot: async (file, windowPart) => {
      const path = join(SCREENSHOTS, `chromium-${file}`);
      const other = windowPart && context.pages().find((p) => p !== page && p.url().includes(windowPart));
      if (other) {
        await other.screenshot({ path });
        return path;
      }
      // A full-page capture leaves out-of-process frames (Sealmark's frames in a webmail) blank.
      const frames = await page.locator('iframe').count();
      await page.screenshot({ path, fullPage: frames === 0 });
      return path;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function launchFirefox({ proxyPort, locale, testHooks = false, colorScheme, fontSize }) {
  const { Builder, By, Key, until } = await import('selenium-webdriver');
  const firefox = await import('selenium-webdriver/firefox.js');
  const geckodriver = execFileSync('bash', ['-c', 'command -v geckodriver'], { encoding: 'utf8' }).trim();
  const options = new firefox.Options()
    .setBinary('/usr/bin/firefox-esr')
    .addArguments('-headless')
    .windowSize({ width: 1100, height: 760 })
    .setPreference('extensions.webextensions.uuids', JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_ADDON_UUID }))
    .setPreference('app.update.enabled', false)
    .setPreference('datareporting.policy.dataSubmissionEnabled', false)
    // Optional host permissions are granted without the prompt a person would answer.
    .setPreference('extensions.webextOptionalPermissionPrompts', false)
    // The event page is stopped after 2 s idle, so every test also proves it restarts.
    .setPreference('extensions.background.idle.timeout', FIREFOX_IDLE_MS);
  if (locale) options.setPreference('intl.locale.requested', locale);
  // 0 is dark, 1 light: what pages (extension pages too) are told the person prefers.
  if (colorScheme) options.setPreference('layout.css.prefers-color-scheme.content-override', colorScheme === 'dark' ? 0 : 1);
  if (fontSize) options.setPreference('font.size.variable.x-western', fontSize);
  if (proxyPort) {
    options
      .setPreference('network.proxy.type', 1)
      .setPreference('network.proxy.ssl', '127.0.0.1')
      .setPreference('network.proxy.ssl_port', proxyPort)
      .setAcceptInsecureCerts(true);
  }
  const service = new firefox.ServiceBuilder(geckodriver).addArguments('--allow-system-access').setStdio('ignore');
  const driver = await new Builder()
    .forBrowser('firefox')
    .setFirefoxOptions(options)
    .setFirefoxService(service)
    .build();
  // An evaluated function may itself wait in the page (up to 30 s at a time, several times in
  // some tests); Selenium's default cut-off is 30 s.
  await driver.manage().setTimeouts({ script: 3 * WAIT_MS });
  await driver.installAddon(testHooks ? join(TEST_HOOKS_DIST, 'sealmark-firefox.xpi') : join(ROOT, 'dist/sealmark-firefox.xpi'), true);
  /** Runs an (async) function in the current document or frame and returns its value. */
  const evaluate = async (fn, ...args) => {
    const result = await driver.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       Promise.resolve((${fn})(...${JSON.stringify(args)}))
         .then((value) => done({ value }), (error) => done({ error: String(error) }));`,
    );
    if (result.error) throw new Error(result.error);
    return result.value;
  };
  return {
    name: 'firefox',
    extensionUrl: (path) => `moz-extension://${FIREFOX_ADDON_UUID}/${path}`,
    goto: (url) => driver.get(url),
    inFrame: async (selector, fn, ...args) => {
      const element = await driver.wait(until.elementLocated(By.css(selector)), WAIT_MS);
      await driver.switchTo().frame(element);
      try {
        return await evaluate(fn, ...args);
      } finally {
        await driver.switchTo().defaultContent();
      }
    },
    inWindow: async (part, fn, ...args) => {
      const original = await driver.getWindowHandle();
      try {
        for (const handle of await driver.getAllWindowHandles()) {
          if (handle === original) continue;
          await driver.switchTo().window(handle);
          if ((await driver.getCurrentUrl()).includes(part)) return await evaluate(fn, ...args);
        }
        throw new Error(`no window at ${part}`);
      } finally {
        await driver.switchTo().window(original);
      }
    },
    windowUrls: async (part) => {
      const original = await driver.getWindowHandle();
      const urls = [];
      try {
        for (const handle of await driver.getAllWindowHandles()) {
          await driver.switchTo().window(handle);
          urls.push(await driver.getCurrentUrl());
        }
      } finally {
        await driver.switchTo().window(original);
      }
      return urls.filter((url) => url.includes(part));
    },
    closeWindow: async (part, waitMs = 0) => {
      const original = await driver.getWindowHandle();
      const deadline = Date.now() + waitMs;
      try {
        do {
          for (const handle of await driver.getAllWindowHandles()) {
            if (handle === original) continue;
            await driver.switchTo().window(handle);
            if ((await driver.getCurrentUrl()).includes(part)) {
              await driver.close();
              return true;
            }
          }
          await driver.switchTo().window(original);
          await new Promise((resolve) => setTimeout(resolve, 200));
        } while (Date.now() < deadline);
        return false;
      } finally {
        await driver.switchTo().window(original);
      }
    },
    click: async (selector) => (await driver.wait(until.elementLocated(By.css(selector)), WAIT_MS)).click(),
    clickInFrame: async (frame, selector) => {
      await driver.switchTo().frame(await driver.wait(until.elementLocated(By.css(frame)), WAIT_MS));
      try {
        await (await driver.wait(until.elementLocated(By.css(selector)), WAIT_MS)).click();
      } finally {
        await driver.switchTo().defaultContent();
      }
    },
    hoverInFrame: async (frame, selector) => {
      await driver.switchTo().frame(await driver.wait(until.elementLocated(By.css(frame)), WAIT_MS));
      try {
        const element = await driver.wait(until.elementLocated(By.css(selector)), WAIT_MS);
        await driver.actions().move({ origin: element }).perform();
      } finally {
        await driver.switchTo().defaultContent();
      }
    },
    type: async (selector, text) => (await driver.wait(until.elementLocated(By.css(selector)), WAIT_MS)).sendKeys(text),
    pressKey: (key) =>
      key === 'ShiftTab'
        ? driver.actions().keyDown(Key.SHIFT).sendKeys(Key.TAB).keyUp(Key.SHIFT).perform()
        : driver.actions().sendKeys(Key[{ Enter: 'ENTER', Tab: 'TAB', Escape: 'ESCAPE', Space: 'SPACE' }[key]]).perform(),
    typeText: (text) => driver.actions().sendKeys(text).perform(),
    // Firefox has no "stop" switch for event pages; the short idle timeout does it.
    // Waits until Firefox stops the event page for being idle (after
    // FIREFOX_IDLE_MS), as it does for users, watching its state in the
    // browser's own context (geckodriver runs with --allow-system-access):
    // a fixed wait was no proof on a busy machine. Bounded: a background
    // that never stops when idle fails the test.
    stopBackground: async () => {
      await driver.setContext(firefox.Context.CHROME);
      try {
        const state = () => driver.executeScript(`return WebExtensionPolicy.getByID(${JSON.stringify(FIREFOX_ADDON_ID)})?.extension?.backgroundState ?? null;`);
        let last = await state();
        for (let i = 0; i < 600 && last !== 'stopped'; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          last = await state();
        }
        if (last !== 'stopped') throw new Error(`the background was not stopped when idle (it is ${last})`);
      } finally {
        await driver.setContext(firefox.Context.CONTENT);
      }
    },
    textOf: async (selector, timeoutMs = WAIT_MS) => {
      const element = await driver.wait(until.elementLocated(By.css(selector)), timeoutMs);
      await driver.wait(until.elementIsVisible(element), timeoutMs);
      return element.getText();
    },
    evaluate,
    screenshot: async (file, windowPart) => {
      const path = join(SCREENSHOTS, `firefox-${file}`);
      const original = await driver.getWindowHandle();
      try {
        if (windowPart) {
          for (const handle of await driver.getAllWindowHandles()) {
            await driver.switchTo().window(handle);
            if ((await driver.getCurrentUrl()).includes(windowPart)) break;
          }
        }
        writeFileSync(path, Buffer.from(await driver.takeScreenshot(), 'base64'));
      } finally {
        await driver.switchTo().window(original);
      }
      return path;
    },
    // Bounded, like the servers' close: a teardown that never settles must not
    // fail a suite whose tests passed (seen once: "Promise resolution is still pending").
    close: async () => {
      let timer;
      await Promise.race([driver.quit(), new Promise((resolve) => (timer = setTimeout(resolve, 15000)))]);
      clearTimeout(timer);
    },
  };
}

/**
 * A copy of the Chrome package whose manifest already holds the host
 * permission for `origins`: Chromium's prompt for an optional permission is
 * browser UI no automation can answer (playwright#32755), and
 * `permissions.request` for a permission already held resolves at once. This
 * answers the prompt and nothing else; the options page's own flow (request,
 * store the site, register the content script) runs unchanged.
 */
function withGrantedOrigins(packaged, origins) {
  const copy = mkdtempSync(join(tmpdir(), 'sealmark-chrome-granted-'));
  cpSync(packaged, copy, { recursive: true });
  const manifestPath = join(copy, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.host_permissions = [...manifest.host_permissions, ...origins.map((o) => `${new URL(o).protocol}//${new URL(o).hostname}/*`)];
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return copy;
}
