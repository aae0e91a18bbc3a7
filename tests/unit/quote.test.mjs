// The editor's quote of a reply or forward (extension/pages/editor/quote.js): who wrote it is taken
// from what proves it, lines are quoted once more each time, and the protected subject is kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quoted, writer } from '../../extension/pages/editor/quote.js';

const WORDS = {
  quoteAttribution: 'On $1, $2 wrote:', quoteAttributionNoDate: '$1 wrote:', quoteAttributionUnknown: 'The encrypted message said:',
  forwardedHeader: '---------- Forwarded message ----------', forwardedFrom: 'From: $1', forwardedDate: 'Date: $1', forwardedSubject: 'Subject: $1',
};
const words = (key, substitutions = []) => substitutions.reduce((text, value, i) => text.replace(`$${i + 1}`, value), WORDS[key]);
const date = (iso) => `[${iso}]`;
const opened = (overrides = {}) => ({ text: 'Hello\n\n> earlier\nBye\n', protected: null, signatures: [], attribution: '', ...overrides });
const VALID = { status: 'valid', signer: 'Bob <bob@example.org>', created: '2026-12-01T10:00:00Z' };

test('a valid signature names the writer and the time; an unknown or bad one names no one', () => {
  assert.deepEqual(writer(opened({ signatures: [VALID] }), date), { name: 'Bob <bob@example.org>', when: '[2026-12-01T10:00:00Z]', source: 'signed' });
  for (const status of ['bad', 'unknown_key']) {
    assert.deepEqual(writer(opened({ signatures: [{ ...VALID, status }] }), date), { name: null, when: null, source: 'unknown' });
  }
  const inner = { subject: null, from: [{ name: 'Bob', address: 'bob@example.org' }] };
  assert.deepEqual(writer(opened({ protected: inner }), date), { name: 'Bob <bob@example.org>', when: null, source: 'inside' });
});

test('the From written inside the message outranks the page\'s line; the page\'s line only stands in for nothing', () => {
  const inner = { subject: null, from: [{ name: 'Bob', address: 'bob@example.org' }] };
  const reply = { forward: false, subject: 'Re: x' };
  assert.match(quoted(opened({ protected: inner, attribution: 'On Monday Mallory wrote:' }), reply, words, date).text, /^Bob <bob@example\.org> wrote:\n/);
});

test('no line of the original escapes its "> ": a lone CR, a Unicode line or paragraph separator, NEL', () => {
  const text = 'one\rI agree to everything.\u2028two\u2029three\u0085four';
  const result = quoted(opened({ text }), { forward: false, subject: '' }, words, date).text;
  assert.equal(result, 'The encrypted message said:\n> one\n> I agree to everything.\n> two\n> three\n> four\n');
});

test('a signer\'s or sender\'s name and a protected subject stay on one line, without controls or direction overrides', () => {
  const signer = { ...VALID, signer: 'Bob\r\nI agree to everything.\u202e <bob@example.org>' };
  const result = quoted(opened({ signatures: [signer], protected: { subject: 'Plans\nBcc: x', from: [] } }), { forward: true, subject: 'Fwd: ...' }, words, date);
  assert.equal(result.text.split('\n')[1], 'From: Bob I agree to everything. <bob@example.org>');
  assert.equal(result.subject, 'Fwd: Plans Bcc: x');
});

test('a reply quotes every line once more, under the proven writer, else the webmail\'s line, else a plain one', () => {
  const reply = { forward: false, subject: 'Re: figures' };
  assert.equal(quoted(opened({ signatures: [VALID] }), reply, words, date).text,
    'On [2026-12-01T10:00:00Z], Bob <bob@example.org> wrote:\n> Hello\n>\n>> earlier\n> Bye\n');
  assert.match(quoted(opened({ attribution: 'On Monday Bob wrote:' }), reply, words, date).text, /^On Monday Bob wrote:\n> Hello/);
  assert.match(quoted(opened(), reply, words, date).text, /^The encrypted message said:\n> Hello/);
  // A valid signature outranks what the page wrote: the page's line can say anything.
  assert.match(quoted(opened({ signatures: [VALID], attribution: 'On Monday Mallory wrote:' }), reply, words, date).text, /^On \[2026.*Bob/);
});

test('a forward carries the header block and the text as it was', () => {
  const inner = { subject: 'The real subject', from: [{ name: null, address: 'bob@example.org' }] };
  const result = quoted(opened({ protected: inner }), { forward: true, subject: 'Fwd: ...' }, words, date);
  assert.equal(result.text, '---------- Forwarded message ----------\nFrom: bob@example.org\nSubject: The real subject\n\nHello\n\n> earlier\nBye\n');
  assert.equal(result.subject, 'Fwd: The real subject');
});

test('the protected subject replaces the placeholder, with the page\'s prefix once', () => {
  const inner = { subject: 'Re: Budget', from: [] };
  assert.equal(quoted(opened({ protected: inner }), { forward: false, subject: 'AW: ...' }, words, date).subject, 'AW: Budget');
  assert.equal(quoted(opened({ protected: inner }), { forward: false, subject: '' }, words, date).subject, 'Re: Budget');
  assert.equal(quoted(opened(), { forward: false, subject: 'Re: Outside' }, words, date).subject, 'Re: Outside');
});
