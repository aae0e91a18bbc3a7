import { core } from '../core.js';
import { fail } from '../errors.js';
import { openFrame } from '../frames.js';
import { enabledOrigin } from '../sites.js';

const CONTENT = ['content'];
const KINDS = new Set(['message', 'signed_message', 'public_key']);

/** Requests of content scripts: they carry ciphertext, addresses and armored text only. */
export const contentHandlers = {
  'content.hello': { from: CONTENT, run: () => true },
  'frame.open': {
    from: CONTENT,
    run: async ({ kind, recipients, armored, sender: from }, sender) => {
      const origin = await enabledOrigin(sender.url);
      const base = { tabId: sender.tab.id, frameId: sender.frameId ?? 0, origin };
      if (kind === 'compose') {
        const list = Array.isArray(recipients) ? recipients.slice(0, 500).map(String) : [];
        return openFrame({ ...base, kind, data: { recipients: list } });
      }
      if (kind === 'read') {
        if (typeof armored !== 'string') fail('BAD_INPUT', 'A read frame needs an armored block.');
        // The page's text is repaired (quoting, wrapping) and classified here, not trusted as sent.
        const [block] = (await core()).findArmoredBlocks(armored);
        if (!block || !KINDS.has(block.kind)) fail('BAD_ARMOR', 'no complete armored block');
        return openFrame({ ...base, kind, data: { kind: block.kind, armored: block.armored, sender: typeof from === 'string' ? from : null } });
      }
      fail('BAD_INPUT', `Unknown frame kind ${String(kind)}`);
    },
  },
};
