// Webmail fixture pages under their real origins, on loopback only. An HTTPS
// server with a throw-away certificate answers for the webmail host names; a
// CONNECT proxy (the browser's proxy in these tests) tunnels exactly those
// names to it and refuses everything else, so nothing leaves the machine. The
// generic fixture is plain HTTP on 127.0.0.1, which browsers never proxy.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect } from 'node:net';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './browser.mjs';

/** Host name → fixture page reproducing that webmail's compose and read structure. */
export const FIXTURE_HOSTS = {
  'mail.google.com': 'gmail.html',
  'outlook.live.com': 'outlook.html',
  'outlook.office.com': 'outlook-m365-de.html',
  'outlook.cloud.microsoft': 'outlook-m365-de.html',
};
/** Scripts the fixture pages share, served under /__fixture/ on every fixture host. */
const FIXTURE_SCRIPTS = { '/__fixture/outlook.js': 'outlook-fixture.js' };
/** Key servers: a Web Key Directory for example.org (advanced method) and keys.openpgp.org. */
export const KEY_HOSTS = ['openpgpkey.example.org', 'keys.openpgp.org'];
/** Where a receiving provider publishes its MTA-STS policy (RFC 8461). */
export const MTA_STS_HOSTS = ['mta-sts.example.net'];
const FIXTURES = join(ROOT, 'tests/e2e/fixtures');

function certificate() {
  const dir = mkdtempSync(join(tmpdir(), 'sealmark-cert-'));
  const names = [...Object.keys(FIXTURE_HOSTS), ...KEY_HOSTS, ...MTA_STS_HOSTS].map((host) => `DNS:${host}`).join(',');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=Sealmark e2e fixtures', '-addext', `subjectAltName=${names}`,
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  const pair = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  rmSync(dir, { recursive: true, force: true });
  return pair;
}

function page(file) {
  return (request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(readFileSync(join(FIXTURES, file)));
  };
}

const escapeHtml = (text) => text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);

/**
 * Each webmail's raw-source endpoint, answering from `messages` (id → raw
 * message) the way the real service does.
 */
function rawSource(host, url, request, body, messages) {
  // Gmail answers "Show original" under the account's path, `/mail/u/N/` or a
  // delegated mailbox's `/mail/b/<delegate>/u/N/`, by permanent id (`permmsgid`)
  // or legacy id (`th`; kept in `messages` as `legacy:<id>`).
  if (host === 'mail.google.com' && url.searchParams.get('view') === 'om') {
    const id = url.searchParams.get('permmsgid') ?? (url.searchParams.has('th') ? `legacy:${url.searchParams.get('th')}` : null);
    const raw = messages.get(id);
    const account = /^\/mail\/(?:b\/[^/]+\/)?u\/\d+\/$/.test(url.pathname);
    if (!raw || !account || url.searchParams.get('ik') !== GMAIL_IK) return { status: 404, type: 'text/html', body: 'not found' };
    return { status: 200, type: 'text/html; charset=utf-8', body: `<!doctype html><title>Original message</title><pre id="raw_message_text">${escapeHtml(raw)}</pre>` };
  }
  // Outlook's service.svc, where each host keeps it and authorised as its page does it: the
  // access token from the page's sign-in cache (MSAuth1.0 on Outlook.com, Bearer on Microsoft
  // 365) and the canary header (a fixed placeholder where there is no canary cookie).
  const service = OUTLOOK_SERVICE[host];
  if (service && url.pathname.endsWith('/service.svc') && request.method === 'POST') {
    if (url.pathname !== service.path) return { status: 404, type: 'text/html', body: 'not found' };
    if (request.headers.authorization !== service.authorization || request.headers.action !== 'GetItem' || !request.headers['x-owa-canary']) {
      return { status: 401, type: 'application/json', body: '{}' };
    }
    let posted = null;
    try {
      posted = JSON.parse(body || decodeURIComponent(request.headers['x-owa-urlpostdata'] ?? ''));
    } catch {
      return { status: 400, type: 'application/json', body: '{}' };
    }
    const raw = messages.get(posted?.Body?.ItemIds?.[0]?.Id);
    const item = raw
      ? { ResponseClass: 'Success', ResponseCode: 'NoError', Items: [{ MimeContent: { CharacterSet: 'UTF-8', Value: Buffer.from(raw).toString('base64') } }] }
      : { ResponseClass: 'Error', ResponseCode: 'ErrorItemNotFound', MessageText: 'The specified object was not found in the store.' };
    return { status: 200, type: 'application/json', body: JSON.stringify({ Body: { ResponseMessages: { Items: [item] } } }) };
  }
  return null;
}

