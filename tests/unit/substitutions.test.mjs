// An error's detail travels to the pages as a locale key and text arguments
// (extension/background/errors.js `failSaying`): a number among them is written
// as the person's language writes it (extension/shared/substitutions.js), since
// the page can no longer tell it is one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { substitutionsFor } from '../../extension/shared/substitutions.js';

test('a number among the substitutions is written in the UI language; text stays as it is', () => {
  assert.deepEqual(substitutionsFor([1048576], 'de'), ['1.048.576']);
  assert.deepEqual(substitutionsFor([1048576, 'x'], 'en-US'), ['1,048,576', 'x']);
  assert.deepEqual(substitutionsFor([10, '1200 recipients', 2.5], 'en'), ['10', '1200 recipients', '2.5']);
  // Text that looks like a number was chosen as text (an address, a fingerprint): it is not touched.
  assert.deepEqual(substitutionsFor(['1048576'], 'de'), ['1048576']);
  // A tag Intl refuses leaves the digits as they are rather than failing in place of the error being said.
  assert.deepEqual(substitutionsFor([1048576, 'x'], ''), ['1048576', 'x']);
});
