import { addressesIn, setInput, writeText } from './common.js';

/**
 * Gmail: compose windows are dialogs (or inline replies) around a
 * contenteditable `div[role=textbox]` marked `g_editable`; recipients are
 * chips carrying an `email` attribute; messages are shown in `div.a3s`.
 * @type {import('./index.js').Adapter}
 */
export const gmail = {
  name: 'gmail',
  detect: (location) => location.hostname === 'mail.google.com',
  composeAreas: (document) =>
    [...document.querySelectorAll('div[g_editable="true"][role="textbox"], div.Am.Al.editable[contenteditable="true"]')].map((body) => {
      const form = body.closest('[role="dialog"], form, .M9, .ip') ?? document;
      return {
        body,
        recipients: () => addressesIn(form.querySelectorAll('[email], [data-hovercard-id], input[name="to"], input[name="cc"]'), ['email', 'data-hovercard-id']),
        setSubject: (subject) => setInput(form.querySelector('input[name="subjectbox"]'), subject),
      };
    }),
  readContainers: (document) => [...document.querySelectorAll('div.a3s')],
  senderOf: (container) => {
    const message = container.closest('.adn, [role="listitem"]') ?? document;
    return message.querySelector('.gD[email], span[email]')?.getAttribute('email')?.toLowerCase() ?? null;
  },
  writeBody: writeText,
};
