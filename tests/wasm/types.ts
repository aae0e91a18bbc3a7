// Compiled with `tsc --noEmit --strict` by ./build.sh test: the declarations
// of the Wasm package must describe how the API is really used.
import init, {
  analyzeMessage, buildPgpMime, decrypt, encrypt, findArmoredBlocks, generateKey, readMessage, readKey, sign, verify, version,
  type Report, type SignatureCheck, type SealmarkError, type KeyInfo, type KeyEntry, type RevokedKey,
  readKeys, changePassphrase, revokeKey, mergeKeys, keyLookup, certificatesFor, publicOnly,
  inspectMessage, type Inspection, autocryptUpdate, autocryptRecommend, type KeyLookup, type AutocryptPeer,
  addPostQuantumSubkey, type GeneratedKey,
} from '../../target/pkg/sealmark.js';

export async function usage(raw: string): Promise<string> {
  await init();
  const report: Report = analyzeMessage(raw);
  const withTrust: Report = analyzeMessage(new TextEncoder().encode(raw), { trustedDomains: ['example.net'] });
  const status: 'all_encrypted' | 'plaintext' | 'unknown' | 'no_hops' = report.verdict.status;
  const encrypted: boolean | null = withTrust.hops[0]?.tls.encrypted ?? null;
  const { privateKey, publicKey, fingerprint } = await generateKey({ userIds: ['A <a@example.org>'], type: 'curve25519', profile: 'rfc9580', expiresInDays: 365 });
  const info: KeyInfo = readKey(publicKey);
  const ciphertext = await encrypt({ data: 'hi', encryptionKeys: [publicKey], signingKeys: [privateKey], armor: true });
  const result = await decrypt({ message: ciphertext, decryptionKeys: [privateKey], verificationKeys: [publicKey], format: 'utf8' });
  const checks: SignatureCheck[] = result.signatures;
  const signature = await sign({ data: 'hi', signingKeys: [privateKey] });
  const verified = verify({ data: 'hi', signature, verificationKeys: [publicKey] });
  const clearsigned = verify({ message: 'text', verificationKeys: [publicKey] });
  const kinds = findArmoredBlocks('text').map((block) => block.kind);
  const parts = readMessage(raw, Date.now() / 1000);
  const mime = parts.pgpMime;
  const ciphertextBytes: Uint8Array | undefined = mime.type === 'encrypted' ? mime.ciphertext : undefined;
  const inspected: Inspection = inspectMessage(raw, { deliveredOrder: true });
  const sender: string | null = inspected.outline.from ?? inspected.report.verdict.client_ip?.ip ?? null;
  const entries: KeyEntry[] = readKeys(privateKey);
  const relocked: string = await changePassphrase({ privateKey, passphrase: 'a', newPassphrase: 'b' });
  const revoked: RevokedKey = revokeKey({ privateKey: relocked, passphrase: 'b', reason: 'lost' });
  const merged: string = mergeKeys(publicKey, revoked.publicKey);
  const postQuantum: GeneratedKey = await generateKey({ userIds: ['Q <q@example.org>'], type: 'curve25519', profile: 'rfc9980' });
  const upgraded: GeneratedKey = addPostQuantumSubkey({ privateKey: relocked, passphrase: 'b' });
  const where: KeyLookup = keyLookup('joe@example.org');
  const certs: string[] = certificatesFor(publicKey, 'a@example.org');
  const upload: string = publicOnly(publicKey);
  const seen = parts.autocrypt;
  const peer: AutocryptPeer = autocryptUpdate(null, seen);
  const advice: string = autocryptRecommend(peer, true, false);
  const built = buildPgpMime({ armored: String(ciphertext), boundary: 'b', text: 'body', subject: 'secret' });
  try {
    await decrypt({ message: 'x' });
  } catch (error) {
    const code: SealmarkError['code'] = (error as SealmarkError).code;
    return `${code}`;
  }
  return [version(), status, encrypted, fingerprint, info.can_encrypt, checks.length, verified.signatures.length,
    clearsigned.data, kinds.join(), ciphertextBytes?.length, built.placeholderSubject, entries.length, merged.length, where.wkd_hash, certs.length, upload.length, seen.ignored, advice, sender,
    postQuantum.fingerprint, upgraded.publicKey.length].join(' ');
}
