// The route strip says the verdict through _locales; in English it must read
// exactly as the core's own sentence. Checked over every message of the
// transport corpus, judged by the real core (the release CLI `./build.sh`
// builds), and over the corpus in German, French and Spanish: no message
// falls back to the core's English.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { verdictSentence } from '../../extension/shared/verdict-words.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = join(ROOT, 'target/release/sealmark');
const CORPUS = join(ROOT, 'tests/corpus/transport');

/** A locale's `t`, as i18n.js gives it in the extension: `$1`… replaced by the substitutions. */
function translator(locale) {
  const table = JSON.parse(readFileSync(join(ROOT, 'extension/_locales', locale, 'messages.json'), 'utf8'));
  return (key, substitutions = []) => {
    assert.ok(table[key], `${locale} has ${key}`);
    return table[key].message.replace(/\$(\d)/g, (_, n) => substitutions[Number(n) - 1] ?? '');
  };
}

function corpusReports() {
  assert.ok(existsSync(CLI), `${CLI} is missing: run ./build.sh first`);
  const files = readdirSync(CORPUS).filter((name) => name.endsWith('.eml')).map((name) => join(CORPUS, name));
  const judged = JSON.parse(execFileSync(CLI, ['hops', '--json', ...files], { maxBuffer: 64 << 20 }).toString());
  assert.equal(judged.length, files.length);
  return judged;
}

test('in English the strip says what the core says, for every message of the corpus', () => {
  const t = translator('en');
  const judged = corpusReports();
  const statuses = new Set(judged.map(({ report }) => report.verdict.status));
  // The corpus reaches every judgement, so each sentence form is compared.
  assert.deepEqual([...statuses].sort(), ['all_encrypted', 'no_hops', 'plaintext', 'unknown']);
  for (const { source, report } of judged) assert.equal(verdictSentence(report, t), report.verdict.sentence, source);
});

test('in German, French and Spanish every verdict of the corpus is said in that language', () => {
  const judged = corpusReports();
  for (const locale of ['de', 'fr', 'es']) {
    const t = translator(locale);
    for (const { source, report } of judged) {
      const said = verdictSentence(report, t);
      assert.notEqual(said, report.verdict.sentence, `${locale}: ${source}`);
      assert.doesNotMatch(said, /\$\d|undefined/, `${locale}: ${source}`);
    }
  }
});
