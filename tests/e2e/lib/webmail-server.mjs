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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './browser.mjs';

/** Host name → fixture page reproducing that webmail's compose and read structure. */
export const FIXTURE_HOSTS = {
  'mail.google.com': 'gmail.html',
  'outlook.live.com': 'outlook.html',
};
const FIXTURES = join(ROOT, 'tests/e2e/fixtures');

function certificate() {
  const dir = mkdtempSync(join(tmpdir(), 'sealmark-cert-'));
  const names = Object.keys(FIXTURE_HOSTS).map((host) => `DNS:${host}`).join(',');
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
  if (host === 'mail.google.com' && url.searchParams.get('view') === 'om') {
    const raw = messages.get(url.searchParams.get('permmsgid'));
    if (!raw || url.searchParams.get('ik') !== GMAIL_IK) return { status: 404, type: 'text/html', body: 'not found' };
    return { status: 200, type: 'text/html; charset=utf-8', body: `<!doctype html><title>Original message</title><pre id="raw_message_text">${escapeHtml(raw)}</pre>` };
  }
  if (host === 'outlook.live.com' && url.pathname === '/owa/service.svc' && request.method === 'POST') {
    const canary = request.headers['x-owa-canary'];
    const id = JSON.parse(body || '{}')?.Body?.ItemIds?.[0]?.Id;
    const raw = messages.get(id);
    if (canary !== OUTLOOK_CANARY || !raw) return { status: 440, type: 'application/json', body: '{}' };
    const item = { MimeContent: { CharacterSet: 'UTF-8', Value: Buffer.from(raw).toString('base64') } };
    return { status: 200, type: 'application/json', body: JSON.stringify({ Body: { ResponseMessages: { Items: [{ ResponseClass: 'Success', Items: [item] }] } } }) };
  }
  return null;
}

/** The account key and session token the fixture pages carry, as Gmail's and Outlook's do. */
export const GMAIL_IK = '5ea1c0ffee';
export const OUTLOOK_CANARY = 'fixture-canary-token';

/**
 * Starts the fixture servers and the proxy. `messages` (id → raw source) is
 * what the webmails' raw-source endpoints answer.
 * @returns {Promise<{proxyPort: number, genericUrl: string, messages: Map<string, string>, close: () => Promise<void>}>}
 */
export async function startWebmails() {
  const messages = new Map();
  const https = createHttpsServer(certificate(), (request, response) => {
    const host = (request.headers.host ?? '').replace(/:443$/, '');
    const file = FIXTURE_HOSTS[host];
    if (!file) return void response.writeHead(404).end();
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const answer = rawSource(host, new URL(request.url, `https://${host}`), request, body, messages);
      if (!answer) return page(file)(request, response);
      response.writeHead(answer.status, { 'content-type': answer.type, 'cache-control': 'no-store' });
      response.end(answer.body);
    });
  });
  const generic = createHttpServer(page('generic.html'));
  const proxy = createHttpServer((request, response) => response.writeHead(405).end());
  proxy.on('connect', (request, client, head) => {
    const [host, port] = String(request.url).split(':');
    if (!FIXTURE_HOSTS[host] || port !== '443') {
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
    client.on('error', () => upstream.destroy());
  });
  const servers = [https, generic, proxy];
  await Promise.all(servers.map((server) => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))));
  return {
    messages,
    proxyPort: proxy.address().port,
    genericUrl: `http://127.0.0.1:${generic.address().port}/`,
    close: async () => {
      for (const server of servers) server.closeAllConnections?.();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}
