// Sending a key backup to oneself (extension/shared/compose-url.js) and recognising one
// (extension/shared/setup-message.js): each webmail's own compose address, for the account and
// the folder open in the tab, with the fields as the webmail reads them back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountPlace, composeUrl } from '../../extension/shared/compose-url.js';
import { isSetupMessage } from '../../extension/shared/setup-message.js';

const fields = { to: 'nina@example.org', subject: 'Autocrypt Setup Message', body: 'Keep this.\n\n-----BEGIN PGP MESSAGE-----\nPassphrase-Format: numeric9x4\n\nwx4E+/=\n-----END PGP MESSAGE-----\n' };

test("Gmail: the compose view of the account open in the tab, a delegated mailbox's too", () => {
  const url = new URL(composeUrl('gmail', 'https://mail.google.com/mail/u/1/#inbox/FMfcgz', fields));
  assert.equal(url.pathname, '/mail/u/1/');
  assert.deepEqual(Object.fromEntries(url.searchParams), { view: 'cm', fs: '1', to: fields.to, su: fields.subject, body: fields.body });
  assert.equal(new URL(composeUrl('gmail', 'https://mail.google.com/mail/b/abc123/u/0/#inbox', fields)).pathname, '/mail/b/abc123/u/0/');
  assert.equal(new URL(composeUrl('gmail', 'https://mail.google.com/', fields)).pathname, '/mail/');
});

test("Outlook: the compose deeplink on the tab's own host", () => {
  const url = new URL(composeUrl('outlook', 'https://outlook.office.com/mail/inbox/id/AAQk', fields));
  assert.equal(`${url.origin}${url.pathname}`, 'https://outlook.office.com/mail/deeplink/compose');
  assert.deepEqual(Object.fromEntries(url.searchParams), { to: fields.to, subject: fields.subject, body: fields.body });
});

test("Roundcube: the compose action in the folder it is installed in, every field a request parameter", () => {
  const url = new URL(composeUrl('roundcube', 'https://example.net/roundcube/?_task=mail&_mbox=INBOX', fields));
  assert.equal(url.pathname, '/roundcube/');
  assert.deepEqual(Object.fromEntries(url.searchParams), { _task: 'mail', _action: 'compose', _to: fields.to, _subject: fields.subject, _body: fields.body });
  assert.equal(new URL(composeUrl('roundcube', 'http://127.0.0.1:8480/?_task=mail', fields)).pathname, '/');
  // Roundcube takes a body with "<" for HTML and washes it: a backup's text has none.
  assert.ok(!fields.body.includes('<'));
});

test('a webmail without such an address gets none', () => {
  assert.equal(composeUrl('generic', 'https://webmail.example/', fields), null);
  assert.equal(accountPlace('generic', 'https://webmail.example/'), null);
});

test("the account a tab has open: an inbox and its compose windows are one, another Gmail account or Roundcube folder is another", () => {
  const place = (kind, url) => accountPlace(kind, url)?.href;
  assert.equal(place('gmail', 'https://mail.google.com/mail/u/1/#inbox'), place('gmail', 'https://mail.google.com/mail/u/1/?view=cm&fs=1&to=x'));
  assert.notEqual(place('gmail', 'https://mail.google.com/mail/u/0/#inbox'), place('gmail', 'https://mail.google.com/mail/u/1/#inbox'));
  assert.equal(place('gmail', 'https://mail.google.com/mail/u/1/#inbox'), 'https://mail.google.com/mail/u/1/');
  assert.equal(place('outlook', 'https://outlook.live.com/mail/0/inbox/id/AAQk'), 'https://outlook.live.com/');
  assert.equal(place('outlook', 'https://outlook.live.com/mail/deeplink/compose?to=x'), 'https://outlook.live.com/');
  assert.notEqual(place('roundcube', 'https://example.net/roundcube/?_task=mail'), place('roundcube', 'https://example.net/mail/?_task=mail'));
  assert.equal(place('roundcube', 'https://example.net/roundcube/?_task=mail&_action=compose'), 'https://example.net/roundcube/');
});

test("a page's path that would read as another host leads nowhere: the backup stays on the tab's own site", () => {
  // history.pushState can give an enabled site's tab any path; "//evil.example/" is a host to the URL parser.
  for (const url of ['https://mail.example.org//evil.example/x', 'https://mail.example.org/\\evil.example/x', 'https://mail.example.org//evil.example/']) {
    assert.equal(accountPlace('roundcube', url), null, url);
    assert.equal(composeUrl('roundcube', url, fields), null, url);
  }
  assert.equal(accountPlace('roundcube', 'https://mail.example.org/a//b/')?.origin, 'https://mail.example.org');
});

test('a setup message is told by its armor header alone', () => {
  assert.equal(isSetupMessage(fields.body), true);
  assert.equal(isSetupMessage(fields.body.replace('\n', '\r\n').replace('numeric9x4\n', 'numeric9x4\r\n')), true);
  assert.equal(isSetupMessage('-----BEGIN PGP MESSAGE-----\n\nwx4E\n-----END PGP MESSAGE-----\n'), false);
  assert.equal(isSetupMessage('Someone wrote Passphrase-Format: numeric9x4 in a sentence'), false);
  // Quoted or indented as mail clients pass it on; never beyond a backup's size.
  assert.equal(isSetupMessage(fields.body.split('\n').map((line) => `> ${line}`).join('\n')), true);
  assert.equal(isSetupMessage(`${fields.body}${'A'.repeat(64 * 1024)}`), false);
});
