import { fail } from '../errors.js';
import { openFrame } from '../frames.js';
import { enabledOrigin } from '../sites.js';

const CONTENT = ['content'];
const KINDS = new Set(['message', 'signed_message', 'public_key']);

/** Requests of content scripts: they carry ciphertext, addresses and armored text only. */
export const contentHandlers = {
  'frame.open': {
    from: CONTENT,
    run: async ({ kind, recipients, armored, blockKind, sender: from }, sender) => {
      const origin = await enabledOrigin(sender.url);
      const base = { tabId: sender.tab.id, frameId: sender.frameId ?? 0, origin };
      if (kind === 'compose') {
        const list = Array.isArray(recipients) ? recipients.slice(0, 500).map(String) : [];
        return openFrame({ ...base, kind, data: { recipients: list } });
      }
      if (kind === 'read') {
        if (typeof armored !== 'string' || !KINDS.has(blockKind)) fail('BAD_INPUT', 'A read frame needs an armored block.');
        return openFrame({ ...base, kind, data: { kind: blockKind, armored, sender: typeof from === 'string' ? from : null } });
      }
      fail('BAD_INPUT', `Unknown frame kind ${String(kind)}`);
    },
  },
};
