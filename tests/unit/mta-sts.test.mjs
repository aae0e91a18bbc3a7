// MTA-STS policy text (RFC 8461 §3.2) and mx patterns, without a network.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_AGE, mxMatches, parsePolicy } from '../../extension/background/mta-sts-policy.js';

test('a valid STSv1 policy is read; anything else is no policy', () => {
  assert.deepEqual(parsePolicy('version: STSv1\r\nmode: enforce\r\nmx: mx1.example.net\r\nmx: *.example.net\r\nmax_age: 604800\r\n'), {
    mode: 'enforce', mx: ['mx1.example.net', '*.example.net'], maxAge: 604800,
  });
  assert.deepEqual(parsePolicy('version: STSv1\nmode: none\nmax_age: 86400'), { mode: 'none', mx: [], maxAge: 86400 });
  assert.equal(parsePolicy('version: STSv1\nmode: enforce\nmax_age: 9999999999\nmx: a.example').maxAge, MAX_AGE);
  for (const bad of ['', 'version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1', 'version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1',
    'version: STSv1\nmode: enforce\nmax_age: 86400', 'version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1', '<html>not found</html>']) {
    assert.equal(parsePolicy(bad), null, bad);
  }
});

test('mx patterns match one name or one more label, never more', () => {
  assert.equal(mxMatches('mx.example.net', ['mx.example.net']), true);
  assert.equal(mxMatches('MX1.Example.Net.', ['*.example.net']), true);
  assert.equal(mxMatches('a.b.example.net', ['*.example.net']), false);
  assert.equal(mxMatches('example.net', ['*.example.net']), false);
  assert.equal(mxMatches('mx.evil-example.net', ['*.example.net']), false);
});
