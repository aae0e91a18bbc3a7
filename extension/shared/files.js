// Files inside encrypted messages, as the editor attaches them and the reader offers them: how
// much may travel, what a saved file is named, and which files are previewed in place.

/**
 * What one message carries in files, together: the armored message grows to about 1.8 times this
 * (base64 in the MIME entity, then armor), which stays under Outlook.com's 20 MB and Gmail's 25 MB
 * for a whole message.
 */
export const ATTACHMENT_BYTES = 8 * 1024 * 1024;
/** Files one message carries at most. */
export const ATTACHMENT_COUNT = 20;
/**
 * One file on the files page: its base64 (a third larger) and its encrypted or decrypted answer
 * stay within the 64 MiB Chrome allows one extension message.
 */
export const FILE_BYTES = 32 * 1024 * 1024;
/** The most a file decrypted on the files page may hold: a compressed file can hold far more than its size. */
export const DECRYPTED_FILE_BYTES = 45 * 1024 * 1024;
/** A detached signature's name, as GnuPG makes it: `X.sig` (binary) or `X.asc` (armored) signs `X`. */
const SIGNATURE_NAME = /\.(sig|asc)$/i;
/** Text files previewed in place up to this size; larger ones are only saved. */
const TEXT_PREVIEW_BYTES = 1024 * 1024;

// Windows refuses these names whatever their extension; other systems take them as they are.
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[1-9¹²³]|lpt[1-9¹²³])\s*(\..*)?$/i;

/**
 * A name to save a received file under: no folders, no control or direction-override characters
 * (which make "gpj.exe" read as "exe.jpg"), none of the characters systems refuse, not a reserved
 * Windows name, at most 120 characters with the extension kept.
 * @param {string|null|undefined} name  as the sender wrote it
 */
export function safeFileName(name) {
  const trim = (text) => text.replace(/^[\s.]+|[\s.]+$/g, '');
  let safe = trim(String(name ?? '')
    .split(/[/\\]/)
    .pop()
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '')
    // Characters systems refuse, and slashes in other guises that read as folders.
    .replace(/[<>:"|?*\u2215\u2044\u29f8\uff0f\uff3c]/g, '_')
    .replace(/\s+/g, ' '));
  if (RESERVED.test(safe)) safe = `_${safe}`;
  const points = [...safe];
  if (points.length > 120) {
    // By code points, so no character is cut in two; 120 of them stay within 255 bytes of UTF-8 for most scripts.
    const dot = safe.lastIndexOf('.');
    const extension = dot > 0 && safe.length - dot <= 16 ? [...safe.slice(dot)] : [];
    safe = trim(points.slice(0, 120 - extension.length).join('')) + extension.join('');
  }
  return safe || 'attachment';
}

/**
 * How a file is previewed in place, judged by its bytes, not by the type the sender named: images
 * whose first bytes are PNG, JPEG, GIF or WebP (never SVG, which can hold script), and text that
 * is small and valid UTF-8. Null for everything else: it is only saved.
 * @param {Uint8Array} bytes
 * @param {string} type  the type the sender named
 * @returns {{kind: 'image', type: string}|{kind: 'text', text: string}|null}
 */
export function previewOf(bytes, type) {
  const starts = (...magic) => magic.every((byte, i) => byte === null || bytes[i] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { kind: 'image', type: 'image/png' };
  if (starts(0xff, 0xd8, 0xff)) return { kind: 'image', type: 'image/jpeg' };
  if (starts(0x47, 0x49, 0x46, 0x38)) return { kind: 'image', type: 'image/gif' };
  if (starts(0x52, 0x49, 0x46, 0x46, null, null, null, null, 0x57, 0x45, 0x42, 0x50)) return { kind: 'image', type: 'image/webp' };
  if (/^text\/plain\b/i.test(type) && bytes.length <= TEXT_PREVIEW_BYTES) {
    try {
      return { kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * A size as people read it, in their language: "512 B", "14.2 kB", "3.1 MB".
 * @param {number} bytes
 * @param {string} [locale]
 */
export function sizeText(bytes, locale = undefined) {
  // Intl's short "byte" reads "512 byte"; B is what file managers show in every language.
  if (bytes < 1e3) return `${new Intl.NumberFormat(locale).format(bytes)} B`;
  const [unit, value] = bytes >= 1e6 ? ['megabyte', bytes / 1e6] : ['kilobyte', bytes / 1e3];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

/**
 * A chosen file's bytes, read piece by piece with `progress` following (shown while it reads, its
 * value the bytes read so far); the bar is left without a value, running, for the work after.
 * @param {File} file
 * @param {HTMLProgressElement} progress
 * @returns {Promise<Uint8Array>}
 */
export async function readWithProgress(file, progress) {
  progress.hidden = false;
  progress.max = file.size || 1;
  progress.value = 0;
  const bytes = new Uint8Array(file.size);
  const reader = file.stream().getReader();
  let read = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    // A file that grew since it was chosen is read as long as it was then.
    bytes.set(chunk.value.subarray(0, Math.max(0, bytes.length - read)), read);
    read += chunk.value.length;
    progress.value = Math.min(read, file.size);
  }
  progress.removeAttribute('value');
  return bytes;
}

/**
 * Files chosen to verify, paired with their detached signatures by name (`X.sig` or `X.asc` signs
 * `X`), whichever chooser each came from, so that both may be chosen in one. A file and a
 * signature left alone are paired whatever their names: the person chose them for each other.
 * What is left is returned apart: files with no signature, and signatures
 * (by their chooser or their name) with no file.
 * @template {{name: string}} F
 * @param {F[]} files  from the files' chooser; signatures may be among them
 * @param {F[]} signatures  from the signatures' chooser
 * @returns {{pairs: {file: F, signature: F}[], unsigned: F[], unmatched: F[]}}
 */
export function pairSignatures(files, signatures) {
  const all = [...files, ...signatures];
  const used = new Set();
  /** @type {{file: F, signature: F}[]} */
  const pairs = [];
  for (const signature of all) {
    if (used.has(signature) || !SIGNATURE_NAME.test(signature.name)) continue;
    const signed = signature.name.replace(SIGNATURE_NAME, '');
    const file = all.find((candidate) => candidate !== signature && !used.has(candidate) && candidate.name === signed);
    if (!file) continue;
    pairs.push({ file, signature });
    used.add(file).add(signature);
  }
  const isSignature = (item) => signatures.includes(item) || SIGNATURE_NAME.test(item.name);
  let unsigned = all.filter((item) => !used.has(item) && !isSignature(item));
  let unmatched = all.filter((item) => !used.has(item) && isSignature(item));
  if (unsigned.length === 1 && unmatched.length === 1) {
    pairs.push({ file: unsigned[0], signature: unmatched[0] });
    unsigned = [];
    unmatched = [];
  }
  pairs.sort((a, b) => all.indexOf(a.file) - all.indexOf(b.file));
  return { pairs, unsigned, unmatched };
}
