// Received files (extension/shared/files.js): the name they are saved under, which are previewed
// in place (by their bytes, never by the type the sender named), and sizes as people read them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairSignatures, previewOf, safeFileName, sizeText } from '../../extension/shared/files.js';
import { base64Size, fromBase64, toBase64 } from '../../extension/shared/bytes.js';

test('a saved file is named without folders, controls, direction overrides or reserved names', () => {
  assert.equal(safeFileName('report.pdf'), 'report.pdf');
  assert.equal(safeFileName('../../.bashrc'), 'bashrc');
  assert.equal(safeFileName('C:\\Windows\\system32\\evil.dll'), 'evil.dll');
  assert.equal(safeFileName('invoice\u202egpj.exe'), 'invoicegpj.exe');
  assert.equal(safeFileName('a\r\nb\u0000c.txt'), 'abc.txt');
  assert.equal(safeFileName('what?<now>|"x".txt'), 'what__now___x_.txt');
  assert.equal(safeFileName('CON.txt'), '_CON.txt');
  assert.equal(safeFileName('...'), 'attachment');
  assert.equal(safeFileName(null), 'attachment');
  const long = safeFileName(`${'x'.repeat(400)}.jpeg`);
  assert.equal(long.length, 120);
  assert.ok(long.endsWith('.jpeg'));
  // Cut by code points: no half of an emoji, no dot or space left at the cut.
  const emoji = safeFileName(`${'😀'.repeat(200)}`);
  assert.equal([...emoji].length, 120);
  assert.ok(!/[\ud800-\udbff]$/.test(emoji));
  assert.equal(safeFileName('report\u2215..\u2215x.pdf'), 'report_.._x.pdf');
  assert.equal(safeFileName('CON .txt'), '_CON .txt');
  assert.equal(safeFileName('conout$'), '_conout$');
  assert.equal(safeFileName('a    b.txt'), 'a b.txt');
});

test('only images whose bytes say so are previewed, SVG never; text only when small and UTF-8', () => {
  const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0);
  assert.deepEqual(previewOf(png, 'application/octet-stream'), { kind: 'image', type: 'image/png' });
  assert.equal(previewOf(new TextEncoder().encode('<svg onload="alert(1)"/>'), 'image/svg+xml'), null);
  assert.equal(previewOf(new TextEncoder().encode('<html><script>x</script>'), 'image/png'), null);
  assert.deepEqual(previewOf(new TextEncoder().encode('Grüße'), 'text/plain; charset=utf-8'), { kind: 'text', text: 'Grüße' });
  assert.equal(previewOf(Uint8Array.of(0xff, 0xfe, 0x00), 'text/plain'), null);
  assert.equal(previewOf(new Uint8Array(2 * 1024 * 1024).fill(0x61), 'text/plain'), null);
  assert.equal(previewOf(new TextEncoder().encode('#!/bin/sh'), 'application/x-sh'), null);
});

test('sizes read as people read them', () => {
  assert.equal(sizeText(512, 'en'), '512 B');
  assert.equal(sizeText(14_200, 'en'), '14.2 kB');
  assert.equal(sizeText(3_100_000, 'en'), '3.1 MB');
});

test('bytes travel as base64 and come back equal, sized without decoding', () => {
  const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7919) % 256);
  const text = toBase64(bytes);
  assert.deepEqual(fromBase64(text), bytes);
  assert.equal(base64Size(text), bytes.length);
  assert.equal(base64Size(toBase64(Uint8Array.of(1))), 1);
});

test('files to verify are paired with their signatures by name, from either chooser; a lone pair goes together whatever its names', () => {
  const file = (name) => ({ name });
  const names = ({ pairs, unsigned, unmatched }) => ({
    pairs: pairs.map((pair) => [pair.file.name, pair.signature.name]),
    unsigned: unsigned.map((item) => item.name),
    unmatched: unmatched.map((item) => item.name),
  });
  // Both in one chooser, as GnuPG names them; in the order the files were chosen.
  assert.deepEqual(names(pairSignatures([file('b.pdf.asc'), file('a.txt'), file('b.pdf'), file('a.txt.sig')], [])), {
    pairs: [['a.txt', 'a.txt.sig'], ['b.pdf', 'b.pdf.asc']],
    unsigned: [],
    unmatched: [],
  });
  // Each in its own chooser.
  assert.deepEqual(names(pairSignatures([file('a.txt'), file('b.txt')], [file('b.txt.sig'), file('a.txt.asc')])), {
    pairs: [['a.txt', 'a.txt.asc'], ['b.txt', 'b.txt.sig']],
    unsigned: [],
    unmatched: [],
  });
  // One file and one signature: chosen for each other, whatever they are called.
  assert.deepEqual(names(pairSignatures([file('contract-v2.pdf')], [file('contract.sig')])).pairs, [['contract-v2.pdf', 'contract.sig']]);
  assert.deepEqual(names(pairSignatures([file('contract-v2.pdf'), file('signature.asc')], [])).pairs, [['contract-v2.pdf', 'signature.asc']]);
  // A signed file may itself end in .asc: its signature is NAME.asc.sig.
  assert.deepEqual(names(pairSignatures([file('key.asc'), file('key.asc.sig'), file('x.bin'), file('x.bin.sig')], [])).pairs, [['key.asc', 'key.asc.sig'], ['x.bin', 'x.bin.sig']]);
  // What has no partner is said apart, never guessed among several.
  assert.deepEqual(names(pairSignatures([file('a.txt'), file('b.txt'), file('c.txt.sig')], [file('d.sig')])), {
    pairs: [],
    unsigned: ['a.txt', 'b.txt'],
    unmatched: ['c.txt.sig', 'd.sig'],
  });
  // A file chosen among signatures is still a signature's partner when named for it.
  assert.deepEqual(names(pairSignatures([file('a.txt.sig')], [file('a.txt')])).pairs, [['a.txt', 'a.txt.sig']]);
  assert.deepEqual(names(pairSignatures([], [])), { pairs: [], unsigned: [], unmatched: [] });
});
