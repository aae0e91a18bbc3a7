// The packaged extension in a real browser against the mail lab: Roundcube
// enabled in the options, a message encrypted and signed in Sealmark's editor
// and sent through Roundcube and the lab's MTAs, then opened: it decrypts with
// a valid signature and the badge strip shows the route the lab really used —
// each hop's TLS as the receiving MTA logged it. Both skins Roundcube users
// meet, Elastic and Larry (the lab serves Larry to a browser holding its
// cookie lab_skin=larry).
//   E2E_BROWSER=chromium|firefox node --test tests/lab/roundcube.test.mjs   (lab up first)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BROWSER, WAIT_MS, launch } from '../e2e/lib/browser.mjs';
import { gnupg } from '../e2e/lib/gpg.mjs';
import { EDITOR, READER, armed as armedIn, ask as askIn, decryptInReader, openEditor, press, quoteInEditor, restoreInKeyManager } from '../e2e/lib/sealmark.mjs';
import { LAB, ROUNDCUBE_URL, addIdentity, delivered, labIsUp, submit } from './lib/lab.mjs';
import { assertStripMatchesLab, enableRoundcube, readStrip, showMessage, signIn } from './lib/roundcube.mjs';

const PASSPHRASE = 'Alice in the mail lab, a long passphrase';
const run = Date.now().toString(36);

/**
 * In the page: Roundcube's Send clicked unless Roundcube is busy with a
 * request of its own (it ignores every command then, such as its refresh
 * every 60 s); true once Roundcube took it, which it says at once, before it
 * sends and leaves the compose screen. Polled until it did.
 */
const sendTaken = (send) => {
  if (!window.rcmail.busy) document.querySelector(send).click();
  return window.rcmail.last_command === 'send';
};

/** Where the skins differ for a person using them: the To field and the Send button. */
const SKINS = {
  elastic: { to: '#compose_to input[type=text]', send: 'button.btn.send' },
  larry: { to: 'textarea#_to', send: 'a.button.send' },
};

