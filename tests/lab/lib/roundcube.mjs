// Roundcube in the mail lab as a person uses it with Sealmark: the site
// enabled in Sealmark's options, signed in, a message opened, and the route
// strip read and held against what the lab's servers logged.
import assert from 'node:assert/strict';
import { LAB, ROUNDCUBE_URL, hopsOf, labLogs, loggedHop } from './lab.mjs';

const ROUTE = 'iframe[data-sealmark-frame=route]';

/** Enables Sealmark for Roundcube's origin the way a person does it, in the options page. */
export async function enableRoundcube(browser) {
  await browser.goto(browser.extensionUrl('pages/options/options.html'));
  // The page draws the form once its words are ready.
  await browser.waitFor(() => document.getElementById('site-input'));
  await browser.evaluate((url) => {
    document.getElementById('site-input').value = url;
  }, ROUNDCUBE_URL);
  await browser.click('#add-site button[type=submit]');
  await browser.waitFor((origin) => document.querySelector('[data-testid=added-site]')?.textContent.includes(origin), [new URL(ROUNDCUBE_URL).origin]);
}

/** Signs in to Roundcube as `user` in `skin` (the lab serves Larry to a browser holding its cookie). */
export async function signIn(browser, user, skin = 'elastic') {
  await browser.goto(ROUNDCUBE_URL);
  await browser.evaluate((skin) => (document.cookie = `lab_skin=${skin}; path=/`), skin);
  await browser.goto(ROUNDCUBE_URL);
  await browser.waitFor(() => document.getElementById('rcmloginuser'));
  assert.equal(await browser.evaluate(() => document.querySelector('link[href*="skins/"]')?.getAttribute('href').split('/')[1]), skin, `Roundcube serves ${skin}`);
  await browser.evaluate((user, password) => {
    document.getElementById('rcmloginuser').value = user;
    document.getElementById('rcmloginpwd').value = password;
  }, user, LAB.LAB_PASSWORD);
  await browser.click('#rcmloginsubmit');
  await browser.waitFor(() => document.getElementById('messagelist'));
}

/** Opens a message in Roundcube's message view by its IMAP UID. */
export async function showMessage(browser, uid) {
  await browser.goto(`${ROUNDCUBE_URL}?_task=mail&_mbox=INBOX&_uid=${uid}&_action=show`);
  assert.equal(await browser.waitFor(() => document.documentElement.dataset.sealmarkAdapter), 'roundcube', 'the page is Roundcube');
}

/** The strip's badges as a person sees them, once drawn. */
export function readStrip(browser) {
  return browser.waitInFrame(ROUTE, () => {
    const badges = [...document.querySelectorAll('[data-testid=strip-hop]')];
    const sentence = document.querySelector('[data-testid=route-sentence]')?.textContent;
    return badges.length && sentence && {
      sentence,
      hops: badges.map((b) => ({ tls: b.dataset.tls, internal: b.dataset.internal === 'true', text: b.textContent.trim() })),
    };
  });
}

/**
 * Each badge against the lab: hops written by a lab MTA show what that MTA
 * logged for the session (green with its TLS version, or red); the others
 * (HTTP from Roundcube, LMTP into Dovecot) are internal.
 * @returns the report of `sealmark hops` for the delivered file
 */
export function assertStripMatchesLab(shown, file) {
  const report = hopsOf(file);
  const logs = labLogs();
  assert.equal(shown.hops.length, report.hops.length, 'one badge per hop');
  report.hops.forEach((hop, index) => {
    const badge = shown.hops[index];
    const logged = loggedHop(hop, logs);
    const label = `badge ${index + 1} (${hop.protocol} by ${hop.by})`;
    if (!logged) {
      assert.equal(badge.internal, true, `${label}: written by no lab MTA, so internal`);
      return;
    }
    assert.equal(badge.tls, logged.tls ? 'encrypted' : 'plaintext', `${label}: the MTA logged ${logged.tls ?? 'no TLS'}`);
    if (logged.tls) assert.ok(badge.text.includes(logged.tls.replace('TLSv', 'TLS ')), `${label}: shows ${logged.tls}, not "${badge.text}"`);
  });
  return report;
}
