import { t } from './i18n.js';

const ARMING_DELAY_MS = 400;
/** What changes state when clicked: everything a person can press or tick in a Sealmark frame. */
const CONTROLS = 'button, input[type=checkbox], input[type=radio], select, summary, a[href]';

/**
 * Refuses clicks on every control of this document while they could be a
 * trick (clickjacking): a page can make a Sealmark frame transparent, cover
 * it, resize it or slide it under the pointer just before the user clicks.
 * A control accepts clicks only once it has been plainly visible for a
 * moment, and the moment starts again whenever
 * - it becomes visible (IntersectionObserver; where the browser reports
 *   occlusion and opacity — v2, Chromium — those are checked too),
 * - the frame is resized,
 * - the frame moves on the screen: the offset between a pointer event's
 *   screen and client positions is the frame's position, so a click whose
 *   offset differs from the last pointer event's came after a move.
 * Clicks without coordinates (Enter or Space on the focused control, or a
 * script of this page) aim by focus, not by position: a resize or a move
 * does not change what they press, so they are judged by visibility and by
 * how long this frame has had the keyboard. A page can hand the keyboard to
 * the frame (focusing it) just before the person presses Enter for the page;
 * a key press that soon after is refused, and so is one after the page
 * changed the frame's fragment (which can focus a control). A person tabbing
 * within the frame is never made to wait.
 * @param {(message: string) => void} warn  shows why a click was refused
 */
export function guardClicks(warn) {
  const visibleSince = new WeakMap();
  let disarmedAt = performance.now();
  let focusedAt = performance.now();
  let lastOffset = null;
  let arming = 0;

  /** When `control` takes a pointer's click (`keyboard` false) or a key press: null while it is not seen. */
  const acceptsFrom = (control, keyboard) => {
    const since = visibleSince.get(control);
    if (since === undefined || since === null) return null;
    return Math.max(since, keyboard ? focusedAt : disarmedAt) + ARMING_DELAY_MS;
  };
  const armedAt = (control) => {
    const pointer = acceptsFrom(control, false);
    return pointer === null ? null : Math.max(pointer, acceptsFrom(control, true));
  };
  // `data-clickable` on the document says every control in view accepts clicks and key presses,
  // `data-armed` on a control that it does (for styling and tests); a control scrolled out of view does not count,
  // one not yet seen by the observer does.
  const mark = () => {
    clearTimeout(arming);
    delete document.documentElement.dataset.clickable;
    const controls = [.../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(CONTROLS))];
    for (const control of controls) delete control.dataset.armed;
    const shown = controls.filter((c) => c.offsetParent !== null && visibleSince.get(c) !== null);
    if (!shown.length) return;
    const times = shown.map(armedAt);
    if (times.some((at) => at === null)) return;
    const wait = Math.max(0, ...times) - performance.now();
    arming = setTimeout(() => {
      for (const control of shown) control.dataset.armed = 'true';
      document.documentElement.dataset.clickable = 'true';
    }, Math.max(0, wait) + 10);
  };
  const disarm = () => {
    disarmedAt = performance.now();
    mark();
  };

  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const visible = 'isVisible' in entry ? entry.isVisible : entry.isIntersecting;
        visibleSince.set(entry.target, visible ? (visibleSince.get(entry.target) ?? performance.now()) : null);
      }
      mark();
    },
    // Chromium's IntersectionObserver v2 options (Firefox ignores them), not yet in TypeScript's DOM types.
    /** @type {IntersectionObserverInit} */ (/** @type {unknown} */ ({ threshold: [0, 1], trackVisibility: true, delay: 100 })),
  );
  const observe = (root) => {
    for (const control of root.querySelectorAll?.(CONTROLS) ?? []) observer.observe(control);
    if (root.matches?.(CONTROLS)) observer.observe(root);
  };
  observe(document);
  new MutationObserver((mutations) => {
    for (const mutation of mutations) for (const node of mutation.addedNodes) if (node.nodeType === Node.ELEMENT_NODE) observe(node);
    mark();
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden', 'disabled'] });

  window.addEventListener('resize', disarm);
  // Only a frame inside a page can be handed the keyboard by that page; Sealmark's own windows
  // gain focus from the person (and, in tests, from the driver switching windows).
  if (window.top !== window) {
    window.addEventListener('focus', () => {
      focusedAt = performance.now();
      mark();
    });
    // The page can also change the fragment of this frame's address (`#encrypt`): the browser
    // then scrolls to that element and may focus it, moving the keyboard and the controls under
    // the pointer without a resize, a move or a window focus. Caught as the focus lands (before
    // any key press can) and when the fragment changes: everything is disarmed, the focus it
    // placed is taken back and the address restored.
    const ownHash = location.hash;
    const fragmentMoved = () => {
      if (location.hash === ownHash) return;
      disarmedAt = focusedAt = performance.now();
      history.replaceState(history.state, '', ownHash || `${location.pathname}${location.search}`);
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      mark();
    };
    window.addEventListener('hashchange', fragmentMoved);
    document.addEventListener('focusin', fragmentMoved, true);
  }
  document.addEventListener('visibilitychange', disarm);
  const moved = (event) => {
    if (!hasPosition(event)) return false;
    const offset = [event.screenX - event.clientX, event.screenY - event.clientY];
    const changed = lastOffset !== null && (Math.abs(offset[0] - lastOffset[0]) > 1 || Math.abs(offset[1] - lastOffset[1]) > 1);
    lastOffset = offset;
    if (changed) disarm();
    return changed;
  };
  for (const type of ['pointermove', 'pointerover', 'pointerdown']) window.addEventListener(type, moved, true);

  document.addEventListener(
    'click',
    (event) => {
      const control = event.target instanceof Element ? event.target.closest(CONTROLS) : null;
      if (!control) return;
      const byKeyboard = !hasPosition(event);
      if (!byKeyboard) moved(event);
      const at = acceptsFrom(control, byKeyboard);
      if (at !== null && performance.now() >= at) return;
      event.stopImmediatePropagation();
      event.preventDefault();
      warn(t(byKeyboard ? 'keyRefused' : 'clickRefused'));
    },
    true,
  );
}

/** A pointer's click has a position; Enter or Space on a focused control, or a script's click, has none. */
function hasPosition(event) {
  return !(event.screenX === 0 && event.screenY === 0 && event.clientX === 0 && event.clientY === 0);
}
