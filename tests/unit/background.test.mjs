// The extension's pure rules, without a browser: which domains a key look-up
// may ask, what is kept when a store is full, how strong a passphrase must be.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { publicDomain } from '../../extension/background/public-domain.js';
import { LIMITS, keepNewest } from '../../extension/background/limits.js';
import { MIN_SCORE, passphraseStrength } from '../../extension/shared/strength.js';

test('look-ups ask public domains only', () => {
  for (const address of ['bob@example.org', 'x@EXAMPLE.ORG', 'x@bücher.de', 'x@mail.co.uk']) assert.equal(publicDomain(address), true, address);
  for (const address of ['x@127.0.0.1', 'x@[10.0.0.1]', 'x@[::1]', 'x@0x7f.1', 'x@localhost', 'x@intranet', 'x@printer.local',
    'x@router.home.arpa', 'x@nas.internal', 'x@box.lan', 'x@site.test', 'x@hidden.onion', 'nobody', '@example.org']) {
    assert.equal(publicDomain(address), false, address);
  }
});

test('a full store keeps the newest entries', () => {
  const peers = Object.fromEntries(Array.from({ length: LIMITS.autocryptPeers + 50 }, (_, i) => [`p${i}@example.org`, { last_seen: i }]));
  const kept = keepNewest(peers, LIMITS.autocryptPeers, (peer) => peer.last_seen);
  assert.equal(Object.keys(kept).length, LIMITS.autocryptPeers);
  assert.ok(!('p0@example.org' in kept) && `p${LIMITS.autocryptPeers + 49}@example.org` in kept);
  const few = { a: { last_seen: 1 } };
  assert.equal(keepNewest(few, 10, (p) => p.last_seen), few);
});

test('new passphrases must be at least fair', () => {
  for (const weak of ['', 'short', 'password1234', 'aaaaaaaaaaaa']) assert.ok(passphraseStrength(weak).score < MIN_SCORE, weak);
  for (const fine of ['correct horse battery staple', 'Tr4m-Gleis-7!']) assert.ok(passphraseStrength(fine).score >= MIN_SCORE, fine);
});
