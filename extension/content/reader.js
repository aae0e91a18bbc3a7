import { createFrame } from './frames.js';
import { armoredRanges } from './armor-text.js';

/**
 * Encrypted messages shown in readers, in the order they were found: the message a reply answers
 * where the webmail does not quote it into the compose field (Gmail keeps its quote out of the field
 * until sending). Armored text only, as the page showed it.
 * @type {{holder: HTMLElement, armored: string}[]}
 */
const shownMessages = [];

/**
 * Finds armored blocks in what the webmail shows and replaces each with a
 * Sealmark reader frame; watches for messages opened later.
 * @param {import('./adapters/index.js').Adapter} adapter
 */
export function watchReading(adapter) {
  let pending = 0;
  const scan = () => {
    pending = 0;
    for (const container of adapter.readContainers(document)) replaceBlocks(adapter, container);
  };
  new MutationObserver((mutations) => {
    // Our own frames appearing must not trigger a rescan loop.
    if (mutations.every((m) => [...m.addedNodes].every((n) => /** @type {HTMLElement} */ (n).dataset?.sealmarkFrame))) return;
    pending ||= setTimeout(scan, 250);
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  scan();
}

function replaceBlocks(adapter, container) {
  for (const found of armoredRanges(container)) {
    const start = found.range.startContainer.parentElement;
    if (!start || start.closest(`[data-sealmark-read]`)) continue;
    const sender = adapter.senderOf(container);
    // The message the block is in, if the route strip reads its raw source: the background then
    // checks the signer against that message's From rather than the name the page shows.
    const message = adapter.openMessages?.(document).find((m) => m.body.contains(container));
    // The range is emptied before the frame exists so a rescan cannot find it twice.
    const holder = document.createElement('div');
    holder.dataset.sealmarkRead = 'pending';
    found.range.deleteContents();
    found.range.insertNode(holder);
    createFrame('read', { armored: found.text, sender, messageKey: message ? `${location.origin} ${message.id}` : null })
      .then(({ frame }) => {
        frame.style.height = '140px';
        holder.replaceChildren(frame);
        holder.dataset.sealmarkRead = 'frame';
        if (/-----BEGIN PGP MESSAGE-----/.test(found.text)) {
          // Messages the webmail has taken off the page are no reply's original any more.
          const kept = shownMessages.filter((entry) => entry.holder.isConnected);
          shownMessages.splice(0, shownMessages.length, ...kept, { holder, armored: found.text });
        }
      })
      .catch((error) => {
        // Put the block back: the user must never lose what they were sent.
        holder.textContent = found.text;
        holder.style.whiteSpace = 'pre-wrap';
        holder.dataset.sealmarkRead = 'failed';
        holder.title = String(error?.message ?? error);
      });
  }
}

/**
 * The encrypted message shown last in the page, in document order, before `element` (a compose
 * window): one the person can see now, not one of a conversation the webmail keeps hidden. Null
 * when there is none.
 * @param {Element} element
 * @returns {string|null}
 */
export function lastShownMessage(element) {
  const before = shownMessages
    .filter(({ holder }) => holder.isConnected && holder.getClientRects().length > 0)
    .filter(({ holder }) => holder.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING)
    .sort((a, b) => (a.holder.compareDocumentPosition(b.holder) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  return before.at(-1)?.armored ?? null;
}
