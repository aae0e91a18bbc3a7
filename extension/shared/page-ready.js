// An extension page's script runs only once its messages can be read
// (i18n-ready.js), which on a busy machine can be well after the page has
// loaded: a click in between lands on a button with no listener yet and is
// lost. Each page says when its controls answer, so whoever drives it (the
// e2e tests) waits for that instead of guessing how long a machine takes.

/** Marks the page as wired: called by each extension page's script once its controls answer. */
export function pageReady() {
  document.documentElement.dataset.ready = 'true';
}

/**
 * Marks the page as wired once every one of `setups` has settled: sections that
 * read what they show before wiring their controls. One that failed is logged
 * (it never reached its controls, which stay as drawn), and the page is still
 * marked, so whoever waits for it is not left waiting.
 * @param {unknown[]} setups  their promises (or values, for a section wired at once)
 * @returns {Promise<void>}
 */
export function readyAfter(setups) {
  return Promise.allSettled(setups)
    .then((results) => {
      for (const result of results) if (result.status === 'rejected') console.error(result.reason);
    })
    .finally(pageReady);
}
