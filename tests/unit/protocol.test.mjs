// The extension's one message protocol (extension/shared/protocol.js): every request the
// background answers is declared there with who may send it, no other; what a web page's
// content script and a Sealmark frame inside a web page may ask is pinned here, so widening it
// is a deliberate change to this test; and one reply envelope carries results and errors.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DETAIL_KEY, SENDERS, TAB_MESSAGES, failure, resultOf, success } from '../../extension/shared/protocol.js';
import { DETAIL_KEY as SAID_KEY } from '../../www/components/error-words.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const HANDLERS = join(ROOT, 'extension/background/handlers');

/** The request types the background's handler maps define (`  'kind.name': {`). */
function handledTypes() {
  return readdirSync(HANDLERS)
    .filter((name) => name.endsWith('.js'))
    .flatMap((name) => [...readFileSync(join(HANDLERS, name), 'utf8').matchAll(/^ {2}'([a-zA-Z]+\.[a-zA-Z]+)': \{/gm)].map((m) => m[1]));
}

test('every request the background answers is declared with who may send it, and nothing else is', () => {
  const handled = handledTypes();
  assert.equal(new Set(handled).size, handled.length, 'no request type is handled twice');
  assert.deepEqual([...handled].sort(), Object.keys(SENDERS).sort());
  for (const [type, kinds] of Object.entries(SENDERS)) {
    assert.ok(kinds.length > 0 && kinds.every((kind) => ['page', 'frame', 'content'].includes(kind)), type);
  }
});

test('a web page and a frame inside it may ask only what is pinned here', () => {
  const allowed = (kind) => Object.entries(SENDERS).filter(([, kinds]) => kinds.includes(kind)).map(([type]) => type).sort();
  // Content scripts carry ciphertext, armored text, addresses and raw sources only.
  assert.deepEqual(allowed('content'), ['content.hello', 'content.openInspector', 'frame.open', 'transport.open']);
  // Frames act on their own record; key management, settings and backups are the person's own pages' only.
  assert.deepEqual(allowed('frame'), [
    'compose.cancel', 'compose.discardDraft', 'compose.drafts', 'compose.encrypt', 'compose.identities', 'compose.lookUp',
    'compose.previewKey', 'compose.quote', 'compose.recipients', 'compose.restoreDraft', 'compose.saveDraft', 'compose.signOnly',
    'compose.useKey', 'core.status', 'frame.get', 'read.decrypt', 'read.importKey', 'read.previewKey', 'read.restoreBackup',
    'read.verify', 'sign.get',
  ]);
});

test('every request a Sealmark script sends is one the background declares', () => {
  const sources = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) sources.push(path);
    }
  };
  walk(join(ROOT, 'extension'));
  walk(join(ROOT, 'www'));
  const asked = sources.flatMap((path) => [...readFileSync(path, 'utf8').matchAll(/\brequest\('([a-zA-Z]+\.[a-zA-Z]+)'/g)].map((m) => [path, m[1]]));
  assert.ok(asked.length > 40, `${asked.length} requests found`);
  for (const [path, type] of asked) assert.ok(Object.hasOwn(SENDERS, type), `${path} asks ${type}`);
  assert.deepEqual([...TAB_MESSAGES].sort(), ['sealmark.adapter', 'sealmark.cancel', 'sealmark.from', 'sealmark.insert']);
});

test('one envelope: a result comes out, an error comes out with its code, silence is an error too', () => {
  assert.equal(resultOf(success(42), 'NO_BACKGROUND'), 42);
  assert.throws(() => resultOf(failure('BAD_INPUT', 'no'), 'NO_BACKGROUND'), (error) => error.code === 'BAD_INPUT' && error.message === 'no');
  for (const silence of [undefined, null, 'text', {}]) {
    assert.throws(() => resultOf(/** @type {any} */ (silence), 'NO_BACKGROUND'), (error) => error.code === 'NO_BACKGROUND');
  }
});

test("an error's detail travels only as a detail key with text arguments", () => {
  const said = failure('TOO_LARGE', 'Too large.', { key: 'detailRawTooLarge', args: ['8'] });
  assert.deepEqual(said.error.detail, { key: 'detailRawTooLarge', args: ['8'] });
  assert.throws(() => resultOf(said, 'NO_ANSWER'), (error) => error.detail?.key === 'detailRawTooLarge' && error.detail.args[0] === '8');
  // Another message (a success, say), arguments that are not text, or no key: the detail is dropped.
  for (const detail of [{ key: 'keysImported', args: [] }, { key: 'detailRawTooLarge', args: [8] }, { args: [] }, 'detailRawTooLarge', null]) {
    assert.equal(failure('TOO_LARGE', 'Too large.', detail).error.detail, undefined, JSON.stringify(detail));
    const reply = { ok: false, error: { code: 'TOO_LARGE', message: 'Too large.', detail } };
    assert.throws(() => resultOf(reply, 'NO_ANSWER'), (error) => error.detail === undefined);
  }
  assert.equal(String(DETAIL_KEY), String(SAID_KEY), 'the extension and the Inspector admit the same keys');
  assert.ok(DETAIL_KEY.test('coreDetail_key_revoked_because') && !DETAIL_KEY.test('errorWhatever'));
});