/**
 * WKD (draft-koch-openpgp-webkey-service) and the VKS API, answering from
 * `keys` (address → armored certificate), with the CORS header both specify.
 */
function keyServer(host, url, keys, request, body, uploads) {
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type' };
  if (request.method === 'OPTIONS') return { status: 204, type: 'text/plain', body: '', headers: cors };
  if (host === 'keys.openpgp.org' && request.method === 'POST' && url.pathname === '/vks/v1/upload') {
    const { keytext } = JSON.parse(body || '{}');
    uploads.push(keytext);
    const addresses = [...String(keytext).matchAll(/<([^<>@\s]+@[^<>\s]+)>/g)].map((m) => m[1]);
    const status = Object.fromEntries((addresses.length ? addresses : ['alice@example.org']).map((a) => [a, 'unpublished']));
    return { status: 200, type: 'application/json', body: JSON.stringify({ key_fpr: 'UPLOADED', token: 'upload-token', status }), headers: cors };
  }
  if (host === 'keys.openpgp.org' && request.method === 'POST' && url.pathname === '/vks/v1/request-verify') {
    const { token, addresses } = JSON.parse(body || '{}');
    uploads.push({ token, addresses });
    return { status: 200, type: 'application/json', body: JSON.stringify({ key_fpr: 'UPLOADED', token, status: Object.fromEntries(addresses.map((a) => [a, 'pending'])) }), headers: cors };
  }
  const wkd = /^\/\.well-known\/openpgpkey\/example\.org\/hu\/([a-z0-9]+)$/.exec(url.pathname);
  if (host === 'openpgpkey.example.org' && wkd) {
    const address = [...keys.keys()].find((a) => a.endsWith('@example.org') && zbase32(sha1(a.split('@')[0].toLowerCase())) === wkd[1]);
    if (!address) return { status: 404, type: 'text/plain', body: 'no key', headers: cors };
    return { status: 200, type: 'application/octet-stream', body: dearmor(keys.get(address)), headers: cors };
  }
  const byFingerprint = /^\/vks\/v1\/by-fingerprint\/([0-9A-F]{40,64})$/.exec(url.pathname);
  if (host === 'keys.openpgp.org' && byFingerprint) {
    const armored = keys.get(byFingerprint[1]);
    if (!armored) return { status: 404, type: 'text/plain', body: 'not found', headers: cors };
    return { status: 200, type: 'application/pgp-keys', body: armored, headers: cors };
  }
  const vks = /^\/vks\/v1\/by-email\/(.+)$/.exec(url.pathname);
  if (host === 'keys.openpgp.org' && vks) {
    const armored = keys.get(decodeURIComponent(vks[1]).toLowerCase());
    if (!armored) return { status: 404, type: 'text/plain', body: 'not found', headers: cors };
    return { status: 200, type: 'application/pgp-keys', body: armored, headers: cors };
  }
  return { status: 404, type: 'text/plain', body: 'not found', headers: cors };
}

function sha1(text) {
  return createHash('sha1').update(text).digest();
}

/** z-base-32, written here independently of the extension's, so the two check each other. */
function zbase32(bytes) {
  const alphabet = 'ybndrfg8ejkmcpqxot1uwisza345h769';
  const bits = [...bytes].map((b) => b.toString(2).padStart(8, '0')).join('');
  return bits.match(/.{1,5}/g).map((chunk) => alphabet[parseInt(chunk.padEnd(5, '0'), 2)]).join('');
}

function dearmor(armored) {
  const body = armored.split(/\r?\n\r?\n/)[1].split(/\r?\n/).filter((line) => line && !line.startsWith('=') && !line.startsWith('-----'));
  return Buffer.from(body.join(''), 'base64');
}

/** The account key the Gmail fixture carries, as Gmail's pages do. */
export const GMAIL_IK = '5ea1c0ffee';
/** Where each Outlook fixture host answers service.svc, and the Authorization its page's token makes. */
const OUTLOOK_SERVICE = {
  'outlook.live.com': { path: '/owa/0/service.svc', authorization: 'MSAuth1.0 usertoken="live-fixture-token", type="MSACT"' },
  'outlook.office.com': { path: '/owa/0/service.svc', authorization: 'Bearer m365-fixture-token' },
  'outlook.cloud.microsoft': { path: '/owa/service.svc', authorization: 'Bearer m365-fixture-token' },
};

