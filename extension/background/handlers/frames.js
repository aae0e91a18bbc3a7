import { frameFor, frameWhenStored } from '../frames.js';


/** What every Sealmark frame asks first: the record it was opened for. */
export const frameHandlers = {
  'frame.get': {
    // `wait`: the frame loaded before its record was stored and waits for it (at most 30 s).
    /** @param {{id: string, wait?: boolean}} payload */
    run: async ({ id, wait }, sender) => {
      const record = wait ? await frameWhenStored(id, sender, 30_000) : await frameFor(id, sender);
      // A reader shows what the block is; the ciphertext itself stays here.
      const { armored, signed, signature, quote, ...shown } = record.data ?? {};
      // An editor learns that it answers an encrypted message, not the message: that is opened
      // only when the person asks for the quote.
      const quoted = quote ? { kind: quote.kind, forward: quote.forward, subject: quote.subject, tooLarge: quote.tooLarge === true } : null;
      return { kind: record.kind, origin: record.origin, data: { ...shown, ...(record.kind === 'compose' ? { quote: quoted } : {}) } };
    },
  },
};
