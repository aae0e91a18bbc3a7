// The mail lab seen from a test: its names (tests/lab/lab.env), sending
// through it, waiting for delivery, and what its servers' logs say about
// every connection — the expected TLS state of each hop comes from there,
// never from strings written into a test.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WAIT_MS } from '../../e2e/lib/browser.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The lab's settings, from tests/lab/lab.env. */
export const LAB = Object.fromEntries(
  readFileSync(join(ROOT, 'tests/lab/lab.env'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => line.split('=', 2)),
);
const RUN = join(ROOT, LAB.LAB_RUN);
export const ROUNDCUBE_URL = `http://127.0.0.1:${LAB.LAB_WEB_PORT}/`;

/** Whether tests/lab/up.sh has brought the lab up. */
export function labIsUp() {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').some((l) => l.split(' ')[0] === LAB.LAB_NS);
}

/**
 * Gives `address` a further Roundcube identity, as Settings → Identities → Create does: a row in
 * Roundcube's own database for the user who signed in as `user` (idempotent).
 * @param {string} user
 * @param {string} name
 * @param {string} address
 */
export function addIdentity(user, name, address) {
  execFileSync('python3', ['-c', `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
(user_id,) = db.execute("SELECT user_id FROM users WHERE username = ?", (sys.argv[2],)).fetchone()
if not db.execute("SELECT 1 FROM identities WHERE user_id = ? AND email = ? AND del = 0", (user_id, sys.argv[4])).fetchone():
    db.execute("INSERT INTO identities (user_id, changed, del, standard, name, organization, email, \\"reply-to\\", bcc, html_signature) VALUES (?, datetime('now'), 0, 0, ?, '', ?, '', '', 0)", (user_id, sys.argv[3], sys.argv[4]))
    db.commit()
`, join(RUN, 'roundcube/roundcube.db'), user, name, address]);
}

/**
 * Submits a plain message through the sender's submission port (as Roundcube would),
 * to one address or several (comma-separated: one message, one transaction);
 * with `raw`, `body` is the rest of the message after From/To/Subject/Message-ID, sent byte for byte.
 * @returns {string} its Message-ID
 */
export function submit(to, subject, body, { raw = false } = {}) {
  return execFileSync('ip', ['netns', 'exec', LAB.LAB_NS, 'python3', join(ROOT, 'tests/lab/send.py'), to, subject, RUN, ...(raw ? ['raw'] : [])], {
    input: body,
    encoding: 'utf8',
  }).trim();
}

/** A lab user's home, as Dovecot's userdb gives it (tests/lab/up.sh). */
export function homeOf(address) {
  const [user, domain] = address.split('@');
  return join(RUN, 'mail', domain, user);
}

/**
 * Every delivered message of a lab user (Alice unless named), as [file, raw];
 * a file Dovecot renames meanwhile (from new/ to cur/, or for a flag
 * whenever Roundcube opens the inbox) is passed over, found again next time.
 */
export function mailbox(address = LAB.LAB_USER) {
  const dir = join(homeOf(address), 'Maildir');
  const files = [];
  for (const sub of ['new', 'cur']) {
    if (existsSync(join(dir, sub))) for (const name of readdirSync(join(dir, sub))) files.push(join(dir, sub, name));
  }
  return files.flatMap((file) => {
    try {
      return [[file, readFileSync(file, 'latin1')]];
    } catch (error) {
      if (error.code === 'ENOENT') return [];
      throw error;
    }
  });
}

/**
 * Waits (at most `ms`) until a message of `address` has the header line
 * `line` (e.g. "Subject: …" or "Message-ID: <…>"), and keeps a copy of it
 * under target/lab/run/captured (Dovecot renames the file once a client has
 * seen it).
 * @returns {Promise<{file: string, stored: string, raw: string}>} the copy, the file Dovecot stored, its bytes
 */
async function deliveredWith(address, line, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const found = mailbox(address).find(([, raw]) => headerSection(raw).includes(`\n${line}`));
    if (found) {
      mkdirSync(join(RUN, 'captured'), { recursive: true });
      const copy = join(RUN, 'captured', `${line.replace(/^[\w-]+: /, '').replace(/[^\w.-]+/g, '-')}.eml`);
      writeFileSync(copy, found[1], 'latin1');
      return { file: copy, stored: found[0], raw: found[1] };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no message with "${line}" delivered to ${address} within ${ms / 1000} s; see ${LAB.LAB_RUN}/log`);
}

/**
 * Waits until Alice has a message whose Subject line begins with `subject`.
 * @returns {Promise<string>} the path of its copy
 */
export async function delivered(subject, ms = WAIT_MS) {
  return (await deliveredWith(LAB.LAB_USER, `Subject: ${subject}`, ms)).file;
}

/**
 * Waits until the message with `messageId` is in `address`'s mailbox (a
 * sealed message's Subject hides what it was; its Message-ID stays outside).
 */
export function deliveredById(address, messageId, ms = WAIT_MS) {
  return deliveredWith(address, `Message-ID: ${messageId}`, ms);
}

/**
 * The IMAP UID Dovecot gave a delivered message file, from its maildir's
 * dovecot-uidlist (written just after the file: waited for).
 */
export async function imapUid(file) {
  const base = file.split('/').pop().split(':')[0];
  const uidlist = join(dirname(dirname(file)), 'dovecot-uidlist');
  for (const end = Date.now() + WAIT_MS; Date.now() < end;) {
    const list = existsSync(uidlist) ? readFileSync(uidlist, 'utf8') : '';
    const line = list.split('\n').find((l) => l.split(' :')[1]?.split(':')[0] === base);
    if (line) return line.split(' ')[0];
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no UID for ${base} in ${uidlist}`);
}

/**
 * Every file under `dir` (the mail store as a stolen disk shows it), with
 * its bytes; a file Dovecot removes meanwhile (a lock, a temporary file) is
 * passed over.
 */
export function filesUnder(dir) {
  const files = [];
  for (const name of listed(dir)) {
    const path = join(dir, String(name));
    try {
      if (statSync(path).isFile()) files.push([path, readFileSync(path)]);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
  }
  return files;
}

/** Every name under `dir`, listed again if Dovecot removes a directory during the walk (at most 5 times). */
function listed(dir) {
  for (let attempt = 1; ; attempt++) {
    try {
      return readdirSync(dir, { recursive: true });
    } catch (error) {
      if (error.code !== 'ENOENT' || attempt === 5) throw error;
    }
  }
}

/**
 * Gives a lab user's certificate to the zero-access filter of each path:
 * ~/sealmark/inbound.asc in the user's home for Dovecot's Sieve filter,
 * zero-access/certs/ADDRESS.asc for Postfix's pipe (null removes it).
 */
export function giveCertificate(address, armored, { path = 'sieve' } = {}) {
  const uid = Number(execFileSync('id', ['-u', 'mail'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'mail'], { encoding: 'utf8' }));
  const file = path === 'sieve' ? join(homeOf(address), 'sealmark', 'inbound.asc') : join(RUN, 'zero-access', 'certs', `${address}.asc`);
  // The home is Dovecot's to fill (as the mail user): made here, it is made theirs.
  for (const dir of [homeOf(address), dirname(file)]) {
    if (!existsSync(dir)) mkdirSync(dir);
    chownSync(dir, uid, gid);
  }
  if (armored === null) {
    rmSync(file, { force: true });
    return;
  }
  // Renamed into place: a filter running meanwhile reads the old file or the new, never half of one.
  const next = `${file}.new`;
  writeFileSync(next, armored);
  chownSync(next, uid, gid);
  renameSync(next, file);
}

/** Postfix at the recipient's MX: its queue flushed now (deferred mail retried). */
export function flushMxQueue() {
  execFileSync('ip', ['netns', 'exec', LAB.LAB_NS, 'postqueue', '-c', join(RUN, 'postfix-mx/etc'), '-f']);
}

/** What the MX's Postfix logged. */
export function mxLog() {
  return read(join(RUN, 'log/postfix-mx.log'));
}

/** What Dovecot logged (LMTP, Sieve). */
export function dovecotLog() {
  return read(join(RUN, 'log/dovecot.log'));
}

function headerSection(raw) {
  const end = raw.search(/\r?\n\r?\n/);
  return `\n${end < 0 ? raw : raw.slice(0, end)}`;
}

/** `sealmark hops --json` for a message file. */
export function hopsOf(file) {
  return JSON.parse(execFileSync(join(ROOT, 'target/release/sealmark'), ['hops', '--json', file], { encoding: 'utf8' }));
}

const read = (path) => (existsSync(path) ? readFileSync(path, 'utf8') : '');

/**
 * What Postfix logged per accepted message: the client and the TLS of its
 * session. smtpd logs "connect from", then "TLS connection established"
 * when STARTTLS happened, then "<queue id>: client=" per message; a process
 * serves many sessions, so state is kept per process id.
 * @returns {Map<string, {client: string, tls: string|null, cipher: string|null}>}
 */
export function postfixReceptions(log) {
  const sessions = new Map();
  const byQueueId = new Map();
  for (const line of log.split('\n')) {
    const m = line.match(/ postfix[\w/-]*\/smtpd\[(\d+)\]: (.*)$/);
    if (!m) continue;
    const [, pid, text] = m;
    let t;
    if ((t = text.match(/^connect from (\S+)$/))) sessions.set(pid, { client: t[1], tls: null, cipher: null });
    else if ((t = text.match(/TLS connection established from \S+: (TLSv[\d.]+) with cipher (\S+)/))) {
      Object.assign(sessions.get(pid) ?? {}, { tls: t[1], cipher: t[2] });
    } else if ((t = text.match(/^([0-9A-F]+): client=(\S+)/))) byQueueId.set(t[1], { ...sessions.get(pid), client: t[2] });
  }
  return byQueueId;
}

/**
 * What Exim logged per accepted message: `<=` lines carry X=<tls> when the
 * session was encrypted.
 * @returns {Map<string, {client: string, tls: string|null, cipher: string|null}>}
 */
export function eximReceptions(log) {
  const byId = new Map();
  for (const line of log.split('\n')) {
    const m = line.match(/^\S+ \S+ (\S+) <= .* H=(.*?) I=.* P=(\S+)( X=(\S+))?/);
    if (!m) continue;
    const [version, cipher] = m[5] ? m[5].split(':') : [null, null];
    byId.set(m[1], { client: m[2], tls: version ? version.replace(/^TLS/, 'TLSv') : null, cipher });
  }
  return byId;
}

/** The lab's logs, read now. */
export function labLogs() {
  return {
    'mail.sender.lab': postfixReceptions(read(join(RUN, 'log/postfix-sender.log'))),
    'relay.isp.lab': postfixReceptions(read(join(RUN, 'log/postfix-relay.log'))),
    'mx.rcpt.lab': postfixReceptions(read(join(RUN, 'log/postfix-mx.log'))),
    'exim.isp.lab': eximReceptions(read(join(RUN, 'exim/log/mainlog'))),
    // Client addresses whose EHLO reply lost STARTTLS in the stripping proxy.
    stripped: read(join(RUN, 'log/strip-proxy.log'))
      .split('\n')
      .map((line) => line.match(/stripped STARTTLS client=([\d.]+):/)?.[1])
      .filter(Boolean),
  };
}

/**
 * The lab's own account of one hop of a report: which server wrote it, and
 * the TLS that server logged for the session the message arrived on.
 * @returns {{server: string, tls: string|null, stripped: boolean} | null} null for hops no lab MTA logs (HTTP, LMTP)
 */
export function loggedHop(hop, logs) {
  const receptions = logs[hop.by];
  if (!receptions || !hop.id) return null;
  const reception = receptions.get(hop.id);
  if (!reception) throw new Error(`${hop.by} logged no message with id ${hop.id}`);
  // The stripping proxy talks to the relay from its own address; the strip is on that session.
  const stripped = hop.by === 'relay.isp.lab' && reception.client.includes(`[${LAB.IP_GW}]`) && logs.stripped.length > 0;
  return { server: hop.by, tls: reception.tls, stripped };
}
