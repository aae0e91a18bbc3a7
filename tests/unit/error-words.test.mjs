// How an error is said (www/components/error-words.js), for the extension and the Inspector alike.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeError } from '../../www/components/error-words.js';

const GERMAN = {
  error_TOO_LARGE: 'Zu groß: $1',
  error_TAMPERED: 'Diese Nachricht wurde verändert.',
  coreDetail_too_large: 'die Eingabe ist $1 Bytes groß, mehr als die $2 Bytes, die Sealmark hier annimmt',
  error_BAD_MESSAGE: 'Das ist keine lesbare OpenPGP-Nachricht: $1',
};
/** The locale's words, filled as the browsers fill them; a key it lacks comes back as the key. */
const say = (key, substitutions = []) => GERMAN[key]?.replace(/\$(\d)/g, (_, n) => substitutions[n - 1] ?? '') ?? key;

test('a detail given as a locale key is said in the language, inside the sentence for the code', () => {
  const error = { code: 'TOO_LARGE', message: 'the input is 5000 bytes, more than the 4999 bytes Sealmark accepts here', detail: { key: 'coreDetail_too_large', args: ['5000', '4999'] } };
  assert.equal(describeError(error, say), 'Zu groß: die Eingabe ist 5000 Bytes groß, mehr als die 4999 Bytes, die Sealmark hier annimmt');
});

test('a detail without words in the locale, or free text, is said as written', () => {
  assert.equal(describeError({ code: 'BAD_MESSAGE', message: 'unexpected packet' }, say), 'Das ist keine lesbare OpenPGP-Nachricht: unexpected packet');
  const unknown = { code: 'TOO_LARGE', message: 'English words', detail: { key: 'coreDetail_newer', args: [] } };
  assert.equal(describeError(unknown, say), 'Zu groß: English words');
});

test('a code without a sentence shows the detail and the code; a sentence without room drops the detail', () => {
  assert.equal(describeError({ code: 'NEWER_CODE', message: 'what happened' }, say), 'what happened (NEWER_CODE)');
  assert.equal(describeError({ code: 'NEWER_CODE' }, say), 'NEWER_CODE');
  assert.equal(describeError({ code: 'TAMPERED', message: 'integrity check failed' }, say), 'Diese Nachricht wurde verändert.');
  assert.equal(describeError(null, say), 'INTERNAL');
});

test('a detail naming another message, or with hidden characters in its arguments, is not taken as it came', () => {
  const GERMAN_ALSO = { ...GERMAN, keysImported: 'Schlüssel importiert.' };
  const speak = (key, substitutions = []) => GERMAN_ALSO[key]?.replace(/\$(\d)/g, (_, n) => substitutions[n - 1] ?? '') ?? key;
  const pretending = { code: 'TOO_LARGE', message: 'too large', detail: { key: 'keysImported', args: [] } };
  assert.equal(describeError(pretending, speak), 'Zu groß: too large');
  const reordered = { code: 'TOO_LARGE', message: 'x', detail: { key: 'coreDetail_too_large', args: ['5\u202e000', '4\n999'] } };
  assert.equal(describeError(reordered, speak), 'Zu groß: die Eingabe ist 5000 Bytes groß, mehr als die 4 999 Bytes, die Sealmark hier annimmt');
  assert.equal(describeError({ code: 'BAD_MESSAGE', message: 'bad\u202epacket' }, speak), 'Das ist keine lesbare OpenPGP-Nachricht: badpacket');
});
