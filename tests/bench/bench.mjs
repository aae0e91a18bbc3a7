// Each case runs both engines alternately (Sealmark, OpenPGP.js, Sealmark, …)
// so that thermal and GC drift hit both alike; the median is reported.
import init, * as sealmark from '/target/pkg/sealmark.js';
import initTransport from '/target/pkg/sealmark_transport.js';
import * as openpgp from '/node_modules/openpgp/dist/openpgp.min.mjs';

const params = new URLSearchParams(location.search);
const QUICK = params.has('quick');
const log = (line) => (document.getElementById('log').textContent += `\n${line}`);
const results = { browser: navigator.userAgent, rows: [], facts: {} };

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function time(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** How many runs make one sample: enough for ~20 ms, because Firefox's clock
 *  ticks in whole milliseconds and Chromium's in 0.1 ms. */
async function runsPerSample(fn) {
  const once = await time(fn);
  return Math.max(1, Math.min(200, Math.ceil(20 / Math.max(once, 0.05))));
}

/** One sample: the mean time of `runs` consecutive runs. */
async function sample(fn, runs) {
  const start = performance.now();
  for (let i = 0; i < runs; i++) await fn();
  return (performance.now() - start) / runs;
}

/** Runs `fn` for about `ms` milliseconds (at least once), so that both
 *  engines are measured with their hot code optimised: V8 and SpiderMonkey
 *  start Wasm and JavaScript in a baseline tier and optimise what runs often. */
async function warmUp(fn, ms = 200) {
  const end = performance.now() + ms;
  do await fn();
  while (performance.now() < end);
}

/** Runs `ours` and `theirs` `reps` samples each, interleaved, after a warm-up
 *  of each; records medians in ms per operation. */
async function compare(name, reps, ours, theirs, unit = 'ms') {
  const a = [];
  const b = [];
  await warmUp(ours);
  await warmUp(theirs);
  const [oursRuns, theirsRuns] = [await runsPerSample(ours), await runsPerSample(theirs)];
  for (let i = 0; i < reps; i++) {
    a.push(await sample(ours, oursRuns));
    b.push(await sample(theirs, theirsRuns));
  }
  const row = { name, unit, sealmark: median(a), openpgpjs: median(b), reps, runs: [oursRuns, theirsRuns] };
  row.ratio = row.sealmark / row.openpgpjs;
  results.rows.push(row);
  log(`${name}: ${row.sealmark.toFixed(2)} vs ${row.openpgpjs.toFixed(2)} ms (×${row.ratio.toFixed(2)})`);
}

const bytes = (size) => {
  const data = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536) crypto.getRandomValues(data.subarray(offset, Math.min(size, offset + 65536)));
  return data;
};

async function keys(v6) {
  const ours = await sealmark.generateKey({ userIds: ['Bench <bench@example.org>'], profile: v6 ? 'rfc9580' : 'rfc4880' });
  const theirs = await openpgp.generateKey({
    type: v6 ? 'curve25519' : 'ecc', curve: v6 ? undefined : 'curve25519Legacy', userIDs: [{ email: 'bench@example.org' }],
    // Without aeadProtect, OpenPGP.js's v6 keys do not announce SEIPDv2 and
    // it encrypts to them with SEIPDv1.
    format: 'object', config: { v6Keys: v6, aeadProtect: v6 },
  });
  return { ours, theirs };
}

/** The container a binary message uses, as OpenPGP.js parses it: "SEIPDv1" or "SEIPDv2 gcm". */
async function container(binaryMessage) {
  const message = await openpgp.readMessage({ binaryMessage });
  const packet = message.packets.find((p) => p.constructor.tag === 18);
  return packet?.version === 2 ? `SEIPDv2 ${openpgp.enums.read(openpgp.enums.aead, packet.aeadAlgorithm)}` : `SEIPDv${packet?.version}`;
}

