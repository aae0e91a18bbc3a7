// An extension page's script runs only once its messages can be read
// (i18n-ready.js), which on a busy machine can be well after the page has
// loaded: a click in between lands on a button with no listener yet and is
// lost. Each page says when its controls answer, so whoever drives it (the
// e2e tests) waits for that instead of guessing how long a machine takes.

/** Marks the page as wired: called by each extension page's script once its controls answer. */
export function pageReady() {
  document.documentElement.dataset.ready = 'true';
}
