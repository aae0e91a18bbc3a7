// One address rule: the extension's synchronous addressOf (shared/addresses.js)
// answers as the core's (src/header/address.rs, exported by the transport
// module) for user IDs and From values as mail software writes them, and for
// generated odd ones.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { addressOf } from '../../extension/shared/addresses.js';

const PKG = join(new URL('../..', import.meta.url).pathname, 'target/pkg');
assert.ok(existsSync(join(PKG, 'sealmark_transport.js')), 'run ./build.sh first');
const transport = await import(join(PKG, 'sealmark_transport.js'));
await transport.default({ module_or_path: readFileSync(join(PKG, 'sealmark_transport_bg.wasm')) });

const WRITTEN = [
  'Alice <alice@example.org>', 'alice@example.org', '  Bob@Example.ORG  ', '"Doe, Jane" <jane@example.org>',
  'Alice <alice@example.org> (work)', '<alice@example.org>', 'Alice', 'Alice <>', 'a@example.org, b@example.org',
  'a@example.org,b@example.org', 'a b@example.org', 'Ünïcödé <ÜSER@EXAMPLE.ORG>', 'x <a@b> y <c@d>', '> a@b <',
  'tab\t<a@example.org>', '\u00a0a@example.org\u00a0', '\ufeffa@example.org', 'a@example.org\u2028', 'Name <a@example.org',
  'Name a@example.org>', '@', '', ' ', 'İ@example.org', 'K@example.org', 'a@example.org;b@example.org',
  'Team <a@example.org;b@example.org>', 'a@b@example.org', 'a<b@example.org', '"j.doe"@example.org',
];

test('the extension finds the address the core finds, in user IDs and From values as written', () => {
  for (const text of WRITTEN) assert.equal(addressOf(text), transport.addressOf(text) ?? null, JSON.stringify(text));
});

test('and in generated odd ones', () => {
  const pieces = ['a', 'B', '@', '<', '>', ',', ';', ' ', '\t', '"', '.', 'é', 'İ', '\u00a0', '\u2003', '\ufeff', 'x@y.z', '(c)'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 20000; i++) {
    const text = Array.from({ length: 1 + (next() % 9) }, () => pieces[next() % pieces.length]).join('');
    assert.equal(addressOf(text), transport.addressOf(text) ?? null, JSON.stringify(text));
  }
});