for (const [skin, ui] of Object.entries(SKINS)) describe(`Roundcube (${skin}) in the mail lab, ${BROWSER}`, () => {
  let browser;
  let gpg;

  before(async () => {
    assert.ok(labIsUp(), 'the mail lab is not up: run tests/lab/up.sh');
    gpg = gnupg(['Bob <bob@sender.lab>']);
    browser = await launch({ grantOrigins: [ROUNDCUBE_URL] });
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    await askIn(browser, 'keys.generate', { name: 'Alice', email: LAB.LAB_USER, passphrase: PASSPHRASE });
    await enableRoundcube(browser);
    await signIn(browser, LAB.LAB_USER, skin);
  });
  after(async () => {
    await browser?.close();
    gpg?.cleanup();
  });

  /**
   * Waits until the editor accepts clicks. Roundcube's compose form scrolls
   * under a fixed Send bar, so the editor is first scrolled into full view,
   * as a person would (the click guard refuses a covered button).
   */
  async function armed() {
    // The editor grows when it shows more (the passphrase row): scrolled once its height has settled.
    await browser.waitFor(async () => {
      const height = () => document.querySelector('iframe[data-sealmark-frame=compose]').offsetHeight;
      const before = height();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return height() === before;
    });
    // Centred: Chromium counts the frame as covered if Roundcube's fixed Send bar touches it even by a fraction of a pixel.
    await browser.evaluate(() => document.querySelector('iframe[data-sealmark-frame=compose]').scrollIntoView({ block: 'center' }));
    await armedIn(browser, EDITOR);
  }

  /** The UID of a delivered message, found by subject in Roundcube's list of the inbox. */
  async function uidOf(subject) {
    await browser.goto(`${ROUNDCUBE_URL}?_task=mail&_mbox=INBOX`);
    return browser.waitFor((subject) => {
      const row = [...document.querySelectorAll('#messagelist tbody tr')].find((tr) => tr.textContent.includes(subject));
      // Roundcube names rows "rcmrow" + the uid in URL-safe base64.
      return row && atob(row.id.replace(/^rcmrow/, '').replace(/-/g, '+').replace(/_/g, '/'));
    }, [subject]);
  }

  /** Opens a delivered message in Roundcube's message view, found by subject in the list. */
  async function openMessage(subject) {
    await showMessage(browser, await uidOf(subject));
  }

  /**
   * Where the strip sits: at the top of the message body's column, below the
   * message's header block (not under the toolbar) and overlapping nothing.
   */
  async function stripPlace() {
    return browser.waitFor(() => {
      const strip = document.querySelector('[data-sealmark-strip]');
      const header = document.querySelector('#message-header, #messageheader').getBoundingClientRect();
      const box = strip?.getBoundingClientRect();
      const body = document.getElementById('messagebody').getBoundingClientRect();
      return box?.height > 0 && { after: strip.previousElementSibling.id, belowHeader: box.top >= header.bottom - 1, aboveBody: box.bottom <= body.top + 1 };
    });
  }

  /** The strip's badges as a person sees them, once drawn. */
  const strip = () => readStrip(browser);

  /** In the page: the armored text in whichever Roundcube editor is shown, once Sealmark wrote it there. */
  const ciphertextInPage = () => {
    const html = document.querySelector('input[name="_is_html"]').value === '1';
    const text = html ? document.querySelector('iframe#composebody_ifr').contentDocument.body.innerText : document.getElementById('composebody').value;
    return text.includes('-----BEGIN PGP MESSAGE-----') && text;
  };

  /**
   * Writes `secret` in Sealmark's editor on Roundcube's compose screen (its
   * plain-text or HTML editor), encrypts and signs it to the lab user, checks
   * that Roundcube holds only ciphertext, and sends.
   */
  async function composeEncrypted(subject, secret, { html = false } = {}) {
    await browser.goto(`${ROUNDCUBE_URL}?_task=mail&_action=compose`);
    await browser.waitFor(() => document.getElementById('composebody') && document.documentElement.dataset.sealmarkAdapter);
    if (html) {
      // Roundcube's own toggle in its editor toolbar, then TinyMCE's editable frame.
      // Taken at once (Roundcube's own format flag) unless Roundcube was busy: then clicked again.
      await browser.waitFor(() => document.querySelector('input[name="_is_html"]').value === '1' || (!window.rcmail.busy && void document.querySelector('#composebodycontainer .editor-toolbar a.mce-i-html').click()));
      await browser.waitFor(() => document.querySelector('iframe#composebody_ifr')?.contentDocument?.body?.isContentEditable);
    }
    // Typed as a person does: Roundcube's recipient widget turns "address," into a recipient.
    await browser.type(ui.to, `${LAB.LAB_USER},`);
    await browser.type('#compose-subject', subject);
    await openEditor(browser);
    const recipients = await browser.waitInFrame(EDITOR, () => {
      const items = [...document.querySelectorAll('[data-testid=recipient]')];
      return items.length && items.map((item) => `${item.firstChild.textContent}:${item.dataset.hasKey}`);
    });
    assert.deepEqual(recipients, [`${LAB.LAB_USER}:yes`]);
    await armed();
    await browser.screenshot(`lab-roundcube-${skin}-editor${html ? '-html' : ''}.png`);
    await browser.inFrame(EDITOR, (secret) => {
      document.getElementById('plaintext').value = secret;
    }, secret);
    await armed();
    await press(browser, EDITOR, '#encrypt');
    // The passphrase is asked for unless remembered from an earlier message.
    const body = () => browser.evaluate(ciphertextInPage);
    let written = null;
    for (const end = Date.now() + WAIT_MS; !written && Date.now() < end;) {
      written = await body();
      const editorOpen = await browser.evaluate(() => Boolean(document.querySelector('iframe[data-sealmark-frame=compose]')));
      if (!written && editorOpen && (await browser.inFrame(EDITOR, () => !document.getElementById('passphrase-row').hidden).catch(() => false))) {
        await armed();
        await press(browser, EDITOR, '#encrypt', { passphrase: PASSPHRASE });
        written = await browser.waitFor(ciphertextInPage);
      }
      if (!written) await new Promise((resolve) => setTimeout(resolve, 150));
    }
    assert.ok(written, 'the ciphertext was written into Roundcube');
    assert.ok(!written.includes(secret), 'Roundcube only ever holds the ciphertext');
    await browser.screenshot(`lab-roundcube-${skin}-compose${html ? '-html' : ''}.png`);
    await browser.waitFor(sendTaken, [ui.send]);
  }

  /** Opens the message, decrypts it in Sealmark's reader and returns what the reader shows. */
  async function readDecrypted(subject) {
    await openMessage(subject);
    await browser.waitInFrame(READER, () => !document.getElementById('decrypt-actions').hidden);
    await decryptInReader(browser, PASSPHRASE);
    return browser.waitInFrame(READER, () => {
      const text = document.getElementById('plaintext');
      const signature = document.querySelector('[data-testid=signature]');
      return !text.hidden && signature && { text: text.textContent.trim(), status: signature.dataset.status };
    });
  }

  test('a message encrypted and signed in Roundcube travels the lab, decrypts with a valid signature, and the strip shows its route', async () => {
    const subject = `Sealed in the lab ${skin} ${run}`;
    const secret = `Only Alice reads this (${BROWSER}).`;
    await composeEncrypted(subject, secret);
    const file = await delivered(subject);
    const shown = await readDecrypted(subject);
    assert.deepEqual(shown, { text: secret, status: 'valid' });

    const route = await strip();
    const report = assertStripMatchesLab(route, file);
    assert.equal(report.hops[0].protocol_family, 'HTTP', 'Roundcube wrote the first hop');
    assert.equal(report.hops.at(-1).protocol, 'LMTP', 'Dovecot wrote the last hop');
    assert.match(route.sentence, /external hops encrypted \(TLS 1\.3\)/);
    assert.deepEqual(await stripPlace(), { after: 'aria-label-messagebody', belowHeader: true, aboveBody: true });
    await browser.screenshot(`lab-roundcube-${skin}-read.png`);
  });

  test("a reply in Roundcube quotes the decrypted original under Roundcube's own line, carries a file, travels the lab and reads back with both", async () => {
    const subject = `Sealed in the lab ${skin} ${run}`;
    const secret = `Only Alice reads this (${BROWSER}).`;
    // Roundcube's Reply: its compose screen with the original quoted ("> ") under "On DATE, NAME wrote:".
    await browser.goto(`${ROUNDCUBE_URL}?_task=mail&_action=compose&_reply_uid=${await uidOf(subject)}&_mbox=INBOX`);
    const quotedByRoundcube = await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter && document.getElementById('composebody')?.value);
    assert.match(quotedByRoundcube, /wrote:\n> -----BEGIN PGP MESSAGE-----/);
    await openEditor(browser);
    await armed();
    const written = await quoteInEditor(browser, PASSPHRASE);
    assert.match(written, new RegExp(`^\\n\\nOn .+, Alice <${LAB.LAB_USER}> wrote:\\n> ${secret.replace(/[.()]/g, '\\$&')}\\n$`));
    await browser.inFrame(EDITOR, () => {
      const area = document.getElementById('plaintext');
      area.value = `Answered in the lab.${area.value}`;
      // A file with the answer, from the file chooser.
      const chosen = new DataTransfer();
      chosen.items.add(new File(['Minutes of the lab meeting: caf\u00e9 at 10.\n'], 'minutes.txt', { type: 'text/plain' }));
      const input = document.getElementById('file-input');
      input.files = chosen.files;
      input.dispatchEvent(new Event('change'));
    });
    await browser.waitInFrame(EDITOR, () => document.querySelectorAll('[data-testid=file]').length === 1);
    await armed();
    await press(browser, EDITOR, '#encrypt');
    // Roundcube's field held the quoted original already: what counts is Sealmark's answer replacing it.
    const inPage = await browser.waitFor(() => document.querySelector('[data-sealmark-compose=encrypted]') && document.getElementById('composebody').value);
    assert.match(inPage, /^-----BEGIN PGP MESSAGE-----/);
    assert.ok(!inPage.includes(secret), 'Roundcube only ever holds the ciphertext');
    await browser.screenshot(`lab-roundcube-${skin}-reply.png`);
    await browser.waitFor(sendTaken, [ui.send]);
    await delivered(`Re: ${subject}`);
    const shown = await readDecrypted(`Re: ${subject}`);
    assert.equal(shown.status, 'valid');
    assert.match(shown.text, /^Answered in the lab\.\r?\n\r?\nOn .+ wrote:\r?\n> Only Alice reads this/);
    // The file came through Roundcube and the lab's MTAs inside the encrypted message, as it was sent.
    await press(browser, READER, '[data-name="minutes.txt"] [data-testid=file-look]');
    assert.equal(await browser.waitInFrame(READER, () => document.querySelector('[data-name="minutes.txt"] pre')?.textContent), 'Minutes of the lab meeting: caf\u00e9 at 10.\n');
  });

  test("Roundcube's identities: the editor reads the From the person picks, and says plainly that it has no key of its own", async () => {
    const alias = LAB.LAB_USER.replace('@', '.list@');
    addIdentity(LAB.LAB_USER, 'Alice (list)', alias);
    // Roundcube reads the identities into the session at login: signed in again, as after creating one.
    await browser.goto(`${ROUNDCUBE_URL}?_task=mail&_mbox=INBOX`);
    // Roundcube ignores a command while a request of its own is in flight (the inbox asks for its list
    // after the page has loaded), so Log out is asked for again until the login form is there.
    await browser.waitFor(() => document.getElementById('rcmloginuser') || (window.rcmail?.commands?.logout && !window.rcmail.busy && void window.rcmail.command('logout')));
    await signIn(browser, LAB.LAB_USER, skin);
    /** Picks the identity in Roundcube's own From field, opens the editor and returns what it shows. */
    const sendFrom = async (address) => {
      await browser.goto(`${ROUNDCUBE_URL}?_task=mail&_action=compose`);
      await browser.waitFor(() => document.getElementById('composebody') && document.documentElement.dataset.sealmarkAdapter);
      await browser.evaluate((address) => {
        const from = document.querySelector('select[name=_from]');
        // Shown as "Name <address>", or as the address alone for an identity without a name.
        from.value = [...from.options].find((option) => option.textContent === address || option.textContent.endsWith(`<${address}>`)).value;
        from.dispatchEvent(new Event('change'));
      }, address);
      await openEditor(browser);
      await browser.waitInFrame(EDITOR, () => !document.getElementById('identity-row').hidden);
      return browser.inFrame(EDITOR, () => (document.getElementById('identity-note').hidden ? '' : document.getElementById('identity-note').textContent));
    };
    assert.match(await sendFrom(alias), new RegExp(`no key for ${alias.replace(/\./g, '\\.')}`));
    await browser.screenshot(`lab-roundcube-${skin}-identity.png`);
    assert.equal(await sendFrom(LAB.LAB_USER), '');
  });

  test("a key backup sent to yourself goes through Roundcube's own compose screen and the lab's MTAs, and Roundcube's message view offers it for restoring: the key manager opens it with its setup code", async () => {
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    const [own] = (await askIn(browser, 'keys.list')).result.keys.filter((key) => key.own);
    const made = (await askIn(browser, 'keys.setupMessage', { fingerprint: own.fingerprint, passphrase: PASSPHRASE })).result;
    // Roundcube open in another tab, as the person has it.
    await browser.evaluate((url) => void window.open(`${url}?_task=mail&_mbox=INBOX`, '_blank'), ROUNDCUBE_URL);
    await browser.waitInWindow('_mbox=INBOX', () => document.documentElement.dataset.sealmarkAdapter);
    const webmail = await browser.waitFor(async () => {
      const answer = await (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: 'backup.webmails' });
      return answer.result.find((found) => found.kind === 'roundcube');
    });
    // The attack: the page gives its tab a path the URL parser reads as another host
    // (history.pushState takes any path on its own site). Nothing is offered or sent there.
    const home = await browser.inWindow('_mbox=INBOX', () => {
      const before = location.href;
      history.pushState(null, '', `${location.origin}//evil.example/roundcube/`);
      return before;
    });
    const offers = await browser.waitFor(async () => {
      const ext = globalThis.browser ?? globalThis.chrome;
      if (!(await ext.tabs.query({})).some((tab) => tab.url?.includes('//evil.example/'))) return null;
      return (await ext.runtime.sendMessage({ type: 'backup.webmails' })).result;
    });
    assert.deepEqual(offers.filter((offer) => new URL(offer.place).hostname === 'evil.example'), []);
    assert.equal((await askIn(browser, 'backup.send', { place: 'http://evil.example/roundcube/', profile: webmail.profile, fingerprint: own.fingerprint, armored: made.armored })).error?.code, 'NO_WEBMAIL_TAB');
    await browser.inWindow('//evil.example/', (home) => history.pushState(null, '', home), home);
    await browser.waitFor(async () => (await (globalThis.browser ?? globalThis.chrome).tabs.query({})).some((tab) => tab.url?.includes('_mbox=INBOX')));
    const sent = await askIn(browser, 'backup.send', { place: webmail.place, profile: webmail.profile, fingerprint: own.fingerprint, armored: made.armored });
    assert.equal(sent.result.to, LAB.LAB_USER);
    // Roundcube's compose screen, filled by Roundcube from its own request parameters.
    const subject = `Key backup ${skin} ${run}`;
    const shown = await browser.waitInWindow('_action=compose', (subject) => {
      const body = document.getElementById('composebody');
      const field = document.getElementById('compose-subject');
      // Roundcube takes Send once its client has started (it enables the command then).
      if (!body?.value.includes('Passphrase-Format: numeric9x4') || !field || !window.rcmail?.commands?.send) return null;
      field.value = subject;
      return { body: body.value, to: document.querySelector('#_to, [name=_to]')?.value ?? '', recipients: document.querySelector('#compose_to')?.textContent ?? '' };
    }, [subject]);
    assert.ok(`${shown.to} ${shown.recipients}`.includes(LAB.LAB_USER), `addressed to the lab user: ${JSON.stringify(shown)}`);
    assert.ok(!shown.body.includes(made.code), 'the setup code is not in the message');
    await browser.waitInWindow('_action=compose', sendTaken, [ui.send]);
    await browser.screenshot(`lab-roundcube-${skin}-backup-sent.png`, '_action=compose').catch(() => null);
    await delivered(subject);
    await openMessage(subject);
    const offered = await browser.waitInFrame(READER, () => !document.getElementById('backup').hidden && document.getElementById('restore').textContent);
    assert.equal(offered, 'Restore in Sealmark');
    await browser.screenshot(`lab-roundcube-${skin}-backup.png`);
    // Roundcube shows the text with a blank line after each line: the key manager still opens it with the code.
    await press(browser, READER, '#restore');
    await browser.waitInWindow('pages/options/options.html', () => /numeric9x4/.test(document.getElementById('import-text').value));
    // Locked again with the same passphrase: the tests after this one sign with it.
    const restored = await browser.inWindow('pages/options/options.html', restoreInKeyManager, made.code, PASSPHRASE);
    assert.match(restored.previewed.join(), new RegExp(LAB.LAB_USER.replace('.', '\\.')));
    assert.match(restored.result, /Keys imported: 1/);
    await browser.closeWindow('pages/options/options.html');
  });

  test('a PGP/MIME signature over lines ending in tabs is checked on the source as stored, byte for byte', async () => {
    await browser.goto(browser.extensionUrl('pages/options/options.html'));
    const bob = gpg.exportKey('bob@sender.lab');
    const [preview] = (await askIn(browser, 'keys.previewImport', { armored: bob })).result;
    await askIn(browser, 'keys.import', { armored: bob, fingerprints: [preview.fingerprint] });
    // Roundcube's source view would drop the tab and the carriage returns; the signature covers both.
    const signedPart = 'Content-Type: text/plain; charset=utf-8\r\n\r\nTotals:\t\r\nSigned in the lab.';
    const signature = gpg.detachSign(signedPart, 'bob@sender.lab');
    const subject = `Signed with tabs ${skin} ${run}`;
    submit(LAB.LAB_USER, subject, [
      'MIME-Version: 1.0', 'Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="s"', '',
      '--s', signedPart, '--s', 'Content-Type: application/pgp-signature; name="signature.asc"', '', signature.trim(), '--s--', '',
    ].join('\r\n'), { raw: true });
    await delivered(subject);
    await openMessage(subject);
    const shown = await browser.waitInFrame(READER, () => {
      const signature = document.querySelector('[data-testid=signature]');
      return signature && { status: signature.dataset.status, text: document.getElementById('plaintext').textContent.trim() };
    });
    assert.equal(shown.status, 'valid', JSON.stringify(shown));
    assert.match(shown.text, /Totals:\s+Signed in the lab\./);
    await browser.screenshot(`lab-roundcube-${skin}-signed-tabs.png`);
  });

  if (skin === 'elastic') test("Roundcube's HTML editor: the ciphertext goes into it and the message decrypts with a valid signature", async () => {
    const subject = `Sealed in HTML ${run}`;
    const secret = `Written beside Roundcube's HTML editor (${BROWSER}).`;
    await composeEncrypted(subject, secret, { html: true });
    await delivered(subject);
    assert.deepEqual(await readDecrypted(subject), { text: secret, status: 'valid' });
    await browser.screenshot('lab-roundcube-elastic-read-html.png');
  });

  if (skin === 'elastic') test("Roundcube's Bcc stays blind and its Reply-To and Followup-To are no recipients", async () => {
    await browser.goto(`${ROUNDCUBE_URL}?_task=mail&_action=compose`);
    await browser.waitFor(() => document.getElementById('composebody') && document.documentElement.dataset.sealmarkAdapter);
    await browser.type('#compose_to input[type=text]', `${LAB.LAB_USER},`);
    // Each row shown as the item of Roundcube's "Add header" menu shows it (elastic/ui.js,
    // headersmenu: the row loses its `hidden` class; the menu's pop-up is no part of this test),
    // then typed into as a person does.
    const rows = { bcc: 'blind@rcpt.lab', replyto: 'reply@rcpt.lab', followupto: 'followup@rcpt.lab' };
    for (const [row, address] of Object.entries(rows)) {
      await browser.evaluate((row) => document.getElementById(`compose_${row}`).classList.remove('hidden'), row);
      await browser.type(`#compose_${row} .recipient-input input`, `${address},`);
    }
    const widgets = await browser.evaluate(() => [...document.querySelectorAll('li.recipient')].map((li) => li.textContent.trim()).join(' '));
    for (const address of Object.values(rows)) assert.ok(widgets.includes(address), `${address} is a recipient item in Roundcube: ${widgets}`);
    await openEditor(browser);
    const editor = await browser.waitInFrame(EDITOR, () => {
      const items = [...document.querySelectorAll('[data-testid=recipient]')];
      return items.length && {
        recipients: items.map((item) => item.dataset.address),
        blind: document.querySelector('[data-testid=blind-list]').textContent,
      };
    });
    assert.deepEqual(editor, { recipients: [LAB.LAB_USER], blind: 'blind@rcpt.lab' });
  });

  test("a message clicked in the list gets its strip in Roundcube's preview pane", async () => {
    const subject = `Previewed ${skin} ${run}`;
    submit(`alice-tls12@rcpt.lab`, subject, 'Read in the preview pane.\n');
    await delivered(subject);
    await browser.goto(`${ROUNDCUBE_URL}?_task=mail&_mbox=INBOX`);
    const rowId = await browser.waitFor((subject) => [...document.querySelectorAll('#messagelist tbody tr')].find((tr) => tr.textContent.includes(subject))?.id, [subject]);
    await browser.click(`#${rowId} td.subject`);
    // The pane is a same-origin frame of Roundcube's; Sealmark's strip inside it
    // marks when it has drawn (the content script records the frame's first size report).
    const drawn = await browser.waitFor(() => {
      const pane = document.getElementById('messagecontframe')?.contentDocument;
      const strip = pane?.querySelector('iframe[data-sealmark-frame=route]');
      return strip?.dataset.renderMs !== undefined && pane.location.search.includes('_action=preview');
    });
    assert.ok(drawn);
    await browser.screenshot(`lab-roundcube-${skin}-preview.png`);
  });

  // Each route once, in the default skin: the strip is the same whichever skin shows it.
  if (skin === 'elastic') for (const name of ['tls12', 'plain', 'stripped', 'exim']) {
    test(`the strip of a message that took the ${name} route matches the lab's logs`, async () => {
      const subject = `Route ${name} ${run}`;
      submit(`alice-${name}@rcpt.lab`, subject, `Sent through the ${name} route.\n`);
      const file = await delivered(subject);
      await openMessage(subject);
      const route = await strip();
      assertStripMatchesLab(route, file);
      if (name === 'stripped') assert.match(route.sentence, /plaintext — possible STARTTLS downgrade/);
      if (name === 'plain' || name === 'stripped') assert.ok(route.hops.some((h) => h.tls === 'plaintext'));
      if (name === 'tls12') assert.ok(route.hops.some((h) => h.text.includes('TLS 1.2')));
      await browser.screenshot(`lab-roundcube-route-${name}.png`);
    });
  }
});
