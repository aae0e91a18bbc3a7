// The "OpenPGP" tab: generate and read keys, encrypt, decrypt, sign, verify.
import { withCore } from './core-client.js';
import { describeError } from './components/error-words.js';
import { signatureReason } from './components/signature-words.js';

/** The page's words. @type {(key: string, substitutions?: string[]) => string} */
let say = (key) => key;

/** This page's own elements, by id: their kinds are its HTML's. @type {(id: string) => any} */

const $ = (id) => document.getElementById(id);

function armoredKeys(text) {
  return [...text.matchAll(/-----BEGIN PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----[\s\S]*?-----END PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----/g)].map((m) => m[0]);
}

function describe(signatures) {
  if (!signatures.length) return say('inspectorNoSignature');
  return signatures
    .map((s) => (s.valid ? say('inspectorValidBy', [s.fingerprint]) : say('inspectorInvalid', [why(s), s.fingerprint])))
    .join('\n');
}

/**
 * Why a signature is not valid, in the page's language, with the core's English details.
 * @param {{reason: string | null, reason_code: string | null}} s
 */
function why(s) {
  const { kind, detail } = signatureReason(s.reason_code, s.reason, say);
  return detail ? `${kind} ${say('sigReasonDetail')} ${detail}` : kind;
}

/** Runs an action with the core and shows its outcome; the tab's buttons wait meanwhile. */
async function run(action) {
  const status = $('pgp-status');
  const buttons = [...document.querySelectorAll('#panel-pgp button')].map((b) => /** @type {HTMLButtonElement} */ (b));
  for (const button of buttons) button.disabled = true;
  try {
    status.classList.remove('error');
    status.textContent = (await withCore(action)) ?? '';
  } catch (error) {
    status.classList.add('error');
    status.textContent = describeError(error, say);
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

/**
 * Wires the OpenPGP tab.
 * @param {(key: string, substitutions?: string[]) => string} words  the page's words
 */
export function setupPgpTab(words) {
  say = words;
  const passphrase = () => $('passphrase').value || undefined;
  const showKey = async ({ readKey }) => {
    const key = $('private-key').value || armoredKeys($('public-keys').value)[0];
    if (!key) return;
    const info = await readKey(key);
    $('key-info').textContent = `${info.user_ids.join(', ')} — ${info.fingerprint.match(/.{4}/g).join(' ')}${info.locked ? ` ${say('inspectorProtected')}` : ''}`;
  };
  $('generate').addEventListener('click', () =>
    run(async (sealmark) => {
      const [type, profile] = $('key-type').value.split('/');
      const key = await sealmark.generateKey({ userIds: [$('uid').value], passphrase: passphrase(), type, profile });
      $('private-key').value = key.privateKey;
      $('public-keys').value = `${$('public-keys').value}\n${key.publicKey}`.trim();
      await showKey(sealmark);
      return say('inspectorGenerated', [key.fingerprint]);
    }),
  );
  $('encrypt').addEventListener('click', () =>
    run(async ({ encrypt }) => {
      const signingKeys = $('private-key').value ? [$('private-key').value] : [];
      $('pgp-output').value = await encrypt({ data: $('pgp-input').value, encryptionKeys: armoredKeys($('public-keys').value), signingKeys, passphrase: passphrase() });
      return say(signingKeys.length ? 'inspectorEncryptedSigned' : 'inspectorEncrypted');
    }),
  );
  $('decrypt').addEventListener('click', () =>
    run(async ({ decrypt }) => {
      const result = await decrypt({ message: $('pgp-input').value, decryptionKeys: [$('private-key').value], passphrase: passphrase(), verificationKeys: armoredKeys($('public-keys').value) });
      $('pgp-output').value = result.data;
      return describe(result.signatures);
    }),
  );
  $('sign').addEventListener('click', () =>
    run(async ({ sign }) => {
      $('pgp-output').value = await sign({ data: $('pgp-input').value, signingKeys: [$('private-key').value], passphrase: passphrase(), detached: false });
      return say('inspectorSigned');
    }),
  );
  $('verify').addEventListener('click', () =>
    run(async ({ verify }) => {
      const result = await verify({ message: $('pgp-input').value, verificationKeys: armoredKeys($('public-keys').value) });
      $('pgp-output').value = result.data ?? '';
      return describe(result.signatures);
    }),
  );
  for (const id of ['private-key', 'public-keys']) $(id).addEventListener('change', () => run(showKey));
}
