// The route strip says the verdict through _locales; in English it must read
// exactly as the core's own sentence. Checked over every message of the
// transport corpus, judged by the real core (the release CLI `./build.sh`
// builds), and over the corpus in German, French and Spanish: no message
// falls back to the core's English.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { verdictNotes, verdictSentence } from '../../www/components/verdict-words.js';

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

test("in English the route's notes say what the core's notes say, for every message of the corpus", () => {
  const t = translator('en');
  const judged = corpusReports();
  // The corpus reaches every kind of note, so each is compared.
  const said = judged.flatMap(({ report }) => report.verdict.notes);
  for (const start of ["Sender-side hops can't be verified", 'Hop ', "The first hop records the sender's address", 'The sender asked relays', 'The Received fields stand oldest first']) {
    assert.ok(said.some((note) => note.startsWith(start)), `the corpus has a note starting "${start}"`);
  }
  for (const { source, report } of judged) assert.deepEqual(verdictNotes(report, t), report.verdict.notes, source);
  // More Received fields than the core reads, which no message of the corpus has: judged by the core here.
  const dir = mkdtempSync(join(tmpdir(), 'sealmark-notes-'));
  try {
    const many = join(dir, 'many-received.eml');
    const received = Array.from({ length: 105 }, (_, i) => `Received: from relay${i}.example.net by relay${i + 1}.example.net with ESMTPS; Thu, 3 Dec 2026 10:00:${String(i % 60).padStart(2, '0')} +0000\r\n`).join('');
    writeFileSync(many, `${received}From: a@example.net\r\nTo: b@example.org\r\nSubject: many\r\n\r\nbody\r\n`);
    const report = JSON.parse(execFileSync(CLI, ['hops', '--json', many]).toString());
    assert.ok(report.verdict.omitted_received > 0);
    assert.deepEqual(verdictNotes(report, t), report.verdict.notes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Several injected lines, which no message of the corpus has: as the core's hop_list says them.
  const several = { verdict: { injection_suspected: [1, 2], client_ip: null, tls_required_no: false, oldest_first: false, omitted_received: 0, notes: [] }, hops: [] };
  assert.deepEqual(verdictNotes(several, t), ['Hops 2 and 3 may have been injected by the sender.']);
  // A note of a newer core that these words do not know is shown in the core's words, never dropped.
  const newer = { ...several, verdict: { ...several.verdict, notes: ['Hops 2 and 3 may have been injected by the sender.', 'A note of a newer core.'] } };
  assert.deepEqual(verdictNotes(newer, t), ['Hops 2 and 3 may have been injected by the sender.', 'A note of a newer core.']);
});

test('in German, French and Spanish every verdict of the corpus is said in that language', () => {
  const judged = corpusReports();
  for (const locale of ['de', 'fr', 'es']) {
    const t = translator(locale);
    for (const { source, report } of judged) {
      const said = verdictSentence(report, t);
      assert.notEqual(said, report.verdict.sentence, `${locale}: ${source}`);
      assert.doesNotMatch(said, /\$\d|undefined/, `${locale}: ${source}`);
      verdictNotes(report, t).forEach((note, i) => {
        assert.notEqual(note, report.verdict.notes[i], `${locale}: ${source}`);
        assert.doesNotMatch(note, /\$\d|undefined/, `${locale}: ${source}`);
      });
    }
  }
});
