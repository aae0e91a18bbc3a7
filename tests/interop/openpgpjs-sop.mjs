// A small SOP-style command line over OpenPGP.js 6, so the interop tests can
// drive it like gpg and sq. Dev-only; never shipped.
//   node openpgpjs-sop.mjs generate-key [--profile rfc9580] "Name <email>"
//   node openpgpjs-sop.mjs extract-cert            < KEY
//   node openpgpjs-sop.mjs encrypt [--sign-with KEY] CERT...   < DATA
//   node openpgpjs-sop.mjs decrypt [--verify-with CERT] KEY    < MESSAGE   (stderr: VERIFIED <fpr>)
//   node openpgpjs-sop.mjs sign KEY                < DATA
//   node openpgpjs-sop.mjs verify SIGNATURE CERT   < DATA
import { readFileSync } from 'node:fs';
import * as openpgp from 'openpgp';

const [command, ...rest] = process.argv.slice(2);
const input = readFileSync(0);
const option = (name) => {
  const index = rest.indexOf(name);
  if (index < 0) return undefined;
  const [, value] = rest.splice(index, 2);
  return value;
};
const file = (path) => readFileSync(path, 'utf8');
const fail = (code, message) => {
  process.stderr.write(`${message}\n`);
  process.exit(code);
};

async function main() {
  switch (command) {
    case 'generate-key': {
      const v6 = option('--profile') === 'rfc9580';
      const [, name, email] = /^(.*?)\s*<(.+)>$/.exec(rest[0] ?? '') ?? [];
      const { privateKey } = await openpgp.generateKey({
        type: 'curve25519',
        userIDs: [{ name, email }],
        format: 'armored',
        config: { v6Keys: v6, aeadProtect: v6 },
      });
      return privateKey;
    }
    case 'extract-cert':
      return (await openpgp.readPrivateKey({ armoredKey: input.toString() })).toPublic().armor();
    case 'encrypt': {
      const signer = option('--sign-with');
      const encryptionKeys = await Promise.all(rest.map((path) => openpgp.readKey({ armoredKey: file(path) })));
      const signingKeys = signer ? await openpgp.readPrivateKey({ armoredKey: file(signer) }) : undefined;
      return openpgp.encrypt({ message: await openpgp.createMessage({ binary: input }), encryptionKeys, signingKeys });
    }
    case 'decrypt': {
      const verifier = option('--verify-with');
      const verificationKeys = verifier ? await openpgp.readKey({ armoredKey: file(verifier) }) : undefined;
      const decryptionKeys = await openpgp.readPrivateKey({ armoredKey: file(rest[0]) });
      const message = await openpgp.readMessage({ armoredMessage: input.toString() });
      const { data, signatures } = await openpgp.decrypt({ message, decryptionKeys, verificationKeys, format: 'binary' });
      for (const signature of signatures) {
        try {
          await signature.verified;
          process.stderr.write(`VERIFIED ${signature.keyID.toHex()}\n`);
        } catch (error) {
          process.stderr.write(`UNVERIFIED ${error.message}\n`);
        }
      }
      return data;
    }
    case 'sign': {
      const signingKeys = await openpgp.readPrivateKey({ armoredKey: file(rest[0]) });
      return openpgp.sign({ message: await openpgp.createMessage({ binary: input }), signingKeys, detached: true });
    }
    case 'verify': {
      const signature = await openpgp.readSignature({ armoredSignature: file(rest[0]) });
      const verificationKeys = await openpgp.readKey({ armoredKey: file(rest[1]) });
      const message = await openpgp.createMessage({ binary: input });
      const { signatures } = await openpgp.verify({ message, signature, verificationKeys });
      try {
        await signatures[0].verified;
        return `VERIFIED ${signatures[0].keyID.toHex()}\n`;
      } catch (error) {
        fail(3, `not verified: ${error.message}`);
      }
    }
    default:
      fail(69, `unsupported subcommand ${command}`);
  }
}

main().then(
  (output) => process.stdout.write(typeof output === 'string' ? output : Buffer.from(output)),
  (error) => fail(1, error.message),
);
