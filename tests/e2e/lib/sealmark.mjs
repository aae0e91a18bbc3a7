// What the e2e tests do with Sealmark again and again: ask its background
// from an extension page, wait for a frame to accept clicks, press a control
// in a frame, decrypt in a reader, and set up Alice (in Sealmark) and her GnuPG correspondents.

export const READER = 'iframe[data-sealmark-frame=read]';
export const EDITOR = 'iframe[data-sealmark-frame=compose]';
/** Sealmark's confirmation window, opened by the background above the page. */
export const CONFIRM = 'pages/confirm/confirm.html';

/** Clicks Sealmark's compose button in the webmail page and waits for the editor's recipients. */
export async function openEditor(browser) {
  await browser.waitFor(() => {
    const button = document.querySelector('[data-sealmark-button=compose]');
    button?.click();
    return Boolean(button);
  });
  await browser.waitInFrame(EDITOR, () => document.querySelector('.recipient-list'));
}


/**
 * A request to the background, sent from the extension page that is open.
 * @param {import('./browser.mjs').Session} browser
 */
export function ask(browser, type, payload = {}) {
  return browser.evaluate(async (type, payload) => {
    // Firefox's event page may be starting again on a busy machine: a message that reached no
    // listener is sent again, a bounded number of times, as the extension's own messages.js does.
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type, payload });
      } catch (error) {
        if (attempt >= 6 || !/Receiving end does not exist|Could not establish connection/.test(String(error?.message ?? error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  }, type, payload);
}

/**
 * Waits until a Sealmark frame accepts clicks (visible for a moment, as for a
 * person); with `control`, until that control does, scrolled into view first
 * as a person would.
 */
export function armed(browser, frame, control) {
  if (!control) return browser.waitInFrame(frame, () => document.documentElement.dataset.clickable === 'true');
  return browser.waitInFrame(frame, (control) => {
    const element = document.querySelector(control);
    element?.scrollIntoView({ block: 'nearest' });
    return element?.dataset.armed === 'true';
  }, [control]);
}

/**
 * Clicks `control` in a Sealmark frame as soon as it accepts clicks, in the
 * same turn of the frame's event loop as the check, so nothing (a row that
 * opens, a scroll, a slow observer on a busy machine) can disarm it between
 * the two. `values` first fills fields by id (booleans tick checkboxes).
 * @param {import('./browser.mjs').Session} browser
 * @param {string} frame  the frame's selector
 * @param {string} control  the control's selector inside the frame
 * @param {Record<string, string|boolean>} [values]
 */
export async function press(browser, frame, control, values = {}) {
  const pressed = browser.waitInFrame(frame, (control, values) => {
    const element = document.querySelector(control);
    element?.scrollIntoView({ block: 'nearest' });
    if (element?.dataset.armed !== 'true') return false;
    for (const [id, value] of Object.entries(values)) {
      const field = document.getElementById(id);
      if (typeof value === 'boolean') field.checked = value;
      else field.value = value;
    }
    // The click guard stops a refused click before it reaches the control: then it is tried again,
    // as a person would click again.
    let reached = false;
    const reach = () => (reached = true);
    element.addEventListener('click', reach, true);
    element.click();
    element.removeEventListener('click', reach, true);
    return reached;
  }, [control, values]);
  // On a timeout, what the control looked like and what the frame said: enough to tell a hidden
  // button from a refused click in a CI log.
  return pressed.catch(async (error) => {
    const state = await browser
      .inFrame(frame, (control) => {
        const element = document.querySelector(control);
        const box = element?.getBoundingClientRect();
        return {
          found: Boolean(element),
          armed: element?.dataset.armed ?? null,
          box: box ? [box.top, box.bottom, innerHeight].map(Math.round) : null,
          status: document.getElementById('status')?.textContent ?? null,
        };
      }, control)
      .catch((failed) => String(failed));
    throw new Error(`${error.message}; ${control}: ${JSON.stringify(state)}`);
  });
}

/**
 * Clicks Decrypt in the reader, with the passphrase typed when one is given.
 * @param {import('./browser.mjs').Session} browser
 * @param {string} [passphrase]
 */
export async function decryptInReader(browser, passphrase) {
  await press(browser, READER, '#decrypt', passphrase ? { passphrase } : {});
}

/**
 * Waits for the editor's offer to quote the message a reply answers, presses it (with the
 * passphrase when it is asked for) and returns the editor's text once the quote is in.
 * @param {import('./browser.mjs').Session} browser
 * @param {string} passphrase
 * @returns {Promise<string>}
 */
export async function quoteInEditor(browser, passphrase) {
  await browser.waitInFrame(EDITOR, () => !document.getElementById('quote-offer').hidden);
  await press(browser, EDITOR, '#quote');
  await browser.waitInFrame(EDITOR, () => !document.getElementById('passphrase-row').hidden || document.getElementById('quote-offer').hidden);
  if (await browser.inFrame(EDITOR, () => !document.getElementById('quote-offer').hidden)) await press(browser, EDITOR, '#quote', { passphrase });
  return browser.waitInFrame(EDITOR, () => document.getElementById('quote-offer').hidden && document.getElementById('plaintext').value);
}

/**
 * Alice's key generated in Sealmark (the options page must be open), her
 * certificate given to GnuPG, and the certificates of `correspondents` from
 * GnuPG imported into Sealmark.
 * @returns {Promise<string>} Alice's fingerprint
 */
export async function setUpAlice(browser, gpg, passphrase, correspondents = ['bob@example.org']) {
  const { result } = await ask(browser, 'keys.generate', { name: 'Alice', email: 'alice@example.org', passphrase });
  gpg.importKey((await ask(browser, 'keys.exportPublic', { fingerprint: result.fingerprint })).result);
  for (const address of correspondents) {
    const armored = gpg.exportKey(address);
    const [preview] = (await ask(browser, 'keys.previewImport', { armored })).result;
    await ask(browser, 'keys.import', { armored, fingerprints: [preview.fingerprint] });
  }
  return result.fingerprint;
}

/**
 * Answers the confirmation window Sealmark opens (a key from a page, text
 * sent readable), as a person would: once its buttons accept clicks.
 * @param {import('./browser.mjs').Session} browser
 * @param {boolean} [yes]
 * @returns {Promise<string>} what the window asked
 */
export async function answerConfirmation(browser, yes = true) {
  const asked = await browser.waitInWindow(CONFIRM, () => document.documentElement.dataset.clickable === 'true' && document.getElementById('confirm-text').textContent);
  await browser.inWindow(CONFIRM, (yes) => document.querySelector(yes ? '[data-testid=confirm-yes]' : '[data-testid=confirm-no]').click(), yes);
  return asked;
}

/**
 * What Sealmark wrote into the webmail's compose field once the editor's
 * encryption went through; on a time-out, fails with what the editor says.
 * @param {import('./browser.mjs').Session} browser
 * @returns {Promise<string>}
 */
export async function insertedText(browser) {
  try {
    return await browser.waitFor(() => document.querySelector('[data-sealmark-compose=encrypted]')?.innerText);
  } catch (error) {
    const said = await browser.inFrame(EDITOR, () => document.getElementById('status').textContent).catch(() => '(no editor)');
    throw new Error(`${error.message}; the editor says: ${said}`);
  }
}

/**
 * Restores the key backup in the key manager's import field, run in that page (pass it to
 * `evaluate` or `inWindow`): *Check key*, the setup code, then the preview of the key it holds,
 * which must be shown before anything is stored, a new passphrase, and *Import*.
 * @param {string} code
 * @param {string} lockPassphrase
 * @returns {Promise<{previewed: string[], storedBefore: number, result: string}>} the previewed
 *   user IDs, how many keys the keyring held before Import, and what the page said after it
 */
export async function restoreInKeyManager(code, lockPassphrase) {
  const until = async (found) => {
    for (const end = Date.now() + 60_000; !found();) { if (Date.now() > end) throw new Error('waited 60 s, still: !found()'); await new Promise((resolve) => setTimeout(resolve, 50)); }
    return found();
  };
  const ask = (type) => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type });
  document.getElementById('import-preview').click();
  const dialog = await until(() => document.querySelector('dialog[open]'));
  dialog.querySelector('[name=code]').value = code;
  dialog.querySelector('[data-testid=dialog-confirm]').click();
  await until(() => document.querySelector('[data-testid=import-confirm]') || document.querySelector('#import-result .error'));
  const previewed = [...document.querySelectorAll('[data-testid=import-item] strong')].map((item) => item.textContent);
  const storedBefore = (await ask('keys.list')).result.keys.length;
  const lock = document.getElementById('import-lock');
  if (lock) lock.value = lockPassphrase;
  document.querySelector('[data-testid=import-confirm]')?.click();
  await until(() => document.querySelector('#import-result .status.ok') || document.querySelector('#import-result .status.error, #import-result .error'));
  return { previewed, storedBefore, result: document.getElementById('import-result').textContent };
}

/**
 * Opens the options page and waits until its script has drawn the parts it draws (the Generate
 * form, the webmail sites), as a person sees them.
 * @param {import('./browser.mjs').Session} browser
 */
export async function openOptions(browser) {
  await browser.goto(browser.extensionUrl('pages/options/options.html'));
  await browser.waitFor(() => document.getElementById('gen-submit') && document.getElementById('site-input'));
}
