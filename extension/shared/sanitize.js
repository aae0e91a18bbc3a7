// Decrypted HTML is rebuilt element by element from an allow-list: no
// scripts, no styles, no event handlers, no remote loads (images and other
// embedded resources are dropped, links only to https and mailto).

const ALLOWED = new Set([
  'A', 'B', 'BLOCKQUOTE', 'BR', 'CODE', 'DIV', 'EM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HR', 'I', 'LI', 'OL', 'P',
  'PRE', 'S', 'SPAN', 'STRONG', 'SUB', 'SUP', 'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TR', 'U', 'UL',
]);
const DROPPED_WITH_CONTENT = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'IFRAME', 'OBJECT', 'EMBED', 'NOSCRIPT', 'SVG', 'MATH', 'HEAD', 'TITLE']);

/**
 * A safe copy of an HTML document's body as a fragment of this document.
 * @param {string} html
 * @returns {DocumentFragment}
 */
export function sanitizedHtml(html) {
  const parsed = new DOMParser().parseFromString(String(html), 'text/html');
  const fragment = document.createDocumentFragment();
  copyChildren(parsed.body, fragment);
  return fragment;
}

function copyChildren(from, to) {
  for (const node of from.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      to.append(document.createTextNode(node.data));
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      const tag = node.tagName.toUpperCase();
      if (DROPPED_WITH_CONTENT.has(tag)) continue;
      if (tag === 'IMG') {
        to.append(document.createTextNode(node.getAttribute('alt') ? `[${node.getAttribute('alt')}]` : ''));
        continue;
      }
      if (!ALLOWED.has(tag)) {
        copyChildren(node, to); // unknown wrappers keep their text
        continue;
      }
      const copy = document.createElement(tag);
      if (tag === 'A') {
        const href = node.getAttribute('href') ?? '';
        if (/^(https:|mailto:)/i.test(href.trim())) {
          copy.setAttribute('href', href.trim());
          copy.setAttribute('rel', 'noopener noreferrer');
          copy.setAttribute('target', '_blank');
        }
      }
      for (const name of ['colspan', 'rowspan']) if (node.hasAttribute(name)) copy.setAttribute(name, node.getAttribute(name));
      copyChildren(node, copy);
      to.append(copy);
    }
  }
}

const LINE_BLOCKS = new Set(['P', 'DIV', 'BLOCKQUOTE', 'LI', 'TR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'PRE', 'TABLE', 'UL', 'OL', 'HR']);

/**
 * The text an HTML message shows, with its line breaks, for quoting in plain text: `<pre>` keeps its
 * spacing, table cells are set apart, images give their alt text as the reader shows it. Parsed
 * inert (no script runs, nothing loads); scripts, styles and the like give no text.
 * @param {string} html
 */
export function plainTextOf(html) {
  const parsed = new DOMParser().parseFromString(String(html), 'text/html');
  let text = '';
  const walk = (node, preformatted) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) text += preformatted ? child.data : child.data.replace(/\s+/g, ' ');
      else if (child.nodeType === Node.ELEMENT_NODE) {
        const tag = child.tagName.toUpperCase();
        if (DROPPED_WITH_CONTENT.has(tag)) continue;
        if (tag === 'BR') text += '\n';
        if (tag === 'IMG' && child.getAttribute('alt')) text += `[${child.getAttribute('alt')}]`;
        if ((tag === 'TD' || tag === 'TH') && text && !text.endsWith('\n')) text += '\t';
        const block = LINE_BLOCKS.has(tag);
        if (block && text && !text.endsWith('\n')) text += '\n';
        walk(child, preformatted || tag === 'PRE');
        if (block && !text.endsWith('\n')) text += '\n';
      }
    }
  };
  walk(parsed.body, false);
  return text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}
