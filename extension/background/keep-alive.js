import { ext } from '../shared/browser.js';

/**
 * Keeps the background running while work it started is still under way.
 *
 * Both browsers stop an idle background: Chrome its service worker after
 * 30 s, Firefox its event page after `extensions.background.idle.timeout`
 * (30 s by default). A reply still owed to `runtime.sendMessage` is not
 * activity in either: Firefox counts only the event's arrival (its
 * test_ext_eventpage_messaging.js), so a v6 key generation that outlasted a
 * short timeout lost its answer ("Receiving end does not exist"), and so
 * would a large message or RSA-4096 on a slow machine. A call into an
 * extension API is activity in both (Chrome 110+; Firefox resets the timer
 * with reason "parentApiCall"), so while anything is pending one cheap call
 * is made every second; nothing is made once the work is done, and the
 * browser may then stop the background as usual.
 */
const BEAT_MS = 1000;
let pending = 0;
let timer = 0;

/**
 * Runs `work` with the background kept alive until it settles.
 * @template T
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
export async function whilePending(work) {
  if (pending++ === 0) {
    beat();
    timer = setInterval(beat, BEAT_MS);
  }
  try {
    return await work();
  } finally {
    if (--pending === 0) clearInterval(timer);
  }
}

function beat() {
  ext.runtime.getPlatformInfo().catch(() => {});
}
