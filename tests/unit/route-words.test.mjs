// The route view (www/components/route-view.js) says its own words in English for the standalone
// Inspector and through the extension's locale files everywhere else: the two English texts are
// the same, and every other language has each word.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ENGLISH } from '../../www/components/route-view.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const locale = (name) => JSON.parse(readFileSync(join(ROOT, 'extension/_locales', name, 'messages.json'), 'utf8'));

test("the route view's English words are the English locale's", () => {
  const en = locale('en');
  for (const [key, text] of Object.entries(ENGLISH)) assert.equal(en[key]?.message, text, key);
});

test('German, French and Spanish say every word of the route view in their language', () => {
  for (const name of ['de', 'fr', 'es']) {
    const table = locale(name);
    for (const key of Object.keys(ENGLISH)) assert.ok(table[key]?.message, `${name} has ${key}`);
    // A word may read the same in both languages ("(local)"), but not many.
    const same = Object.entries(ENGLISH).filter(([key, text]) => table[key].message === text).map(([key]) => key);
    assert.ok(same.length <= 2, `${name} leaves ${same.join(', ')} in English`);
  }
});
