// Real GnuPG for the e2e tests: the correspondents' side of every exchange.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throw-away GnuPG home with unprotected keys for the given user IDs.
 * @param {string[]} userIds
 * @param {string} [algorithm]  as `gpg --quick-gen-key` takes it: `rsa4096`, say; GnuPG then makes the primary
 *   key alone (add an encryption subkey with `addSubkey`), the default its usual primary key and subkey
 */
export function gnupg(userIds, algorithm = 'future-default') {
  const home = mkdtempSync(join(tmpdir(), 'sealmark-gpg-'));
  const run = (args, input) =>
    execFileSync('gpg', ['--homedir', home, '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase', '', '--trust-model', 'always', '--auto-key-locate', 'local', '--no-auto-key-retrieve', ...args], {
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
  for (const userId of userIds) run(['--quick-gen-key', userId, algorithm, 'default', 'never']);
  return {
    /** Armored certificate of an address. */
    exportKey: (address) => run(['--armor', '--export', address]).toString(),
    /** Armored secret key of an address (unprotected, as these keys are). */
    exportSecretKey: (address) => run(['--armor', '--export-secret-keys', address]).toString(),
    /** The key IDs a message is encrypted to (its PKESK packets), upper-case hex, without decrypting it. */
    recipientsOf: (armored) => {
      let listing;
      try {
        listing = run(['--list-packets'], armored).toString();
      } catch (error) {
        // Not encrypted to a key of this home: GnuPG fails, after listing the packets it saw.
        listing = String(error.stdout ?? '');
      }
      return [...listing.matchAll(/:pubkey enc packet: .*keyid ([0-9A-F]+)/g)].map((m) => m[1]);
    },
    /** The key IDs of the subkeys of an address's key, upper-case hex. */
    subkeyIds: (address) => [...run(['--with-colons', '--list-keys', address]).toString().matchAll(/^sub:[^:]*:[^:]*:[^:]*:([0-9A-F]{16}):/gm)].map((m) => m[1]),
    importKey: (armored) => void run(['--import'], armored),
    /** The binary certificate of an address (for Autocrypt's keydata). */
    exportBinary: (address) => run(['--export', address]),
    /** Encrypts to `to`, signed by `from` unless null; armored unless `binary`. */
    encrypt: (text, { to, from, binary = false }) =>
      run([...(binary ? [] : ['--armor']), '--encrypt', '--recipient', to, ...(from ? ['--sign', '--local-user', from] : [])], text),
    /** Adds a subkey to the key of `address`: `algorithm` and `usage` as `gpg --quick-add-key` takes them (`rsa4096`, `sign`). */
    addSubkey: (address, algorithm, usage) => {
      const fingerprint = /^fpr:+([0-9A-F]+):/m.exec(run(['--with-colons', '--list-keys', address]).toString())[1];
      run(['--quick-add-key', fingerprint, algorithm, usage, 'never']);
    },
    /** Adds a user ID to the key of `address`. */
    addUserId: (address, userId) => {
      const fingerprint = /^fpr:+([0-9A-F]+):/m.exec(run(['--with-colons', '--list-keys', address]).toString())[1];
      run(['--quick-add-uid', fingerprint, userId]);
    },
    /** Decrypts password-encrypted data (the password alone, no key). */
    decryptWithPassword: (armored, password) =>
      execFileSync('gpg', ['--homedir', home, '--batch', '--pinentry-mode', 'loopback', '--passphrase', password, '--decrypt'], { input: armored, stdio: ['pipe', 'pipe', 'pipe'] }).toString(),
    /** What GnuPG sees in armored key data, without importing it. */
    showKey: (armored) => run(['--import-options', 'show-only', '--import'], armored).toString(),
    /** `gpg --list-keys` output for an address. */
    listKeys: (address, colons = false) => run([...(colons ? ['--with-colons'] : []), '--list-keys', address]).toString(),
    /** Imports a secret key into a scratch home and signs with it, with the given passphrase. */
    importSecretAndSign: (armored, passphrase) => {
      const scratch = mkdtempSync(join(tmpdir(), 'sealmark-gpg-'));
      try {
        const gpgIn = (args, input) => execFileSync('gpg', ['--homedir', scratch, '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase', passphrase, ...args], { input, stdio: ['pipe', 'pipe', 'pipe'] });
        gpgIn(['--import'], armored);
        return gpgIn(['--clearsign'], 'x').toString();
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    },
    /** A detached signature: armored text, or with `binary` the bytes `gpg --detach-sign` writes to NAME.sig. */
    detachSign: (text, from, { binary = false } = {}) => {
      const signature = run([...(binary ? [] : ['--armor']), '--detach-sign', '--digest-algo', 'SHA256', '--local-user', from], text);
      return binary ? signature : signature.toString();
    },
    /** GnuPG's status lines (GOODSIG, VALIDSIG, BADSIG …) for `gpg --verify SIGNATURE DATA`, also when it refuses. */
    verifyDetached: (data, signature) => {
      const dir = mkdtempSync(join(home, 'verify-'));
      try {
        writeFileSync(join(dir, 'data'), data);
        writeFileSync(join(dir, 'data.sig'), signature);
        return run(['--status-fd', '1', '--verify', join(dir, 'data.sig'), join(dir, 'data')]).toString();
      } catch (error) {
        return String(error.stdout ?? error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    /** A cleartext-signed text. */
    clearsign: (text, from) => run(['--clearsign', '--local-user', from], text).toString(),
    /** Decrypts; returns the plaintext and GnuPG's status lines (GOODSIG, DECRYPTION_OKAY …). */
    decrypt: (armored) => {
      const statusFile = join(home, 'status');
      const text = run(['--status-file', statusFile, '--decrypt'], armored).toString();
      return { text, status: readFileSync(statusFile, 'utf8') };
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

/**
 * Armors binary OpenPGP data as a PGP MESSAGE block (without a checksum,
 * which RFC 9580 makes optional).
 * @param {Uint8Array} bytes
 */
export function armorMessage(bytes) {
  const base64 = Buffer.from(bytes).toString('base64').replace(/.{64}/g, '$&\n').trim();
  return `-----BEGIN PGP MESSAGE-----\n\n${base64}\n-----END PGP MESSAGE-----\n`;
}
