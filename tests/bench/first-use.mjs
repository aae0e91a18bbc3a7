// First use, as a person meets it: the engines start in a fresh page and the
// very first decryptions are timed, without the warm-up the main bench gives
// both (where the browsers have optimised the hot code by then): 10 MiB v6
// (SEIPDv2, AES-GCM) to a fresh key, unsigned, or with `?signed` signed by it
// and verified.
import init, * as sealmark from '/target/pkg/sealmark.js';
import * as openpgp from '/node_modules/openpgp/dist/openpgp.min.mjs';

const log = (line) => (document.getElementById('log').textContent += `\n${line}`);
const SIZE = 10 << 20;
const SIGNED = new URLSearchParams(location.search).has('signed');
const ROUNDS = 5;

async function time(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function run() {
  await init({ module_or_path: await (await fetch('/target/pkg/sealmark_bg.wasm')).arrayBuffer() });
  const data = new Uint8Array(SIZE);
  for (let offset = 0; offset < SIZE; offset += 65536) crypto.getRandomValues(data.subarray(offset, offset + 65536));
  const ours = await sealmark.generateKey({ userIds: ['First <first@example.org>'], profile: 'rfc9580' });
  const theirs = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ email: 'first@example.org' }], format: 'object', config: { v6Keys: true, aeadProtect: true } });
  const ourCipher = await sealmark.encrypt({ data, encryptionKeys: [ours.publicKey], armor: false, ...(SIGNED ? { signingKeys: [ours.privateKey] } : {}) });
  const theirCipher = await openpgp.encrypt({
    message: await openpgp.createMessage({ binary: data }),
    encryptionKeys: theirs.publicKey,
    format: 'binary',
    ...(SIGNED ? { signingKeys: theirs.privateKey } : {}),
  });
  const rows = [];
  for (let round = 0; round < ROUNDS; round++) {
    const sealmarkMs = await time(async () => {
      const opened = await sealmark.decrypt({
        message: ourCipher,
        decryptionKeys: [ours.privateKey],
        format: 'binary',
        ...(SIGNED ? { verificationKeys: [ours.publicKey] } : {}),
      });
      if (SIGNED && !opened.signatures[0]?.valid) throw new Error('Sealmark did not verify the signature');
    });
    const openpgpjsMs = await time(async () => {
      const opened = await openpgp.decrypt({
        message: await openpgp.readMessage({ binaryMessage: theirCipher }),
        decryptionKeys: theirs.privateKey,
        format: 'binary',
        ...(SIGNED ? { verificationKeys: theirs.publicKey, expectSigned: true } : {}),
      });
      if (SIGNED) await opened.signatures[0].verified;
    });
    rows.push({ round: round + 1, sealmark: sealmarkMs, openpgpjs: openpgpjsMs, ratio: sealmarkMs / openpgpjsMs });
    log(`decrypt 10 MiB v6 ${SIGNED ? 'signed' : 'unsigned'}, use ${round + 1}: ${sealmarkMs.toFixed(1)} vs ${openpgpjsMs.toFixed(1)} ms`);
  }
  window.benchResults = { browser: navigator.userAgent, rows };
}

run().catch((error) => {
  log(`error: ${error.stack ?? error}`);
  window.benchResults = { error: String(error) };
});
