import { ext } from '../../shared/browser.js';
import { core, transportCore } from '../core.js';
import { digest } from '../digest.js';
import { fail, failSaying } from '../errors.js';
import { openFrame } from '../frames.js';
import { LIMITS } from '../limits.js';
import { enabledOrigin } from '../sites.js';
import { settings } from '../settings.js';
import { learnFrom } from '../autocrypt.js';
import { noteRoute } from '../history.js';
import { policyForRoute } from '../mta-sts.js';
import { answerKind } from '../../shared/reply-subject.js';
import { toBase64 } from '../../shared/bytes.js';
import { oneLine } from '../../shared/one-line.js';
import { addressOf } from '../../shared/addresses.js';
import { isSetupMessage } from '../../shared/setup-message.js';

const KINDS = new Set(['message', 'signed_message', 'public_key']);

/**
 * A reader frame for a PGP/MIME message (RFC 3156), or null for any other
 * message. `sender` is the From of the raw message, which the signature is
 * checked against (the name a page shows can be anything).
 * @param {import('../../wasm/sealmark.js').PgpMime} parsed  the core's reading of the message
 */
async function pgpMimeFrame(parsed, base, sender) {
  if (parsed.type === 'encrypted') {
    const armored = new TextDecoder().decode(parsed.ciphertext);
    return openFrame({ ...base, kind: 'read', data: { kind: 'message', mime: true, armored, sender, outer: parsed.outer } });
  }
  if (parsed.type === 'signed') {
    const signed = toBase64(parsed.signed);
    const signature = toBase64(parsed.signature);
    return openFrame({ ...base, kind: 'read', data: { kind: 'mime_signed', signed, signature, sender } });
  }
  return null;
}

/** The recipients a compose window shows, or a clear error when there are more than any real message has. */
function recipientList(recipients) {
  const list = Array.isArray(recipients) ? recipients.map(String) : [];
  if (list.length > LIMITS.recipients) failSaying('TOO_MANY_RECIPIENTS', 'detailRecipientsOverLimit', [list.length, LIMITS.recipients]);
  return list;
}


/**
 * The encrypted message a compose window answers, when the page showed one: its armored block as
 * the page quoted it (repaired and classified here, like a reader's), the webmail's attribution line
 * and the subject. The editor opens it only when the person asks, and never hands it to the page.
 */
async function quoteOf(quote) {
  if (!quote || typeof quote !== 'object' || typeof quote.armored !== 'string') return null;
  const subject = oneLine(quote.subject, 998);
  const forward = answerKind(subject) === 'forward';
  // Too large to quote: the editor opens and says so. Measured as the record will be stored.
  if (JSON.stringify(quote.armored).length > LIMITS.armoredBytes) return { kind: null, tooLarge: true, subject, forward };
  // A quote Sealmark cannot read costs the person their editor never: it is then no quote.
  const [block] = await core().then((sealmark) => sealmark.findArmoredBlocks(quote.armored)).catch(() => []);
  if (!block || (block.kind !== 'message' && block.kind !== 'signed_message')) return null;
  return { kind: block.kind, armored: block.armored, attribution: oneLine(quote.attribution, 300), subject, forward };
}


