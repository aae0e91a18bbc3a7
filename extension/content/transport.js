import { describeError } from '../shared/errors.js';
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
  const schedule = () => {
    pending ||= setTimeout(scan, 50);
  };
  const scan = () => {
    pending = 0;
    for (const message of adapter.openMessages(document)) {
      if (message.anchor.dataset[MARK] === markOf(message)) continue;
      message.anchor.dataset[MARK] = markOf(message);
      show(adapter, message, schedule);
    }
  };
  new MutationObserver((mutations) => {
    if (mutations.every((m) => [...m.addedNodes].every((n) => /** @type {HTMLElement} */ (n).dataset?.sealmarkFrame || /** @type {HTMLElement} */ (n).dataset?.sealmarkStrip))) return;
    schedule();
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-message-id'] });
  watchAddress(schedule);
  scan();
}

/**
 * Calls back when the page's address changes. Webmails that name the shown
 * message only in the address (Outlook's deep link) can change it without
 * touching the page; the strip must then follow. The Navigation API sees
 * the page's own history.pushState; where a browser lacks it, the address is
 * compared once a second.
 * @param {() => void} changed
 */
function watchAddress(changed) {
  let last = location.href;
  const check = () => {
    if (location.href === last) return;
    last = location.href;
    changed();
  };
  addEventListener('popstate', check);
  addEventListener('hashchange', check);
  if (globalThis.navigation?.addEventListener) globalThis.navigation.addEventListener('currententrychange', check);
  else setInterval(check, 1000);
}

/**
 * What a strip was made for: the message's id and the sender shown, so that
 * a page redrawing another sender in the same place gets a new strip.
 * @param {import('./adapters/index.js').OpenMessage} message
 */
const markOf = (message) => `${message.id}\n${message.sender ?? ''}`;

/**
 * Whether the webmail still shows this message where it was found: while its
 * source was fetched and analysed, the page may have moved on (another
 * message in the same place, another sender drawn, a new address).
 * @param {import('./adapters/index.js').Adapter} adapter
 * @param {import('./adapters/index.js').OpenMessage} message
 */
function stillShown(adapter, message) {
  return adapter.openMessages(document).some((shown) => shown.anchor === message.anchor && markOf(shown) === markOf(message));
}

/**
 * Fetches a shown message's source, has it analysed, and puts its strip (and,
 * for PGP/MIME, its reader) in the page, unless the page moved on meanwhile.
 * @param {import('./adapters/index.js').Adapter} adapter
 * @param {import('./adapters/index.js').OpenMessage} message
 * @param {() => void} rescan  looks at the page again
 */
async function show(adapter, message, rescan) {
  const holder = document.createElement('div');
  holder.dataset.sealmarkStrip = message.id;
  // Another message shown in the same place replaces the old strips (the webmail may have put
  // something between them and the header) and the old message's reader.
  for (const old of message.anchor.parentElement?.querySelectorAll(':scope > [data-sealmark-strip]') ?? []) old.remove();
  for (const reader of message.body?.querySelectorAll('[data-sealmark-source]') ?? []) if (/** @type {HTMLElement} */ (reader).dataset.sealmarkSource !== message.id) reader.remove();
  message.anchor.after(holder);
  // The strip's extension frame starts loading now, while the raw source is
  // fetched and analysed; it asks for its record and gets it once stored.
  const routeId = crypto.randomUUID();
  // What was fetched for a message no longer shown is dropped, and the page looked at again.
  const moved = () => {
    if (stillShown(adapter, message)) return false;
    forgetFrame(routeId);
    holder.remove();
    if (message.anchor.dataset[MARK] === markOf(message)) delete message.anchor.dataset[MARK];
    rescan();
    return true;
  };
  const strip = frameFor('route', routeId);
  strip.style.height = '44px';
  holder.replaceChildren(strip);
  let raw;
  try {
    raw = await adapter.rawSource(message);
  } catch (error) {
    forgetFrame(routeId);
    if (!moved()) showUnavailable(holder, adapter, error);
    return;
  }
  if (moved()) return;
  // From the raw source's arrival to the strip's first report of its rendered size (./build.sh bench reads it).
  strip.dataset.rawAt = String(performance.now());
  try {
    // Where the webmail's id for the message was inferred (from the address), the source must prove it is the shown message's.
    const opened = await request('transport.open', { raw, messageId: `${location.origin} ${message.id}`, from: message.sender, confirmFrom: message.inferred === true, routeId });
    if (moved()) return;
    // A message seen before keeps its cached analysis under its first frame's id.
    if (opened.route !== routeId) {
      forgetFrame(routeId);
      const cached = frameFor('route', opened.route);
      cached.style.height = '44px';
      holder.replaceChildren(cached);
    }
    if (opened.pgp && message.body && !message.body.querySelector('[data-sealmark-frame=read]')) {
      const reader = frameFor('read', opened.pgp);
      reader.dataset.sealmarkSource = message.id;
      reader.style.height = '140px';
      message.body.prepend(reader);
    }
  } catch (error) {
    forgetFrame(routeId);
    if (error?.code === 'SOURCE_MISMATCH' || error?.code === 'SENDER_UNKNOWN') showUnavailable(holder, adapter, describeError(error));
    else holder.textContent = describeError(error);
  }
}

/**
 * Says why this message's source cannot be had here, and offers the manual
 * path: the webmail's own source view, copied into Sealmark's Inspector.
 * Nothing here is secret; a page imitating it can at most open the Inspector.
 */
function showUnavailable(holder, adapter, reason) {
  const where = adapter.sourceHint ? ` ${t(adapter.sourceHint)}` : '';
  const text = document.createElement('span');
  text.textContent = `${t('routeUnavailable', [String(reason?.message ?? reason)])}${where}`;
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
