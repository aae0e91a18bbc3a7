// Armored blocks as the page displays them: split over text nodes, lines made
// by <br> or block elements, inside <pre>, with "> " quoting. Editors are skipped.

const KINDS = { MESSAGE: 'message', 'SIGNED MESSAGE': 'signed_message', 'PUBLIC KEY BLOCK': 'public_key' };
const BEGIN = /-----BEGIN PGP (MESSAGE|SIGNED MESSAGE|PUBLIC KEY BLOCK)-----/;
const BLOCK_TAGS = new Set(['DIV', 'P', 'PRE', 'LI', 'TR', 'BLOCKQUOTE', 'H1', 'H2', 'H3', 'TABLE', 'UL', 'OL']);
const MAX_BLOCK = 32 * 1024 * 1024;

function inEditor(node) {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  return Boolean(element?.closest('textarea, input, [contenteditable=""], [contenteditable="true"], [data-sealmark-frame], [data-sealmark-read]'));
}

/**
 * Every armored block in `root`: the DOM range it covers, its text with the
 * line breaks a reader sees, and its kind.
 * @param {Element} root
 * @returns {{range: Range, text: string, kind: string}[]}
 */
export function armoredRanges(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  const found = [];
  let current = null; // {startNode, startOffset, text, endLabel, kind}
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (current && (node.tagName === 'BR' || BLOCK_TAGS.has(node.tagName)) && !current.text.endsWith('\n')) current.text += '\n';
      continue;
    }
    if (inEditor(node)) continue;
    let data = node.data;
    let offset = 0;
    while (data.length) {
      if (!current) {
        const begin = BEGIN.exec(data);
        if (!begin) break;
        const label = begin[1];
        current = {
          startNode: node,
          startOffset: offset + begin.index,
          text: '',
          kind: KINDS[label],
          endLabel: label === 'SIGNED MESSAGE' ? '-----END PGP SIGNATURE-----' : `-----END PGP ${label}-----`,
        };
        offset += begin.index;
        data = data.slice(begin.index);
      }
      const end = data.indexOf(current.endLabel);
      if (end < 0) {
        current.text += data;
        if (current.text.length > MAX_BLOCK) current = null;
        break;
      }
      const stop = end + current.endLabel.length;
      current.text += data.slice(0, stop);
      const range = document.createRange();
      range.setStart(current.startNode, current.startOffset);
      range.setEnd(node, offset + stop);
      found.push({ range, text: current.text, kind: current.kind });
      current = null;
      offset += stop;
      data = data.slice(stop);
    }
  }
  return found;
}
