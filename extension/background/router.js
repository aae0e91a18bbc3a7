import { ext } from '../shared/browser.js';
import { core } from './core.js';

/** Request handlers by type; each receives the payload and the validated sender. */
const handlers = {
  'core.version': async () => (await core()).version(),
  'core.buildInfo': async () => (await core()).buildInfo(),
  'transport.analyze': async ({ raw, trustedDomains = [] }) => {
    if (typeof raw !== 'string') throw Object.assign(new Error('raw must be the message as text'), { code: 'BAD_INPUT' });
    return (await core()).analyzeMessage(raw, { trustedDomains });
  },
};

/**
 * Whether a message comes from one of our own extension pages. Content scripts
 * of webmail tabs will get their own, narrower door when they exist.
 * @param {chrome.runtime.MessageSender} sender
 */
function isOwnPage(sender) {
  return sender.id === ext.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(ext.runtime.getURL(''));
}

/**
 * Answers one request with `{ok: true, result}` or `{ok: false, error: {code, message}}`.
 * @param {{type: string, payload?: object}} message
 * @param {chrome.runtime.MessageSender} sender
 */
export async function route(message, sender) {
  if (!isOwnPage(sender)) return failure('FORBIDDEN_SENDER', 'Only Sealmark pages may ask this.');
  const handler = handlers[message?.type];
  if (!handler) return failure('UNKNOWN_REQUEST', `Unknown request type: ${String(message?.type)}`);
  try {
    return { ok: true, result: await handler(message.payload ?? {}, sender) };
  } catch (error) {
    return failure(error?.code ?? 'INTERNAL', error?.message ?? String(error));
  }
}

function failure(code, message) {
  return { ok: false, error: { code, message } };
}
