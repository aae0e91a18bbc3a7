// Armored blocks as the page displays them: split over text nodes, lines made
// by <br> or block elements, inside <pre>, with "> " quoting. Editors are skipped.

const BEGIN = /-----BEGIN PGP (MESSAGE|SIGNED MESSAGE|PUBLIC KEY BLOCK)-----/;
const BLOCK_TAGS = new Set(['DIV', 'P', 'PRE', 'LI', 'TR', 'BLOCKQUOTE', 'H1', 'H2', 'H3', 'TABLE', 'UL', 'OL']);
const MAX_BLOCK = 32 * 1024 * 1024;

function inEditor(node) {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  return Boolean(element?.closest('textarea, input, [contenteditable=""], [contenteditable="true"], [data-sealmark-frame], [data-sealmark-read]'));
}

/**
 * Every armored block in `root`: the DOM range it covers, its text with the
 * line breaks a reader sees (the background classifies and repairs it).
 * @param {Element} root
 * @returns {{range: Range, text: string}[]}
 */
export function armoredRanges(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  const found = [];
  let current = null; // {startNode, startOffset, text, endLabel}
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.ELEMENT_NODE) {
      // As innerText does: <br> is always a line break, a block starts a new line only if needed.
      const { tagName } = /** @type {Element} */ (node);
      if (current && tagName === 'BR') current.text += '\n';
      else if (current && BLOCK_TAGS.has(tagName) && !current.text.endsWith('\n')) current.text += '\n';
      continue;
    }
    if (inEditor(node)) continue;
    let data = /** @type {Text} */ (node).data;
    let offset = 0;
    while (data.length) {
      if (!current) {
        const begin = BEGIN.exec(data);
        if (!begin) break;
        const label = begin[1];
        // A quote prefix ("> ") before BEGIN belongs to the block's first line.
        const prefix = /[ \t>]*$/.exec(data.slice(0, begin.index))[0];
        current = {
          startNode: node,
          startOffset: offset + begin.index,
          text: prefix,
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
      found.push({ range, text: current.text });
      current = null;
      offset += stop;
      data = data.slice(stop);
    }
  }
  return found;
}
