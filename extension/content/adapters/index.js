import { gmail } from './gmail.js';
import { outlook } from './outlook.js';
import { roundcube } from './roundcube.js';
import { generic } from './generic.js';

/**
 * @typedef {object} ComposeArea
 * @property {HTMLElement} body  the webmail's compose field (textarea or contenteditable)
 * @property {() => string[]} recipients  To and Cc addresses as the webmail shows them
 * @property {() => string[]} [blindRecipients]  Bcc addresses: never encrypted to unless the user says so in the
 *   editor, since every recipient can read the key IDs a message is encrypted to. Reply-To and Followup-To are
 *   neither: they are not recipients of this message.
 * @property {() => string[]} [unaddressed]  names of recipients the webmail shows without an address (Microsoft 365's
 *   name-only chips): the editor asks the user about each rather than dropping it
 * @property {() => string[]} [blindUnaddressed]  Bcc recipients shown by name only: named in the editor, never encrypted to
 * @property {boolean} [recipientsUnknown]  the page's recipient fields could not be told to be this draft's: none were
 *   read, and the editor says so
 * @property {(subject: string) => void} setSubject
 * @property {() => string} [subject]  the subject the webmail shows: "Re:" or "Fwd:" there makes this a reply or a
 *   forward, whose encrypted original the editor may quote
 * @property {() => string|null} [from]  the address the webmail sends this message from (Gmail's Send as,
 *   Roundcube's identities): it picks the own key that signs; webmails that do not show it leave the default key
 * @property {boolean} [fromIsMailbox]  `from` gives the mailbox's own address, not the From field (Outlook's is not
 *   read): the editor says so, for a message sent from an alias or a shared mailbox
 * @property {HTMLElement} [shown]  what the webmail shows for the field, hidden while Sealmark's editor is open (default: body)
 * @property {(element: HTMLElement) => void} [place]  puts Sealmark's compose button and editor in the page (default: before `shown`)
 *
 * @typedef {object} Adapter
 * @property {string} name
 * @property {(location: Location, document: Document) => boolean} detect
 * @property {(document: Document) => ComposeArea[]} composeAreas
 * @property {(document: Document) => Element[]} readContainers  where received messages are shown
 * @property {(container: Element) => string|null} senderOf  the From address of a shown message
 * @property {(body: HTMLElement, armored: string) => void} writeBody
 * @property {(document: Document) => OpenMessage[]} [openMessages]  messages shown now, for the route strip
 * @property {(message: OpenMessage) => Promise<string>} [rawSource]  the raw message, from the webmail's own endpoint
 * @property {(location: Location) => string} [conversation]  which conversation a compose window answers, from the
 *   page's address (default: its path and fragment)
 * @property {string} [sourceHint]  the locale message saying where this webmail shows a message's source, for the
 *   manual path when `rawSource` fails
 *
 * @typedef {object} OpenMessage
 * @property {string} id  the webmail's id of the message
 * @property {HTMLElement} anchor  the strip goes after this (the message header)
 * @property {HTMLElement} body  where the message text is shown
 * @property {string|null} sender
 * @property {string|null} [itemId]  Outlook's item id, where the page reveals which message it is
 * @property {boolean} [inferred]  the id was found beside the message (Outlook's address bar), not on it: its source
 *   is believed to be this message's only when its From is the sender shown
 * @property {string} [unknownWhy]  the locale message saying why, where it does not
 * @property {string} [uid]  Roundcube's UID of the message in its folder
 * @property {string} [mbox]  Roundcube's folder of the message
 * @property {string|null} [legacyId]  Gmail's legacy message id, where its permanent id is not answered
 */

// Hosted webmails are recognised by origin; self-hosted ones (Roundcube, an
// Outlook on the web of one's employer) by their page structure.
const ADAPTERS = [gmail, outlook, roundcube];

/**
 * The adapter for this page; the generic one when no webmail is recognised.
 * @returns {Adapter}
 */
export function adapterFor(location, document) {
  return ADAPTERS.find((adapter) => adapter.detect(location, document)) ?? generic;
}