/** Requests of content scripts: they carry ciphertext, addresses and armored text only. */
export const contentHandlers = {
  // A webmail tab starting is the moment to load the route engine, before its first message
  // needs it. The OpenPGP core waits until a message asks for OpenPGP work.
  'content.hello': {
    run: () => {
      transportCore().catch(() => null);
      return true;
    },
  },
  // The manual path where a webmail gives no way to a message's source: the Inspector, in a tab of its own.
  'content.openInspector': {
    run: async () => {
      await ext.tabs.create({ url: ext.runtime.getURL('pages/inspect/inspect.html') });
      return true;
    },
  },
  'frame.open': {
    run: async ({ kind, recipients, blindRecipients, unaddressed, blindUnaddressed, recipientsUnknown, conversation, quote, sendingAddress, sendingAddressIsMailbox, armored, sender: from, messageKey }, sender) => {
      const origin = await enabledOrigin(sender.url);
      const base = { tabId: sender.tab.id, frameId: sender.frameId ?? 0, origin };
      if (kind === 'compose') {
        // Bcc addresses travel apart: the editor encrypts to them only when the user says so.
        // Names the webmail shows without an address travel as names, for the editor to ask about.
        const [names, blindNames] = [recipientList(unaddressed), recipientList(blindUnaddressed)];
        if ([...names, ...blindNames].some((name) => name.length > LIMITS.recipientName)) failSaying('BAD_INPUT', 'detailRecipientNameTooLong', [LIMITS.recipientName]);
        const data = {
          recipients: recipientList(recipients), blindRecipients: recipientList(blindRecipients), unaddressed: names, blindUnaddressed: blindNames,
          recipientsUnknown: recipientsUnknown === true,
          // Drafts are offered back in the conversation they were written in.
          conversation: typeof conversation === 'string' ? conversation.slice(0, LIMITS.messageId) : '',
          quote: await quoteOf(quote),
          // The webmail's From (Send as, identities): it picks which own key signs, shown in the editor.
          sendingAddress: typeof sendingAddress === 'string' ? addressOf(sendingAddress.slice(0, LIMITS.recipientName)) : null,
          // The webmail gave its mailbox's own address, not its From field (Outlook): the editor says so.
          fromIsMailbox: sendingAddressIsMailbox === true,
        };
        return openFrame({ ...base, kind, data });
      }
      if (kind === 'read') {
        if (typeof armored !== 'string') fail('BAD_INPUT', 'A read frame needs an armored block.');
        if (armored.length > LIMITS.armoredBytes) failSaying('TOO_LARGE', 'detailBlockTooLarge', [LIMITS.armoredBytes / 1024 / 1024]);
        // The page's text is repaired (quoting, wrapping) and classified here, not trusted as sent.
        const [block] = (await core()).findArmoredBlocks(armored);
        if (!block || !KINDS.has(block.kind)) failSaying('BAD_ARMOR', 'detailNoCompleteBlock');
        const key = typeof messageKey === 'string' ? messageKey.slice(0, LIMITS.messageId) : null;
        // A key backup (Autocrypt Setup Message) is offered for restoring, never decrypted in the page's frame:
        // its armor headers, which the repaired block drops, say how its setup code looks.
        const backup = block.kind === 'message' && isSetupMessage(armored) ? armored : null;
        return openFrame({ ...base, kind, data: { kind: block.kind, armored: block.armored, backup, sender: typeof from === 'string' ? from : null, messageKey: key } });
      }
      fail('BAD_INPUT', `Unknown frame kind ${String(kind)}`);
    },
  },
  'transport.open': {
    run: async ({ raw, messageId, from, confirmFrom, routeId }, sender) => {
      if (typeof raw !== 'string' || !raw) failSaying('BAD_INPUT', 'detailRawMissing');
      if (raw.length > LIMITS.rawBytes) failSaying('TOO_LARGE', 'detailRawTooLarge', [LIMITS.rawBytes / 1024 / 1024]);
      const key = typeof messageId === 'string' ? messageId.slice(0, LIMITS.messageId) : undefined;
      // The strip is waiting for this answer: independent look-ups run together.
      const [origin, transport, { trustedDomains }] = await Promise.all([enabledOrigin(sender.url), transportCore(), settings()]);
      // The webmail's id names the message only within one account: the digest of the source's
      // header goes with it, so that another account's message under the same id never gets this
      // one's cached analysis.
      const headerEnd = raw.search(/\r?\n\r?\n/);
      const base = { tabId: sender.tab.id, frameId: sender.frameId ?? 0, origin, key, digest: await digest(headerEnd < 0 ? raw : raw.slice(0, headerEnd)) };
      // The raw source comes from the mailbox as delivered: its order is never read from its fields.
      // The route and the outline (sender, Autocrypt field, PGP/MIME: whether the OpenPGP core is
      // needed for this message at all) come from one reading of it.
      const { report, outline } = transport.inspectMessage(raw, { trustedDomains, deliveredOrder: true });
      // A source found by an id the webmail showed only beside the message (Outlook's address bar)
      // is believed to be the shown message's only when its From is the sender shown: otherwise
      // another message's route, signature and content would be shown as this one's.
      const shown = typeof from === 'string' ? from.toLowerCase() : null;
      if (confirmFrom === true && !shown) fail('SENDER_UNKNOWN', 'The page shows no sender address to check the source against.');
      if (confirmFrom === true && outline.from !== shown) fail('SOURCE_MISMATCH', 'The source the webmail returned is not that of the message it shows.');
      const [history, mtaSts] = await Promise.all([noteRoute(report, outline.from, key).catch(() => null), policyForRoute(report).catch(() => null)]);
      // The From of the raw message goes with the route: readers of blocks in this message check their signer against it.
      const route = await openFrame({ ...base, kind: 'route', data: { report, from: outline.from, history, mtaSts }, id: routeId });
      if (!outline.pgp_mime) {
        // The sender's Autocrypt header updates what we know of them after the strip is on its way.
        learnFrom(raw, outline).catch(() => null);
        return { route, pgp: null };
      }
      // The OpenPGP core reads the message once: its PGP/MIME parts and its Autocrypt field.
      const parts = (await core()).readMessage(raw, Math.floor(Date.now() / 1000));
      const pgp = await pgpMimeFrame(parts.pgpMime, base, outline.from ?? (typeof from === 'string' ? from : null));
      learnFrom(raw, outline, parts.autocrypt).catch(() => null);
      return { route, pgp };
    },
  },
};
