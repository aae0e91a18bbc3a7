import { t } from '../shared/i18n.js';
import { request } from '../shared/messages.js';
import { forgetFrame, frameFor } from './frames.js';

const MARK = 'sealmarkRoute';

/**
 * For every message the webmail opens: its raw source from the webmail's own
 * endpoint (same origin, the user's session, nothing sent elsewhere) goes to
 * the background for analysis; the badge strip appears above the message, and
 * a PGP/MIME message gets a reader frame.
 * @param {import('./adapters/index.js').Adapter} adapter
 */
export function watchTransport(adapter) {
  if (!adapter.openMessages) return;
  let pending = 0;
  const scan = () => {
    pending = 0;
    for (const message of adapter.openMessages(document)) {
      if (message.anchor.dataset[MARK] === message.id) continue;
      message.anchor.dataset[MARK] = message.id;
      show(adapter, message);
    }
  };
  new MutationObserver((mutations) => {
    if (mutations.every((m) => [...m.addedNodes].every((n) => n.dataset?.sealmarkFrame || n.dataset?.sealmarkStrip))) return;
    pending ||= setTimeout(scan, 50);
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-message-id'] });
  scan();
}

async function show(adapter, message) {
  const holder = document.createElement('div');
  holder.dataset.sealmarkStrip = message.id;
  // Another message shown in the same place replaces the old strip.
  if (message.anchor.nextElementSibling?.dataset.sealmarkStrip) message.anchor.nextElementSibling.remove();
  message.anchor.after(holder);
  // The strip's extension frame starts loading now, while the raw source is
  // fetched and analysed; it asks for its record and gets it once stored.
  const routeId = crypto.randomUUID();
  const strip = frameFor('route', routeId);
  strip.style.height = '44px';
  holder.replaceChildren(strip);
  let raw;
  try {
    raw = await adapter.rawSource(message);
  } catch (error) {
    forgetFrame(routeId);
    showUnavailable(holder, adapter, error);
    return;
  }
  // From the raw source's arrival to the strip's first report of its rendered size (./build.sh bench reads it).
  strip.dataset.rawAt = String(performance.now());
  try {
    const opened = await request('transport.open', { raw, messageId: `${location.origin} ${message.id}`, from: message.sender, routeId });
    // A message seen before keeps its cached analysis under its first frame's id.
    if (opened.route !== routeId) {
      forgetFrame(routeId);
      const cached = frameFor('route', opened.route);
      cached.style.height = '44px';
      holder.replaceChildren(cached);
    }
    if (opened.pgp && message.body && !message.body.querySelector('[data-sealmark-frame=read]')) {
      const reader = frameFor('read', opened.pgp);
      reader.style.height = '140px';
      message.body.prepend(reader);
    }
  } catch (error) {
    forgetFrame(routeId);
    holder.textContent = String(error?.message ?? error);
  }
}

/**
 * Says why this message's source cannot be had here, and offers the manual
 * path: the webmail's own source view, copied into Sealmark's Inspector.
 * Nothing here is secret; a page imitating it can at most open the Inspector.
 */
function showUnavailable(holder, adapter, error) {
  const where = adapter.sourceHint ? ` ${t(adapter.sourceHint)}` : '';
  const text = document.createElement('span');
  text.textContent = `${t('routeUnavailable', [String(error?.message ?? error)])}${where}`;
  const inspector = document.createElement('button');
  inspector.type = 'button';
  inspector.textContent = t('openInspector');
  inspector.dataset.sealmarkButton = 'inspector';
  Object.assign(inspector.style, { font: 'inherit', marginLeft: '8px', padding: '2px 10px', borderRadius: '12px', border: '1px solid #1d6b4f', background: '#fff', color: '#1d6b4f', cursor: 'pointer' });
  // Only a person's click opens it: the page could click the button in a loop.
  inspector.addEventListener('click', (event) => {
    if (event.isTrusted) request('content.openInspector').catch(() => null);
  });
  holder.replaceChildren(text, inspector);
  holder.dataset.sealmarkRoute = 'unavailable';
  Object.assign(holder.style, { font: '13px system-ui, sans-serif', color: '#5f6368', margin: '4px 0' });
}
