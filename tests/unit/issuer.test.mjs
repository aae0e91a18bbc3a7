// A signature names its signer by fingerprint or only by key ID; a rejected key is recognised
// either way (extension/shared/issuer.js), so its signature is said to be a rejected key's and
// never a stranger's whose key could be imported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { names } from '../../extension/shared/issuer.js';

const v4 = {
  primary: { fingerprint: '051E675E0A0C8AF5510D6CC5FB1C2B29FF9F5D87', key_id: 'FB1C2B29FF9F5D87' },
  subkeys: [{ fingerprint: '1401 6DB0 A710 67D5 965F A6E4 78FD 7102 0752 88AC'.replaceAll(' ', ''), key_id: '78FD7102075288AC' }],
};
const v6 = {
  primary: { fingerprint: 'CB186C4F0609A697E4D52DFA6C722B0C1F1E27C18A56708F6525EC27BAD9ACC9', key_id: 'CB186C4F0609A697' },
  subkeys: [],
};

test('a key is named by its fingerprint or its key ID, primary or subkey', () => {
  assert.equal(names(v4, v4.primary.fingerprint), true);
  assert.equal(names(v4, 'FB1C2B29FF9F5D87'), true);
  assert.equal(names(v4, '78fd7102075288ac'), true, 'lower-case hex too');
  assert.equal(names(v4, v4.subkeys[0].fingerprint), true);
  assert.equal(names(v6, 'CB186C4F0609A697'), true);
});

test('nothing else names it', () => {
  for (const issuer of [null, undefined, '', 'unknown', '0000000000000000', v6.primary.fingerprint, v4.primary.fingerprint.slice(0, 16)]) {
    assert.equal(names(v4, issuer), false, String(issuer));
  }
});
