// Every string through the locale files: each locale has the keys English
// has, every key the pages and scripts name exists, and every error code the
// core or the extension can raise has its message in every locale (a code
// without one would reach the user as English detail).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;
const LOCALES = join(ROOT, 'extension/_locales');
const messages = Object.fromEntries(
  readdirSync(LOCALES).map((locale) => [locale, JSON.parse(readFileSync(join(LOCALES, locale, 'messages.json'), 'utf8'))]),
);

/** Every file under `dir` whose name ends in one of `extensions`, with its text. */
function sources(dir, extensions) {
  return readdirSync(join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((name) => extensions.some((ext) => name.endsWith(ext)) && !name.includes('_locales'))
    .map((name) => readFileSync(join(ROOT, dir, name), 'utf8'));
}

const matches = (texts, pattern) => new Set(texts.flatMap((text) => [...text.matchAll(pattern)].map((m) => m[1])));

test('every locale has the keys English has, and no others', () => {
  const english = Object.keys(messages.en).sort();
  for (const [locale, table] of Object.entries(messages)) assert.deepEqual(Object.keys(table).sort(), english, locale);
});

test('every key the pages and scripts name is in the locale files', () => {
  const scripts = sources('extension', ['.js']);
  const pages = sources('extension', ['.html']);
  const keys = new Set([
    ...matches(scripts, /\bt\('([A-Za-z0-9_]+)'/g),
    // Errors' details, said where they are shown (background/errors.js failSaying).
    ...matches(scripts, /\b(?:failSaying|refusal)\('[A-Z_]+', '([A-Za-z0-9_]+)'/g),
    ...matches(pages, /data-i18n(?:-[a-z]+)?="([A-Za-z0-9_]+)"/g),
    // Built from a field name: the reader's protected header fields.
    ...['from', 'to', 'cc'].map((field) => `header_${field}`),
    // Built from the core's code: why a signature is not valid (shared/signature-view.js).
    ...['bad_signature', 'signature_policy', 'signer_not_allowed', 'unknown_signer'].map((code) => `sigReason_${code}`),
    // The core's error details (src/openpgp/error.rs Detail, keyed by src/wasm/convert.rs js_error).
    ...[...matches([readFileSync(join(ROOT, 'src/openpgp/error.rs'), 'utf8')], /Detail::new\("([a-z_]+)"/g)].map((code) => `coreDetail_${code}`),
  ]);
  assert.ok(keys.size > 100, `keys found: ${keys.size}`);
  assert.ok(keys.has('coreDetail_too_large'), 'the core’s details are found');
  const missing = [...keys].filter((key) => !(key in messages.en));
  assert.deepEqual(missing, []);
});

test('every key the standalone Inspector and its shared components name is in the locale files', async () => {
  const scripts = sources('www', ['.js']);
  const keys = new Set([
    ...matches(scripts, /\bsay\('([A-Za-z0-9_]+)'/g),
    ...matches(scripts, /\bt\('([A-Za-z0-9_]+)'/g),
    ...matches(sources('www', ['.html']), /data-i18n(?:-[a-z]+)?="([A-Za-z0-9_]+)"/g),
    // Named through a table rather than literally: the route view's own words. The reasons' keys
    // are made from the core's codes; tests/why_words.rs checks each code has its English key.
    ...Object.keys((await import('../../www/components/route-view.js')).ENGLISH),
  ]);
  assert.ok(keys.size > 60, `keys found: ${keys.size}`);
  const missing = [...keys].filter((key) => !(key in messages.en));
  assert.deepEqual(missing, []);
});

test('every error code the core or the extension raises has a message in every locale', () => {
  const read = (path) => readFileSync(join(ROOT, path), 'utf8');
  const wasm = sources('src/wasm', ['.rs']);
  const errorCodeType = read('src/wasm/mod.rs').match(/export type ErrorCode =([^;]*);/)?.[1] ?? '';
  assert.ok(errorCodeType.includes("'PANIC'"), 'the ErrorCode type is found');
  const scripts = sources('extension', ['.js']);
  const codes = new Set([
    // OpenPgpError::code, the codes the Wasm face declares and those it raises itself.
    ...matches([read('src/openpgp/error.rs')], /=> "([A-Z][A-Z_]{3,})"/g),
    ...matches([errorCodeType], /'([A-Z][A-Z_]{3,})'/g),
    ...matches(wasm, /error\(\s*"([A-Z][A-Z_]{3,})"/g),
    // The extension's failures.
    ...matches(scripts, /\b(?:fail(?:ure|Saying|As)?|refusal)\('([A-Z][A-Z_]{3,})'/g),
    ...matches(scripts, /\bcode: '([A-Z][A-Z_]{3,})'/g),
    // The code of silence where a reply was owed (shared/protocol.js resultOf).
    ...matches(scripts, /\bresultOf\(.*?'([A-Z][A-Z_]{3,})'\)/g),
  ]);
  for (const known of ['BAD_PASSPHRASE', 'CANNOT_DECRYPT', 'WEAK_KEY', 'NOT_TEXT', 'NO_BACKGROUND', 'SOURCE_MISMATCH']) assert.ok(codes.has(known), `${known} is found`);
  for (const [locale, table] of Object.entries(messages)) {
    const missing = [...codes].filter((code) => !(`error_${code}` in table));
    assert.deepEqual(missing, [], `${locale}: codes without a message`);
  }
});

test('an error detail a person can meet is a locale message, not English written in a script', () => {
  const english = messages.en;
  // Refusals of requests only a page script, a bug or an older Sealmark makes: said for developers.
  const forDevelopers = new Set(['BAD_OPTIONS', 'FORBIDDEN_SENDER', 'UNKNOWN_REQUEST']);
  const malformed = new Set([
    'A draft is text.',
    'A read frame needs an armored block.',
    'This frame is not a reader.',
    'This frame is not an editor.',
    'Unknown frame kind ${String(kind)}',
    'raw must be the message as text',
  ]);
  const written = [];
  for (const script of sources('extension', ['.js'])) {
    for (const [, code, quoted, template] of script.matchAll(/\bfail(?:ure)?\('([A-Z_]+)',\s*(?:'((?:[^'\\]|\\.)+)'|`([^`]+)`)/g)) {
      const text = quoted ?? template;
      if (english[`error_${code}`]?.message.includes('$1') && !forDevelopers.has(code) && !malformed.has(text)) written.push(`${code}: ${text}`);
    }
  }
  assert.deepEqual(written, []);
});
