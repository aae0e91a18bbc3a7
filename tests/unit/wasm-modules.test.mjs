// The two Wasm modules built from the one crate (src/wasm/mod.rs): the
// transport module the route strip loads alone must read every route exactly
// as the whole core does, and must hold no OpenPGP at all. Both are the
// release packages `./build.sh` builds, loaded in Node.js.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;
const PKG = join(ROOT, 'target/pkg');
const CORPUS = join(ROOT, 'tests/corpus/transport');

async function load(name) {
  const glue = join(PKG, `${name}.js`);
  assert.ok(existsSync(glue), `${glue} is missing: run ./build.sh first`);
  const module = await import(glue);
  await module.default({ module_or_path: readFileSync(join(PKG, `${name}_bg.wasm`)) });
  return module;
}

const [core, transport] = await Promise.all([load('sealmark'), load('sealmark_transport')]);

test('the transport module reads every route of the corpus as the whole core does', () => {
  const files = readdirSync(CORPUS).filter((name) => name.endsWith('.eml'));
  assert.ok(files.length > 50);
  for (const name of files) {
    const raw = readFileSync(join(CORPUS, name));
    for (const options of [{}, { deliveredOrder: true, trustedDomains: ['example.org'] }]) {
      assert.deepEqual(transport.analyzeMessage(raw, options), core.analyzeMessage(raw, options), name);
    }
    // The strip's one call: the same route, and the outline that decides whether the core is needed.
    const inspected = transport.inspectMessage(raw, { deliveredOrder: true });
    assert.deepEqual(inspected, core.inspectMessage(raw, { deliveredOrder: true }), name);
    assert.deepEqual(inspected.report, transport.analyzeMessage(raw, { deliveredOrder: true }), name);
  }
});

test('the core reads a received message once: its PGP/MIME parts and its Autocrypt field', () => {
  const armored = '-----BEGIN PGP MESSAGE-----\r\n\r\nwcBMA0+aAA==\r\n-----END PGP MESSAGE-----\r\n';
  const header = ['From: Bob <bob@example.org>', 'To: alice@example.org', 'Subject: ...', 'Date: Thu, 3 Dec 2026 10:00:00 +0000', 'Autocrypt: addr=bob@example.org; keydata=bm90IGEga2V5'];
  const encrypted = [
    ...header, 'MIME-Version: 1.0', 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b"', '',
    '--b', 'Content-Type: application/pgp-encrypted', '', 'Version: 1', '', '--b', 'Content-Type: application/octet-stream', '', armored, '--b--', '',
  ].join('\r\n');
  const now = Date.UTC(2026, 11, 4) / 1000;
  const parts = core.readMessage(encrypted, now);
  assert.equal(parts.pgpMime.type, 'encrypted');
  assert.equal(new TextDecoder().decode(parts.pgpMime.ciphertext).trim(), armored.trim());
  assert.equal(parts.pgpMime.outer.subject, '...');
  assert.equal(parts.autocrypt.from, 'bob@example.org');
  assert.equal(parts.autocrypt.effective_date, Date.UTC(2026, 11, 3, 10) / 1000);
  // Its key data is no key: the field is read, and said why it is not used.
  assert.equal(parts.autocrypt.header, null);
  assert.match(parts.autocrypt.ignored ?? '', /./);
  // A message whose header says nothing of PGP/MIME is not read as MIME at all.
  const plain = core.readMessage([...header, '', 'Hello'].join('\r\n'), now);
  assert.deepEqual(plain.pgpMime, { type: 'none' });
  assert.equal(plain.autocrypt.from, 'bob@example.org');
});

test('the transport module holds no OpenPGP', () => {
  for (const name of ['decrypt', 'encrypt', 'generateKey', 'readKey', 'readMessage', 'autocryptUpdate']) {
    assert.equal(typeof core[name], 'function', `the core exports ${name}`);
    assert.equal(transport[name], undefined, `the transport module exports ${name}`);
  }
  assert.equal(transport.version(), core.version());
});

test('its errors carry the same codes', () => {
  const huge = `Subject: ${'x'.repeat(9 << 20)}\r\n\r\n`; // over the 8 MiB a header may have
  const codeOf = (module) => {
    try {
      module.analyzeMessage(huge);
      return null;
    } catch (error) {
      return error.code;
    }
  };
  assert.equal(codeOf(transport), 'HEADER_TOO_LARGE');
  assert.equal(codeOf(core), 'HEADER_TOO_LARGE');
});