async function run() {
  // Cold starts first, before anything is compiled in this page: what a webmail
  // tab pays before its first strip (the transport module) and before its first
  // OpenPGP work (the core), each compile + instantiate through its glue.
  const gzipSize = async (buffer) => (await new Response(new Blob([buffer]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()).byteLength;
  const transportWasm = await (await fetch('/target/pkg/sealmark_transport_bg.wasm')).arrayBuffer();
  const wasm = await (await fetch('/target/pkg/sealmark_bg.wasm')).arrayBuffer();
  results.facts.transportColdStartMs = await time(() => initTransport({ module_or_path: transportWasm }));
  let exports;
  results.facts.coreColdStartMs = await time(async () => (exports = await init({ module_or_path: wasm })));
  results.facts.wasmBytes = wasm.byteLength;
  results.facts.wasmGzipBytes = await gzipSize(wasm);
  results.facts.transportWasmBytes = transportWasm.byteLength;
  results.facts.transportGzipBytes = await gzipSize(transportWasm);
  const compile = [];
  const transportCompile = [];
  for (let i = 0; i < 5; i++) {
    compile.push(await time(() => WebAssembly.compile(wasm)));
    transportCompile.push(await time(() => WebAssembly.compile(transportWasm)));
  }
  results.facts.compileMs = median(compile);
  results.facts.transportCompileMs = median(transportCompile);
  const memory = () => exports.memory.buffer.byteLength;
  const openpgpSource = await (await fetch('/node_modules/openpgp/dist/openpgp.min.mjs')).arrayBuffer();
  results.facts.openpgpjsGzipBytes = await gzipSize(openpgpSource);
  log(`core ${wasm.byteLength} B, gzip ${results.facts.wasmGzipBytes} B, cold start ${results.facts.coreColdStartMs.toFixed(1)} ms; transport module gzip ${results.facts.transportGzipBytes} B, cold start ${results.facts.transportColdStartMs.toFixed(1)} ms`);

  const reps = QUICK ? 3 : 7;
  await compare('keygen curve25519 v4', reps, () => sealmark.generateKey({ userIds: ['A <a@example.org>'] }),
    () => openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'a@example.org' }] }));
  await compare('keygen curve25519 v6', reps, () => sealmark.generateKey({ userIds: ['A <a@example.org>'], profile: 'rfc9580' }),
    () => openpgp.generateKey({ type: 'curve25519', userIDs: [{ email: 'a@example.org' }], config: { v6Keys: true } }));
  await compare('keygen RSA-3072', QUICK ? 2 : 5, () => sealmark.generateKey({ userIds: ['A <a@example.org>'], type: 'rsa3072' }),
    () => openpgp.generateKey({ type: 'rsa', rsaBits: 3072, userIDs: [{ email: 'a@example.org' }] }));
  if (!QUICK) {
    await compare('keygen RSA-4096', 3, () => sealmark.generateKey({ userIds: ['A <a@example.org>'], type: 'rsa4096' }),
      () => openpgp.generateKey({ type: 'rsa', rsaBits: 4096, userIDs: [{ email: 'a@example.org' }] }));
  }

  for (const v6 of [false, true]) {
    const { ours, theirs } = await keys(v6);
    const label = v6 ? 'v6 SEIPDv2 GCM' : 'v4 SEIPDv1';
    for (const [size, name] of [[1024, '1 KiB'], [1 << 20, '1 MiB'], [25 << 20, '25 MiB']]) {
      if (QUICK && size > 1 << 20) continue;
      const data = bytes(size);
      const n = size > 1 << 20 ? 3 : reps;
      let ourCipher;
      let theirCipher;
      await compare(`encrypt+sign ${name} ${label}`, n,
        async () => { ourCipher = await sealmark.encrypt({ data, encryptionKeys: [ours.publicKey], signingKeys: [ours.privateKey], armor: false }); },
        async () => { theirCipher = await openpgp.encrypt({ message: await openpgp.createMessage({ binary: data }), encryptionKeys: theirs.publicKey, signingKeys: theirs.privateKey, format: 'binary' }); });
      await compare(`decrypt+verify ${name} ${label}`, n,
        () => sealmark.decrypt({ message: ourCipher, decryptionKeys: [ours.privateKey], verificationKeys: [ours.publicKey], format: 'binary' }),
        async () => openpgp.decrypt({ message: await openpgp.readMessage({ binaryMessage: theirCipher }), decryptionKeys: theirs.privateKey, verificationKeys: theirs.publicKey, format: 'binary', expectSigned: true }));
      // Unsigned: decryption alone, what the first-use page measures cold.
      const ourUnsigned = await sealmark.encrypt({ data, encryptionKeys: [ours.publicKey], armor: false });
      const theirUnsigned = await openpgp.encrypt({ message: await openpgp.createMessage({ binary: data }), encryptionKeys: theirs.publicKey, format: 'binary' });
      await compare(`decrypt unsigned ${name} ${label}`, n,
        () => sealmark.decrypt({ message: ourUnsigned, decryptionKeys: [ours.privateKey], format: 'binary' }),
        async () => openpgp.decrypt({ message: await openpgp.readMessage({ binaryMessage: theirUnsigned }), decryptionKeys: theirs.privateKey, format: 'binary' }));
      // Both engines must really have used the container the row names.
      const expected = v6 ? 'SEIPDv2 gcm' : 'SEIPDv1';
      for (const [engine, cipher] of [['Sealmark', ourCipher], ['OpenPGP.js', theirCipher]]) {
        const used = await container(cipher);
        if (used !== expected) throw new Error(`${engine} wrote ${used} for "${label}"`);
      }
      if (size === 25 << 20) {
        results.facts[`wasmMemoryAfter25MiB_${v6 ? 'v6' : 'v4'}`] = memory();
      }
    }
  }

  // The same 25 MiB armored, as webmail carries it (Sealmark only: this is
  // about the Wasm memory, which never shrinks; the text itself is 1.35× the data).
  if (!QUICK) {
    const { ours } = await keys(true);
    const armored = await sealmark.encrypt({ data: bytes(25 << 20), encryptionKeys: [ours.publicKey] });
    await sealmark.decrypt({ message: armored, decryptionKeys: [ours.privateKey], format: 'binary' });
    results.facts.wasmMemoryAfter25MiB_armored = memory();
  }

  // Unlocking: iterated-and-salted S2K (v4) and Argon2 (v6).
  for (const v6 of [false, true]) {
    const ours = await sealmark.generateKey({ userIds: ['A <a@example.org>'], passphrase: 'unlock me', profile: v6 ? 'rfc9580' : 'rfc4880' });
    const theirKey = await openpgp.generateKey({
      type: v6 ? 'curve25519' : 'ecc', curve: v6 ? undefined : 'curve25519Legacy', userIDs: [{ email: 'a@example.org' }],
      passphrase: 'unlock me', config: { v6Keys: v6, aeadProtect: v6, s2kType: v6 ? openpgp.enums.s2k.argon2 : openpgp.enums.s2k.iterated },
    });
    const locked = await openpgp.readPrivateKey({ armoredKey: theirKey.privateKey });
    await compare(`unlock ${v6 ? 'Argon2 (v6)' : 'iterated S2K (v4)'}`, QUICK ? 2 : 5,
      () => sealmark.changePassphrase({ privateKey: ours.privateKey, passphrase: 'unlock me' }),
      () => openpgp.decryptKey({ privateKey: locked, passphrase: 'unlock me' }));
  }

  // Header analysis throughput (Sealmark only: OpenPGP.js has no such thing).
  const corpus = await (await fetch('/target/bench/corpus.json')).json();
  let analysed = 0;
  const spent = await time(() => {
    for (let round = 0; round < (QUICK ? 5 : 20); round++) for (const raw of corpus) {
      sealmark.analyzeMessage(raw);
      analysed++;
    }
  });
  results.facts.analyzeMessagesPerSecond = Math.round((analysed / spent) * 1000);
  log(`analyzeMessage: ${results.facts.analyzeMessagesPerSecond} messages/s`);
  if (performance.memory) results.facts.jsHeapBytes = performance.memory.usedJSHeapSize;
  window.benchResults = results;
  log('done');
}

run().catch((error) => {
  window.benchResults = { error: String(error?.stack ?? error) };
  log(`failed: ${error}`);
});
