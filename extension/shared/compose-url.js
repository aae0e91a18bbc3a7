// A webmail's own compose screen, addressed and filled through its address: how a key backup
// is sent to oneself through the webmail the person has open (Gmail's view=cm, Outlook's
// deeplink, Roundcube's compose action, which takes every field as a request parameter).

/** The webmails whose compose screen takes its fields from its address. */
export const COMPOSE_KINDS = new Set(['gmail', 'outlook', 'roundcube']);

/**
 * The account or installation open at `pageUrl`, as an address on the page's own site: Gmail's
 * account (`https://mail.google.com/mail/u/1/`), Roundcube's folder, Outlook's site. Tabs with
 * the same one (in one browser profile) send through the same account.
 * @param {string} kind  an adapter name
 * @param {string} pageUrl  the address of the webmail's open tab
 * @returns {URL|null} null for a webmail without a compose screen that takes its fields from its
 *   address, and for a path that would lead to another site (`//elsewhere.example/`)
 */
export function accountPlace(kind, pageUrl) {
  const page = new URL(pageUrl);
  const place = placeOn(kind, page);
  // A path is the page's to choose (history.pushState): one read as another host is no place here.
  return place && place.origin === page.origin ? place : null;
}

/** @param {string} kind @param {URL} page */
function placeOn(kind, page) {
  if (kind === 'gmail') {
    // The account open in the tab (/mail/u/1/, a delegated /mail/b/…/u/0/), not always the first.
    const account = /^\/mail\/(?:b\/[^/]+\/)?(?:u\/\d+\/)?/.exec(page.pathname)?.[0] ?? '/mail/';
    return new URL(account, page.origin);
  }
  if (kind === 'outlook') return new URL('/', page.origin);
  // Roundcube runs wherever its owner put it (/, /roundcube/, /mail/): the tab's own folder.
  if (kind === 'roundcube') return new URL(page.pathname.replace(/[^/]*$/, ''), page.origin);
  return null;
}

/**
 * The address of `kind`'s compose screen, for the account open at `pageUrl`, with its fields filled.
 * @param {string} kind  an adapter name
 * @param {string} pageUrl  the address of the webmail's open tab
 * @param {{to: string, subject: string, body: string}} fields
 * @returns {string|null} null for a webmail without such an address
 */
export function composeUrl(kind, pageUrl, { to, subject, body }) {
  const place = accountPlace(kind, pageUrl);
  if (!place) return null;
  const url = kind === 'outlook' ? new URL('/mail/deeplink/compose', place) : place;
  const fields =
    kind === 'gmail' ? { view: 'cm', fs: '1', to, su: subject, body }
    : kind === 'outlook' ? { to, subject, body }
    : { _task: 'mail', _action: 'compose', _to: to, _subject: subject, _body: body };
  url.search = new URLSearchParams(fields).toString();
  return url.href;
}
