// Received files (extension/shared/files.js): the name they are saved under, which are previewed
// in place (by their bytes, never by the type the sender named), and sizes as people read them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { previewOf, safeFileName, sizeText } from '../../extension/shared/files.js';
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
