// A webmail's own compose screen, addressed and filled through its address: how a key backup
// is sent to oneself through the webmail the person has open (Gmail's view=cm, Outlook's
// deeplink, Roundcube's compose action, which takes every field as a request parameter).

/** The webmails whose compose screen takes its fields from its address. */
export const COMPOSE_KINDS = new Set(['gmail', 'outlook', 'roundcube']);

/**
 * The address of `kind`'s compose screen, for the account open at `pageUrl`, with its fields filled.
 * @param {string} kind  an adapter name
 * @param {string} pageUrl  the address of the webmail's open tab
 * @param {{to: string, subject: string, body: string}} fields
 * @returns {string|null} null for a webmail without such an address
 */
export function composeUrl(kind, pageUrl, { to, subject, body }) {
  const page = new URL(pageUrl);
  if (kind === 'gmail') {
    // The account open in the tab (/mail/u/1/, a delegated /mail/b/…/u/0/), not always the first.
    const account = /^\/mail\/(?:b\/[^/]+\/)?(?:u\/\d+\/)?/.exec(page.pathname)?.[0] ?? '/mail/';
    const url = new URL(account, page.origin);
    url.search = new URLSearchParams({ view: 'cm', fs: '1', to, su: subject, body }).toString();
    return url.href;
  }
  if (kind === 'outlook') {
    const url = new URL('/mail/deeplink/compose', page.origin);
    url.search = new URLSearchParams({ to, subject, body }).toString();
    return url.href;
  }
  if (kind === 'roundcube') {
    // Roundcube runs wherever its owner put it (/, /roundcube/, /mail/): the tab's own folder.
    const url = new URL(page.pathname.replace(/[^/]*$/, ''), page.origin);
    url.search = new URLSearchParams({ _task: 'mail', _action: 'compose', _to: to, _subject: subject, _body: body }).toString();
    return url.href;
  }
  return null;
}