/**
 * Starts the fixture servers and the proxy. `messages` (id → raw source) is
 * what the webmails' raw-source endpoints answer.
 * `keys` (address or fingerprint → armored certificate) is what the key servers answer; `requests`
 * lists every request and tunnel asked for, to check what was sent.
 * `rawDelayMs` (write-only) delays the raw-source answers, as a real webmail's would be.
 * @returns {Promise<{proxyPort: number, genericUrl: string, messages: Map<string, string>, rawDelayMs: number, keys: Map<string, string>, mtaSts: Map<string, string>, requests: string[], close: () => Promise<void>}>}
 */
export async function startWebmails() {
  const messages = new Map();
  const keys = new Map();
  const mtaSts = new Map();
  const url = (request) => new URL(request.url, 'https://fixture');
  const requests = [];
  const uploads = [];
  const control = { rawDelayMs: 0 };
  const https = createHttpsServer(certificate(), (request, response) => {
    const host = (request.headers.host ?? '').replace(/:443$/, '');
    requests.push(`${host}${request.url}`);
    let body = '';
    // A browser closed mid-request resets the connection; that is not a test failure.
    request.on('error', () => response.destroy());
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (MTA_STS_HOSTS.includes(host)) {
        const policy = url(request).pathname === '/.well-known/mta-sts.txt' ? mtaSts.get(host) : null;
        response.writeHead(policy ? 200 : 404, { 'content-type': 'text/plain' });
        return void response.end(policy ?? 'no policy');
      }
      if (KEY_HOSTS.includes(host)) {
        const answer = keyServer(host, new URL(request.url, `https://${host}`), keys, request, body, uploads);
        response.writeHead(answer.status, { 'content-type': answer.type, ...answer.headers });
        return void response.end(answer.body);
      }
      const file = FIXTURE_HOSTS[host];
      if (!file) return void response.writeHead(404).end();
      const script = FIXTURE_SCRIPTS[url(request).pathname];
      if (script) {
        response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
        return void response.end(readFileSync(join(FIXTURES, script)));
      }
      const answer = rawSource(host, new URL(request.url, `https://${host}`), request, body, messages);
      if (!answer) return page(file)(request, response);
      setTimeout(() => {
        response.writeHead(answer.status, { 'content-type': answer.type, 'cache-control': 'no-store' });
        response.end(answer.body);
      }, control.rawDelayMs);
    });
  });
  const generic = createHttpServer(page('generic.html'));
  const proxy = createHttpServer((request, response) => response.writeHead(405).end());
  // CONNECT tunnels leave the HTTP server's bookkeeping: closing ends them here.
  const tunnels = new Set();
  proxy.on('connect', (request, client, head) => {
    // The socket has left the HTTP server, and with it its error handling: a
    // browser resetting a refused or finished tunnel must not be an uncaught error.
    client.on('error', () => client.destroy());
    const [host, port] = String(request.url).split(':');
    requests.push(`CONNECT ${host}:${port}`);
    if (!(FIXTURE_HOSTS[host] || KEY_HOSTS.includes(host) || MTA_STS_HOSTS.includes(host)) || port !== '443') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(https.address().port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    for (const socket of [client, upstream]) {
      tunnels.add(socket);
      socket.on('close', () => tunnels.delete(socket));
    }
  });
  const servers = [https, generic, proxy];
  for (const server of servers) server.on('clientError', (_error, socket) => socket.destroy());
  await Promise.all(servers.map((server) => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))));
  return {
    messages,
    /** How long the raw-source endpoints take to answer (0: at once). */
    set rawDelayMs(ms) {
      control.rawDelayMs = ms;
    },
    keys,
    /** Host → the MTA-STS policy text it serves at /.well-known/mta-sts.txt. */
    mtaSts,
    requests,
    uploads,
    proxyPort: proxy.address().port,
    genericUrl: `http://127.0.0.1:${generic.address().port}/`,
    close: async () => {
      for (const socket of tunnels) socket.destroy();
      for (const server of servers) server.closeAllConnections?.();
      const closed = Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
      // Bounded: a server that never reports closing must not hold the suite.
      let timer;
      await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
    },
  };
}
