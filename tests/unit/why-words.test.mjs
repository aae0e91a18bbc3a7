// The route view says why each Received line and authentication field is believed, and what
// it remarks on a hop, through _locales (www/components/why-words.js). In English it reads
// exactly as the core's sentence, over every message of the transport corpus judged by the real
// core (the release CLI `./build.sh` builds); in German, French and Spanish none falls back to
// the core's English. tests/why_words.rs checks every code's English against the locale file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { explained } from '../../www/components/why-words.js';
import { english } from '../../www/components/route-view.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = join(ROOT, 'target/release/sealmark');
const CORPUS = join(ROOT, 'tests/corpus/transport');

function translator(locale) {
  const table = JSON.parse(readFileSync(join(ROOT, 'extension/_locales', locale, 'messages.json'), 'utf8'));
  return (key, substitutions = []) => (table[key] ? table[key].message.replace(/\$(\d)/g, (_, n) => substitutions[Number(n) - 1] ?? '') : key);
}

/** Every reason of a report with the core's English for it. */
function reasons(report) {
  return [
    [report.verdict.trust_boundary.why, report.verdict.trust_boundary.reason],
    ...report.hops.flatMap((hop) => [
      [hop.trust_why, hop.trust_reason],
      ...(hop.internal_why ? [[hop.internal_why, hop.internal_reason]] : []),
      ...hop.notes.map((note) => [note.why, note.message]),
    ]),
    ...report.authentication.results.map((field) => [field.trust_why, field.trust_reason]),
    ...report.authentication.received_spf.map((field) => [field.trust_why, field.trust_reason]),
  ];
}

/** The reasons' locale keys: every English key starting `why` (tests/why_words.rs checks each names a code of the core, and each code has one). */
const WHY_KEYS = Object.keys(JSON.parse(readFileSync(join(ROOT, 'extension/_locales/en/messages.json'), 'utf8'))).filter((key) => key.startsWith('why'));

function corpus() {
  assert.ok(existsSync(CLI), `${CLI} is missing: run ./build.sh first`);
  const files = readdirSync(CORPUS).filter((name) => name.endsWith('.eml')).map((name) => join(CORPUS, name));
  return JSON.parse(execFileSync(CLI, ['hops', '--json', ...files], { maxBuffer: 64 << 20 }).toString());
}

test("in English every reason of the corpus reads as the core's sentence", () => {
  const t = translator('en');
  const codes = new Set();
  for (const { source, report } of corpus()) {
    for (const [why, sentence] of reasons(report)) {
      codes.add(why.code);
      assert.equal(explained(why, sentence, t), sentence, `${source}: ${why.code}`);
    }
  }
  // The corpus reaches most kinds of reason, so their arguments are checked in place.
  assert.ok(codes.size >= 20, `the corpus gives ${codes.size} kinds of reason: ${[...codes].join(', ')}`);
});

test('German, French and Spanish say every reason of the corpus in their language', () => {
  const judged = corpus();
  for (const locale of ['de', 'fr', 'es']) {
    const t = translator(locale);
    for (const key of WHY_KEYS) assert.notEqual(t(key), key, `${locale} has ${key}`);
    for (const { source, report } of judged) {
      for (const [why, sentence] of reasons(report)) {
        const said = explained(why, sentence, t);
        // "same host" may read alike in another language, but nothing longer does.
        if (sentence.length > 12) assert.notEqual(said, sentence, `${locale}: ${source}: ${why.code}`);
        assert.doesNotMatch(said, /\$\d|undefined/, `${locale}: ${source}: ${why.code}`);
      }
    }
  }
});

test("every reason's locale key is found from its code, not only the reasons the corpus reaches", () => {
  const t = translator('en');
  for (const key of WHY_KEYS) {
    // whyAuthUnnamedSpf → auth_unnamed_spf, the core's code (tests/why_words.rs holds the core to these keys).
    const code = key.slice(3).replace(/(?<=.)([A-Z])/g, '_$1').toLowerCase();
    assert.notEqual(explained({ code, args: ['a', 'b', 'c'] }, 'FALLBACK', t), 'FALLBACK', `${key} from ${code}`);
  }
});

test("a reason of a newer core, or one the language lacks, is said in the core's English", () => {
  const t = translator('de');
  assert.equal(explained({ code: 'a_newer_reason', args: [] }, 'A newer reason.', t), 'A newer reason.');
  assert.equal(explained(undefined, 'An older core.', t), 'An older core.');
  // The standalone Inspector without locale files says the view's English words: the core's sentence here.
  assert.equal(explained({ code: 'claimed', args: [] }, 'supplied by the sending side: it could be forged', english), 'supplied by the sending side: it could be forged');
  assert.equal(explained({ code: 'auth_written_by', args: ['mx.example.org'] }, 'x', t), 'geschrieben von mx.example.org auf der Empfängerseite');
});
