// The route's verdict in the person's language. The core judges and says its
// sentence and notes in English (the CLI shows them); the extension and the
// Inspector say the same from the same facts, through the locale files, so a
// German or French route is German or French. In English the two read alike,
// word for word (tests/unit/verdict-words.test.mjs).

/**
 * "3", "2 and 3", "1, 2 and 4": hop numbers as people count them (1-based).
 * @param {number[]} indexes  0-based hop indexes
 * @param {(key: string, substitutions?: string[]) => string} t
 */
function numbers(indexes, t) {
  const counted = indexes.map((index) => String(index + 1));
  if (counted.length < 2) return counted.join('');
  return `${counted.slice(0, -1).join(', ')} ${t('listAnd')} ${counted.at(-1)}`;
}

/** `TLSv1.3` → `TLS 1.3`, as the badges say it. */
const shown = (version) => version.replace('TLSv', 'TLS ').replace('SSLv', 'SSL ');
const RANK = { SSLv3: 0, 'TLSv1.0': 1, 'TLSv1.1': 2, 'TLSv1.2': 3 };
const rank = (version) => RANK[version] ?? 4;

/** " (TLS 1.3)", " (TLS 1.2–1.3)", or nothing when no hop stated its version. */
function versionRange(hops) {
  const versions = [...new Set(hops.filter((hop) => !hop.internal && hop.tls.encrypted === true && hop.tls.version).map((hop) => hop.tls.version))]
    .sort((a, b) => rank(a) - rank(b));
  if (!versions.length) return '';
  const [low, high] = [versions[0], versions.at(-1)];
  return low === high ? ` (${shown(low)})` : ` (${shown(low)}–${shown(high).replace('TLS ', '')})`;
}

/**
 * The verdict's sentence, said from its facts.
 * @param {{verdict: object, hops: object[]}} report  what the core's analysis returned
 * @param {(key: string, substitutions?: string[]) => string} t  the locale's messages
 * @returns {string}
 */
export function verdictSentence(report, t) {
  const { verdict, hops } = report;
  const one = (list) => (list.length === 1 ? 'One' : 'Many');
  switch (verdict.status) {
    case 'no_hops':
      return t('verdictNoHops');
    case 'plaintext': {
      const plaintext = verdict.plaintext_hops;
      const downgrades = verdict.downgrade_suspected;
      const sentence = t(`verdictPlaintext${one(plaintext)}`, [numbers(plaintext, t)]);
      if (!downgrades.length) return sentence;
      const downgrade = downgrades.length === plaintext.length ? t('verdictDowngrade') : t(`verdictDowngradeAt${one(downgrades)}`, [numbers(downgrades, t)]);
      return `${sentence} — ${downgrade}`;
    }
    case 'unknown':
      return t(`verdictUnknown${one(verdict.unknown_hops)}`, [String(verdict.encrypted_hops), String(verdict.external_hops), numbers(verdict.unknown_hops, t)]);
    case 'all_encrypted':
      return verdict.encrypted_hops === 1
        ? `${t('verdictAllOne')}${versionRange(hops)}`
        : `${t('verdictAllMany', [String(verdict.encrypted_hops)])}${versionRange(hops)}`;
    default:
      // A judgement this extension does not know yet: the core's own words.
      return verdict.sentence;
  }
}

/**
 * The verdict's notes, said from their facts in the core's order: hops the sending side reported,
 * lines that look injected, the sender's address the first hop exposes, the sender's wish that
 * relays not insist on TLS, a header re-ordered oldest first, Received fields beyond those read.
 * @param {{verdict: object, hops: object[]}} report  what the core's analysis returned
 * @param {(key: string, substitutions?: string[]) => string} t  the locale's messages
 * @returns {string[]}
 */
export function verdictNotes(report, t) {
  const { verdict, hops } = report;
  const external = hops.filter((hop) => !hop.internal);
  const claimed = external.filter((hop) => !hop.trusted).length;
  const injected = verdict.injection_suspected;
  const said = [
    claimed > 0 ? t('verdictNoteClaimed', [String(claimed), String(external.length)]) : null,
    injected.length ? t(injected.length === 1 ? 'verdictNoteInjectedOne' : 'verdictNoteInjectedMany', [numbers(injected, t)]) : null,
    verdict.client_ip ? t('verdictNoteClientIp', [verdict.client_ip.ip]) : null,
    verdict.tls_required_no ? t('verdictNoteTlsRequiredNo') : null,
    verdict.oldest_first ? t('verdictNoteOldestFirst') : null,
    verdict.omitted_received > 0 ? t('verdictNoteOmitted', [String(hops.length), String(hops.length + verdict.omitted_received)]) : null,
  ].filter((note) => note !== null);
  // A note of a newer core, which these words do not know yet: its own words rather than none.
  return said.length < verdict.notes.length ? [...said, ...verdict.notes.slice(said.length)] : said;
}
