// A secret key whose primary key is protected by a passphrase and whose
// encryption subkey is not: what a careless export or a hostile page can hand
// over. No program makes one on purpose, so it is spliced here from two copies
// of one key made by Sealmark's own core (the Wasm package, run in Node.js):
// the primary key packet of the protected copy, everything else from the clear
// one. The self-signatures cover public parts only, so the key stays valid.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './browser.mjs';

const PASSPHRASE = 'only the primary is locked';

/** @returns {Promise<{armored: string, passphrase: string}>} */
export async function partlyProtectedKey() {
  const core = await import(join(ROOT, 'target/pkg/sealmark.js'));
  core.initSync({ module: readFileSync(join(ROOT, 'target/pkg/sealmark_bg.wasm')) });
  const locked = await core.generateKey({ userIds: ['Pat <pat@example.org>'], passphrase: PASSPHRASE });
  const clear = await core.changePassphrase({ privateKey: locked.privateKey, passphrase: PASSPHRASE });
  const [primary] = packets(dearmor(locked.privateKey));
  const [, ...rest] = packets(dearmor(clear));
  if (primary.tag !== 5 || !rest.some((p) => p.tag === 7)) throw new Error('unexpected packet layout');
  return { armored: armor(Buffer.concat([primary.bytes, ...rest.map((p) => p.bytes)])), passphrase: PASSPHRASE };
}

function dearmor(text) {
  const lines = text.split(/\r?\n/);
  const start = lines.indexOf('') + 1;
  const end = lines.findIndex((line) => line.startsWith('-----END'));
  return Buffer.from(lines.slice(start, end).filter((line) => !line.startsWith('=')).join(''), 'base64');
}

/** OpenPGP packets with new-format headers (what rPGP writes), each with its header. */
function packets(bytes) {
  const found = [];
  for (let at = 0; at < bytes.length;) {
    const tag = bytes[at] & 0x3f;
    const first = bytes[at + 1];
    let header;
    let length;
    if (first < 192) [header, length] = [2, first];
    else if (first < 224) [header, length] = [3, ((first - 192) << 8) + bytes[at + 2] + 192];
    else if (first === 255) [header, length] = [6, bytes.readUInt32BE(at + 2)];
    else throw new Error('partial lengths are not expected in a key');
    found.push({ tag, bytes: bytes.subarray(at, at + header + length) });
    at += header + length;
  }
  return found;
}

function armor(bytes) {
  const body = bytes.toString('base64').replace(/.{64}/g, '$&\n').trim();
  return `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${body}\n-----END PGP PRIVATE KEY BLOCK-----\n`;
}
