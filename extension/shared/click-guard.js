import { t } from './i18n.js';

const ARMING_DELAY_MS = 400;

/**
 * Refuses clicks on the given buttons while they are not plainly visible: a
 * page can make a Sealmark frame transparent or cover it to trick the user
 * into clicking Decrypt or Encrypt (clickjacking). Where the browser reports
 * occlusion and opacity (IntersectionObserver v2, Chromium) that is checked;
 * elsewhere at least that the button is on screen. A button also stays inert
 * for a moment after it becomes visible, against click-through.
 * @param {HTMLElement[]} buttons
 * @param {(message: string) => void} warn  shows why a click was refused
 */
export function guardClicks(buttons, warn) {
  const visibleSince = new Map(buttons.map((button) => [button, null]));
  let arming = 0;
  // `data-clickable` on the document says every shown guarded button accepts clicks (for styling and tests).
  const mark = () => {
    clearTimeout(arming);
    delete document.documentElement.dataset.clickable;
    const shown = buttons.filter((button) => button.offsetParent !== null);
    if (shown.some((button) => visibleSince.get(button) === null)) return;
    arming = setTimeout(() => (document.documentElement.dataset.clickable = 'true'), ARMING_DELAY_MS);
  };
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const visible = 'isVisible' in entry ? entry.isVisible : entry.isIntersecting;
        visibleSince.set(entry.target, visible ? (visibleSince.get(entry.target) ?? performance.now()) : null);
      }
      mark();
    },
    { threshold: [0, 1], trackVisibility: true, delay: 100 },
  );
  for (const button of buttons) {
    observer.observe(button);
    button.addEventListener(
      'click',
      (event) => {
        const since = visibleSince.get(button);
        if (since !== null && performance.now() - since >= ARMING_DELAY_MS) return;
        event.stopImmediatePropagation();
        event.preventDefault();
        warn(t('clickRefused'));
      },
      true,
    );
  }
}
