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
    assert.deepEqual(transport.messageOutline(raw), core.messageOutline(raw), name);
  }
});

test('the transport module holds no OpenPGP', () => {
  for (const name of ['decrypt', 'encrypt', 'generateKey', 'readKey', 'parsePgpMime', 'autocryptObserve']) {
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
