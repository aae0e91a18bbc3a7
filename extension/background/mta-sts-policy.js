// The MTA-STS policy text (RFC 8461 §3.2), read without a network: kept
// apart from the fetching so the rules can be tested on their own.

/** The longest max_age RFC 8461 allows (one year), in seconds. */
export const MAX_AGE = 31_557_600;

/**
 * The policy a `mta-sts.txt` file states, or null when it is not a valid
 * STSv1 policy (RFC 8461 §3.2: `version: STSv1`, a mode, a max_age; `mx`
 * patterns unless the mode is none).
 * @param {string} text
 * @returns {{mode: 'enforce'|'testing'|'none', mx: string[], maxAge: number} | null}
 */
export function parsePolicy(text) {
  const fields = {};
  const mx = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Za-z0-9_]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!match) continue;
    const key = match[1].toLowerCase();
    if (key === 'mx') mx.push(match[2].toLowerCase());
    else fields[key] ??= match[2];
  }
  const maxAge = Number(fields.max_age);
  if (fields.version !== 'STSv1' || !['enforce', 'testing', 'none'].includes(fields.mode)) return null;
  if (!/^[0-9]{1,10}$/.test(fields.max_age ?? '') || (fields.mode !== 'none' && !mx.length)) return null;
  return { mode: fields.mode, mx, maxAge: Math.min(maxAge, MAX_AGE) };
}

/**
 * Whether a host name matches one of the policy's `mx` patterns (an exact
 * name, or `*.example.net` for one more label on the left).
 * @param {string} host
 * @param {string[]} patterns
 */
export function mxMatches(host, patterns) {
  const name = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((pattern) => (pattern.startsWith('*.') ? name.endsWith(pattern.slice(1)) && !name.slice(0, -pattern.length + 1).includes('.') : name === pattern));
}
